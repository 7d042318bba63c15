"""A generated solution of N custom tables, made in code (no sources).

Each table has ten columns (a primary name and nine of mixed kinds), a main form and two
views (public and quick find); one role holds Create/Read/Write on every table. The
benchmarks build, validate and diff it at 50-400 tables; tests/render/test_generated_hash.py
pins the bytes it builds to.
"""

from __future__ import annotations

from builder.model import (
    Column,
    ColumnType,
    Form,
    FormField,
    FormSection,
    FormTab,
    Privilege,
    Project,
    Publisher,
    Role,
    SolutionDef,
    Table,
    View,
    ViewColumn,
    stable_id,
)
from support.samples import options

SOLUTION = "Big"
KINDS: tuple[ColumnType, ...] = (
    "text",
    "memo",
    "integer",
    "decimal",
    "boolean",
    "choice",
    "datetime",
    "money",
    "text",
)


def _column(table: str, i: int) -> Column:
    kind = KINDS[i % len(KINDS)]
    choices = options(*(f"Option {n}" for n in range(4)))
    return Column(
        f"enreach_{table}Field{i}",
        kind,
        f"Field {i}",
        max_length=200 if kind == "text" else None,
        precision=2 if kind in ("decimal", "money") else None,
        options=choices if kind == "choice" else (),
    )


def _table(n: int) -> Table:
    name = f"Thing{n:03d}"
    columns = (
        Column(f"enreach_{name}Name", "text", "Name", max_length=100, is_primary_name=True),
        *(_column(name, i) for i in range(9)),
    )
    return Table(
        f"enreach_{name}",
        f"Thing {n}",
        f"Things {n}",
        solution=SOLUTION,
        columns=tuple(sorted(columns, key=lambda c: c.logical_name)),
    )


def _ui(table: Table) -> tuple[Form, tuple[View, ...]]:
    fields = tuple(FormField(c.logical_name) for c in table.columns)
    form = Form(
        stable_id("form", table.logical_name, "main"),
        table.logical_name,
        "main",
        table.display_name,
        solution=SOLUTION,
        tabs=(FormTab("general", "General", (FormSection("main", "Main", fields),)),),
    )
    views = tuple(
        View(
            stable_id("view", table.logical_name, kind),
            table.logical_name,
            f"{kind.title()} {table.plural_name}",
            kind,
            is_default=kind == "public",
            solution=SOLUTION,
            columns=tuple(ViewColumn(c.logical_name) for c in table.columns[:5]),
            find_columns=(table.columns[0].logical_name,) if kind == "quickfind" else (),
        )
        for kind in ("public", "quickfind")
    )
    return form, views


def big_project(count: int) -> Project:
    tables = tuple(_table(n) for n in range(count))
    ui = [_ui(t) for t in tables]
    privileges = tuple(
        Privilege(f"prv{verb}{t.logical_name}", "Global")
        for t in tables
        for verb in ("Create", "Read", "Write")
    )
    return Project(
        version="1.0.0.0",
        publisher=Publisher("enreach", "Enreach", "enreach", 10523),
        solutions=(SolutionDef(SOLUTION, "Big", "A generated solution", "base", 1),),
        tables=tables,
        forms=tuple(f for f, _ in ui),
        views=tuple(v for _, vs in ui for v in vs),
        roles=(
            Role(
                stable_id("role", "all"),
                "All",
                privileges=tuple(sorted(privileges, key=lambda p: p.name)),
                solution=SOLUTION,
            ),
        ),
    )
