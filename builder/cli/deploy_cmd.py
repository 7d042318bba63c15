"""`voicepkg deploy` and `voicepkg settings template`: thin click commands over builder.deploy."""

from __future__ import annotations

import ipaddress
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..deploy import clock as clocks
from ..deploy.apply import Deployment, Outcome, new_runner
from ..deploy.apply import deploy as run_deploy
from ..deploy.auth import KINDS, AuthSpec, TokenProvider, choose_auth
from ..deploy.console import ConsoleUi
from ..deploy.pac import find_pac, subprocess_runner
from ..deploy.package import Package, package_from_build, read_package
from ..deploy.plan import MODES, SCENARIOS, Options
from ..deploy.report import json_report, summary_lines
from ..deploy.secrets import mask
from ..deploy.settings import DeploymentSettings, load_deployment_settings, settings_template
from ..deploy.transport import Transport
from ..errors import BuildError
from ..package import write_atomic
from . import src_option

LOOPBACK_NAMES = ("localhost",)


def check_env_url(url: str) -> str:
    """The environment URL as scheme://host[:port]; a clear usage error otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise click.BadParameter(f"{url!r} is not an environment URL; expected "
                                 "https://<org>.crm.dynamics.com", param_hint="--env")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise click.BadParameter(f"{url!r} has a path, query or user part; pass only "
                                 "https://<org>.crm.dynamics.com", param_hint="--env")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise click.BadParameter(f"plain http:// is accepted only for loopback hosts (tests); "
                                 f"use https://{parts.netloc}", param_hint="--env")
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        raise click.BadParameter(f"{url!r} has a bad port", param_hint="--env") from None
    host = parts.hostname.lower()
    return f"{parts.scheme}://{'[' + host + ']' if ':' in host else host}{port}"


def _loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_package(package: Path | None, from_source: bool, src: Path) -> Package:
    if package and from_source:
        raise click.UsageError("pass either --package or --from-source, not both")
    if from_source:
        from ..build import build_package  # only a --from-source run needs the build

        return package_from_build(build_package(src), f"built from {src}")
    return read_package(package or default_package())


def default_package() -> Path:
    found = sorted(Path("dist").glob("VoiceForD365Package_*.zip"))
    if len(found) == 1:
        return found[0]
    listed = ", ".join(str(p) for p in found) or "none in dist/"
    raise click.UsageError(f"which package? pass --package or --from-source ({listed})")


def package_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed([
        click.option("--package", type=click.Path(path_type=Path), default=None,
                     help="Package zip or folder (default: the one in dist/)."),
        click.option("--from-source", is_flag=True, help="Build the package from --src first."),
        src_option("Sources for --from-source."),
    ]):
        command = option(command)
    return command


@click.command("deploy")
@click.option("--env", "env_url", required=True, metavar="URL",
              help="Environment URL, e.g. https://contoso.crm4.dynamics.com")
@package_options
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Deployment settings JSON (pac create-settings form).")
@click.option("--scenario", type=click.Choice(("auto", *SCENARIOS)), default="auto",
              show_default=True)
@click.option("--mode", type=click.Choice(MODES), default="auto", show_default=True)
@click.option("--via", type=click.Choice(("webapi", "pac")), default="webapi", show_default=True)
@click.option("--auth", type=click.Choice(KINDS), default="auto", show_default=True,
              help="Credential kind; auto picks from the environment variables.")
@click.option("--pac", "pac_path", default="", help="The pac executable (default: on PATH).")
@click.option("--dry-run", is_flag=True, help="Print the plan and stop.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.option("--timeout", type=click.FloatRange(min=1), default=3600.0, show_default=True,
              help="Seconds to wait for the environment before exiting 4 (still running).")
def deploy(env_url: str, package: Path | None, from_source: bool, src: Path,
           settings_file: Path | None, scenario: str, mode: str, via: str, auth: str,
           pac_path: str, dry_run: bool, as_json: bool, timeout: float) -> None:
    """Install, update or upgrade Voice for Dynamics 365 in an environment."""
    url = check_env_url(env_url)
    try:
        outcome = _deploy(url, load_package(package, from_source, src), settings_file,
                          Options(scenario, mode), via, auth, pac_path, dry_run, as_json, timeout)
    except BuildError as error:
        if not as_json:
            raise
        outcome = Outcome(errors=[mask(str(d)) for d in error.diagnostics],
                          exit_code=error.exit_code)
    _print(outcome, url, dry_run, as_json)
    if outcome.exit_code:  # SystemExit passes through click and main() as the exit status
        sys.exit(outcome.exit_code)


def _deploy(url: str, package: Package, settings_file: Path | None, options: Options, via: str,
            auth: str, pac_path: str, dry_run: bool, as_json: bool, timeout: float) -> Outcome:
    environ = dict(os.environ)
    deployment = (load_deployment_settings(settings_file, environ) if settings_file
                  else DeploymentSettings())
    spec = choose_auth(environ, auth)
    job = Deployment(package, options, deployment, via, dry_run, environ=environ)
    if via == "pac" and not dry_run:
        job.auth = _pac_auth(spec, environ)
        job.pac_runner = subprocess_runner(find_pac(pac_path))
    clock = clocks.default_clock()
    deadline = clock.monotonic() + timeout
    transport = Transport(url, TokenProvider(spec, url), clock, deadline=deadline)
    ui = ConsoleUi(as_json)
    try:
        return run_deploy(job, new_runner(transport, clock, deadline, clocks.poll_interval(),
                                          ui), ui)
    finally:
        ui.close()
        transport.close()


def _pac_auth(spec: AuthSpec, environ: dict[str, str]) -> AuthSpec:
    """pac cannot take a bearer token: with DATAVERSE_TOKEN, pac uses the service principal."""
    if spec.kind != "token":
        return spec
    try:
        return choose_auth({k: v for k, v in environ.items() if k != "DATAVERSE_TOKEN"})
    except BuildError:
        raise BuildError.at("DEP051", "--via pac needs a service principal; DATAVERSE_TOKEN "
                            "is a bearer token pac cannot use", file="deploy",
                            hint="set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET "
                            "(or a certificate), or deploy with --via webapi",
                            exit_code=2) from None


def _print(outcome: Outcome, url: str, dry_run: bool, as_json: bool) -> None:
    if as_json:
        click.echo(mask(json.dumps(json_report(outcome, url, dry_run), indent=2)))
        return
    for line in summary_lines(outcome):
        click.echo(mask(line), err=line.startswith("error:"))


@click.group("settings")
def settings() -> None:
    """Deployment settings files (per-environment values)."""


@settings.command("template")
@package_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (default: stdout).")
@click.option("--placeholders", is_flag=True,
              help="Values as ${SCHEMANAME} placeholders, filled from the environment.")
def template(package: Path | None, from_source: bool, src: Path, out: Path | None,
             placeholders: bool) -> None:
    """Write the deployment settings skeleton for a package."""
    data = settings_template(load_package(package, from_source, src), placeholders)
    text = json.dumps(data, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text.encode("utf-8"))
        click.echo(f"wrote {out}", err=True)
