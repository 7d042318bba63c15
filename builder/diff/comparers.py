"""Which comparer each component kind has, and the one most kinds are compared by.

`diff_projects` walks the kinds of `model.kinds.KINDS` in their order and hands each one's two
collections to the comparer registered for its class (`@compares(Table)` beside the comparer),
else to `diff_kind`. The kind's entry says what a comparer needs to know of it: the label its
changes carry, the name they show, what pairs two versions (`identity`), what a removal takes
and breaks, and which fields break when changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..model.kinds import Kind, PerKind, identity
from .core import Collector, pair_up

Comparer = Callable[[Collector, Kind, Sequence[Any], Sequence[Any]], None]
T = TypeVar("T")

COMPARERS: PerKind[Comparer] = PerKind()  # the kinds with a comparer of their own
compares = COMPARERS.register  # @compares(Table) beside the comparer


def comparer_of(kind: Kind) -> Comparer:
    return COMPARERS.of(kind) or diff_kind


def breaks(kind: Kind, old: Any, new: Any) -> bool:
    """Whether a change between two versions of a component touches a breaking field."""
    return any(getattr(old, f) != getattr(new, f) for f in kind.breaking_fields)


def diff_kind(
    out: Collector,
    kind: Kind,
    old: Sequence[T],
    new: Sequence[T],
    *,
    summary: Callable[[T], str] | None = None,
    inner: Callable[[Collector, str, T, T], None] | None = None,
    skip: tuple[str, ...] = (),
) -> None:
    """Components added, removed and changed, paired by identity: a new one described by
    `summary` (else "new <label>"), a changed one by its own fields (`skip` aside), then
    `inner` compares the parts it holds."""
    added, removed, kept = pair_up(old, new, identity)
    for item in added:
        out.added(kind.label, "", kind.name(item), summary(item) if summary else "")
    for item in removed:
        out.removed(
            kind.label,
            "",
            kind.name(item),
            breaking=kind.removal_breaks(item),
            upgrade=kind.removal_needs_upgrade,
        )
    for before, after in kept:
        # one known by id may have been renamed: shown by its new name
        name = kind.name(after if kind.by_id else before)
        out.scalar_fields(
            kind.label, "", name, before, after, skip=skip, breaking=breaks(kind, before, after)
        )
        if inner:
            inner(out, name, before, after)
