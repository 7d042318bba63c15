"""Tables, forms and views keep their element and find their remainder when asked
(`read/kept.py`): the reader runs again over a copy that records what it asks for, and two
versions are first told equal by their bytes (`xmlio/spans.py`). The short cuts must give
what the long way gives, on real exports."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.big_project import SOLUTION, big_project
from support.common import CORPUS2, need_shared
from support.zipsame import zip_entries

from builder.archive.writer import zip_bytes
from builder.diff.projects import diff_projects
from builder.model import Column, Project
from builder.read.kept import Later, TableLater, unread_of
from builder.read.solution import read_solution_zip
from builder.render import render_solution
from builder.xmlio.safe import parse_xml
from builder.xmlio.spans import EntitySpans, column_spans, same_entity

ZIPS = sorted(p.name for p in (CORPUS2 / "zips").glob("*.zip")) if CORPUS2.exists() else []
CLS = "ColumnLevelSecuritySampleSolution.zip"


def _read(name: str, *edits: tuple[bytes, bytes]) -> Project:
    entries = zip_entries(need_shared(CORPUS2 / "zips" / name).read_bytes())
    for edit in edits:
        assert entries["customizations.xml"].count(edit[0]) == 1, edit
        entries["customizations.xml"] = entries["customizations.xml"].replace(*edit)
    return read_solution_zip(zip_bytes(entries))


@pytest.mark.parametrize("name", ZIPS)
def test_every_export_s_entities_are_found_in_its_bytes(name: str) -> None:
    """The byte short cut is taken on real exports, and finds each entity where it is: each
    span parses to its entity, and an export read twice is the same bytes entity by entity."""
    data = zip_entries(need_shared(CORPUS2 / "zips" / name).read_bytes())["customizations.xml"]
    entities = parse_xml(data, name).findall("Entities/Entity")
    spans = EntitySpans(data, entities)
    again = EntitySpans(data, parse_xml(data, name).findall("Entities/Entity"))
    for index, entity in enumerate(entities):
        span = spans.span(index)
        assert span is not None, name
        piece = data[span[0] : span[1]]
        if index + 1 < len(entities):  # the last one runs to the end of the file
            assert parse_xml(piece, name).findtext("Name") == entity.findtext("Name")
        assert same_entity(spans, index, again, index)
    for table in read_solution_zip(need_shared(CORPUS2 / "zips" / name).read_bytes()).tables:
        remainder = table.remainder
        assert isinstance(remainder, TableLater) and remainder.scope is not None
        count = len(remainder.element.findall("EntityInfo/entity/attributes/attribute"))
        columns = column_spans(*remainder.scope, count, remainder.others)
        assert (columns is not None and len(columns[1]) == count) or not count, table.schema_name


def test_a_column_compared_alone_gives_what_the_whole_entity_gives() -> None:
    """A table whose entity differs in one column only is compared column by column; the
    whole entity read again gives the same change."""
    column = b'<attribute PhysicalName="sample_Name">'
    old = _read(CLS)
    new = _read(CLS, (column, column.replace(b'">', b'" x="1">')))
    [before], [after] = old.tables, new.tables
    assert isinstance(before.remainder, TableLater) and isinstance(after.remainder, TableLater)
    expected = [("EntityInfo/entity/attributes/attribute[sample_Name]/@x", None, "1")]
    assert before.remainder.changes(after.remainder) == expected
    assert Later.changes(before.remainder, after.remainder) == expected
    assert before.remainder.changes(old.tables[0].remainder) == []


def test_without_the_byte_short_cut_the_remainder_is_the_same() -> None:
    """An entity the spans do not find (a comment after it could hide a tag) is compared
    element by element: the same change comes out."""
    hidden = (b"</Entity>", b"</Entity><!-- -->")
    edit = (b"<EntityHelpUrlEnabled>0<", b"<EntityHelpUrlEnabled>1<")
    old = _read(CLS, hidden)
    remainder = old.tables[0].remainder
    assert isinstance(remainder, TableLater) and remainder.scope is not None
    assert remainder.scope[0].span(0) is None
    assert not diff_projects(old, _read(CLS, hidden)).changes
    found = diff_projects(_read(CLS), _read(CLS, edit)).changes
    unfound = diff_projects(old, _read(CLS, hidden, edit)).changes
    assert [c.detail for c in found] == [c.detail for c in unfound]
    assert [c.detail for c in found] == ["unread EntityInfo/entity/EntityHelpUrlEnabled '0' -> '1'"]


def test_the_reader_read_again_records_exactly_its_look_ups() -> None:
    """What a reader asks of the copy is what is read: every attribute and text of a view
    the model says nothing of is a part, none of those it holds is."""
    [view, *_] = _read(CLS).views
    assert isinstance(view.remainder, Later)
    parts, keyed = unread_of(view.remainder.element, view.remainder.reader)
    assert parts["layoutxml/grid/@preview"] == "1"
    assert parts["IsCustomizable"] == "1"
    assert not any(w.startswith("savedqueryid") or w.endswith("/@width") for w in parts)
    assert "layoutxml/grid/row/cell[sample_name]" in keyed


def test_an_added_column_is_the_model_s_change_only() -> None:
    """A column on one side only is reported by the model; its unread parts are not listed
    again (a keyed element the reader read, on one side)."""
    project = big_project(3)
    table = project.tables[0]
    extra = Column("enreach_Extra", "text", "Extra", max_length=50)
    grown = replace(
        project, tables=(replace(table, columns=(*table.columns, extra)), *project.tables[1:])
    )
    old, new = (
        read_solution_zip(zip_bytes(render_solution(p, SOLUTION, True))) for p in (project, grown)
    )
    changes = diff_projects(old, new).changes
    assert [(c.kind, c.action) for c in changes] == [("column", "added")]
