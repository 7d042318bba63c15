"""The frame of an exported solution: what the model does not hold about the solution as a
whole, carried from `unpack` to `build` and merged with what the model renders.

`unpack` of a Dataverse export keeps three zip entries under `raw/<Solution>/entries/`:

- `solution.xml`, as exported: the build takes it as it is (publisher, names, root
  components, missing dependencies, ImportExportXml attributes), stamps the version and
  the managed flag and takes what `project.xml` changed (`HELD_BY_SOURCES`). Its root
  components are those the sources do not give exactly so (`unpack` trims the others):
  the build adds the sources' own, so a component removed from the sources leaves.
- `customizations.xml`, as exported, with every component `unpack` carries elsewhere (as a
  source file or a raw part) replaced by a placeholder `<voicepkg-part digest=... />`: it
  keeps the sections, their order and attributes, `Languages`, and the order of the
  components. The build puts each rendered component where its placeholder is (matched by
  the digest of its canonical XML; a component changed since, or new, goes at the end of its
  section) and drops rendered elements the frame already holds verbatim.
- `[Content_Types].xml`, as exported: parts the frame gives no content type get the one
  the build would have given them; overrides of parts that are gone are dropped.

The same holds for one record-shaped entry (an environment variable, a multisession row, a
custom API part): a raw entry at the path the build also renders is that row as exported,
and `merge_record` keeps its columns the model does not write (say `msdyn_theme`), in the
exported order, with the model's value for every column the build writes.

A solution without a frame (our own sources) renders exactly as before.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from lxml import etree

from ..dataverse.languages import ENGLISH
from ..dataverse.solution_parts import CONTENT_TYPES
from ..xmlio.exported import raw_xml
from ..xmlio.safe import parse_xml

PLACEHOLDER = "voicepkg-part"
FRAME_ENTRIES = ("solution.xml", "customizations.xml", CONTENT_TYPES)
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"

Element: TypeAlias = etree._Element


def digest(el: Element) -> str:
    """The identity of a component element: sha256 of its exclusive canonical XML (the same
    wherever the element stands), indentation aside."""
    return hashlib.sha256(raw_xml(el, indentation=False)).hexdigest()[:24]


def apply_frame(
    entries: dict[str, bytes], frames: Mapping[str, bytes], extra: Sequence[tuple[str, bytes]] = ()
) -> dict[str, bytes]:
    """`entries` as rendered, merged into the solution's frame entries (see the module doc).
    `extra`: (section, element) kept verbatim for sections the render does not write."""
    out = dict(entries)
    if "solution.xml" in frames and "solution.xml" in out:
        out["solution.xml"] = merge_manifest(out["solution.xml"], frames["solution.xml"])
    if "customizations.xml" in frames and "customizations.xml" in out:
        out["customizations.xml"] = merge_customizations(
            out["customizations.xml"], frames["customizations.xml"], extra
        )
    if CONTENT_TYPES in frames:
        out[CONTENT_TYPES] = merge_content_types(out, frames[CONTENT_TYPES])
    return out


def _serialize(root: Element) -> bytes:
    return b"\xef\xbb\xbf" + bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


# --- solution.xml --------------------------------------------------------------------------


def merge_manifest(rendered: bytes, frame: bytes) -> bytes:
    ours, root = parse_xml(rendered, "solution.xml"), parse_xml(frame, "frame solution.xml")
    for tag in ("Version", "Managed"):
        mine, theirs = ours.find(f"SolutionManifest/{tag}"), root.find(f"SolutionManifest/{tag}")
        if mine is not None and theirs is not None and not _same_value(tag, mine, theirs):
            theirs.text = mine.text
    for path, attribute in HELD_BY_SOURCES:
        _take_edit(ours.find(path), root.find(path), attribute)
    held = root.find("SolutionManifest/RootComponents")
    if held is not None:
        known = {_root_key(r) for r in held}
        for item in ours.iterfind("SolutionManifest/RootComponents/RootComponent"):
            if _root_key(item) not in known:
                held.append(item)
    return _serialize(root)


_EN = f"[@languagecode='{ENGLISH}']"
# What project.xml says about the solution and its publisher: an edit there wins over the
# frame (unpack wrote project.xml from the frame, so unedited values agree).
HELD_BY_SOURCES: tuple[tuple[str, str], ...] = tuple(
    (f"SolutionManifest/{path}", attribute)
    for path, attribute in (
        ("UniqueName", ""),
        (f"LocalizedNames/LocalizedName{_EN}", "description"),
        (f"Descriptions/Description{_EN}", "description"),
        ("Publisher/UniqueName", ""),
        (f"Publisher/LocalizedNames/LocalizedName{_EN}", "description"),
        (f"Publisher/Descriptions/Description{_EN}", "description"),
        ("Publisher/EMailAddress", ""),
        ("Publisher/SupportingWebsiteUrl", ""),
        ("Publisher/CustomizationPrefix", ""),
        ("Publisher/CustomizationOptionValuePrefix", ""),
    )
)


def _take_edit(mine: Element | None, theirs: Element | None, attribute: str) -> None:
    if mine is None or theirs is None:
        return
    if attribute:
        if (mine.get(attribute) or "").strip() != (theirs.get(attribute) or "").strip():
            theirs.set(attribute, mine.get(attribute) or "")
    elif (mine.text or "").strip() != (theirs.text or "").strip():
        theirs.text = mine.text


def _same_value(tag: str, mine: Element, theirs: Element) -> bool:
    """The exported text stays when it means what the build stamps ("1.1" is 1.1.0.0)."""
    a, b = (mine.text or "").strip(), (theirs.text or "").strip()
    if tag == "Version":
        return _four(a) == _four(b)
    return a == b


def _four(version: str) -> list[str]:
    parts = version.split(".")
    return parts + ["0"] * (4 - len(parts))


def _root_key(el: Element) -> tuple[str, str]:
    name = el.get("id") or el.get("schemaName") or ""
    return el.get("type", ""), name.strip("{}").lower()


# --- customizations.xml --------------------------------------------------------------------


def merge_customizations(
    rendered: bytes, frame: bytes, extra: Sequence[tuple[str, bytes]] = ()
) -> bytes:
    ours = parse_xml(rendered, "customizations.xml")
    for name, data in extra:
        section = ours.find(name)
        if section is None:
            section = etree.SubElement(ours, name)
        section.append(parse_xml(data, f"{name} part"))
    root = parse_xml(frame, "frame customizations.xml")
    sections = {str(s.tag): s for s in root if isinstance(s.tag, str)}
    for section in (s for s in ours if isinstance(s.tag, str)):
        held = sections.get(str(section.tag))
        if held is None:
            if _holds_components(section):
                _insert_section(root, section)
            continue
        _fill(held, [c for c in section if isinstance(c.tag, str)])
    for stale in root.iter(PLACEHOLDER):  # a component removed from the sources
        parent = stale.getparent()
        if parent is not None:
            parent.remove(stale)
    return _serialize(root)


def _fill(held: Element, rendered: list[Element]) -> None:
    slots: dict[str, list[Element]] = {}
    for item in held:
        if not isinstance(item.tag, str):
            continue
        key = item.get("digest", "") if item.tag == PLACEHOLDER else digest(item)
        slots.setdefault(key, []).append(item)
    for item in rendered:
        free = slots.get(digest(item))
        if not free:
            held.append(item)
            continue
        slot = free.pop(0)
        if slot.tag == PLACEHOLDER:
            item.tail = slot.tail
            held.replace(slot, item)


def _holds_components(section: Element) -> bool:
    """A section worth adding to a frame that lacks it: not empty, and not the empty
    application ribbon every render writes."""
    if section.tag == "RibbonDiffXml":
        busy = "./CustomActions/* | ./CommandDefinitions/* | ./LocLabels/* | ./RuleDefinitions/*/*"
        return bool(section.xpath(busy + " | ./Templates/RibbonTemplates/*"))
    return len(section) > 0


def _insert_section(root: Element, section: Element) -> None:
    languages = root.find("Languages")
    if languages is not None:
        languages.addprevious(section)
    else:
        root.append(section)


# --- [Content_Types].xml ---------------------------------------------------------------


def merge_content_types(entries: Mapping[str, bytes], frame: bytes) -> bytes:
    root = parse_xml(frame, f"frame {CONTENT_TYPES}")
    parts = {"/" + p.lower(): "/" + p for p in entries if p != CONTENT_TYPES}
    for override in list(root.iter(_CT + "Override")):
        if (override.get("PartName") or "").lower() not in parts:
            root.remove(override)
    defaults = {(d.get("Extension") or "").lower() for d in root.iter(_CT + "Default")}
    overrides = {(o.get("PartName") or "").lower() for o in root.iter(_CT + "Override")}
    rendered = parse_xml(entries.get(CONTENT_TYPES, b"<Types/>"), CONTENT_TYPES)
    theirs = {(d.get("Extension") or "").lower(): d for d in rendered.iter(_CT + "Default")}
    theirs |= {(o.get("PartName") or "").lower(): o for o in rendered.iter(_CT + "Override")}
    for part in sorted(set(parts) - overrides):
        extension = posixpath.splitext(part)[1].lstrip(".")
        if extension and extension in defaults:
            continue
        given = theirs.get(extension) if extension else theirs.get(part)
        if given is None:
            continue  # the build gives it none either
        root.append(given)
        if extension:
            defaults.add(extension)
        else:
            overrides.add(part)
    return _serialize(root)


# --- one record-shaped entry -------------------------------------------------------------


# Columns every row gets from the render, not from the model: the exported value stays.
UNHELD_COLUMNS = frozenset({"introducedversion", "iscustomizable", "statecode", "statuscode"})


def merge_record(rendered: bytes, exported: bytes, path: str) -> bytes:
    """The exported row with the model's columns put in: a column the build writes takes
    the exported one's place (or goes last); the others, and the columns the render fills
    with a default rather than from the model (`UNHELD_COLUMNS`), stay as exported."""
    ours, root = parse_xml(rendered, path), parse_xml(exported, f"exported {path}")
    for name, value in ours.attrib.items():
        root.set(name, value)
    held = {str(c.tag): c for c in root if isinstance(c.tag, str)}
    for column in [c for c in ours if isinstance(c.tag, str)]:
        old = held.get(str(column.tag))
        if old is None:
            root.append(column)
        elif column.tag not in UNHELD_COLUMNS:
            column.tail = old.tail
            root.replace(old, column)
    return _serialize(root)
