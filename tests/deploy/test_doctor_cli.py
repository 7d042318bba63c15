"""`voicepkg doctor` end to end: the real CLI against the fake Dataverse, read only."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
from fakes.dataverse import FakeDataverse
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import ASSIGNEE, add_user, cif1, cif2, deploy, doctor, healthy, invoke, report
from fakes.packages import BASE, PROVIDER_ID, Spec, write_package


def writes(fake: FakeDataverse) -> list[str]:
    return [f"{c.method} {c.path}" for c in fake.log if c.method != "GET"]


def test_a_healthy_environment_passes_every_check(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    result = doctor(fake, package)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stdout
    assert "ok: application user" in result.stdout and "all " in result.stdout
    for name in (
        "callback list",
        "environment variables",
        "enreach user ids",
        "app profile",
        "DefaultCrmAssignee",
        f"solution {BASE}",
    ):
        assert f"ok: {name}" in result.stdout, result.stdout


def test_doctor_never_writes_to_the_environment(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    fake.log.clear()
    assert doctor(fake, package, "--json").exit_code == 0
    assert fake.log and writes(fake) == []


def test_json_report_has_environment_scenario_solutions_and_checks(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    data = report(doctor(fake, package, "--json"))
    assert set(data) == ENVELOPE | {"scenario", "solutions", "checks"}
    assert data["report"] == "doctor" and data["status"] == "done" and data["exit_code"] == 0
    assert data["environment"] == fake.url and data["scenario"] == "cif2"
    base = next(s for s in data["solutions"] if s["uniquename"] == BASE)
    assert (base["from"], base["to"], base["status"], base["managed"]) == (
        "1.0.0.0",
        "1.0.0.0",
        "installed",
        True,
    )
    assert data["package"]["sha256"] == hashlib.sha256(package.read_bytes()).hexdigest()
    assert data["checks"] and all(
        set(c) == {"name", "ok", "message", "instruction"} for c in data["checks"]
    )
    assert all(c["ok"] for c in data["checks"])


ENVELOPE = {
    "report",
    "report_version",
    "tool",
    "environment",
    "package",
    "started_at",
    "finished_at",
    "duration_seconds",
    "dry_run",
    "status",
    "exit_code",
    "diagnostics",
    "counts",
}


def failing(result) -> str:  # noqa: ANN001
    assert result.exit_code == 1, result.output
    return result.stdout


def test_missing_application_user_fails_with_guide_1_4(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    fake.users = [u for u in fake.users if u["fullname"] != "Voice back end"]
    out = failing(doctor(fake, package))
    assert "error DEP080: application user" in out and "Guide 1.4" in out


def test_empty_default_assignee_fails_with_guide_1_5_3(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    fake.settings()["DefaultCrmAssignee"]["enreach_value"] = ""
    out = failing(doctor(fake, package))
    assert "error DV143: DefaultCrmAssignee" in out and "Guide 1.5.3" in out
    data = report(doctor(fake, package, "--json"))
    assert data["exit_code"] == 1
    assert [(d["code"], d["severity"]) for d in data["diagnostics"]] == [("DV143", "error")]
    assert "Guide 1.5.3" in data["diagnostics"][0]["hint"]


def test_text_and_json_give_each_failing_check_the_same_severity_and_code(
    fake, tmp_path, clock
) -> None:
    """Issue 10: the text said "warning" for a check its JSON called an error (DV143)."""
    package = healthy(fake, tmp_path)
    fake.users = [u for u in fake.users if u["fullname"] != "Voice back end"]
    fake.settings()["DefaultCrmAssignee"]["enreach_value"] = ""
    del fake.env_values["enreach_EnreachApiBaseUrl"]
    fake.records["msdyn_odatav4ds"].clear()
    text = failing(doctor(fake, package))
    data = report(doctor(fake, package, "--json"))
    assert data["exit_code"] == 1
    shown = [(d["severity"], d["code"], d["message"]) for d in data["diagnostics"]]
    assert len(shown) == 4 and {s for s, _, _ in shown} == {"error"}
    assert {c for _, c, _ in shown} == {"DV143", "DEP080"}
    said = [line for line in text.splitlines() if not line.startswith(("ok: ", "  "))][1:-1]
    assert said == [f"{severity} {code}: {message}" for severity, code, message in shown]
    assert "warning" not in text


def test_channel_provider_without_app_profile_fails_with_guide_1_5_1_2(
    fake, tmp_path, clock
) -> None:
    package = healthy(fake, tmp_path)
    fake.providers["enreach_voicechannelprovider"]["msdyn_appconfig_msdyn_channelprovider"] = []
    out = failing(doctor(fake, package))
    assert "error DEP080: app profile" in out and "Guide 1.5.1.2" in out


def test_voice_users_without_enreach_id_are_named_and_capped(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    for i in range(12):
        add_user(fake, f"Agent {i:02}", ["Voice User"])
    add_user(fake, "Not an agent", ["Salesperson"])
    result = doctor(fake, package)
    out = failing(result)
    assert "12 Voice User user(s) without an Enreach User Id" in out and "Guide 1.5.2.1" in out
    assert "Agent 00" in out and "Agent 11" not in out and "and 2 more" in out
    assert "Not an agent" not in out and "Agent Smith" not in out
    message = next(
        c["message"]
        for c in report(doctor(fake, package, "--json"))["checks"]
        if c["name"] == "enreach user ids"
    )
    assert "Agent 11" in message
    every = doctor(fake, package, "-v").stdout  # -v names them all, as --json does
    assert "Agent 00" in every and "Agent 11" in every and "more" not in every


def test_environment_variable_without_value_fails(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    del fake.env_values["enreach_EnreachApiBaseUrl"]
    out = failing(doctor(fake, package))
    assert "error DEP080: environment variables: no value: enreach_EnreachApiBaseUrl" in out


def test_unlinked_callback_list_fails_with_guide_1_5_4(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    fake.records["msdyn_odatav4ds"].clear()
    out = failing(doctor(fake, package))
    assert "error DEP080: callback list" in out and "Guide 1.5.4" in out


def test_leftover_upgrade_solution_fails(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    fake.solutions[BASE + "_Upgrade"] = dict(
        fake.solutions[BASE], uniquename=BASE + "_Upgrade", solutionid=str(uuid.uuid4())
    )
    out = failing(doctor(fake, package))
    assert f"{BASE}_Upgrade is left over" in out and "voicepkg deploy again" in out


def test_missing_solution_fails(fake, tmp_path, clock) -> None:
    cif2(fake)
    fake.add_app_user("Voice back end", ["Voice ApiUser"])
    out = failing(doctor(fake, write_package(tmp_path, Spec(settings=dict(ASSIGNEE)))))
    assert f"error DEP080: solution {BASE}: {BASE} is not installed" in out


@pytest.mark.parametrize(
    "apps, roles, missing",
    [("", "", "apps and roles"), ("app1", "", "roles"), ("", "role1", "apps")],
)
def test_cif1_provider_without_apps_or_roles_fails_with_guide_1_5_1_1(
    fake, tmp_path, clock, apps: str, roles: str, missing: str
) -> None:
    cif1(fake)
    package = write_package(tmp_path, Spec(settings=dict(ASSIGNEE)))
    assert deploy(fake, package).exit_code == 0
    fake.add_app_user("Voice back end", ["Voice ApiUser"])
    provider = fake.records["msdyn_ciproviders"][PROVIDER_ID]
    provider.update(msdyn_appselector=apps, msdyn_roleselector=roles)
    out = failing(doctor(fake, package))
    assert f"the CIF 1.0 provider has no {missing} selected" in out and "Guide 1.5.1.1" in out
    provider.update(msdyn_appselector="app1", msdyn_roleselector="role1")
    assert doctor(fake, package).exit_code == 0


def test_bad_url_is_a_usage_error(package: Path) -> None:
    result = invoke(
        ["doctor", "--env", "http://contoso.crm4.dynamics.com", "--package", str(package)]
    )
    assert result.exit_code == 2 and "only for loopback" in result.stderr


def test_missing_credentials_are_a_usage_error(fake, package, clock) -> None:
    result = invoke(
        ["doctor", "--env", fake.url, "--package", str(package)], env={"DATAVERSE_TOKEN": None}
    )
    assert result.exit_code == 2
