"""Read what deploy needs to know about the target environment, and nothing more.

Installed solutions (and a leftover `<name>_Upgrade`), what they hold, which `msdyn_` tables
exist (the scenario), the settings records, environment variable values, imports still running,
the CIF 1.0 provider record, and the virtual tables' data source (virtual_io.py). Seven to
eleven GET requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .package_contents import Package
from .transport import DataverseError, Transport
from .virtual import SOURCE_TABLE, VirtualState
from .virtual_io import read_virtual
from .webapi import (
    get_provider,
    query_components,
    query_env_vars,
    query_running_imports,
    query_settings,
    query_solutions,
    query_tables,
)

SCENARIO_TABLES = ("msdyn_ciprovider", "msdyn_channelprovider", "msdyn_liveworkstream")
SETTING_TABLE = "enreach_setting"
HOLDING_SUFFIX = "_Upgrade"
STALE_AFTER = 24 * 3600.0


@dataclass(frozen=True)
class InstalledSolution:
    unique_name: str
    version: str
    managed: bool
    solution_id: str


@dataclass(frozen=True)
class RunningImport:
    import_job_id: str
    solution_name: str
    progress: float = 0.0
    started_on: str = ""  # ISO 8601, as Dataverse writes it ("" until it starts)
    created_on: str = ""  # when the job record was made: always there


@dataclass(frozen=True)
class EnvSetting:
    id: str
    name: str
    value: str
    default: str | None  # None: the record has no default (set by hand, or an old version)


@dataclass(frozen=True)
class ProviderState:
    exists: bool
    app_selector: str = ""
    role_selector: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # the columns the package ships


@dataclass(frozen=True)
class EnvState:
    url: str
    solutions: tuple[InstalledSolution, ...] = ()
    components: dict[str, tuple[dict[str, Any], ...] | None] = field(default_factory=dict)
    tables: frozenset[str] = frozenset()
    settings: tuple[EnvSetting, ...] | None = None  # None: the settings table does not exist
    env_values: dict[str, str] = field(default_factory=dict)  # schema name -> current value
    env_ids: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> (definition, value)
    running: tuple[RunningImport, ...] = ()
    provider: ProviderState | None = None
    stale_imports: tuple[RunningImport, ...] = ()  # never completed, started long ago
    virtual: VirtualState | None = None  # None: the package has no virtual table

    def solution(self, unique_name: str) -> InstalledSolution | None:
        return next(
            (s for s in self.solutions if s.unique_name.lower() == unique_name.lower()), None
        )


def read_state(transport: Transport, package: Package) -> EnvState:
    names = [s.unique_name for s in package.solutions]
    names += [n + HOLDING_SUFFIX for n in names]
    running = [_running(r) for r in transport.get_all(query_running_imports(names))]
    now = transport.clock.wall()
    solutions = tuple(_solution(r) for r in transport.get_all(query_solutions(names)))
    virtual = package.virtual_tables()
    tables = frozenset(
        str(r["LogicalName"]).lower()
        for r in transport.get_all(
            query_tables(
                [
                    *SCENARIO_TABLES,
                    SETTING_TABLE,
                    *([SOURCE_TABLE] if virtual else []),
                    *(t.logical_name for t in virtual),
                ]
            )
        )
    )
    return EnvState(
        url=transport.api_root,
        solutions=solutions,
        components={
            s.unique_name: _components(transport, s)
            for s in solutions
            if not s.unique_name.endswith(HOLDING_SUFFIX)
        },
        tables=tables,
        settings=_settings(transport) if SETTING_TABLE in tables else None,
        **_env_values(transport, [v.schema_name for v in package.env_vars()]),
        running=tuple(r for r in running if not is_stale(r, now)),
        provider=_provider(transport, package, tables),
        stale_imports=tuple(r for r in running if is_stale(r, now)),
        virtual=read_virtual(transport, virtual, tables),
    )


def _solution(row: dict[str, Any]) -> InstalledSolution:
    return InstalledSolution(
        str(row["uniquename"]), str(row["version"]), bool(row["ismanaged"]), str(row["solutionid"])
    )


def _components(
    transport: Transport,
    solution: InstalledSolution,
) -> tuple[dict[str, Any], ...] | None:
    """What an installed solution holds; None when this environment cannot say."""
    try:
        return tuple(transport.get_all(query_components(solution.solution_id)))
    except DataverseError as error:
        if error.status in (400, 404, 501):
            return None
        raise


def _settings(transport: Transport) -> tuple[EnvSetting, ...]:
    return tuple(
        EnvSetting(
            str(r["enreach_settingid"]),
            str(r.get("enreach_name") or ""),
            str(r.get("enreach_value") or ""),
            r.get("enreach_defaultvalue"),
        )
        for r in transport.get_all(query_settings())
    )


def _env_values(transport: Transport, schema_names: list[str]) -> dict[str, Any]:
    """{"env_values": schema -> current value, "env_ids": schema -> (definition, value id)}"""
    values_out: dict[str, str] = {}
    ids: dict[str, tuple[str, str]] = {}
    for row in transport.get_all(query_env_vars(schema_names)) if schema_names else ():
        values = row.get("environmentvariabledefinition_environmentvariablevalue") or []
        schema = str(row["schemaname"])
        ids[schema] = (
            str(row.get("environmentvariabledefinitionid") or ""),
            str(values[0].get("environmentvariablevalueid") or "") if values else "",
        )
        if values and values[0].get("value") not in (None, ""):
            values_out[schema] = str(values[0]["value"])
    return {"env_values": values_out, "env_ids": ids}


def _running(row: dict[str, Any]) -> RunningImport:
    return RunningImport(
        str(row["importjobid"]),
        str(row.get("solutionname") or ""),
        float(row.get("progress") or 0),
        str(row.get("startedon") or ""),
        str(row.get("createdon") or ""),
    )


def is_stale(job: RunningImport, now: float) -> bool:
    """An import job without an end made over a day ago died with its server: the longest
    imports reported run for hours (research/deploy.md §6.1), not days. Judged by when the
    job was made (`createdon`, always set), not `startedon`, which a job that never left the
    queue does not have."""
    for stamp in (job.created_on, job.started_on):
        try:
            made = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
        except ValueError:
            continue
        return now - made > STALE_AFTER
    return False


def _provider(
    transport: Transport,
    package: Package,
    tables: frozenset[str],
) -> ProviderState | None:
    if package.cif1_provider is None or "msdyn_ciprovider" not in tables:
        return None
    shipped = [name for name, _ in package.cif1_provider.fields]
    try:
        row = transport.send(get_provider(package.cif1_provider.id, shipped)).payload
    except DataverseError as error:
        if error.status == 404:
            return ProviderState(False)
        raise
    return ProviderState(
        True,
        str(row.get("msdyn_appselector") or ""),
        str(row.get("msdyn_roleselector") or ""),
        {name: row.get(name) for name in shipped},
    )
