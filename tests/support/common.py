"""What most tests share that is no fixture: where the sources and Microsoft's reference
material live, a copy of the sources with one known warning, and the CLI run in-process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli

ROOT = Path(__file__).resolve().parents[2]
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


def need_shared(path: Path) -> Path:
    """Return `path`, or fail loudly in CI (skip on a laptop) when ../shared is missing."""
    if path.exists():
        return path
    message = f"reference material missing: {path} (clone the project with ../shared beside it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run_cli(*args: str) -> Result:
    """`voicepkg ARGS` through click in-process; an unexpected exception fails the test."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)
