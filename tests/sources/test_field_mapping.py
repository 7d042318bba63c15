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
from collections.abc import Callable
from dataclasses import MISSING, dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from builder.diff.core import Collector
from builder.diff.tables import diff_tables
from builder.model import (
    ApplicationTabTemplate,
    AppModule,
    ChoiceOption,
    Cif1Provider,
    Cif2Provider,
    Column,
    Command,
    CustomApi,
    EnvironmentVariable,
    Form,
    GlobalChoice,
    NotificationField,
    NotificationTemplate,
    Project,
    Publisher,
    Role,
    SessionTemplate,
    Setting,
    Table,
    View,
)
from builder.model.kinds import BY_FIELD, BY_MODEL
from builder.model.mapping import Slot, children, slots
from builder.sources import schema as xsd
from builder.sources.channels import parse_settings
from builder.sources.elements import Context, Source
from builder.sources.mapped import load, write
from builder.sources.parsers import parser_of
from builder.sources.security import parse_environment_variables, parse_role
from builder.sources.ui import parse_app, parse_views
from builder.sources.write import global_choice_file, table_file, to_bytes
from builder.sources.write_data import (
    cif1_file,
    cif2_file,
    custom_api_file,
    environment_variables_file,
    notification_template_file,
    session_template_file,
    settings_files,
    tab_template_file,
)
from builder.sources.write_ui import app_file, command_file, form_file, role_file, views_file

# --- components drawn from the mapping and the XSD -----------------------------------------

IDENTIFIER = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
TEXT_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co"))
TEXT = st.text(TEXT_CHARACTERS, max_size=8)
XS = "{http://www.w3.org/2001/XMLSchema}"
BUILT_IN: dict[str, st.SearchStrategy[Any]] = {
    "xs:string": TEXT,
    "xs:int": st.integers(-(2**31), 2**31 - 1),
    "xs:positiveInteger": st.integers(1, 10**6),
    "xs:nonNegativeInteger": st.integers(0, 10**6),
    "xs:decimal": st.integers(-(10**7), 10**7).map(lambda i: i / 4),
    "xs:boolean": st.booleans(),
}


def _documents(kind: str) -> list[etree._Element]:
    return [etree.parse(str(xsd.SCHEMA_DIR / f"{k}.xsd")).getroot() for k in (kind, "common")]


def _declared(kind: str, tag: str) -> dict[str, etree._Element]:
    """The `xs:attribute` declarations of element `tag` in the XSD of `kind`."""
    docs = _documents(kind)
    named = {t.get("name"): t for d in docs for t in d.iter(f"{XS}complexType") if t.get("name")}
    out: dict[str, etree._Element] = {}
    for element in (e for d in docs for e in d.iter(f"{XS}element") if e.get("name") == tag):
        ctype = element.find(f"{XS}complexType")
        ctype = named[element.get("type")] if ctype is None else ctype
        out |= {str(a.get("name")): a for a in ctype.findall(f"{XS}attribute")}
    return out


def _simple(declaration: etree._Element, kind: str) -> st.SearchStrategy[Any]:
    """Values of an attribute or simple type, by its facets (enumeration, pattern, range,
    length, list) or its named or built-in type."""
    name = declaration.get("type") or declaration.get("itemType")
    if name in BUILT_IN:
        return BUILT_IN[name]
    if name is not None:
        found = [t for d in _documents(kind) for t in d.iter(f"{XS}simpleType")]
        return _simple(next(t for t in found if t.get("name") == name), kind)
    inner = declaration.find(f"{XS}simpleType")
    if inner is not None:
        return _simple(inner, kind)
    listed = declaration.find(f"{XS}list")
    if listed is not None:
        return st.lists(_simple(listed, kind), min_size=1, max_size=3).map(tuple)
    return _restricted(declaration.find(f"{XS}restriction"), kind)


def _restricted(rule: Any, kind: str) -> st.SearchStrategy[Any]:
    base = str(rule.get("base"))
    facets = {f.tag.removeprefix(XS): f.get("value") for f in rule}
    number = base != "xs:string"
    enumerated = [f.get("value") for f in rule.iterfind(f"{XS}enumeration")]
    if enumerated:
        return st.sampled_from([int(v) if number else v for v in enumerated])
    if number:
        low, high = int(facets.get("minInclusive", 0)), int(facets.get("maxInclusive", 10**6))
        return st.integers(low, high)
    most = int(facets.get("maxLength", 8))
    if "pattern" in facets:
        return st.from_regex(facets["pattern"], fullmatch=True).filter(lambda v: len(v) <= most)
    return st.text(TEXT_CHARACTERS, min_size=int(facets.get("minLength", 0)), max_size=most)


def components(
    cls: type, tag: str, kind: str, **fixed: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """Instances of `cls` whose source element `tag` satisfies the XSD of `kind` (`fixed`:
    fields whose values the XSD restricts beyond attribute types)."""
    types = _declared(kind, tag)
    fields = {s.field: _values(s, tag, types, kind) for s in slots(cls) if s.shape != "src"}
    return st.builds(cls, **(fields | fixed))


def nested(
    cls: type, tag: str, kind: str, key: Any, least: int, **fixed: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """At least `least` children of one class, in the model's order."""
    items = st.lists(components(cls, tag, kind, **fixed), min_size=least, max_size=2)
    return items.map(lambda i: tuple(sorted(i, key=key)))


def _values(slot: Slot, parent: str, types: dict[str, Any], kind: str) -> Any:
    if slot.shape == "children":
        items = st.one_of(*(components(c, t, kind) for t, c in slot.tags))
        least = _least(kind, parent, slot.spec.wrapper or slot.tags[0][0])
        found = st.lists(items, min_size=least, max_size=max(least, 2))
        return found.map(lambda i: tuple(sorted(i, key=slot.spec.sort) if slot.spec.sort else i))
    if slot.shape == "child":
        return st.none() | components(slot.tags[0][1], slot.tags[0][0], kind)
    if slot.shape == "pair":
        return st.tuples(*(_simple(types[a], kind) for a in slot.attrs))
    if slot.shape == "id":
        return st.uuids()
    if slot.spec.inherited and slot.attrs[0] not in types:  # only the file's root says it
        return IDENTIFIER | st.just("")
    values = _simple(types[slot.attrs[0]], kind)
    if slot.shape in ("int?", "float?"):
        values = st.none() | values
    return values if slot.default is MISSING else values | st.just(slot.default)


def _least(kind: str, parent: str, tag: str) -> int:
    """How many `tag` elements the XSD wants in a `parent` element at least."""
    docs = _documents(kind)
    named = {t.get("name"): t for d in docs for t in d.iter(f"{XS}complexType") if t.get("name")}
    for element in (e for d in docs for e in d.iter(f"{XS}element") if e.get("name") == parent):
        ctype = element.find(f"{XS}complexType")
        ctype = named[element.get("type")] if ctype is None else ctype
        for inner in ctype.iter(f"{XS}element"):
            if inner.get("name") == tag:
                return int(inner.get("minOccurs", "1"))
    raise AssertionError(f"{kind}.xsd has no <{tag}> in <{parent}>")


CTX = Context(root=Path("."))
RELAXED = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROJECT = Project("1.0.0.0", Publisher("p", "P", "p", 10000), ())


def _settings_file(setting: Setting) -> etree._Element:
    [(_, element)] = settings_files(replace(PROJECT, settings=(setting,))).values()
    assert isinstance(element, etree._Element)
    return element


Writer = Callable[[Any], etree._Element]
Parser = Callable[[Source, Context], list[object]]


def _own_file(cls: type, writer: Writer) -> tuple[str, str, Writer, Parser]:
    """A kind whose source file is one component: its root element and XSD (the registry's),
    its writer and its loader."""
    kind = BY_MODEL[cls]
    assert kind.source is not None
    return (kind.source.root, kind.source.schema, writer, parser_of(kind))


KINDS: dict[type, tuple[str, str, Writer, Parser]] = {  # class -> (tag, XSD, writer, loader)
    Table: _own_file(Table, table_file),
    GlobalChoice: _own_file(GlobalChoice, global_choice_file),
    Form: _own_file(Form, form_file),
    View: ("view", "views", lambda v: views_file(v.table, v.solution, [v]), parse_views),
    Role: ("role", "role", role_file, parse_role),
    AppModule: ("app", "app", lambda a: app_file(a, PROJECT), lambda s, c: parse_app(s, c)[:1]),
    Command: _own_file(Command, command_file),
    CustomApi: _own_file(CustomApi, custom_api_file),
    EnvironmentVariable: (
        "environment-variable",
        "environmentvariables",
        lambda v: environment_variables_file(replace(PROJECT, environment_variables=(v,))),
        parse_environment_variables,
    ),
    Cif1Provider: _own_file(Cif1Provider, cif1_file),
    Cif2Provider: _own_file(Cif2Provider, cif2_file),
    ApplicationTabTemplate: _own_file(ApplicationTabTemplate, tab_template_file),
    SessionTemplate: _own_file(SessionTemplate, session_template_file),
    NotificationTemplate: _own_file(NotificationTemplate, notification_template_file),
    Setting: ("setting", "settings", _settings_file, parse_settings),
}


def _root_attribute(kind: str, root: str, name: str) -> st.SearchStrategy[Any]:
    return _simple(_declared(kind, root)[name], kind)


# What the XSD says beyond attribute types, and values the file's root holds for all its
# components.
FIXED: dict[type, dict[str, st.SearchStrategy[Any]]] = {
    GlobalChoice: {"options": nested(ChoiceOption, "option", "globalchoice", lambda o: o.value, 1)},
    View: {"table": _root_attribute("views", "views", "table")},
    # the forms, views and roles an app names are resolved by name once all sources are read
    AppModule: {"forms": st.just(()), "views": st.just(()), "roles": st.just(())},
    Setting: {"category": _root_attribute("settings", "settings", "category")},
    NotificationTemplate: {
        "fields": nested(
            NotificationField,
            "field",
            "notificationtemplate",
            lambda f: (f.order, f.unique_name),
            0,
        )
    },
}


def _same(item: Any) -> Any:
    return item


def _app_tables(app: AppModule) -> AppModule:
    """An app's tables are those of its site map (plus any it names apart)."""
    mapped = {s.table for a in app.areas for g in a.groups for s in g.subareas if s.table}
    return replace(app, tables=tuple(sorted(mapped | set(app.tables))))


DERIVED: dict[type, Callable[[Any], Any]] = {AppModule: _app_tables}


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_a_component_survives_its_source_file(cls: type) -> None:
    """model -> the kind's writer -> bytes -> XSD-valid -> the kind's loader -> == model."""
    tag, kind, writer, parser = KINDS[cls]

    @RELAXED
    @given(components(cls, tag, kind, **FIXED.get(cls, {})).map(DERIVED.get(cls, _same)))
    def survives(item: Any) -> None:
        root = etree.fromstring(to_bytes(writer(item)))
        assert xsd.validate(root, kind, f"{kind}.xml") == []
        assert parser(Source(f"{kind}.xml", Path(f"{kind}.xml"), root), CTX) == [item]

    survives()


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
    diff_tables(out, BY_FIELD["tables"], (table,), (changed,))
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
