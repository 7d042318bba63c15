"""Fixtures of the adversarial suite: a sandbox per test, the real build outputs (made once),
hostile zips made on the spot, and the closing summary (runs, internal errors, hangs, worst
peak memory)."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from adversarial.harness import RECORD, Sandbox
from builder.build import build_package, build_solutions

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "solution_src"
PACKAGE_ZIP = "VoiceForD365Package_1_0_0_0.zip"
SOLUTION_ZIP = "VoiceForD365_1_0_0_0_managed.zip"


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path / "box")


@pytest.fixture(scope="session")
def built() -> dict[str, bytes]:
    """The real outputs of this repository's sources: solution zips and the package zip."""
    files = dict(build_solutions(SOURCES, managed=True, unmanaged=True))
    files.update(build_package(SOURCES))
    return files


@pytest.fixture(scope="session")
def solution_entries(built: dict[str, bytes]) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(built[SOLUTION_ZIP])) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def make_zip(entries: Mapping[str, bytes], level: int = 6) -> bytes:
    """A zip of `entries` exactly as named (no checks: hostile names are the point)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def copy_sources(sandbox: Sandbox) -> Path:
    """A private copy of solution_src in the sandbox's working folder."""
    target = sandbox.work / "solution_src"
    shutil.copytree(SOURCES, target)
    sandbox.mark()
    return target


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RECORD.runs:
        terminalreporter.write_line(RECORD.summary())
