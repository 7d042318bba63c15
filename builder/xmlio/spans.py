"""Where each `<Entity>` of a customizations.xml lies in the bytes it was parsed from, so two
exports' entities can be told equal by comparing bytes, at memory speed, instead of
serializing both trees (some 30 ms for a 16 MB file). `read/twins.py` compares whole
entities so before reading them, `read/kept.py` before working out their remainders.

An entity's text is its file's bytes from its start tag to the next entity's (the last: to
the end of the file). Two equal texts are two equal elements when every `<Entity` from the
first one on starts one of them: the file has no comment, CDATA section or processing
instruction from there on (whose text could hold one), and as many as lxml sees entities.
Anything else gives no starts, and the caller compares the elements themselves. (lxml's
line numbers would say where each starts, but past line 65,535 libxml2 gives only an
estimate.)
"""

from __future__ import annotations

import re

from .exported import Element

_START = re.compile(rb"<Entity[ \t\r\n/>]")
_RARE = 10_000  # `!` or `?` in a file's text (URLs, labels) looked at before giving up on it
Span = tuple[int, int]  # start, end


class EntitySpans:
    """The byte span of each of `entities` (the `<Entity>` elements of the document, in
    order) in `data` (the document's bytes)."""

    __slots__ = ("data", "entities", "_starts", "_partner", "_same")

    def __init__(
        self, data: bytes, entities: list[Element], starts: list[int] | None = None
    ) -> None:
        """`starts`: `entity_starts`' answer for this document, when found already."""
        self.data, self.entities = data, entities
        self._starts = starts
        self._partner: EntitySpans | None = None  # the file compared with, and the answers
        self._same: dict[tuple[int, int], bool] = {}

    def span(self, index: int) -> Span | None:
        """Where the entity starts and where the next one does (the end, for the last), or
        None when the bytes do not show where the entities start."""
        if self._starts is None:
            self._starts = entity_starts(self.data, len(self.entities))
        if not self._starts:
            return None
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.data)
        return self._starts[index], end


def same_entity(a: EntitySpans, i: int, b: EntitySpans, j: int) -> bool:
    """Whether entity `i` of `a` and entity `j` of `b` are the same bytes (False: unknown).
    A table, its forms and its views each ask this of the same two entities: the answers
    are kept (for the last file `a` was compared with)."""
    if a._partner is not b:
        a._partner, a._same = b, {}
    known = a._same.get((i, j))
    if known is None:
        mine, theirs = a.span(i), b.span(j)
        known = mine is not None and theirs is not None and same_bytes(a, mine, b, theirs)
        a._same[i, j] = known
    return known


def entity_starts(data: bytes, count: int) -> list[int]:
    """Where each of the document's `count` `<Entity>` elements starts in `data`, in order;
    none when the bytes do not show it (module docstring): another `<Entity` inside one or
    elsewhere in the file, or a comment, CDATA section or processing instruction after the
    first one."""
    starts = [m.start() for m in _START.finditer(data)]
    if not starts or len(starts) != count or _declarations_after(data, starts[0]):
        return []
    return starts


def _declarations_after(data: bytes, start: int) -> bool:
    """Whether a comment, CDATA section or processing instruction (whose text may look
    like a tag) could follow `start`: a `<!` or `<?`. Both characters are rare in
    Dataverse's files, so each is looked for alone (a two-byte search would stop at every
    `<`); after many of them this gives up and says yes."""
    for mark in (b"!", b"?"):
        at, seen = data.find(mark, start), 0
        while at >= 0:
            if data[at - 1 : at] == b"<" or seen == _RARE:
                return True
            at, seen = data.find(mark, at + 1), seen + 1
    return False


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
