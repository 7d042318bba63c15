"""What collecting one solution's zip entries gathers: the model components found so far, the
raw parts kept as exported, and the names taken. Shared by `collect` and `collect_data`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import RawPart
from ..model.kinds import BY_FIELD, sort_components
from ..xmlio.exported import Element, Findings, raw_xml, slug

Entries = dict[str, bytes]
Maker = Callable[[], RawPart]
FallbackArgs = tuple[str, str, tuple[Maker, ...], tuple[str, ...]]


@dataclass
class Collected:
    solution: str
    findings: Findings
    # Project field -> the components of that kind found so far, in the kind's order
    components: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    languages: Any = None  # the <Languages> element of customizations.xml
    fallbacks: list[FallbackArgs] = field(default_factory=list)
    raw: list[RawPart] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # zip entries read into the model
    names: set[tuple[str, str]] = field(default_factory=set)  # (section, file) taken
    unread: int = 0  # tables left unread: alike on both sides of a comparison
    twin_views: dict[Any, str] = field(default_factory=dict)  # their views' names, by id

    def put(self, kind: str, items: Iterable[Any]) -> None:
        """The components of one kind (a `Project` field), sorted the way loading sorts them."""
        self.components[kind] = sort_components(BY_FIELD[kind], items)

    def get(self, kind: str) -> tuple[Any, ...]:
        return self.components.get(kind, ())

    def keep_raw(self, section: str, path: str, content: bytes) -> RawPart:
        part = RawPart(path, content, section, self.solution)
        self.raw.append(part)
        return part

    def file_name(self, section: str, name: str) -> str:
        """A file name for an element of `section`, unique in it."""
        base = slug(name)
        number, file = 1, f"{base}.xml"
        while (section, file) in self.names:
            number += 1
            file = f"{base}-{number}.xml"
        self.names.add((section, file))
        return file

    def section_part(self, section: str, el: Element, name: str) -> RawPart:
        """One element of a customizations.xml section, as a raw part."""
        return RawPart(self.file_name(section, name), raw_xml(el), section, self.solution)

    def lazy_part(self, section: str, el: Element, name: str) -> Maker:
        """`section_part`, named now but serialized only when asked for."""
        file, solution = self.file_name(section, name), self.solution
        return lambda: RawPart(file, raw_xml(el), section, solution)
