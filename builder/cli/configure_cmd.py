"""`voicepkg configure`: the guide's steps after install (1.4-1.5.6), planned and applied."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..configure.apply import Outcome, apply_plan
from ..configure.env_config import load_config
from ..configure.graph import GRAPH_ROOT, GraphClient
from ..configure.onboard import MAX_SECRET_DAYS, Wanted
from ..configure.onboard import onboard as run_onboard
from ..configure.plan import Plan, plan_configure
from ..configure.report import json_report, plan_lines, summary_lines
from ..configure.snapshot import read_snapshot
from ..deploy import clock as clocks
from ..deploy.auth import KINDS, TokenProvider, choose_auth
from ..deploy.secrets import mask, register
from ..deploy.transport import Transport
from ..errors import BuildError
from ..report.markdown import configure_markdown
from .deploy_cmd import auth_option, check_env_url, env_option, timeout_option
from .output import format_option, step_summary

GRAPH_SCOPE_ROOT = "https://graph.microsoft.com"  # the token's scope: <root>/.default


@click.command("configure")
@env_option
@click.option(
    "--config",
    "config_file",
    required=True,
    metavar="ENV.toml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="What to configure (see docs/configure.md).",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and stop: nothing is written.")
@format_option("text", "json", "markdown")
@auth_option
@timeout_option(600.0, "Seconds to wait for the environment (throttling).")
def configure(
    env_url: str,
    config_file: Path,
    dry_run: bool,
    fmt: str,
    auth: str,
    timeout: float,
) -> None:
    """Do the configuration guide's steps (1.4-1.5.6) an environment still lacks.

    json and markdown print one report on stdout (the plan goes to stderr then)."""
    url = check_env_url(env_url)
    as_json = fmt != "text"  # a machine format: stdout holds only the report
    try:
        outcome = _configure(url, config_file, dry_run, as_json, auth, timeout)
        code = outcome.exit_code
    except BuildError as error:
        if not as_json:
            raise
        outcome = Outcome(Plan(), errors=[mask(str(d)) for d in error.diagnostics])
        code = error.exit_code
    _exit(outcome, url, str(config_file), dry_run, fmt, code)


def _configure(
    url: str, config_file: Path, dry_run: bool, as_json: bool, auth: str, timeout: float
) -> Outcome:
    config = load_config(config_file)
    spec = choose_auth(dict(os.environ), auth)
    clock = clocks.default_clock()
    transport = Transport(
        url, TokenProvider(spec, url), clock, deadline=clock.monotonic() + timeout
    )
    try:
        snap = read_snapshot(transport, config)
        plan = plan_configure(config, snap)
        for line in plan_lines(plan):
            click.echo(mask(line), err=as_json)
        return apply_plan(transport, config, snap, plan, dry_run)
    finally:
        transport.close()


def _exit(outcome: Outcome, url: str, config: str, dry_run: bool, fmt: str, code: int) -> None:
    data = json_report(outcome, url, config, dry_run, code)
    step_summary(mask(configure_markdown(data)))
    if fmt == "json":
        click.echo(mask(json.dumps(data, indent=2)))
    elif fmt == "markdown":
        click.echo(mask(configure_markdown(data)), nl=False)
    else:
        for line in summary_lines(outcome, dry_run):
            click.echo(mask(line), err=line.startswith("error:"))
    if code:
        sys.exit(code)


@click.command("onboard")
@click.option(
    "--name",
    default="Voice for Dynamics 365",
    show_default=True,
    help="The app registration's display name (found, or registered).",
)
@click.option(
    "--certificate",
    "certificate",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Enreach's public certificate (PEM or DER) to upload.",
)
@click.option(
    "--federated-issuer",
    default="",
    help="Issuer of the federated credential Enreach gives (with --federated-subject).",
)
@click.option("--federated-subject", default="", help="Subject of the federated credential.")
@click.option(
    "--client-secret",
    is_flag=True,
    help="Add a client secret (only if the customer allows no certificate or federation).",
)
@click.option(
    "--secret-days",
    type=click.IntRange(1, MAX_SECRET_DAYS),
    default=180,
    show_default=True,
    help="Lifetime of a new client secret.",
)
@click.option("--rotate-secret", is_flag=True, help="Add a new secret even if one is valid.")
@click.option("--dry-run", is_flag=True, help="Say what would be done; write nothing.")
@format_option("text", "json")
@click.option(
    "--auth",
    type=click.Choice(KINDS),
    default="azure-cli",
    show_default=True,
    help="How the administrator signs in to Microsoft Graph (GRAPH_TOKEN wins).",
)
@click.option(
    "--graph-url",
    default=GRAPH_ROOT,
    hidden=True,
    help="Microsoft Graph's root (tests point it at a loopback fake).",
)
def onboard(
    name: str,
    certificate: Path | None,
    federated_issuer: str,
    federated_subject: str,
    client_secret: bool,
    secret_days: int,
    rotate_secret: bool,
    dry_run: bool,
    fmt: str,
    auth: str,
    graph_url: str,
) -> None:
    """Register the app for the Enreach back end in the customer's tenant (guide 1.2).

    --format json: one object, a new client secret in it."""
    wanted = _wanted(
        name,
        certificate,
        federated_issuer,
        federated_subject,
        client_secret,
        secret_days,
        rotate_secret,
    )
    client = GraphClient(_graph_root(graph_url), _graph_token(auth))
    try:
        done = run_onboard(client, wanted, dry_run)
    finally:
        client.close()
    register(done.secret)  # masked everywhere from now on; printed once below, on purpose
    if fmt == "json":
        data = {
            "tenant_id": done.tenant_id,
            "application_id": done.app_id,
            "object_id": done.object_id,
            "dry_run": dry_run,
            "actions": done.actions,
            "credential": dict(done.credential, **({"secret": done.secret} if done.secret else {})),
        }
        click.echo(json.dumps(data, indent=2))
        return
    for line in done.actions or ["nothing to change: the app registration is ready"]:
        click.echo(mask(line), err=True)
    click.echo(f"directory (tenant) id: {done.tenant_id}")
    click.echo(f"application (client) id: {done.app_id or '(registered on a real run)'}")
    for key, value in done.credential.items():
        click.echo(f"{key}: {mask(value)}")
    if done.secret:
        click.echo(f"client secret: {done.secret}")
        click.echo("the secret is shown this once: hand it to Enreach over a secure channel")


def _wanted(
    name: str,
    certificate: Path | None,
    issuer: str,
    subject: str,
    secret: bool,
    days: int,
    rotate: bool,
) -> Wanted:
    kinds = [
        k
        for k, given in (
            ("certificate", certificate is not None),
            ("federated", bool(issuer or subject)),
            ("secret", secret),
        )
        if given
    ]
    if len(kinds) != 1:
        raise click.UsageError(
            "give exactly one credential: --certificate, "
            "--federated-issuer with --federated-subject, or --client-secret"
        )
    if kinds == ["federated"] and not (issuer and subject):
        raise click.UsageError("--federated-issuer and --federated-subject go together")
    data = certificate.read_bytes() if certificate else b""
    return Wanted(name, kinds[0], data, issuer, subject, days, rotate)


def _graph_root(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (
        parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    ):
        raise click.BadParameter("Microsoft Graph is reached over https", param_hint="--graph-url")
    return url


def _graph_token(auth: str) -> Callable[[], str]:
    token = os.environ.get("GRAPH_TOKEN", "")
    if token:
        register(token)
        return lambda: token
    environ = {k: v for k, v in os.environ.items() if k != "DATAVERSE_TOKEN"}
    return TokenProvider(choose_auth(environ, auth), GRAPH_SCOPE_ROOT)
