"""pytest fixtures for deploy tests: the fake Dataverse, a virtual clock, the CLI runner.

Import with `from fakes.fixtures import *` in a test module (tests/ is on sys.path).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import builder.deploy.clock as clocks
from builder.cli import main

from .dataverse import FakeDataverse
from .packages import Spec, write_package

TOKEN = "test-token-0123456789"
CREDENTIAL_VARIABLES = (
    "DATAVERSE_TOKEN",
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "ACTIONS_ID_TOKEN_REQUEST_URL",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "SYSTEM_ACCESSTOKEN",
    "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
    "AZURESUBSCRIPTION_CLIENT_ID",
    "AZURESUBSCRIPTION_TENANT_ID",
)


@dataclass
class FakeClock:
    """Virtual time: sleeping advances it at once and is recorded."""

    now: float = 1000.0
    epoch: float = 1_700_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.epoch + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)

    def jitter(self) -> float:
        return 1.0


@pytest.fixture
def fake() -> Iterator[FakeDataverse]:
    server = FakeDataverse(TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    virtual = FakeClock()
    monkeypatch.setattr(clocks, "default_clock", lambda: virtual)
    monkeypatch.setenv("VOICEPKG_POLL_INTERVAL", "5")
    return virtual


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_package(tmp_path)


def settings_file(
    folder: Path,
    values: dict[str, str],
    name: str = "prod.json",
    connections: list[dict[str, str]] | None = None,
) -> Path:
    path = folder / name
    path.write_text(
        json.dumps(
            {
                "EnvironmentVariables": [{"SchemaName": k, "Value": v} for k, v in values.items()],
                "ConnectionReferences": connections or [],
            }
        )
    )
    return path


def deploy(
    fake: FakeDataverse,
    package: Path,
    *args: str,
    env: dict[str, str] | None = None,
    settings: Path | None = None,
) -> Result:
    """Run `voicepkg deploy` through click, against the fake, with a bearer token."""
    argv = ["deploy", "--env", fake.url, "--package", str(package)]
    if settings is None:
        settings = settings_file(
            package.parent,
            {"enreach_EnreachApiBaseUrl": "https://api.example.invalid"},
            "default.json",
        )
    argv += ["--settings", str(settings), *args]
    return invoke(argv, env)


@dataclass
class Result:
    """What the CLI printed and returned (through builder.cli.main, as the console script)."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(argv: list[str], env: Mapping[str, str | None] | None = None) -> Result:
    """`voicepkg ARGV` in-process with the fake's token; `env` adds variables (None: unset)."""
    variables: dict[str, str | None] = {name: None for name in CREDENTIAL_VARIABLES}
    variables["DATAVERSE_TOKEN"] = TOKEN
    variables.update(env or {})
    with CliRunner().isolation(env=variables) as (out, err, _):
        try:
            returned = main(argv)
            code = returned if isinstance(returned, int) else 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        return Result(code, out.getvalue().decode(), err.getvalue().decode())


def report(result: Result) -> dict[str, Any]:
    return dict(json.loads(result.stdout))


def errors(data: dict[str, Any]) -> list[str]:
    """The report's error diagnostics as "CODE: message (hint)" lines."""
    return [_line(d) for d in data["diagnostics"] if d["severity"] == "error"]


def warnings(data: dict[str, Any]) -> list[str]:
    return [_line(d) for d in data["diagnostics"] if d["severity"] == "warning"]


def _line(item: dict[str, Any]) -> str:
    return f"{item['code']}: {item['message']}" + (f" ({item['hint']})" if item["hint"] else "")


def actions(result: Result) -> dict[str, str]:
    return {s["uniquename"]: s["action"] for s in report(result)["solutions"]}


def cif1(fake: FakeDataverse) -> None:
    fake.add_tables("msdyn_ciprovider")


def cif2(fake: FakeDataverse) -> None:
    fake.add_tables("msdyn_channelprovider")


def installed(fake: FakeDataverse, spec: Spec, tmp: Path) -> None:
    """Put the package of `spec` into the fake as if deployed earlier."""
    from .packages import base_zip, multisession_zip

    fake.install(base_zip(spec))
    if spec.multisession and "msdyn_channelprovider" in fake.tables:
        fake.install(multisession_zip(spec))


ASSIGNEE = {"DefaultCrmAssignee": "fbc423f5-74f9-e911-80e0-000d3a2bd2f6"}


def add_user(fake: FakeDataverse, name: str, roles: list[str], enreach_id: str = "") -> None:
    fake.users.append(
        {
            "systemuserid": str(uuid.uuid4()),
            "fullname": name,
            "applicationid": None,
            "isdisabled": False,
            "enreach_enreachuserid": enreach_id or None,
            "systemuserroles_association": [{"name": r} for r in roles],
        }
    )


def healthy(fake: FakeDataverse, tmp_path: Path) -> Path:
    """A CIF 2.0 environment where the guide's steps 1.4–1.5 were all done; its package."""
    cif2(fake)
    package = write_package(tmp_path, Spec(settings=dict(ASSIGNEE)))
    assert deploy(fake, package).exit_code == 0
    fake.add_app_user("Voice back end", ["Voice ApiUser"])
    fake.add_profile("enreach_voicechannelprovider", "Voice agents")
    add_user(fake, "Agent Smith", ["Voice User"], "12345")
    return package


def doctor(fake: FakeDataverse, package: Path, *args: str) -> Result:
    return invoke(["doctor", "--env", fake.url, "--package", str(package), *args])


__all__ = [
    "FakeClock",
    "TOKEN",
    "actions",
    "cif1",
    "cif2",
    "clock",
    "deploy",
    "errors",
    "fake",
    "installed",
    "invoke",
    "package",
    "report",
    "settings_file",
    "warnings",
]
