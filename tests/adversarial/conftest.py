"""Fixtures of the adversarial suite: a sandbox per test, the real build outputs (made once),
and the closing summary (runs, internal errors, hangs, worst peak memory). Hostile zips and
copies of the sources are made by harness.py's make_zip and copy_sources."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from adversarial.harness import RECORD, SOLUTION_ZIP, SOURCES, Sandbox
from builder.build import build_package, build_solutions


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RECORD.runs:
        terminalreporter.write_line(RECORD.summary())
