"""What changed between two versions of the project, by component rather than by XML line.

`diff_projects(old, new)` is pure: two `Project`s in, a `DiffReport` out: the solutions, then
each kind of `model.kinds.KINDS` in the registry's order, by its comparer (`comparers.py`).
Where the two sides
come from (sources, a built zip, a package, a git revision) is the CLI's business
(`builder/cli/diff_cmd.py`); how a report is shown is `builder/diff_render.py`'s.
"""

from __future__ import annotations

from ..model import Project
from ..model.kinds import KINDS
from . import misc, packaging, tables, ui  # noqa: F401 (each registers its kinds' comparers)
from .comparers import comparer_of
from .core import Change, Collector, DiffReport, Side
from .remainders import diff_remainders
from .scope import canonical

__all__ = ["Change", "DiffReport", "Side", "diff_projects", "parse_version", "version_problems"]


def diff_projects(
    old: Project,
    new: Project,
    old_label: str = "old",
    new_label: str = "new",
    notes: tuple[str, ...] = (),
) -> DiffReport:
    """Every difference between two versions; `notes` say what was left out and why."""
    old, new = canonical(old), canonical(new)
    out = Collector()
    misc.diff_solutions(out, old, new)
    for kind in KINDS:  # in the registry's order
        compare = comparer_of(kind)
        compare(out, kind, getattr(old, kind.field), getattr(new, kind.field))
    diff_remainders(out, old, new)  # what read left unread, for every kind
    changes = tuple(out.changes)
    return DiffReport(
        old=Side(old_label, old.version),
        new=Side(new_label, new.version),
        changes=changes,
        version_problems=tuple(version_problems(old.version, new.version, changes)),
        notes=notes,
    )


def parse_version(text: str) -> tuple[int, ...] | None:
    """'1.2.3.4' -> (1, 2, 3, 4), padded to four parts; None when it is not a version."""
    parts = text.strip().split(".")
    if not 2 <= len(parts) <= 4 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts) + (0,) * (4 - len(parts))


def version_problems(old: str, new: str, changes: tuple[Change, ...]) -> list[str]:
    """Why the version bump does not fit the changes, if it does not."""
    before, after = parse_version(old), parse_version(new)
    if before is None or after is None:
        bad = old if before is None else new
        return [f"version {bad!r} is not of the form major.minor.build.revision"]
    if not changes:
        return []
    if after <= before:
        return [
            f"the version did not increase ({old} -> {new}) although the content changed: "
            "Dataverse refuses to import a managed solution over the same or a higher "
            "version"
        ]
    upgrades = sum(1 for c in changes if c.needs_upgrade)
    if upgrades and after[:2] == before[:2]:
        bump = "revision" if after[:3] == before[:3] else "build"
        return [
            f"{upgrades} change(s) need an upgrade (a component removed) under a "
            f"{bump}-only bump ({old} -> {new}): raise the major or minor version"
        ]
    return []
