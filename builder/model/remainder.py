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


@frozen
class Remainder:
    """A component's unread parts, ordered by where they are."""

    parts: tuple[Unread, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.parts)

    @staticmethod
    def of(parts: Any) -> Remainder:
        return Remainder(tuple(sorted(parts, key=lambda p: p.where)))


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
