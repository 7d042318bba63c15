"""Forms, views, roles, apps and commands as `solution_src/` source files.

See `unpack_write.py` for the conventions (defaults left out, ids always written)."""

from __future__ import annotations

from ..model import (
    AppModule,
    Command,
    Form,
    FormItem,
    FormQuickView,
    FormSubgrid,
    Project,
    Role,
    View,
)
from .mapped import Element, element
from .write import non_default


def form_file(f: Form) -> Element:
    root = element(
        "form",
        [
            ("id", f.id),
            ("table", f.table),
            ("type", f.type),
            ("name", f.name),
            ("description", f.description),
            ("libraries", f.libraries),
            ("solution", f.solution),
        ],
    )
    for e in f.events:
        element(
            "event",
            [
                ("event", e.event),
                ("attribute", e.attribute),
                ("library", e.library),
                ("function", e.function),
                ("pass-context", non_default(e.pass_context, True)),
            ],
            root,
        )
    if f.header:
        header = element("header", (), root)
        for field in f.header:
            _item(field, header)
    for tab in f.tabs:
        tab_el = element("tab", [("name", tab.name), ("label", tab.label)], root)
        for section in tab.sections:
            sec = element(
                "section",
                [
                    ("name", section.name),
                    ("label", section.label),
                    ("show-label", non_default(section.show_label, True)),
                ],
                tab_el,
            )
            for item in section.items:
                _item(item, sec)
    return root


def _item(item: FormItem, parent: Element) -> None:
    if isinstance(item, FormSubgrid):
        element(
            "subgrid",
            [
                ("name", item.name),
                ("label", item.label),
                ("table", item.table),
                ("view", item.view),
                ("relationship", item.relationship),
            ],
            parent,
        )
    elif isinstance(item, FormQuickView):
        element(
            "quick-view",
            [
                ("name", item.name),
                ("label", item.label),
                ("lookup", item.lookup),
                ("form", item.form),
            ],
            parent,
        )
    else:
        element(
            "field",
            [
                ("column", item.column),
                ("label", item.label),
                ("readonly", non_default(item.readonly, False)),
            ],
            parent,
        )


def views_file(table: str, solution: str, views: list[View]) -> Element:
    root = element("views", [("table", table), ("solution", solution)])
    for v in views:
        el = element(
            "view",
            [
                ("id", v.id),
                ("name", v.name),
                ("type", None if v.type == "public" else v.type),
                ("is-default", non_default(v.is_default, False)),
                ("description", v.description),
                ("find-columns", v.find_columns),
            ],
            root,
        )
        for c in v.columns:
            element(
                "column", [("name", c.name), ("width", None if c.width == 150 else c.width)], el
            )
        for cond in v.conditions:
            element(
                "condition",
                [("attribute", cond.attribute), ("operator", cond.operator), ("value", cond.value)],
                el,
            )
        for o in v.order:
            element(
                "order",
                [("attribute", o.attribute), ("descending", non_default(o.descending, False))],
                el,
            )
    return root


def role_file(r: Role) -> Element:
    root = element(
        "role",
        [("id", r.id), ("name", r.name), ("description", r.description), ("solution", r.solution)],
    )
    for p in r.privileges:
        element("privilege", [("name", p.name), ("depth", p.depth)], root)
    return root


def app_file(a: AppModule, p: Project) -> Element:
    root = element(
        "app",
        [
            ("id", a.id),
            ("unique-name", a.unique_name),
            ("display-name", a.display_name),
            ("description", a.description),
            ("icon", a.icon),
            ("solution", a.solution),
        ],
    )
    roles = {r.id: r.name for r in p.roles}
    for role_id in a.roles:
        element("role", [("name", roles.get(role_id, str(role_id)))], root)
    mapped = {s.table for area in a.areas for g in area.groups for s in g.subareas}
    for table in a.tables:
        if table not in mapped:
            element("table", [("name", table)], root)
    forms = {f.id: f for f in p.forms}
    views = {v.id: v for v in p.views}
    for form_id in a.forms:
        form = forms.get(form_id)
        element(
            "form",
            [("table", form.table if form else "?"), ("name", form.name if form else str(form_id))],
            root,
        )
    for view_id in a.views:
        view = views.get(view_id)
        element(
            "view",
            [("table", view.table if view else "?"), ("name", view.name if view else str(view_id))],
            root,
        )
    for area in a.areas:
        area_el = element("area", [("id", area.id), ("title", area.title)], root)
        for g in area.groups:
            group_el = element("group", [("id", g.id), ("title", g.title)], area_el)
            for s in g.subareas:
                element(
                    "subarea",
                    [
                        ("id", s.id),
                        ("title", s.title),
                        ("table", s.table),
                        ("view", s.view),
                        ("url", s.url),
                    ],
                    group_el,
                )
    return root


def command_file(c: Command) -> Element:
    return element(
        "command",
        [
            ("id", c.id),
            ("table", c.table),
            ("location", c.location),
            ("label", c.label),
            ("library", c.library),
            ("function", c.function),
            ("tooltip", c.tooltip),
            ("icon", c.icon),
            ("sequence", None if c.sequence == 100 else c.sequence),
            ("app", c.app),
            ("solution", c.solution),
        ],
    )
