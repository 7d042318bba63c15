"""customizations.xml render: schema-valid, complete for new tables, faithful to the model."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from support.msschema import schema_errors
from support.samples import BASE, COMMANDS, FORMS, ICON, MULTI, VIEWS, sample_project

from builder.errors import BuildError
from builder.model import FormSubgrid, Src
from builder.render.customizations import render_customizations
from builder.render.cz_webresources import web_resource_file_name
from builder.xmlio.safe import parse_xml

USER_OWNED_COLUMNS = {
    "createdby",
    "createdon",
    "createdonbehalfby",
    "importsequencenumber",
    "modifiedby",
    "modifiedon",
    "modifiedonbehalfby",
    "overriddencreatedon",
    "ownerid",
    "owningbusinessunit",
    "owninguser",
    "owningteam",
    "statecode",
    "statuscode",
    "timezoneruleversionnumber",
    "utcconversiontimezonecode",
}
ORG_OWNED_COLUMNS = USER_OWNED_COLUMNS - {
    "ownerid",
    "owningbusinessunit",
    "owninguser",
    "owningteam",
} | {"organizationid"}


@pytest.fixture(scope="module")
def xml() -> bytes:
    return render_customizations(sample_project(), BASE, managed=True)


@pytest.fixture(scope="module")
def root(xml: bytes) -> etree._Element:
    return parse_xml(xml, "customizations.xml")


def entity(root: etree._Element, schema_name: str) -> etree._Element:
    found = root.xpath(f"/ImportExportXml/Entities/Entity[Name='{schema_name}']")
    assert len(found) == 1, schema_name
    return found[0]


def attribute_names(entity_el: etree._Element) -> list[str]:
    return [
        str(n) for n in entity_el.xpath("EntityInfo/entity/attributes/attribute/LogicalName/text()")
    ]


@pytest.mark.parametrize("solution", [BASE, MULTI])
@pytest.mark.parametrize("managed", [True, False])
def test_output_validates_against_the_microsoft_schema(
    ms_schemas: Path, solution: str, managed: bool
) -> None:
    xml = render_customizations(sample_project(), solution, managed)
    assert schema_errors(ms_schemas, xml) == []


def test_sections_follow_the_schema_order_with_languages_last(root: etree._Element) -> None:
    names = [child.tag for child in root]
    assert names[:6] == [
        "Entities",
        "Roles",
        "Workflows",
        "FieldSecurityProfiles",
        "Templates",
        "RibbonDiffXml",
    ]
    assert (
        names.index("EntityRelationships") < names.index("optionsets") < names.index("WebResources")
    )
    assert names.index("AppModuleSiteMaps") < names.index("AppModules")
    assert names[-1] == "Languages"
    assert root.xpath("/ImportExportXml/Languages/Language/text()") == ["1033"]


def test_user_owned_table_has_every_system_column_once(root: etree._Element) -> None:
    names = attribute_names(entity(root, "enreach_CallbackProfile"))
    assert set(names) >= USER_OWNED_COLUMNS
    assert "organizationid" not in names
    assert "enreach_callbackprofileid" in names
    assert len(names) == len(set(names))


def test_org_owned_table_has_organization_instead_of_owner(root: etree._Element) -> None:
    names = attribute_names(entity(root, "enreach_Setting"))
    assert set(names) >= ORG_OWNED_COLUMNS
    assert not {"ownerid", "owninguser", "owningteam"} & set(names)
    mask = root.xpath("//entity[@Name='enreach_Setting']/OwnershipTypeMask/text()")
    assert mask == ["OrgOwned"]


def test_primary_name_column_is_marked_in_the_display_mask(root: etree._Element) -> None:
    masks = entity(root, "enreach_Setting").xpath(
        "EntityInfo/entity/attributes/attribute[LogicalName='enreach_name']/DisplayMask/text()"
    )
    assert masks[0].startswith("PrimaryName|")


def test_system_relationships_exist_for_every_new_table(root: etree._Element) -> None:
    names = set(root.xpath("/ImportExportXml/EntityRelationships/EntityRelationship/@Name"))
    for t in ("enreach_callbackprofile", "enreach_setting"):
        for kind in ("createdby", "createdonbehalfby", "modifiedby", "modifiedonbehalfby"):
            assert f"lk_{t}_{kind}" in names
    user_owned = {
        f"{k}_enreach_callbackprofile" for k in ("business_unit", "owner", "team", "user")
    }
    assert user_owned <= names
    assert "organization_enreach_setting" in names
    assert not any(n.endswith("enreach_callbacklist") and n.startswith("lk_") for n in names)


def test_lookup_columns_get_their_one_to_many_relationship(root: etree._Element) -> None:
    rel = root.xpath("//EntityRelationship[@Name='enreach_phonecall_bundledwith']")[0]
    assert rel.findtext("ReferencingEntityName") == "PhoneCall"
    assert rel.findtext("ReferencedEntityName") == "PhoneCall"
    assert rel.findtext("ReferencingAttributeName") == "enreach_BundledWithId"
    derived = root.xpath("//EntityRelationship[@Name='enreach_callbackprofile_QueueId_queue']")
    assert derived[0].findtext("ReferencedEntityName") == "Queue"


def test_existing_table_carries_only_our_columns_and_added_status(root: etree._Element) -> None:
    phonecall = entity(root, "PhoneCall")
    assert phonecall.find("Name").get("OriginalName") == ""
    assert set(attribute_names(phonecall)) == {
        "enreach_enreachcallid",
        "enreach_apiaudit",
        "enreach_calltype",
        "enreach_callbackprofileid",
        "enreach_bundledwithid",
        "statuscode",
    }
    statuses = phonecall.xpath(".//attribute[LogicalName='statuscode']//status")
    assert [(s.get("value"), s.get("state")) for s in statuses] == [("105230000", "0")]
    assert statuses[0].xpath("labels/label/@description") == ["Multiple matches"]
    assert phonecall.find("EntityInfo/entity/OwnershipTypeMask") is None


def test_choice_values_and_labels_appear(root: etree._Element) -> None:
    calltype = root.xpath("//attribute[LogicalName='enreach_calltype']/optionset")[0]
    assert calltype.get("Name") == "enreach_phonecall_enreach_calltype"
    options = [
        (o.get("value"), o.xpath("labels/label/@description")[0]) for o in calltype.iter("option")
    ]
    assert options == [("105230000", "Direct"), ("105230001", "Service"), ("105230002", "Callback")]
    glob = root.xpath("/ImportExportXml/optionsets/optionset[@Name='enreach_datatype']")[0]
    assert glob.findtext("IsGlobal") == "1"
    assert glob.xpath("options/option/labels/label/@description") == [
        "String",
        "Integer",
        "Boolean",
        "Guid",
    ]
    bound = root.xpath("//attribute[LogicalName='enreach_datatype']")[0]
    assert bound.findtext("OptionSetName") == "enreach_datatype"
    assert bound.findtext("AppDefaultValue") == "105230000"


def test_boolean_column_has_a_bit_option_set_with_its_labels(root: etree._Element) -> None:
    enabled = root.xpath("//attribute[LogicalName='enreach_enabled']")[0]
    assert enabled.findtext("Type") == "bit"
    assert enabled.findtext("AppDefaultValue") == "1"
    assert enabled.xpath("optionset/options/option/labels/label/@description") == ["Off", "On"]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (
            "enreach_website",
            {"Type": "nvarchar", "Format": "url", "MaxLength": "200", "Length": "400"},
        ),
        ("enreach_email", {"Type": "nvarchar", "Format": "email", "MaxLength": "100"}),
        ("enreach_phone", {"Type": "nvarchar", "Format": "phone"}),
        ("enreach_description", {"Type": "ntext", "Format": "textarea", "MaxLength": "2000"}),
        ("enreach_callbackage", {"Type": "int", "MinValue": "1", "MaxValue": "2147483647"}),
        ("enreach_callduration", {"Type": "int", "Format": "duration"}),
        (
            "enreach_weight",
            {"Type": "decimal", "Accuracy": "3", "MinValue": "0", "MaxValue": "1000.5"},
        ),
        ("enreach_fee", {"Type": "money", "Accuracy": "2"}),
        ("enreach_fee_base", {"Type": "money", "CalculationOf": "enreach_Fee"}),
        ("enreach_nextrun", {"Type": "datetime", "Format": "datetime", "Behavior": "1"}),
        ("enreach_startdate", {"Type": "datetime", "Format": "date"}),
        ("enreach_queueid", {"Type": "lookup", "LookupStyle": "single"}),
    ],
)
def test_column_types_map_to_dataverse_attribute_shapes(
    root: etree._Element, column: str, expected: dict[str, str]
) -> None:
    attr = root.xpath(f"//attribute[LogicalName='{column}']")[0]
    assert {k: attr.findtext(k) for k in expected} == expected


def test_money_column_brings_the_currency_columns(root: etree._Element) -> None:
    names = attribute_names(entity(root, "enreach_CallbackProfile"))
    assert {"transactioncurrencyid", "exchangerate"} <= set(names)
    assert root.xpath("//EntityRelationship[@Name='TransactionCurrency_enreach_callbackprofile']")


def test_virtual_table_has_provider_and_external_names_but_no_system_columns(
    root: etree._Element,
) -> None:
    virtual = entity(root, "enreach_CallbackList")
    info = virtual.find("EntityInfo/entity")
    assert info.findtext("DataProviderId")
    assert info.findtext("ExternalName") == "CallbackLists"
    assert set(attribute_names(virtual)) == {"enreach_callbacklistid", "enreach_name"}
    external = info.xpath("attributes/attribute/ExternalName/text()")
    assert sorted(external) == ["Id", "Name"]


def test_alternate_key_is_written(root: etree._Element) -> None:
    key = root.xpath("//entity[@Name='enreach_Setting']/EntityKeys/EntityKey")[0]
    assert key.findtext("LogicalName") == "enreach_key_name"
    assert key.xpath("EntityKeyAttributes/AttributeName/text()") == ["enreach_name"]


def test_form_and_view_ids_are_the_models(root: etree._Element) -> None:
    form_ids = set(root.xpath("//systemform/formid/text()"))
    assert form_ids == {f"{{{f.id}}}" for f in FORMS}
    view_ids = set(root.xpath("//savedquery/savedqueryid/text()"))
    assert view_ids == {f"{{{v.id}}}" for v in VIEWS}


def test_view_query_types_and_quick_find_filter(root: etree._Element) -> None:
    types = {
        q.xpath("LocalizedNames/LocalizedName/@description")[0]: q.findtext("querytype")
        for q in root.iter("savedquery")
    }
    assert types["Quick Find Active Voice Settings"] == "4"
    assert types["Voice Setting Lookup View"] == "64"
    assert types["Voice Setting Associated View"] == "2"
    assert types["Voice Setting Advanced Find View"] == "1"
    quick = root.xpath("//savedquery[querytype='4']")[0]
    assert quick.findtext("isquickfindquery") == "1"
    finds = quick.xpath(".//filter[@isquickfindfields='1']/condition/@attribute")
    assert finds == ["enreach_name", "enreach_value"]
    values = root.xpath("//condition[@operator='in']/value/text()")
    assert values == ["105230000", "105230002"]


def test_subgrid_points_at_its_view_and_relationship(root: etree._Element) -> None:
    control = root.xpath("//control[@indicationOfSubgrid='true']")[0]
    params = {p.tag: p.text for p in control.find("parameters")}
    bundled = next(v for v in VIEWS if v.name == "Bundled Calls")
    assert params["TargetEntityType"] == "phonecall"
    assert params["ViewId"] == f"{{{bundled.id}}}"
    assert params["RelationshipName"] == "enreach_phonecall_bundledwith"


def test_form_events_and_libraries(root: etree._Element) -> None:
    form = root.xpath(
        "//systemform[LocalizedNames/LocalizedName/@description='Voice for D365 - Phone Call']/form"
    )[0]
    assert form.xpath("formLibraries/Library/@name") == ["enreach_/scripts/callbackprofile.js"]
    change = form.xpath("events/event[@name='onchange']")[0]
    assert change.get("attribute") == "enreach_calltype"
    assert change.xpath("Handlers/Handler/@functionName") == ["Enreach.PhoneCall.onTypeChange"]
    assert form.xpath("header//control/@datafieldname") == ["statuscode", "ownerid"]


def test_quick_view_control_names_the_quick_form(root: etree._Element) -> None:
    quick = next(f for f in FORMS if f.name == "Callback Profile Quick View")
    value = root.xpath("//control[@id='profile_qv']/parameters/QuickForms/text()")[0]
    assert str(quick.id).upper() in value and 'entityname="enreach_callbackprofile"' in value


def test_role_with_its_privileges(root: etree._Element) -> None:
    role = root.xpath("/ImportExportXml/Roles/Role")[0]
    assert role.get("name") == "Voice User"
    assert ("prvReadenreach_setting", "Global") in [
        (p.get("name"), p.get("level")) for p in role.iter("RolePrivilege")
    ]


def test_command_becomes_a_ribbon_button_calling_the_script(root: etree._Element) -> None:
    ribbon = entity(root, "SystemUser").find("RibbonDiffXml")
    action = ribbon.find("CustomActions/CustomAction")
    assert (
        action.get("Location")
        == "Mscrm.HomepageGrid.systemuser.MainTab.Management.Controls._children"
    )
    js = ribbon.find("CommandDefinitions/CommandDefinition/Actions/JavaScriptFunction")
    assert js.get("Library") == "$webresource:enreach_/scripts/commands.js"
    assert js.get("FunctionName") == "Enreach.Commands.updateUserIds"
    labels = ribbon.xpath("LocLabels/LocLabel/Titles/Title/@description")
    assert "Update Enreach User Ids" in labels


def test_app_module_lists_its_components_roles_and_site_map(root: etree._Element) -> None:
    app = root.xpath("/ImportExportXml/AppModules/AppModule")[0]
    components = {
        (c.get("type"), c.get("schemaName") or c.get("id")) for c in app.iter("AppModuleComponent")
    }
    assert ("1", "enreach_setting") in components and ("1", "phonecall") in components
    assert ("62", "enreach_VoiceConfigurator") in components
    assert ("26", f"{{{VIEWS[0].id}}}") in components
    assert app.findtext("WebResourceId") == str(ICON.id)
    sitemap = root.xpath("/ImportExportXml/AppModuleSiteMaps/AppModuleSiteMap")[0]
    assert sitemap.findtext("SiteMapUniqueName") == "enreach_VoiceConfigurator"
    sync = sitemap.xpath(".//SubArea[@Id='phone_call_sync']")[0]
    assert "viewid=" in sync.get("Url") and sync.get("Entity") == "enreach_setting"


def test_web_resources_point_at_their_payload_entries(root: etree._Element) -> None:
    entry = root.xpath(f"//WebResource[Name='{ICON.name}']")[0]
    assert entry.findtext("FileName") == web_resource_file_name(ICON)
    assert entry.findtext("WebResourceType") == "11"
    assert web_resource_file_name(ICON) == (
        "/WebResources/enreach_imagesvoicesvg" + str(ICON.id).upper()
    )


def test_managed_build_locks_web_resources_unmanaged_does_not() -> None:
    def customizable(managed: bool) -> set[str]:
        root = parse_xml(render_customizations(sample_project(), BASE, managed), "c.xml")
        return set(root.xpath("//WebResource/IsCustomizable/text()"))

    assert customizable(True) == {"0"}
    assert customizable(False) == {"1"}


def test_raw_part_is_appended_verbatim_in_its_section(xml: bytes) -> None:
    raw = sample_project().raw_parts[0].content
    assert raw in xml
    start = xml.index(b"<EntityMaps>")
    assert start < xml.index(raw) < xml.index(b"</EntityMaps>")


def test_other_solution_gets_only_its_components() -> None:
    root = parse_xml(render_customizations(sample_project(), MULTI, True), "c.xml")
    assert root.xpath("/ImportExportXml/Entities/*") == []
    assert root.find("AppModules") is None


def test_rendering_twice_gives_identical_bytes() -> None:
    assert render_customizations(sample_project(), BASE, True) == render_customizations(
        sample_project(), BASE, True
    )


def test_table_order_does_not_change_the_output() -> None:
    project = sample_project()
    tables = list(project.tables)
    random.Random(7).shuffle(tables)
    shuffled = replace(project, tables=tuple(tables))
    assert render_customizations(shuffled, BASE, True) == render_customizations(project, BASE, True)


def test_output_is_utf8_with_unix_line_ends(xml: bytes) -> None:
    assert xml.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    assert b"\r" not in xml
    xml.decode("utf-8")


def test_unknown_solution_is_a_build_error() -> None:
    with pytest.raises(BuildError) as err:
        render_customizations(sample_project(), "Nope", True)
    assert err.value.diagnostics[0].code == "CZ001"


def test_subgrid_naming_an_unknown_view_is_located_in_the_source() -> None:
    project = sample_project()
    broken = replace(
        FORMS[0],
        tabs=(
            replace(
                FORMS[0].tabs[0],
                sections=(
                    replace(
                        FORMS[0].tabs[0].sections[0],
                        items=(
                            FormSubgrid(
                                "grid",
                                "Grid",
                                "phonecall",
                                "No Such View",
                                src=Src("forms/phonecall.xml", 12),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    project = replace(project, forms=(broken,) + project.forms[1:])
    with pytest.raises(BuildError) as err:
        render_customizations(project, BASE, True)
    found = err.value.diagnostics[0]
    assert (found.code, found.file, found.line) == ("CZ002", "forms/phonecall.xml", 12)


def test_command_limited_to_an_app_gets_the_app_rule(root: etree._Element) -> None:
    rule = root.xpath("//EnableRules/EnableRule/CustomRule")[0]
    assert rule.get("FunctionName") == "Enreach.Commands.isCurrentApp"
    assert rule.xpath("StringParameter/@Value") == ["enreach_VoiceConfigurator"]


def test_an_app_limit_the_script_cannot_answer_stops_the_build() -> None:
    project = sample_project()
    plain = replace(COMMANDS, content=b"Enreach.Commands = { updateUserIds() {} };")
    project = replace(
        project,
        web_resources=tuple(plain if w.name == COMMANDS.name else w for w in project.web_resources),
    )
    with pytest.raises(BuildError) as err:
        render_customizations(project, BASE, True)
    found = err.value.diagnostics[0]
    assert found.code == "CZ050"
    assert "isCurrentApp" in found.hint


def test_virtual_table_with_a_key_is_refused() -> None:
    project = sample_project()
    keyed = replace(project.tables[2], keys=project.tables[0].keys)
    assert keyed.virtual is not None
    tables = (*project.tables[:2], keyed, *project.tables[3:])
    with pytest.raises(BuildError) as err:
        render_customizations(replace(project, tables=tables), BASE, True)
    assert err.value.diagnostics[0].code == "CZ032"


def test_a_global_choice_named_with_markup_characters_stays_well_formed() -> None:
    name = 'Calls & "Queues" <CIF>'
    project = sample_project()
    choice = replace(project.global_choices[0], display_name=name)
    xml = render_customizations(replace(project, global_choices=(choice,)), BASE, managed=True)
    optionset = parse_xml(xml, "customizations.xml").find(".//optionsets/optionset")
    assert optionset is not None
    assert optionset.get("localizedName") == name
