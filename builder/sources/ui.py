"""Parse views and apps (with their site maps); forms and commands need no parser of their
own (each file is one, by its field mapping: `parsers.py`).

Form tabs, sections and items, view columns and site map entries keep the order of the
file: that order is what users see. An app names its roles, forms and views by name; the
loader resolves them to ids once everything is read (`AppRefs`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from ..model import AppModule, Src, View
from .elements import (
    Context,
    Source,
    children,
    src,
    text,
)
from .mapped import load
from .parsers import parses

# --- views -----------------------------------------------------------------------------------


@parses(View)
def parse_views(source: Source, ctx: Context) -> list[object]:
    table = text(source.root, "table")  # the file's, for all its views
    return [load(View, source, v, ctx, table=table) for v in children(source.root, "view")]


# --- apps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppRefs:
    """The names an app refers to, resolved to ids after all sources are read."""

    app: str  # unique name
    roles: tuple[tuple[str, Src], ...]
    forms: tuple[tuple[str, str, Src], ...]  # (table, name, where)
    views: tuple[tuple[str, str, Src], ...]


@parses(AppModule)
def parse_app(source: Source, ctx: Context) -> list[object]:
    el = source.root
    app = load(AppModule, source, el, ctx)
    extra = [text(t, "name") for t in children(el, "table")]
    mapped = [s.table for a in app.areas for g in a.groups for s in g.subareas if s.table]
    refs = AppRefs(
        app=app.unique_name,
        roles=tuple((text(r, "name"), src(source, r)) for r in children(el, "role")),
        forms=tuple(_ref(source, f) for f in children(el, "form")),
        views=tuple(_ref(source, v) for v in children(el, "view")),
    )
    return [replace(app, tables=tuple(sorted(set(extra + mapped)))), refs]


def _ref(source: Source, el: etree._Element) -> tuple[str, str, Src]:
    return (text(el, "table"), text(el, "name"), src(source, el))
