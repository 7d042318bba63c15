"""Shared fixtures: where the sources and Microsoft's reference material live, the real
sources loaded once, and running the CLI in-process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli
from builder.model import Project
from builder.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "solution_src"
SHARED = Path(os.environ.get("VOICEPKG_SHARED", ROOT.parent / "shared")).resolve()
MS_SCHEMAS = SHARED / "reference" / "ms-schemas" / "9.0.0.2090-patched"
CORPUS = SHARED / "reference" / "corpus"
CORPUS2 = SHARED / "reference" / "corpus2"
WARNED_FORM = Path("forms", "systemuser", "voice-user.xml")
WARNING_CODE = "DV121"  # what add_warning gives: the real sources give no warning at all


def add_warning(src: Path) -> tuple[Path, int]:
    """Give a copy of the sources exactly one warning: the user form names a column of the
    standard systemuser table that voicepkg does not list (DV121, a warning because the list
    of standard columns is not complete). Returns the form and the line of that field."""
    form = src / WARNED_FORM
    text = form.read_text(encoding="utf-8")
    anchor = '<field column="mobilephone"/>'
    assert text.count(anchor) == 1 and "voicepagernumber" not in text
    form.write_text(
        text.replace(anchor, anchor + '\n      <field column="voicepagernumber"/>'),
        encoding="utf-8",
    )
    return form, warning_line(src)


def warning_line(src: Path) -> int:
    """The line of add_warning's field in `src`."""
    text = (src / WARNED_FORM).read_text(encoding="utf-8")
    return text[: text.index("voicepagernumber")].count("\n") + 1


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    """A copy of the sources with one warning (add_warning) and nothing else."""
    src = tmp_path / "warned" / "solution_src"
    shutil.copytree(SOURCES, src)
    add_warning(src)
    return src


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
    asks for it (tests/report/test_ci_output.py)."""
    for name in (
        "GITHUB_ACTIONS",
        "TF_BUILD",
        "VOICEPKG_CI",
        "GITHUB_STEP_SUMMARY",
        "VOICEPKG_MS_SCHEMAS",
    ):
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
