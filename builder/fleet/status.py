"""`fleet status`: every environment read (GET only) at most `jobs` at a time, one row each:
installed versions, scenario, a leftover holding solution, an import in progress, doctor's
checks, settings an administrator changed, unmanaged layers over our managed components.
An environment that cannot be read fails its row, not the fleet."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx

from ..deploy.clock import Clock
from ..deploy.doctor import diagnose
from ..deploy.package_contents import Package
from ..deploy.plan import compare
from ..deploy.secrets import mask
from ..deploy.state import HOLDING_SUFFIX, EnvState, read_state
from ..deploy.transport import Transport
from ..errors import BuildError
from .access import READ_POLICY, credentials, open_transport, shared_client
from .fleetfile import Environment
from .layers import unmanaged_layers
from .pool import bounded

Row = dict[str, Any]


def fleet_status(
    envs: list[Environment],
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    jobs: int,
    timeout: float,
) -> Iterator[Row]:
    """Rows in the order environments finish."""
    with shared_client(jobs) as client:

        def one(env: Environment) -> Row:
            return guarded(
                env, "status", lambda: _read(env, package, environ, clock, timeout, client)
            )

        for _, row in bounded(envs, one, jobs):
            yield row


def guarded(env: Environment, kind: str, work: Callable[[], Row]) -> Row:
    """The environment's row; any failure (down, refused credentials, a bug) stays in it."""
    try:
        row = work()
    except BuildError as error:
        row = {"status": "failed", "errors": [mask(str(d)) for d in error.diagnostics]}
    except Exception as error:  # noqa: BLE001 - one environment's bug must not stop the fleet
        row = {
            "status": "failed",
            "errors": [mask(f"internal error: {type(error).__name__}: {error}")],
        }
    return {**identity(env, kind), **row}


def identity(env: Environment, kind: str) -> Row:
    return {
        "kind": kind,
        "name": env.name,
        "url": env.url,
        "ring": env.ring,
        "tags": list(env.tags),
    }


def _read(
    env: Environment,
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    timeout: float,
    client: httpx.Client,
) -> Row:
    spec, _ = credentials(env, environ)
    return status_row(open_transport(env, spec, clock, timeout, client, READ_POLICY), package, env)


def status_row(transport: Transport, package: Package, env: Environment) -> Row:
    state = read_state(transport, package)
    report = diagnose(transport, package, env.scenario, env.url, state)
    ours = [s.unique_name for s in package.solutions]
    layers = unmanaged_layers(transport, state, ours)
    changed = changed_settings(state)
    failing = [f for f in report.findings if not f.ok]
    warnings = [f"{f.name}: {f.detail()}" for f in failing] + [x.message() for x in layers]
    if state.running:
        warnings += [
            f"an import of {r.solution_name} is running ({r.progress:.0f}%, job {r.import_job_id})"
            for r in state.running
        ]
    return {
        "status": "warning" if warnings else "ok",
        "scenario": report.scenario,
        "installed": {s.unique_name: s.version for s in state.solutions},
        "package_version": package.version,
        "behind": behind(state, package),
        "holding": [
            s.unique_name for s in state.solutions if s.unique_name.endswith(HOLDING_SUFFIX)
        ],
        "imports_running": [
            {"solution": r.solution_name, "job": r.import_job_id, "progress": r.progress}
            for r in state.running
        ],
        "checks": [
            {"name": f.name, "ok": f.ok, "message": f.detail(), "instruction": f.instruction}
            for f in report.findings
        ],
        "changed_settings": changed,
        "layers": [x.to_json() for x in layers],
        "warnings": warnings,
        "errors": [],
    }


def changed_settings(state: EnvState) -> list[str]:
    """Settings whose value an administrator changed from a shipped default (kept by every
    deploy; listed so a release manager knows where environments differ). A setting shipped
    empty is one the administrator is meant to fill in (DefaultCrmAssignee, guide 1.5.3):
    filling it in is configuration, not drift."""
    return sorted(s.name for s in state.settings or () if s.default and s.value != s.default)


def behind(state: EnvState, package: Package) -> bool:
    """An installed solution of ours older than the package's."""
    return any(
        (got := state.solution(s.unique_name)) is not None and compare(got.version, s.version) < 0
        for s in package.solutions
    )
