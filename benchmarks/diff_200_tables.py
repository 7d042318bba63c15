"""Time `diff` of two versions of a generated 200-table solution, beside its floors.

Run by hand: python benchmarks/diff_200_tables.py [tables] [repeats]
Version 2 changes one table in ten (a column shortened, one added, a view column dropped)
and removes one table. Figures: the pure model diff; reading both built zips into models
(what `voicepkg diff a.zip b.zip` does first); the whole zip-to-report path; and two
floors: unzipping both, and parsing both customizations.xml files without reading them.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from timing import interleaved, timed

from support.big_project import SOLUTION, big_project  # isort: skip (found through timing's path)

from builder.archive.safezip import read_zip
from builder.archive.writer import zip_bytes
from builder.diff.projects import diff_projects
from builder.diff.remainders import without_remainders
from builder.diff.show import render_text
from builder.model import Column, Project, ViewColumn
from builder.read.solution import no_cycle_collection, read_compared, read_solution_zip
from builder.render import render_solution
from builder.xmlio.exported import Element
from builder.xmlio.safe import parse_xml


def second_version(project: Project) -> Project:
    tables = list(project.tables)
    for n in range(0, len(tables), 10):
        table = tables[n]
        first, *rest = table.columns
        extra = Column(f"enreach_Extra{n}", "text", "Extra", max_length=50)
        tables[n] = replace(table, columns=(replace(first, max_length=80), *rest, extra))
    views = tuple(
        replace(v, columns=v.columns[:-1] + (ViewColumn("createdon"),)) if i % 20 == 0 else v
        for i, v in enumerate(project.views)
    )
    gone = tables.pop().logical_name
    return replace(
        project,
        version="1.1.0.0",
        tables=tuple(tables),
        views=tuple(v for v in views if v.table != gone),
        forms=tuple(f for f in project.forms if f.table != gone),
    )


LABELS = ("old.zip", "new.zip")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    old, new = big_project(count), second_version(big_project(count))
    zips = [zip_bytes(render_solution(p, SOLUTION, True)) for p in (old, new)]
    t_models, report = timed(repeats, lambda: diff_projects(old, new))
    read = [read_solution_zip(z) for z in zips]
    # the read is faithful (what it leaves unread, sources do not hold: diff/remainders.py)
    assert not diff_projects(without_remainders(read[0]), old).different

    def whole() -> str:  # as cli/diff_cmd.py runs it: the models made, compared and dropped
        with no_cycle_collection():  # without the cyclic collector, then the report rendered
            # the zips' entries dropped once read, the parsed XML after the report: as
            # the CLI does (the entries held to the end cost ~100 ms more, in glibc)
            trees: list[Element] = []
            report = diff_projects(
                *read_compared(read_zip(zips[0]), read_zip(zips[1]), LABELS, trees)
            )
            return render_text(report)

    def every_table() -> str:  # each zip read whole: what `whole` leaves unread is read too
        with no_cycle_collection():
            report = diff_projects(read_solution_zip(zips[0]), read_solution_zip(zips[1]))
        return render_text(report)

    assert whole() == every_table()

    def floor() -> list[object]:
        return [parse_xml(read_zip(z)["customizations.xml"], "c") for z in zips]

    t_floor, t_all, t_every = interleaved(repeats, floor, whole, every_table)
    print(f"{count} tables, zips of {len(zips[0]) / 1e6:.2f} MB; {len(report.changes)} changes")
    print(t_models.line("diff of two models"))
    print(t_floor.line("floor: unzip + parse both"))
    print(t_all.line("zips -> text report (what the CLI does)", t_floor))
    print(t_every.line("the same, every table read", t_floor))


if __name__ == "__main__":
    main()
