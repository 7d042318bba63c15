"""Where each `<Entity>` of a customizations.xml lies in the bytes it was parsed from, so two
exports' entities can be told equal by comparing bytes, at memory speed, instead of
serializing both trees (some 30 ms for a 16 MB file).

Found on first use, by one pass of `bytes.find` over the file: the entities follow one
another with the same separator (`</Entity>`, the whitespace between, `<Entity>`). The
spans are used only when they check out: as many as there are `<Entity>` elements, each
starting with the name its element has. Anything else (a comment between two entities, an
entity with attributes) gives no spans, and the caller compares the elements themselves.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .exported import Element, ctext

_OPEN, _CLOSE = b"<Entity>", b"</Entity>"
Span = tuple[int, int]  # start, end


class EntitySpans:
    """The byte span of each of `entities` (the `<Entity>` elements of the document, in
    order) in `data` (the document's bytes)."""

    __slots__ = ("data", "entities", "_starts", "_names", "_partner", "_same")

    def __init__(
        self, data: bytes, entities: list[Element], starts: list[int] | None = None
    ) -> None:
        """`starts`: where each entity starts, when known already (read/twins.py checks
        them its own way)."""
        self.data, self.entities = data, entities
        known = starts is not None and len(starts) == len(entities) and len(entities) > 0
        self._starts: list[int] | None = starts if known else None
        self._names: list[str] = []
        self._partner: EntitySpans | None = None  # the file compared with, and the answers
        self._same: dict[tuple[int, int], bool] = {}

    def span(self, index: int, hint: EntitySpans | None = None) -> Span | None:
        """Where the entity starts and where the next one does (the end, for the last), or
        None when the spans did not check out. `hint`: another file's spans, whose entity
        of the same name is likely the same length (a guess `_starts` checks)."""
        if self._starts is None:
            self._names = [ctext(e, "Name") if not e.attrib else "" for e in self.entities]
            lengths = hint.lengths() if hint is not None else {}
            self._starts = _starts(self.data, self._names, lengths) or []
        if not self._starts:
            return None
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.data)
        return self._starts[index], end

    def lengths(self) -> dict[str, int]:
        """Each entity's span's length, by its name (none when the spans did not check out)."""
        if not self.span(0):
            return {}
        assert self._starts
        if not self._names:
            self._names = [ctext(e, "Name") if not e.attrib else "" for e in self.entities]
        ends = [*self._starts[1:], len(self.data)]
        return {n: e - s for n, s, e in zip(self._names, self._starts, ends, strict=True)}


def same_entity(a: EntitySpans, i: int, b: EntitySpans, j: int) -> bool:
    """Whether entity `i` of `a` and entity `j` of `b` are the same bytes (False: unknown).
    A table, its forms and its views each ask this of the same two entities: the answers
    are kept (for the last file `a` was compared with)."""
    if a._partner is not b:
        a._partner, a._same = b, {}
    known = a._same.get((i, j))
    if known is None:
        mine, theirs = a.span(i), b.span(j, hint=a)
        known = mine is not None and theirs is not None and same_bytes(a, mine, b, theirs)
        a._same[i, j] = known
    return known


def _starts(data: bytes, names: list[str], lengths: dict[str, int]) -> list[int] | None:
    """Each entity's start (`names`: the entities' names, "" for one that cannot be told):
    found by the separator between two entities (with the start of the `<Name>` that comes
    first in an entity: a longer needle is found faster), or, where the entity before is
    as long as `lengths` says its namesake is, at the end of that length; each start checked
    by the name that follows it."""
    first = data.find(_OPEN)
    if first < 0 or not names or not _named(data, first, names[0]):
        return None
    starts = [first]
    if len(names) > 1:
        end = data.find(_CLOSE, first)
        following = data.find(_OPEN, end) if end >= 0 else -1
        gap = data[end + len(_CLOSE) : following] if following >= 0 else b"x"
        if gap.strip():
            return None
        short = _CLOSE + gap + _OPEN
        long = _longer(data, end, following) or short
        at = first
        for before, name in zip(names, names[1:], strict=False):
            guess = at + lengths.get(before, 0)
            if not (
                guess > at
                and data.startswith(short, guess - len(short) + len(_OPEN))
                and _named(data, guess, name)
            ):
                guess = _next(data, at, (long, short), name)
                if guess < 0:
                    return None
            starts.append(guess)
            at = guess
    return starts


def _longer(data: bytes, end: int, following: int) -> bytes:
    """The separator from `</Entity>` (at `end`) on to the first quote of the next entity's
    `<Name …="` (the entity at `following`), or b"" when it does not start so."""
    name = data.find(b"<", following + len(_OPEN))
    quote = data.find(b'"', name, name + 100) if data.startswith(b"<Name ", name) else -1
    return data[end : quote + 1] if quote > 0 else b""


def _next(data: bytes, at: int, separators: tuple[bytes, bytes], name: str) -> int:
    """The start of the entity `name` after `at`, found by the first of `separators` that
    finds it (-1: neither)."""
    for separator in separators:
        found = data.find(separator, at)
        start = found + separator.index(_OPEN)
        if found >= 0 and _named(data, start, name):
            return start
    return -1


def _named(data: bytes, start: int, name: str) -> bool:
    """Whether the entity starting at `start` carries the name `name` first thing."""
    if not name:
        return False
    marker = (">" + escape(name) + "</Name>").encode("utf-8")
    return data.find(marker, start, start + 1024) >= 0


_ATTRIBUTES, _ATTRIBUTES_END = b"<attributes>", b"</attributes>"
_ATTRIBUTE = b'<attribute PhysicalName="'


def column_spans(
    spans: EntitySpans, index: int, count: int, tail: str = ""
) -> tuple[list[Span], dict[str, Span]] | None:
    """Entity `index`'s bytes in two: the spans outside its `<attributes>` run (and before
    its child `tail` on, when given: the entity's last children, which are not the
    table's), and the span of each of its `count` `<attribute>` elements by PhysicalName.
    None when they do not check out (`count` of them, each named, no name twice)."""
    whole = spans.span(index)
    if whole is None:
        return None
    data, (start, end) = spans.data, whole
    opened = data.find(_ATTRIBUTES, start, end)
    closed = data.find(_ATTRIBUTES_END, opened, end) if opened >= 0 else -1
    if closed < 0:
        return None
    starts = []
    at = data.find(_ATTRIBUTE, opened, closed)
    while at >= 0:
        starts.append(at)
        at = data.find(_ATTRIBUTE, at + len(_ATTRIBUTE), closed)
    if not starts or len(starts) != count:
        return None
    by_name: dict[str, Span] = {}
    for at, after in zip(starts, [*starts[1:], closed], strict=True):
        named = at + len(_ATTRIBUTE)
        name = data[named : data.find(b'"', named, after)].decode("utf-8", "replace")
        if not name or "&" in name or name in by_name:
            return None
        by_name[name] = (at, after)
    if tail:
        end = data.find(b"<" + tail.encode("utf-8"), closed, end)
        if end < 0:
            return None
    return [(start, starts[0]), (closed, end)], by_name


def same_bytes(a: EntitySpans, mine: Span, b: EntitySpans, theirs: Span) -> bool:
    """Whether span `mine` of `a`'s file and span `theirs` of `b`'s hold the same bytes."""
    if mine[1] - mine[0] != theirs[1] - theirs[0]:
        return False
    return a.data.startswith(memoryview(b.data)[theirs[0] : theirs[1]], mine[0])
