"""Time the build of a generated 200-table solution beside its floor.

Run by hand: python benchmarks/build_200_tables.py [tables] [repeats]
The project is made in code (no sources): N custom tables of ten columns each, a main form
and two views per table, one role over all of them. The floor is zipping the very entries
the render produced, with no rendering.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TypeVar

from builder.model import (
    ChoiceOption,
    Column,
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
from builder.package import zip_bytes
from builder.render import render_solution

T = TypeVar("T")
SOLUTION = "Big"
KINDS = ("text", "memo", "integer", "decimal", "boolean", "choice", "datetime", "money", "text")


def _column(table: str, i: int) -> Column:
    kind = KINDS[i % len(KINDS)]
    options = tuple(ChoiceOption(105230000 + n, f"Option {n}") for n in range(4))
    return Column(f"enreach_{table}Field{i}", kind, f"Field {i}",  # type: ignore[arg-type]
                  max_length=200 if kind == "text" else None,
                  precision=2 if kind in ("decimal", "money") else None,
                  options=options if kind == "choice" else ())


def _table(n: int) -> Table:
    name = f"Thing{n:03d}"
    columns = (Column(f"enreach_{name}Name", "text", "Name", max_length=100,
                      is_primary_name=True), *(_column(name, i) for i in range(9)))
    return Table(f"enreach_{name}", f"Thing {n}", f"Things {n}", solution=SOLUTION,
                 columns=tuple(sorted(columns, key=lambda c: c.logical_name)))


def _ui(table: Table) -> tuple[Form, tuple[View, ...]]:
    fields = tuple(FormField(c.logical_name) for c in table.columns)
    form = Form(stable_id("form", table.logical_name, "main"), table.logical_name, "main",
                table.display_name, solution=SOLUTION,
                tabs=(FormTab("general", "General", (FormSection("main", "Main", fields),)),))
    views = tuple(View(stable_id("view", table.logical_name, kind), table.logical_name,
                       f"{kind.title()} {table.plural_name}", kind,  # type: ignore[arg-type]
                       is_default=kind == "public", solution=SOLUTION,
                       columns=tuple(ViewColumn(c.logical_name) for c in table.columns[:5]),
                       find_columns=(table.columns[0].logical_name,) if kind == "quickfind" else ())
                  for kind in ("public", "quickfind"))
    return form, views


def big_project(count: int) -> Project:
    tables = tuple(_table(n) for n in range(count))
    ui = [_ui(t) for t in tables]
    privileges = tuple(Privilege(f"prv{verb}{t.logical_name}", "Global")
                       for t in tables for verb in ("Create", "Read", "Write"))
    return Project(
        version="1.0.0.0", publisher=Publisher("enreach", "Enreach", "enreach", 10523),
        solutions=(SolutionDef(SOLUTION, "Big", "A generated solution", "base", 1),),
        tables=tables, forms=tuple(f for f, _ in ui), views=tuple(v for _, vs in ui for v in vs),
        roles=(Role(stable_id("role", "all"), "All", privileges=tuple(
            sorted(privileges, key=lambda p: p.name)), solution=SOLUTION),),
    )


def best(repeats: int, work: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of `repeats` runs, and the last result."""
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    project = big_project(count)
    t_render, entries = best(repeats, lambda: render_solution(project, SOLUTION, True))
    t_floor, data = best(repeats, lambda: zip_bytes(entries))
    t_build, _ = best(repeats, lambda: zip_bytes(render_solution(project, SOLUTION, True)))
    size = sum(len(v) for v in entries.values())
    print(f"{count} tables: customizations.xml {len(entries['customizations.xml']) / 1e6:.1f} MB, "
          f"{size / 1e6:.1f} MB rendered, zip {len(data) / 1e6:.2f} MB (best of {repeats})")
    print(f"  render                {t_render * 1000:8.0f} ms")
    print(f"  floor: zip only       {t_floor * 1000:8.0f} ms")
    print(f"  render + zip          {t_build * 1000:8.0f} ms   {t_build / t_floor:5.1f} x floor")


if __name__ == "__main__":
    main()
