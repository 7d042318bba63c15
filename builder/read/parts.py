"""customizations.xml sections other than `Entities` as model components: security roles,
global option sets, web resources, model-driven apps with their site maps, and the 1:N
relationships lookups are made of.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from ..model import (
    WEB_RESOURCE_TYPES,
    AppModule,
    Depth,
    GlobalChoice,
    Privilege,
    Role,
    SiteMapArea,
    SiteMapGroup,
    SiteMapSubArea,
    WebResource,
    stable_id,
)
from ..xmlio.exported import (
    LCID,
    Children,
    Element,
    child,
    ctext,
    kids,
    languages,
    parse_guid,
    pick_label,
)
from .tables import Lookup, read_options
from .unread import Reading, keep_unread

_WEB_TYPES = {str(code): name for name, code in WEB_RESOURCE_TYPES.items()}
_DEPTHS: dict[str, Depth] = {"Basic": "Basic", "Local": "Local", "Deep": "Deep", "Global": "Global"}
# AppModuleComponent types: table, view, form, site map
TABLE, VIEW, FORM, SITEMAP = "1", "26", "60", "62"


@dataclass
class PartRead:
    """A component read from one element, with what the model could not hold."""

    item: object
    reasons: list[str] = field(default_factory=list)


def read_role(el: Element, solution: str) -> PartRead:
    role_el = Reading(el)
    privileges = []
    reasons = []
    listed = role_el.child("RolePrivileges")
    for p in listed.kids("RolePrivilege", "name") if listed else []:
        name, level = p.get("name"), p.get("level")
        if level not in _DEPTHS:
            reasons.append(f"privilege {name or None} at depth {level!r}")
            continue
        privileges.append(Privilege(name, _DEPTHS[level]))
    name = role_el.get("name")
    role = Role(
        id=parse_guid(role_el.get("id") or None) or stable_id("role", name),
        name=name,
        privileges=tuple(sorted(privileges, key=lambda p: p.name)),
        solution=solution,
    )
    return PartRead(keep_unread(role, role_el), reasons)


def read_option_set(el: Element, solution: str) -> PartRead:
    choice_el = Reading(el)
    reasons = []
    kind = choice_el.text("OptionSetType", "picklist")
    if kind != "picklist":
        reasons.append(f"an option set of type {kind!r}")
    named = choice_el.get("localizedName")
    choice_el.whole("options")  # read_options reads them, as it does a column's
    choice = GlobalChoice(
        name=choice_el.get("Name"),
        display_name=pick_label(kids(choice_el.whole("displaynames"), "displayname")) or named,
        options=read_options(el),
        description=pick_label(kids(choice_el.whole("Descriptions"), "Description")),
        solution=solution,
    )
    return PartRead(keep_unread(choice, choice_el), reasons)


def read_web_resource(el: Element, entries: dict[str, bytes], solution: str) -> PartRead:
    resource_el = Reading(el)
    reasons = []
    code = resource_el.text("WebResourceType")
    kind = _WEB_TYPES.get(code)
    if kind is None:
        reasons.append(f"a web resource of type {code}")
    payload = resource_el.text("FileName").lstrip("/")
    if payload not in entries:
        reasons.append(f"web resource content {payload!r} missing from the zip")
    name = resource_el.text("Name")
    resource = WebResource(
        name=name,
        display_name=resource_el.text("DisplayName"),
        type=kind or "html",  # type: ignore[arg-type]
        content=entries.get(payload, b""),
        description=resource_el.text("Description"),
        id=parse_guid(resource_el.text("WebResourceId")) or stable_id("webresource", name),
        solution=solution,
    )
    return PartRead(keep_unread(resource, resource_el), reasons)


# --- apps and site maps --------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """Ids of the solution's components by name and back, for references between them."""

    views: dict[uuid.UUID, str]
    web_resources: dict[uuid.UUID, str]


def read_app(el: Element, site_map: Element | None, names: Names, solution: str) -> PartRead:
    app_el = Reading(el)
    map_el = Reading(site_map, "AppModuleSiteMap") if site_map is not None else None
    unique = app_el.text("UniqueName")
    reasons: list[str] = []
    listed = app_el.child("AppModuleComponents")
    rows = [
        (c.get("type"), c)
        for c in (listed.kids("AppModuleComponent", "schemaName", "id") if listed else [])
    ]
    for kind, comp in rows:
        if kind not in (TABLE, VIEW, FORM, SITEMAP):
            reasons.append(
                f"app component of type {kind} ({comp.get('schemaName') or comp.get('id') or None})"
            )
    if len(languages(el) | (languages(site_map) if site_map is not None else set())) > 1:
        reasons.append("labels in several languages")
    app = AppModule(
        unique_name=unique,
        display_name=pick_label(kids(app_el.whole("LocalizedNames"), "LocalizedName")),
        description=pick_label(kids(app_el.whole("Descriptions"), "Description")),
        id=parse_guid(app_el.text("AppModuleId")) or stable_id("appmodule", unique),
        icon=_icon(app_el.text("WebResourceId"), names, reasons),
        areas=_areas(map_el.whole("SiteMap") if map_el else None, names, reasons),
        tables=tuple(sorted({c.get("schemaName").lower() for k, c in rows if k == TABLE})),
        forms=_ids(rows, FORM),
        views=_ids(rows, VIEW),
        roles=_role_ids(app_el.child("AppModuleRoleMaps")),
        solution=solution,
    )
    read = [app_el] + ([map_el] if map_el else [])
    return PartRead(keep_unread(app, *read), reasons)


_DEFAULT_ICON = uuid.UUID("953b9fac-1e5e-e611-80d6-00155ded156f")  # the platform's app icon


def _icon(text: str, names: Names, reasons: list[str]) -> str:
    icon = parse_guid(text)
    if icon is None or icon == _DEFAULT_ICON:
        return ""
    if icon not in names.web_resources:
        reasons.append(f"an app icon outside the solution ({icon})")
        return ""
    return names.web_resources[icon]


def _role_ids(maps: Reading | None) -> tuple[uuid.UUID, ...]:
    found = {parse_guid(r.get("id")) for r in (maps.kids("Role", "id") if maps else [])}
    return tuple(sorted((i for i in found if i is not None), key=str))


def _ids(rows: list[tuple[str, Reading]], kind: str) -> tuple[uuid.UUID, ...]:
    found = {parse_guid(c.get("id")) for k, c in rows if k == kind}
    return tuple(sorted((i for i in found if i is not None), key=str))


def _title(el: Element) -> str:
    titles = kids(child(el, "Titles"), "Title")
    for title in titles:
        if title.get("LCID") == LCID:
            return str(title.get("Title", ""))
    return str(titles[0].get("Title", "") if titles else el.get("Title", ""))


def _areas(root: Element | None, names: Names, reasons: list[str]) -> tuple[SiteMapArea, ...]:
    return tuple(
        SiteMapArea(
            a.get("Id", ""),
            _title(a),
            tuple(
                SiteMapGroup(
                    g.get("Id", ""),
                    _title(g),
                    tuple(_subarea(s, names, reasons) for s in kids(g, "SubArea")),
                )
                for g in kids(a, "Group")
            ),
        )
        for a in kids(root, "Area")
    )


def _subarea(el: Element, names: Names, reasons: list[str]) -> SiteMapSubArea:
    table, url = (el.get("Entity") or "").lower(), el.get("Url") or ""
    view = ""
    if url.startswith("/main.aspx") and table:
        query = parse_qs(urlparse(url).query)
        view_id = parse_guid((query.get("viewid") or [""])[0])
        view = names.views.get(view_id, "") if view_id else ""
        if view_id and not view:
            reasons.append(f"site map entry {el.get('Id')} shows a view outside the solution")
        url = "" if view else url
    return SiteMapSubArea(el.get("Id", ""), _title(el), table, view, url)


# --- relationships ---------------------------------------------------------------------------


def read_lookups(relationships: list[Element]) -> list[Lookup]:
    """The 1:N relationships of the export, as their lookup columns see them."""
    found = []
    for element in relationships:
        rel = Children(element)  # four look-ups, most near its end
        if ctext(rel, "EntityRelationshipType", "OneToMany") != "OneToMany":
            continue
        found.append(
            Lookup(
                element.get("Name", ""),
                ctext(rel, "ReferencingEntityName").lower(),
                ctext(rel, "ReferencingAttributeName").lower(),
                ctext(rel, "ReferencedEntityName").lower(),
            )
        )
    return found


# The relationships Dataverse makes with a new table and the render writes back.
SYSTEM_LOOKUPS = frozenset(
    [
        "createdby",
        "createdonbehalfby",
        "modifiedby",
        "modifiedonbehalfby",
        "owningbusinessunit",
        "ownerid",
        "owningteam",
        "owninguser",
        "organizationid",
        "transactioncurrencyid",
    ]
)


def ribbon_is_empty(ribbon: Element | None) -> bool:
    """An exported RibbonDiffXml that customizes nothing (the usual empty skeleton)."""
    if ribbon is None:
        return True
    busy = ribbon.xpath(
        "./CustomActions/* | ./CommandDefinitions/* | ./LocLabels/* | "
        "./RuleDefinitions/*/* | ./Templates/RibbonTemplates/*"
    )
    return not busy
