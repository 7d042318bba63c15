"""What checking one target yields, and the XML layer every target kind shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..errors import BuildError, Diagnostic
from ..model import Project
from ..xmlio.safe import parse_xml
from .layout import Target

XML_SUFFIXES = (".xml", ".xaml")


@dataclass
class Outcome:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    project: Project | None = None  # the model, when one could be read: the rules run on it
    version: str | None = None  # the version the target declares (for --baseline)
    # The parsed XML the layers shared, held until the whole check is done: freeing a
    # large tree leaves glibc a million small blocks to merge at the next large
    # allocation (~50 ms for 20 MB), which the rules would pay; freed last, a process
    # about to exit mostly never does.
    trees: dict[str, etree._Element] = field(default_factory=dict, repr=False)

    def merge(self, other: Outcome) -> None:
        self.diagnostics.extend(other.diagnostics)
        self.version = self.version or other.version


def parse_entries(target: Target) -> tuple[dict[str, etree._Element], list[Diagnostic]]:
    """Every XML entry of `target` parsed safely: {entry: root} and the diagnostics. The
    whitespace between elements is dropped: nothing here is written back, and the tree of a
    large customizations.xml takes a third less memory (schema, drift and the model read
    see the same elements, texts and lines)."""
    roots: dict[str, etree._Element] = {}
    found: list[Diagnostic] = []
    for name, data in target.entries.items():
        if not name.lower().endswith(XML_SUFFIXES):
            continue
        try:
            roots[name] = parse_xml(data, target.name(name), blanks=False)
        except BuildError as error:
            found.extend(error.diagnostics)
    return roots, found


def child_text(root: etree._Element | None, *path: str) -> str | None:
    """The text of root/path[0]/path[1]/..., or None when an element is missing."""
    node = root
    for tag in path:
        node = node.find(tag) if node is not None else None
    return (node.text or "").strip() if node is not None else None
