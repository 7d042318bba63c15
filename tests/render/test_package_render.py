"""The package's own files: CMT configuration data and ImportConfig.xml."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import cast

import pytest
from lxml import etree
from support.voice_sample import BASE, MULTI, voice_project

from builder.errors import BuildError
from builder.model import SettingCategory
from builder.render import render_config_data, render_import_config
from builder.xmlio.safe import parse_xml

BOILERPLATE = (
    "microsoft+Dynamics365-Apps-Samples/customer-service/omnichannel/"
    "alm-template-pipeline/solutions/boilerplate/PDPackage/boilerplate/ImportConfig.xml"
)


def records(data: etree._Element, entity: str) -> list[dict[str, str]]:
    return [
        {f.get("name", ""): f.get("value", "") for f in r.iter("field")}
        for r in data.iterfind(f"entity[@name='{entity}']/records/record")
    ]


def test_data_xml_holds_every_setting_with_its_default() -> None:
    project = voice_project()
    data = parse_xml(render_config_data(project)["data.xml"], "data.xml")
    rows = {r["enreach_name"]: r for r in records(data, "enreach_setting")}
    assert set(rows) == {s.name for s in project.settings}
    for setting in project.settings:
        row = rows[setting.name]
        assert row["enreach_settingid"] == str(setting.id)
        assert row.get("enreach_value", "") == setting.default
        assert row.get("enreach_defaultvalue", "") == setting.default
        assert row["enreach_description"] == setting.description


def test_setting_choices_are_the_option_values_of_the_table() -> None:
    project = voice_project()
    table = project.table("enreach_setting")
    assert table is not None
    column = table.column("enreach_category")
    assert column is not None
    category = {o.label: o.value for o in column.options}
    datatype = {o.label: o.value for o in project.global_choices[0].options}
    data = parse_xml(render_config_data(project)["data.xml"], "data.xml")
    rows = {r["enreach_name"]: r for r in records(data, "enreach_setting")}
    for setting in project.settings:
        assert rows[setting.name]["enreach_category"] == str(category[setting.category])
        assert rows[setting.name]["enreach_datatype"] == str(datatype[setting.datatype])


def test_the_cif1_provider_leaves_apps_and_roles_to_the_administrator() -> None:
    files = render_config_data(voice_project())
    for name in ("data.xml", "data_schema.xml"):
        assert b"appselector" not in files[name] and b"roleselector" not in files[name]
    data = parse_xml(files["data.xml"], "data.xml")
    (provider,) = records(data, "msdyn_ciprovider")
    assert provider["msdyn_name"] == "Voice for Dynamics 365"
    assert provider["msdyn_clicktoact"] == "True"  # CMT booleans are True/False


def test_existing_settings_are_never_updated_by_the_data_import() -> None:
    schema = parse_xml(render_config_data(voice_project())["data_schema.xml"], "schema")
    entity = schema.find("entity[@name='enreach_setting']")
    assert entity is not None and entity.get("skipupdate") == "true"
    assert entity.get("primaryidfield") == "enreach_settingid"
    fields = {f.get("name"): f.get("type") for f in entity.iter("field")}
    assert fields["enreach_category"] == fields["enreach_datatype"] == "optionsetvalue"
    assert fields["enreach_settingid"] == "guid"


def test_every_data_field_is_declared_in_the_schema() -> None:
    files = render_config_data(voice_project())
    schema = parse_xml(files["data_schema.xml"], "schema")
    data = parse_xml(files["data.xml"], "data")
    for entity in data.iter("entity"):
        declared = {
            f.get("name")
            for f in schema.iterfind(f"entity[@name='{entity.get('name')}']/fields/field")
        }
        used = {f.get("name") for f in entity.iter("field")}
        assert used <= declared, entity.get("name")


def test_the_data_zip_has_the_three_cmt_entries() -> None:
    assert sorted(render_config_data(voice_project())) == [
        "[Content_Types].xml",
        "data.xml",
        "data_schema.xml",
    ]


def test_a_setting_with_an_unknown_category_is_reported_at_its_source() -> None:
    project = voice_project()
    first = project.settings[0]
    bad = dataclasses.replace(
        first,
        category=cast(SettingCategory, "Nonsense"),  # not one of the four: the point
        src=dataclasses.replace(first.src, file="settings.xml", line=3),
    )
    with pytest.raises(BuildError) as caught:
        render_config_data(dataclasses.replace(project, settings=(bad,)))
    assert str(caught.value).startswith("settings.xml:3: error BLD302")


FILES = {
    BASE: "VoiceForD365_1_2_3_4_managed.zip",
    MULTI: "VoiceForD365Multisession_1_2_3_4_managed.zip",
}


def test_import_config_is_utf16_with_a_bom_like_microsofts(corpus: Path) -> None:
    ours = render_import_config(voice_project(), FILES)
    assert ours.startswith(b"\xff\xfe")
    assert (corpus / BOILERPLATE).read_bytes().startswith(b"\xff\xfe")
    root = parse_xml(ours, "ImportConfig.xml")
    assert root.tag == "configdatastorage"
    assert root.get("crmmigdataimportfile") == "VoiceForD365ConfigData.zip"


def test_import_config_uses_the_names_package_deployer_reads(corpus: Path) -> None:
    real = parse_xml((corpus / BOILERPLATE).read_bytes(), BOILERPLATE)
    ours = parse_xml(render_import_config(voice_project(), FILES, "c.zip"), "ImportConfig.xml")
    assert set(ours.attrib) == set(real.attrib)
    assert [c.tag for c in ours] == [c.tag for c in real if isinstance(c.tag, str)]
    real_file = real.find("solutions/configsolutionfile")
    assert real_file is not None
    for entry in ours.iterfind("solutions/configsolutionfile"):
        assert set(real_file.attrib) <= set(entry.attrib)


def test_import_config_lists_solutions_in_import_order() -> None:
    project = voice_project()  # declares the multisession solution first, order 2
    root = parse_xml(render_import_config(project, FILES, "c.zip"), "ImportConfig.xml")
    entries = root.findall("solutions/configsolutionfile")
    assert [e.get("solutionpackagefilename") for e in entries] == [FILES[BASE], FILES[MULTI]]
    for entry in entries:
        assert entry.get("overwriteunmanagedcustomizations") == "false"
        assert entry.get("publishworkflowsandactivateplugins") == "true"


def test_import_config_refuses_a_solution_without_a_file() -> None:
    with pytest.raises(BuildError, match="BLD401"):
        render_import_config(voice_project(), {BASE: "a.zip"}, "c.zip")


def test_line_breaks_in_values_survive_the_attribute_round_trip() -> None:
    project = voice_project()
    first = dataclasses.replace(project.settings[0], description="line one\nline two")
    files = render_config_data(dataclasses.replace(project, settings=(first,)))
    (row,) = records(parse_xml(files["data.xml"], "data.xml"), "enreach_setting")
    assert row["enreach_description"] == "line one\nline two"
