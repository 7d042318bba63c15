"""Dataverse Web API requests built as plain data. `transport.Transport` sends them.

Every request deploy makes is built here, so the whole contract with Dataverse (entity sets,
columns, filters, action parameter names) is in one place and tested by equality.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

API_PATH = "api/data/v9.2/"
LOCK_CODES = frozenset({"0x80071151", "-2147020463"})  # CustomizationLockException


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # relative to the API root: "solutions", "importjobs(<id>)", "$batch"
    params: tuple[tuple[str, str], ...] = ()
    json: Any = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None  # raw body ($batch); json must then be None
    idempotent: bool = True  # safe to resend when the answer was lost
    label: str = ""  # what it does, for messages
    multipart_errors: bool = False  # $batch: a 4xx with a multipart body is an answer to parse

    def describe(self) -> str:
        return self.label or f"{self.method} {self.path}"


def quote(value: str) -> str:
    """An OData string literal."""
    return "'" + value.replace("'", "''") + "'"


def any_of(column: str, values: Iterable[str]) -> str:
    return " or ".join(f"{column} eq {quote(v)}" for v in values)


def odata_get(path: str, label: str, **params: str) -> Request:
    """A GET of `path` with OData query options given by name: select="a,b" is $select=a,b."""
    pairs = tuple((f"${k}", v) for k, v in params.items())
    return Request("GET", path, pairs, label=label)


# --- reading the environment ------------------------------------------------------------


def query_solutions(names: Sequence[str]) -> Request:
    return odata_get(
        "solutions",
        "read installed solutions",
        select="solutionid,uniquename,friendlyname,version,ismanaged",
        filter=any_of("uniquename", names),
    )


def query_components(solution_id: str) -> Request:
    return odata_get(
        "msdyn_solutioncomponentsummaries",
        "read solution components",
        select="msdyn_componenttype,msdyn_schemaname,msdyn_objectid,"
        "msdyn_primaryentityname,msdyn_name",
        filter=f"msdyn_solutionid eq {solution_id}",
    )


def query_tables(logical_names: Sequence[str]) -> Request:
    return odata_get(
        "EntityDefinitions",
        "read which tables exist",
        select="LogicalName",
        filter=any_of("LogicalName", logical_names),
    )


def query_settings() -> Request:
    request = odata_get(
        "enreach_settings",
        "read settings",
        select="enreach_settingid,enreach_name,enreach_value,enreach_defaultvalue",
    )
    return Request(
        request.method,
        request.path,
        request.params,
        headers=(("Prefer", "odata.maxpagesize=5000"),),
        label=request.label,
    )


def query_env_vars(schema_names: Sequence[str]) -> Request:
    return odata_get(
        "environmentvariabledefinitions",
        "read environment variables",
        select="environmentvariabledefinitionid,schemaname,defaultvalue",
        expand="environmentvariabledefinition_environmentvariablevalue($select=value,"
        "environmentvariablevalueid)",
        filter=any_of("schemaname", schema_names),
    )


def query_import_jobs(names: Sequence[str]) -> Request:
    """Every import job of these solutions (to find the one a lost answer started)."""
    return odata_get(
        "importjobs",
        "look for import jobs",
        select="importjobid,solutionname,createdon",
        filter=any_of("solutionname", names),
    )


def query_running_imports(names: Sequence[str]) -> Request:
    return odata_get(
        "importjobs",
        "look for running imports",
        select="importjobid,solutionname,progress,startedon,completedon,createdon",
        filter=f"completedon eq null and ({any_of('solutionname', names)})",
    )


def get_import_job(job_id: str, with_data: bool = False) -> Request:
    columns = "progress,startedon,completedon,solutionname" + (",data" if with_data else "")
    return odata_get(f"importjobs({job_id})", "read the import job", select=columns)


def get_async_operation(operation_id: str) -> Request:
    return odata_get(
        f"asyncoperations({operation_id})",
        "read the async operation",
        select="statecode,statuscode,message,friendlymessage,completedon",
    )


def get_provider(provider_id: str, columns: Sequence[str] = ()) -> Request:
    names = sorted({"msdyn_appselector", "msdyn_roleselector", *columns})
    return odata_get(
        f"msdyn_ciproviders({provider_id})", "read the CIF 1.0 provider", select=",".join(names)
    )


def query_app_users() -> Request:
    return odata_get(
        "systemusers",
        "read application users",
        select="fullname,applicationid,isdisabled",
        filter="applicationid ne null",
        expand="systemuserroles_association($select=name)",
    )


def query_channel_provider(unique_name: str) -> Request:
    return odata_get(
        "msdyn_channelproviders",
        "read the channel provider",
        select="msdyn_uniquename,msdyn_name",
        filter=f"msdyn_uniquename eq {quote(unique_name)}",
        expand="msdyn_appconfig_msdyn_channelprovider($select=msdyn_name)",
    )


# --- virtual tables (OData v4 data provider) -------------------------------------------------


def query_data_providers() -> Request:
    """Every virtual table data provider; few rows, picked by `datasourcelogicalname`."""
    return odata_get(
        "entitydataproviders",
        "read the virtual table data providers",
        select="entitydataproviderid,name,datasourcelogicalname",
    )


def query_data_sources() -> Request:
    """Every OData v4 data source (entity set `msdyn_odatav4ds`); few rows, matched by name."""
    return odata_get(
        "msdyn_odatav4ds",
        "read the OData v4 data sources",
        select="msdyn_odatav4dsid,msdyn_name,msdyn_uri",
    )


def _definition_path(logical_name: str) -> str:
    return f"EntityDefinitions(LogicalName={quote(logical_name)})"


def get_table_link(logical_name: str) -> Request:
    return odata_get(
        _definition_path(logical_name),
        f"read the data source of {logical_name}",
        select="DataProviderId,DataSourceId",
    )


def get_table_definition(logical_name: str) -> Request:
    """The whole definition, no $select: a PUT replaces it, so it goes back complete.
    `Consistency: Strong` reads past the metadata cache right after an import."""
    return Request(
        "GET",
        _definition_path(logical_name),
        headers=(("Consistency", "Strong"),),
        label=f"read the definition of {logical_name}",
    )


def put_table_definition(logical_name: str, definition: Mapping[str, Any]) -> Request:
    """Table definitions take PUT, never PATCH; MergeLabels keeps other languages' labels."""
    return Request(
        "PUT",
        _definition_path(logical_name),
        json=dict(definition),
        headers=(("MSCRM.MergeLabels", "true"),),
        label=f"link {logical_name} to its data source",
    )


def publish_entities(logical_names: Sequence[str]) -> Request:
    entities = "".join(f"<entity>{name}</entity>" for name in logical_names)
    return Request(
        "POST",
        "PublishXml",
        json={
            "ParameterXml": f"<importexportxml><entities>{entities}</entities></importexportxml>"
        },
        label=f"publish {', '.join(logical_names)}",
    )  # publishing twice does no harm


# --- solution operations ------------------------------------------------------------------


def component_parameters(
    env_values: Mapping[str, str], connections: Sequence[Mapping[str, str]]
) -> list[dict[str, str]]:
    """Deployment settings as the import's ComponentParameters entities."""
    out = [
        {
            "@odata.type": "Microsoft.Dynamics.CRM.environmentvariablevalue",
            "schemaname": name,
            "value": value,
        }
        for name, value in sorted(env_values.items())
    ]
    out += [
        {
            "@odata.type": "Microsoft.Dynamics.CRM.connectionreference",
            "connectionreferencelogicalname": c["LogicalName"],
            "connectorid": c.get("ConnectorId", ""),
            "connectionid": c["ConnectionId"],
        }
        for c in connections
    ]
    return out


def _import_body(zip_bytes: bytes, parameters: list[dict[str, str]]) -> dict[str, Any]:
    """No ImportJobId: the service names the job in its answer (ImportJobKey), and Microsoft's
    own client removes ImportJobId from async imports as unsupported (webapi-contract.md #1)."""
    body: dict[str, Any] = {
        "OverwriteUnmanagedCustomizations": False,  # never clobber an admin's changes
        "PublishWorkflows": True,  # activate plug-ins and flows (pac: --activate-plugins)
        "CustomizationFile": base64.b64encode(zip_bytes).decode("ascii"),
        "SkipProductUpdateDependencies": False,
    }
    if parameters:
        body["ComponentParameters"] = parameters
    return body


def import_solution_async(
    zip_bytes: bytes, parameters: list[dict[str, str]], name: str, holding: bool = False
) -> Request:
    body = _import_body(zip_bytes, parameters) | {"HoldingSolution": holding}
    return Request(
        "POST", "ImportSolutionAsync", json=body, idempotent=False, label=f"import {name}"
    )


def stage_and_upgrade_async(
    zip_bytes: bytes, parameters: list[dict[str, str]], name: str
) -> Request:
    return Request(
        "POST",
        "StageAndUpgradeAsync",
        json=_import_body(zip_bytes, parameters),
        idempotent=False,
        label=f"upgrade {name}",
    )


def delete_and_promote_async(unique_name: str) -> Request:
    return Request(
        "POST",
        "DeleteAndPromoteAsync",
        json={"UniqueName": unique_name},
        idempotent=False,
        label=f"apply the upgrade of {unique_name}",
    )


def publish_all() -> Request:
    return Request("POST", "PublishAllXml", json={}, idempotent=False, label="publish all")


# --- records ------------------------------------------------------------------------------


def upsert(
    entity_set: str,
    record_id: str,
    fields: Mapping[str, Any],
    must_exist: bool = False,
    must_not_exist: bool = False,
) -> Request:
    """PATCH by id: `must_exist` adds If-Match: * (update only), `must_not_exist` adds
    If-None-Match: * (create only: a row already there is refused with 412, never
    overwritten), both as documented for upsert."""
    headers = (
        (("If-Match", "*"),)
        if must_exist
        else ((("If-None-Match", "*"),) if must_not_exist else ())
    )
    return Request(
        "PATCH",
        f"{entity_set}({record_id})",
        json=dict(fields),
        headers=headers,
        label=f"write {entity_set}({record_id})",
    )


# --- answers ------------------------------------------------------------------------------


def error_code(payload: Any) -> tuple[str, str]:
    """(code, message) of a Web API error body; empty strings when it is not one."""
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        err = payload["error"]
        return str(err.get("code", "")), str(err.get("message", ""))
    return "", ""


def is_lock_error(code: str, message: str) -> bool:
    text = message.lower()
    return (
        code.lower() in LOCK_CODES
        or "cannot start another" in text
        or ("customizationlockexception" in text)
    )


def set_env_value(
    schema_name: str, value: str, definition_id: str, value_id: str, new_id: str
) -> Request:
    """An environment variable's current value: the existing value record updated
    (If-Match: *), or a new one created for its definition (If-None-Match: *)."""
    if value_id:
        request = upsert("environmentvariablevalues", value_id, {"value": value}, must_exist=True)
    else:
        request = upsert(
            "environmentvariablevalues",
            new_id,
            {
                "schemaname": schema_name,
                "value": value,
                "EnvironmentVariableDefinitionId@odata.bind": (
                    f"/environmentvariabledefinitions({definition_id})"
                ),
            },
            must_not_exist=True,
        )
    return Request(
        request.method,
        request.path,
        json=request.json,
        headers=request.headers,
        label=f"environment variable {schema_name}",
    )
