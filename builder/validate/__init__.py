"""Validation: safe XML, schemas and Dataverse rules, reported together.

- `check_project(project)`: the Dataverse rules over a loaded `Project` (build runs it and
  refuses to write output when it reports errors).
- `validate_path(path, strict=False, baseline=None)`: everything about a `solution_src`
  folder, a solution zip or folder, or a package zip or folder.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostic
from .rules import check_project

__all__ = ["check_project", "validate_path"]


def validate_path(path: Path | str, strict: bool = False,
                  baseline: Path | str | None = None) -> list[Diagnostic]:
    """All diagnostics for `path`, sorted by file and line (see `builder.validate.paths`)."""
    from .paths import validate_path as run

    old = Path(baseline) if baseline else None
    result: list[Diagnostic] = run(Path(path), strict=strict, baseline=old)
    return result
