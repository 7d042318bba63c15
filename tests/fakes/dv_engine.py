"""The fake Dataverse's state: tables, records, solutions, jobs; queries, writes, actions."""

from __future__ import annotations

import copy
import re
import threading
import time
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from .dv_common import HttpError, b64_zip, now_iso
from .dv_metadata import SOURCE_SET, Metadata
from .dv_solutions import NS, Job, SolutionZip, data_xml, read_solution_zip, version_tuple

LOCK_MESSAGE = (
    "Cannot start another [Import] because there is a previous [Import] running at "
    "this moment. Use Solution History for more details."
)

S, N, B, G = "str", "int", "bool", "guid"
SCHEMAS: dict[str, dict[str, str]] = {
    "solutions": {
        "solutionid": G,
        "uniquename": S,
        "friendlyname": S,
        "version": S,
        "ismanaged": B,
        "installedon": S,
        "isvisible": B,
    },
    "msdyn_solutioncomponentsummaries": {
        "msdyn_componenttype": N,
        "msdyn_schemaname": S,
        "msdyn_objectid": G,
        "msdyn_primaryentityname": S,
        "msdyn_solutionid": G,
        "msdyn_name": S,
    },
    "EntityDefinitions": {"LogicalName": S, "MetadataId": G},
    "enreach_settings": {
        "enreach_settingid": G,
        "enreach_name": S,
        "enreach_value": S,
        "enreach_defaultvalue": S,
        "enreach_category": N,
        "enreach_datatype": N,
        "enreach_description": S,
        "statecode": N,
        "statuscode": N,
    },
    "environmentvariabledefinitions": {
        "environmentvariabledefinitionid": G,
        "schemaname": S,
        "defaultvalue": S,
        "type": N,
        "isrequired": B,
    },
    "environmentvariablevalues": {
        "environmentvariablevalueid": G,
        "schemaname": S,
        "value": S,
        "EnvironmentVariableDefinitionId@odata.bind": S,
    },
    "importjobs": {
        "importjobid": G,
        "solutionname": S,
        "progress": N,
        "startedon": S,
        "completedon": S,
        "data": S,
        "createdon": S,
    },
    "asyncoperations": {
        "asyncoperationid": G,
        "statecode": N,
        "statuscode": N,
        "message": S,
        "friendlymessage": S,
        "completedon": S,
        "name": S,
    },
    "msdyn_ciproviders": {
        "msdyn_ciproviderid": G,
        "msdyn_name": S,
        "msdyn_label": S,
        "msdyn_landingurl": S,
        "msdyn_clicktoact": B,
        "msdyn_sortorder": N,
        "msdyn_ciproviderapiversion": N,
        "msdyn_trusteddomain": S,
        "msdyn_appselector": S,
        "msdyn_roleselector": S,
        "msdyn_customparams": S,
        "msdyn_enableanalytics": B,
        "msdyn_sandboxconfiguration": S,
        "msdyn_cifsolversion": S,
        "statecode": N,
        "statuscode": N,
    },
    "systemusers": {
        "systemuserid": G,
        "fullname": S,
        "applicationid": G,
        "isdisabled": B,
        "enreach_enreachuserid": S,
    },
    "msdyn_channelproviders": {
        "msdyn_channelproviderid": G,
        "msdyn_uniquename": S,
        "msdyn_name": S,
    },
    "entitydataproviders": {
        "entitydataproviderid": G,
        "name": S,
        "datasourcelogicalname": S,
        "description": S,
    },
    SOURCE_SET: {
        "msdyn_odatav4dsid": G,
        "msdyn_name": S,
        "msdyn_uri": S,
        "msdyn_description": S,
        "msdyn_timeout": N,
        "msdyn_paginationmode": B,
        "msdyn_paginationtype": N,
        "msdyn_returninlinecount": B,
        **{f"msdyn_parameter{i}{part}": S for i in range(1, 11) for part in ("name", "value")},
        **{f"msdyn_isparameter{i}header": B for i in range(1, 11)},
    },
}
GATED = {
    "enreach_settings": "enreach_setting",
    "msdyn_ciproviders": "msdyn_ciprovider",
    "msdyn_channelproviders": "msdyn_channelprovider",
    SOURCE_SET: SOURCE_SET,
}
WRITABLE = frozenset(
    {"enreach_settings", "msdyn_ciproviders", SOURCE_SET, "environmentvariablevalues"}
)
PRIMARY_KEYS = {SOURCE_SET: "msdyn_odatav4dsid", "entitydataproviders": "entitydataproviderid"}


def primary_key(entity_set: str) -> str:
    return PRIMARY_KEYS.get(entity_set, f"{entity_set[:-1]}id")


IMPORT_PARAMS = frozenset(
    {
        "OverwriteUnmanagedCustomizations",
        "PublishWorkflows",
        "CustomizationFile",
        "ImportJobId",
        "ConvertToManaged",
        "SkipProductUpdateDependencies",
        "HoldingSolution",
        "ComponentParameters",
        "SolutionParameters",
        "LayerDesiredOrder",
        "AsyncRibbonProcessing",
        "IsTemplateMode",
        "TemplateSuffix",
        "TemplateDisplayNamePrefix",
        "SkipQueueRibbonJob",
    }
)


class JobFailure(Exception):
    pass


class Engine(Metadata):
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: set[str] = {"phonecall", "systemuser", "account", "contact", SOURCE_SET}
        self.init_metadata()
        self.solutions: dict[str, dict[str, Any]] = {}
        self.components: dict[str, list[dict[str, Any]]] = {}  # solution unique name -> rows
        self.records: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in WRITABLE}
        self.env_defs: dict[str, dict[str, Any]] = {}
        self.env_values: dict[str, str] = {}
        self.connections: dict[str, str] = {}
        self.users: list[dict[str, Any]] = []
        self.providers: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, Job] = {}
        self.operations: dict[str, Job] = {}
        self.key_index: dict[str, str] | None = None  # kept during a change set
        self.posted_job_ids: list[str] = []  # ImportJobId of each import posted ("" if none)
        # knobs the tests turn
        self.hold = False  # running jobs do not progress
        self.polls_to_finish = 2
        self.import_seconds = 0.0
        self.max_page_size = 5000
        self.lock_refusals = 0  # the next N solution operations meet "another import running"
        self.lock_status = 429
        self.jobs_failing_on_lock = 0  # the next N jobs fail inside with the lock message
        self.result_failure = ""  # the next job "succeeds" with this failure in its data
        self.job_failure = ""  # the next job fails with this message
        self.fail_upgrade_after_stage = False  # a stage-and-upgrade leaves X_Upgrade, fails
        self.legacy_upgrade_stage = False  # X_Upgrade is visible while an upgrade runs

    # --- set-up helpers for tests ------------------------------------------------------
    def add_tables(self, *names: str) -> None:
        self.tables.update(names)

    def install(self, content: bytes, managed: bool | None = None, name: str = "") -> None:
        z = read_solution_zip(content)
        if managed is not None:
            z.managed = managed
        self._put_solution(name or z.unique_name, z, replace=True)

    def add_orphan_job(self, solution: str, started_on: str, created_on: str = "") -> str:
        """An import job that never completed (its server died long ago); `started_on` may
        be empty, as for a job that never left the queue."""
        job = Job(
            str(uuid.uuid4()),
            str(uuid.uuid4()),
            "import",
            solution,
            started_on=started_on,
            created_on=created_on or started_on or now_iso(),
            orphan=True,
        )
        self.jobs[job.import_job_id] = job
        self.operations[job.operation_id] = job
        return job.import_job_id

    def add_setting(
        self,
        name: str,
        value: str,
        default: str | None,
        record_id: str = "",
    ) -> str:
        record_id = record_id or str(uuid.uuid5(NS, "setting/" + name))
        self.records["enreach_settings"][record_id] = {
            "enreach_settingid": record_id,
            "enreach_name": name,
            "enreach_value": value,
            "enreach_defaultvalue": default,
            "statecode": 0,
            "statuscode": 1,
        }
        return record_id

    def add_app_user(self, name: str, roles: list[str], disabled: bool = False) -> None:
        self.users.append(
            {
                "systemuserid": str(uuid.uuid4()),
                "fullname": name,
                "applicationid": str(uuid.uuid4()),
                "isdisabled": disabled,
                "systemuserroles_association": [
                    {"name": r, "roleid": str(uuid.uuid5(NS, r))} for r in roles
                ],
            }
        )

    def add_profile(self, provider: str, profile: str) -> None:
        self.providers[provider]["msdyn_appconfig_msdyn_channelprovider"].append(
            {"msdyn_name": profile, "msdyn_uniquename": profile.lower()}
        )

    def settings(self) -> dict[str, dict[str, Any]]:
        return {r["enreach_name"]: r for r in self.records["enreach_settings"].values()}

    def solution(self, name: str) -> dict[str, Any] | None:
        return self.solutions.get(name)

    # --- queries -----------------------------------------------------------------------
    def columns(self, entity_set: str) -> frozenset[str]:
        if entity_set not in SCHEMAS:
            raise HttpError(
                404, "0x80060888", f"Resource not found for the segment '{entity_set}'."
            )
        return frozenset(SCHEMAS[entity_set])

    def rows(self, entity_set: str, params: dict[str, str]) -> list[dict[str, Any]]:
        self.columns(entity_set)
        gate = GATED.get(entity_set)
        if gate and gate not in self.tables:
            raise HttpError(
                404, "0x80060888", f"Resource not found for the segment '{entity_set}'."
            )
        with self.lock:
            return self._rows(entity_set, params)

    def _rows(self, entity_set: str, params: dict[str, str]) -> list[dict[str, Any]]:
        if entity_set == "msdyn_solutioncomponentsummaries":
            return self._summaries(params.get("$filter", ""))
        if entity_set == "solutions":
            return [dict(r) for r in self.solutions.values()]
        if entity_set == "EntityDefinitions":
            return [
                {"LogicalName": t, "MetadataId": str(uuid.uuid5(NS, t))}
                for t in sorted(self.tables)
            ]
        if entity_set == "environmentvariabledefinitions":
            return [self._env_row(d) for d in self.env_defs.values()]
        if entity_set == "importjobs":
            return [self._job_row(j) for j in self.jobs.values()]
        if entity_set == "asyncoperations":
            return [self._operation_row(j) for j in self.operations.values()]
        if entity_set == "systemusers":
            return copy.deepcopy(self.users)
        if entity_set == "msdyn_channelproviders":
            return copy.deepcopy(list(self.providers.values()))
        if entity_set == "entitydataproviders":
            return copy.deepcopy(self.data_providers)
        return [dict(r) for r in self.records[entity_set].values()]

    def _summaries(self, text: str) -> list[dict[str, Any]]:
        match = re.search(r"msdyn_solutionid eq ([0-9a-fA-F-]{36})", text)
        if not match:
            raise HttpError(
                400,
                "0x80060888",
                "msdyn_solutioncomponentsummaries needs a filter on msdyn_solutionid",
            )
        for name, row in self.solutions.items():
            if row["solutionid"] == match.group(1).lower():
                return [
                    dict(r, msdyn_solutionid=row["solutionid"])
                    for r in self.components.get(name, [])
                ]
        return []

    def _env_row(self, definition: dict[str, Any]) -> dict[str, Any]:
        value = self.env_values.get(definition["schemaname"])
        values = (
            []
            if value is None
            else [
                {
                    "value": value,
                    "environmentvariablevalueid": self.value_id(definition["schemaname"]),
                }
            ]
        )
        return dict(definition, environmentvariabledefinition_environmentvariablevalue=values)

    def value_id(self, schema: str) -> str:
        """The id of a definition's value record (one per definition, as Dataverse keeps)."""
        for key, record in self.records["environmentvariablevalues"].items():
            if record.get("schemaname") == schema:
                return key
        return str(uuid.uuid5(NS, "envvalue/" + schema))

    def _env_value_written(self, key: str, record: dict[str, Any]) -> None:
        """A value record's create needs its definition (documented: an
        environmentvariablevalue row belongs to one definition); the value takes effect."""
        bind = str(record.get("EnvironmentVariableDefinitionId@odata.bind") or "")
        match = re.search(r"environmentvariabledefinitions\(([0-9a-fA-F-]{36})\)", bind)
        definition = next(
            (
                d
                for d in self.env_defs.values()
                if match and d["environmentvariabledefinitionid"] == match.group(1).lower()
            ),
            None,
        )
        schema = (
            definition["schemaname"]
            if definition
            else next((s for s in self.env_values if self.value_id(s) == key), None)
        )
        if schema is None:
            raise HttpError(
                400,
                "0x80040203",
                "An environment variable value needs its "
                "definition (EnvironmentVariableDefinitionId@odata.bind)",
            )
        record["schemaname"] = schema
        self.env_values[schema] = str(record.get("value") or "")

    def get(self, entity_set: str, key: str) -> dict[str, Any]:
        with self.lock:
            if entity_set == "importjobs" and key in self.jobs:
                self.tick(self.jobs[key])
                return self._job_row(self.jobs[key])
            if entity_set == "asyncoperations" and key in self.operations:
                self.tick(self.operations[key])
                return self._operation_row(self.operations[key])
            rows = {r.get(primary_key(entity_set)): r for r in self.rows(entity_set, {})}
        if key not in rows:
            raise HttpError(404, "0x80040217", f"{entity_set[:-1]} With Id = {key} Does Not Exist")
        return rows[key]

    def page(
        self, entity_set: str, params: dict[str, str], rows: list[dict[str, Any]], prefer: str
    ) -> dict[str, Any]:
        size = self.max_page_size
        match = re.search(r"odata\.maxpagesize=(\d+)", prefer)
        if match:
            size = min(size, int(match.group(1)))
        start = int(params.get("$skiptoken", "0") or 0)
        out: dict[str, Any] = {
            "@odata.context": f"$metadata#{entity_set}",
            "value": rows[start : start + size],
        }
        if start + size < len(rows):
            rest = urlencode(
                [(k, v) for k, v in params.items() if k != "$skiptoken"],
                safe="$,()'",
                quote_via=quote,
            )
            out["@odata.nextLink"] = (
                f"{self.url}/api/data/v9.2/{entity_set}?{rest}&$skiptoken={start + size}"
            )
        return out

    @property
    def url(self) -> str:  # overridden by the server
        return ""

    # --- writes ------------------------------------------------------------------------
    def write(self, entity_set: str, key: str, body: Any, headers: dict[str, str]) -> None:
        if entity_set not in WRITABLE:
            raise HttpError(405, "0x80060888", f"{entity_set} cannot be written here")
        self.rows(entity_set, {})  # 404 while its table does not exist
        if not isinstance(body, dict):
            raise HttpError(400, "0x80048d19", "the body must be a JSON object")
        _check_fields(entity_set, body)
        with self.lock:
            table = self.records[entity_set]
            if entity_set == "environmentvariablevalues" and key not in table:
                schema = next((s for s in self.env_values if self.value_id(s) == key), None)
                if schema is not None:  # the value record the environment already had
                    table[key] = {"schemaname": schema, "value": self.env_values[schema]}
            if headers.get("If-Match") == "*" and key not in table:
                raise HttpError(404, "0x80040217", f"{entity_set}({key}) Does Not Exist")
            if headers.get("If-None-Match") == "*" and key in table:
                raise HttpError(412, "0x80040237", "A record with the same id already exists")
            if entity_set == SOURCE_SET:
                _check_source(body, creating=key not in table)
            merged = dict(table.get(key, {}), **body)
            merged[primary_key(entity_set)] = key
            self._check_key(entity_set, key, merged)
            if entity_set == "environmentvariablevalues":
                self._env_value_written(key, merged)
            table[key] = merged

    def _check_key(self, entity_set: str, key: str, record: dict[str, Any]) -> None:
        """The alternate key enreach_key_name: one record per name."""
        if entity_set != "enreach_settings":
            return
        index = self.key_index if self.key_index is not None else self.name_index()
        other = index.get(str(record.get("enreach_name", "")).lower())
        if other is not None and other != key:
            raise HttpError(
                412,
                "0x80060892",
                "A record with matching key values already exists (enreach_key_name).",
            )
        if self.key_index is not None:
            self.key_index[str(record.get("enreach_name", "")).lower()] = key

    def name_index(self) -> dict[str, str]:
        return {
            str(r.get("enreach_name", "")).lower(): k
            for k, r in self.records["enreach_settings"].items()
        }

    def extra_route(
        self, method: str, path: str, params: dict[str, str], body: Any, headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]] | None:
        """A subclass's own routes (status, payload, headers); None: the routes above."""
        return None

    # --- actions -----------------------------------------------------------------------
    def action(self, name: str, body: Any) -> Any:
        handlers = {
            "ImportSolutionAsync": self._import,
            "StageAndUpgradeAsync": self._upgrade,
            "DeleteAndPromoteAsync": self._promote,
            "PublishAllXml": self._publish,
            "PublishXml": self._publish_xml,
        }
        if name not in handlers:
            raise HttpError(404, "0x80060888", f"Resource not found for the segment '{name}'.")
        with self.lock:
            return handlers[name](body if body is not None else {})

    def _check_lock(self) -> None:
        running = any(j.state == "running" and not j.orphan for j in self.operations.values())
        if self.lock_refusals > 0 or running:
            self.lock_refusals = max(0, self.lock_refusals - 1)
            # the service works on its jobs whether or not anyone polls them (a killed
            # client's job goes on): each refused request is a moment in which they advance
            for job in list(self.operations.values()):
                self.tick(job)
            raise HttpError(self.lock_status, "0x80071151", LOCK_MESSAGE)

    def _import(self, body: dict[str, Any]) -> dict[str, Any]:
        _check_params("ImportSolutionAsync", body, IMPORT_PARAMS)
        kind = "holding" if body.get("HoldingSolution") else "import"
        return self._start(kind, body)

    def _upgrade(self, body: dict[str, Any]) -> dict[str, Any]:
        _check_params("StageAndUpgradeAsync", body, IMPORT_PARAMS - {"HoldingSolution"})
        return self._start("upgrade", body)

    def _start(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        content = b64_zip(body["CustomizationFile"])
        try:
            z = read_solution_zip(content)
        except Exception as exc:  # noqa: BLE001 - any broken zip is the client's error
            raise HttpError(400, "0x8004800d", f"The import file is invalid ({exc})") from None
        # The service names the import job itself and answers with it as ImportJobKey; a
        # client's ImportJobId is accepted (a documented parameter) but not used: Microsoft's
        # own client strips it from async imports as unsupported and follows ImportJobKey
        # (PowerPlatform-DataverseServiceClient, DeploymentExtensions.ImportSolutionToImpl;
        # learn.microsoft.com/power-platform/alm/solution-async: "The ImportJobKey value can be
        # used to obtain the import result"). Nothing documents that the job takes the
        # client's id, so the fake never does.
        job_id = str(uuid.uuid4())
        self.posted_job_ids.append(str(body.get("ImportJobId") or ""))
        self._check_lock()
        job = Job(
            job_id,
            str(uuid.uuid4()),
            kind,
            z.unique_name,
            z,
            list(body.get("ComponentParameters") or []),
            started_on=now_iso(),
            created_on=now_iso(),
        )
        _check_component_parameters(job.parameters)
        self.jobs[job_id] = job
        self.operations[job.operation_id] = job
        if kind == "upgrade" and self.legacy_upgrade_stage:
            self._put_solution(z.unique_name + "_Upgrade", z, replace=True)
        return {
            "@odata.context": "$metadata#Microsoft.Dynamics.CRM.ImportSolutionAsyncResponse",
            "AsyncOperationId": job.operation_id,
            "ImportJobKey": job_id,
        }

    def _promote(self, body: dict[str, Any]) -> dict[str, Any]:
        _check_params("DeleteAndPromoteAsync", body, frozenset({"UniqueName"}), {"UniqueName"})
        self._check_lock()
        job = Job(str(uuid.uuid4()), str(uuid.uuid4()), "promote", str(body["UniqueName"]))
        self.operations[job.operation_id] = job
        return {"AsyncOperationId": job.operation_id}

    def _publish(self, body: dict[str, Any]) -> None:
        _check_params("PublishAllXml", body, frozenset())
        self._check_lock()

    def _publish_xml(self, body: dict[str, Any]) -> None:
        self._check_lock()
        self.publish_xml(body)

    # --- jobs ---------------------------------------------------------------------------
    def tick(self, job: Job) -> None:
        if job.state != "running" or self.hold or job.orphan:
            return
        job.polls += 1
        elapsed = time.monotonic() - job.started
        if job.polls >= self.polls_to_finish and elapsed >= self.import_seconds:
            self._finish(job)

    def _finish(self, job: Job) -> None:
        failure = ""
        try:
            failure = self._outcome(job)
            job.state = "succeeded"
        except JobFailure as exc:
            job.state, job.message = "failed", str(exc)
        job.data = data_xml(job, failure or (job.message if job.state == "failed" else ""))

    def _outcome(self, job: Job) -> str:
        if self.jobs_failing_on_lock > 0 and job.kind != "promote":
            self.jobs_failing_on_lock -= 1
            raise JobFailure(LOCK_MESSAGE)
        if self.job_failure:
            message, self.job_failure = self.job_failure, ""
            raise JobFailure(message)
        if self.result_failure and job.kind != "promote":
            failure, self.result_failure = self.result_failure, ""
            return failure  # the operation "succeeds"; nothing was really imported
        {
            "import": self._apply_import,
            "holding": self._apply_holding,
            "upgrade": self._apply_upgrade,
            "promote": self._apply_promote,
        }[job.kind](job)
        return ""

    def _apply_import(self, job: Job) -> None:
        z = job.zip
        assert z is not None
        existing = self.solutions.get(z.unique_name)
        if z.unique_name + "_Upgrade" in self.solutions:
            raise JobFailure(
                f"Holding solution {z.unique_name}_Upgrade already exists "
                "(0x80048539); apply or delete it first."
            )
        if existing and not existing["ismanaged"] and z.managed:
            raise JobFailure(
                "The solution is already installed on this system as an unmanaged "
                "solution and the package supplied is attempting to install it in "
                "managed mode (-2147188672)."
            )
        if existing and version_tuple(z.version) < version_tuple(existing["version"]):
            raise JobFailure(
                "The import solution must have a higher version than the existing "
                "solution (0x80048541)."
            )
        self._put_solution(z.unique_name, z, replace=False)
        self._apply_parameters(job)

    def _apply_holding(self, job: Job) -> None:
        z = job.zip
        assert z is not None
        if z.unique_name not in self.solutions:
            raise JobFailure(
                f"ImportAsHolding failed: Cannot create a holding solution for "
                f"missing base {z.unique_name}."
            )
        if z.unique_name + "_Upgrade" in self.solutions:
            raise JobFailure(
                f"Holding solution {z.unique_name}_Upgrade already exists (0x80048539)."
            )
        self._put_solution(z.unique_name + "_Upgrade", z, replace=True)
        self._apply_parameters(job)

    def _apply_upgrade(self, job: Job) -> None:
        z = job.zip
        assert z is not None
        base = self.solutions.get(z.unique_name)
        self.solutions.pop(z.unique_name + "_Upgrade", None)
        if base is None:
            raise JobFailure(
                f"ImportAsHolding failed: Cannot create a holding solution for "
                f"missing base {z.unique_name}."
            )
        if version_tuple(z.version) <= version_tuple(base["version"]):
            raise JobFailure(
                "The import solution must have a higher version than the existing "
                "solution it is upgrading (0x80048541)."
            )
        if self.fail_upgrade_after_stage:
            self.fail_upgrade_after_stage = False
            self._put_solution(z.unique_name + "_Upgrade", z, replace=True)
            raise JobFailure("Upgrade failed after staging: timeout deleting the old version.")
        self._put_solution(z.unique_name, z, replace=True)
        self._apply_parameters(job)

    def _apply_promote(self, job: Job) -> None:
        holding = self.solutions.pop(job.unique_name + "_Upgrade", None)
        if holding is None or job.unique_name not in self.solutions:
            raise JobFailure(f"There is no holding solution for {job.unique_name}.")
        self.solutions[job.unique_name]["version"] = holding["version"]
        self.components[job.unique_name] = self.components.pop(job.unique_name + "_Upgrade")

    def _put_solution(self, name: str, z: SolutionZip, replace: bool) -> None:
        old = self.solutions.get(name)
        self.solutions[name] = {
            "solutionid": old["solutionid"] if old else str(uuid.uuid5(NS, "solution/" + name)),
            "uniquename": name,
            "friendlyname": name,
            "version": z.version,
            "ismanaged": z.managed,
            "installedon": now_iso(),
            "isvisible": True,
        }
        rows = list(z.rows) if replace or old is None else _union(self.components[name], z.rows)
        self.components[name] = rows
        self.tables.update(z.tables)
        self.add_definitions(z.virtual_tables)
        for definition in z.env_vars:
            self.env_defs.setdefault(
                definition["schemaname"],
                {
                    "environmentvariabledefinitionid": str(uuid.uuid4()),
                    "type": 100000000,
                    "isrequired": False,
                    **definition,
                },
            )
        for provider in z.channel_providers:
            self.tables.add("msdyn_channelprovider")
            self.providers.setdefault(
                provider,
                {
                    "msdyn_channelproviderid": str(uuid.uuid5(NS, provider)),
                    "msdyn_uniquename": provider,
                    "msdyn_name": provider,
                    "msdyn_appconfig_msdyn_channelprovider": [],
                },
            )

    def _apply_parameters(self, job: Job) -> None:
        for item in job.parameters:
            if item["@odata.type"].endswith("environmentvariablevalue"):
                if item["schemaname"] not in self.env_defs:
                    raise JobFailure(f"environment variable {item['schemaname']} is not defined")
                self.env_values[item["schemaname"]] = item["value"]
            else:
                self.connections[item["connectionreferencelogicalname"]] = item["connectionid"]

    def _job_row(self, job: Job) -> dict[str, Any]:
        done = job.state != "running"
        return {
            "importjobid": job.import_job_id,
            "solutionname": job.unique_name,
            "progress": job.progress,
            "startedon": job.started_on,
            "completedon": now_iso() if done else None,
            "data": job.data if done else "",
            "createdon": job.created_on,
        }

    def _operation_row(self, job: Job) -> dict[str, Any]:
        state, status = {
            "running": (2 if job.polls else 0, 20 if job.polls else 0),
            "succeeded": (3, 30),
            "failed": (3, 31),
        }[job.state]
        return {
            "asyncoperationid": job.operation_id,
            "statecode": state,
            "statuscode": status,
            "message": job.message,
            "friendlymessage": job.message,
            "completedon": now_iso() if job.state != "running" else None,
            "name": job.kind,
        }


def _union(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = {(r["msdyn_componenttype"], r["msdyn_objectid"]) for r in new}
    return list(new) + [
        r for r in old if (r["msdyn_componenttype"], r["msdyn_objectid"]) not in seen
    ]


def _check_params(
    action: str, body: dict[str, Any], allowed: frozenset[str], required: set[str] | None = None
) -> None:
    if not isinstance(body, dict):
        raise HttpError(400, "0x80048d19", f"{action} expects a JSON object")
    for name in body:
        if name not in allowed:
            raise HttpError(
                400,
                "0x80060888",
                f"The parameter '{name}' in the request payload "
                f"is not a valid parameter for the operation '{action}'.",
            )
    needed = (
        required
        if required is not None
        else (
            {"OverwriteUnmanagedCustomizations", "PublishWorkflows", "CustomizationFile"}
            if action != "PublishAllXml"
            else set()
        )
    )
    for name in sorted(needed - set(body)):
        raise HttpError(400, "0x80048d19", f"{action}: the parameter '{name}' is required")
    for name in (
        "OverwriteUnmanagedCustomizations",
        "PublishWorkflows",
        "HoldingSolution",
        "SkipProductUpdateDependencies",
        "ConvertToManaged",
    ):
        if name in body and not isinstance(body[name], bool):
            raise HttpError(400, "0x80048d19", f"{name} must be a boolean")
    if "ImportJobId" in body and not re.fullmatch(r"[0-9a-fA-F-]{36}", str(body["ImportJobId"])):
        raise HttpError(400, "0x80048d19", "ImportJobId must be a GUID")


def _check_component_parameters(items: list[Any]) -> None:
    needs = {
        "Microsoft.Dynamics.CRM.environmentvariablevalue": {"schemaname", "value"},
        "Microsoft.Dynamics.CRM.connectionreference": {
            "connectionreferencelogicalname",
            "connectionid",
            "connectorid",
        },
    }
    for item in items:
        kind = item.get("@odata.type") if isinstance(item, dict) else None
        if kind not in needs or not needs[kind] <= set(item):
            raise HttpError(400, "0x80048d19", f"invalid ComponentParameters entry: {item!r}")


def _check_fields(entity_set: str, body: dict[str, Any]) -> None:
    schema = SCHEMAS[entity_set]
    for name, value in body.items():
        if name not in schema:
            raise HttpError(
                400,
                "0x80048d19",
                f"Invalid property '{name}' was found in entity "
                f"'Microsoft.Dynamics.CRM.{entity_set[:-1]}'.",
            )
        kind = schema[name]
        ok = (
            value is None
            or (kind in (S, G) and isinstance(value, str))
            or (kind == N and isinstance(value, int) and not isinstance(value, bool))
            or (kind == B and isinstance(value, bool))
        )
        if not ok:
            raise HttpError(400, "0x80048d19", f"'{name}' expects {kind}, got {value!r}")


def _check_source(body: dict[str, Any], creating: bool) -> None:
    """msdyn_odatav4ds: name and URL are required (ApplicationRequired), within their limits."""
    for name, limit in (("msdyn_name", 100), ("msdyn_uri", 1024)):
        if (creating or name in body) and not (body.get(name) or "").strip():
            raise HttpError(400, "0x80040220", f"{name} is required on an OData v4 data source")
        if len(body.get(name) or "") > limit:
            raise HttpError(400, "0x80044331", f"{name} is longer than {limit} characters")
    timeout = body.get("msdyn_timeout")
    if timeout is not None and not 0 <= timeout <= 120:
        raise HttpError(400, "0x80044331", "msdyn_timeout must be 0..120 seconds")
    if body.get("msdyn_paginationtype") not in (None, 0, 1):
        raise HttpError(400, "0x80044331", "msdyn_paginationtype is 0 (client) or 1 (server)")
