"""Are two solution zips the same solution? A comparison that owes nothing to `builder/`.

It reads the zips with `zipfile` and compares them part by part:

- the same entry names (exact, case included);
- the same content type for every part: an `Override` for the part (part names compared
  case-insensitively, as OPC says) else the `Default` of its extension;
- `solution.xml`: `RootComponents` and `MissingDependencies` as sets of their canonical
  child elements, the rest of the manifest as canonical XML;
- every other part whose name ends in `.xml`: canonical XML (C14N 1.0 through lxml);
- every other part: the same bytes.

Canonical XML already makes attribute order, quoting, empty-element form, CDATA versus
escaped text, the XML declaration and the byte encoding (with or without a BOM) irrelevant.
The one normalisation on top: whitespace-only text between elements is dropped (the
indentation; a Dataverse export and `pac` differ in it and import ignores it). Whitespace
inside a text value, element order and comments all count.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Mapping

from lxml import etree

Entries = Mapping[str, bytes]
CONTENT_TYPES = "[Content_Types].xml"
_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SETS = ("RootComponents", "MissingDependencies")


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}


def differences(old: Entries, new: Entries) -> list[str]:
    """What differs between two solutions' zip entries (empty: the same solution)."""
    found = [f"only in the original: {p}" for p in sorted(set(old) - set(new))]
    found += [f"only in the rebuilt zip: {p}" for p in sorted(set(new) - set(old))]
    found += _content_type_differences(old, new)
    for path in sorted(set(old) & set(new) - {CONTENT_TYPES}):
        found += [f"{path}: {d}" for d in _part_differences(path, old[path], new[path])]
    return found


def content_types(entries: Entries) -> dict[str, str | None]:
    """Each part's content type (None: the package gives it none)."""
    types = _parse(entries.get(CONTENT_TYPES, b"<Types/>"))
    defaults = {
        (d.get("Extension") or "").lower(): d.get("ContentType")
        for d in types.iter(_NS + "Default")
    }
    overrides = {
        (o.get("PartName") or "").lower(): o.get("ContentType")
        for o in types.iter(_NS + "Override")
    }
    out: dict[str, str | None] = {}
    for path in entries:
        if path == CONTENT_TYPES:
            continue
        extension = posixpath.splitext(path)[1].lstrip(".").lower()
        out[path] = overrides.get(
            "/" + path.lower(), defaults.get(extension) if extension else None
        )
    return out


def _content_type_differences(old: Entries, new: Entries) -> list[str]:
    before, after = content_types(old), content_types(new)
    return [
        f"{path}: content type {before[path]!r} became {after[path]!r}"
        for path in sorted(set(before) & set(after))
        if before[path] != after[path]
    ]


def _part_differences(path: str, old: bytes, new: bytes) -> list[str]:
    if old == new:
        return []
    if not path.lower().endswith(".xml"):
        return [f"bytes differ ({len(old)} and {len(new)} bytes)"]
    before, after = _parse(old), _parse(new)
    found = []
    if path == "solution.xml":
        for name in _SETS:
            gone, added = _as_set(before, name), _as_set(after, name)
            found += [f"{name} lost {item}" for item in sorted(gone - added)]
            found += [f"{name} gained {item}" for item in sorted(added - gone)]
    first = _first_difference(canonical(before), canonical(after))
    return found + ([first] if first else [])


def canonical(root: etree._Element) -> str:
    return etree.tostring(root, method="c14n").decode("utf-8")


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    for el in root.iter():
        if len(el) and el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    return root


def _as_set(root: etree._Element, name: str) -> set[str]:
    """The children of every `name` element, canonical, as a set; the elements then emptied
    so the rest of the comparison ignores their order."""
    items: set[str] = set()
    for holder in root.iter(name):
        for item in list(holder):
            items.add(canonical(item))
            holder.remove(item)
    return items


def _first_difference(old: str, new: str) -> str:
    if old == new:
        return ""
    at = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    start = max(0, at - 120)
    return (
        f"canonical XML differs at {at}: …{old[start : at + 120]!r} vs …{new[start : at + 120]!r}"
    )
