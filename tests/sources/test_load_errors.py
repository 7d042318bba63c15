"""Bad sources give BuildErrors located at file:line with a hint, all of them at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.errors import BuildError, Diagnostic
from builder.sources.load import collect_project, load_project

CASE = Path(__file__).parents[1] / "cases" / "load_minimal"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the minimal source tree, free to break."""
    return Path(shutil.copytree(CASE, tmp_path / "src"))


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def errors(root: Path, version: str | None = None) -> list[Diagnostic]:
    with pytest.raises(BuildError) as caught:
        load_project(root, version)
    return caught.value.diagnostics


def test_the_minimal_case_loads(tree: Path) -> None:
    project = load_project(tree)
    assert project.version == "2.3.4.5"
    assert [t.logical_name for t in project.tables] == ["new_thing"]


def test_malformed_xml_names_file_and_line(tree: Path) -> None:
    write(
        tree,
        "roles/broken.xml",
        '<?xml version="1.0"?>\n<role name="Broken">\n  <privilege\n</role>\n',
    )
    [found] = errors(tree)
    assert (found.code, found.file, found.line) == ("XML001", "roles/broken.xml", 4)
    assert found.hint


def test_unknown_element_names_file_line_and_what_is_expected(tree: Path) -> None:
    text = (
        (CASE / "tables/new_thing.xml")
        .read_text()
        .replace("  <key ", '  <colum schema-name="new_X"/>\n  <key ')
    )
    write(tree, "tables/new_thing.xml", text)
    [found] = errors(tree)
    assert (found.code, found.file, found.line) == ("SRC001", "tables/new_thing.xml", 9)
    assert "<colum>" in found.message and "column" in found.hint


def test_bad_integer_names_attribute_file_line_and_a_hint(tree: Path) -> None:
    text = (
        (CASE / "tables/new_thing.xml").read_text().replace('max-length="100"', 'max-length="long"')
    )
    write(tree, "tables/new_thing.xml", text)
    [found] = errors(tree)
    assert (found.code, found.file, found.line) == ("SRC002", "tables/new_thing.xml", 3)
    assert found.message == "<column> max-length must be a whole number above 0, not 'long'"
    assert found.hint == 'for example max-length="100"'
    assert str(found).startswith("tables/new_thing.xml:3:66: error SRC002")


def test_unknown_attribute_suggests_the_closest_one(tree: Path) -> None:
    text = (
        (CASE / "tables/new_thing.xml").read_text().replace('max-length="100"', 'maxlength="100"')
    )
    write(tree, "tables/new_thing.xml", text)
    [found] = errors(tree)
    assert found.code == "SRC003" and "did you mean 'max-length'" in found.hint


def test_bad_choice_value_lists_the_allowed_ones(tree: Path) -> None:
    write(
        tree,
        "settings/general.xml",
        (CASE / "settings/general.xml")
        .read_text()
        .replace('datatype="Integer"', 'datatype="Number"'),
    )
    [found] = errors(tree)
    assert (found.code, found.line) == ("SRC002", 4)
    assert "one of: String, Integer, Boolean, Guid, not 'Number'" in found.message


def test_missing_required_attribute_is_reported(tree: Path) -> None:
    write(tree, "roles/other.xml", '<role description="no name"/>\n')
    [found] = errors(tree)
    assert (found.code, found.file, found.line) == ("SRC004", "roles/other.xml", 1)
    assert "'name'" in found.message


def test_every_problem_of_every_file_is_reported_together_and_sorted(tree: Path) -> None:
    write(tree, "roles/broken.xml", "<role name='x'>\n")
    write(tree, "forms/new_thing/other.xml", '<form table="new_thing" type="big" name="Other"/>\n')
    write(
        tree,
        "tables/new_thing.xml",
        (CASE / "tables/new_thing.xml")
        .read_text()
        .replace('max-length="100"', 'max-length="-1"')
        .replace('label="First"', 'labl="First"'),
    )
    found = errors(tree)
    assert [(d.file, d.code) for d in found] == [
        ("forms/new_thing/other.xml", "SRC002"),
        ("roles/broken.xml", "XML001"),
        ("tables/new_thing.xml", "SRC002"),
        ("tables/new_thing.xml", "SRC004"),  # the option lost its required label: at <option
        ("tables/new_thing.xml", "SRC003"),  # at labl=, further right on the same line
    ]
    assert found == sorted(found)


def test_collect_project_returns_the_findings_instead_of_raising(tree: Path) -> None:
    write(tree, "roles/broken.xml", "<role")
    project, found = collect_project(tree)
    assert project is None and [d.code for d in found] == ["XML001"]


def test_an_unknown_root_element_is_an_unknown_source_kind(tree: Path) -> None:
    write(tree, "widgets/w.xml", "<widget/>")
    [found] = errors(tree)
    assert (found.code, found.file) == ("SRC001", "widgets/w.xml")
    assert "table" in found.hint


def test_a_doctype_is_refused(tree: Path) -> None:
    write(tree, "roles/evil.xml", '<!DOCTYPE r [<!ENTITY x "y">]>\n<role name="&x;"/>')
    assert [d.code for d in errors(tree)] == ["XML003"]


def test_version_argument_overrides_and_must_have_four_numeric_parts(tree: Path) -> None:
    assert load_project(tree, "9.8.7.6").version == "9.8.7.6"
    [found] = errors(tree, "1.0")
    assert found.code == "SRC012" and "1.0.0.0" in found.hint


def test_version_in_project_xml_must_have_four_numeric_parts(tree: Path) -> None:
    write(tree, "project.xml", (CASE / "project.xml").read_text().replace("2.3.4.5", "2.3.x.5"))
    [found] = errors(tree)
    assert (found.code, found.file, found.line) == ("SRC012", "project.xml", 3)


def test_missing_project_xml_is_reported(tree: Path) -> None:
    (tree / "project.xml").unlink()
    assert [(d.code, d.file) for d in errors(tree)] == [("SRC011", "project.xml")]


def test_a_missing_source_folder_is_reported(tmp_path: Path) -> None:
    assert [d.code for d in errors(tmp_path / "nowhere")] == ["SRC011"]


def test_a_component_declared_twice_is_reported_at_the_second(tree: Path) -> None:
    shutil.copy(tree / "roles/thing-reader.xml", tree / "roles/zz-copy.xml")
    [found] = errors(tree)
    assert (found.code, found.file) == ("SRC020", "roles/zz-copy.xml")
    assert "roles/thing-reader.xml:2" in found.hint


def test_an_unknown_solution_is_reported(tree: Path) -> None:
    write(tree, "roles/other.xml", '<role name="Other" solution="Nope"/>')
    [found] = errors(tree)
    assert (found.code, found.file, found.line) == ("SRC021", "roles/other.xml", 1)
    assert "Sample" in found.hint


def test_app_references_to_unknown_roles_forms_and_views_are_reported(tree: Path) -> None:
    text = (CASE / "apps/new_ThingApp.xml").read_text()
    text = text.replace('"Thing Reader"', '"Nobody"').replace('name="Active Things"', 'name="All"')
    write(tree, "apps/new_ThingApp.xml", text)
    found = errors(tree)
    assert [(d.code, d.line) for d in found] == [("SRC021", 3), ("SRC021", 5)]


def test_a_missing_web_resource_payload_is_reported(tree: Path) -> None:
    (tree / "webresources/scripts/thing.js").unlink()
    [found] = errors(tree)
    assert (found.code, found.file, found.line) == ("SRC022", "webresources/webresources.xml", 3)


def test_a_payload_outside_the_source_folder_is_refused(tree: Path) -> None:
    (tree.parent / "secret.js").write_text("x")
    write(
        tree,
        "webresources/webresources.xml",
        (CASE / "webresources/webresources.xml")
        .read_text()
        .replace('file="scripts/thing.js"', 'file="../../secret.js"'),
    )
    assert [d.code for d in errors(tree)] == ["SRC022"]


def test_a_stray_file_in_raw_is_reported(tree: Path) -> None:
    write(tree, "raw/Sample/notes.txt", "hello")
    [found] = errors(tree)
    assert (found.code, found.file) == ("SRC010", "raw/Sample/notes.txt")


def test_a_value_over_its_limit_says_the_limit(tree: Path) -> None:
    write(tree, "project.xml", (CASE / "project.xml").read_text().replace('"10000"', '"5"'))
    [found] = errors(tree)
    assert found.message == (
        "<publisher> option-value-prefix must be a whole number, at least 10000, not '5'"
    )


def test_global_choices_load_with_their_options_by_value(tree: Path) -> None:
    project = load_project(tree)
    [choice] = project.global_choices
    assert [o.label for o in choice.options] == ["Small", "Medium", "Large"]
    column = project.tables[0].column("new_size")
    assert column is not None and (column.global_choice, column.options) == ("new_size", ())


def test_a_solution_on_the_root_element_applies_to_everything_in_the_file(tree: Path) -> None:
    project = load_project(tree)
    assert {v.solution for v in project.views} == {"SampleExtra"}
    assert {f.solution for f in project.forms} == {"Sample"}  # the base solution


def test_an_empty_value_is_named_as_empty(tree: Path) -> None:
    """Found by the property test: an emptied attribute crashed the message builder."""
    tables = sorted((tree / "tables").glob("*.xml"))
    path = next(p for p in tables if 'max-length="' in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    start = text.index('max-length="')
    end = text.index('"', start + len('max-length="'))
    path.write_text(text[:start] + 'max-length=""' + text[end + 1 :], encoding="utf-8")
    project, found = collect_project(tree)
    assert project is None
    (item,) = found
    assert (item.code, item.file) == ("SRC002", f"tables/{path.name}")
    assert "not empty" in item.message
