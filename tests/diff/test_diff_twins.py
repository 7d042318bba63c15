"""`voicepkg diff` of two solution zips leaves unread the tables both hold alike
(read/twins.py): its report must be the one reading every table gives, byte for byte.
Checked over pairs of real exports and our builds, and over randomly mutated pairs (a fixed
seed): text changed, attributes changed, elements removed, entities duplicated or swapped,
views copied to another table, comments, relationships re-pointed.
"""

from __future__ import annotations

import copy
import itertools
import random
from collections.abc import Callable
from dataclasses import replace
from functools import cache

import pytest
from lxml import etree
from support.big_project import SOLUTION, big_project
from support.common import CORPUS2, SOURCES, need_shared

from builder.archive.safezip import read_zip
from builder.build import build_solutions
from builder.diff.projects import diff_projects
from builder.diff.show import RENDERERS
from builder.errors import BuildError
from builder.model import FormSubgrid
from builder.read.solution import read_compared, read_entries
from builder.read.twins import twin_tables
from builder.render import render_solution

Entries = dict[str, bytes]
EXPORTS = (
    "ColumnLevelSecuritySampleSolution.zip",
    "SalesOrderProcessingAutomation_1_0_0_6_managed.zip",
    "VirtualEntityRecordSource_SampleSolution_1_22043_1_managed.zip",
    "UseronbaordingAgent_1_0_0_14_managed.zip",
)


def _report(old: Entries, new: Entries, fast: bool) -> str:
    try:
        if fast:
            before, after = read_compared(old, new, ("old", "new"))
        else:
            before, after = read_entries(old, "old").project, read_entries(new, "new").project
    except BuildError as error:
        return f"error: {error.diagnostics}"
    return RENDERERS["json"](diff_projects(before, after, "old", "new"))


def _same_report(old: Entries, new: Entries) -> None:
    assert _report(old, new, True) == _report(old, new, False)


def _with_subgrid() -> Entries:
    """Tables whose forms show another table's view: a renamed view changes the form of a
    table whose own element is the same on both sides."""
    project = big_project(4)
    forms = list(project.forms)
    for n, form in enumerate(forms):
        other = project.views[2 * ((n + 1) % len(forms))]
        grid = FormSubgrid(f"grid{n}", "Grid", other.table, other.name)
        tab = form.tabs[0]
        section = replace(tab.sections[0], items=(*tab.sections[0].items, grid))
        forms[n] = replace(form, tabs=(replace(tab, sections=(section,)),))
    return render_solution(replace(project, forms=tuple(forms)), SOLUTION, True)


@cache
def _solutions() -> dict[str, Entries]:
    found = {
        "big": render_solution(big_project(8), SOLUTION, True),
        "subgrids": _with_subgrid(),
        **{
            name: read_zip(data, name)
            for name, data in build_solutions(SOURCES, unmanaged=True).items()
        },
    }
    for name in EXPORTS:
        path = CORPUS2 / "zips" / name
        if path.is_file():
            found[name] = read_zip(path.read_bytes(), name)
    return found


def test_pairs_of_solutions_give_the_same_report() -> None:
    need_shared(CORPUS2 / "zips")
    solutions = _solutions()
    for a, b in itertools.product(solutions, repeat=2):
        _same_report(solutions[a], solutions[b])


def test_a_table_alike_on_both_sides_is_left_unread() -> None:
    """The check above is worth something only if tables are left out: every table of an
    unchanged build is a twin, and a changed one is not."""
    from builder.read.solution import _side

    old = render_solution(big_project(8), SOLUTION, True)
    new = dict(old)
    new["customizations.xml"] = old["customizations.xml"].replace(
        b"<MaxLength>200</MaxLength>", b"<MaxLength>210</MaxLength>", 1
    )
    same = twin_tables(_side(old, "a")[1], _side(old, "b")[1])
    changed = twin_tables(_side(old, "a")[1], _side(new, "b")[1])
    assert len(same) == 8
    assert len(changed) == 7 and "enreach_thing000" not in changed
    _same_report(old, new)


# --- mutations ------------------------------------------------------------------------------


def _parent(element: etree._Element) -> etree._Element:
    parent = element.getparent()
    assert parent is not None
    return parent


def _texts(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter(etree.Element) if e.text and e.text.strip() and not len(e)]


def _change_text(root: etree._Element, rng: random.Random) -> None:
    elements = _texts(root)
    target = rng.choice(elements)
    target.text = rng.choice(elements).text if rng.random() < 0.7 else target.text + "x"


def _change_attribute(root: etree._Element, rng: random.Random) -> None:
    elements = [e for e in root.iter(etree.Element) if e.attrib]
    target = rng.choice(elements)
    name = rng.choice(list(target.attrib))
    target.set(name, rng.choice(["1", "0", "x", target.get(name, "") + "y"]))


def _remove(root: etree._Element, rng: random.Random) -> None:
    elements = [e for e in root.iter(etree.Element) if e.getparent() is not None]
    target = rng.choice(elements)
    _parent(target).remove(target)


def _entities(root: etree._Element) -> list[etree._Element]:
    return root.findall("Entities/Entity")


def _duplicate_entity(root: etree._Element, rng: random.Random) -> None:
    entities = _entities(root)
    if entities:
        target = rng.choice(entities)
        target.addnext(copy.deepcopy(target))


def _swap_entities(root: etree._Element, rng: random.Random) -> None:
    entities = _entities(root)
    if len(entities) > 1:
        a, b = rng.sample(entities, 2)
        a.addprevious(copy.deepcopy(b))
        b.addprevious(copy.deepcopy(a))
        _parent(a).remove(a)
        _parent(b).remove(b)


def _copy_view(root: etree._Element, rng: random.Random) -> None:
    """A view (or form) copied into another table: its id is then held twice."""
    parts = root.findall("Entities/Entity/SavedQueries/savedqueries/savedquery")
    parts += root.findall("Entities/Entity/FormXml/forms/systemform")
    entities = _entities(root)
    if parts and entities:
        into = rng.choice(entities).find("SavedQueries/savedqueries")
        if into is not None:
            into.append(copy.deepcopy(rng.choice(parts)))


def _comment(root: etree._Element, rng: random.Random) -> None:
    """A comment that looks like an entity's start (one entity fewer, at times, so that
    counting them does not tell)."""
    entities = _entities(root)
    if entities and rng.random() < 0.5:
        gone = rng.choice(entities)
        _parent(gone).remove(gone)
        entities = _entities(root)
    places = entities or [e for e in root.iter(etree.Element)]
    rng.choice(places).addprevious(etree.Comment(" <Entity> "))


def _repoint(root: etree._Element, rng: random.Random) -> None:
    """A relationship's referencing column or table changed, or one copied."""
    relationships = root.findall("EntityRelationships/EntityRelationship")
    if not relationships:
        return
    target = rng.choice(relationships)
    if rng.random() < 0.5:
        twin = copy.deepcopy(target)
        target.addnext(twin)
        target = twin
    field = rng.choice(
        ["ReferencingAttributeName", "ReferencingEntityName", "ReferencedEntityName"]
    )
    element = target.find(field)
    if element is not None:
        names = [e.text for e in root.iter(field)]
        element.text = rng.choice(names) if rng.random() < 0.6 else "enreach_other"


def _copy_command(root: etree._Element, rng: random.Random) -> None:
    """A command button copied to another table's ribbon: its id is then held twice."""
    actions = root.findall("Entities/Entity/RibbonDiffXml/CustomActions/CustomAction")
    into = root.findall("Entities/Entity/RibbonDiffXml/CustomActions")
    if actions and into:
        rng.choice(into).append(copy.deepcopy(rng.choice(actions)))


def _change_data_source(root: etree._Element, rng: random.Random) -> None:
    """What a virtual table's reading looks up elsewhere in the file."""
    sources = [e for e in root.iter("ConnectionDefinition", "Name") if e.text]
    sources = [e for e in sources if _parent(e).tag == "EntityDataSource"]
    if sources:
        target = rng.choice(sources)
        target.text = (target.text or "").replace("url", "uri") + " "


def _rename(root: etree._Element, rng: random.Random) -> None:
    """A view or form renamed (which another table's subgrid or quick view may show)."""
    names = root.findall("Entities/Entity/SavedQueries/savedqueries/savedquery/LocalizedNames/")
    names += root.findall("Entities/Entity/FormXml/forms/systemform/LocalizedNames/")
    if names:
        target = rng.choice(names)
        target.set("description", target.get("description", "") + " renamed")


def _rename_shown(root: etree._Element, rng: random.Random) -> None:
    """A view a subgrid shows renamed, or a form a quick view shows."""
    shown = {(e.text or "").strip().strip("{}").lower() for e in root.iter("ViewId", "QuickFormId")}
    parts = [
        p
        for p in root.iter("savedquery", "systemform")
        if (p.findtext("savedqueryid") or p.findtext("formid") or "").strip().strip("{}").lower()
        in shown
    ]
    names = [n for p in parts for n in p.findall("LocalizedNames/")]
    if names:
        target = rng.choice(names)
        target.set("description", target.get("description", "") + " renamed")


MUTATIONS: list[Callable[[etree._Element, random.Random], None]] = [
    _change_text,
    _change_text,
    _change_attribute,
    _remove,
    _duplicate_entity,
    _swap_entities,
    _copy_view,
    _comment,
    _repoint,
    _copy_command,
    _change_data_source,
    _rename,
    _rename_shown,
]


def _serialized(entries: Entries, root: etree._Element) -> Entries:
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return {**entries, "customizations.xml": xml}


@pytest.mark.parametrize("seed", range(40))
def test_mutated_pairs_give_the_same_report(seed: int) -> None:
    need_shared(CORPUS2 / "zips")
    rng = random.Random(seed)
    solutions = _solutions()
    entries = solutions[rng.choice(sorted(solutions))]
    base = etree.fromstring(entries["customizations.xml"])
    for _ in range(6):  # six pairs a seed, from one to three mutations each
        old, new = copy.deepcopy(base), copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            rng.choice(MUTATIONS)(rng.choice([new, new, old]), rng)
        _same_report(_serialized(entries, old), _serialized(entries, new))


def test_a_twin_tables_lookups_are_the_ones_reading_it_gives() -> None:
    """What the relationships of an unread table are taken to be covered by."""
    from builder.read.parts import read_lookups
    from builder.read.tables import is_new_table, lookup_columns, read_table
    from builder.xmlio.safe import parse_xml

    need_shared(CORPUS2 / "zips")
    checked = 0
    for name, entries in _solutions().items():
        root = parse_xml(entries["customizations.xml"], name)
        lookups = read_lookups(root.findall("EntityRelationships/EntityRelationship"))
        for entity in root.findall("Entities/Entity"):
            table = read_table(entity, lookups, "s").table
            read = {c.logical_name for c in table.columns if c.type == "lookup"}
            assert lookup_columns(entity) == read, name
            assert is_new_table(entity) == (not table.existing), name
            checked += bool(read)
    assert checked >= 2  # tables with lookups were among them
