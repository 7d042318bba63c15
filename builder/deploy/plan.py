"""The deploy plan: a pure function of (environment state, package, options, settings).

Per solution, in the package's import order:
- wait     an import of it is already running (a killed or timed-out deploy): follow that job
- resume   a holding `<name>_Upgrade` left by a failed upgrade: apply it (DeleteAndPromote)
- install  not installed (whatever --mode says: first install and upgrade share one pipeline)
- skip     the same version is installed, or the solution is not part of the scenario
- update   a higher version that removes nothing (or --mode update)
- upgrade  a higher version that drops components, or --mode upgrade (StageAndUpgrade)
- refuse   a higher version installed (no downgrade), unmanaged where managed is wanted (or
           the reverse), --mode install over an installed solution, a missing prerequisite
Scenario (auto): continuity first (multisession installed: CIF2; our CIF 1.0 provider record
present: CIF1), then the richest framework found: msdyn_liveworkstream (Omnichannel) >
msdyn_channelprovider (CIF 2.0) > msdyn_ciprovider (CIF 1.0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .component_keys import DATA_TYPES, describe, installed_components, installed_names, kind_name
from .configdata_rows import ProviderRow
from .package_contents import Package, PackageSolution
from .settings import DeploymentSettings, SettingsPlan, merge_settings
from .state import HOLDING_SUFFIX, EnvState, InstalledSolution
from .virtual import URL_VARIABLE, VirtualPlan, plan_virtual

Action = Literal["install", "update", "upgrade", "skip", "refuse", "resume", "wait"]
SCENARIOS = ("cif1", "cif2", "cif2-omnichannel")
MODES = ("auto", "install", "update", "upgrade")
PREREQUISITES = {
    "cif1": ("msdyn_ciprovider",),
    "cif2": ("msdyn_channelprovider",),
    "cif2-omnichannel": ("msdyn_channelprovider", "msdyn_liveworkstream"),
}
GUIDE_PREREQUISITE = (
    "install Channel Integration Framework from AppSource, or provision "
    "Omnichannel (configuration guide 1.1)"
)


@dataclass(frozen=True)
class Options:
    scenario: str = "auto"
    mode: str = "auto"
    allow_data_loss: bool = False  # an upgrade may delete tables and columns (and their data)


@dataclass(frozen=True)
class Removed:
    """A component the installed solution holds and the package does not: an upgrade deletes
    it, and with a table or column its data."""

    kind: str  # "column", "table", "view", ...
    name: str  # schema name, "table.column", or a view's or form's display name
    holds_data: bool

    def __str__(self) -> str:
        return f"{self.kind} {self.name}" + (" (holds data)" if self.holds_data else "")


@dataclass(frozen=True)
class SolutionStep:
    unique_name: str
    action: Action
    from_version: str | None
    to_version: str
    reason: str = ""
    job_id: str = ""  # wait: the running import job to follow
    removed: tuple[Removed, ...] = ()  # what an upgrade deletes (or an update leaves behind)

    @property
    def changes(self) -> bool:
        return self.action in ("install", "update", "upgrade", "resume", "wait")


@dataclass(frozen=True)
class Plan:
    environment: str
    scenario: str
    steps: tuple[SolutionStep, ...] = ()
    settings: SettingsPlan = field(default_factory=SettingsPlan)
    provider: ProviderRow | None = None  # the CIF 1.0 record to upsert
    env_values: dict[str, dict[str, str]] = field(default_factory=dict)  # solution -> values
    connections: dict[str, tuple[dict[str, str], ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()
    virtual: VirtualPlan | None = None  # the virtual tables' data source and links
    env_writes: tuple[tuple[str, str], ...] = ()  # (schema, value) set without an import

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    @property
    def nothing_to_do(self) -> bool:
        return (
            not any(s.changes for s in self.steps)
            and not self.settings.writes
            and (self.provider is None)
            and not (self.virtual and self.virtual.writes)
            and (not self.env_writes)
        )


def plan_deploy(
    state: EnvState,
    package: Package,
    options: Options,
    deployment: DeploymentSettings | None = None,
) -> Plan:
    deployment = deployment or DeploymentSettings()
    scenario, warnings, refusals = choose_scenario(state, package, options.scenario)
    warnings += [
        f"import job {j.import_job_id} of {j.solution_name} made "
        f"{j.created_on or j.started_on} never completed; ignored (see Solution "
        "History)"
        for j in state.stale_imports
    ]
    steps: list[SolutionStep] = []
    for solution in package.solutions:
        steps += plan_solution(solution, state, options.mode, scenario)
    steps = [guard_data(s, options.allow_data_loss) for s in steps]
    refusals += [f"{s.unique_name}: {s.reason}" for s in steps if s.action == "refuse"]
    values, connections, missing, extra = parameters(package, steps, state, deployment)
    refusals += missing
    warnings += extra
    provider = provider_to_write(state, package) if scenario == "cif1" else None
    if (
        provider
        and state.provider
        and (state.provider.app_selector or state.provider.role_selector)
    ):
        warnings.append(
            "CIF 1.0 provider: the apps and roles an administrator selected are "
            "kept (msdyn_appselector / msdyn_roleselector are never written)"
        )
    settings = merge_settings(state.settings, package.settings, deployment.settings)
    warnings += [
        f"{deployment.source}: EnreachSettings names {name}, which neither the package "
        "nor the environment has; ignored"
        for name in settings.unknown
    ]
    direct = env_writes(package, steps, state, deployment)
    virtual = plan_virtual(
        state.virtual,
        package.virtual_tables(),
        dict(direct).get(URL_VARIABLE) or env_value(URL_VARIABLE, values, state, package),
        any(v.schema_name == URL_VARIABLE for v in package.env_vars()),
    )
    if virtual and virtual.skipped:
        warnings.append(f"virtual tables: {virtual.skipped}")
    return Plan(
        state.url,
        scenario,
        tuple(steps),
        settings,
        provider,
        values,
        connections,
        tuple(warnings),
        tuple(refusals),
        virtual,
        direct,
    )


def env_writes(
    package: Package, steps: list[SolutionStep], state: EnvState, deployment: DeploymentSettings
) -> tuple[tuple[str, str], ...]:
    """Values of the settings file for solutions this deploy does not import (the same
    version is installed) that differ from the environment's: set directly, no import."""
    importing = {s.unique_name for s in steps if s.action in ("install", "update", "upgrade")}
    out = []
    for solution in package.solutions:
        if solution.unique_name in importing or not state.solution(solution.unique_name):
            continue
        for variable in solution.env_vars:
            value = deployment.env_values.get(variable.schema_name)
            if (
                value
                and value != state.env_values.get(variable.schema_name)
                and (variable.schema_name in state.env_ids)
            ):
                out.append((variable.schema_name, value))
    return tuple(sorted(out))


def env_value(
    schema_name: str, values: dict[str, dict[str, str]], state: EnvState, package: Package
) -> str:
    """The value an environment variable has once this deploy is done: the deployment
    settings' when an import carries it, else the environment's, else the definition's
    default."""
    given = next((v[schema_name] for v in values.values() if schema_name in v), "")
    default = next(
        (v.default_value for v in package.env_vars() if v.schema_name == schema_name), ""
    )
    return given or state.env_values.get(schema_name, "") or default


def provider_to_write(state: EnvState, package: Package) -> ProviderRow | None:
    """The CIF 1.0 record when it is missing or differs from the package (not its selectors)."""
    row = package.cif1_provider
    if row is None or (
        state.provider
        and state.provider.exists
        and all(state.provider.fields.get(name) == value for name, value in row.fields)
    ):
        return None
    return row


def choose_scenario(
    state: EnvState,
    package: Package,
    requested: str,
) -> tuple[str, list[str], list[str]]:
    """(scenario, warnings, refusals) for this environment."""
    warnings: list[str] = []
    scenario = requested if requested != "auto" else detect_scenario(state, package, warnings)
    if not scenario:
        return (
            "none",
            warnings,
            [
                "no Channel Integration Framework in this environment "
                f"(no msdyn_ciprovider or msdyn_channelprovider table): "
                f"{GUIDE_PREREQUISITE}"
            ],
        )
    missing = [t for t in PREREQUISITES[scenario] if t not in state.tables]
    refusals = [
        f"scenario {scenario} needs the {t} table, which this environment lacks: "
        f"{GUIDE_PREREQUISITE}"
        for t in missing
    ]
    return scenario, warnings, refusals


def detect_scenario(state: EnvState, package: Package, warnings: list[str]) -> str:
    omnichannel = "msdyn_liveworkstream" in state.tables
    multisession = [s.unique_name for s in package.solutions if s.multisession]
    if any(state.solution(name) for name in multisession):
        return "cif2-omnichannel" if omnichannel else "cif2"
    if state.provider is not None and state.provider.exists:
        return "cif1"
    if "msdyn_channelprovider" in state.tables:
        if "msdyn_ciprovider" in state.tables:
            warnings.append(
                "both CIF 1.0 and CIF 2.0 are installed; chose CIF 2.0 "
                "(pass --scenario cif1 for a classic single-session app)"
            )
        return "cif2-omnichannel" if omnichannel else "cif2"
    return "cif1" if "msdyn_ciprovider" in state.tables else ""


def plan_solution(
    solution: PackageSolution, state: EnvState, mode: str, scenario: str
) -> list[SolutionStep]:
    name, version = solution.unique_name, solution.version
    installed = state.solution(name)
    current = installed.version if installed else None
    if solution.multisession and scenario not in ("cif2", "cif2-omnichannel"):
        return [
            SolutionStep(
                name, "skip", current, version, f"CIF 2.0 only; not part of scenario {scenario}"
            )
        ]
    running = next(
        (
            r
            for r in state.running
            if r.solution_name.lower() in (name.lower(), (name + HOLDING_SUFFIX).lower())
        ),
        None,
    )
    if running:
        return [
            SolutionStep(
                name,
                "wait",
                current,
                version,
                "an import of it is still running (an earlier deploy): following that job",
                running.import_job_id,
            )
        ]
    holding = state.solution(name + HOLDING_SUFFIX)
    if holding:
        return _resume(solution, installed, holding, state, mode)
    return [_decide(solution, installed, state, mode)]


def _resume(
    solution: PackageSolution,
    installed: InstalledSolution | None,
    holding: InstalledSolution,
    state: EnvState,
    mode: str,
) -> list[SolutionStep]:
    name, version = solution.unique_name, solution.version
    if installed is None or compare(holding.version, version) > 0:
        why = (
            "a holding solution without its base"
            if installed is None
            else f"the holding {holding.unique_name} is {holding.version}, newer than {version}"
        )
        return [
            SolutionStep(
                name,
                "refuse",
                installed.version if installed else None,
                version,
                f"{why}; resolve it in Solution History first",
            )
        ]
    resume = SolutionStep(
        name,
        "resume",
        installed.version,
        holding.version,
        f"{holding.unique_name} was left by a failed upgrade: applying it",
    )
    if compare(holding.version, version) == 0:
        return [resume]
    promoted = InstalledSolution(name, holding.version, holding.managed, installed.solution_id)
    return [resume, _decide(solution, promoted, state, mode)]


def _decide(
    solution: PackageSolution, installed: InstalledSolution | None, state: EnvState, mode: str
) -> SolutionStep:
    name, version = solution.unique_name, solution.version
    if installed is None:
        note = "" if mode in ("auto", "install") else f" (--mode {mode} needs it installed)"
        return SolutionStep(name, "install", None, version, "not installed" + note)
    step = _mismatch(solution, installed)
    if step:
        return step
    order = compare(version, installed.version)
    if order < 0:
        return SolutionStep(
            name,
            "refuse",
            installed.version,
            version,
            f"{installed.version} is installed, newer than the package's "
            f"{version}; no downgrade (build with a higher --version)",
        )
    if order == 0:
        return SolutionStep(name, "skip", installed.version, version, "same version installed")
    if mode == "install":
        return SolutionStep(
            name,
            "refuse",
            installed.version,
            version,
            "--mode install only installs; it is already installed",
        )
    return _update_or_upgrade(solution, installed, state, mode)


def _mismatch(solution: PackageSolution, installed: InstalledSolution) -> SolutionStep | None:
    if installed.managed == solution.managed:
        return None
    kind = (
        "unmanaged; a managed import cannot update it (-2147188672): remove the unmanaged "
        "solution first"
        if solution.managed
        else "managed; an unmanaged zip cannot update it: deploy the managed package"
    )
    return SolutionStep(
        solution.unique_name, "refuse", installed.version, solution.version, f"installed as {kind}"
    )


def _update_or_upgrade(
    solution: PackageSolution, installed: InstalledSolution, state: EnvState, mode: str
) -> SolutionStep:
    name, version, current = solution.unique_name, solution.version, installed.version
    rows = state.components.get(installed.unique_name)
    if rows is None:
        if mode == "update":
            return SolutionStep(name, "update", current, version, "--mode update")
        return SolutionStep(
            name,
            "upgrade",
            current,
            version,
            "cannot list the installed "
            "components here; upgrading, which removes whatever was dropped"
            if mode != "upgrade"
            else "--mode upgrade",
        )
    names = installed_names(rows, solution.prefix)
    keys = sorted(installed_components(rows, solution.prefix) - solution.components)
    removed = tuple(Removed(kind_name(k[0]), names.get(k, k[1]), k[0] in DATA_TYPES) for k in keys)
    listed = ", ".join(describe(k, names.get(k, "")) for k in keys[:5]) + (
        " ..." if len(keys) > 5 else ""
    )
    if mode == "upgrade":
        return SolutionStep(
            name,
            "upgrade",
            current,
            version,
            "--mode upgrade" + (f"; removes {len(keys)} component(s): {listed}" if keys else ""),
            removed=removed,
        )
    if not keys:
        return SolutionStep(name, "update", current, version, "removes no components")
    if mode == "update":
        return SolutionStep(
            name,
            "update",
            current,
            version,
            f"--mode update: {len(keys)} dropped component(s) stay: {listed}",
            removed=removed,
        )
    return SolutionStep(
        name,
        "upgrade",
        current,
        version,
        f"removes {len(keys)} component(s): {listed}",
        removed=removed,
    )


def guard_data(step: SolutionStep, allowed: bool) -> SolutionStep:
    """An upgrade that deletes tables or columns deletes their data: refused (exit 3, nothing
    changed) unless --allow-data-loss."""
    lost = [r for r in step.removed if r.holds_data]
    if step.action != "upgrade" or not lost or allowed:
        return step
    named = ", ".join(f"{r.kind} {r.name}" for r in lost)
    return SolutionStep(
        step.unique_name,
        "refuse",
        step.from_version,
        step.to_version,
        f"the upgrade deletes {named} and the data in them; pass "
        "--allow-data-loss to go ahead, or keep them in the package",
        removed=step.removed,
    )


def parameters(
    package: Package, steps: list[SolutionStep], state: EnvState, deployment: DeploymentSettings
) -> tuple[dict[str, dict[str, str]], dict[str, tuple[dict[str, str], ...]], list[str], list[str]]:
    """Per-solution ComponentParameters input, the missing values, and warnings."""
    importing = {s.unique_name for s in steps if s.action in ("install", "update", "upgrade")}
    values: dict[str, dict[str, str]] = {}
    connections: dict[str, tuple[dict[str, str], ...]] = {}
    missing: list[str] = []
    warnings: list[str] = []
    for solution in package.solutions:
        if solution.unique_name in importing:
            name = solution.unique_name
            values[name] = {
                v.schema_name: deployment.env_values[v.schema_name]
                for v in solution.env_vars
                if v.schema_name in deployment.env_values
            }
            missing += _missing_values(solution, state, deployment)
            connections[name], unbound = _connections(solution, deployment)
            warnings += unbound
    return values, connections, missing, warnings + _unknown_entries(package, deployment)


def _missing_values(
    solution: PackageSolution, state: EnvState, deployment: DeploymentSettings
) -> list[str]:
    return [
        f"environment variable {v.schema_name} needs a value for this environment: add it "
        "to the deployment settings file (voicepkg settings template)"
        for v in solution.env_vars
        if v.needs_value
        and v.schema_name not in deployment.env_values
        and v.schema_name not in state.env_values
    ]


def _connections(
    solution: PackageSolution,
    deployment: DeploymentSettings,
) -> tuple[tuple[dict[str, str], ...], list[str]]:
    refs = {c.logical_name for c in solution.connection_refs}
    bound = tuple(c for c in deployment.connections if c["LogicalName"] in refs)
    unbound = sorted(refs - {c["LogicalName"] for c in bound})
    return bound, [
        f"connection reference {r} gets no ConnectionId from the deployment settings;"
        " flows using it stay off until it is bound"
        for r in unbound
    ]


def _unknown_entries(package: Package, deployment: DeploymentSettings) -> list[str]:
    known = {v.schema_name for v in package.env_vars()} | {
        c.logical_name for c in package.connection_refs()
    }
    given = set(deployment.env_values) | {c["LogicalName"] for c in deployment.connections}
    return [
        f"{deployment.source}: {name} is not in the package; ignored"
        for name in sorted(given - known)
    ]


def compare(left: str, right: str) -> int:
    a = tuple(int(p) for p in left.split("."))
    b = tuple(int(p) for p in right.split("."))
    a, b = a + (0,) * (4 - len(a)), b + (0,) * (4 - len(b))
    return (a > b) - (a < b)
