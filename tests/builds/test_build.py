"""build: solution zips and the package from a loaded project, byte for byte repeatable."""

from __future__ import annotations

import dataclasses

import pytest
from support.voice_sample import BASE, MULTI, voice_project

from builder.archive.safezip import read_zip
from builder.build import package_files, solution_files
from builder.xmlio.safe import parse_xml


def manifest(zip_data: bytes) -> tuple[str | None, str | None, str | None]:
    root = parse_xml(read_zip(zip_data)["solution.xml"], "solution.xml")
    return tuple(
        root.findtext(f"SolutionManifest/{t}") for t in ("UniqueName", "Version", "Managed")
    )


def test_managed_zips_are_named_and_stamped_with_the_version() -> None:
    files = solution_files(voice_project("3.1.0.12"))
    assert sorted(files) == [
        "VoiceForD365Multisession_3_1_0_12_managed.zip",
        "VoiceForD365_3_1_0_12_managed.zip",
    ]
    assert manifest(files["VoiceForD365_3_1_0_12_managed.zip"]) == (BASE, "3.1.0.12", "1")


def test_unmanaged_and_both() -> None:
    only = solution_files(voice_project(), managed=False, unmanaged=True)
    assert sorted(only) == [
        "VoiceForD365Multisession_1_2_3_4_unmanaged.zip",
        "VoiceForD365_1_2_3_4_unmanaged.zip",
    ]
    assert manifest(only["VoiceForD365_1_2_3_4_unmanaged.zip"])[2] == "0"
    both = solution_files(voice_project(), managed=True, unmanaged=True)
    assert len(both) == 4


def test_each_solution_zip_holds_the_manifest_customizations_and_content_types() -> None:
    for data in solution_files(voice_project()).values():
        names = read_zip(data)
        assert {"[Content_Types].xml", "solution.xml", "customizations.xml"} <= set(names)


def test_the_package_zip_holds_the_package_folder_as_it_is() -> None:
    files = package_files(voice_project())
    folder = {k: v for k, v in files.items() if k.startswith("VoiceForD365Package/")}
    assert sorted(k.removeprefix("VoiceForD365Package/") for k in folder) == sorted(
        [
            "ImportConfig.xml",
            "VoiceForD365ConfigData.zip",
            "VoiceForD365_1_2_3_4_managed.zip",
            "VoiceForD365Multisession_1_2_3_4_managed.zip",
            "Content/en-us/WelcomeHtml/HTML/Default.htm",
            "Content/en-us/EndHtml/HTML/Default.htm",
        ]
    )
    inside = read_zip(files["VoiceForD365Package_1_2_3_4.zip"])
    assert {k: v for k, v in inside.items() if k != "[Content_Types].xml"} == folder
    assert len(files) == len(folder) + 1


def test_the_package_imports_the_solutions_it_holds_in_order() -> None:
    files = package_files(voice_project())
    config = parse_xml(files["VoiceForD365Package/ImportConfig.xml"], "ImportConfig.xml")
    listed = [e.get("solutionpackagefilename") for e in config.iter("configsolutionfile")]
    assert listed == [
        "VoiceForD365_1_2_3_4_managed.zip",
        "VoiceForD365Multisession_1_2_3_4_managed.zip",
    ]
    assert all(f"VoiceForD365Package/{name}" in files for name in listed)
    data = read_zip(files["VoiceForD365Package/VoiceForD365ConfigData.zip"])
    assert sorted(data) == ["[Content_Types].xml", "data.xml", "data_schema.xml"]


def test_the_same_project_builds_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert package_files(voice_project()) == package_files(voice_project())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = package_files(voice_project())
    assert first == package_files(voice_project())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000001")
    assert first != package_files(voice_project())  # the date is the one input that moves it


def test_component_order_in_the_project_does_not_change_the_output() -> None:
    project = voice_project()
    shuffled = dataclasses.replace(
        project,
        solutions=tuple(reversed(project.solutions)),
        environment_variables=tuple(reversed(project.environment_variables)),
        web_resources=tuple(reversed(project.web_resources)),
        roles=tuple(reversed(project.roles)),
    )
    assert solution_files(shuffled) == solution_files(project)


def test_a_multisession_change_leaves_the_base_zip_unchanged() -> None:
    project = voice_project()
    provider = dataclasses.replace(project.cif2_providers[0], channel_url="https://other/")
    changed = dataclasses.replace(project, cif2_providers=(provider,))
    before, after = solution_files(project), solution_files(changed)
    base = "VoiceForD365_1_2_3_4_managed.zip"
    assert before[base] == after[base]
    assert before[f"{MULTI}_1_2_3_4_managed.zip"] != after[f"{MULTI}_1_2_3_4_managed.zip"]


def test_the_sample_project_has_every_kind_of_component() -> None:
    project = voice_project()
    for name in (
        "tables",
        "forms",
        "views",
        "roles",
        "apps",
        "commands",
        "web_resources",
        "custom_apis",
        "environment_variables",
        "cif1_providers",
        "cif2_providers",
        "tab_templates",
        "session_templates",
        "notification_templates",
        "settings",
    ):
        assert getattr(project, name), name
