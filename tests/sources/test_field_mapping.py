"""The field mapping (builder/model/mapping.py) drives load, unpack's writer and diff.

Per converted kind, a property test: any model component our source XSD can express,
written as a source element (valid by that XSD) and loaded back, is equal with plain `==`.
The components are drawn from the mapping and the XSD alone, so a new field is covered
without touching this file.

And adding a field to a column is one line in the model (plus one in the XSD): a column
class with one more field round-trips through the same generic load, write and diff code
the real kinds use.
"""

from __future__ import annotations

import shutil
from dataclasses import MISSING, dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from builder.diff.core import Collector
from builder.diff.tables import diff_tables
from builder.model import ChoiceOption, Column, GlobalChoice, Table
from builder.model.mapping import Slot, children, slots
from builder.sources import schema as xsd
from builder.sources.elements import Context, Source
from builder.sources.mapped import load, write
from builder.sources.tables import parse_global_choice, parse_table
from builder.sources.write import global_choice_file, table_file, to_bytes

# --- components drawn from the mapping and the XSD -----------------------------------------

IDENTIFIER = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co")), max_size=12
)
BY_XSD_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "identifier": IDENTIFIER,
    "identifierList": st.lists(IDENTIFIER, min_size=1, max_size=3).map(tuple),
    "nonEmpty": TEXT.filter(bool),
    "xs:string": TEXT,
    "xs:int": st.integers(-(2**31), 2**31 - 1),
    "xs:positiveInteger": st.integers(1, 10**6),
    "xs:nonNegativeInteger": st.integers(0, 10**6),
    "xs:decimal": st.integers(-(10**7), 10**7).map(lambda i: i / 4),
    "xs:boolean": st.booleans(),
    "guid": st.uuids(),
}


def components(
    cls: type, tag: str, kind: str, **fixed: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """Instances of `cls` whose source element `tag` satisfies the XSD of `kind` (`fixed`:
    fields whose values the XSD restricts beyond attribute types)."""
    types = xsd.schema_index(kind).attributes[tag]
    fields = {s.field: _values(s, types, kind) for s in slots(cls) if s.shape != "src"}
    return st.builds(cls, **(fields | fixed))


def nested(cls: type, tag: str, kind: str, key: Any, least: int) -> st.SearchStrategy[Any]:
    """At least `least` children of one class, in the model's order."""
    items = st.lists(components(cls, tag, kind), min_size=least, max_size=3)
    return items.map(lambda i: tuple(sorted(i, key=key)))


def _values(slot: Slot, types: dict[str, str], kind: str) -> st.SearchStrategy[Any]:
    if slot.shape == "children":
        items = st.one_of(*(components(c, t, kind) for t, c in slot.tags))
        found = st.lists(items, max_size=3)
        return found.map(lambda i: tuple(sorted(i, key=slot.spec.sort) if slot.spec.sort else i))
    if slot.shape == "child":
        return st.none() | components(slot.tags[0][1], slot.tags[0][0], kind)
    if slot.shape == "pair":
        return st.tuples(*(_attribute(types[a]) for a in slot.attrs))
    if slot.shape == "id":
        return st.uuids()
    values = _attribute(types[slot.attrs[0]])
    if slot.shape in ("int?", "float?"):
        values = st.none() | values
    return values if slot.default is MISSING else values | st.just(slot.default)


def _attribute(type_name: str) -> st.SearchStrategy[Any]:
    if type_name.startswith("one of: "):
        return st.sampled_from(type_name.removeprefix("one of: ").split(", "))
    return BY_XSD_TYPE[type_name]


def through_source(item: Any, tag: str, kind: str, cls: type | None = None) -> Any:
    """`item` written as a source file's bytes, parsed, checked by the XSD, loaded back."""
    root = etree.fromstring(to_bytes(write(item, tag)))
    assert xsd.validate(root, kind, f"{tag}.xml") == []
    return load(cls or type(item), Source(f"{tag}.xml", Path(f"{tag}.xml"), root), root, CTX)


CTX = Context(root=Path("."))
RELAXED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- one property per converted kind ---------------------------------------------------------


@RELAXED
@given(components(Table, "table", "table"))
def test_a_table_survives_its_source_file(table: Table) -> None:
    assert through_source(table, "table", "table") == table


@RELAXED
@given(
    components(
        GlobalChoice,
        "global-choice",
        "globalchoice",  # the XSD wants one option at least
        options=nested(ChoiceOption, "option", "globalchoice", lambda o: o.value, 1),
    )
)
def test_a_global_choice_survives_its_source_file(choice: GlobalChoice) -> None:
    assert through_source(choice, "global-choice", "globalchoice") == choice


def test_the_kinds_load_and_write_through_the_mapping() -> None:
    """The per-kind entry points are the generic ones, not copies of them."""
    table = Table("enreach_T", "T", columns=(Column("enreach_A", "text", "A", max_length=9),))
    choice = GlobalChoice("enreach_c", "C")
    for item, writer, parser in (
        (table, table_file, parse_table),
        (choice, global_choice_file, parse_global_choice),
    ):
        root = writer(item)
        assert etree.tostring(root) == etree.tostring(write(item, root.tag))
        assert parser(Source("x.xml", Path("x.xml"), root), CTX) == [item]


# --- a new column field is one line ------------------------------------------------------------


@dataclass(frozen=True)
class TaggedColumn(Column):
    sensitivity: str = ""  # the one line a new column field takes


@dataclass(frozen=True)
class TaggedTable(Table):
    # Only because this test cannot change the real Table: it holds the variant column.
    columns: tuple[TaggedColumn, ...] = children("column", sort=lambda c: c.logical_name)


@pytest.fixture
def tagged_xsd(tmp_path: Path) -> etree.XMLSchema:
    """table.xsd with the one XSD line for the new attribute."""
    folder = tmp_path / "schemas"
    shutil.copytree(xsd.SCHEMA_DIR, folder)
    path = folder / "table.xsd"
    text = path.read_text(encoding="utf-8")
    line = '<xs:attribute name="sensitivity" type="xs:string"/>\n    '
    anchor = '<xs:attribute name="external-name" type="xs:string"/>\n  </xs:complexType>'
    assert text.count(anchor) == 1
    path.write_text(text.replace(anchor, line + anchor), encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(path)))


SOURCE = b"""<table schema-name="enreach_Call" display-name="Call">
  <column schema-name="enreach_Number" type="text" display-name="Number" max-length="40"
          sensitivity="personal"/>
  <column schema-name="enreach_Note" type="memo" display-name="Note"/>
</table>"""


def test_a_new_column_field_loads_writes_and_diffs_with_no_other_change(
    tagged_xsd: etree.XMLSchema,
) -> None:
    root = etree.fromstring(SOURCE)
    assert not xsd.schema("table").validate(root)  # the XSD line is needed...
    assert tagged_xsd.validate(root), tagged_xsd.error_log  # ...and is all the XSD needs

    table = load(TaggedTable, Source("t.xml", Path("t.xml"), root), root, CTX)
    number, note = table.column("enreach_number"), table.column("enreach_note")
    assert isinstance(number, TaggedColumn) and isinstance(note, TaggedColumn)
    assert (number.sensitivity, note.sensitivity) == ("personal", "")

    written = etree.fromstring(to_bytes(write(table, "table")))  # columns sorted by name
    assert [c.get("sensitivity") for c in written] == [None, "personal"]
    assert tagged_xsd.validate(written), tagged_xsd.error_log
    assert load(TaggedTable, Source("t.xml", Path("t.xml"), written), written, CTX) == table

    changed = TaggedTable(
        "enreach_Call",
        "Call",
        columns=tuple(
            TaggedColumn(c.schema_name, c.type, c.display_name, max_length=c.max_length)
            if c.sensitivity
            else c
            for c in table.columns
        ),
    )
    out = Collector()
    diff_tables(out, (table,), (changed,))
    [change] = out.changes
    assert (change.kind, change.component, change.name, change.action) == (
        "column",
        "enreach_call",
        "enreach_number",
        "changed",
    )
    assert change.detail == "sensitivity 'personal' -> ''"


def test_a_field_the_model_does_not_declare_is_refused_when_its_type_has_no_source_shape() -> None:
    @dataclass(frozen=True)
    class Odd:
        when: complex = 0j

    with pytest.raises(TypeError, match="no source shape"):
        slots(Odd)
