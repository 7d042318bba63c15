"""Our own build read back: every solution zip and the package hold exactly what the
sources say (as far as a zip can show it), and `read_package` reads folder and zip alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.common import SHARED, need_shared
from support.zipsame import zip_entries

from builder.archive.writer import write_outputs
from builder.build import build_package, build_solutions
from builder.diff.projects import diff_projects
from builder.diff.scope import comparable
from builder.diff.show import render_text
from builder.model import Project
from builder.read.package_project import read_package
from builder.read.solution import read_solution
from builder.render import render_solution
from builder.sources.load import load_project


@pytest.fixture(scope="module")
def package_dir(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    write_outputs(out, build_package(sources))
    return out


def test_each_built_solution_reads_back_as_its_sources(sources: Path, project: Project) -> None:
    zips = build_solutions(sources, managed=True, unmanaged=True)
    for name, data in zips.items():
        found = read_solution(data, name)
        assert found.managed == name.endswith("_managed.zip")
        assert not found.project.raw_parts  # everything we build is modelled
        # the virtual table too: its URL variable is named by the data source we write
        assert not found.fallbacks and not found.warnings
        # what was read renders back to the very entries of the zip: reading lost nothing
        solution = found.project.solutions[0].unique_name
        assert render_solution(found.project, solution, found.managed) == zip_entries(data)
        # and it says what the sources say, as far as a zip shows it (our diff's scope)
        old, new, notes = comparable(project, "sources", found.project, "solution")
        report = diff_projects(old, new, "sources", name, tuple(notes))
        assert not report.different, render_text(report)


@pytest.mark.parametrize("which", ["folder", "zip"])
def test_the_built_package_reads_back_as_the_sources(
    project: Project, package_dir: Path, which: str
) -> None:
    path = package_dir / "VoiceForD365Package"
    if which == "zip":
        path = next(package_dir.glob("VoiceForD365Package_*.zip"))
    found = read_package(path)
    assert [s.unique_name for s in found.solutions] == [s.unique_name for s in project.solutions]
    assert {s.name for s in found.settings} == {s.name for s in project.settings}
    assert found.cif1_providers and found.cif1_providers[0].id == project.cif1_providers[0].id
    old, new, notes = comparable(project, "sources", found, "package")
    report = diff_projects(old, new, "sources", str(path), tuple(notes))
    assert not report.different, render_text(report)
    assert found == read_package(package_dir / "VoiceForD365Package")  # zip and folder alike


def test_settings_read_back_with_their_category_type_and_default(
    project: Project, package_dir: Path
) -> None:
    found = {s.name: s for s in read_package(package_dir / "VoiceForD365Package").settings}
    for setting in project.settings:
        got = found[setting.name]
        assert (got.category, got.datatype, got.default, got.id) == (
            setting.category,
            setting.datatype,
            setting.default,
            setting.id,
        )


def test_a_lookup_left_to_a_derived_relationship_name_is_no_difference(
    sources: Path, tmp_path: Path
) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(sources, src)
    table = src / "tables" / "phonecall.xml"
    text = table.read_text(encoding="utf-8")
    start = text.index(' relationship="')
    table.write_text(text[:start] + text[text.index('"', start + 15) + 1 :], encoding="utf-8")
    project = load_project(src)
    phonecall = project.table("phonecall")
    assert phonecall and any(c.type == "lookup" and not c.relationship for c in phonecall.columns)
    built = read_solution(build_solutions(src)["VoiceForD365_1_0_0_0_managed.zip"], "zip")
    old, new, notes = comparable(project, "sources", built.project, "solution")
    assert not diff_projects(old, new).different


def test_a_table_owned_by_no_one_builds_reads_and_diffs_as_owned_by_no_one(
    project: Project,
) -> None:
    from dataclasses import replace

    from builder.read.solution import read_entries

    setting = project.table("enreach_setting")
    assert setting is not None
    tables = tuple(replace(t, ownership="none") if t is setting else t for t in project.tables)
    changed = replace(project, tables=tables)
    entries = render_solution(changed, setting.solution or "VoiceForD365", False)
    assert b"<OwnershipTypeMask>None</OwnershipTypeMask>" in entries["customizations.xml"]
    again = read_entries(entries, "built").project
    table = again.table("enreach_setting")
    assert table is not None and table.ownership == "none"
    assert render_solution(again, setting.solution or "VoiceForD365", False) == entries
    old, new, notes = comparable(
        changed.in_solution(setting.solution or "VoiceForD365"), "sources", again, "solution"
    )
    report = diff_projects(old, new, "sources", "built", tuple(notes))
    assert not report.different, render_text(report)


def test_a_build_with_the_old_assets_sets_reads_the_same_links(project: Project) -> None:
    """Builds before the sets moved into customizations.xml wrote them under Assets/."""
    from lxml import etree

    from builder.archive.writer import zip_bytes

    entries = render_solution(project, "VoiceForD365Multisession", True)
    root = etree.fromstring(entries["customizations.xml"])
    sets = [c for c in root if str(c.tag).endswith("set")]
    assert sets
    old = dict(entries)
    for element in sets:
        root.remove(element)
        old[f"Assets/{element.tag}.xml"] = etree.tostring(element)
    old["customizations.xml"] = etree.tostring(root)
    now = read_solution(zip_bytes(entries), "new.zip").project
    before = read_solution(zip_bytes(old), "old.zip").project
    assert before.notification_templates == now.notification_templates
    assert before.session_templates == now.session_templates
    assert all(n.fields for n in now.notification_templates)
    assert not before.raw_parts


def test_a_foreign_virtual_table_keeps_its_unknown_url_variable_as_a_warning() -> None:
    """Microsoft's OData v4 sample (corpus2) binds its table to a data source of its own:
    no zip says which environment variable holds its URL, so the table stays as exported."""
    zips = SHARED / "reference/corpus2/zips"
    zipped = need_shared(zips / "VirtualEntityRecordSource_SampleSolution_1_22043_1_managed.zip")
    found = read_solution(zipped.read_bytes(), zipped.name)
    virtual = [f for f in found.fallbacks if any("virtual table" in r for r in f.reasons)]
    assert virtual, found.fallbacks
    assert any(w.code == "RD100" and "virtual table" in w.message for w in found.warnings)
