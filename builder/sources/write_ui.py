"""Forms, views, roles, apps and commands as `solution_src/` source files.

See `unpack_write.py` for the conventions (defaults left out, ids always written)."""

from __future__ import annotations

from ..model import (
    AppModule,
    Command,
    Form,
    Project,
    Role,
    View,
)
from .mapped import Element, element, write


def form_file(f: Form) -> Element:
    return write(f, "form")


def views_file(table: str, solution: str, views: list[View]) -> Element:
    root = element("views", [("table", table), ("solution", solution)])
    for v in views:
        write(v, "view", root, skip=("solution",))  # the file's root says both
    return root


def role_file(r: Role) -> Element:
    return write(r, "role")


def app_file(a: AppModule, p: Project) -> Element:
    root = write(a, "app")
    site_map = list(root)  # moved after the references below, as the XSD orders them
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
    for area in site_map:
        root.append(area)
    return root


def command_file(c: Command) -> Element:
    return write(c, "command")
