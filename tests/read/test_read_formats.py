"""The reader's handling of layouts and bad input: pac folders fold back into a zip, a
damaged export is reported (never a traceback), and the same meaning written two ways
compares equal."""

from __future__ import annotations

import contextlib
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from builder.archive.writer import zip_bytes
from builder.diff.projects import diff_projects
from builder.errors import BuildError
from builder.model import Column, Project, Publisher, SolutionDef, Table
from builder.read.solution import read_entries, read_solution, read_solution_folder
from builder.read.solution_folder import folder_entries
from builder.unpack.run import unpack_read

TACTEC = "Tactec-Inc+dev-powerapps/XML_1_1"
PRODUCTIVITY = (
    "MadhaviChidaraboyina+CRM.Omnichannel.ProductivityTools/solutions/AgentscriptComponent/Solution"
)


def test_a_pac_folder_packs_like_pac_solution_pack(corpus: Path) -> None:
    entries = folder_entries(corpus / "JRSasing+crm-dynamics-365/solution")
    custom = etree.fromstring(entries["customizations.xml"])
    assert len(custom.findall("Entities/Entity")) == 28
    assert custom.find("Entities/Entity/FormXml/forms[@type]") is not None
    assert len(custom.findall("Roles/Role")) == 3
    assert custom.find("EntityRelationships/EntityRelationship/ReferencingEntityName") is not None
    web = custom.find("WebResources/WebResource/FileName").text.lstrip("/")
    assert web in entries  # the payload lands where the element says
    assert not any(p.startswith(("Other/", "Entities/")) for p in entries)
    assert b'Extension="json"' in entries["[Content_Types].xml"]


def test_a_both_source_packs_unmanaged_without_the_managed_form_variants(corpus: Path) -> None:
    entries = folder_entries(corpus / PRODUCTIVITY)
    manifest = etree.fromstring(entries["solution.xml"])
    assert manifest.findtext("SolutionManifest/Managed") == "0"
    forms = etree.fromstring(entries["customizations.xml"]).findall(".//systemform")
    assert len(forms) == 1  # {id}.xml only, not also {id}_managed.xml


def test_raw_zip_contents_and_their_zip_read_the_same(corpus: Path) -> None:
    folder = read_solution_folder(corpus / TACTEC).project
    zipped = read_solution(zip_bytes(folder_entries(corpus / TACTEC)), "x").project
    assert zipped == folder


def test_a_folder_that_is_no_solution_is_refused(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(BuildError) as refused:
        read_solution_folder(tmp_path)
    assert refused.value.diagnostics[0].code == "RD010"


def test_a_zip_without_customizations_is_refused() -> None:
    with pytest.raises(BuildError) as refused:
        read_solution(zip_bytes({"solution.xml": b"<ImportExportXml/>"}), "x.zip")
    assert refused.value.diagnostics[0].code == "RD001"


def test_a_link_out_of_a_solution_folder_is_refused(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sol"
    shutil.copytree(corpus / TACTEC, folder)
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "extra.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(BuildError) as refused:
        read_solution_folder(folder)
    assert refused.value.diagnostics[0].code == "IO005"


@pytest.fixture(scope="module")
def tactec(corpus: Path) -> dict[str, bytes]:
    return folder_entries(corpus / TACTEC)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**9), mode=st.sampled_from(["remove", "text", "attributes"]))
def test_a_damaged_export_is_read_or_refused_never_a_crash(
    tactec: dict[str, bytes], seed: int, mode: str
) -> None:
    root = etree.fromstring(tactec["customizations.xml"])
    victims = list(root.iter())[1:]
    victim = random.Random(seed).choice(victims)
    if mode == "remove":
        victim.getparent().remove(victim)
    elif mode == "text":
        victim.text = "not { a value"
    else:
        for name in victim.attrib:
            victim.set(name, "zz")
    entries = {**tactec, "customizations.xml": etree.tostring(root)}
    with contextlib.suppress(BuildError):  # refused with a located message: fine
        unpack_read(read_entries(entries, "damaged"))


def _project(*columns: Column) -> Project:
    return Project(
        "1.0.0.0",
        Publisher("p", "P", "p", 10000),
        (SolutionDef("S", "S", "", "base", 1),),
        tables=(Table("p_T", "T", solution="S", columns=columns),),
    )


def test_defaults_written_out_or_left_open_are_no_difference() -> None:
    open_ = _project(
        Column("p_A", "text", "A"),
        Column("p_B", "integer", "B"),
        Column("p_C", "money", "C"),
        Column("p_D", "datetime", "D"),
    )
    explicit = _project(
        Column("p_A", "text", "A", max_length=100, format="text"),
        Column("p_B", "integer", "B", format="none", min_value=-2147483648, max_value=2147483647),
        Column(
            "p_C", "money", "C", precision=2, min_value=-922337203685477, max_value=922337203685477
        ),
        Column("p_D", "datetime", "D", format="datetime"),
    )
    assert not diff_projects(open_, explicit).different
    shorter = _project(Column("p_A", "text", "A", max_length=99))
    assert diff_projects(_project(Column("p_A", "text", "A")), shorter).breaking
