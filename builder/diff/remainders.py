"""`diff`'s one comparer for what `read` left unread of each component (its remainder,
model/remainder.py): whatever kind a component is, two versions of it whose unread parts
differ give one change line naming each part that differs. Components added or removed
are their kinds' comparers' business; this looks only at the ones on both sides.

Sources have no remainder (they say only what the model holds), so a comparison with
sources on one side leaves remainders out (`without_remainders`, diff/scope.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model import Project
from ..model.kinds import KINDS, identity
from ..model.remainder import NOTHING, Remainder, holds_remainder
from .core import Collector, describe, pair_up

# The Project fields whose components carry a remainder.
FIELDS = tuple(k for k in KINDS if holds_remainder(k.model))


def diff_remainders(out: Collector, old: Project, new: Project) -> None:
    for kind in FIELDS:
        _, _, kept = pair_up(getattr(old, kind.field), getattr(new, kind.field), identity)
        for before, after in kept:
            if before.remainder != after.remainder:
                detail = "unread " + describe(_differing(before.remainder, after.remainder))
                out.add(kind.label, "", kind.name(after), detail, "changed")


def _differing(old: Remainder, new: Remainder) -> list[tuple[str, Any, Any]]:
    """(where, old content, new content) of each unread part that differs (None: absent)."""
    before = {p.where: p.content for p in old.parts}
    after = {p.where: p.content for p in new.parts}
    wheres = sorted(before.keys() | after.keys())
    return [(w, before.get(w), after.get(w)) for w in wheres if before.get(w) != after.get(w)]


def without_remainders(project: Project) -> Project:
    """`project` with no component carrying a remainder (to compare it with sources)."""
    fields: dict[str, Any] = {
        kind.field: tuple(
            replace(c, remainder=NOTHING) if c.remainder else c
            for c in getattr(project, kind.field)
        )
        for kind in FIELDS
    }
    return replace(project, **fields)
