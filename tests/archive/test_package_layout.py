"""The one reader of a package's layout (archive/package_layout.py), and read and deploy agreeing
on it whether the zip holds the package folder or the package's files at its root."""

from __future__ import annotations

import pytest
from fakes.packages import BASE, MULTI, Spec, file_name, import_config, package_entries

from builder.archive.package_layout import find_import_config, package_folder, read_layout
from builder.deploy.package_contents import package_from_entries
from builder.errors import BuildError
from builder.read.package_project import read_package_files

FOLDER = "VoiceForD365Package"


def _in_folder(entries: dict[str, bytes]) -> dict[str, bytes]:
    return {f"{FOLDER}/{name}": data for name, data in entries.items()}


def test_the_import_config_nearest_the_root_wins_whatever_its_case() -> None:
    paths = ["b/deeper/ImportConfig.xml", "a/IMPORTCONFIG.xml", "x.zip"]
    assert find_import_config(paths) == "a/IMPORTCONFIG.xml"
    assert find_import_config(["ImportConfig.xml", *paths]) == "ImportConfig.xml"
    assert find_import_config(["x.zip", "ImportConfig.xml.bak"]) is None


def test_two_packages_side_by_side_are_refused_not_guessed() -> None:
    paths = ["z/importconfig.XML", "a/IMPORTCONFIG.xml", "x.zip"]
    with pytest.raises(BuildError) as refused:
        find_import_config(paths, "two.zip")
    (found,) = refused.value.diagnostics
    assert (found.code, found.file) == ("PKG003", "two.zip")
    assert "a/IMPORTCONFIG.xml, z/importconfig.XML" in found.message
    # a package folder beside a deeper copy is one package: the nearest is the one
    assert find_import_config(["p/ImportConfig.xml", "p/old/ImportConfig.xml"]) == (
        "p/ImportConfig.xml"
    )


def test_a_layout_lists_the_solutions_in_import_order_and_the_data_zip() -> None:
    names = [file_name(MULTI, "1.0.0.0"), file_name(BASE, "1.0.0.0")]
    files = {f"{FOLDER}/ImportConfig.xml": import_config(names)}
    layout = read_layout(files, "p.zip")
    assert layout is not None
    assert layout.solutions == tuple(names)
    assert layout.config_data == "VoiceForD365ConfigData.zip"
    assert layout.folder == FOLDER
    assert layout.path(names[0]) == f"{FOLDER}/{names[0]}"


def test_without_an_import_config_there_is_no_layout() -> None:
    assert read_layout({"solution.xml": b"<ImportExportXml/>"}, "s.zip") is None


def test_the_package_folder_is_read_as_if_it_were_the_root() -> None:
    entries = package_entries(Spec())
    assert package_folder(_in_folder(entries)) == entries
    assert package_folder(entries) == entries


@pytest.mark.parametrize("shape", ["root", "folder"])
def test_read_and_deploy_find_the_same_solutions_in_the_same_order(shape: str) -> None:
    entries = package_entries(Spec(multisession=True))
    files = _in_folder(entries) if shape == "folder" else entries
    read = read_package_files(files, "p.zip").project
    by_order = sorted(read.solutions, key=lambda s: s.import_order)
    deployed = package_from_entries(package_folder(files), "p.zip")
    assert [s.unique_name for s in by_order] == [BASE, MULTI]
    assert [s.unique_name for s in deployed.solutions] == [BASE, MULTI]
    assert {s.name for s in read.settings} == {s.name for s in deployed.settings} != set()
