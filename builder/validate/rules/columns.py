"""Columns and tables: lookups, lengths, ranges, primary names, keys, virtual sources."""

from __future__ import annotations

from collections.abc import Iterable

from ...dataverse.column_types import MAX_LENGTHS, NUMBER_RANGES
from ...model import Column
from .base import Context, Finding, first_src, rule


@rule(
    "DV115",
    foreign="warning",
    hint="target a table the solution declares or a standard Dataverse table",
)
def lookup_targets(ctx: Context) -> Iterable[Finding]:
    for table in ctx.project.tables:
        for col in table.columns:
            if col.type != "lookup":
                continue
            if not col.targets:
                yield Finding(
                    col.src, f"lookup {table.logical_name}.{col.logical_name} has no target table"
                )
            for target in col.targets:
                if not ctx.has_table(target):
                    yield Finding(
                        col.src,
                        f"lookup {table.logical_name}.{col.logical_name} "
                        f"targets unknown table {target!r}",
                    )


@rule(
    "DV116",
    hint="single line text holds 1..4000 characters, multiple lines 1..1048576",
)
def text_lengths(ctx: Context) -> Iterable[Finding]:
    for table in ctx.project.tables:
        for col in table.columns:
            limit = MAX_LENGTHS.get(col.type)
            if limit and col.max_length is not None and not 1 <= col.max_length <= limit:
                yield Finding(
                    col.src,
                    f"{table.logical_name}.{col.logical_name}: max length "
                    f"{col.max_length} is outside 1..{limit}",
                )


def _range_problem(col: Column) -> str:
    low, high = NUMBER_RANGES[col.type]
    for label, value in (("minimum", col.min_value), ("maximum", col.max_value)):
        if value is not None and not low <= value <= high:
            return f"{label} {value:g} is outside {low}..{high}"
    if col.min_value is not None and col.max_value is not None and col.min_value > col.max_value:
        return f"minimum {col.min_value:g} is above maximum {col.max_value:g}"
    return ""


@rule(
    "DV117",
    hint="keep minimum <= maximum, inside the limits of the column type",
)
def number_ranges(ctx: Context) -> Iterable[Finding]:
    for table in ctx.project.tables:
        for col in table.columns:
            problem = _range_problem(col) if col.type in NUMBER_RANGES else ""
            if problem:
                yield Finding(col.src, f"{table.logical_name}.{col.logical_name}: {problem}")


@rule(
    "DV118",
    hint="mark one single-line text column as the primary name",
)
def primary_name(ctx: Context) -> Iterable[Finding]:
    for table in ctx.project.tables:
        if table.existing or table.is_activity:
            continue  # an activity table's primary name is the shared `subject`
        primaries = [c for c in table.columns if c.is_primary_name]
        if len(primaries) != 1:
            yield Finding(
                table.src, f"table {table.logical_name} has {len(primaries)} primary name columns"
            )
        elif primaries[0].type != "text":
            yield Finding(
                primaries[0].src,
                f"primary name {primaries[0].logical_name} is of "
                f"type {primaries[0].type}, not text",
            )


@rule(
    "DV129",
    foreign="warning",
    hint="set ownership to user or organization: Dataverse creates no table owned by no one",
)
def table_ownership(ctx: Context) -> Iterable[Finding]:
    """Dataverse's OwnershipTypes name None, but a custom table is UserOwned or OrgOwned
    (Microsoft.Xrm.Sdk.Metadata.OwnershipTypes); no export of the reference corpus has
    another. `none` is read from exports, never built."""
    for table in ctx.project.tables:
        if not table.existing and table.ownership == "none":
            yield Finding(table.src, f"table {table.logical_name} is owned by no one")


@rule(
    "DV119",
    hint="list logical names of columns the table has",
)
def key_columns(ctx: Context) -> Iterable[Finding]:
    for table in ctx.project.tables:
        columns = ctx.columns(table.logical_name)
        for key in table.keys:
            if not key.columns:
                yield Finding(key.src, f"key {key.schema_name} names no column")
            for name in key.columns:
                if columns is not None and name.lower() not in columns:
                    yield Finding(
                        key.src,
                        f"key {key.schema_name} names unknown column "
                        f"{name!r} of {table.logical_name}",
                    )


@rule(
    "DV120",
    hint="declare the environment variable, or name one that exists",
)
def virtual_sources(ctx: Context) -> Iterable[Finding]:
    variables = {e.schema_name.lower() for e in ctx.project.environment_variables}
    variables |= ctx.raw.entry_names("environmentvariabledefinitions")
    for table in ctx.project.tables:
        source = table.virtual
        if source is None:
            continue  # (a model read back from a zip may not know the variable: "")
        src = first_src(source.src, table.src)
        if source.url_variable and source.url_variable.lower() not in variables:
            yield Finding(
                src,
                f"virtual table {table.logical_name} reads its URL from "
                f"undeclared variable {source.url_variable!r}",
            )
        if not source.external_name:
            yield Finding(
                src, f"virtual table {table.logical_name} has no external (entity set) name"
            )
