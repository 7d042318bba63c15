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


def validate_path(
    path: Path | str,
    strict: bool = False,
    baseline: Path | str | None = None,
    *,
    ms_schemas: Path | None = None,
    ignore: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """All diagnostics for `path`, sorted by file and line (see `builder.validate.paths`).
    `ms_schemas` is where Microsoft's schemas are (else they are looked for, see
    `msschema.candidates`); codes in `ignore` are never reported."""
    from .msschema import schemas_at
    from .paths import validate_path as run

    old = str(baseline) if baseline else None
    with schemas_at(ms_schemas):
        result: list[Diagnostic] = run(Path(path), strict=strict, baseline=old)
    return [d for d in once(result, "SCH100") if d.code not in ignore]


def once(found: list[Diagnostic], code: str) -> list[Diagnostic]:
    """Only the first diagnostic of `code` (a fact about the run, not about each file)."""
    first = next((d for d in found if d.code == code), None)
    return [d for d in found if d.code != code or d is first]
