"""Deploying the real package that `build` makes from solution_src (both --from-source and
--package), end to end against the fake Dataverse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import actions, cif2, deploy, invoke, report, settings_file
from support.common import SOURCES

from builder.archive.writer import write_outputs
from builder.build import build_package
from builder.deploy.package_contents import package_from_build, read_package_contents

VALUES = {
    "enreach_EnreachApiBaseUrl": "https://api.enreach.example",
    "enreach_UserIdSyncUrl": "https://sync.enreach.example",
    "enreach_VoiceWidgetUrl": "https://widget.enreach.example",
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("built") / "dist"
    write_outputs(folder, build_package(SOURCES))
    write_outputs(folder.parent / "next", build_package(SOURCES, version="1.0.1.0"))
    return folder


def package_zip(folder: Path) -> Path:
    return next(folder.glob("VoiceForD365Package_*.zip"))


def test_the_built_package_reads_the_same_from_zip_folder_and_build_outputs(dist: Path) -> None:
    from_zip = read_package_contents(package_zip(dist))
    from_folder = read_package_contents(dist)
    from_build = package_from_build(build_package(SOURCES), "src")
    for package in (from_folder, from_build):
        assert [(s.unique_name, s.version, s.components) for s in package.solutions] == [
            (s.unique_name, s.version, s.components) for s in from_zip.solutions
        ]
        assert package.settings == from_zip.settings
        assert package.cif1_provider == from_zip.cif1_provider
    names = {s.name for s in from_zip.settings}
    assert {"DefaultCrmAssignee", "CallDurationLimit", "MultipleMatchesPickFirst"} <= names
    assert from_zip.cif1_provider is not None
    assert (
        not {"msdyn_appselector", "msdyn_roleselector"} & dict(from_zip.cif1_provider.fields).keys()
    )


def test_from_source_deploys_the_built_package_then_a_rerun_is_a_no_op(
    fake, tmp_path, clock
) -> None:
    cif2(fake)
    settings = settings_file(tmp_path, VALUES)
    argv = [
        "deploy",
        "--env",
        fake.url,
        "--from-source",
        "--src",
        str(SOURCES),
        "--settings",
        str(settings),
        "--json",
    ]
    first = invoke(argv)
    assert first.exit_code == 0, first.output
    assert actions(first) == {"VoiceForD365": "install", "VoiceForD365Multisession": "install"}
    assert fake.solution("VoiceForD365")["version"] == report(first)["solutions"][0]["to"]
    assert fake.env_values == VALUES
    assert "DefaultCrmAssignee" in fake.settings()
    assert fake.providers.keys() == {"enreach_voicechannelprovider"}
    source = fake.definitions["enreach_callbacklist"]["DataSourceId"]  # the real virtual table
    assert (
        fake.records["msdyn_odatav4ds"][source]["msdyn_uri"] == VALUES["enreach_EnreachApiBaseUrl"]
    )
    assert fake.definitions["enreach_callbacklist"]["ExternalName"] == "CallbackLists"
    second = invoke(argv)
    assert set(actions(second).values()) == {"skip"}
    assert report(second)["settings"]["created"] == []
    assert report(second)["virtual_tables"]["tables"] == {"enreach_callbacklist": "linked"}


def test_the_package_zip_installs_and_the_next_version_updates(fake, dist, tmp_path, clock) -> None:
    cif2(fake)
    settings = settings_file(tmp_path, VALUES)
    first = deploy(fake, package_zip(dist), "--json", settings=settings)
    assert first.exit_code == 0, first.output
    fake.records["enreach_settings"][next(iter(fake.records["enreach_settings"]))][
        "enreach_value"
    ] = "changed by an administrator"
    second = deploy(fake, package_zip(dist.parent / "next"), "--json", settings=settings)
    assert second.exit_code == 0, second.output
    assert actions(second) == {"VoiceForD365": "update", "VoiceForD365Multisession": "update"}
    assert fake.solution("VoiceForD365")["version"] == "1.0.1.0"
    assert len(report(second)["settings"]["kept"]) == 1


def test_settings_template_of_the_built_package(dist: Path) -> None:
    result = invoke(["settings", "template", "--package", str(package_zip(dist))])
    data = json.loads(result.stdout)
    assert [v["SchemaName"] for v in data["EnvironmentVariables"]] == sorted(VALUES, key=str.lower)
