"""The plain Python writers of customizations.xml (render/xmlwrite.py) escape every value
exactly as the jinja2 templates do, and what they write reads back to the same labels."""

from __future__ import annotations

from dataclasses import replace

import pytest
from markupsafe import Markup
from support.big_project import SOLUTION, big_project

from builder.read.solution import read_entries
from builder.render import render_solution
from builder.render.customizations import environment
from builder.render.xmlwrite import esc

NASTY = "A & B <c> \"d\" 'e'\nline2\r\nx"
VALUES = [
    NASTY,
    "",
    "plain",
    "&amp;",
    "a\rb",
    "tab\there",
    "ünïcødé €",
    0,
    -1,
    105230000,
    2.5,
    True,
    None,
    Markup("<b>kept</b>"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_esc_writes_a_value_as_the_templates_do(value: object) -> None:
    template = environment().from_string('<x a="{{ v }}">{{ v }}</x>')
    assert template.render(v=value) == f'<x a="{esc(value)}">{esc(value)}</x>'


def test_labels_with_every_special_character_read_back_unchanged() -> None:
    project = big_project(2)
    tables = tuple(
        replace(
            t,
            description=NASTY,
            columns=tuple(
                replace(
                    c,
                    display_name=f"{c.display_name} {NASTY}",
                    description=NASTY,
                    options=tuple(replace(o, label=o.label + NASTY) for o in c.options),
                )
                for c in t.columns
            ),
        )
        for t in project.tables
    )
    project = replace(project, tables=tables)
    read = read_entries(render_solution(project, SOLUTION, True), "nasty").project
    expected = {c.logical_name: c for t in project.tables for c in t.columns}
    for table in read.tables:
        for column in table.columns:
            want = expected[column.logical_name]
            assert (column.display_name, column.description) == (
                want.display_name,
                want.description,
            )
            assert [o.label for o in column.options] == [o.label for o in want.options]
