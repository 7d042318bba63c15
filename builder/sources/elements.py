"""Small typed readers over an XSD-valid source element, shared by the source parsers.

The XSD has already checked every value, so these only convert: "true"/"1" to True,
"12" to 12, "a b" to ("a", "b"). Attribute names are the model's field names with '-'
for '_' (`max_length` is written `max-length`), as `model/mapping.py` declares; kinds on
the mapping are read by `mapped.load`, the rest still with these.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..errors import Diagnostic, diagnostic
from ..model import Src, stable_id
from ..xmlio.positions import element_start


@dataclass
class Source:
    """One parsed source file: its path relative to the source root and its root element."""

    file: str  # forward slashes, relative to the source root
    path: Path
    root: etree._Element
    data: bytes | None = None  # the file's bytes as parsed (else read again for `lines`)

    @cached_property
    def lines(self) -> list[str]:
        """The file's text lines, to tell where an element starts (`src`)."""
        if self.data is not None:
            return self.data.decode("utf-8", errors="replace").splitlines()
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []


@dataclass
class Context:
    """What parsers need besides their file: the default solution and a place for findings."""

    root: Path
    default_solution: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lenient: bool = False  # read past schema errors (validate reports all problems at once)
    complete: bool = True  # every source file was read (none lost to an error)

    def error(self, code: str, message: str, where: Src, hint: str = "") -> None:
        self.diagnostics.append(
            diagnostic(code, message, file=where.file, line=where.line, hint=hint)
        )


def src(source: Source, element: etree._Element) -> Src:
    """Where `element` is: the line of its `<tag`, not of the end of its start tag."""
    line = element.sourceline or 0
    return Src(source.file, element_start(source.lines, line, str(element.tag))[0])


def text(element: etree._Element, name: str, default: str = "") -> str:
    value = element.get(name)
    return default if value is None else str(value)


def flag(element: etree._Element, name: str, default: bool = False) -> bool:
    value = element.get(name)
    return default if value is None else value.strip() in ("true", "1")


def integer(element: etree._Element, name: str) -> int | None:
    value = element.get(name)
    return None if value is None else int(value)


def integer_or(element: etree._Element, name: str, default: int) -> int:
    value = integer(element, name)
    return default if value is None else value


def number(element: etree._Element, name: str) -> float | None:
    value = element.get(name)
    return None if value is None else float(value)


def words(element: etree._Element, name: str) -> tuple[str, ...]:
    return tuple(text(element, name).split())


def guid(element: etree._Element, name: str, *derive_from: str) -> uuid.UUID:
    """The explicit GUID in `name`, else one derived from the component's kind and names."""
    value = element.get(name)
    if value:
        return uuid.UUID(value.strip("{}"))
    return stable_id(*derive_from)


def solution(element: etree._Element, ctx: Context) -> str:
    """The solution a component belongs to: its own attribute, else the file root's."""
    own = element.get("solution")
    if own:
        return str(own)
    tree_root = element.getroottree().getroot()
    return text(tree_root, "solution", ctx.default_solution)


def children(element: etree._Element, tag: str) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str) and c.tag == tag]
