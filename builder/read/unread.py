"""The one way `read` keeps what it does not consume: each part of a component's XML a
reader left unread becomes an `Unread` of the component's remainder (model/remainder.py).

A reader records what it consumes where it looks things up: a data row's columns through
`records.Row`, an element's attributes and children through `Reading`. `keep_unread` then
gives the component every part no lookup asked for (a row's stamp columns, which Dataverse
writes on every save, left out: dataverse/system_columns.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Protocol, TypeVar, cast

from ..model.remainder import Remainder, Unread
from ..xmlio.exported import Element, raw_xml

T = TypeVar("T")


class Consumed(Protocol):
    """Something read part by part that knows what was left unread (a row, a `Reading`)."""

    def unread(self) -> Iterable[Unread]: ...


def unread_part(where: str, el: Element, value: str = "") -> Unread:
    """`el` as an unread part: its text when it is plain text (with `value`: that attribute,
    when it and `name` are all `el` holds), else its canonical XML (indentation aside, so a
    zip and a `pac` folder give the same)."""
    if not len(el) and not el.attrib:
        return Unread(where, (el.text or "").strip())
    if value and not len(el) and set(el.attrib) == {"name", value}:
        return Unread(where, el.get(value, ""))
    return Unread(where, raw_xml(el, indentation=False).decode("utf-8"))


def keep_unread(component: T, *read: Consumed) -> T:
    """`component` carrying, as its remainder, what its readers left unread of `read`."""
    parts = [p for r in read for p in r.unread()]
    if not parts:
        return component
    return cast(T, replace(cast(Any, component), remainder=Remainder.of(parts)))


class Reading:
    """An exported element read part by part: each attribute and child element a reader asks
    for through it is recorded, and `unread` gives the rest (the component's remainder).

    `text` consumes a child whole; `child` and `kids` hand out the child's own `Reading`, so
    what is left unread inside it counts too. `where` names a part from the component's
    element: `@attr`, `Tag`, `Tag[key]/@attr` (children of one tag told apart by `key`, an
    attribute, else by position)."""

    __slots__ = ("el", "where", "_attrs", "_kids")

    def __init__(self, el: Element, where: str = "") -> None:
        self.el, self.where = el, where
        self._attrs: set[str] = set()
        self._kids: dict[Element, Reading | None] = {}  # None: consumed whole

    def _path(self, part: str) -> str:
        return f"{self.where}/{part}" if self.where else part

    def get(self, name: str, default: str = "") -> str:
        self._attrs.add(name)
        return str(self.el.get(name, default))

    def text(self, tag: str, default: str = "") -> str:
        """The stripped text of the child `tag` (`default` when missing or empty)."""
        for found in self.el.iterchildren(tag):
            self._kids[found] = None
            return (found.text or "").strip() or default
        return default

    def whole(self, tag: str) -> Element | None:
        """The first child `tag` as it is, consumed whole (for readers of plain elements)."""
        for found in self.el.iterchildren(tag):
            self._kids[found] = None
            return found
        return None

    def child(self, tag: str) -> Reading | None:
        """The first child `tag`, read part by part (its later siblings stay unread)."""
        for el in self.el.iterchildren(tag):
            reading = self._kids.get(el)
            if reading is None:
                count = sum(1 for _ in self.el.iterchildren(tag))
                reading = self._kids[el] = Reading(el, self._path(_step(el, (), 1, count)))
            return reading
        return None

    def kids(self, tag: str, *keys: str) -> list[Reading]:
        """The children `tag`, each told apart in `where` by the first of `keys` it has."""
        found = list(self.el.iterchildren(tag))
        out = []
        for index, el in enumerate(found, 1):
            reading = self._kids.get(el)
            if reading is None:
                reading = Reading(el, self._path(_step(el, keys, index, len(found))))
                self._kids[el] = reading
            out.append(reading)
        return out

    def unread(self) -> list[Unread]:
        out = [
            Unread(self._path(f"@{name}"), str(value))
            for name, value in self.el.attrib.items()
            if name not in self._attrs
        ]
        elements = [e for e in self.el if isinstance(e.tag, str)]  # no comments
        tags = Counter(str(e.tag) for e in elements)
        seen: Counter[str] = Counter()
        for el in elements:
            seen[str(el.tag)] += 1
            if el not in self._kids:
                step = _step(el, (), seen[str(el.tag)], tags[str(el.tag)])
                out.append(unread_part(self._path(step), el))
            elif (reading := self._kids[el]) is not None:
                out += reading.unread()
        return out


def _step(el: Element, keys: tuple[str, ...], index: int, count: int) -> str:
    """A child's step in a `where`: its tag, told apart from its siblings of that tag by the
    first of its `keys` attributes it has, else by its position among them."""
    name = next((str(el.get(k)) for k in keys if el.get(k)), "")
    if name:
        return f"{el.tag}[{name}]"
    return f"{el.tag}[{index}]" if count > 1 else str(el.tag)
