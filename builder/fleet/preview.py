"""`fleet plan PACKAGE`: per environment what `deploy` would do (install, update, upgrade,
skip, resume, wait or refuse), what an upgrade would delete with its data, and which
environment variables lack a value; GET requests only."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import httpx

from ..deploy.clock import Clock
from ..deploy.package_contents import Package
from ..deploy.plan import Options, Plan, plan_deploy
from ..deploy.settings import DeploymentSettings, load_deployment_settings
from ..deploy.state import EnvState, read_state
from .access import READ_POLICY, credentials, open_transport, shared_client
from .fleetfile import Environment
from .pool import bounded
from .status import Row, guarded

DATA_KINDS = frozenset({1, 2})  # tables and columns: an upgrade deletes them with their data


def fleet_plan(
    envs: list[Environment],
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    jobs: int,
    timeout: float,
    options: Options | None = None,
) -> Iterator[Row]:
    """Rows in the order environments finish; `options` (mode, --allow-data-loss) apply to
    every environment, each keeping its own scenario."""
    with shared_client(jobs) as client:

        def one(env: Environment) -> Row:
            return guarded(
                env,
                "plan",
                lambda: _plan(env, package, environ, clock, timeout, options or Options(), client),
            )

        for _, row in bounded(envs, one, jobs):
            yield row


def _plan(
    env: Environment,
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    timeout: float,
    options: Options,
    client: httpx.Client,
) -> Row:
    spec, variables = credentials(env, environ)
    deployment = (
        load_deployment_settings(env.settings, variables) if env.settings else DeploymentSettings()
    )
    state = read_state(open_transport(env, spec, clock, timeout, client, READ_POLICY), package)
    chosen = Options(env.scenario, options.mode, options.allow_data_loss)
    return plan_row(plan_deploy(state, package, chosen, deployment), state, package, deployment)


def plan_row(plan: Plan, state: EnvState, package: Package, deployment: DeploymentSettings) -> Row:
    changes = [s for s in plan.steps if s.changes]
    status = (
        "refused"
        if plan.refused
        else "changes"
        if changes or not plan.nothing_to_do
        else "nothing to do"
    )
    return {
        "status": status,
        "scenario": plan.scenario,
        "installed": {s.unique_name: s.version for s in state.solutions},
        "package_version": package.version,
        "steps": [
            {
                "uniquename": s.unique_name,
                "from": s.from_version,
                "to": s.to_version,
                "action": s.action,
                "reason": s.reason,
            }
            for s in plan.steps
        ],
        "data_loss": data_loss(plan, state, package),
        "missing_settings": missing_values(plan, state, package, deployment),
        "settings": {
            "create": len(plan.settings.create),
            "update": len(plan.settings.update),
            "kept": list(plan.settings.kept),
        },
        "warnings": list(plan.warnings),
        "errors": list(plan.refusals),
    }


def data_loss(plan: Plan, state: EnvState, package: Package) -> list[str]:
    """Tables and columns an upgrade in this plan deletes (with their data): the plan names
    them (SolutionStep.removed), also when it refuses for want of --allow-data-loss."""
    return [
        f"{step.unique_name}: {r.kind} {r.name}"
        for step in plan.steps
        if step.action in ("upgrade", "refuse")
        for r in step.removed
        if r.holds_data
    ]


def missing_values(
    plan: Plan, state: EnvState, package: Package, deployment: DeploymentSettings
) -> list[str]:
    """Required environment variables of imported solutions that would get no value."""
    importing = {s.unique_name for s in plan.steps if s.action in ("install", "update", "upgrade")}
    return sorted(
        v.schema_name
        for s in package.solutions
        if s.unique_name in importing
        for v in s.env_vars
        if v.needs_value
        and v.schema_name not in deployment.env_values
        and v.schema_name not in state.env_values
    )
