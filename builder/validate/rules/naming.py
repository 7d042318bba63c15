"""Names: the publisher's prefix, Dataverse's character and length rules, uniqueness."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from ...dataverse.options import OPTION_VALUE_PREFIX_RANGE
from ...dataverse.system_columns import AUDIT_COLUMNS, ORGANIZATION_COLUMNS, OWNER_COLUMNS
from ...model import Project, Src, Table
from ...model.kinds import KINDS
from .base import Context, Finding, fix_or_keep, project_src, rule

_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9]{1,7}")
_SCHEMA = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Length limits we enforce (the maker portal's limits for tables and columns; SCF unique
# names are String(128) columns).
MAX_LENGTH = {
    "table": 50,
    "column": 50,
    "choice": 100,
    "key": 100,
    "environment variable": 100,
    "custom API": 128,
    "app": 100,
    "unique name": 128,
}


_EVERY_TABLE = AUDIT_COLUMNS | OWNER_COLUMNS | ORGANIZATION_COLUMNS


def is_system_column(table: Table, logical_name: str) -> bool:
    """Columns Dataverse adds to every table (a read-back export lists them too)."""
    return logical_name in _EVERY_TABLE or logical_name == table.primary_id


def named_components(project: Project) -> Iterator[tuple[str, str, Src]]:
    """(kind, schema name, src) of every custom component whose name carries the prefix."""
    for table in project.tables:
        if not table.existing:
            yield "table", table.schema_name, table.src
        for column in table.columns:
            if not is_system_column(table, column.logical_name):
                yield "column", column.schema_name, column.src
        for key in table.keys:
            yield "key", key.schema_name, key.src
    yield from (("choice", c.name, c.src) for c in project.global_choices)
    yield from (
        ("environment variable", e.schema_name, e.src) for e in project.environment_variables
    )
    yield from (("custom API", a.unique_name, a.src) for a in project.custom_apis)
    yield from (("app", a.unique_name, a.src) for a in project.apps)
    for items in (
        project.cif2_providers,
        project.tab_templates,
        project.session_templates,
        project.notification_templates,
    ):
        yield from (("unique name", i.unique_name, i.src) for i in items)


@rule(
    "DV101",
    hint="2 to 8 letters or digits, starting with a letter, not 'mscrm'",
)
def publisher_prefix(ctx: Context) -> Iterable[Finding]:
    prefix = ctx.project.publisher.prefix
    if not _PREFIX.fullmatch(prefix) or prefix.lower().startswith("mscrm"):
        yield Finding(ctx.project.publisher.src, f"publisher prefix {prefix!r} is not valid")


@rule(
    "DV102",
    hint="Dataverse accepts option value prefixes from 10000 to 99999",
)
def option_value_prefix(ctx: Context) -> Iterable[Finding]:
    value = ctx.project.publisher.option_value_prefix
    low, high = OPTION_VALUE_PREFIX_RANGE
    if not low <= value <= high:
        yield Finding(ctx.project.publisher.src, f"option value prefix {value} is out of range")


@rule(
    "DV103",
    foreign="warning",
    hint="rename it with the publisher's prefix",
)
def names_have_prefix(ctx: Context) -> Iterable[Finding]:
    want = ctx.prefix + "_"
    for kind, name, src in named_components(ctx.project):
        if not name.lower().startswith(want):
            yield Finding(
                src,
                f"{kind} {name!r} does not start with the publisher prefix {want!r}",
                fix_or_keep(ctx, f"rename it to {want}{name.split('_', 1)[-1]}"),
            )


@rule(
    "DV104",
    hint="a schema name starts with a letter and holds only A-Z, a-z, 0-9 and '_'",
)
def names_valid_characters(ctx: Context) -> Iterable[Finding]:
    for kind, name, src in named_components(ctx.project):
        if not _SCHEMA.fullmatch(name) or not name.isascii():
            yield Finding(src, f"{kind} name {name!r} has characters Dataverse refuses")


@rule("DV105", hint="choose a shorter name")
def names_not_too_long(ctx: Context) -> Iterable[Finding]:
    for kind, name, src in named_components(ctx.project):
        limit = MAX_LENGTH[kind]
        if len(name) > limit:
            yield Finding(
                src,
                f"{kind} name {name!r} is {len(name)} characters, over the limit of {limit}",
                "choose a shorter name",
            )


def _duplicates(kind: str, items: Iterable[tuple[str, Src]]) -> Iterator[Finding]:
    seen: dict[str, Src] = {}
    for name, src in items:
        key = name.lower()
        if key in seen:
            first = seen[key]
            where = f" (first at {first.file}:{first.line})" if first.file else ""
            yield Finding(
                src, f"duplicate {kind} {name!r}{where}", f"each {kind} needs a name of its own"
            )
        else:
            seen[key] = src


def _named(items: Iterable[Any], attr: str) -> list[tuple[str, Src]]:
    return [(str(getattr(i, attr)), i.src) for i in items]


def name_groups(project: Project) -> Iterator[tuple[str, list[tuple[str, Src]]]]:
    """(kind, [(name, src)]) for every kind whose names must be unique."""
    p = project
    yield "solution", _named(p.solutions, "unique_name")
    yield "table", _named(p.tables, "schema_name")
    for t in p.tables:
        yield f"column of {t.logical_name}", _named(t.columns, "schema_name")
        yield f"key of {t.logical_name}", _named(t.keys, "schema_name")
    for kind in KINDS:  # tables above; forms and views are unique per table (DV128)
        if kind.source and kind.field not in ("tables", "forms", "views"):
            yield kind.label, [(kind.name(i), i.src) for i in getattr(p, kind.field)]
    yield (
        "template parameter",
        [(x.unique_name, x.src) for t in p.tab_templates for x in t.parameters],
    )
    yield (
        "notification field",
        [(x.unique_name, x.src) for t in p.notification_templates for x in t.fields],
    )
    for r in p.roles:
        yield f"privilege of role {r.name!r}", _named(r.privileges, "name")


@rule("DV106", hint="rename or remove one of them")
def unique_names(ctx: Context) -> Iterable[Finding]:
    for kind, items in name_groups(ctx.project):
        yield from _duplicates(kind, items)


@rule(
    "DV128",
    foreign="warning",
    hint="Dataverse accepts twins, but users cannot tell them apart: rename one",
)
def unique_form_and_view_names(ctx: Context) -> Iterable[Finding]:
    p = ctx.project
    yield from _duplicates("form", [(f"{f.table}/{f.type}/{f.name}", f.src) for f in p.forms])
    yield from _duplicates("view", [(f"{v.table}/{v.name}", v.src) for v in p.views])


def id_components(project: Project) -> Iterator[tuple[str, str, Src]]:
    """(kind, id, src) of every component that carries a GUID."""
    for kind in KINDS:
        for item in getattr(project, kind.field):
            if isinstance(getattr(item, "id", None), uuid.UUID):
                yield kind.label, str(item.id), item.src


@rule(
    "DV107",
    hint="give each component its own GUID (or leave it out to derive one from the name)",
)
def unique_ids(ctx: Context) -> Iterable[Finding]:
    seen: dict[str, str] = {}
    for kind, ident, src in id_components(ctx.project):
        if ident in seen:
            yield Finding(src, f"{kind} id {ident} is already used by a {seen[ident]}")
        else:
            seen[ident] = kind


@rule(
    "DV108",
    hint="use the unique name of one of the project's solutions",
)
def solutions_declared(ctx: Context) -> Iterable[Finding]:
    names = {s.unique_name for s in ctx.project.solutions}
    for kind, item in _solution_members(ctx.project):
        owner = getattr(item, "solution", "")
        if owner and owner not in names:
            yield Finding(item.src, f"{kind} belongs to undeclared solution {owner!r}")


def _solution_members(project: Project) -> Iterator[tuple[str, Any]]:
    for kind in KINDS:
        if kind.solution_aware and kind.source:
            yield from ((kind.label, i) for i in getattr(project, kind.field))


@rule(
    "DV109",
    hint="declare the solutions in the project file",
)
def has_solutions(ctx: Context) -> Iterable[Finding]:
    if not ctx.project.solutions:
        yield Finding(
            project_src(ctx.project),
            "no solution is declared",
            "declare the solutions the project builds",
        )
    orders = [s.import_order for s in ctx.project.solutions]
    if len(orders) != len(set(orders)):
        yield Finding(
            project_src(ctx.project),
            f"solutions share an import order: {orders}",
            "give every solution its own import order",
        )
