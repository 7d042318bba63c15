"""What a solution zip says about itself beyond its components (`SolutionPackaging`): root
components, missing dependencies, languages and the content type of every part."""

from __future__ import annotations

import posixpath

from ..dataverse.solution_parts import CONTENT_TYPES
from ..model import RootComponent, SolutionPackaging
from ..xmlio.exported import Element, child, kids, to_int
from ..xmlio.safe import parse_xml

Entries = dict[str, bytes]
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def read_packaging(
    solution: str, manifest: Element, languages: Element | None, entries: Entries
) -> SolutionPackaging:
    roots = {_root(r) for r in kids(child(manifest, "RootComponents"), "RootComponent")}
    missing = {
        _missing(m) for m in kids(child(manifest, "MissingDependencies"), "MissingDependency")
    }
    return SolutionPackaging(
        solution=solution,
        root_components=tuple(sorted(roots, key=lambda r: (r.type, r.key, r.behavior))),
        missing_dependencies=tuple(sorted(missing)),
        languages=tuple(sorted({to_int(el.text) for el in kids(languages, "Language")})),
        content_types=content_types(entries),
    )


def _root(el: Element) -> RootComponent:
    key = el.get("schemaName") or (el.get("id") or "").strip("{}").lower()
    return RootComponent(to_int(el.get("type")), key, to_int(el.get("behavior")))


def _missing(el: Element) -> str:
    return f"{_named(child(el, 'Required'))} needed by {_named(child(el, 'Dependent'))}"


def _named(el: Element | None) -> str:
    """`type name` of one end of a dependency: schemaName (with its parent), an `id.<key>`
    alternate key, or the id."""
    if el is None:
        return "?"
    name = el.get("schemaName") or next(
        (str(v) for k, v in el.attrib.items() if str(k).startswith("id.")), ""
    )
    name = name or (el.get("id") or "").strip("{}").lower()
    parent = el.get("parentSchemaName")
    return f"{el.get('type', '')} {parent + '.' if parent else ''}{name}"


def content_types(entries: Entries) -> tuple[tuple[str, str], ...]:
    """Every part's content type as [Content_Types].xml gives it ("" when it gives none)."""
    if CONTENT_TYPES not in entries:
        return ()
    types = parse_xml(entries[CONTENT_TYPES], CONTENT_TYPES)
    defaults = {
        (d.get("Extension") or "").lower(): d.get("ContentType") or ""
        for d in types.iter(_CT + "Default")
    }
    overrides = {
        (o.get("PartName") or "").lower(): o.get("ContentType") or ""
        for o in types.iter(_CT + "Override")
    }
    out = []
    for path in sorted(p for p in entries if p != CONTENT_TYPES):
        extension = posixpath.splitext(path)[1].lstrip(".").lower()
        given = overrides.get("/" + path.lower())
        out.append(
            (path, given if given is not None else defaults.get(extension, "") if extension else "")
        )
    return tuple(out)
