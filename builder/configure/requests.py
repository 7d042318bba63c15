"""Every Web API request configure makes, built as plain data (sent by deploy's transport).

The documented shapes they follow (learn.microsoft.com, power-apps/developer/data-platform):
- association: "Associate and disassociate table rows using the Web API":
  `POST <set>(<id>)/<collection navigation>/$ref` with `{"@odata.id": "<uri>"}` (configure
  never disassociates: what an administrator linked stays);
- single-valued lookups: `<NavigationProperty>@odata.bind: "/<set>(<id>)"` on create/update;
- create: `POST <set>`; update: `PATCH <set>(<id>)` with `If-Match: *` ("Update and delete
  table rows using the Web API": the If-Match header keeps a PATCH from creating a row);
- model-driven apps: "Create, manage, and publish model-driven apps using code" and the Web API
  reference of the `AddAppComponents` / `RemoveAppComponents` actions (`AppId`, `Components`
  as typed entity references), then `PublishXml` with `<appmodules><appmodule>`;
- forms: the `systemform` table (`formxml` is updatable), then `PublishXml` naming the table;
- an unbound custom API: `POST <uniquename>` ("Use a custom API").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..deploy.webapi import Request, any_of, odata_get, quote

VOICE_API_ROLE = "Voice ApiUser"
VOICE_USER_ROLE = "Voice User"
CIF1_PROVIDER_NAME = "Voice for Dynamics 365"
CHANNEL_PROVIDER = "enreach_voicechannelprovider"
UPDATE_IDS_API = "enreach_UpdateEnreachUserIds"
ASSIGNEE = "DefaultCrmAssignee"
PHONE_CALL_FORMS = {  # systemform.type -> the name the Voice solution gives its form
    2: "Voice for D365 – Phone Call",
    7: "Voice for D365 – Phone Call Quick Create",
    6: "Voice for D365 – Phone Call Quick View",
}
MAIN_FORM = 2
USER_COLUMNS = (
    "systemuserid,fullname,domainname,internalemailaddress,applicationid,isdisabled,"
    "enreach_enreachuserid,enreach_enreachuseremail,_businessunitid_value"
)


# --- reading ------------------------------------------------------------------------------


def query_root_business_unit() -> Request:
    return odata_get(
        "businessunits",
        "read the root business unit",
        select="businessunitid,name",
        filter="_parentbusinessunitid_value eq null",
    )


def query_app_user(application_id: str) -> Request:
    return odata_get(
        "systemusers",
        "read the application user",
        select=USER_COLUMNS,
        filter=f"applicationid eq {application_id}",
        expand="systemuserroles_association($select=roleid,name)",
    )


def query_users(keys: Sequence[str]) -> Request:
    """Users by domain name or primary e-mail (what an administrator knows them by)."""
    names = f"{any_of('domainname', keys)} or {any_of('internalemailaddress', keys)}"
    return odata_get("systemusers", "read users", select=USER_COLUMNS, filter=names)


def query_roles(names: Sequence[str]) -> Request:
    """Every business unit's copy of the named roles, with their members."""
    return odata_get(
        "roles",
        "read security roles",
        select="roleid,name,_businessunitid_value",
        filter=any_of("name", names),
        expand="systemuserroles_association($select=systemuserid)",
    )


def query_teams(names: Sequence[str]) -> Request:
    return odata_get(
        "teams",
        "read teams",
        select="teamid,name",
        filter=any_of("name", names),
        expand="teammembership_association($select=systemuserid)",
    )


def query_apps() -> Request:
    return odata_get(
        "appmodules",
        "read model-driven apps",
        select="appmoduleid,appmoduleidunique,uniquename,name",
    )


def query_app_components(app_unique_id: str) -> Request:
    return odata_get(
        "appmodulecomponents",
        "read an app's components",
        select="appmodulecomponentid,componenttype,objectid",
        filter=f"_appmoduleidunique_value eq {app_unique_id}",
    )


def query_forms(table: str, with_xml: bool = False) -> Request:
    return odata_get(
        "systemforms",
        f"read the forms of {table}",
        select="formid,name,type,objecttypecode" + (",formxml" if with_xml else ""),
        filter=f"objecttypecode eq {quote(table)}",
    )


def get_table_id(table: str) -> Request:
    return odata_get(
        f"EntityDefinitions(LogicalName={quote(table)})",
        f"read the id of {table}",
        select="MetadataId",
    )


def query_cif1_provider() -> Request:
    return odata_get(
        "msdyn_ciproviders",
        "read the CIF 1.0 provider",
        select="msdyn_ciproviderid,msdyn_name,msdyn_appselector,msdyn_roleselector",
        filter=f"msdyn_name eq {quote(CIF1_PROVIDER_NAME)}",
    )


def query_channel_provider() -> Request:
    return odata_get(
        "msdyn_channelproviders",
        "read the channel provider",
        select="msdyn_channelproviderid,msdyn_uniquename",
        filter=f"msdyn_uniquename eq {quote(CHANNEL_PROVIDER)}",
        expand="msdyn_appconfig_msdyn_channelprovider($select=msdyn_appconfigurationid)",
    )


def query_app_profiles() -> Request:
    return odata_get(
        "msdyn_appconfigurations",
        "read app profiles",
        select="msdyn_appconfigurationid,msdyn_name,msdyn_uniquename",
        expand="msdyn_appconfiguration_systemuser($select=systemuserid)",
    )


def query_assignee() -> Request:
    return odata_get(
        "enreach_settings",
        "read DefaultCrmAssignee",
        select="enreach_settingid,enreach_name,enreach_value",
        filter=f"enreach_name eq {quote(ASSIGNEE)}",
    )


def query_callback_profiles() -> Request:
    return odata_get(
        "enreach_callbackprofiles",
        "read callback profiles",
        select="enreach_callbackprofileid,enreach_name,enreach_agetimeunit,"
        "enreach_callbackage,enreach_ownershiprule,enreach_phonecallsubject,"
        "enreach_duplicatehandlingrule,enreach_synchronizationmethod,"
        "_enreach_callbacklistid_value,_enreach_queueid_value",
    )


def query_callback_lists() -> Request:
    return odata_get(
        "enreach_callbacklists",
        "read callback lists (Enreach API)",
        select="enreach_callbacklistid,enreach_name",
    )


def query_queues(names: Sequence[str]) -> Request:
    return odata_get("queues", "read queues", select="queueid,name", filter=any_of("name", names))


# --- writing ------------------------------------------------------------------------------


def associate(
    api_root: str,
    entity_set: str,
    record_id: str,
    navigation: str,
    other_set: str,
    other_id: str,
    label: str,
) -> Request:
    """Add a link to a collection-valued navigation property (N:N or 1:N)."""
    return Request(
        "POST",
        f"{entity_set}({record_id})/{navigation}/$ref",
        json={"@odata.id": f"{api_root}{other_set}({other_id})"},
        label=label,
    )


def create(entity_set: str, record: Mapping[str, Any], label: str) -> Request:
    # not idempotent: a lost answer is not resent blindly (the next run finds the row by name)
    return Request("POST", entity_set, json=dict(record), idempotent=False, label=label)


def update(entity_set: str, record_id: str, columns: Mapping[str, Any], label: str) -> Request:
    return Request(
        "PATCH",
        f"{entity_set}({record_id})",
        json=dict(columns),
        headers=(("If-Match", "*"),),
        label=label,
    )


def create_app_user(application_id: str, business_unit_id: str) -> Request:
    unit = f"/businessunits({business_unit_id})"
    return create(
        "systemusers",
        {"applicationid": application_id, "businessunitid@odata.bind": unit},
        f"create the application user for {application_id}",
    )


def _components(components: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """(kind, id) -> typed entity references: systemform/formid, entity/entityid."""
    key = {"systemform": "formid", "entity": "entityid"}
    return [
        {"@odata.type": f"Microsoft.Dynamics.CRM.{kind}", key[kind]: object_id}
        for kind, object_id in components
    ]


def add_app_components(app_id: str, components: Sequence[tuple[str, str]], app: str) -> Request:
    return Request(
        "POST",
        "AddAppComponents",
        json={"AppId": app_id, "Components": _components(components)},
        label=f"add the Phone Call forms to {app}",
    )


def remove_app_components(
    app_id: str,
    components: Sequence[tuple[str, str]],
    app: str,
) -> Request:
    return Request(
        "POST",
        "RemoveAppComponents",
        json={"AppId": app_id, "Components": _components(components)},
        label=f"remove other Phone Call main forms from {app}",
    )


def publish(apps: Sequence[str] = (), tables: Sequence[str] = ()) -> Request:
    parts = ""
    if tables:
        parts += "<entities>" + "".join(f"<entity>{t}</entity>" for t in tables) + "</entities>"
    if apps:
        parts += (
            "<appmodules>" + "".join(f"<appmodule>{a}</appmodule>" for a in apps) + "</appmodules>"
        )
    return Request(
        "POST",
        "PublishXml",
        json={"ParameterXml": f"<importexportxml>{parts}</importexportxml>"},
        label=f"publish {', '.join([*tables, *(f'app {a}' for a in apps)])}",
    )


def update_form(form_id: str, formxml: str, name: str) -> Request:
    return update(
        "systemforms", form_id, {"formxml": formxml}, f"add click-to-dial to the form {name}"
    )


def run_update_ids() -> Request:
    return Request(
        "POST", UPDATE_IDS_API, json={}, idempotent=False, label="run Update Enreach User Ids"
    )
