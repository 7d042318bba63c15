"""Every real solution in ../shared/reference/corpus and corpus2, and every zip we build:
`voicepkg unpack` -> `voicepkg build solution` -> the rebuilt zip is the same solution.

"The same" is decided by tests/support/zipsame.py, which owes nothing to builder/ (not our reader,
not our diff): the same entries, the same content type per part, root components and
missing dependencies as sets, every XML part as canonical XML, every other part byte for byte.

The original of a zip is the zip. The original of a folder is the zip it stands for: the
folder's files for extracted zip contents (Tactec), and for `pac solution unpack` trees the
zip our `read_pac` packs from them (the one place the comparison leans on builder/: there is
no Dataverse-made zip of those trees to compare with).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.common import CORPUS, SHARED, SOURCES, need_shared, run_cli
from support.zipsame import differences, zip_entries

from builder.archive.writer import zip_bytes
from builder.read.solution_folder import folder_entries

CORPUS2 = SHARED / "reference" / "corpus2"
_SAMPLE = "microsoft+Dynamics365-Apps-Samples/customer-service/omnichannel/alm-template-pipeline"
TREES = {
    "tactec": CORPUS / "Tactec-Inc+dev-powerapps/XML_1_1",
    "jrsasing": CORPUS / "JRSasing+crm-dynamics-365/solution",
    "ms-boilerplate": CORPUS / f"{_SAMPLE}/solutions/boilerplate/Solution",
    "ms-anchor": CORPUS / f"{_SAMPLE}/solutions/boilerplate/Anchor",
    "productivitytools": CORPUS
    / "MadhaviChidaraboyina+CRM.Omnichannel.ProductivityTools"
    / "solutions/AgentscriptComponent/Solution",
    "highered": CORPUS2 / "unpacked-HigherEducationAccelerator",
}
ZIPS = (
    "ColumnLevelSecuritySampleSolution.zip",
    "ContosoMainSolution_1_0_0_1.zip",
    "DCCPChannelIntegrationFramework_1_0_0_6.zip",
    "DCCPChannelIntegrationFramework_1_0_0_6_managed.zip",
    "SalesOrderProcessingAutomation_1_0_0_6_managed.zip",
    "TwilioSampleData.zip",
    "UseronbaordingAgent_1_0_0_14_managed.zip",
    "VirtualEntityRecordSource_SampleSolution_1_22043_1_managed.zip",
)


def test_the_walk_covers_every_solution_in_the_corpora() -> None:
    zips = {p.name for p in need_shared(CORPUS2 / "zips").glob("*.zip")}
    assert zips == set(ZIPS)
    solution_folders = {
        p.parent.parent if p.parent.name == "Other" else p.parent
        for base in (CORPUS, CORPUS2)
        for p in base.rglob("*")
        if p.name.lower() == "solution.xml"
    }
    assert solution_folders == set(TREES.values())


def unpack_and_build(source: Path, original: dict[str, bytes], tmp: Path) -> dict[str, bytes]:
    """`voicepkg unpack` then `voicepkg build solution` (as managed as the original); on the
    way, `voicepkg diff` of the unpacked sources against the original finds no difference
    (what read leaves unread included, diff/remainders.py)."""
    unpacked = run_cli("unpack", str(source), "--out", str(tmp / "src"))
    assert unpacked.exit_code == 0, unpacked.output
    diffed = run_cli("diff", str(tmp / "src"), str(source))
    assert diffed.exit_code == 0, diffed.output
    managed = re.search(rb"<Managed>\s*1\s*</Managed>", original["solution.xml"]) is not None
    kind = "--managed" if managed else "--unmanaged"
    built = run_cli(
        "build", "solution", "--src", str(tmp / "src"), kind, "--out", str(tmp / "dist")
    )
    assert built.exit_code == 0, built.output
    [rebuilt] = list((tmp / "dist").glob("*.zip"))
    return zip_entries(rebuilt.read_bytes())


@pytest.mark.parametrize("name", ZIPS)
def test_a_real_export_unpacks_and_builds_to_the_same_zip(name: str, tmp_path: Path) -> None:
    source = need_shared(CORPUS2 / "zips" / name)
    original = zip_entries(source.read_bytes())
    assert differences(original, unpack_and_build(source, original, tmp_path)) == []


@pytest.mark.parametrize("name", sorted(TREES))
def test_a_real_solution_tree_unpacks_and_builds_to_the_zip_it_stands_for(
    name: str, tmp_path: Path
) -> None:
    source = need_shared(TREES[name])
    original = zip_entries(zip_bytes(folder_entries(source)))
    assert differences(original, unpack_and_build(source, original, tmp_path)) == []


def test_our_own_zips_unpack_and_build_to_themselves(tmp_path: Path) -> None:
    built = run_cli(
        "build", "solution", "--src", str(SOURCES), "--both", "--out", str(tmp_path / "ours")
    )
    assert built.exit_code == 0, built.output
    zips = sorted((tmp_path / "ours").glob("*.zip"))
    assert len(zips) == 4
    for number, path in enumerate(zips):
        original = zip_entries(path.read_bytes())
        rebuilt = unpack_and_build(path, original, tmp_path / str(number))
        assert differences(original, rebuilt) == [], path.name


# --- the comparison itself must see what matters --------------------------------------------


def test_the_comparison_sees_a_lost_root_component_and_a_changed_value() -> None:
    source = need_shared(
        CORPUS2 / "zips" / "VirtualEntityRecordSource_SampleSolution_1_22043_1_managed.zip"
    )
    original = zip_entries(source.read_bytes())
    changed = dict(original)
    changed["solution.xml"] = re.sub(
        rb"<RootComponent [^>]*type=\"183\"[^>]*/>", b"", original["solution.xml"]
    )
    changed["customizations.xml"] = original["customizations.xml"].replace(
        b"<IsCustomizable>1</IsCustomizable>", b"<IsCustomizable>0</IsCustomizable>", 1
    )
    found = differences(original, changed)
    assert any("RootComponents lost" in d and 'type="183"' in d for d in found)
    assert any(d.startswith("customizations.xml: canonical XML differs") for d in found)


def test_the_comparison_ignores_indentation_and_root_order_but_not_content_types() -> None:
    original = {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="xml" ContentType="application/octet-stream"/>'
        b'<Override PartName="/WebResources/a" ContentType="application/octet-stream"/></Types>',
        "solution.xml": b"<I><S><RootComponents><R a='1'/><R a='2'/></RootComponents></S></I>",
        "WebResources/a": b"x",
    }
    reordered = dict(original)
    reordered["solution.xml"] = (
        b'<?xml version="1.0"?>\n<I>\n  <S>\n    <RootComponents><R a="2"/><R a="1"></R>'
        b"</RootComponents>\n  </S>\n</I>"
    )
    assert differences(original, reordered) == []
    untyped = dict(original)
    untyped["[Content_Types].xml"] = original["[Content_Types].xml"].replace(
        b'<Override PartName="/WebResources/a" ContentType="application/octet-stream"/>', b""
    )
    assert differences(original, untyped) == [
        "WebResources/a: content type 'application/octet-stream' became None"
    ]


def test_an_export_with_an_application_ribbon_rebuilds_each_ribbon_part_once(
    tmp_path: Path,
) -> None:
    """Tactec's export with a command added to its (empty) application ribbon."""
    source = need_shared(TREES["tactec"])
    files = {p.name: p.read_bytes() for p in source.iterdir()}
    action = (
        b'<CustomActions><CustomAction Id="cr97b.hello" Location="Mscrm.HomepageGrid.account'
        b'.MainTab.Actions.Controls._children" Sequence="10"><CommandUIDefinition>'
        b'<Button Id="cr97b.hello.Button" Command="Mscrm.Enabled" LabelText="Hello" />'
        b"</CommandUIDefinition></CustomAction></CustomActions>"
    )
    custom = files["customizations.xml"]
    ribbon = custom.index(b"<RibbonDiffXml>", custom.index(b"</Entities>"))
    files["customizations.xml"] = custom[:ribbon] + re.sub(
        rb"<CustomActions\s*/>", action, custom[ribbon:], count=1
    )
    assert files["customizations.xml"] != custom
    (tmp_path / "export.zip").write_bytes(zip_bytes(files))
    rebuilt = unpack_and_build(tmp_path / "export.zip", files, tmp_path)
    assert differences(files, rebuilt) == []
    body = rebuilt["customizations.xml"]
    app_ribbon = body[body.index(b"<RibbonDiffXml>", body.index(b"</Entities>")) :]
    app_ribbon = app_ribbon[: app_ribbon.index(b"</RibbonDiffXml>")]
    for part in (b"<CustomActions", b"<Templates", b"<CommandDefinitions", b"<RuleDefinitions"):
        assert app_ribbon.count(part) == 1, part


def test_an_exported_row_becomes_sources_and_keeps_the_columns_they_do_not_hold(
    tmp_path: Path,
) -> None:
    """Twilio's session template becomes sources; the column the model has no field for
    (msdyn_enablebuildexpression) stays from the export, and an edit in the sources wins."""
    source = need_shared(CORPUS2 / "zips" / "TwilioSampleData.zip")
    original = zip_entries(source.read_bytes())
    unpacked = run_cli("unpack", str(source), "--out", str(tmp_path / "src"))
    assert "UNP011: session template sample_TwilioCallSessionTemplate" in unpacked.output
    tab = tmp_path / "src" / "multisession" / "sample_twiliocallsessiontemplate.xml"
    tab.write_text(
        tab.read_text().replace('title="Call from {customer}"', 'title="Call by {customer}"')
    )
    built = run_cli(
        "build",
        "solution",
        "--src",
        str(tmp_path / "src"),
        "--managed",
        "--out",
        str(tmp_path / "dist"),
    )
    assert built.exit_code == 0, built.output
    [rebuilt_zip] = list((tmp_path / "dist").glob("*.zip"))
    rebuilt = zip_entries(rebuilt_zip.read_bytes())
    row = "msdyn_sessiontemplates/sample_TwilioCallSessionTemplate/msdyn_sessiontemplate.xml"
    assert [d for d in differences(original, rebuilt) if not d.startswith(row)] == []
    assert b'<msdyn_title default="Call by {customer}">' in rebuilt[row]
    assert b"<msdyn_enablebuildexpression>0</msdyn_enablebuildexpression>" in rebuilt[row]


def test_edits_to_unpacked_sources_reach_the_rebuilt_manifest(tmp_path: Path) -> None:
    """DCCP unpacked: the solution renamed in project.xml and its one modelled web resource
    removed. The new name is built in; the web resource and its root component leave; the
    rest of the solution is as exported."""
    source = need_shared(CORPUS2 / "zips" / "DCCPChannelIntegrationFramework_1_0_0_6.zip")
    original = zip_entries(source.read_bytes())
    src = tmp_path / "src"
    assert run_cli("unpack", str(source), "--out", str(src)).exit_code == 0
    declared = (src / "webresources" / "webresources.xml").read_text()
    assert declared.count("<web-resource ") == 1 and "extn_/sample/stylesheet.css" in declared
    (src / "webresources" / "webresources.xml").unlink()
    (src / "webresources" / "sample" / "stylesheet.css").unlink()
    project = src / "project.xml"
    project.write_text(
        project.read_text().replace('"DCCP Channel Integration Framework"', '"DCCP"')
    )
    built = run_cli(
        "build", "solution", "--src", str(src), "--unmanaged", "--out", str(tmp_path / "d")
    )
    assert built.exit_code == 0, built.output
    [rebuilt_zip] = list((tmp_path / "d").glob("*.zip"))
    rebuilt = zip_entries(rebuilt_zip.read_bytes())
    found = differences(original, rebuilt)
    gone = [p for p in original if p.startswith("WebResources/") and "stylesheet" in p.lower()]
    assert len(gone) == 1
    assert f"only in the original: {gone[0]}" in found
    assert any("RootComponents lost" in d and "extn_/sample/stylesheet.css" in d for d in found)
    assert b'<LocalizedName description="DCCP" languagecode="1033"' in rebuilt["solution.xml"]
    unexplained = [
        d
        for d in found
        if gone[0] not in d
        and "stylesheet" not in d
        and not d.startswith(("solution.xml: canonical", "customizations.xml: canonical"))
    ]
    assert unexplained == []
