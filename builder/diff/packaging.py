"""`diff` of what two solution zips say about themselves: root components, missing
dependencies, languages and the content type of each part (`SolutionPackaging`)."""

from __future__ import annotations

from collections.abc import Sequence

from ..dataverse.component_types import NAMES
from ..model import RootComponent, SolutionPackaging
from ..model.kinds import Kind
from .comparers import compares
from .core import Collector


@compares(SolutionPackaging)
def diff_packaging(
    out: Collector, kind: Kind, old: Sequence[SolutionPackaging], new: Sequence[SolutionPackaging]
) -> None:
    """What the zips of a solution both sides hold say about it (a solution added or removed
    is the solutions' change)."""
    after = {p.solution: p for p in new}
    for before in old:
        if before.solution in after:
            _diff_one(out, before, after[before.solution])


def _diff_one(out: Collector, old: SolutionPackaging, new: SolutionPackaging) -> None:
    solution = old.solution
    _diff_roots(out, solution, old.root_components, new.root_components)
    for gone in sorted(set(old.missing_dependencies) - set(new.missing_dependencies)):
        out.removed("missing dependency", solution, gone, "no longer declared", upgrade=False)
    for added in sorted(set(new.missing_dependencies) - set(old.missing_dependencies)):
        out.added("missing dependency", solution, added, "newly declared: import needs it present")
    for lcid in sorted(set(old.languages) - set(new.languages)):
        out.removed("language", solution, str(lcid), "language no longer in the solution")
    for lcid in sorted(set(new.languages) - set(old.languages)):
        out.added("language", solution, str(lcid))
    _diff_content_types(out, solution, dict(old.content_types), dict(new.content_types))


def _name(root: RootComponent) -> str:
    return f"{NAMES.get(root.type, f'type {root.type}')} {root.key}"


def _diff_roots(
    out: Collector, solution: str, old: tuple[RootComponent, ...], new: tuple[RootComponent, ...]
) -> None:
    before = {(r.type, r.key.lower()): r for r in old}
    after = {(r.type, r.key.lower()): r for r in new}
    for key in sorted(before.keys() - after.keys()):
        out.removed(
            "root component",
            solution,
            _name(before[key]),
            "no longer a root component: an upgrade removes it",
            breaking=True,
        )
    for key in sorted(after.keys() - before.keys()):
        out.added("root component", solution, _name(after[key]))
    for key in sorted(before.keys() & after.keys()):
        if before[key].behavior != after[key].behavior:
            out.add(
                "root component",
                solution,
                _name(before[key]),
                f"behavior {before[key].behavior} -> {after[key].behavior}",
                "changed",
                needs_upgrade=True,
            )


def _diff_content_types(
    out: Collector, solution: str, old: dict[str, str], new: dict[str, str]
) -> None:
    for part in sorted(old.keys() & new.keys()):
        if old[part] != new[part]:
            out.add(
                "content type",
                solution,
                part,
                f"{old[part] or 'none'} -> {new[part] or 'none'}",
                "changed",
            )
