"""Model-driven apps: `AppModules/AppModule` (components: tables, forms, views, site map;
role maps) and `AppModuleSiteMaps/AppModuleSiteMap` (areas, groups, sub areas).

The 9.0 schema knows no `statecode`, `NavigationType` or `EventHandlers` of newer exports,
so they are left out; the platform defaults them. An app without an icon web resource uses
the platform's default app icon (web resource 953b9fac-..., documented by Microsoft).
"""

from typing import NamedTuple

from ..model import AppModule, SiteMapSubArea
from .cz_common import ProjectIndex, clean_id
from .templating import braced

DEFAULT_APP_ICON = "953b9fac-1e5e-e611-80d6-00155ded156f"

# solution component types used in AppModuleComponents
TABLE, VIEW, FORM, SITEMAP = 1, 26, 60, 62


class SubAreaVM(NamedTuple):
    id: str
    title: str
    entity: str
    url: str


class GroupVM(NamedTuple):
    id: str
    title: str
    subareas: tuple[SubAreaVM, ...]


class AreaVM(NamedTuple):
    id: str
    title: str
    groups: tuple[GroupVM, ...]


class AppVM(NamedTuple):
    unique_name: str
    display_name: str
    description: str
    icon_id: str
    components: tuple[tuple[int, str, str], ...]  # (type, schemaName, id)
    roles: tuple[str, ...]
    areas: tuple[AreaVM, ...]


def _subarea(sub: SiteMapSubArea, index: ProjectIndex) -> SubAreaVM:
    url = sub.url
    if sub.table and sub.view:
        view = index.view(sub.table, sub.view, sub.src)
        url = (
            f"/main.aspx?pagetype=entitylist&etn={sub.table}&viewid={braced(view.id)}&viewtype=1039"
        )
    if url.startswith("$webresource:") or (url and not url.startswith(("/", "http"))):
        url = "$webresource:" + url.removeprefix("$webresource:")
    return SubAreaVM(clean_id(sub.id), sub.title, sub.table, url)


def _areas(app: AppModule, index: ProjectIndex) -> tuple[AreaVM, ...]:
    return tuple(
        AreaVM(
            clean_id(a.id),
            a.title,
            tuple(
                GroupVM(clean_id(g.id), g.title, tuple(_subarea(s, index) for s in g.subareas))
                for g in a.groups
            ),
        )
        for a in app.areas
    )


def _components(app: AppModule) -> tuple[tuple[int, str, str], ...]:
    tables = sorted(
        set(app.tables)
        | {s.table for a in app.areas for g in a.groups for s in g.subareas if s.table}
    )
    rows = [(TABLE, t, "") for t in tables]
    rows += [(VIEW, "", braced(v)) for v in app.views]
    rows += [(FORM, "", braced(f)) for f in app.forms]
    rows.append((SITEMAP, app.unique_name, ""))
    return tuple(rows)


def app_model(app: AppModule, index: ProjectIndex) -> AppVM:
    icon = DEFAULT_APP_ICON
    if app.icon:
        icon = str(index.web_resource(app.icon, app.src).id)
    return AppVM(
        app.unique_name,
        app.display_name,
        app.description,
        icon,
        _components(app),
        tuple(braced(r) for r in app.roles),
        _areas(app, index),
    )
