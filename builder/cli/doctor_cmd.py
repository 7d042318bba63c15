"""`voicepkg doctor`: a read-only health report of an installed environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..configure.checks import config_findings
from ..configure.env_config import load_config
from ..deploy import clock as clocks
from ..deploy.apply import Outcome
from ..deploy.auth import TokenProvider, choose_auth
from ..deploy.checks import Finding
from ..deploy.doctor import Report, diagnose
from ..deploy.package_contents import PackageSolution
from ..deploy.report import RunInfo, envelope, finding_json
from ..deploy.secrets import mask
from ..deploy.transport import Transport
from ..errors import Diagnostic, diagnostic
from ..exits import exit_code
from .deploy_cmd import (
    auth_option,
    check_env_url,
    env_option,
    load_package,
    package_options,
    reported,
    scenario_option,
    shown_url,
    timeout_option,
)
from .output import format_option, render_report, session, step_summary

NAMES_SHOWN = 10  # users named in the human output; -v and --json list them all


@click.command("doctor")
@env_option
@package_options
@scenario_option
@auth_option
@format_option("text", "json", "markdown", "junit")
@timeout_option(600.0, "Seconds to wait for the environment (throttling).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also check the steps of a voicepkg configure file (docs/configure.md).",
)
def doctor(
    env_url: str,
    package: Path | None,
    from_source: bool,
    src: Path,
    scenario: str,
    auth: str,
    fmt: str,
    timeout: float,
    config_file: Path | None,
) -> None:
    """Check an installed environment the way the guide's administrator would (read only)."""
    as_json = fmt != "text"  # every machine format renders the JSON report
    clock = clocks.default_clock()
    started = clock.wall()
    failure, url, reference, report = Outcome(), shown_url(env_url), None, None
    with reported(failure, as_json):
        url = check_env_url(env_url)
        reference = load_package(package, from_source, src)
        config = load_config(config_file) if config_file else None
        spec = choose_auth(dict(os.environ), auth)
        transport = Transport(
            url,
            TokenProvider(spec, url),
            clock,
            deadline=clock.monotonic() + timeout,
            who=spec.who(),
        )
        try:
            report = diagnose(transport, reference, scenario, url)
            if config is not None:  # configure's steps (builder/configure/checks.py)
                report = replace(
                    report, findings=report.findings + tuple(config_findings(transport, config))
                )
        finally:
            transport.close()
    code = failure.exit_code or exit_code(failed=report is not None and not report.healthy)
    run = RunInfo("doctor", url, started, clock.wall(), reference)
    data = as_dict(report, run, code, failure.diagnostics)
    step_summary(mask(render_report(data, "markdown")))
    if as_json:
        click.echo(mask(render_report(data, fmt)), nl=False)
    elif report is not None:
        for line in human_lines(report, None if session().verbosity > 0 else NAMES_SHOWN):
            click.echo(mask(line))
    if code:
        sys.exit(code)


def as_dict(
    report: Report | None, run: RunInfo, exit_code: int, failures: Sequence[Diagnostic] = ()
) -> dict[str, Any]:
    """The doctor report: deploy's JSON shape (envelope), with one entry per solution of the
    package and every check."""
    findings = report.findings if report else ()
    diagnostics = [*failures, *(failed_check(f) for f in findings if not f.ok)]
    out = envelope(run, exit_code, diagnostics)
    installed = {str(s["uniquename"]).lower(): s for s in (report.solutions if report else ())}
    out |= {
        "scenario": report.scenario if report else None,
        "solutions": [
            _solution(s, installed.get(s.unique_name.lower()))
            for s in (run.package.solutions if run.package and report else ())
        ],
        "checks": [finding_json(f) for f in findings],
    }
    return out


def _solution(solution: PackageSolution, installed: dict[str, Any] | None) -> dict[str, Any]:
    have = str(installed["version"]) if installed else None
    return {
        "uniquename": solution.unique_name,
        "from": have,
        "to": solution.version,
        "action": "check",
        "status": "installed" if have else "not installed",
        "reason": "" if have else "not installed",
        "managed": installed.get("managed") if installed else None,
        "import_job_key": None,
        "async_operation_id": None,
        "duration_seconds": None,
        "removed": [],
    }


def failed_check(finding: Finding, cap: int | None = None) -> Diagnostic:
    """A failing check as the report's diagnostic: an error, since it fails doctor (exit 1).
    The text output says the same severity and code (`cap`: users named there)."""
    return diagnostic(
        finding.code,
        f"{finding.name}: {finding.detail(cap)}",
        file="doctor",
        hint=finding.instruction,
    )


def human_lines(report: Report, cap: int | None = NAMES_SHOWN) -> list[str]:
    """The text report; `cap`: how many users a check names (-v: all)."""
    lines = [f"{report.environment} (scenario {report.scenario})"]
    for f in report.findings:
        if f.ok:
            lines.append(f"ok: {f.name}: {f.detail(cap)}")
            continue
        shown = failed_check(f, cap)
        lines.append(f"{shown.severity} {shown.code}: {shown.message}")
        if f.instruction:
            lines.append(f"  {f.instruction}")
    failed = sum(not f.ok for f in report.findings)
    lines.append(
        f"{failed} of {len(report.findings)} checks need attention"
        if failed
        else f"all {len(report.findings)} checks pass"
    )
    return lines
