"""The vocabulary of a diff: `Change`, `DiffReport`, and the small helpers every comparer uses.

A change names its `kind` (what sort of thing: table, column, form field, privilege ...), the
`component` it lives in (a table, a form, a role; empty for a top-level component) and its own
`name`. `action` is added, removed or changed. `needs_upgrade` says a plain update would leave
the old part behind (Dataverse only deletes components on an upgrade); `breaking` says data
already in an environment may no longer fit.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from ..model.mapping import apart

Action = Literal["added", "removed", "changed"]
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    kind: str
    component: str
    name: str
    detail: str
    action: Action
    needs_upgrade: bool = False
    breaking: bool = False

    @property
    def path(self) -> str:
        return f"{self.component}/{self.name}" if self.component else self.name


@dataclass(frozen=True)
class Side:
    """What one side of the comparison was: how the user named it, and its version."""

    label: str
    version: str


@dataclass(frozen=True)
class DiffReport:
    old: Side
    new: Side
    changes: tuple[Change, ...] = ()
    version_problems: tuple[str, ...] = ()  # the bump does not fit the changes
    notes: tuple[str, ...] = ()  # what was not compared, and why

    @property
    def different(self) -> bool:
        return bool(self.changes)

    @property
    def needs_upgrade(self) -> bool:
        return any(c.needs_upgrade for c in self.changes)

    @property
    def breaking(self) -> bool:
        return any(c.breaking for c in self.changes)

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)


# --- helpers -------------------------------------------------------------------------------


def pair_up(
    old: Iterable[T],
    new: Iterable[T],
    key: Callable[[T], Hashable],
) -> tuple[list[T], list[T], list[tuple[T, T]]]:
    """(added, removed, kept pairs), each in the order of the side it comes from."""
    old_by = {key(o): o for o in old}
    new_by = {key(n): n for n in new}
    added = [n for k, n in new_by.items() if k not in old_by]
    removed = [o for k, o in old_by.items() if k not in new_by]
    kept = [(o, new_by[k]) for k, o in old_by.items() if k in new_by]
    return added, removed, kept


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def fmt(value: Any) -> str:
    """A value as a reader wants to see it in a one-line detail."""
    if isinstance(value, bytes):
        return f"sha256:{short_hash(value)} ({len(value)} bytes)"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text)
    if isinstance(value, tuple):
        return "(" + ", ".join(fmt(v) for v in value) + ")"
    if value is None:
        return "none"
    if dataclasses.is_dataclass(value):
        return "(" + ", ".join(f"{k}={fmt(v)}" for k, v in compared_fields(value)) + ")"
    return str(value)


_COMPARED: dict[type, tuple[str, ...]] = {}  # dataclass -> its compared field names


def compared_fields(item: Any) -> list[tuple[str, Any]]:
    """The (name, value) pairs of a dataclass that take part in equality (never `src`)."""
    names = _COMPARED.get(type(item))
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(item) if f.compare)
        _COMPARED[type(item)] = names
    return [(name, getattr(item, name)) for name in names]


def field_changes(old: Any, new: Any, skip: Sequence[str] = ()) -> list[tuple[str, Any, Any]]:
    """(field, old value, new value) for every compared field that differs, `skip` aside.
    `own_changes` leaves out, besides, what the field mapping says is reported apart."""
    if type(old) is type(new) and old == new:  # equality compares exactly those fields
        return []
    out = []
    for (name, before), (_, after) in zip(compared_fields(old), compared_fields(new), strict=True):
        if name not in skip and before != after:
            out.append((name, before, after))
    return out


def own_changes(old: Any, new: Any, skip: Sequence[str] = ()) -> list[tuple[str, Any, Any]]:
    """The changes of a component's own fields: `field_changes` without the nested parts and
    fields its mapping reports apart (`model/mapping.py`), and without `skip`."""
    return field_changes(old, new, (*skip, *apart(type(old))))


def describe(changes: Iterable[tuple[str, Any, Any]]) -> str:
    return "; ".join(f"{name} {fmt(before)} -> {fmt(after)}" for name, before, after in changes)


class Collector:
    """Accumulates the changes of one comparison; comparers call `add`."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(
        self,
        kind: str,
        component: str,
        name: str,
        detail: str,
        action: Action,
        needs_upgrade: bool = False,
        breaking: bool = False,
    ) -> None:
        self.changes.append(Change(kind, component, name, detail, action, needs_upgrade, breaking))

    def added(self, kind: str, component: str, name: str, detail: str = "") -> None:
        self.add(kind, component, name, detail or f"new {kind}", "added")

    def removed(
        self,
        kind: str,
        component: str,
        name: str,
        detail: str = "",
        breaking: bool = False,
        upgrade: bool = True,
    ) -> None:
        self.add(
            kind,
            component,
            name,
            detail or f"{kind} removed",
            "removed",
            needs_upgrade=upgrade,
            breaking=breaking,
        )

    def scalar_fields(
        self,
        kind: str,
        component: str,
        name: str,
        old: Any,
        new: Any,
        skip: Sequence[str] = (),
        breaking: bool = False,
    ) -> None:
        """One `changed` entry listing every differing own field of two versions."""
        diffs = own_changes(old, new, skip)
        if diffs:
            self.add(kind, component, name, describe(diffs), "changed", breaking=breaking)
