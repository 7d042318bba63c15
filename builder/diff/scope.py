"""Make two projects comparable before `diff_projects` looks at them.

- `canonical` sorts what has no meaning in its order, so both sides get one order. (One
  spelling per meaning is the model's own business: a column's open properties, the
  libraries a form loads, a view's find columns, a site map's web resource URL.)
- `comparable` narrows two sides to what both can show: one solution zip holds one
  solution and no configuration data, and a built zip does not carry some source-only facts
  (a role's description, the virtual table's data source, ...). What is left out is said
  in the returned notes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from ..model import AppModule, Column, CustomApi, Project, Table
from ..model.kinds import SOLUTION_FIELDS
from .remainders import without_remainders

SideKind = Literal["sources", "solution", "package"]


def canonical_column(c: Column) -> Column:
    """Options and targets in one order (a column's defaults are the model's own business)."""
    options = tuple(sorted(c.options, key=lambda o: o.value))
    targets = tuple(sorted(c.targets))
    if (options, targets) == (c.options, c.targets):
        return c  # most columns already are
    return replace(c, options=options, targets=targets)


def _table(t: Table) -> Table:
    return replace(
        t,
        columns=tuple(
            sorted((canonical_column(c) for c in t.columns), key=lambda c: c.logical_name)
        ),
        keys=tuple(sorted(t.keys, key=lambda k: k.logical_name)),
        status_reasons=tuple(sorted(t.status_reasons, key=lambda s: (s.state, s.value))),
    )


def _app(a: AppModule) -> AppModule:
    return replace(
        a,
        tables=tuple(sorted(set(a.tables))),
        forms=tuple(sorted(set(a.forms), key=str)),
        views=tuple(sorted(set(a.views), key=str)),
        roles=tuple(sorted(set(a.roles), key=str)),
    )


def canonical(p: Project) -> Project:
    return replace(
        p,
        tables=tuple(_table(t) for t in p.tables),
        global_choices=tuple(
            replace(c, options=tuple(sorted(c.options, key=lambda o: o.value)))
            for c in p.global_choices
        ),
        roles=tuple(
            replace(r, privileges=tuple(sorted(r.privileges, key=lambda x: x.name)))
            for r in p.roles
        ),
        apps=tuple(_app(a) for a in p.apps),
        custom_apis=tuple(_api(a) for a in p.custom_apis),
        session_templates=tuple(
            replace(s, additional_tabs=tuple(sorted(s.additional_tabs)))
            for s in p.session_templates
        ),
        notification_templates=tuple(
            replace(n, fields=tuple(sorted(n.fields, key=lambda f: (f.order, f.unique_name))))
            for n in p.notification_templates
        ),
        tab_templates=tuple(
            replace(t, parameters=tuple(sorted(t.parameters, key=lambda x: x.unique_name)))
            for t in p.tab_templates
        ),
    )


def _api(a: CustomApi) -> CustomApi:
    return replace(
        a,
        request=tuple(sorted(a.request, key=lambda x: x.unique_name)),
        response=tuple(sorted(a.response, key=lambda x: x.unique_name)),
    )


# --- what two sides can both show -----------------------------------------------------------

ZIP_BLIND_FACTS = (
    "role descriptions, the virtual table's data provider and URL variable, system tables' "
    "plural names and flags, template parameter descriptions, the parameters a notification "
    "template declares"
)
ZIP_BLIND_NOTE = (
    f"not compared because a built solution does not carry them: {ZIP_BLIND_FACTS}; "
    "nor root components, missing dependencies, languages and content types, which sources "
    "derive when built, nor what voicepkg does not read of a component (compare two zips "
    "for those)"
)
UNPACKED_NOTE = (
    "not compared because {side} was unpacked from a built solution (project.xml "
    f'unpacked="true"), which does not carry them: {ZIP_BLIND_FACTS}'
)


def _blind_table(t: Table) -> Table:
    if t.virtual is not None:
        t = replace(t, virtual=replace(t.virtual, data_provider="", url_variable=""))
    if t.existing:
        t = replace(t, plural_name="", description="", is_activity=False, ownership="user")
    return t


def blind_to_zip(p: Project) -> Project:
    """Blank the facts of sources that a solution zip cannot show."""
    return replace(
        p,
        tables=tuple(_blind_table(t) for t in p.tables),
        roles=tuple(replace(r, description="") for r in p.roles),
        tab_templates=tuple(
            replace(t, parameters=tuple(replace(x, description="") for x in t.parameters))
            for t in p.tab_templates
        ),
        notification_templates=tuple(replace(n, parameters=()) for n in p.notification_templates),
        settings=tuple(replace(s, required_per_environment=s.default == "") for s in p.settings),
    )


def restrict(p: Project, solutions: set[str], with_data: bool) -> Project:
    """Only the components of `solutions`; without the data records unless `with_data`."""

    def keep(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(i for i in items if getattr(i, "solution", "") in solutions)

    fields: dict[str, Any] = {name: keep(getattr(p, name)) for name in SOLUTION_FIELDS}
    return replace(
        p,
        solutions=tuple(
            replace(s, import_order=1, role="base")
            for s in p.solutions
            if s.unique_name in solutions
        ),
        cif1_providers=p.cif1_providers if with_data else (),
        settings=p.settings if with_data else (),
        **fields,
    )


def comparable(
    old: Project, old_kind: SideKind, new: Project, new_kind: SideKind
) -> tuple[Project, Project, list[str]]:
    notes: list[str] = []
    if "solution" in (old_kind, new_kind):
        names = {s.unique_name for s in old.solutions} & {s.unique_name for s in new.solutions}
        if not names:
            names = {s.unique_name for s in old.solutions} | {s.unique_name for s in new.solutions}
        old, new = restrict(old, names, False), restrict(new, names, False)
        notes.append(
            f"compared solution(s) {', '.join(sorted(names))} only; default settings "
            "and the CIF 1.0 record are package data, not in a solution zip"
        )
    if "sources" in (old_kind, new_kind) and {old_kind, new_kind} != {"sources"}:
        old, new = blind_to_zip(old), blind_to_zip(new)
        old, new = replace(old, packaging=()), replace(new, packaging=())
        old, new = without_remainders(old), without_remainders(new)
        if old_kind == "sources":
            old = derived_names_from(old, new)
        else:
            new = derived_names_from(new, old)
        notes.append(ZIP_BLIND_NOTE)
    elif old.unpacked or new.unpacked:
        # sources unpack wrote from a zip lack what the zip lacked: blind both sides to it
        old, new = blind_to_zip(old), blind_to_zip(new)
        side = " and ".join(p.root or "a side" for p in (old, new) if p.unpacked)
        notes.append(UNPACKED_NOTE.format(side=side))
    return old, new, notes


def derived_names_from(sources: Project, built: Project) -> Project:
    """A lookup whose sources leave its relationship name to the render takes the name the
    build gave it: 'derived' is what the sources asked for."""
    names = {
        (t.logical_name, c.logical_name): c.relationship
        for t in built.tables
        for c in t.columns
        if c.type == "lookup"
    }

    def fill(table: Table) -> Table:
        return replace(
            table,
            columns=tuple(
                replace(c, relationship=names.get((table.logical_name, c.logical_name), ""))
                if c.type == "lookup" and not c.relationship
                else c
                for c in table.columns
            ),
        )

    return replace(sources, tables=tuple(fill(t) for t in sources.tables))
