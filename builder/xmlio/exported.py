"""Small readers over Dataverse's exported XML, shared by the `read_*` modules.

Exports are not validated against anything: an element may be missing, empty, carry
`xsi:nil` or hold labels in many languages. These helpers never raise on such things; they
return a default, and label lookups prefer English (1033) then the first label found.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml import etree

from ..dataverse.languages import ENGLISH
from ..errors import Diagnostic, diagnostic

LCID = str(ENGLISH)
Element: TypeAlias = etree._Element


class Children:
    """An element's children by tag (the first of each), found in one pass over them. For
    an element asked for a dozen children or more (an `<attribute>`, an `<entity>`): each
    `child` starts lxml's filtered iteration anew (~1 us), a look-up here is a dict's.
    The helpers below take one wherever they take an element."""

    __slots__ = ("element", "first")

    def __init__(self, element: Element) -> None:
        self.element = element
        # in reverse, so that the first of several same-named children is the one kept
        self.first: dict[object, Element] = {c.tag: c for c in element.iterchildren(reversed=True)}


Node: TypeAlias = Element | Children | None


def kids(el: Node, tag: str) -> list[Element]:
    """The children of `el` named `tag` (comments and processing instructions skipped)."""
    found = el.element if isinstance(el, Children) else el
    return [] if found is None else list(found.iterchildren(tag))


def child(el: Node, tag: str) -> Element | None:
    """The first child named `tag` (lxml's own filtered iteration: `find` would go through
    its Python path engine, and the readers call this a hundred thousand times a zip)."""
    if el is None:
        return None
    if isinstance(el, Children):
        return el.first.get(tag) if "/" not in tag else el.element.find(tag)
    if "/" in tag:
        return el.find(tag)
    for found in el.iterchildren(tag):
        return found
    return None


def ctext(el: Node, tag: str, default: str = "") -> str:
    """The stripped text of the child `tag`, or `default` when it is missing or empty."""
    found = child(el, tag)
    value = (found.text or "").strip() if found is not None else ""
    return value or default


def cint(el: Node, tag: str) -> int | None:
    value = ctext(el, tag)
    try:
        return int(value) if value else None
    except ValueError:
        return None


def cnum(el: Node, tag: str) -> float | None:
    value = ctext(el, tag)
    try:
        return float(value) if value else None
    except ValueError:
        return None


def to_int(value: str | None, default: int = 0) -> int:
    """An integer attribute of an export, `default` when it is missing or not a number."""
    try:
        return int((value or "").strip())
    except ValueError:
        return default


def cbool(el: Node, tag: str, default: bool = False) -> bool:
    value = ctext(el, tag).lower()
    return default if not value else value in ("1", "true")


def pick_label(
    items: Iterable[Element], attr: str = "description", lang: str = "languagecode"
) -> str:
    """The English label among `items`, else the first one's."""
    first = None
    for item in items:
        if item.get(lang) == LCID:
            return item.get(attr) or ""
        if first is None:
            first = item
    return (first.get(attr) or "") if first is not None else ""


def localized(el: Node, container: str, item: str) -> str:
    """`<LocalizedNames><LocalizedName description=.. languagecode=..>`-style labels."""
    box = child(el, container)
    return "" if box is None else pick_label(box.iterchildren(item))


def labels_of(el: Node) -> str:
    """`<labels><label description=.. languagecode=..>`, the form and option set way."""
    return localized(el, "labels", "label")


def languages(el: Element) -> set[str]:
    """Every language code an element's labels use (more than one: a translated component)."""
    found = {str(x) for x in el.xpath(".//@languagecode | .//@LCID")}
    return found or {LCID}


def parse_guid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID((value or "").strip().strip("{}")) if value else None
    except ValueError:
        return None


def raw_xml(el: Element, *, indentation: bool = True) -> bytes:
    """One element as canonical bytes (exclusive C14N), so the same element read from a zip,
    from a `pac` folder or back from our own render compares equal; `indentation=False`
    leaves out the whitespace between elements too, so a re-indented element compares equal."""
    clone = copy.deepcopy(el)
    clone.tail = None
    if not indentation:
        strip_indentation(clone)
    return bytes(etree.tostring(clone, method="c14n", exclusive=True, with_comments=False))


def strip_indentation(root: Element) -> None:
    """Drop whitespace-only text between elements (indentation, which import ignores)."""
    for el in root.iter():
        if len(el) and el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """A file-name-safe form of a component name."""
    cleaned = _UNSAFE.sub("_", text.strip()).strip("._")
    return cleaned[:100] or "item"


@dataclass
class Findings:
    """Warnings collected while reading one solution (things kept as-is, things not read)."""

    file: str
    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, code: str, message: str, where: str = "", hint: str = "") -> None:
        self.items.append(
            diagnostic(code, message, file=where or self.file, hint=hint, severity="warning")
        )
