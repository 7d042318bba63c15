"""`voicepkg doctor`: a read-only health report of an installed environment."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from ..deploy import clock as clocks
from ..deploy.auth import KINDS, TokenProvider, choose_auth
from ..deploy.doctor import Report, diagnose
from ..deploy.plan import SCENARIOS
from ..deploy.secrets import mask
from ..deploy.transport import Transport
from .deploy_cmd import check_env_url, load_package, package_options

NAMES_SHOWN = 10  # users named in the human output; --json lists them all


@click.command("doctor")
@click.option("--env", "env_url", required=True, metavar="URL",
              help="Environment URL, e.g. https://contoso.crm4.dynamics.com")
@package_options
@click.option("--scenario", type=click.Choice(("auto", *SCENARIOS)), default="auto",
              show_default=True)
@click.option("--auth", type=click.Choice(KINDS), default="auto", show_default=True,
              help="Credential kind; auto picks from the environment variables.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.option("--timeout", type=click.FloatRange(min=1), default=600.0, show_default=True,
              help="Seconds to wait for the environment (throttling).")
def doctor(env_url: str, package: Path | None, from_source: bool, src: Path, scenario: str,
           auth: str, as_json: bool, timeout: float) -> None:
    """Check an installed environment the way the guide's administrator would (read only)."""
    url = check_env_url(env_url)
    reference = load_package(package, from_source, src)
    spec = choose_auth(dict(os.environ), auth)
    clock = clocks.default_clock()
    transport = Transport(url, TokenProvider(spec, url), clock,
                          deadline=clock.monotonic() + timeout)
    try:
        report = diagnose(transport, reference, scenario, url)
    finally:
        transport.close()
    if as_json:
        click.echo(mask(json.dumps(as_dict(report), indent=2)))
    else:
        for line in human_lines(report):
            click.echo(mask(line))
    if not report.healthy:
        sys.exit(1)


def as_dict(report: Report) -> dict[str, Any]:
    return {"environment": report.environment, "scenario": report.scenario,
            "solutions": list(report.solutions),
            "checks": [{"name": f.name, "ok": f.ok, "message": f.detail(),
                        "instruction": f.instruction} for f in report.findings]}


def human_lines(report: Report) -> list[str]:
    lines = [f"{report.environment} (scenario {report.scenario})"]
    for f in report.findings:
        lines.append(f"{'ok' if f.ok else 'warning'}: {f.name}: {f.detail(NAMES_SHOWN)}")
        if not f.ok and f.instruction:
            lines.append(f"  {f.instruction}")
    failed = sum(not f.ok for f in report.findings)
    lines.append(f"{failed} of {len(report.findings)} checks need attention" if failed
                 else f"all {len(report.findings)} checks pass")
    return lines
