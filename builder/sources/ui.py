"""Parse forms, views, apps (with their site maps) and commands.

Form tabs, sections and items, view columns and site map entries keep the order of the
file: that order is what users see. An app names its roles, forms and views by name; the
loader resolves them to ids once everything is read (`AppRefs`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..model import (
    AppModule,
    Command,
    Form,
    FormEvent,
    FormField,
    FormItem,
    FormQuickView,
    FormSection,
    FormSubgrid,
    FormTab,
    SiteMapArea,
    SiteMapGroup,
    SiteMapSubArea,
    Src,
    View,
    ViewColumn,
    ViewCondition,
    ViewOrder,
)
from .elements import (
    Context,
    Source,
    children,
    flag,
    guid,
    integer_or,
    solution,
    src,
    text,
    words,
)

# --- forms --------------------------------------------------------------------------------


def parse_form(source: Source, ctx: Context) -> list[object]:
    el = source.root
    table, name = text(el, "table"), text(el, "name")
    header = children(el, "header")
    return [
        Form(
            id=guid(el, "id", "form", table, name),
            table=table,
            type=text(el, "type"),  # type: ignore[arg-type]
            name=name,
            description=text(el, "description"),
            tabs=tuple(_tab(source, t) for t in children(el, "tab")),
            header=tuple(_field(source, f) for h in header for f in children(h, "field")),
            libraries=words(el, "libraries"),
            events=tuple(_event(source, e) for e in children(el, "event")),
            solution=solution(el, ctx),
            src=src(source, el),
        )
    ]


def _tab(source: Source, el: etree._Element) -> FormTab:
    return FormTab(
        name=text(el, "name"),
        label=text(el, "label"),
        sections=tuple(_section(source, s) for s in children(el, "section")),
        src=src(source, el),
    )


def _section(source: Source, el: etree._Element) -> FormSection:
    return FormSection(
        name=text(el, "name"),
        label=text(el, "label"),
        items=tuple(_item(source, i) for i in el if isinstance(i.tag, str)),
        show_label=flag(el, "show-label", True),
        src=src(source, el),
    )


def _item(source: Source, el: etree._Element) -> FormItem:
    if el.tag == "subgrid":
        return FormSubgrid(
            name=text(el, "name"),
            label=text(el, "label"),
            table=text(el, "table"),
            view=text(el, "view"),
            relationship=text(el, "relationship"),
            src=src(source, el),
        )
    if el.tag == "quick-view":
        return FormQuickView(
            name=text(el, "name"),
            label=text(el, "label"),
            lookup=text(el, "lookup"),
            form=text(el, "form"),
            src=src(source, el),
        )
    return _field(source, el)


def _field(source: Source, el: etree._Element) -> FormField:
    return FormField(
        column=text(el, "column"),
        label=text(el, "label"),
        readonly=flag(el, "readonly"),
        src=src(source, el),
    )


def _event(source: Source, el: etree._Element) -> FormEvent:
    return FormEvent(
        event=text(el, "event"),
        library=text(el, "library"),
        function=text(el, "function"),
        attribute=text(el, "attribute"),
        pass_context=flag(el, "pass-context", True),
        src=src(source, el),
    )


# --- views --------------------------------------------------------------------------------


def parse_views(source: Source, ctx: Context) -> list[object]:
    table = text(source.root, "table")
    return [_view(source, table, v, ctx) for v in children(source.root, "view")]


def _view(source: Source, table: str, el: etree._Element, ctx: Context) -> View:
    name = text(el, "name")
    return View(
        id=guid(el, "id", "view", table, name),
        table=table,
        name=name,
        type=text(el, "type", "public"),  # type: ignore[arg-type]
        is_default=flag(el, "is-default"),
        description=text(el, "description"),
        columns=tuple(
            ViewColumn(text(c, "name"), integer_or(c, "width", 150), src(source, c))
            for c in children(el, "column")
        ),
        conditions=tuple(
            ViewCondition(
                text(c, "attribute"), text(c, "operator"), text(c, "value"), src(source, c)
            )
            for c in children(el, "condition")
        ),
        order=tuple(
            ViewOrder(text(o, "attribute"), flag(o, "descending")) for o in children(el, "order")
        ),
        find_columns=words(el, "find-columns"),
        solution=solution(el, ctx),
        src=src(source, el),
    )


# --- apps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppRefs:
    """The names an app refers to, resolved to ids after all sources are read."""

    app: str  # unique name
    roles: tuple[tuple[str, Src], ...]
    forms: tuple[tuple[str, str, Src], ...]  # (table, name, where)
    views: tuple[tuple[str, str, Src], ...]


def parse_app(source: Source, ctx: Context) -> list[object]:
    el = source.root
    unique = text(el, "unique-name")
    areas = tuple(_area(source, a) for a in children(el, "area"))
    extra = [text(t, "name") for t in children(el, "table")]
    mapped = [s.table for a in areas for g in a.groups for s in g.subareas if s.table]
    app = AppModule(
        unique_name=unique,
        display_name=text(el, "display-name"),
        description=text(el, "description"),
        id=guid(el, "id", "appmodule", unique),
        icon=text(el, "icon"),
        areas=areas,
        tables=tuple(sorted(set(extra + mapped))),
        solution=solution(el, ctx),
        src=src(source, el),
    )
    refs = AppRefs(
        app=unique,
        roles=tuple((text(r, "name"), src(source, r)) for r in children(el, "role")),
        forms=tuple(_ref(source, f) for f in children(el, "form")),
        views=tuple(_ref(source, v) for v in children(el, "view")),
    )
    return [app, refs]


def _ref(source: Source, el: etree._Element) -> tuple[str, str, Src]:
    return (text(el, "table"), text(el, "name"), src(source, el))


def _area(source: Source, el: etree._Element) -> SiteMapArea:
    return SiteMapArea(
        id=text(el, "id"),
        title=text(el, "title"),
        groups=tuple(_group(source, g) for g in children(el, "group")),
        src=src(source, el),
    )


def _group(source: Source, el: etree._Element) -> SiteMapGroup:
    return SiteMapGroup(
        id=text(el, "id"),
        title=text(el, "title"),
        subareas=tuple(
            SiteMapSubArea(
                id=text(s, "id"),
                title=text(s, "title"),
                table=text(s, "table"),
                view=text(s, "view"),
                url=text(s, "url"),
                src=src(source, s),
            )
            for s in children(el, "subarea")
        ),
        src=src(source, el),
    )


# --- commands -----------------------------------------------------------------------------


def parse_command(source: Source, ctx: Context) -> list[object]:
    el = source.root
    return [
        Command(
            id=text(el, "id"),
            table=text(el, "table"),
            location=text(el, "location"),  # type: ignore[arg-type]
            label=text(el, "label"),
            library=text(el, "library"),
            function=text(el, "function"),
            tooltip=text(el, "tooltip"),
            icon=text(el, "icon"),
            sequence=integer_or(el, "sequence", 100),
            app=text(el, "app"),
            solution=solution(el, ctx),
            src=src(source, el),
        )
    ]
