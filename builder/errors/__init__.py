"""The one error type of voicepkg, and the diagnostics it carries.

Every stage reports problems as `Diagnostic`s (code, severity, file, line, column, message,
hint). A stage that cannot go on raises `BuildError` holding one or more of them; the CLI
prints them without a traceback and exits 1. Each code's default severity, title and docs page
are in `codes.CODES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .codes import Severity as Severity
from .codes import default_severity


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, located in a file. Sorts by file, line, column, then code."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file or "voicepkg"  # never a bare ":" before the severity
        if self.file and self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.severity} {self.code}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def diagnostic(
    code: str,
    message: str,
    *,
    file: str = "",
    line: int | None = 0,
    column: int | None = 0,
    hint: str = "",
    severity: Severity | None = None,
) -> Diagnostic:
    """A diagnostic of `code`, with the code's default severity unless `severity` is given."""
    level = severity or default_severity(code)
    return Diagnostic(file, line or 0, column or 0, code, message, hint, level)


class BuildError(Exception):
    """A problem the user can fix: bad sources, a bad zip, a refused deploy, a failed import."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic], exit_code: int = 1) -> None:
        items = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        self.diagnostics: list[Diagnostic] = sorted(items)
        self.exit_code = exit_code
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(
        cls,
        code: str,
        message: str,
        *,
        file: str = "",
        line: int | None = 0,
        column: int | None = 0,
        hint: str = "",
        exit_code: int = 1,
    ) -> BuildError:
        found = diagnostic(
            code, message, file=file, line=line, column=column, hint=hint, severity="error"
        )
        return cls(found, exit_code=exit_code)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def raise_if_errors(diagnostics: Iterable[Diagnostic]) -> None:
    """Raise a BuildError when any diagnostic is an error; warnings alone pass."""
    items = list(diagnostics)
    if any(d.severity == "error" for d in items):
        raise BuildError(items)


def located_in(root: str, found: list[Diagnostic]) -> list[Diagnostic]:
    """Findings of sources carry paths relative to the source root: prefix the root."""
    return [replace(d, file=_under(root, d.file)) for d in found]


def _under(root: str, file: str) -> str:
    if not file:
        return root
    if Path(file).is_absolute() or file == root or file.startswith(root + "/"):
        return file
    return f"{root}/{file}"
