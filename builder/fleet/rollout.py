"""`fleet deploy PACKAGE`: rings in order, at most `jobs` environments at a time within a
ring, halting when the ring fails beyond the fleet's rule; maintenance windows respected.

Each environment's result is the JSON report `voicepkg deploy --json` writes, with a `fleet`
key added (name, ring, package version, and why it was skipped or not started). With a
reports folder every report is written there as soon as its environment finishes, and a
rerun continues from them: an environment whose report says done for this package version
is not deployed again; the others (failed, still running, skipped, never started) are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ..archive.writer import write_atomic
from ..deploy.apply import Deployment, Outcome, new_runner
from ..deploy.apply import deploy as run_deploy
from ..deploy.clock import Clock
from ..deploy.package_contents import Package
from ..deploy.plan import Options, Plan
from ..deploy.report import RunInfo, envelope, json_report
from ..deploy.settings import DeploymentSettings, load_deployment_settings
from ..errors import BuildError, diagnostic
from ..exits import INTERNAL, exit_code
from .access import credentials, open_transport, shared_client
from .fleetfile import Environment, Fleet, Halt
from .pool import bounded

Report = dict[str, Any]
FAILED = frozenset({"failed", "refused", "usage"})  # counts toward the halt rule


@dataclass(frozen=True)
class Rollout:
    halt: Halt
    jobs: int
    timeout: float  # per environment, as deploy's --timeout
    interval: float  # seconds between polls of a running import
    ring: int | None = None  # only this ring
    mode: str = "auto"
    allow_data_loss: bool = False  # an upgrade may delete tables and columns with their data
    reports: Path | None = None  # one <name>.json per environment; what a rerun continues from


class QuietUi:
    """Deploy's progress is not printed per environment (many run at once); the report
    says what happened."""

    def plan(self, plan: Plan) -> None:
        return None

    def progress(self, label: str, percent: float) -> None:
        return None

    def note(self, text: str) -> None:
        return None


def roll_out(
    fleet: Fleet,
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    options: Rollout,
    done: Callable[[Report], None] = lambda r: None,
) -> list[Report]:
    previous = read_previous(options.reports) if options.reports else {}
    rings = [options.ring] if options.ring is not None else fleet.ring_numbers()
    reports: list[Report] = []
    halted = ""
    for ring in rings:
        envs = [e for e in fleet.environments if e.ring == ring]
        if halted:
            ring_reports = [not_run(e, package, "halted", halted, clock.wall()) for e in envs]
        else:
            ring_reports, halted = _ring(
                ring, envs, package, environ, clock, options, previous, done
            )
        for report in ring_reports:
            if report["fleet"].get("reason") and options.reports:
                save(options.reports, report)
        reports += ring_reports
    return reports


def _ring(
    ring: int,
    envs: list[Environment],
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    options: Rollout,
    previous: dict[str, Report],
    done: Callable[[Report], None],
) -> tuple[list[Report], str]:
    reports: list[Report] = []
    todo: list[Environment] = []
    for env in envs:
        reason = skip_reason(env, previous.get(env.name), package.version, clock.wall())
        if reason:
            reports.append(
                carried(previous[env.name])
                if reason == "done"
                else not_run(env, package, "skipped", reason, clock.wall())
            )
        else:
            todo.append(env)
    failed = 0

    def stop() -> bool:
        return options.halt.exceeded(failed, len(todo))

    started: set[str] = set()
    with shared_client(options.jobs) as client:

        def one(env: Environment) -> Report:
            return deploy_one(env, package, environ, clock, options, client)

        for env, report in bounded(todo, one, options.jobs, stop):
            started.add(env.name)
            failed += report["status"] in FAILED
            if options.reports:
                save(options.reports, report)
            done(report)
            reports.append(report)
    if not stop():
        return reports, ""
    why = f"ring {ring} halted: {failed} of {len(todo)} failed (halt at {options.halt.describe()})"
    reports += [
        not_run(e, package, "halted", why, clock.wall()) for e in todo if e.name not in started
    ]
    return reports, why


def skip_reason(env: Environment, earlier: Report | None, version: str, now: float) -> str:
    if env.excluded:
        return "excluded in the fleet file"
    if (
        earlier is not None
        and earlier.get("status") == "done"
        and earlier.get("fleet", {}).get("package_version") == version
        and not earlier["fleet"].get("reason")
    ):
        return "done"
    if env.maintenance is not None and not env.maintenance.is_open(now):
        return f"outside its maintenance window ({env.maintenance.text})"
    return ""


def deploy_one(
    env: Environment,
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    options: Rollout,
    client: httpx.Client,
) -> Report:
    """One environment's deploy, its report; every failure stays in the report."""
    started = clock.wall()
    outcome = Outcome()
    try:
        outcome = _deploy(env, package, environ, clock, options, client)
    except BuildError as error:
        outcome.fail(error)
    except Exception as error:  # noqa: BLE001 - one environment's bug must not stop the fleet
        outcome.fail(
            BuildError.at(
                "FLT099",
                f"internal error: {type(error).__name__}: {error}",
                file="deploy",
                hint="please report it",
                exit_code=INTERNAL,
            )
        )
    report = json_report(outcome, RunInfo("deploy", env.url, started, clock.wall(), package))
    report["fleet"] = fleet_key(env, package)
    return report


def _deploy(
    env: Environment,
    package: Package,
    environ: Mapping[str, str],
    clock: Clock,
    options: Rollout,
    client: httpx.Client,
) -> Outcome:
    spec, variables = credentials(env, environ)
    deployment = (
        load_deployment_settings(env.settings, variables) if env.settings else DeploymentSettings()
    )
    transport = open_transport(env, spec, clock, options.timeout, client)
    ui = QuietUi()
    job = Deployment(
        package,
        Options(env.scenario, options.mode, options.allow_data_loss),
        deployment,
        environ=variables,
    )
    runner = new_runner(transport, clock, transport.deadline or 0.0, options.interval, ui)
    return run_deploy(job, runner, ui)


def fleet_key(env: Environment, package: Package, reason: str = "") -> dict[str, Any]:
    key: dict[str, Any] = {
        "name": env.name,
        "ring": env.ring,
        "tags": list(env.tags),
        "package_version": package.version,
    }
    if reason:
        key["reason"] = reason
    return key


def not_run(
    env: Environment, package: Package, status: str, reason: str, clock_wall: float = 0.0
) -> Report:
    """The report of an environment not deployed (skipped, or not started after a halt):
    deploy's envelope, nothing done, the reason as a warning."""
    code = "FLT050" if status == "skipped" else "FLT051"
    run = RunInfo("deploy", env.url, clock_wall, clock_wall, package)
    report = envelope(run, 0, [diagnostic(code, reason, file="fleet")])
    report |= {
        "status": status,
        "scenario": None,
        "solutions": [],
        "checks": [],
        "fleet": fleet_key(env, package, reason),
    }
    return report


def carried(report: Report) -> Report:
    """A report done in an earlier run, kept as it was (and said so)."""
    out = dict(report)
    out["fleet"] = dict(report["fleet"], earlier=True)
    return out


def save(folder: Path, report: Report) -> None:
    write_atomic(
        folder / f"{report['fleet']['name']}.json",
        (json.dumps(report, indent=2) + "\n").encode("utf-8"),
    )


def read_previous(folder: Path) -> dict[str, Report]:
    """The reports of an earlier run in `folder`, by environment name."""
    out: dict[str, Report] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(report, dict) and isinstance(report.get("fleet"), dict):
            out[str(report["fleet"].get("name"))] = report
    return out


def fleet_exit_code(reports: list[Report]) -> int:
    """Failed when an environment failed or the rollout halted, else still running while
    imports run, else ok (skipped environments do not fail the run)."""
    statuses = {r["status"] for r in reports}
    return exit_code(failed=bool(statuses & (FAILED | {"halted"})), running="running" in statuses)
