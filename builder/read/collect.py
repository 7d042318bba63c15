"""Collect every component of one solution's zip entries: model components where the model
covers them, `RawPart`s for the rest, and whole-element fallbacks for components the model
covers only in part. See `read.py` for the entry points.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ..dataverse.solution_parts import CONTENT_TYPES
from ..model import (
    AppModule,
    RawPart,
)
from ..model.kinds import BY_FIELD, owner_key
from ..xmlio.exported import Element, Findings, ctext, kids
from ..xmlio.safe import parse_xml
from ..xmlio.spans import EntitySpans
from .collect_data import collect_records, ready
from .collected import Collected, Entries, Maker
from .entities import EntityRead, LazyNames, read_entity, saved_queries
from .parts import (
    SYSTEM_LOOKUPS,
    Names,
    PartRead,
    read_app,
    read_lookups,
    read_option_set,
    read_role,
    read_web_resource,
    ribbon_is_empty,
)
from .tables import Lookup, entity_schema_name
from .twins import Twin
from .views import read_view

TABLE = BY_FIELD["tables"].label
_MODELLED_SECTIONS = {
    "Entities",
    "Roles",
    "EntityRelationships",
    "optionsets",
    "WebResources",
    "AppModules",
    "AppModuleSiteMaps",
    "Languages",
}
_FIXED_ENTRIES = {CONTENT_TYPES, "solution.xml", "customizations.xml"}


def collect_solution(
    entries: Entries,
    solution: str,
    findings: Findings,
    custom: Element | None = None,
    twins: Twins | None = None,
) -> Collected:
    """`twins`: the tables a comparison leaves unread (read/twins.py); what they would
    hold is then missing from what is collected, as it is from the other side's."""
    found = Collected(solution, findings)
    if custom is None:
        custom = parse_xml(entries["customizations.xml"], f"{findings.file}!customizations.xml")
    sections = {str(c.tag): c for c in custom if isinstance(c.tag, str)}
    found.languages = sections.get("Languages")
    _collect_entities(found, sections, twins, entries["customizations.xml"])
    _collect_parts(found, sections, entries)
    collect_records(found, entries, sections)
    _collect_other_sections(found, sections)
    _collect_entries(found, entries)
    _check_references(found)
    found.put("raw_parts", found.raw)
    return found


# --- entities and relationships ----------------------------------------------------------


@dataclass(frozen=True)
class Twins:
    """The tables a comparison leaves unread (what reading each would have told about its
    relationships), and the lookups of this side's relationships (worked out already)."""

    tables: dict[str, Twin]
    lookups: list[Lookup]
    starts: list[int]  # where each entity starts in the file (`Side.starts`)


def _collect_entities(
    found: Collected, sections: dict[str, Element], twins: Twins | None, data: bytes
) -> None:
    entities = kids(sections.get("Entities"), "Entity")
    # for telling remainders equal by bytes (read/kept.py)
    spans = EntitySpans(data, entities, twins.starts if twins else None)
    relationships = kids(sections.get("EntityRelationships"), "EntityRelationship")
    lookups = twins.lookups if twins else read_lookups(relationships)
    lazy = LazyNames(entities)
    names = (lazy.view, lazy.form)
    skip = twins.tables if twins else {}
    unread = [e for e in entities if skip and entity_schema_name(e).lower() in skip]
    skipped = set(unread)
    reads = [
        (e, read_entity(e, lookups, names, found.solution, (spans, i)))
        for i, e in enumerate(entities)
        if e not in skipped
    ]
    found.unread = len(unread)
    found.twin_views = _twin_views(unread, sections, found.solution)
    found.put("tables", [r.table for _, r in reads])
    found.put("forms", [f for _, r in reads for f in r.forms])
    found.put("views", [v for _, r in reads for v in r.views])
    found.put("commands", [c for _, r in reads for c in r.commands])
    covered = _covered_relationships(reads, skip, lookups)
    by_table: dict[str, list[Element]] = {}
    for rel in relationships:
        name = rel.get("Name", "")
        if name in covered:
            by_table.setdefault(covered[name], []).append(rel)
        else:
            found.raw.append(found.section_part("EntityRelationships", rel, name))
    for entity, read in reads:
        _entity_alternate(found, entity, read, by_table.get(read.table.logical_name, []))


def _twin_views(
    unread: list[Element], sections: dict[str, Element], solution: str
) -> dict[uuid.UUID, str]:
    """The names of the unread tables' views, by id, for the apps that show them (only
    when there are apps)."""
    if not unread or not kids(sections.get("AppModules"), "AppModule"):
        return {}
    found = {}
    for entity in unread:
        logical = entity_schema_name(entity).lower()
        for query in saved_queries(entity):
            view = read_view(query, logical, solution).view
            found[view.id] = view.name
    return found


def _covered_relationships(
    reads: list[tuple[Element, EntityRead]], unread: dict[str, Twin], lookups: list[Lookup]
) -> dict[str, str]:
    """Relationships the model re-creates: those of modelled lookups, and the system ones of
    new tables. Name -> the referencing table. `unread`: the tables left unread, with what
    reading them would have told of this (worked out only where it is needed)."""
    columns = {
        (r.table.logical_name, c.logical_name)
        for _, r in reads
        for c in r.table.columns
        if c.type == "lookup"
    }
    new = {r.table.logical_name for _, r in reads if not r.table.existing}
    covered = {}
    for lookup in lookups:
        table, column = lookup.referencing, lookup.attribute
        twin = unread.get(table)
        if twin is None:
            ours = (table, column) in columns or (table in new and column in SYSTEM_LOOKUPS)
        else:
            ours = (column in SYSTEM_LOOKUPS and twin.new) or column in twin.lookups
        if ours:
            covered[lookup.name] = table
    return covered


def _entity_alternate(
    found: Collected, entity: Element, read: EntityRead, relationships: list[Element]
) -> None:
    """The table as exported: the whole entity and the relationships the render would
    otherwise derive from it (`relationships`). `unpack` writes this when the model holds
    the table only in part (`reasons`), or when its sources would not load."""
    table = read.table.logical_name
    makers = [found.lazy_part("Entities", entity, entity_schema_name(entity))]
    makers += [
        found.lazy_part("EntityRelationships", rel, rel.get("Name", "")) for rel in relationships
    ]
    reasons = tuple(dict.fromkeys(read.reasons))
    found.fallbacks.append((TABLE, table, tuple(makers), reasons))
    if reasons:
        found.findings.warn(
            "RD100", f"table {table} is kept as exported when unpacked: " + "; ".join(reasons[:3])
        )


# --- other customizations.xml sections -----------------------------------------------------


def _collect_parts(found: Collected, sections: dict[str, Element], entries: Entries) -> None:
    solution = found.solution
    roles = [
        _part(
            found, BY_FIELD["roles"].label, "Roles", el, read_role(el, solution), el.get("name", "")
        )
        for el in kids(sections.get("Roles"), "Role")
    ]
    found.put("roles", roles)
    choices = [
        _part(
            found,
            BY_FIELD["global_choices"].label,
            "optionsets",
            el,
            read_option_set(el, solution),
            el.get("Name", ""),
        )
        for el in kids(sections.get("optionsets"), "optionset")
    ]
    found.put("global_choices", choices)
    resources = []
    for el in kids(sections.get("WebResources"), "WebResource"):
        read = read_web_resource(el, entries, solution)
        found.used.add(ctext(el, "FileName").lstrip("/"))
        resources.append(
            _part(
                found,
                BY_FIELD["web_resources"].label,
                "WebResources",
                el,
                read,
                ctext(el, "Name"),
                _payload_part(found, el, entries),
            )
        )
    found.put("web_resources", resources)
    found.put("apps", _apps(found, sections))


def _payload_part(found: Collected, el: Element, entries: Entries) -> tuple[Maker, ...]:
    path = ctext(el, "FileName").lstrip("/")
    return ready(RawPart(path, entries[path], "", found.solution)) if path in entries else ()


def _part(
    found: Collected,
    kind: str,
    section: str,
    el: Element,
    read: PartRead,
    name: str,
    extra: tuple[Maker, ...] = (),
) -> Any:
    reasons = tuple(dict.fromkeys(read.reasons))
    found.fallbacks.append((kind, name, (found.lazy_part(section, el, name),) + extra, reasons))
    if reasons:
        found.findings.warn(
            "RD101", f"{kind} {name} is kept as exported when unpacked: " + "; ".join(reasons[:3])
        )
    return read.item


def _apps(found: Collected, sections: dict[str, Element]) -> list[AppModule]:
    views = {**found.twin_views, **{v.id: v.name for v in found.get("views")}}
    resources = {w.id: w.name for w in found.get("web_resources")}
    site_maps = {
        ctext(s, "SiteMapUniqueName"): s
        for s in kids(sections.get("AppModuleSiteMaps"), "AppModuleSiteMap")
    }
    apps = []
    for el in kids(sections.get("AppModules"), "AppModule"):
        unique = ctext(el, "UniqueName")
        site_map = site_maps.pop(unique, None)
        read = read_app(el, site_map, Names(views, resources), found.solution)
        extra = (
            (found.lazy_part("AppModuleSiteMaps", site_map, unique),)
            if site_map is not None
            else ()
        )
        apps.append(_part(found, BY_FIELD["apps"].label, "AppModules", el, read, unique, extra))
    for unique, site_map in site_maps.items():  # a site map without its app
        found.raw.append(found.section_part("AppModuleSiteMaps", site_map, unique))
    return apps


def _check_references(found: Collected) -> None:
    """A component naming a web resource, form, view or role the solution lacks cannot be
    written back from the model: the render would not find it."""
    resources = {w.name for w in found.get("web_resources")}
    extra: dict[tuple[str, str], list[str]] = {}
    for form in found.get("forms"):
        for library in set(form.libraries) | {e.library for e in form.events}:
            if library not in resources:
                extra.setdefault(owner_key(form), []).append(
                    f"form {form.name!r} loads {library}, a script outside the solution"
                )
    for command in found.get("commands"):
        for name in (command.library, command.icon):
            if name and name not in resources:
                extra.setdefault(owner_key(command), []).append(
                    f"command {command.id} uses {name}, outside the solution"
                )
    known = {c.id for kind in ("forms", "views", "roles") for c in found.get(kind)}
    for app in found.get("apps"):
        missing = [str(i) for i in app.forms + app.views + app.roles if i not in known]
        if missing:
            extra[owner_key(app)] = [
                f"the app shows {len(missing)} forms, views or roles outside the solution"
            ]
    found.fallbacks = [
        (k, key, parts, reasons + tuple(extra.get((k, key), ())))
        for k, key, parts, reasons in found.fallbacks
    ]


def _collect_other_sections(found: Collected, sections: dict[str, Element]) -> None:
    for name, section in sections.items():
        if name in _MODELLED_SECTIONS:
            continue
        if name == "RibbonDiffXml":
            if not ribbon_is_empty(section):
                found.raw += [  # every part: the render then writes no empty skeleton beside them
                    found.section_part(name, c, str(c.tag))
                    for c in section
                    if isinstance(c.tag, str)
                ]
                found.findings.warn(
                    "RD102",
                    "the application ribbon is kept as-is; check "
                    "the built customizations.xml before importing it",
                )
            continue
        for index, item in enumerate(c for c in section if isinstance(c.tag, str)):
            if not _rendered_data_source(found, item):
                found.raw.append(found.section_part(name, item, _element_name(item, index)))


def _rendered_data_source(found: Collected, el: Element) -> bool:
    """The data source our build derives from the virtual tables (render/cz_datasource.py):
    the model holds it through them. Any other data source stays as exported."""
    from ..render.cz_datasource import SOURCE_ID

    ours = str(el.get("EntityDataSourceId", "")).strip("{}").lower() == str(SOURCE_ID)
    return ours and el.tag == "EntityDataSource" and any(t.virtual for t in found.get("tables"))


def _element_name(el: Element, index: int) -> str:
    for attr in ("Name", "name", "connectionreferencelogicalname", "id", "Id", "WorkflowId"):
        if el.get(attr):
            return str(el.get(attr))
    return ctext(el, "Name") or ctext(el, "UniqueName") or f"{el.tag}-{index + 1}"


def _collect_entries(found: Collected, entries: Entries) -> None:
    """Every zip entry not read into the model travels as a whole-entry RawPart."""
    for path in sorted(entries):
        if path not in found.used and path not in _FIXED_ENTRIES:
            found.keep_raw("", path, entries[path])
