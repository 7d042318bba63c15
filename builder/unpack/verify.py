"""`unpack`'s proof that its sources rebuild the solution as it was exported.

Two things travel beside the source files:
- the solution's frame (`render/frame.py`): `solution.xml`, the skeleton of
  `customizations.xml` and `[Content_Types].xml` as exported, for what belongs to no
  component (root components, missing dependencies, languages, section order, ...);
- every component the model holds is rendered from the candidate sources and compared with
  its exported elements and files (canonical XML). A component the render does not
  reproduce is kept as exported (`raw/`), named in a warning with the first part that
  differs. That is the one remainder rule: what the sources cannot say, the export keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..dataverse.solution_parts import CONTENT_TYPES
from ..model import Project, RawPart
from ..read.solution import Fallback, SolutionRead
from ..render.frame import PLACEHOLDER, digest
from ..xmlio.exported import Element, strip_indentation
from ..xmlio.safe import parse_xml

Entries = dict[str, bytes]
Key = tuple[str, str]
CUSTOMIZATIONS = "customizations.xml"


@dataclass(frozen=True)
class Mismatch:
    key: Key
    part: str  # the part of the component the render does not reproduce


def part_digest(part: RawPart) -> str:
    return digest(parse_xml(part.content, part.path))


def consumed(read: SolutionRead) -> set[str]:
    """Digests of every customizations.xml element unpack carries outside the frame."""
    parts = [p for f in read.alternates for p in f.parts if p.section]
    parts += [p for p in read.project.raw_parts if p.section]
    return {part_digest(p) for p in parts}


def frame_parts(read: SolutionRead) -> list[RawPart]:
    """The frame entries of each solution read (see `render/frame.py`)."""
    taken = consumed(read)
    out = []
    for solution, entries in read.originals:
        out.append(RawPart("solution.xml", entries["solution.xml"], "", solution))
        out.append(RawPart(CUSTOMIZATIONS, _skeleton(entries[CUSTOMIZATIONS], taken), "", solution))
        if CONTENT_TYPES in entries:
            out.append(RawPart(CONTENT_TYPES, entries[CONTENT_TYPES], "", solution))
    return out


def _skeleton(data: bytes, taken: set[str]) -> bytes:
    root = parse_xml(data, CUSTOMIZATIONS)
    for section in (s for s in root if isinstance(s.tag, str)):
        for item in (c for c in section if isinstance(c.tag, str)):
            key = digest(item)
            if key in taken:
                slot = etree.Element(PLACEHOLDER, of=str(item.tag), digest=key)
                slot.tail = item.tail
                section.replace(item, slot)
    return b"\xef\xbb\xbf" + bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


# --- checking the candidate sources ------------------------------------------------------


def load_files(files: Entries) -> Project:
    """Candidate source files loaded the way `build` loads them."""
    from ..interrupts import temporary_folder
    from ..sources.load import load_project
    from .tree import write_tree

    with temporary_folder("voicepkg-unpack-") as tmp:
        write_tree(tmp / "src", files, force=False)
        return load_project(tmp / "src")


def mismatches(read: SolutionRead, project: Project) -> list[Mismatch]:
    """The components whose sources (loaded as `project`) do not rebuild as exported."""
    from ..render import render_solution

    found = []
    for solution, original in read.originals:
        rendered = render_solution(project, solution, read.managed)
        sections = _section_digests(rendered.get(CUSTOMIZATIONS, b"<x/>"))
        mine = [a for a in read.alternates if not a.parts or a.parts[0].solution == solution]
        for alternate in mine:
            missing = _first_unmatched(alternate, rendered, sections)
            if missing:
                found.append(Mismatch((alternate.kind, alternate.key), missing))
        found += _additions(original, rendered, mine)
    return found


def rebuilds_whole(read: SolutionRead, project: Project) -> bool:
    """Whether the sources (loaded as `project`) rebuild every entry of every solution read
    as exported, frame included: then they need no frame beside them (our own zips)."""
    from ..render import render_solution

    for solution, original in read.originals:
        rendered = render_solution(project, solution, read.managed)
        if set(rendered) != set(original):
            return False
        if not all(same_entry(p, original[p], rendered[p]) for p in original):
            return False
    return True


def _additions(original: Entries, rendered: Entries, alternates: list[Fallback]) -> list[Mismatch]:
    """What the build adds that the export lacks: root components and zip entries, each
    charged to the component it names (key ("", "") when none does)."""
    owners = {a.key.lower(): (a.kind, a.key) for a in alternates}
    out = []
    for kind, name in sorted(_roots(rendered) - _roots(original)):
        owner = owners.get(name, ("", ""))
        out.append(Mismatch(owner, f"solution.xml: root component type {kind} {name}"))
    for path in sorted(set(rendered) - set(original)):
        parts = path.split("/")
        owner = owners.get(parts[1].lower(), ("", "")) if len(parts) > 2 else ("", "")
        out.append(Mismatch(owner, path))
    return out


def _roots(entries: Entries) -> set[tuple[str, str]]:
    manifest = parse_xml(entries["solution.xml"], "solution.xml")
    return {
        (r.get("type", ""), (r.get("schemaName") or r.get("id") or "").strip("{}").lower())
        for r in manifest.iter("RootComponent")
    }


def _section_digests(data: bytes) -> dict[str, set[str]]:
    root = parse_xml(data, CUSTOMIZATIONS)
    return {
        str(s.tag): {digest(c) for c in s if isinstance(c.tag, str)}
        for s in root
        if isinstance(s.tag, str)
    }


def _first_unmatched(alternate: Fallback, rendered: Entries, sections: dict[str, set[str]]) -> str:
    for part in alternate.parts:
        if part.section:
            if part_digest(part) not in sections.get(part.section, set()):
                return f"{part.section}/{part.path}"
        elif not same_entry(part.path, part.content, rendered.get(part.path)):
            return part.path
    return ""


def same_entry(path: str, exported: bytes, built: bytes | None) -> bool:
    """The same bytes, or for XML the same canonical XML (indentation aside)."""
    if built is None:
        return False
    if exported == built:
        return True
    if not path.lower().endswith(".xml"):
        return False
    return _canonical(exported, path) == _canonical(built, path)


def _canonical(data: bytes, path: str) -> bytes:
    root = parse_xml(data, path)
    strip_indentation(root)
    return bytes(etree.tostring(root, method="c14n", with_comments=False))


def trim_roots(frame: RawPart, project: Project, managed: bool) -> RawPart:
    """The frame's solution.xml without the root components the sources give exactly so:
    those come from the sources when built (and go when the component is removed); the
    others (components kept as exported, another behavior) stay in the frame."""
    from ..render.manifest import render_solution_xml

    solution = project.solution(frame.solution)
    if solution is None:
        return frame
    ours = parse_xml(render_solution_xml(project, solution, managed), "solution.xml")
    given = {_canonical_root(r) for r in ours.iter("RootComponent")}
    root = parse_xml(frame.content, frame.path)
    for item in list(root.iter("RootComponent")):
        parent = item.getparent()
        if _canonical_root(item) in given and parent is not None:
            parent.remove(item)
    content = b"\xef\xbb\xbf" + bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return RawPart(frame.path, content, frame.section, frame.solution)


def _canonical_root(el: Element) -> tuple[str, str, str]:
    key = (el.get("schemaName") or el.get("id") or "").strip("{}").lower()
    return el.get("type", ""), key, el.get("behavior", "0")
