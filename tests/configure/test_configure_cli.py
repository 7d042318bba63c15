"""`voicepkg configure` end to end: the real CLI against the fake Dataverse (dv_config.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.config_env import APP_ID, FULL_CIF2, form_xml, organization
from fakes.dv_config import ConfigDataverse
from fakes.fixtures import *  # noqa: F403 (the clock fixture)
from fakes.fixtures import TOKEN, cif2, deploy, invoke
from fakes.packages import Spec, write_package

CONTROL = "MscrmControls.ChannelCommunication.ChannelCommunicationControl"


@pytest.fixture
def fake() -> Iterator[ConfigDataverse]:
    server = ConfigDataverse(TOKEN).start()
    yield server
    server.stop()


def run(fake: ConfigDataverse, tmp: Path, text: str, *args: str):  # noqa: ANN201
    path = tmp / "env.toml"
    path.write_text(text)
    return invoke(["configure", "--env", fake.url, "--config", str(path), *args])


def writes(fake: ConfigDataverse) -> list[str]:
    return [f"{c.method} {c.path}" for c in fake.log if c.method != "GET"]


def as_json(result) -> dict:  # noqa: ANN001
    return dict(json.loads(result.stdout))


@pytest.mark.parametrize("scenario", ["cif2", "cif2-omnichannel"])
def test_a_fresh_environment_gets_every_step(fake, tmp_path, clock, scenario) -> None:
    organization(fake, tmp_path, scenario)
    result = run(fake, tmp_path, FULL_CIF2)
    assert result.exit_code == 0, result.output
    app_user = next(u for u in fake.users if u["applicationid"] == APP_ID)
    assert app_user["_businessunitid_value"] == fake.root_bu
    assert [r["name"] for r in app_user["systemuserroles_association"]] == ["Voice ApiUser"]
    assert fake.profile_providers("Voice agents") == ["enreach_voicechannelprovider"]
    assert fake.profile_users("Voice agents") == [
        "ann@contoso.example",
        "bob@contoso.example",
        "cid@contoso.example",
    ]
    app = fake.apps[0]["appmoduleid"]
    assert fake.app_forms(app) == sorted(
        [
            "Voice for D365 – Phone Call",
            "Voice for D365 – Phone Call Quick Create",
            "Voice for D365 – Phone Call Quick View",
        ]
    )
    assert app not in fake.unpublished_apps
    contact = fake.form("contact", "Contact")
    assert contact["pending"] is None and contact["formxml"].count(CONTROL) == 6
    assert 'datafieldname="fullname" uniqueid' not in contact["formxml"]
    assert fake.user("ann@contoso.example")["enreach_enreachuserid"] == "enr-ann"
    assert app_user["enreach_enreachuserid"] == "enr-api"
    assert fake.settings()["DefaultCrmAssignee"]["enreach_value"] == "enr-api"
    [profile] = fake.callback_profiles.values()
    assert profile["enreach_name"] == "Support" and profile["enreach_callbackage"] == 5
    assert profile["_enreach_queueid_value"] == fake.queues[0]["queueid"]
    assert "configured:" in result.stdout


def test_a_second_run_changes_nothing(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    assert run(fake, tmp_path, FULL_CIF2).exit_code == 0
    fake.log.clear()
    result = run(fake, tmp_path, FULL_CIF2, "--format", "json")
    assert result.exit_code == 0, result.output
    assert writes(fake) == []
    data = as_json(result)
    assert data["writes"] == 0 and data["status"] == "done"
    assert {c["action"] for c in data["changes"]} == {"unchanged"}
    assert "nothing to do" not in result.stderr


def test_dry_run_writes_nothing_and_shows_the_plan(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    result = run(fake, tmp_path, FULL_CIF2, "--dry-run")
    assert result.exit_code == 0, result.output
    assert writes(fake) == []
    assert "[1.4] application_user: create" in result.stdout
    assert "[1.5.6] click_to_dial: update form contact/Contact" in result.stdout
    assert "[1.5.3] call_sync: pending" in result.stdout
    assert "dry run:" in result.stdout


def test_markdown_is_the_json_report_as_a_table(fake, tmp_path, clock) -> None:
    """Issue 10, one grammar: configure has --format markdown too; the plan goes to stderr."""
    organization(fake, tmp_path)
    data = as_json(run(fake, tmp_path, FULL_CIF2, "--dry-run", "--json"))
    result = run(fake, tmp_path, FULL_CIF2, "--dry-run", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert writes(fake) == []
    assert "[1.4] application_user: create" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"### voicepkg configure `{data['environment']}`"
    assert lines[2] == "**planned** (exit code 0, 0 write(s), dry run)"
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| step")]
    assert len(rows) == len(data["changes"])
    for row, change in zip(rows, data["changes"], strict=True):
        assert row.startswith(f"| {change['step']} | {change['action']} | ")
        assert row.endswith(f" | {change['status']} |")


def test_half_configured_environment_gets_only_what_is_missing(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    fake.add_user("API", "api@contoso.example", ("Voice ApiUser",), application_id=APP_ID)
    fake.add_profile("enreach_voicechannelprovider", "Existing profile")
    fake.profiles[0]["users"].append(fake.user("ann@contoso.example")["systemuserid"])
    text = FULL_CIF2.replace(
        'app_profiles = ["Voice agents"]', 'app_profiles = ["Voice agents", "Existing profile"]'
    )
    result = run(fake, tmp_path, text, "--json")
    assert result.exit_code == 0, result.output
    posted = writes(fake)
    assert not any(p == "POST systemusers" for p in posted)  # the user existed
    assert sum("systemuserroles_association" in p for p in posted) == 0
    changes = {(c["step"], c["target"]): c["action"] for c in as_json(result)["changes"]}
    assert changes[("cif2", "app profile Existing profile")] == "unchanged"
    assert changes[("cif2", "app profile Voice agents")] == "add"
    assert fake.profile_users("Existing profile") == [
        "ann@contoso.example",
        "bob@contoso.example",
        "cid@contoso.example",
    ]


def test_an_administrators_choices_are_kept(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    admin_user = fake.add_user("Dee", "dee@contoso.example", ("Voice User",))
    fake.profiles[0]["users"].append(admin_user)
    fake.add_form(
        "contact",
        "Contact Sales",
        2,
        form_xml("telephone1", "mobilephone", described={"telephone1": "Contoso.Dialer"}),
    )
    fake.add_app_form(fake.apps[0]["appmoduleid"], fake.form("phonecall", "Phone Call")["formid"])
    fake.settings()["DefaultCrmAssignee"]["enreach_value"] = "enr-someone-else"
    text = FULL_CIF2.replace(
        '{table = "account", form = "Account"}', '{table = "contact", form = "Contact Sales"}'
    )
    result = run(fake, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "dee@contoso.example" in fake.profile_users("Voice agents")
    sales = fake.form("contact", "Contact Sales")["formxml"]
    assert "Contoso.Dialer" in sales and sales.count(CONTROL) == 3  # mobilephone only
    assert "Phone Call" in fake.app_forms(fake.apps[0]["appmoduleid"])
    assert "also offers the Phone Call main form(s) Phone Call" in result.stdout
    assert fake.settings()["DefaultCrmAssignee"]["enreach_value"] == "enr-someone-else"
    assert "set by an administrator" in run(fake, tmp_path, text, "--dry-run").stdout


def test_exclusive_and_replace_remove_only_when_told(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    app = fake.apps[0]["appmoduleid"]
    fake.add_app_form(app, fake.form("phonecall", "Phone Call")["formid"])
    fake.settings()["DefaultCrmAssignee"]["enreach_value"] = "enr-someone-else"
    text = FULL_CIF2.replace(
        'apps = ["Customer Service Hub"]', 'apps = ["Customer Service Hub"]\nexclusive = true'
    ).replace(
        'technical_user = "application_user"', 'technical_user = "application_user"\nreplace = true'
    )
    assert run(fake, tmp_path, text).exit_code == 0
    assert "Phone Call" not in fake.app_forms(app)
    assert fake.settings()["DefaultCrmAssignee"]["enreach_value"] == "enr-api"


@pytest.mark.parametrize(
    "old,new,section",
    [
        (
            'users = ["ann@contoso.example"]',
            'users = ["nobody@contoso.example"]',
            "no user named 'nobody@contoso.example'",
        ),
        ('teams = ["Support team"]', 'teams = ["No team"]', "no team named 'No team'"),
        ('app_profiles = ["Voice agents"]', 'app_profiles = ["Voice agents"]', None),
    ],
)
def test_unknown_names_refuse_the_whole_plan(fake, tmp_path, clock, old, new, section) -> None:
    organization(fake, tmp_path)
    text = FULL_CIF2.replace(old, new).replace(
        'apps = ["Customer Service Hub"]', 'apps = ["No Such App"]'
    )
    result = run(fake, tmp_path, text, "--json")
    assert result.exit_code == 3, result.output
    assert writes(fake) == []
    data = as_json(result)
    assert data["status"] == "refused"
    assert "phone_call_forms: no app named 'No Such App'" in data["problems"]
    if section:
        assert f"cif2: {section}" in data["problems"]
    assert {c["status"] for c in data["changes"]} <= {"skipped"}


def test_an_app_registration_the_tenant_lacks_fails_clearly_at_the_first_write(
    fake, tmp_path, clock
) -> None:
    organization(fake, tmp_path)
    fake.tenant_apps.clear()
    result = run(fake, tmp_path, FULL_CIF2)
    assert result.exit_code == 1
    assert "was not found in the tenant's directory" in result.stderr
    assert writes(fake) == ["POST systemusers"]  # nothing after it was sent


def test_cif1_merges_apps_and_roles_with_the_administrators(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path, "cif1")
    records = fake.records["msdyn_ciproviders"]
    next(iter(records.values()))["msdyn_appselector"] = "11111111-1111-1111-1111-111111111111"
    text = '[cif1]\napps = ["Sales Hub"]\nroles = ["Voice User"]\n'
    assert run(fake, tmp_path, text).exit_code == 0
    provider = next(iter(records.values()))
    apps = provider["msdyn_appselector"].split(";")
    assert apps == ["11111111-1111-1111-1111-111111111111", fake.apps[1]["appmoduleid"]]
    assert provider["msdyn_roleselector"] == fake.role_id("Voice User")
    fake.log.clear()
    assert run(fake, tmp_path, text).exit_code == 0 and writes(fake) == []
    assert run(fake, tmp_path, text.replace("]\nroles", "]\nreplace = true\nroles")).exit_code == 0
    assert next(iter(records.values()))["msdyn_appselector"] == fake.apps[1]["appmoduleid"]


def test_call_sync_waits_plainly_for_an_enreach_id(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    text = '[call_sync]\ntechnical_user = "cid@contoso.example"\n'
    result = run(fake, tmp_path, text)
    assert result.exit_code == 0
    assert "waiting DefaultCrmAssignee setting" in result.stdout
    assert "cid@contoso.example has no Enreach User Id yet" in result.stdout
    assert fake.settings()["DefaultCrmAssignee"]["enreach_value"] == ""


def test_users_still_without_an_id_are_listed(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    text = (
        '[users]\nemails = {"ann@contoso.example" = "ann@enreach.example", '
        '"cid@contoso.example" = "cid@enreach.example"}\n'
    )
    result = run(fake, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "still without an Enreach User Id (1): Cid Lead" in result.stdout
    assert fake.update_id_runs == 1


def test_a_bad_config_file_is_a_usage_error_naming_every_problem(fake, tmp_path, clock) -> None:
    text = '[cif2]\napp_profile = ["x"]\n[callback_profiles]\n'
    result = run(fake, tmp_path, text)
    assert result.exit_code == 2
    assert "cif2.app_profile: unknown key" in result.stderr
    assert "callback_profiles: must be an array of tables" in result.stderr
    assert fake.log == []


def test_configure_then_doctor_is_green(fake, tmp_path, clock) -> None:
    cif2(fake)
    package = write_package(tmp_path, Spec())
    assert deploy(fake, package).exit_code == 0
    organization(fake, tmp_path, deployed=True)
    config = tmp_path / "env.toml"
    config.write_text(FULL_CIF2)
    doctor = ["doctor", "--env", fake.url, "--package", str(package), "--config", str(config)]
    before = invoke(doctor)
    assert before.exit_code == 1, before.stdout
    assert (
        "error DEP080: click-to-dial: 2 change(s) to make: update form contact/Contact, update "
        "form account/Account"
    ) in before.stdout
    assert "run voicepkg configure --config" in before.stdout
    assert run(fake, tmp_path, FULL_CIF2).exit_code == 0
    fake.log.clear()
    after = invoke(doctor)
    assert after.exit_code == 0, after.stdout
    for name in (
        "application user (configured)",
        "app profiles and users",
        "click-to-dial",
        "Phone Call forms in apps",
        "Enreach e-mails",
        "call sync fallback",
        "callback profiles",
        "DefaultCrmAssignee",
        "app profile",
        "enreach user ids",
    ):
        assert f"ok: {name}" in after.stdout, after.stdout
    assert writes(fake) == []


def test_the_users_mapping_csv_sets_enreach_emails(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    (tmp_path / "people.csv").write_text(
        "user,enreach_email\n"
        "ann@contoso.example,ann@enreach.example\n"
        "Bob@Contoso.example,bob@contoso.example\n"
    )
    result = run(fake, tmp_path, '[users]\nmapping = "people.csv"\n')
    assert result.exit_code == 0, result.output
    assert fake.user("ann@contoso.example")["enreach_enreachuseremail"] == "ann@enreach.example"
    assert fake.user("bob@contoso.example")["enreach_enreachuserid"] == "enr-bob"


def test_json_output_is_one_object_also_when_the_file_is_bad(fake, tmp_path, clock) -> None:
    result = run(fake, tmp_path, '[users]\nemails = {application_user = "a@b.example"}\n', "--json")
    assert result.exit_code == 2
    data = as_json(result)
    assert data["status"] == "usage" and data["exit_code"] == 2
    assert any(
        "'application_user' needs an [application_user] section" in e for e in data["errors"]
    )


def test_every_example_in_the_docs_is_a_valid_config(tmp_path) -> None:
    from support.common import ROOT

    from builder.configure.env_config import load_config

    text = (ROOT / "docs" / "configure.md").read_text()
    examples = text.split("```toml\n")[1:]
    assert len(examples) == 3  # CIF 1.0, CIF 2.0, CIF 2.0 + Omnichannel
    (tmp_path / "enreach-users.csv").write_text("user,enreach_email\n")
    for i, example in enumerate(examples):
        path = tmp_path / f"example{i}.toml"
        path.write_text(example.split("```")[0])
        config = load_config(path)
        assert config.application_user and config.users and config.call_sync
    assert config.cif2 and config.callback_profiles and config.phone_call_forms


def test_an_application_user_in_a_child_unit_gets_that_units_role(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    unit = fake.add_business_unit("Sales")
    fake.add_user("API", "api@contoso.example", unit=unit, application_id=APP_ID)
    text = f'[application_user]\napplication_id = "{APP_ID}"\n'
    result = run(fake, tmp_path, text)
    assert result.exit_code == 0, result.output
    [role] = fake.user("api@contoso.example")["systemuserroles_association"]
    assert role["roleid"] == fake.role_id("Voice ApiUser", unit) != fake.role_id("Voice ApiUser")
    assert "is not in the root business unit; it is kept where it is" in result.stdout


def test_a_mapping_of_many_users_is_read_in_short_queries(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)
    rows = ["user,enreach_email"]
    for i in range(100):
        fake.add_user(f"Agent {i}", f"agent{i}@contoso.example", ("Voice User",))
        rows.append(f"agent{i}@contoso.example,agent{i}@enreach.example")
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n")
    result = run(fake, tmp_path, '[users]\nmapping = "people.csv"\nupdate_ids = false\n')
    assert result.exit_code == 0, result.output
    reads = [
        c for c in fake.calls("GET", "systemusers") if "domainname" in c.params.get("$filter", "")
    ]
    assert len(reads) >= 3 and max(len(c.params["$filter"]) for c in reads) < 8000
    assert all(
        fake.user(f"agent{i}@contoso.example")["enreach_enreachuseremail"] for i in range(100)
    )
    assert fake.update_id_runs == 0


def test_a_step_for_a_framework_the_environment_lacks_is_refused(fake, tmp_path, clock) -> None:
    organization(fake, tmp_path)  # CIF 2.0: no msdyn_ciprovider table
    result = run(fake, tmp_path, '[cif1]\napps = ["Sales Hub"]\n', "--json")
    assert result.exit_code == 3
    assert as_json(result)["problems"] == [
        "cif1: not in this environment: the CIF 1.0 table msdyn_ciprovider (guide 1.1.1)"
    ]
    assert writes(fake) == []
