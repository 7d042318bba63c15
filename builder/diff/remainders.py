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
from ..model.remainder import NOTHING, holds_remainder
from .core import Collector, describe, pair_up

# The Project fields whose components carry a remainder.
FIELDS = tuple(k for k in KINDS if holds_remainder(k.model))


def diff_remainders(out: Collector, old: Project, new: Project) -> None:
    for kind in FIELDS:
        _, _, kept = pair_up(getattr(old, kind.field), getattr(new, kind.field), identity)
        for before, after in kept:
            changed = before.remainder.changes(after.remainder)
            if changed:
                out.add(kind.label, "", kind.name(after), "unread " + describe(changed), "changed")


def without_remainders(project: Project) -> Project:
    """`project` with no component carrying a remainder (to compare it with sources)."""
    fields: dict[str, Any] = {
        kind.field: tuple(
            replace(c, remainder=NOTHING) if c.remainder is not NOTHING else c
            for c in getattr(project, kind.field)
        )
        for kind in FIELDS
    }
    return replace(project, **fields)
