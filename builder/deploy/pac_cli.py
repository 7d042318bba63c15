"""The `pac` backend: argv built by pure functions, run by an injected runner.

Flags are the documented ones (research/deploy.md §1.1–1.3). The client secret goes to
`pac auth create` as `data:text/plain;base64,<b64>` (the form Microsoft's own wrapper uses; pac
documents no way to read it from a file or variable for `auth create`) and, as that wrapper
does, in `PAC_CLI_SPN_SECRET`, which pac reads to refresh tokens during long imports. Every
echo of a command masks it. pac runs with an isolated HOME (its auth profiles live there) that
is removed afterwards, after `pac auth clear`. Its exit code is never trusted alone: the
caller checks the installed version through the Web API.
"""

from __future__ import annotations

import base64
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import BuildError, diagnostic
from .auth import AuthSpec
from .secrets import mask, mask_argv, register

PROFILE_NAME = "voicepkg"
CLOUDS = (
    (".crm.microsoftdynamics.us", "UsGovHigh"),
    (".crm.appsplatform.us", "UsGovDod"),
    (".crm9.dynamics.com", "UsGov"),
    (".crm.dynamics.cn", "China"),
)


@dataclass(frozen=True)
class PacResult:
    code: int
    output: str  # stdout and stderr, as pac wrote them


PacRunner = Callable[[list[str], Mapping[str, str], float | None], PacResult]


class PacError(BuildError):
    def __init__(self, argv: list[str], result: PacResult, what: str) -> None:
        self.result = result
        tail = "\n".join(result.output.strip().splitlines()[-8:])
        super().__init__(
            diagnostic(
                "DEP050",
                mask(
                    f"{what}: pac exited {result.code}: {' '.join(mask_argv(argv))}"
                    + (f"\n{tail}" if tail else "")
                ),
                file="deploy",
                hint="see pac's output above; the Web API is checked before deciding",
            )
        )


def cloud_for(env_url: str) -> str:
    host = (urlsplit(env_url).hostname or "").lower()
    return next((cloud for suffix, cloud in CLOUDS if host.endswith(suffix)), "Public")


def data_secret(secret: str) -> str:
    """A secret as pac's `data:text/plain;base64,` argument (also safe for a leading '-')."""
    encoded = "data:text/plain;base64," + base64.b64encode(secret.encode("utf-8")).decode()
    register(encoded)
    return encoded


def auth_create_args(
    spec: AuthSpec,
    env_url: str,
    environ: Mapping[str, str],
) -> tuple[list[str], dict[str, str]]:
    """(argv, extra child environment) of `pac auth create` for a service principal."""
    argv = [
        "auth",
        "create",
        "--name",
        PROFILE_NAME,
        "--environment",
        env_url,
        "--cloud",
        cloud_for(env_url),
    ]
    ident = ["--applicationId", spec.client_id, "--tenant", spec.tenant_id]
    if spec.kind == "secret":
        return argv + ident + ["--clientSecret", data_secret(spec.secret)], {
            "PAC_CLI_SPN_SECRET": spec.secret
        }
    if spec.kind == "certificate":
        extra = (
            ["--certificatePassword", data_secret(spec.certificate_password)]
            if (spec.certificate_password)
            else []
        )
        return argv + ident + ["--certificateDiskPath", spec.certificate_path] + extra, {}
    if spec.kind == "github":
        return argv + ["--githubFederated"] + ident, {}
    if spec.kind == "azure-devops":
        return argv + ["--azureDevOpsFederated"] + ident, _ado_env(spec, environ)
    raise BuildError.at(
        "DEP051",
        f"--via pac cannot use --auth {spec.kind}",
        file="deploy",
        hint="pac needs a service principal: a client secret, a certificate, "
        "or GitHub / Azure DevOps federation; or deploy with --via webapi",
        exit_code=2,
    )


def _ado_env(spec: AuthSpec, environ: Mapping[str, str]) -> dict[str, str]:
    url = environ.get("PAC_ADO_ID_TOKEN_REQUEST_URL", "")
    if not url and environ.get("SYSTEM_OIDCREQUESTURI"):
        url = (
            f"{environ['SYSTEM_OIDCREQUESTURI']}?api-version=7.1&serviceConnectionId="
            f"{spec.service_connection_id}"
        )
    return {
        "PAC_ADO_ID_TOKEN_REQUEST_URL": url,
        "PAC_ADO_ID_TOKEN_REQUEST_TOKEN": spec.request_token,
    }


def wait_minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def import_args(
    zip_path: str,
    env_url: str,
    seconds_left: float,
    *,
    upgrade: bool,
    settings_file: str = "",
    publish: bool = False,
) -> list[str]:
    argv = [
        "solution",
        "import",
        "--path",
        zip_path,
        "--environment",
        env_url,
        "--async",
        "--max-async-wait-time",
        str(wait_minutes(seconds_left)),
        "--activate-plugins",
    ]
    if upgrade:
        argv.append("--stage-and-upgrade")
    if settings_file:
        argv += ["--settings-file", settings_file]
    if publish:
        argv.append("--publish-changes")
    return argv


def upgrade_args(unique_name: str, env_url: str, seconds_left: float) -> list[str]:
    return [
        "solution",
        "upgrade",
        "--solution-name",
        unique_name,
        "--async",
        "--max-async-wait-time",
        str(wait_minutes(seconds_left)),
        "--environment",
        env_url,
    ]


def subprocess_runner(executable: str) -> PacRunner:
    def run(argv: list[str], env: Mapping[str, str], timeout: float | None) -> PacResult:
        try:
            done = subprocess.run(
                [executable, *argv],
                env=dict(env),
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or "") if isinstance(exc.stdout, str) else ""
            return PacResult(124, out + "\n(voicepkg stopped waiting for pac)")
        except OSError as exc:
            return PacResult(127, f"cannot run {executable}: {exc.strerror}")
        return PacResult(done.returncode, (done.stdout or "") + (done.stderr or ""))

    return run


def find_pac(explicit: str = "") -> str:
    found = shutil.which(explicit or "pac")
    if not found:
        raise BuildError.at(
            "DEP052",
            f"pac not found ({explicit or 'not on PATH'})",
            file="deploy",
            hint="install it (dotnet tool install --global "
            "Microsoft.PowerApps.CLI.Tool) or deploy with --via webapi",
            exit_code=2,
        )
    return found


@dataclass
class PacSession:
    runner: PacRunner
    env: dict[str, str]
    echo: Callable[[str], None]

    def run(self, argv: list[str], timeout: float | None = None) -> PacResult:
        self.echo("pac " + " ".join(mask_argv(argv)))
        return self.runner(argv, self.env, timeout)


@contextmanager
def pac_session(
    runner: PacRunner,
    spec: AuthSpec,
    env_url: str,
    environ: Mapping[str, str],
    echo: Callable[[str], None],
) -> Iterator[PacSession]:
    """pac with its own HOME: `auth create` first, `auth clear` always, HOME removed."""
    argv, extra = auth_create_args(spec, env_url, environ)
    with tempfile.TemporaryDirectory(prefix="voicepkg-pac-") as home:
        env = (
            dict(environ)
            | extra
            | {
                "HOME": home,
                "USERPROFILE": home,
                "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
                "LOCALAPPDATA": home,
                "APPDATA": home,
                "PP_TOOLS_AUTOMATION_AGENT": "voicepkg",
            }
        )
        session = PacSession(runner, env, echo)
        result = session.run(argv, 300)
        if result.code != 0:
            raise PacError(argv, result, "pac auth create")
        try:
            yield session
        finally:
            session.run(["auth", "clear"], 120)
