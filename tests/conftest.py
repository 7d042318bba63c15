"""Shared fixtures: where the sources and Microsoft's reference material live, the real
sources loaded once, and running the CLI in-process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli
from builder.load import load_project
from builder.model import Project

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "solution_src"
SHARED = Path(os.environ.get("VOICEPKG_SHARED", ROOT.parent / "shared")).resolve()
MS_SCHEMAS = SHARED / "reference" / "ms-schemas" / "9.0.0.2090-patched"
CORPUS = SHARED / "reference" / "corpus"
CORPUS2 = SHARED / "reference" / "corpus2"


def need_shared(path: Path) -> Path:
    """Return `path`, or fail loudly in CI (skip on a laptop) when ../shared is missing."""
    if path.exists():
        return path
    message = f"reference material missing: {path} (clone the project with ../shared beside it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _not_in_a_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run alike on a laptop and in a pipeline: CI-native output only where a test
    asks for it (tests/test_ci_output.py)."""
    for name in ("GITHUB_ACTIONS", "TF_BUILD", "VOICEPKG_CI", "GITHUB_STEP_SUMMARY",
                 "VOICEPKG_MS_SCHEMAS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def ms_schemas() -> Path:
    return need_shared(MS_SCHEMAS)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return need_shared(CORPUS)


@pytest.fixture(scope="session")
def corpus2() -> Path:
    return need_shared(CORPUS2)


@pytest.fixture(scope="session")
def sources() -> Path:
    return SOURCES


@pytest.fixture(scope="session")
def project(sources: Path) -> Project:
    """The real solution_src loaded (a frozen model: tests share it safely)."""
    return load_project(sources)


def run_cli(*args: str) -> Result:
    """`voicepkg ARGS` through click in-process; an unexpected exception fails the test."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)
