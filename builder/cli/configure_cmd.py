"""`voicepkg configure`: the guide's steps after install (1.4-1.5.6), planned and applied."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..configure.apply import Outcome, apply_plan
from ..configure.config import load_config
from ..configure.plan import Plan, plan_configure
from ..configure.report import json_report, plan_lines, summary_lines
from ..configure.snapshot import read_snapshot
from ..deploy import clock as clocks
from ..deploy.auth import KINDS, TokenProvider, choose_auth
from ..deploy.secrets import mask
from ..deploy.transport import Transport
from ..errors import BuildError
from .deploy_cmd import check_env_url


@click.command("configure")
@click.option("--env", "env_url", required=True, metavar="URL",
              help="Environment URL, e.g. https://contoso.crm4.dynamics.com")
@click.option("--config", "config_file", required=True, metavar="ENV.toml",
              type=click.Path(dir_okay=False, path_type=Path),
              help="What to configure (see docs/configure.md).")
@click.option("--dry-run", is_flag=True, help="Print the plan and stop: nothing is written.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="Output format.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--auth", type=click.Choice(KINDS), default="auto", show_default=True,
              help="Credential kind; auto picks from the environment variables.")
@click.option("--timeout", type=click.FloatRange(min=1), default=600.0, show_default=True,
              help="Seconds to wait for the environment (throttling).")
def configure(env_url: str, config_file: Path, dry_run: bool, fmt: str, as_json: bool,
              auth: str, timeout: float) -> None:
    """Do the configuration guide's steps (1.4-1.5.6) an environment still lacks."""
    url = check_env_url(env_url)
    as_json = as_json or fmt == "json"
    config = load_config(config_file)
    spec = choose_auth(dict(os.environ), auth)
    clock = clocks.default_clock()
    transport = Transport(url, TokenProvider(spec, url), clock,
                          deadline=clock.monotonic() + timeout)
    try:
        snap = read_snapshot(transport, config)
        plan = plan_configure(config, snap)
        for line in plan_lines(plan):
            click.echo(mask(line), err=as_json)
        outcome = apply_plan(transport, config, snap, plan, dry_run)
    except BuildError as error:
        if not as_json:
            raise
        outcome = Outcome(Plan(), errors=[mask(str(d)) for d in error.diagnostics])
        outcome.plan.problems = []
        _exit(outcome, url, str(config_file), dry_run, True, error.exit_code)
        return
    finally:
        transport.close()
    _exit(outcome, url, str(config_file), dry_run, as_json, outcome.exit_code)


def _exit(outcome: Outcome, url: str, config: str, dry_run: bool, as_json: bool,
          code: int) -> None:
    if as_json:
        data = json_report(outcome, url, config, dry_run)
        data["exit_code"] = code
        click.echo(mask(json.dumps(data, indent=2)))
    else:
        for line in summary_lines(outcome, dry_run):
            click.echo(mask(line), err=line.startswith("error:"))
    if code:
        sys.exit(code)
