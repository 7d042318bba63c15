"""`builder/model/kinds.py` is the one list of component kinds: every collection of `Project`
declares one, every stage's per-kind table names only its kinds, and the docs' layout is the
registry's."""

from __future__ import annotations

import dataclasses
import re
import typing
import uuid
from pathlib import Path

from builder import model
from builder.model import Project, Publisher, SolutionDef
from builder.model.kinds import BY_ROOT, KINDS, SOLUTION_FIELDS, owner_key
from builder.sources import load  # noqa: F401 (its stage registers every parser)
from builder.sources import schema as load_xsd
from builder.sources.parsers import PARSERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "source-format.md"
HINTS = typing.get_type_hints(Project, vars(model))


def test_one_kind_per_project_collection_in_field_order() -> None:
    collections = [
        f.name
        for f in dataclasses.fields(Project)
        if typing.get_origin(HINTS[f.name]) is tuple and f.name != "solutions"
    ]
    assert [k.field for k in KINDS] == collections


def test_each_kind_names_the_class_its_field_holds() -> None:
    for kind in KINDS:
        assert typing.get_args(HINTS[kind.field]) == (kind.model, ...), kind.field


def test_solution_aware_kinds_are_those_whose_components_name_a_solution() -> None:
    for kind in KINDS:
        names = {f.name for f in dataclasses.fields(kind.model)}
        assert kind.solution_aware == ("solution" in names), kind.field
    assert tuple(k.field for k in KINDS if k.solution_aware) == SOLUTION_FIELDS


def test_labels_and_source_roots_are_unique() -> None:
    assert len({k.label for k in KINDS}) == len(KINDS)
    assert len(BY_ROOT) == sum(1 for k in KINDS if k.source)


def test_every_source_kind_has_its_schema_and_each_parser_a_source_kind() -> None:
    assert set(PARSERS) <= {k.model for k in KINDS if k.source}
    for kind in KINDS:
        if kind.source:
            assert (load_xsd.SCHEMA_DIR / f"{kind.source.schema}.xsd").is_file(), kind.field


def _layout() -> set[tuple[str, str]]:
    """(path, root element) of every line of the docs' layout block."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    found = set()
    for line in block.splitlines():
        match = re.match(r"  (\S+)\s+((?:<[\w-]+[^>]*>(?:, )?)+)", line)
        if match:
            for root in re.findall(r"<([\w-]+)", match.group(2)):
                found.add((match.group(1), root))
    return found


def test_the_docs_layout_lists_every_kind_with_its_file_and_root_element() -> None:
    documented = _layout() - {("project.xml", "project")}
    assert documented == {(k.source.path, k.source.root) for k in KINDS if k.source}


def test_in_solution_keeps_only_that_solutions_components_and_all_data() -> None:
    def stamped(kind_model: type, solution: str) -> object:
        values = {
            f.name: _value(f, solution)
            for f in dataclasses.fields(kind_model)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        if any(f.name == "solution" for f in dataclasses.fields(kind_model)):
            values["solution"] = solution
        return kind_model(**values)

    a, b = SolutionDef("A", "A", "", "base", 1), SolutionDef("B", "B", "", "multisession", 2)
    components = {k.field: (stamped(k.model, "A"), stamped(k.model, "B")) for k in KINDS}
    project = Project("1.0.0.0", Publisher("p", "P", "p", 10000), (a, b), **components)
    part = project.in_solution("B")
    assert part.solutions == (b,)
    for kind in KINDS:
        expected = components[kind.field][1:] if kind.solution_aware else components[kind.field]
        assert getattr(part, kind.field) == expected, kind.field


def _value(f: dataclasses.Field[object], solution: str) -> object:
    hint = str(f.type)
    if "uuid" in hint.lower():
        return uuid.uuid4()
    if hint.startswith("int"):
        return 1
    if hint.startswith("bool"):
        return False
    return f"{f.name}-{solution}"


def test_kinds_known_by_id_carry_one() -> None:
    for kind in KINDS:
        if kind.by_id:
            hints = typing.get_type_hints(kind.model, vars(model))
            assert hints["id"] is uuid.UUID, kind.field


def test_kinds_exported_within_a_table_name_their_table() -> None:
    for kind in KINDS:
        if kind.within_table:
            assert "table" in {f.name for f in dataclasses.fields(kind.model)}, kind.field


def test_a_part_is_kept_with_the_component_that_owns_it() -> None:
    table = model.Table("new_Thing", "Thing")
    form = model.Form(uuid.uuid4(), "new_thing", "main", "Main")
    setting = model.Setting("A", "General", "String", "", "")
    assert owner_key(table) == ("table", "new_thing")
    assert owner_key(form) == ("table", "new_thing")
    assert owner_key(setting) == ("", "")
