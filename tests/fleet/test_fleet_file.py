"""The fleet file: what it says, and bad input refused with a clear error (no secret shown)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.fixtures import invoke

from builder.errors import BuildError
from builder.fleet.fleetfile import Halt, load_fleet

TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT = "66666666-7777-8888-9999-000000000000"
GOOD = f"""
[fleet]
jobs = 4
halt = {{ failures = 2, share = 0.25 }}

[rings]
0 = "internal"
1 = "early adopters"

[[environment]]
name = "contoso-prod"
url = "https://contoso.crm4.dynamics.com/"
settings = "contoso.json"
scenario = "cif2"
ring = 1
tags = ["eu"]
maintenance = {{ days = ["sat", "sun"], start = "22:00", end = "04:00", timezone = "Europe/Paris" }}
auth = {{ tenant_id = "{TENANT}", client_id = "{CLIENT}", secret_env = "CONTOSO_SECRET" }}

[[environment]]
name = "enreach-test"
url = "https://enreach-test.crm4.dynamics.com"
ring = 0
excluded = true
auth = {{ tenant_id = "{TENANT}", client_id = "{CLIENT}", federated = "github" }}
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "contoso.json").write_text('{"EnvironmentVariables": []}')
    path = tmp_path / "fleet.toml"
    path.write_text(text)
    return path


def errors(tmp_path: Path, text: str) -> str:
    with pytest.raises(BuildError) as caught:
        load_fleet(write(tmp_path, text))
    return str(caught.value)


def test_a_fleet_file_is_read_with_rings_windows_auth_and_halt(tmp_path: Path) -> None:
    fleet = load_fleet(write(tmp_path, GOOD))
    contoso, test = fleet.environments
    assert (fleet.jobs, fleet.halt, fleet.rings[1]) == (4, Halt(2, 0.25), "early adopters")
    assert contoso.url == "https://contoso.crm4.dynamics.com" and contoso.ring == 1
    assert contoso.settings == tmp_path / "contoso.json" and contoso.tags == ("eu",)
    assert contoso.auth.secret_env == "CONTOSO_SECRET" and test.auth.federated == "github"
    assert test.excluded and not contoso.excluded
    window = contoso.maintenance
    assert window is not None
    saturday_2330_amsterdam = 1_700_346_600.0  # 2023-11-18 22:30 UTC
    sunday_0330_amsterdam = 1_700_361_000.0  # 2023-11-19 02:30 UTC
    monday_0330_amsterdam = 1_700_447_400.0
    tuesday_noon = 1_699_963_200.0
    assert window.is_open(saturday_2330_amsterdam) and window.is_open(sunday_0330_amsterdam)
    assert window.is_open(monday_0330_amsterdam)  # Sunday's window runs into Monday
    assert not window.is_open(tuesday_noon)


def test_halt_rules() -> None:
    assert Halt().exceeded(1, 10) and not Halt().exceeded(0, 10)
    assert not Halt(failures=2).exceeded(2, 10) and Halt(failures=2).exceeded(3, 10)
    assert not Halt(share=0.2).exceeded(2, 10) and Halt(share=0.2).exceeded(3, 10)
    assert Halt(failures=5, share=0.1).exceeded(2, 10)


@pytest.mark.parametrize(
    "key, value",
    [
        ("client_secret", "abc8Q~abcdefghijklmnopqrstuvwxyz0123456789"),
        ("password", "hunter2hunter2"),
        ("note", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eXoxMjMifQ.c2lnbmF0dXJl"),
        ("note", "abc8Q~abcdefghijklmnopqrstuvwxyz0123456789"),
    ],
)
def test_a_fleet_file_holding_a_secret_is_refused_without_showing_it(
    tmp_path: Path, key: str, value: str
) -> None:
    text = GOOD.replace(
        'secret_env = "CONTOSO_SECRET" }', f'secret_env = "CONTOSO_SECRET", {key} = "{value}" }}'
    )
    message = errors(tmp_path, text)
    assert "FLT020" in message and "looks like a secret" in message
    assert value not in message


def test_a_secret_value_where_the_variable_name_goes_is_refused(tmp_path: Path) -> None:
    message = errors(tmp_path, GOOD.replace('"CONTOSO_SECRET"', '"s3cr3t value!"'))
    assert "FLT025" in message and "s3cr3t" not in message


@pytest.mark.parametrize(
    "change, code",
    [
        (('name = "enreach-test"', 'name = "Contoso-Prod"'), "FLT012"),  # duplicate, any case
        (("https://enreach-test.crm4.dynamics.com", "ftp://x"), "FLT021"),
        (("https://enreach-test.crm4.dynamics.com", "http://example.com"), "FLT021"),
        (
            ("https://enreach-test.crm4.dynamics.com", "https://x.crm.dynamics.com/main.aspx"),
            "FLT021",
        ),
        (("ring = 0", "ring = 7"), "FLT017"),
        (('settings = "contoso.json"', 'settings = "missing.json"'), "FLT022"),
        (('scenario = "cif2"', 'scenario = "cif3"'), "FLT018"),
        (('start = "22:00"', 'start = "25:00"'), "FLT023"),
        (('timezone = "Europe/Paris"', 'timezone = "Mars/Olympus"'), "FLT023"),
        (('federated = "github"', 'federated = "gitlab"'), "FLT024"),
        (("jobs = 4", "jobs = 0"), "FLT014"),
        (("share = 0.25", "share = 2"), "FLT014"),
        (('tags = ["eu"]', 'colour = "blue"'), "FLT015"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, change: tuple[str, str], code: str) -> None:
    assert change[0] in GOOD
    assert code in errors(tmp_path, GOOD.replace(*change, 1))


def test_the_cli_refuses_a_bad_fleet_file_before_reading_anything(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("ring = 0", "ring = 9"))
    result = invoke(["fleet", "matrix", "--engine", "github", "--fleet", str(path)])
    assert result.exit_code == 1 and "FLT017" in result.stderr and not result.stdout
    missing = invoke(
        ["fleet", "matrix", "--engine", "github", "--fleet", str(tmp_path / "nope.toml")]
    )
    assert missing.exit_code == 2 and "FLT001" in missing.stderr


def test_the_fleet_file_comes_from_the_project_configuration(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "ops").mkdir()
    (tmp_path / "fleet.toml").rename(tmp_path / "ops" / "customers.toml")
    (tmp_path / "ops" / "contoso.json").write_text('{"EnvironmentVariables": []}')
    (tmp_path / "pyproject.toml").write_text('[tool.voicepkg]\nfleet = "ops/customers.toml"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke(["fleet", "matrix", "--engine", "github", "--ring", "1"])
    assert result.exit_code == 0, result.stderr
    assert "no job: contoso-prod: outside its maintenance window" in result.stderr


def test_the_fleet_file_of_the_docs_is_read(tmp_path: Path) -> None:
    import re

    docs = (Path(__file__).resolve().parents[2] / "docs" / "fleet.md").read_text()
    example = re.search(r"```toml\n(.*?)```", docs, re.S)
    assert example is not None
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "contoso-prod.json").write_text('{"EnvironmentVariables": []}')
    path = tmp_path / "fleet.toml"
    path.write_text(example.group(1))
    fleet = load_fleet(path)
    assert [e.name for e in fleet.environments] == ["contoso-prod", "fabrikam"]
    assert fleet.halt == Halt(2, 0.2) and fleet.environments[1].auth.federated == "github"
