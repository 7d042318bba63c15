"""Loading is a pure function of the sources' content: ids never move when another file
changes, and neither file order nor file names change the Project."""

from __future__ import annotations

import dataclasses
import random
import shutil
import uuid
from pathlib import Path

import pytest

import builder.sources.load as load
from builder.model import Project, stable_id


@pytest.fixture
def tree(tmp_path: Path, sources: Path) -> Path:
    """A private copy of the real sources."""
    return Path(shutil.copytree(sources, tmp_path / "src"))


def ids(project: Project) -> dict[str, uuid.UUID]:
    """Every id in the project, keyed by what it identifies."""
    found: dict[str, uuid.UUID] = {}
    for kind in ("forms", "views", "roles", "apps", "web_resources", "settings", "cif1_providers"):
        for item in getattr(project, kind):
            found[
                f"{kind}:{getattr(item, 'table', '')}:{item.name if hasattr(item, 'name') else ''}"
                f":{getattr(item, 'unique_name', '')}"
            ] = item.id
    return found


def test_ids_stay_when_an_unrelated_file_changes(tree: Path) -> None:
    before = ids(load.load_project(tree))
    settings = tree / "settings/callback-sync.xml"
    settings.write_text(
        settings.read_text().replace(
            "</settings>",
            '<setting name="Extra" datatype="String" default="x" description="new"/></settings>',
        )
    )
    table = tree / "tables/enreach_setting.xml"
    table.write_text(
        table.read_text().replace(
            "  <key ",
            '  <column schema-name="enreach_Extra" type="text" display-name="Extra"/>\n  <key ',
        )
    )
    after = ids(load.load_project(tree))
    assert after.pop("settings::Extra:") and after == before


def test_derived_ids_follow_the_documented_recipe(sources: Path) -> None:
    project = load.load_project(sources)
    form = next(f for f in project.forms if f.type == "main" and f.table == "phonecall")
    assert form.id == stable_id("form", "phonecall", "Voice for D365 – Phone Call")
    role = next(r for r in project.roles if r.name == "Voice ApiUser")
    assert role.id == stable_id("role", "Voice ApiUser")


def test_an_explicit_id_is_kept(tree: Path) -> None:
    pinned = "1d2c3b4a-0000-4000-8000-00000000abcd"
    role = tree / "roles/voice-user.xml"
    role.write_text(
        role.read_text().replace(
            '<role name="Voice User"', f'<role id="{{{pinned}}}" name="Voice User"'
        )
    )
    project = load.load_project(tree)
    assert next(r.id for r in project.roles if r.name == "Voice User") == uuid.UUID(pinned)


def test_file_order_does_not_matter(sources: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load.load_project(sources)
    files = load.source_files(sources)
    for seed in range(3):
        shuffled = random.Random(seed).sample(files, len(files))
        monkeypatch.setattr(load, "source_files", lambda root, f=shuffled: f)
        assert load.load_project(sources) == expected


def test_file_names_do_not_matter(tree: Path, sources: Path) -> None:
    expected = load.load_project(sources)
    (tree / "forms/phonecall/voice-phone-call.xml").rename(tree / "forms/phonecall/zz-renamed.xml")
    (tree / "views/enreach_setting.xml").rename(tree / "views/000-settings.xml")
    shutil.move(tree / "roles", tree / "security")
    assert dataclasses.replace(load.load_project(tree), root=expected.root) == expected


def test_loading_twice_gives_equal_projects(sources: Path) -> None:
    assert load.load_project(sources) == load.load_project(sources)


def test_where_a_component_is_declared_is_recorded_relative_to_the_root(sources: Path) -> None:
    project = load.load_project(sources)
    setting = next(s for s in project.settings if s.name == "CallDurationLimit")
    assert setting.src.file == "settings/phone-call-sync.xml" and setting.src.line > 1
    script = next(w for w in project.web_resources if w.type == "js")
    assert script.file.startswith("webresources/scripts/") and script.content
    assert script.content == (sources / script.file).read_bytes()


def test_components_without_a_solution_belong_to_the_base_solution(tree: Path) -> None:
    project = load.load_project(tree)
    assert {t.solution for t in project.tables} == {"VoiceForD365"}
