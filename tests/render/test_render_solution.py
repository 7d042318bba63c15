"""render_solution: every entry of a solution zip, in the shape real exports have."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree
from support.voice_sample import BASE, MULTI, voice_project

from builder.errors import BuildError
from builder.model import CustomApiParameter, RawPart
from builder.render import render_solution
from builder.xmlio.safe import parse_xml

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def xml(entries: dict[str, bytes], path: str) -> etree._Element:
    return parse_xml(entries[path], path)


def shape(root: etree._Element) -> dict[str, set[str]]:
    """Element path -> attribute names (xsi:nil aside) of a manifest, MissingDependencies out."""
    out: dict[str, set[str]] = {}

    def walk(el: etree._Element, parent: str) -> None:
        path = f"{parent}/{el.tag}"
        out.setdefault(path, set()).update(a for a in el.attrib if a != XSI_NIL)
        for child in el:
            if isinstance(child.tag, str) and child.tag != "MissingDependencies":
                walk(child, path)

    walk(root, "")
    return out


@pytest.mark.parametrize(
    "export",
    [
        "Tactec-Inc+dev-powerapps/XML_1_1/solution.xml",
        "JRSasing+crm-dynamics-365/solution/Other/Solution.xml",
    ],
)
def test_solution_xml_has_the_shape_of_a_real_export(corpus: Path, export: str) -> None:
    real = shape(parse_xml((corpus / export).read_bytes(), export))
    ours = shape(xml(render_solution(voice_project(), BASE, True), "solution.xml"))
    descriptions = {p for p in ours if p.endswith("/Descriptions/Description")}
    assert set(real) - set(ours) <= descriptions  # an export may leave Descriptions empty
    assert set(ours) - set(real) <= descriptions
    for path in set(real) & set(ours):
        assert ours[path] <= real[path] | {"id", "schemaName"}, path
        assert real[path] - {"id", "schemaName"} <= ours[path], path


def test_solution_xml_names_the_solution_version_and_managed_state() -> None:
    for managed, flag in ((True, "1"), (False, "0")):
        manifest = xml(render_solution(voice_project("2.0.1.7"), MULTI, managed), "solution.xml")
        assert manifest.findtext("SolutionManifest/UniqueName") == MULTI
        assert manifest.findtext("SolutionManifest/Version") == "2.0.1.7"
        assert manifest.findtext("SolutionManifest/Managed") == flag
        publisher = manifest.find("SolutionManifest/Publisher")
        assert publisher is not None and publisher.findtext("CustomizationPrefix") == "enreach"
        assert publisher.findtext("CustomizationOptionValuePrefix") == "10523"
        assert len(publisher.findall("Addresses/Address")) == 2


def roots(entries: dict[str, bytes]) -> set[tuple[str, str, str]]:
    manifest = xml(entries, "solution.xml")
    return {
        (r.get("type", ""), r.get("schemaName") or r.get("id", ""), r.get("behavior", ""))
        for r in manifest.iter("RootComponent")
    }


def test_root_components_use_the_type_codes_and_behaviors_exports_use() -> None:
    project = voice_project()
    found = roots(render_solution(project, BASE, True))
    assert ("1", "enreach_setting", "0") in found  # a table we create: with subcomponents
    assert ("1", "phonecall", "2") in found  # a system table we extend: shell only
    assert ("1", "systemuser", "2") in found
    assert ("9", "enreach_datatype", "0") in found
    assert {("20", "{" + str(r.id) + "}", "0") for r in project.roles} <= found
    assert {("61", w.name, "0") for w in project.web_resources} <= found
    assert ("80", "enreach_VoiceConfigurator", "0") in found
    assert ("62", "enreach_VoiceConfigurator", "0") in found
    assert project.environment_variables and not {r for r in found if r[0] == "380"}


def test_each_solution_lists_only_its_own_components() -> None:
    found = roots(render_solution(voice_project(), MULTI, True))
    assert found == set()  # multisession ships SCF rows only; exports list none of those


def test_content_types_declare_each_extension_once_and_each_extensionless_part() -> None:
    entries = render_solution(voice_project(), BASE, True)
    raw = entries["[Content_Types].xml"]
    assert raw.startswith(b"\xef\xbb\xbf")
    types = parse_xml(raw, "[Content_Types].xml")
    declared = [d.get("Extension") for d in types if d.get("Extension")]
    assert sorted(declared) == ["json", "xml"]  # web resource payloads have no extension
    overridden = sorted(d.get("PartName") for d in types if d.get("PartName"))
    assert overridden == sorted("/" + p for p in entries if p.startswith("WebResources/"))
    assert overridden and len(declared) + len(overridden) == len(types)
    assert {d.get("ContentType") for d in types} == {"application/octet-stream"}


def test_web_resource_payloads_are_zipped_byte_for_byte() -> None:
    project = voice_project()
    entries = render_solution(project, BASE, True)
    payloads = {p: d for p, d in entries.items() if p.startswith("WebResources/")}
    assert sorted(payloads.values()) == sorted(w.content for w in project.web_resources)


def test_every_web_resource_file_name_in_customizations_is_a_zip_entry() -> None:
    entries = render_solution(voice_project(), BASE, True)
    names = [n.text or "" for n in xml(entries, "customizations.xml").iter("FileName")]
    assert names and all(n.lstrip("/") in entries for n in names)


def test_environment_variables_ship_definitions_and_never_values() -> None:
    project = voice_project()
    for managed in (True, False):
        entries = render_solution(project, BASE, managed)
        folders = {p.split("/")[1] for p in entries if p.startswith("environmentvariabledef")}
        assert folders == {v.schema_name for v in project.environment_variables}
        assert not [p for p in entries if p.endswith("environmentvariablevalues.json")]
    var = project.environment_variables[0]
    path = f"environmentvariabledefinitions/{var.schema_name}/environmentvariabledefinition.xml"
    definition = xml(entries, path)
    assert definition.get("schemaname") == var.schema_name
    assert definition.findtext("type") == "100000000"
    assert definition.find("displayname/label") is not None


def test_environment_variable_matches_an_exported_definition(corpus: Path) -> None:
    export = next(corpus.glob("JRSasing*/solution/environmentvariabledefinitions/*/*.xml"))
    real = parse_xml(export.read_bytes(), str(export))
    entries = render_solution(voice_project(), BASE, True)
    ours = xml(entries, next(p for p in entries if p.endswith("environmentvariabledefinition.xml")))
    assert ours.tag == real.tag and set(ours.attrib) == set(real.attrib)
    assert [c.tag for c in ours] == sorted(c.tag for c in ours)  # alphabetical, as exported
    assert {c.tag for c in ours} <= {c.tag for c in real} | {"defaultvalue", "description"}


def test_custom_api_is_a_folder_with_its_parameters_beside_it() -> None:
    entries = render_solution(voice_project(), BASE, True)
    folder = "customapis/enreach_UpdateEnreachUserIds"
    api = xml(entries, f"{folder}/customapi.xml")
    assert api.get("uniquename") == "enreach_UpdateEnreachUserIds"
    assert api.findtext("bindingtype") == "0" and api.findtext("isfunction") == "0"
    request = xml(
        entries, f"{folder}/customapirequestparameters/UserIds/customapirequestparameter.xml"
    )
    assert request.findtext("type") == "10" and request.findtext("isoptional") == "1"
    assert request.findtext("name") == "enreach_UpdateEnreachUserIds.UserIds"
    response = xml(
        entries, f"{folder}/customapiresponseproperties/Updated/customapiresponseproperty.xml"
    )
    assert response.findtext("type") == "7"
    assert response.find("isoptional") is None  # import rejects isoptional on a response


def test_an_unknown_custom_api_parameter_type_is_reported_at_its_source() -> None:
    project = voice_project()
    api = project.custom_apis[0]
    bad = dataclasses.replace(
        api.request[0],
        type="Text",
        src=dataclasses.replace(api.request[0].src, file="apis.xml", line=7),
    )
    broken = dataclasses.replace(project, custom_apis=(dataclasses.replace(api, request=(bad,)),))
    with pytest.raises(BuildError) as caught:
        render_solution(broken, BASE, True)
    assert str(caught.value).startswith("apis.xml:7: error BLD201")


def scf(entries: dict[str, bytes], table: str, key: str) -> etree._Element:
    return xml(entries, f"{table}s/{key}/{table}.xml")


def test_multisession_rows_are_scf_files_keyed_by_unique_name() -> None:
    project = voice_project()
    entries = render_solution(project, MULTI, True)
    provider = scf(entries, "msdyn_channelprovider", "enreach_voicechannelprovider")
    assert provider.get("msdyn_uniquename") == "enreach_voicechannelprovider"
    assert provider.findtext("msdyn_enableoutbound") == "1"
    assert provider.findtext("msdyn_apiversion") == "162450000"
    assert provider.find("msdyn_label").get("default") == "Voice"
    for table, items in (
        ("msdyn_sessiontemplate", project.session_templates),
        ("msdyn_notificationtemplate", project.notification_templates),
        ("msdyn_applicationtabtemplate", project.tab_templates),
    ):
        for item in items:
            row = scf(entries, table, item.unique_name)
            assert [row.findtext(c) for c in ("iscustomizable", "statecode", "statuscode")] == [
                "1",
                "0",
                "1",
            ]


def test_lookups_between_rows_go_by_unique_name() -> None:
    project = voice_project()
    entries = render_solution(project, MULTI, True)
    session = scf(entries, "msdyn_sessiontemplate", project.session_templates[0].unique_name)
    assert session.findtext("msdyn_anchortab/msdyn_uniquename") == "enreach_customerrecordtab"
    assert session.findtext("msdyn_sessiontype") == "1" and session.findtext("msdyn_type") == "1"
    for parameter in project.tab_templates[0].parameters:
        row = scf(entries, "msdyn_templateparameter", parameter.unique_name)
        assert row.findtext("msdyn_applicationtabtemplateid/msdyn_uniquename") == (
            "enreach_customerrecordtab"
        )
        assert row.findtext("msdyn_value") == parameter.value


def test_many_to_many_links_are_intersect_sets_inside_customizations() -> None:
    project = voice_project()
    entries = render_solution(project, MULTI, True)
    assert not [p for p in entries if p.startswith("Assets/")]
    root = xml(entries, "customizations.xml")
    links = root.find("msdyn_notificationtemplate_notificationfieldset")
    pairs = {
        (
            r.get("msdyn_notificationtemplateid.msdyn_uniquename"),
            r.get("msdyn_notificationfieldid.msdyn_uniquename"),
        )
        for r in links
    }
    assert pairs == {
        (n.unique_name, f.unique_name) for n in project.notification_templates for f in n.fields
    }
    tabs = root.find("msdyn_sessiontemplate_applicationtabset")
    assert len(tabs) == sum(len(s.additional_tabs) for s in project.session_templates) > 0


def test_the_pinned_flag_is_the_inverse_of_can_close() -> None:
    entries = render_solution(voice_project(), MULTI, True)
    assert (
        scf(entries, "msdyn_applicationtabtemplate", "enreach_searchtab").findtext("msdyn_pinned")
        == "0"
    )
    assert (
        scf(entries, "msdyn_applicationtabtemplate", "enreach_customerrecordtab").findtext(
            "msdyn_pinned"
        )
        == "1"
    )


def test_raw_parts_are_whole_entries_of_their_solution_only() -> None:
    project = voice_project()
    assert render_solution(project, BASE, True)["Workflows/Sync-1.json"] == b"{}"
    assert "Workflows/Sync-1.json" not in render_solution(project, MULTI, True)


def test_two_components_writing_one_entry_is_an_error() -> None:
    project = voice_project()
    taken = next(p for p in render_solution(project, BASE, True) if p.startswith("WebResources/"))
    clash = RawPart(taken, b"<x/>", solution=BASE)
    with pytest.raises(BuildError, match="BLD102"):
        render_solution(dataclasses.replace(project, raw_parts=(clash,)), BASE, True)


def test_an_undeclared_solution_is_refused() -> None:
    with pytest.raises(BuildError, match="BLD101"):
        render_solution(voice_project(), "NoSuchSolution", True)


def test_every_xml_entry_is_well_formed() -> None:
    for solution in (BASE, MULTI):
        for path, data in render_solution(voice_project(), solution, True).items():
            if path.endswith(".xml"):
                parse_xml(data, path)


def test_request_parameters_of_every_type_render() -> None:
    project = voice_project()
    api = project.custom_apis[0]
    params = tuple(
        CustomApiParameter(f"P{i}", f"P{i}", t)
        for i, t in enumerate(
            ("Boolean", "DateTime", "Decimal", "EntityReference", "Guid", "StringArray")
        )
    )
    changed = dataclasses.replace(project, custom_apis=(dataclasses.replace(api, request=params),))
    entries = render_solution(changed, BASE, True)
    types = [
        xml(entries, p).findtext("type")
        for p in sorted(entries)
        if p.endswith("customapirequestparameter.xml")
    ]
    assert types == ["0", "1", "2", "5", "12", "11"]
