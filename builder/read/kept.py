"""The remainder of a table, form or view, worked out only when `diff` asks for it.

A table's entity, a form or a view leaves tens of parts unread (a column alone some twenty),
and recording each look-up as it reads (read/unread.py's `Reading`) made reading them
several times slower, for parts that are hardly ever compared. So their readers keep only
the element they read and how to read it again (`Later`), and the parts are found when
two versions of the component are compared, and only when their elements differ:
- equal when their entities are the same bytes in the two files (xmlio/spans.py), else
  when the two elements serialize to the same bytes;
- else the reader runs again over a copy of each element whose elements record every
  attribute and text it looks at (`Recorded`), and what it did not look at are the parts.

The copy is read by the same code as the original, so what counts as read cannot drift
from what the reader reads. A part is an attribute (`…/@name`) or the text of an element
without child elements (`…/Tag`); an element is named by its tag, told apart from its
siblings of that tag by a key attribute (`attribute[name]`, `cell[id]`, ...) else by its
position. A keyed child on one side only (a column added or removed) is the model's
change to report: its parts are left out.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from ..model.remainder import Change, Remainder, Unread, changed_parts
from ..xmlio.exported import Element
from ..xmlio.safe import new_parser
from ..xmlio.spans import EntitySpans, Span, column_spans, same_bytes, same_entity

# Reads a copy of the component's element again; gives what it leaves to other components.
Reader = Callable[[Element], Iterable[Element]]
Scope = tuple[EntitySpans, int]  # the entity the element is in: its file's spans, its index

# What each `Recorded` element was asked for while a reader runs in this thread (`asked`):
# attribute names, "" for its text, "*" for all its attributes; none while no reader runs.
_reading = threading.local()


class Recorded(etree.ElementBase):  # type: ignore[misc]  # lxml has no types
    """An element of a copy being read again: it notes each attribute and text asked of it."""

    def _note(self, what: str) -> None:
        asked = getattr(_reading, "asked", None)
        if asked is not None:
            asked.setdefault(self, set()).add(what)

    def get(self, key: Any, default: Any = None) -> Any:
        self._note(str(key))
        return super().get(key, default)

    @property
    def text(self) -> Any:
        self._note("")
        return etree.ElementBase.text.__get__(self)

    @property
    def attrib(self) -> Any:
        self._note("*")
        return etree.ElementBase.attrib.__get__(self)

    def items(self) -> Any:
        self._note("*")
        return super().items()

    def keys(self) -> Any:
        self._note("*")
        return super().keys()

    def values(self) -> Any:
        self._note("*")
        return super().values()


def _parser() -> etree.XMLParser:
    parser = new_parser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=Recorded))
    return parser


# Attributes that tell siblings of one tag apart, by tag (else their position tells them).
KEYS: dict[str, tuple[str, ...]] = {
    "attribute": ("PhysicalName", "name"),
    "cell": ("id", "name"),
    "control": ("id",),
    "tab": ("name", "id"),
    "section": ("name", "id"),
    "label": ("languagecode",),
    "LocalizedName": ("languagecode",),
    "LocalizedCollectionName": ("languagecode",),
    "Description": ("languagecode",),
    "displayname": ("languagecode",),
    "option": ("value",),
    "status": ("value",),
    "condition": ("attribute",),
    "order": ("attribute",),
    "Library": ("name",),
    "event": ("name",),
    "Handler": ("functionName",),
}


class Later(Remainder):
    """A remainder found when asked: `element` read again by `reader` (see above)."""

    __slots__ = ("element", "reader", "scope", "_found")

    def __init__(self, element: Element, reader: Reader, scope: Scope | None = None) -> None:
        super().__init__()
        self.element, self.reader, self.scope = element, reader, scope
        self._found: tuple[dict[str, str], set[str]] | None = None

    @property
    def parts(self) -> tuple[Unread, ...]:
        found, _ = self._read()
        return tuple(Unread(w, c) for w, c in sorted(found.items()))

    def changes(self, other: Remainder) -> list[Change]:
        if not isinstance(other, Later):
            return changed_parts(self.parts, other.parts)
        if self._same_bytes(other):
            return []
        return compare(self._read(), other._read())

    def _same_bytes(self, other: Later) -> bool:
        if self.scope and other.scope and same_entity(*self.scope, *other.scope):
            return True
        return _bytes(self.element) == _bytes(other.element)

    def _read(self) -> tuple[dict[str, str], set[str]]:
        if self._found is None:
            self._found = unread_of(self.element, self.reader)
        return self._found


Found = tuple[dict[str, str], set[str]]  # content by where; the keyed elements read


def compare(before: Found, after: Found) -> list[Change]:
    """The parts that differ, those inside a keyed element on one side only aside."""
    (old, keyed_old), (new, keyed_new) = before, after
    one_sided = keyed_old ^ keyed_new
    return [
        (where, old.get(where), new.get(where))
        for where in sorted(old.keys() | new.keys())
        if old.get(where) != new.get(where)
        and not (one_sided and any(k in one_sided for k in _keyed_steps(where)))
    ]


class TableLater(Later):
    """A table's remainder: its entity's, found column by column when the rest of the entity
    is the same bytes on both sides (a column is some twenty parts, and a changed table
    mostly differs in a column or two), else as for any element."""

    __slots__ = ("column_reader",)

    def __init__(self, element: Element, reader: Reader, scope: Scope, column: Reader) -> None:
        super().__init__(element, reader, scope)
        self.column_reader = column

    def changes(self, other: Remainder) -> list[Change]:
        if not isinstance(other, TableLater) or not (self.scope and other.scope):
            return super().changes(other)
        if same_entity(*self.scope, *other.scope):
            return []
        mine, theirs = self._columns(), other._columns()
        if (
            mine is None
            or theirs is None
            or not all(
                same_bytes(self.scope[0], m, other.scope[0], t)
                for m, t in zip(mine[0], theirs[0], strict=True)
            )
        ):
            return super().changes(other)
        out = []
        for name in sorted(mine[1].keys() & theirs[1].keys()):
            if not same_bytes(self.scope[0], mine[1][name], other.scope[0], theirs[1][name]):
                out += compare(self._column(name), other._column(name))
        return out

    def _columns(self) -> tuple[list[Span], dict[str, Span]] | None:
        assert self.scope is not None
        return column_spans(*self.scope, int(_COUNT(self.element)), self.others)

    @property
    def others(self) -> str:
        """The first of the entity's last children that are other components' (its forms,
        views and ribbon: not compared here), or "" when none or another follows them."""
        tags = [str(c.tag) for c in self.element if isinstance(c.tag, str)]
        first = next((i for i, t in enumerate(tags) if t in OTHERS), len(tags))
        return tags[first] if first < len(tags) and set(tags[first:]) <= OTHERS else ""

    def _column(self, name: str) -> Found:
        element = next(a for a in _ATTRIBUTES(self.element) if a.get("PhysicalName") == name)
        parts, keyed = unread_of(element, self.column_reader)
        prefix = f"{COLUMNS}attribute[{name}]"
        return (
            {f"{prefix}/{w}" if w else prefix: c for w, c in parts.items()},
            {f"{prefix}/{k}" for k in keyed} | {prefix},
        )


COLUMNS = "EntityInfo/entity/attributes/"  # where an entity's columns are
# An entity's parts other components are read from (forms, views, commands): not the table's.
OTHERS = {"FormXml", "SavedQueries", "RibbonDiffXml"}
_ATTRIBUTES = etree.XPath(COLUMNS + "attribute")
_COUNT = etree.XPath(f"count({COLUMNS}attribute)")


def _bytes(el: Element) -> bytes:
    return bytes(etree.tostring(el, with_tail=False))


def unread_of(element: Element, reader: Reader) -> tuple[dict[str, str], set[str]]:
    """What `reader` leaves unread of `element`: each part's content by where it is, and the
    where of every keyed element (`…/attribute[name]`)."""
    copy = etree.fromstring(_bytes(element), _parser())  # a parser per document and thread
    asked: dict[Any, set[str]] = {}
    _reading.asked = asked
    try:
        owned = set(reader(copy))
    finally:
        _reading.asked = None
    parts: dict[str, str] = {}
    keyed: set[str] = set()
    _walk(copy, "", asked, owned, parts, keyed)
    return parts, keyed


_NOTHING: frozenset[str] = frozenset()
_items, _get = etree.ElementBase.items, etree.ElementBase.get  # not noted: the walk's own
_text = etree.ElementBase.text.__get__


def _walk(
    el: Element,
    where: str,
    asked: dict[Any, set[str]],
    owned: set[Element],
    parts: dict[str, str],
    keyed: set[str],
) -> bool:
    """Adds `el`'s unread parts; whether the reader asked anything of it or below it."""
    got = asked.get(el, _NOTHING)
    attributes = _items(el)
    if attributes and "*" not in got:
        at = f"{where}/@" if where else "@"
        for name, value in attributes:
            if name not in got:
                parts[at + (name if "{" not in name else etree.QName(name).localname)] = value
    elements = list(el.iterchildren(etree.Element)) if len(el) else ()  # no comments
    if not elements:
        if "" not in got:
            text = _text(el)
            text = text.strip() if text else ""
            if text or not (got or attributes):
                parts[where] = text
        return bool(got)
    prefix = f"{where}/" if where else ""
    touched = bool(got)
    for kid, step, is_keyed in _steps(
        [c for c in elements if c not in owned] if owned else elements
    ):
        path = prefix + step
        if _walk(kid, path, asked, owned, parts, keyed):
            touched = True
            if is_keyed:  # a keyed element the reader read: the model's, when one-sided
                keyed.add(path)
    return touched


def _steps(children: list[Element]) -> list[tuple[Element, str, bool]]:
    """Each child with its step in a `where`, and whether a key attribute names it: the
    first of its tag's `KEYS` it has, else its position among its tag's siblings (none
    when it is the only one); a key two siblings share gets their order (`[key#2]`)."""
    tags = [c.tag for c in children]
    counts = Counter(tags) if len(set(tags)) < len(tags) else None
    out = []
    seen: dict[str, int] = {}
    taken: set[str] = set()
    for kid, tag in zip(children, tags, strict=True):
        seen[tag] = index = seen.get(tag, 0) + 1
        key = None
        for name in KEYS.get(tag, ()):
            key = _get(kid, name)
            if key:
                break
        if key:
            step, is_keyed = f"{tag}[{key}]", True
        else:
            step, is_keyed = (f"{tag}[{index}]" if counts and counts[tag] > 1 else tag), False
        if step in taken:
            step = f"{step[:-1]}#{index}]" if is_keyed else f"{step}#{index}"
        taken.add(step)
        out.append((kid, step, is_keyed))
    return out


def _keyed_steps(where: str) -> Iterable[str]:
    """The where of each element on the way to `where` (its prefixes ending in a step)."""
    at = where.find("]")
    while at >= 0:
        yield where[: at + 1]
        at = where.find("]", at + 1)


def kept(element: Element, reader: Reader, scope: Scope | None = None) -> Remainder:
    """`element`'s remainder as `reader` leaves it, found when asked (see above)."""
    return Later(element, reader, scope)
