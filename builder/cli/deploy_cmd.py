"""`voicepkg deploy` and `voicepkg settings template`: thin click commands over builder.deploy."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from ..archive.writer import write_atomic
from ..deploy import clock as clocks
from ..deploy.apply import Deployment, Outcome, new_runner
from ..deploy.apply import deploy as run_deploy
from ..deploy.auth import KINDS, AuthSpec, TokenProvider, choose_auth
from ..deploy.console import ConsoleUi
from ..deploy.pac_cli import find_pac, subprocess_runner
from ..deploy.package_contents import Package, package_from_build, read_package_contents
from ..deploy.plan import MODES, SCENARIOS, Options
from ..deploy.report import RunInfo, json_report, summary_lines
from ..deploy.secrets import mask
from ..deploy.settings import DeploymentSettings, load_deployment_settings, settings_template
from ..deploy.transport import Transport
from ..errors import BuildError
from ..exits import INTERNAL, USAGE
from . import src_option
from .output import F, format_option, info, render_report, session, step_summary

LOOPBACK_NAMES = ("localhost",)


HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def check_env_url(url: str) -> str:
    """The environment URL as scheme://host[:port]; a usage error (exit 2) otherwise. The
    error never repeats a user part, query or fragment: they can carry secrets."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise _bad_url(url, "has a bad port or host") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise _bad_url(url, "is not an environment URL")
    if parts.username is not None or parts.password is not None:
        raise _bad_url(
            url,
            "carries a user name or password; credentials never go in the "
            "URL (use DATAVERSE_TOKEN or the AZURE_* variables)",
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise _bad_url(url, "has a path, query or fragment")
    host = parts.hostname.lower()
    if not _valid_host(host):
        raise _bad_url(url, "does not have a valid host name")
    if parts.scheme == "http" and not _loopback(host):
        raise _bad_url(
            url,
            "uses plain http://, which is accepted only for loopback hosts (tests); use https://",
        )
    shown_port = f":{port}" if port else ""
    return f"{parts.scheme}://{'[' + host + ']' if ':' in host else host}{shown_port}"


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    return len(host) <= 253 and all(HOST_LABEL.fullmatch(label) for label in labels)


def shown_url(url: str) -> str:
    """A URL safe to print: scheme and host only (no user part, path, query), at most 80
    characters of host."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return "<unparsable URL>"
    host = host if len(host) <= 80 else f"{host[:80]}... ({len(host)} characters)"
    return f"{parts.scheme}://{host}" if parts.scheme and host else "<not a URL>"


def _bad_url(url: str, why: str) -> BuildError:
    return BuildError.at(
        "DEP010",
        f"{shown_url(url)} {why}",
        file="--env",
        hint="pass only https://<org>.crm.dynamics.com",
        exit_code=2,
    )


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
    path = package or default_package()
    from ..archive.sums import check_against_sums  # a package changed since its build: refuse it

    check_against_sums(path)
    return read_package_contents(path)


def settings_path(given: Path | None) -> Path | None:
    """--settings as given when it exists, else NAME or NAME.json in the settings folder
    (`settings` of the project configuration, default deploy/); a usage error otherwise."""
    if given is None or given.exists():
        return given
    from .output import session

    folder = session().config.settings or Path("deploy")
    for candidate in (folder / given, folder / f"{given}.json"):
        if len(given.parts) == 1 and candidate.is_file():
            return candidate
    raise click.BadParameter(
        f"'{given}' does not exist (nor {folder / given.name}.json)", param_hint="'--settings'"
    )


def default_package() -> Path:
    found = sorted(Path("dist").glob("VoiceForD365Package_*.zip"))
    if len(found) == 1:
        return found[0]
    listed = ", ".join(str(p) for p in found) or "none in dist/"
    raise click.UsageError(f"which package? pass --package or --from-source ({listed})")


# Options deploy, doctor and configure share, said once.
auth_option = click.option(
    "--auth",
    type=click.Choice(KINDS),
    default="auto",
    show_default=True,
    help="Credential kind; auto picks from the environment variables.",
)
env_option = click.option(
    "--env",
    "env_url",
    required=True,
    metavar="URL",
    help="Environment URL, e.g. https://contoso.crm4.dynamics.com",
)
scenario_option = click.option(
    "--scenario",
    type=click.Choice(("auto", *SCENARIOS)),
    default="auto",
    show_default=True,
    help="Which channel integration (auto: what the environment has).",
)


def timeout_option(default: float, help: str) -> Callable[[F], F]:
    """--timeout in seconds (at least 1); each command says what it bounds."""
    return click.option(
        "--timeout", type=click.FloatRange(min=1), default=default, show_default=True, help=help
    )


def package_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(
        [
            click.option(
                "--package",
                type=click.Path(path_type=Path),
                default=None,
                help="Package zip or folder (default: the one in dist/).",
            ),
            click.option("--from-source", is_flag=True, help="Build the package from --src first."),
            src_option("Sources for --from-source."),
        ]
    ):
        command = option(command)
    return command


@click.command("deploy")
@env_option
@package_options
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=lambda ctx, param, value: settings_path(value),
    help="Deployment settings JSON (pac create-settings form): a path, or a name "
    "in the settings folder (deploy/ or [tool.voicepkg] settings).",
)
@scenario_option
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="auto",
    show_default=True,
    help="How to bring a newer version (auto: decided from the package).",
)
@click.option(
    "--via",
    type=click.Choice(("webapi", "pac")),
    default="webapi",
    show_default=True,
    help="Import through the Web API or the pac CLI.",
)
@auth_option
@click.option("--pac", "pac_path", default="", help="The pac executable (default: on PATH).")
@click.option(
    "--allow-data-loss",
    is_flag=True,
    help="Let an upgrade delete tables and columns the package no longer has, with "
    "their data (otherwise such a plan is refused, exit 3).",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and stop.")
@format_option("text", "json", "markdown", "junit")
@timeout_option(3600.0, "Seconds to wait for the environment before exiting 4 (still running).")
def deploy(
    env_url: str,
    package: Path | None,
    from_source: bool,
    src: Path,
    settings_file: Path | None,
    scenario: str,
    mode: str,
    via: str,
    auth: str,
    pac_path: str,
    allow_data_loss: bool,
    dry_run: bool,
    fmt: str,
    timeout: float,
) -> None:
    """Install, update or upgrade Voice for Dynamics 365 in an environment."""
    as_json = fmt != "text"  # every machine format renders the JSON report
    clock = clocks.default_clock()
    started = clock.wall()
    outcome, url, loaded = Outcome(), shown_url(env_url), None
    with reported(outcome, as_json):
        url = check_env_url(env_url)
        loaded = load_package(package, from_source, src)
        options = Options(scenario, mode, allow_data_loss)
        outcome = _deploy(
            url,
            loaded,
            settings_file,
            options,
            via,
            auth,
            pac_path,
            dry_run,
            as_json,
            timeout,
            clock,
        )
    run = RunInfo("deploy", url, started, clock.wall(), loaded, dry_run)
    _print(outcome, run, fmt)
    if outcome.exit_code:  # SystemExit passes through click and main() as the exit status
        sys.exit(outcome.exit_code)


@contextmanager
def reported(outcome: Outcome, as_json: bool) -> Iterator[None]:
    """With --json, any failure lands in `outcome` (so one JSON object is still printed);
    without it, failures go on to the CLI's handler as usual."""
    try:
        yield
    except BuildError as error:
        if not as_json:
            raise
        outcome.fail(error)
    except click.UsageError as error:
        if not as_json:
            raise
        outcome.fail(BuildError.at("DEP011", error.message, file="deploy", exit_code=USAGE))
    except Exception as error:  # a bug: still one JSON object, and exit 70
        if not as_json:
            raise
        outcome.fail(
            BuildError.at(
                "DEP999",
                f"internal error: {type(error).__name__}: {error}",
                file="deploy",
                hint="please report it",
                exit_code=INTERNAL,
            )
        )


def _deploy(
    url: str,
    package: Package,
    settings_file: Path | None,
    options: Options,
    via: str,
    auth: str,
    pac_path: str,
    dry_run: bool,
    as_json: bool,
    timeout: float,
    clock: clocks.Clock,
) -> Outcome:
    environ = dict(os.environ)
    deployment = (
        load_deployment_settings(settings_file, environ) if settings_file else DeploymentSettings()
    )
    spec = choose_auth(environ, auth)
    job = Deployment(package, options, deployment, via, dry_run, environ=environ)
    if via == "pac" and not dry_run:
        job.auth = _pac_auth(spec, environ)
        job.pac_runner = subprocess_runner(find_pac(pac_path))
    deadline = clock.monotonic() + timeout
    transport = Transport(url, TokenProvider(spec, url), clock, deadline=deadline, who=spec.who())
    ui = ConsoleUi(as_json, quiet=session().verbosity < 0)
    try:
        return run_deploy(
            job, new_runner(transport, clock, deadline, clocks.poll_interval(), ui), ui
        )
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
        raise BuildError.at(
            "DEP051",
            "--via pac needs a service principal; DATAVERSE_TOKEN is a bearer token pac cannot use",
            file="deploy",
            hint="set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET "
            "(or a certificate), or deploy with --via webapi",
            exit_code=2,
        ) from None


def _print(outcome: Outcome, run: RunInfo, fmt: str) -> None:
    report = json_report(outcome, run)
    step_summary(mask(render_report(report, "markdown")))
    if fmt != "text":
        click.echo(mask(render_report(report, fmt)), nl=False)
        return
    for line in summary_lines(outcome):
        click.echo(mask(line), err=line.startswith("error:"))


@click.group("settings")
def settings() -> None:
    """Deployment settings files (per-environment values)."""


@settings.command("template")
@package_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here (default: stdout).",
)
@click.option(
    "--placeholders",
    is_flag=True,
    help="Values as ${NAME} placeholders (enreach_EnreachApiBaseUrl: "
    "${ENREACH_API_BASE_URL}), filled from the environment at deploy time.",
)
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@click.option(
    "--merge",
    is_flag=True,
    help="Add the package's new variables to an existing --out file, keeping its values.",
)
@format_option("text", "json")
def template(
    package: Path | None,
    from_source: bool,
    src: Path,
    out: Path | None,
    placeholders: bool,
    force: bool,
    merge: bool,
    fmt: str,
) -> None:
    """Write the deployment settings skeleton for a package.

    --format json: one object saying what was done (out, action, the names added) with the
    settings in it; without --out, text prints the settings file itself.
    """
    from ..fsio import check_output_file

    if out is not None:
        check_output_file(out)  # a device, FIFO or link is refused before anything else
    data = settings_template(load_package(package, from_source, src), placeholders)
    action = "written" if out is not None else "printed"
    added: list[str] = []
    if out is not None and out.exists() and not force:
        if not merge:
            _refuse_overwrite(out)
        data, added = _merged(out, data)
        action = "merged"
        info(f"added {', '.join(added)}" if added else "nothing new to add")
    text = json.dumps(data, indent=2) + "\n"
    if out is not None:
        write_atomic(out, text.encode("utf-8"))
        info(f"wrote {out}")
    if fmt == "json":
        report = {"ok": True, "exit_code": 0, "out": str(out) if out else None, "action": action}
        click.echo(json.dumps(report | {"added": added, "settings": data}, indent=2))
    elif out is None:
        click.echo(text, nl=False)


def _refuse_overwrite(out: Path) -> None:
    raise BuildError.at(
        "DEP023",
        "exists: a filled-in settings file is not overwritten",
        file=str(out),
        exit_code=2,
        hint="--merge adds the package's new variables and keeps the values; "
        "--force replaces the file",
    )


def _merged(out: Path, data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    from ..deploy.settings import merge_template
    from ..fsio import current_limits, read_regular

    raw = read_regular(out, current_limits().json_bytes, str(out), "the settings file")
    try:
        existing = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise BuildError.at(
            "DEP020",
            f"cannot merge into it: not a JSON settings file ({error})",
            file=str(out),
            hint="fix it, or replace it with --force",
        ) from None
    if not isinstance(existing, dict):
        raise BuildError.at("DEP020", "cannot merge into it: not a JSON object", file=str(out))
    return merge_template(existing, data)
