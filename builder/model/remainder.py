"""What a reader of an exported component did not consume: the component's remainder.

`read` (Dataverse XML -> model) fills a component's modelled fields from the parts of its XML
it looks at, and records each part it looked at. Everything else the component's XML holds
is its remainder: one `Unread` per part left unread, carried on the component itself
(`remainder` field), so `diff` sees it when two exports are compared. A reader does not
list what it leaves: the consumption record does (`read/records.Row` for a data row's
columns, `read/unread.Reading` for an element's attributes and children).

The remainder is what the model does not say, so it takes no part in a component's equality
(as `src` does not): two components are `==` when everything the model says is the same.
`diff` compares remainders on their own (`diff/remainders.py`); sources have none, so diff
compares them only between two exports (`diff/scope.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from .frozen import frozen
from .mapping import KEY, Spec


@frozen
class Unread:
    """One part a reader left unread: where it is in the component's XML (`<row> <key>/<column>`
    in a data row; `Tag`, `@attr`, `Tag[key]/@attr` in an element), and its content (text,
    or canonical XML when it has structure)."""

    where: str
    content: str


Change = tuple[str, str | None, str | None]  # where, old content, new content (None: absent)


class Remainder:
    """A component's unread parts, ordered by where they are.

    A reader that keeps them as it reads gives them at once (`Remainder.of`); the readers
    of tables, forms and views leave them to be worked out when they are asked for (a
    subclass in read/kept.py), since most are never compared."""

    __slots__ = ("_parts",)

    def __init__(self, parts: tuple[Unread, ...] = ()) -> None:
        self._parts = parts

    @property
    def parts(self) -> tuple[Unread, ...]:
        return self._parts

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Remainder):
            return NotImplemented
        return self is other or not self.changes(other)

    def __hash__(self) -> int:
        return hash(self.parts)

    def __repr__(self) -> str:
        return f"Remainder({self.parts!r})"

    def changes(self, other: Remainder) -> list[Change]:
        """Each part whose content differs from `other`'s, by where it is."""
        return changed_parts(self.parts, other.parts)

    @staticmethod
    def of(parts: Any) -> Remainder:
        return Remainder(tuple(sorted(parts, key=lambda p: p.where)))


def changed_parts(old: Iterable[Unread], new: Iterable[Unread]) -> list[Change]:
    """(where, old content, new content) of each part that differs (None: absent)."""
    before = {p.where: p.content for p in old}
    after = {p.where: p.content for p in new}
    wheres = sorted(before.keys() | after.keys())
    return [(w, before.get(w), after.get(w)) for w in wheres if before.get(w) != after.get(w)]


NOTHING = Remainder()


def remainder_field() -> Any:
    """The `remainder` field of a component class: not in a source element (a hook the kind's
    loader leaves empty), reported apart by `diff`, never part of equality."""
    return dataclasses.field(
        default=NOTHING,
        compare=False,
        repr=False,
        metadata={KEY: Spec(hook=True, apart=True)},
    )


def holds_remainder(cls: type) -> bool:
    """Whether components of `cls` carry a remainder."""
    return any(f.name == "remainder" for f in dataclasses.fields(cls))
