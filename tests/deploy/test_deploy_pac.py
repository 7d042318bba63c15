"""The pac backend: argv built by pure functions (tested by list equality), run against a fake
`pac` that rejects flags pac does not have, and checked through the Web API afterwards."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import TOKEN, cif1, deploy, errors, installed, report, warnings
from fakes.pac_fake import install_fake_pac, parse
from fakes.packages import BASE, Spec, write_package

from builder.deploy.auth import AuthSpec
from builder.deploy.pac_cli import (
    auth_create_args,
    cloud_for,
    data_secret,
    import_args,
    upgrade_args,
    wait_minutes,
)
from builder.errors import BuildError

URL = "https://contoso.crm4.dynamics.com"
SECRET = "-starts-with-a-dash~secret"
SPN = AuthSpec("secret", tenant_id="tenant-1", client_id="app-1", secret=SECRET)


def test_auth_create_for_a_client_secret_passes_it_base64_and_in_the_environment() -> None:
    argv, env = auth_create_args(SPN, URL, {})
    assert argv == [
        "auth",
        "create",
        "--name",
        "voicepkg",
        "--environment",
        URL,
        "--cloud",
        "Public",
        "--applicationId",
        "app-1",
        "--tenant",
        "tenant-1",
        "--clientSecret",
        data_secret(SECRET),
    ]
    assert SECRET not in argv and env == {"PAC_CLI_SPN_SECRET": SECRET}


def test_auth_create_for_a_certificate_and_for_federation() -> None:
    cert = AuthSpec("certificate", "t", "a", certificate_path="/keys/app.pem")
    assert auth_create_args(cert, URL, {})[0][-6:] == [
        "--applicationId",
        "a",
        "--tenant",
        "t",
        "--certificateDiskPath",
        "/keys/app.pem",
    ]
    github = AuthSpec("github", "t", "a", request_url="u", request_token="x")
    assert auth_create_args(github, URL, {})[0][-5:] == [
        "--githubFederated",
        "--applicationId",
        "a",
        "--tenant",
        "t",
    ]
    ado = AuthSpec("azure-devops", "t", "a", request_token="sys", service_connection_id="sc")
    argv, env = auth_create_args(ado, URL, {"SYSTEM_OIDCREQUESTURI": "https://dev.azure/oidc"})
    assert "--azureDevOpsFederated" in argv
    assert env == {
        "PAC_ADO_ID_TOKEN_REQUEST_URL": "https://dev.azure/oidc?api-version=7.1&serviceConnectionId=sc",
        "PAC_ADO_ID_TOKEN_REQUEST_TOKEN": "sys",
    }


def test_pac_cannot_take_a_bearer_token() -> None:
    with pytest.raises(BuildError) as caught:
        auth_create_args(AuthSpec("token", token="abc"), URL, {})
    assert caught.value.exit_code == 2 and "--via webapi" in str(caught.value)


def test_import_and_upgrade_argv() -> None:
    assert import_args("/tmp/s.zip", URL, 125, upgrade=False) == [
        "solution",
        "import",
        "--path",
        "/tmp/s.zip",
        "--environment",
        URL,
        "--async",
        "--max-async-wait-time",
        "3",
        "--activate-plugins",
    ]
    assert import_args(
        "/tmp/s.zip", URL, 60, upgrade=True, settings_file="/tmp/p.json", publish=True
    )[-5:] == [
        "--activate-plugins",
        "--stage-and-upgrade",
        "--settings-file",
        "/tmp/p.json",
        "--publish-changes",
    ]
    assert upgrade_args("VoiceForD365", URL, 3600) == [
        "solution",
        "upgrade",
        "--solution-name",
        "VoiceForD365",
        "--async",
        "--max-async-wait-time",
        "60",
        "--environment",
        URL,
    ]


def test_every_argv_deploy_builds_is_accepted_by_the_fake_pac_parser() -> None:
    for argv in (
        auth_create_args(SPN, URL, {})[0],
        import_args("/x.zip", URL, 1, upgrade=True, settings_file="/s.json", publish=True),
        upgrade_args("X", URL, 1),
        ["auth", "clear"],
    ):
        parse(argv)  # raises on a flag pac does not have


@pytest.mark.parametrize(
    "host, cloud",
    [
        ("https://org.crm4.dynamics.com", "Public"),
        ("https://org.crm9.dynamics.com", "UsGov"),
        ("https://org.crm.microsoftdynamics.us", "UsGovHigh"),
        ("https://org.crm.appsplatform.us", "UsGovDod"),
        ("https://org.crm.dynamics.cn", "China"),
    ],
)
def test_cloud_follows_the_environment_host(host: str, cloud: str) -> None:
    assert cloud_for(host) == cloud


def test_wait_minutes_round_up_and_never_zero() -> None:
    assert [wait_minutes(s) for s in (1, 60, 61, 3600)] == [1, 1, 2, 60]


def test_fake_pac_rejects_flags_pac_does_not_have(tmp_path: Path) -> None:
    pac = install_fake_pac(tmp_path / "bin")
    done = subprocess.run(
        [str(pac), "solution", "import", "--path", "x.zip", "--overwrite"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "unknown argument '--overwrite'" in done.stdout


# --- through the CLI -----------------------------------------------------------------------


@pytest.fixture
def pac_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    pac = install_fake_pac(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{pac.parent}{os.pathsep}{os.environ['PATH']}")
    return {
        "FAKE_PAC_LOG": str(tmp_path / "pac.log"),
        "FAKE_PAC_TOKEN": TOKEN,
        "AZURE_CLIENT_ID": "app-1",
        "AZURE_TENANT_ID": "tenant-1",
        "AZURE_CLIENT_SECRET": SECRET,
    }


def pac_calls(env: dict[str, str]) -> list[dict]:
    path = Path(env["FAKE_PAC_LOG"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_install_through_pac_authenticates_in_an_isolated_home_and_clears(
    fake, package, clock, pac_env
) -> None:
    cif1(fake)
    result = deploy(fake, package, "--via", "pac", "--json", env=pac_env)
    assert result.exit_code == 0, result.output
    calls = pac_calls(pac_env)
    assert [c["argv"][:2] for c in calls] == [
        ["auth", "create"],
        ["solution", "import"],
        ["auth", "clear"],
    ]
    homes = {c["home"] for c in calls}
    assert len(homes) == 1 and homes != {os.environ.get("HOME")}
    assert not Path(homes.pop()).exists()
    assert calls[0]["spn_secret"] == SECRET and calls[0]["agent"] == "voicepkg"
    assert SECRET not in result.output and data_secret(SECRET) not in result.output
    assert fake.solution(BASE)["version"] == "1.0.0.0"
    assert fake.env_values["enreach_EnreachApiBaseUrl"] == "https://api.example.invalid"
    assert len(fake.calls("POST", "$batch")) == 1  # settings through the Web API


def test_upgrade_through_pac_uses_stage_and_upgrade(fake, tmp_path, clock, pac_env) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    spec = Spec(version="1.1.0.0", web_resources=[])
    result = deploy(fake, write_package(tmp_path, spec), "--via", "pac", env=pac_env)
    assert result.exit_code == 0, result.output
    imports = [c["argv"] for c in pac_calls(pac_env) if c["argv"][:2] == ["solution", "import"]]
    assert "--stage-and-upgrade" in imports[0]
    assert fake.solution(BASE)["version"] == "1.1.0.0"


def test_resume_through_pac_uses_solution_upgrade(fake, tmp_path, clock, pac_env) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    from fakes.packages import base_zip

    fake.install(base_zip(Spec(version="1.1.0.0")), name=BASE + "_Upgrade")
    result = deploy(
        fake,
        write_package(tmp_path, Spec(version="1.1.0.0")),
        "--via",
        "pac",
        "--json",
        env=pac_env,
    )
    assert result.exit_code == 0, result.output
    argvs = [c["argv"] for c in pac_calls(pac_env)]
    assert argvs[1][:4] == ["solution", "upgrade", "--solution-name", BASE]
    assert fake.solution(BASE + "_Upgrade") is None


def test_pac_giving_up_early_is_reconciled_through_the_web_api(
    fake, package, clock, pac_env
) -> None:
    cif1(fake)
    fake.polls_to_finish = 40  # pac stops polling long before this
    env = pac_env | {"FAKE_PAC_WAIT_SECONDS": "0.05"}
    result = deploy(fake, package, "--via", "pac", "--json", env=env)
    assert result.exit_code == 0, result.output
    assert any("pac exited 1" in w for w in warnings(report(result)))
    assert len(fake.calls("POST", "ImportSolutionAsync")) == 1
    assert fake.solution(BASE)["version"] == "1.0.0.0"


def test_pac_exit_code_zero_is_not_trusted(fake, package, clock, pac_env) -> None:
    cif1(fake)
    result = deploy(fake, package, "--via", "pac", "--json", env=pac_env | {"FAKE_PAC_LIE": "1"})
    assert result.exit_code == 1
    assert "although it exited 0" in " ".join(errors(report(result)))
    assert SECRET not in result.output


def test_pac_with_only_a_bearer_token_is_a_usage_error(fake, package, clock) -> None:
    cif1(fake)
    result = deploy(fake, package, "--via", "pac")
    assert result.exit_code == 2 and "needs a service principal" in result.stderr


def test_a_dry_run_through_pac_needs_no_pac(fake, package, clock) -> None:
    cif1(fake)
    result = deploy(fake, package, "--via", "pac", "--dry-run", "--pac", "/nonexistent/pac")
    assert result.exit_code == 0 and "Dry run" in result.stdout
