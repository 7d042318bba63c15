"""Every component of the catalogue (../shared/design/voice-solution.md) is in the package.

The names below are the catalogue's; each is looked up in the built zips, where Dataverse
will read it (solution.xml roots, customizations.xml, SCF folders, the CMT data).
"""

from __future__ import annotations

import pytest
from lxml import etree
from support.common import SOURCES

from builder.archive.safezip import read_zip
from builder.build import build_package
from builder.xmlio.safe import parse_xml

PACKAGE = "VoiceForD365Package"

TABLES = {
    "enreach_setting": "0",
    "enreach_callbackprofile": "0",
    "enreach_callbacklist": "0",
    "phonecall": "2",
    "systemuser": "2",
}
COLUMNS = {
    "enreach_setting": [
        "enreach_name",
        "enreach_value",
        "enreach_category",
        "enreach_datatype",
        "enreach_description",
        "enreach_defaultvalue",
    ],
    "enreach_callbackprofile": [
        "enreach_name",
        "enreach_callbacklistid",
        "enreach_queueid",
        "enreach_ownershiprule",
        "enreach_phonecallsubject",
        "enreach_duplicatehandlingrule",
        "enreach_synchronizationmethod",
        "enreach_agetimeunit",
        "enreach_callbackage",
    ],
    "phonecall": [
        "enreach_enreachcallid",
        "enreach_apiaudit",
        "enreach_calltype",
        "enreach_queuenumber",
        "enreach_callbackprofileid",
        "enreach_bundledwithid",
    ],
    "systemuser": ["enreach_enreachuserid", "enreach_enreachuseremail"],
}
VIEWS = [
    "Phone Call Sync Settings",
    "Callback Sync Settings",
    "Presence Settings",
    "Active Voice Settings",
    "Active Callback Profiles",
]
ROLES = ["Voice ApiUser", "Voice User", "Voice Administrator"]
ENV_VARS = ["enreach_EnreachApiBaseUrl", "enreach_VoiceWidgetUrl", "enreach_UserIdSyncUrl"]
SETTINGS = [
    "CallDurationLimit",
    "CallStartMargin",
    "DefaultCrmAssignee",
    "EnableAudit",
    "EnableMultipleMatchCreate",
    "ExecutionInterval",
    "IncomingDirectCallSubject",
    "IncomingQueueCallSubject",
    "MultipleMatchPhoneCallStatus",
    "NumbersToCut",
    "OutgoingDirectCallSubject",
    "ProcessDirectCalls",
    "ProcessServiceCalls",
    "ProcessServiceCallsUnanswered",
    "RunInDebugMode",
    "MultipleMatchesPickFirst",
    "CallbackRequestDefaultSubject",
    "CallbackRequestRecipientRule",
]


@pytest.fixture(scope="module")
def package() -> dict[str, dict[str, bytes]]:
    """{file in the package folder: its zip entries (or {"": bytes} for ImportConfig)}."""
    files = build_package(SOURCES)
    inner = {k.removeprefix(f"{PACKAGE}/"): v for k, v in files.items() if "/" in k}
    return {
        name: read_zip(data) if name.endswith(".zip") else {"": data}
        for name, data in inner.items()
    }


def solution(package: dict[str, dict[str, bytes]], prefix: str) -> dict[str, bytes]:
    return next(v for k, v in package.items() if k.startswith(prefix + "_"))


def doc(entries: dict[str, bytes], path: str) -> etree._Element:
    return parse_xml(entries[path], path)


def test_tables_are_roots_of_the_base_solution(package: dict[str, dict[str, bytes]]) -> None:
    roots = {
        (r.get("schemaName"), r.get("behavior"))
        for r in doc(solution(package, "VoiceForD365"), "solution.xml").iterfind(
            ".//RootComponent[@type='1']"
        )
    }
    assert set(TABLES.items()) <= roots


def test_app_roles_and_web_resources_are_roots_env_vars_are_not(
    package: dict[str, dict[str, bytes]],
) -> None:
    base = solution(package, "VoiceForD365")
    roots = {
        (r.get("type"), r.get("schemaName") or r.get("id"))
        for r in doc(base, "solution.xml").iter("RootComponent")
    }
    assert ("80", "enreach_VoiceConfigurator") in roots
    assert not {t for t, _ in roots} & {"380"}  # as in every real export (test_real_shapes)
    assert sum(t == "20" for t, _ in roots) == len(ROLES)
    assert sum(t == "61" for t, _ in roots) >= 3  # form script, command script, icon
    assert len([p for p in base if p.startswith("WebResources/")]) >= 3


def test_the_custom_api_and_env_var_definitions_ship(package: dict[str, dict[str, bytes]]) -> None:
    base = solution(package, "VoiceForD365")
    assert "customapis/enreach_UpdateEnreachUserIds/customapi.xml" in base
    for var in ENV_VARS:
        assert f"environmentvariabledefinitions/{var}/environmentvariabledefinition.xml" in base


def test_the_multisession_solution_carries_provider_and_templates(
    package: dict[str, dict[str, bytes]],
) -> None:
    multi = solution(package, "VoiceForD365Multisession")
    providers = [doc(multi, p) for p in multi if p.startswith("msdyn_channelproviders/")]
    assert [p.findtext("msdyn_name") for p in providers] == ["Voice for Dynamics 365 by Enreach"]
    sessions = [doc(multi, p) for p in multi if p.startswith("msdyn_sessiontemplates/")]
    assert len(sessions) >= 2 and all(s.find("msdyn_anchortab") is not None for s in sessions)
    notes = {
        doc(multi, p).find("msdyn_name").get("default"): doc(multi, p)
        for p in multi
        if p.startswith("msdyn_notificationtemplates/")
    }
    assert {"Incoming call", "Callback request"} <= set(notes)
    assert all(n.findtext("msdyn_timeout") for n in notes.values())
    assert len([p for p in multi if p.startswith("msdyn_notificationfields/")]) >= 3
    assert any(p.startswith("msdyn_templateparameters/") for p in multi)


def test_configuration_data_has_the_settings_and_the_cif1_record(
    package: dict[str, dict[str, bytes]],
) -> None:
    data = doc(package["VoiceForD365ConfigData.zip"], "data.xml")
    names = {
        f.get("value")
        for f in data.iterfind(
            "entity[@name='enreach_setting']/records/record/field[@name='enreach_name']"
        )
    }
    assert set(SETTINGS) <= names
    assert len([n for n in names if n and ("Presence" in n or n.startswith("Plugin."))]) >= 5
    cif1 = data.findall("entity[@name='msdyn_ciprovider']/records/record")
    assert len(cif1) == 1
    assert b"appselector" not in package["VoiceForD365ConfigData.zip"]["data.xml"]


def test_columns_forms_views_roles_and_command_are_in_customizations(
    package: dict[str, dict[str, bytes]],
) -> None:
    custom = doc(solution(package, "VoiceForD365"), "customizations.xml")
    for table, columns in COLUMNS.items():
        entity = next(
            e
            for e in custom.iterfind("Entities/Entity")
            if (e.findtext("Name") or "").lower() == table
        )
        declared = {(a.findtext("LogicalName") or "") for a in entity.iter("attribute")}
        assert set(columns) <= declared, table
    labels = {n.get("description") for n in custom.iter("LocalizedName")}
    assert {"Voice for D365 – Phone Call", "Voice for D365 – User"} <= labels
    assert set(VIEWS) <= labels
    assert set(ROLES) <= {r.get("name") for r in custom.iter("Role")}
    assert b"UpdateEnreachUserIds" in solution(package, "VoiceForD365")["customizations.xml"]
    phone_forms = {
        f.getparent().get("type")
        for f in custom.iter("systemform")
        if f.getparent().getparent().getparent().findtext("Name") == "PhoneCall"
    }
    assert {"main", "quickCreate", "quick"} <= phone_forms
