"""References between components: forms, views, the site map, commands and apps name
tables, columns, views and web resources that exist."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ...model import Form, FormQuickView, FormSubgrid, Src, View
from .base import Context, Finding, first_src, rule


def _missing_columns(
    ctx: Context, table: str, names: Iterable[tuple[str, Src]], what: str
) -> Iterator[Finding]:
    columns = ctx.columns(table)
    if columns is None:
        return  # a standard table whose columns this validator does not know
    complete = ctx.columns_complete(table)
    for name, src in names:
        if name.lower() in columns:
            continue
        if complete:
            yield Finding(
                src,
                f"{what} names column {name!r}, which {table} does not have",
                "use the logical name of a column of that table",
            )
        else:
            yield _unknown_standard_column(src, what, name, table, columns)


def _unknown_standard_column(
    src: Src, what: str, name: str, table: str, columns: frozenset[str]
) -> Finding:
    """voicepkg knows only the common columns of standard tables: a near miss of one of them
    is a typo (an error); anything else may be a real column it does not list (a warning)."""
    import difflib  # only when a name is unknown

    near = difflib.get_close_matches(name.lower(), sorted(columns), n=1, cutoff=0.85)
    if near:
        return Finding(
            src,
            f"{what} names column {name!r}, which {table} does not have",
            f"did you mean {near[0]!r}?",
        )
    return Finding(
        src,
        f"{what} names column {name!r}, which is not among the columns "
        f"voicepkg knows of the standard table {table}",
        "check the logical name; this list of standard columns is not complete, "
        "so a real column may be missing from it",
        at_most="warning",
    )


@rule(
    "DV121",
    foreign="warning",
    hint="use the logical name of a table or column that exists",
)
def form_columns(ctx: Context) -> Iterable[Finding]:
    for form in ctx.project.forms:
        if not ctx.has_table(form.table):
            yield Finding(
                form.src,
                f"form {form.name!r} is on unknown table {form.table!r}",
                "put the form on a table the solution declares or extends",
            )
            continue
        fields = [(f.column, first_src(f.src, form.src)) for f in form.fields()]
        events = [(e.attribute, first_src(e.src, form.src)) for e in form.events if e.attribute]
        yield from _missing_columns(ctx, form.table, fields + events, f"form {form.name!r}")


def _items(form: Form) -> Iterator[FormSubgrid | FormQuickView]:
    for tab in form.tabs:
        for section in tab.sections:
            yield from (i for i in section.items if isinstance(i, FormSubgrid | FormQuickView))


def _views_of(ctx: Context, table: str) -> set[str]:
    return {v.name.lower() for v in ctx.project.views if v.table.lower() == table.lower()}


def _subgrid(ctx: Context, form: Form, grid: FormSubgrid) -> Iterator[Finding]:
    src = first_src(grid.src, form.src)
    if not ctx.has_table(grid.table):
        yield Finding(src, f"subgrid {grid.name!r} shows unknown table {grid.table!r}")
    elif ctx.tables.get(grid.table.lower()) and grid.view.lower() not in _views_of(ctx, grid.table):
        yield Finding(
            src,
            f"subgrid {grid.name!r} uses view {grid.view!r}, which {grid.table} does not have",
            "name a view the project declares",
        )


_RAW_LOOKUPS = ("lookup", "customer", "owner")


def _quick_view(ctx: Context, form: Form, quick: FormQuickView) -> Iterator[Finding]:
    src = first_src(quick.src, form.src)
    lookup = ctx.lookup(form.table, quick.lookup)
    raw = ctx.raw_table(form.table)
    if raw is not None and raw.columns.get(quick.lookup.lower()) in _RAW_LOOKUPS:
        return  # a lookup of a table kept as exported: its targets are not modelled
    if lookup is None or lookup.type != "lookup":
        yield Finding(
            src,
            f"quick view {quick.name!r} uses {quick.lookup!r}, which is not a "
            f"lookup of {form.table}",
        )
        return
    forms = {
        f.name.lower() for f in ctx.project.forms if f.type == "quick" and f.table in lookup.targets
    }
    if any(t in ctx.tables for t in lookup.targets) and quick.form.lower() not in forms:
        yield Finding(
            src,
            f"quick view {quick.name!r} shows form {quick.form!r}, which is "
            "not a quick view form of the lookup's target",
        )


@rule(
    "DV122",
    foreign="warning",
    hint="name a view, lookup column or quick view form the project declares",
)
def form_components(ctx: Context) -> Iterable[Finding]:
    for form in ctx.project.forms:
        for item in _items(form):
            if isinstance(item, FormSubgrid):
                yield from _subgrid(ctx, form, item)
            else:
                yield from _quick_view(ctx, form, item)


@rule(
    "DV123",
    foreign="warning",
    hint="add the script as a web resource, or fix its name",
)
def form_scripts(ctx: Context) -> Iterable[Finding]:
    for form in ctx.project.forms:
        names = [(lib, form.src) for lib in form.libraries]
        names += [(e.library, first_src(e.src, form.src)) for e in form.events]
        for name, src in names:
            if name.lower() not in ctx.web_resources:
                yield Finding(src, f"form {form.name!r} loads unknown web resource {name!r}")
        loaded = {lib.lower() for lib in form.libraries}
        for event in form.events:
            if event.library.lower() in ctx.web_resources and event.library.lower() not in loaded:
                yield Finding(
                    first_src(event.src, form.src),
                    f"form {form.name!r}: "
                    f"{event.event} handler library {event.library!r} is not among "
                    "the form's libraries",
                    "list it in the form's libraries",
                )


def _view_columns(view: View) -> list[tuple[str, Src]]:
    names = [(c.name, first_src(c.src, view.src)) for c in view.columns]
    names += [(c.attribute, first_src(c.src, view.src)) for c in view.conditions]
    names += [(o.attribute, view.src) for o in view.order]
    return names + [(f, view.src) for f in view.find_columns]


@rule(
    "DV124",
    foreign="warning",
    hint="use the logical name of a table or column that exists",
)
def view_columns(ctx: Context) -> Iterable[Finding]:
    for view in ctx.project.views:
        if not ctx.has_table(view.table):
            yield Finding(view.src, f"view {view.name!r} is on unknown table {view.table!r}")
            continue
        names = [(n, s) for n, s in _view_columns(view) if "." not in n]  # skip linked columns
        yield from _missing_columns(ctx, view.table, names, f"view {view.name!r}")


_WEBRESOURCE_URL = re.compile(r"\$webresource:([^?#]+)", re.IGNORECASE)


@rule(
    "DV125",
    foreign="warning",
    hint="name a table, view or web resource the project declares",
)
def site_map(ctx: Context) -> Iterable[Finding]:
    for app in ctx.project.apps:
        for area in app.areas:
            for group in area.groups:
                for sub in group.subareas:
                    yield from _subarea(
                        ctx,
                        sub.table,
                        sub.view,
                        sub.url,
                        first_src(sub.src, group.src, area.src, app.src),
                    )


def _subarea(ctx: Context, table: str, view: str, url: str, src: Src) -> Iterator[Finding]:
    if table and not ctx.has_table(table):
        yield Finding(src, f"site map names unknown table {table!r}")
    elif (
        table and view and table.lower() in ctx.tables and view.lower() not in _views_of(ctx, table)
    ):
        yield Finding(src, f"site map names view {view!r}, which {table} does not have")
    if not table and not url:
        yield Finding(src, "site map subarea has neither a table nor a URL")
    match = _WEBRESOURCE_URL.match(url)
    if match and match.group(1).lower() not in ctx.web_resources:
        yield Finding(src, f"site map opens unknown web resource {match.group(1)!r}")


@rule(
    "DV126",
    foreign="warning",
    hint="name a table, app or web resource the project declares",
)
def commands(ctx: Context) -> Iterable[Finding]:
    apps = {a.unique_name.lower() for a in ctx.project.apps} | ctx.raw.apps
    for cmd in ctx.project.commands:
        if not ctx.has_table(cmd.table):
            yield Finding(cmd.src, f"command {cmd.id!r} is on unknown table {cmd.table!r}")
        for what, name in (("library", cmd.library), ("icon", cmd.icon)):
            if name and name.lower() not in ctx.web_resources:
                yield Finding(
                    cmd.src,
                    f"command {cmd.id!r}: {what} {name!r} is not a web resource of the project",
                )
        if cmd.app and cmd.app.lower() not in apps:
            yield Finding(cmd.src, f"command {cmd.id!r} is limited to unknown app {cmd.app!r}")


@rule(
    "DV127",
    foreign=None,
    hint="include only components the project declares",
)
def app_members(ctx: Context) -> Iterable[Finding]:
    p = ctx.project
    known = {
        "form": {f.id for f in p.forms} | ctx.raw.forms,
        "view": {v.id for v in p.views} | ctx.raw.views,
        "role": {r.id for r in p.roles} | ctx.raw.roles,
    }
    for app in p.apps:
        for kind, ids in (("form", app.forms), ("view", app.views), ("role", app.roles)):
            for ident in ids:
                if ident not in known[kind]:
                    yield Finding(app.src, f"app {app.unique_name} includes unknown {kind} {ident}")
        for table in app.tables:
            if not ctx.has_table(table):
                yield Finding(app.src, f"app {app.unique_name} includes unknown table {table!r}")
        if app.icon and app.icon.lower() not in ctx.web_resources:
            yield Finding(app.src, f"app {app.unique_name} uses unknown icon {app.icon!r}")
