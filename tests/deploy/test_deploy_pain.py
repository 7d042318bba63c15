"""One test per pain point of research/deploy.md §6, named after it, through the real CLI
against the fake Dataverse (and the fake pac where pac is the subject)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
from fakes.dataverse import FakeDataverse
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import (
    TOKEN,
    actions,
    cif1,
    deploy,
    errors,
    installed,
    invoke,
    report,
    settings_file,
    warnings,
)
from fakes.pac_fake import install_fake_pac
from fakes.packages import BASE, Spec, base_zip, setting_id, write_package

from builder.deploy.auth import choose_auth
from builder.errors import BuildError


def test_pain_01_long_import_outlives_timeout_is_reconciled(fake, package, clock) -> None:
    cif1(fake)
    fake.hold = True  # the server keeps importing past the pipeline's patience
    first = deploy(fake, package, "--timeout", "120", "--json")
    assert first.exit_code == 4
    data = report(first)
    job_id = next(iter(fake.jobs))
    assert data["status"] == "running" and job_id in " ".join(errors(data))
    fake.hold = False
    second = deploy(fake, package, "--json")
    assert second.exit_code == 0, second.output
    assert report(second)["solutions"][0] == {
        "import_job_key": job_id,
        "async_operation_id": None,
        "duration_seconds": None,
        "removed": [],
        "uniquename": BASE,
        "from": None,
        "to": "1.0.0.0",
        "action": "wait",
        "status": "done",
        "reason": "an import of it is still running (an earlier deploy): following that job",
    }
    assert len(fake.calls("POST", "ImportSolutionAsync")) == 1
    assert fake.solution(BASE)["version"] == "1.0.0.0"
    assert "enreach_EnreachApiBaseUrl" in fake.env_values  # its parameters went with it


def test_pain_02_imports_are_async_and_a_lost_answer_is_followed_not_repeated(
    fake, package, clock
) -> None:
    cif1(fake)
    fake.fault("drop_after", "POST", "ImportSolutionAsync")  # acted on, answer lost
    result = deploy(fake, package)
    assert result.exit_code == 0, result.output
    assert len(fake.jobs) == 1 and len(fake.calls("POST", "ImportSolutionAsync")) == 1
    assert fake.calls("POST", "ImportSolution(") == []  # never the synchronous action
    assert fake.solution(BASE)["version"] == "1.0.0.0"


def test_pain_02_an_answer_lost_before_the_server_acted_is_retried_once(
    fake, package, clock
) -> None:
    cif1(fake)
    fake.fault("drop_before", "POST", "ImportSolutionAsync")
    result = deploy(fake, package)
    assert result.exit_code == 0, result.output
    assert len(fake.jobs) == 1


def test_pain_03_lock_held_by_another_import_is_waited_out_then_posted_once(
    fake, package, clock
) -> None:
    cif1(fake)
    fake.lock_refusals = 3  # "Cannot start another [Import]", as 429 without Retry-After
    result = deploy(fake, package)
    assert result.exit_code == 0, result.output
    posts = fake.calls("POST", "ImportSolutionAsync")
    assert len(posts) == 4 and all("ImportJobId" not in c.json for c in posts)
    assert len(fake.jobs) == 1  # three refusals, one import
    assert sum(clock.sleeps) >= 15  # waited, did not hammer
    # after each wait it asked what the service was doing before posting again
    assert len(fake.calls("GET", "importjobs")) >= 3


def test_pain_03_a_job_that_dies_on_the_lock_is_posted_again(fake, package, clock) -> None:
    cif1(fake)
    fake.jobs_failing_on_lock = 1
    result = deploy(fake, package)
    assert result.exit_code == 0, result.output
    assert len(fake.calls("POST", "ImportSolutionAsync")) == 2 and len(fake.jobs) == 2


def test_pain_03_a_lock_that_outlasts_the_timeout_exits_4(fake, package, clock) -> None:
    cif1(fake)
    fake.lock_refusals = 10_000
    result = deploy(fake, package, "--timeout", "300", "--json")
    assert result.exit_code == 4
    assert "another solution operation" in " ".join(errors(report(result)))


def test_pain_04_leftover_holding_solution_is_resumed_not_blocking(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    fake.fail_upgrade_after_stage = True
    spec = Spec(version="1.1.0.0", web_resources=[])  # drops a component: an upgrade
    first = deploy(fake, write_package(tmp_path, spec), "--json")
    assert first.exit_code == 1
    assert fake.solution(BASE + "_Upgrade")["version"] == "1.1.0.0"
    second = deploy(fake, write_package(tmp_path, spec), "--json")
    assert second.exit_code == 0, second.output
    assert actions(second) == {BASE: "resume", "VoiceForD365Multisession": "skip"}
    assert fake.solution(BASE)["version"] == "1.1.0.0"
    assert fake.solution(BASE + "_Upgrade") is None
    assert len(fake.calls("POST", "DeleteAndPromoteAsync")) == 1


def test_pain_04_holding_older_than_the_package_is_applied_then_upgraded(
    fake, tmp_path, clock
) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    fake.install(base_zip(Spec(version="1.1.0.0")), name=BASE + "_Upgrade")
    result = deploy(fake, write_package(tmp_path, Spec(version="1.2.0.0")), "--json")
    assert result.exit_code == 0, result.output
    steps = [(s["action"], s["to"]) for s in report(result)["solutions"] if s["uniquename"] == BASE]
    assert steps == [("resume", "1.1.0.0"), ("update", "1.2.0.0")]
    assert fake.solution(BASE)["version"] == "1.2.0.0"


def test_pain_05_same_command_installs_then_upgrades(fake, tmp_path, clock) -> None:
    cif1(fake)
    first = deploy(
        fake, write_package(tmp_path, Spec(version="1.0.0.0")), "--mode", "upgrade", "--json"
    )
    assert first.exit_code == 0, first.output
    assert actions(first)[BASE] == "install"
    second = deploy(
        fake, write_package(tmp_path, Spec(version="1.1.0.0")), "--mode", "upgrade", "--json"
    )
    assert second.exit_code == 0, second.output
    assert actions(second)[BASE] == "upgrade"
    assert len(fake.calls("POST", "StageAndUpgradeAsync")) == 1
    assert fake.solution(BASE)["version"] == "1.1.0.0"


def test_pain_06_same_version_redeploy_is_a_no_op(fake, package, clock) -> None:
    cif1(fake)
    assert deploy(fake, package).exit_code == 0
    before = len(fake.log)
    again = deploy(fake, package, "--json")
    assert again.exit_code == 0
    assert set(actions(again).values()) == {"skip"}
    writes = [r for r in fake.log[before:] if r.method != "GET"]
    assert writes == []


def test_pain_07_environment_variable_values_land_per_environment(package, tmp_path, clock) -> None:
    environments = {}
    for name in ("test", "prod"):
        server = FakeDataverse(TOKEN).start()
        try:
            cif1(server)
            values = {
                "enreach_EnreachApiBaseUrl": f"https://{name}.api.example",
                "enreach_VoiceWidgetUrl": f"https://{name}.widget.example",
            }
            result = deploy(
                server, package, settings=settings_file(tmp_path, values, f"{name}.json")
            )
            assert result.exit_code == 0, result.output
            environments[name] = dict(server.env_values)
        finally:
            server.stop()
    assert environments["test"]["enreach_VoiceWidgetUrl"] == "https://test.widget.example"
    assert environments["prod"]["enreach_EnreachApiBaseUrl"] == "https://prod.api.example"


def test_pain_08_connection_references_are_bound_and_flows_activated(fake, tmp_path, clock) -> None:
    cif1(fake)
    connector = "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps"
    spec = Spec(connection_refs={"enreach_dataverse": connector})
    connections = [
        {"LogicalName": "enreach_dataverse", "ConnectionId": "${CONN_ID}", "ConnectorId": connector}
    ]
    path = settings_file(
        tmp_path, {"enreach_EnreachApiBaseUrl": "https://a"}, connections=connections
    )
    result = deploy(fake, write_package(tmp_path, spec), settings=path, env={"CONN_ID": "conn-42"})
    assert result.exit_code == 0, result.output
    body = fake.calls("POST", "ImportSolutionAsync")[0].json
    assert body["PublishWorkflows"] is True
    assert fake.connections == {"enreach_dataverse": "conn-42"}


def test_pain_08_an_unbound_connection_reference_is_reported(fake, tmp_path, clock) -> None:
    cif1(fake)
    spec = Spec(connection_refs={"enreach_dataverse": "/providers/x"})
    result = deploy(fake, write_package(tmp_path, spec), "--json")
    assert any("enreach_dataverse" in w and "flows" in w for w in warnings(report(result)))


def test_pain_09_customizations_and_admin_settings_are_never_overwritten(
    fake, tmp_path, clock
) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    fake.add_setting("IncomingDirectCallSubject", "Call from a customer", "Incoming call")
    spec = Spec(version="1.1.0.0")
    spec.settings["IncomingDirectCallSubject"] = "Incoming direct call"
    result = deploy(fake, write_package(tmp_path, spec))
    assert result.exit_code == 0, result.output
    bodies = [c.json for c in fake.calls("POST", "ImportSolutionAsync")]
    assert bodies and all(b["OverwriteUnmanagedCustomizations"] is False for b in bodies)
    assert fake.settings()["IncomingDirectCallSubject"]["enreach_value"] == "Call from a customer"


def test_pain_10_failure_inside_a_succeeded_import_fails_the_deploy(fake, package, clock) -> None:
    cif1(fake)
    fake.result_failure = "The dependent component Attribute (Id=phonecall) does not exist"
    result = deploy(fake, package, "--json")
    assert result.exit_code == 1
    failed = " ".join(errors(report(result)))
    assert "the operation said it succeeded" in failed and "does not exist" in failed
    assert report(result)["settings"]["written"] == 0


def test_pain_10_a_failed_operation_fails_with_its_message(fake, package, clock) -> None:
    cif1(fake)
    fake.job_failure = "Solution manifest import: FAILURE: a required component is missing"
    result = deploy(fake, package, "--json")
    assert result.exit_code == 1
    assert "a required component is missing" in " ".join(errors(report(result)))


def test_pain_11_json_report_is_machine_readable(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="3.0.0.0"), tmp_path)
    result = deploy(fake, write_package(tmp_path, Spec(version="2.0.0.0")), "--json")
    data = json.loads(result.stdout)  # stdout is exactly one JSON object
    assert (result.exit_code, data["exit_code"], data["status"]) == (3, 3, "refused")
    assert data["solutions"][0]["from"] == "3.0.0.0" and data["solutions"][0]["to"] == "2.0.0.0"


def test_pain_12_settings_data_goes_through_the_web_api_not_pac_data(
    fake, package, clock, tmp_path, monkeypatch
) -> None:
    cif1(fake)
    pac = install_fake_pac(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{pac.parent}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / "pac.log"
    env = {
        "FAKE_PAC_LOG": str(log),
        "FAKE_PAC_TOKEN": TOKEN,
        "AZURE_CLIENT_ID": "a",
        "AZURE_TENANT_ID": "t",
        "AZURE_CLIENT_SECRET": "s3cret-value",
    }
    result = deploy(fake, package, "--via", "pac", env=env)
    assert result.exit_code == 0, result.output
    verbs = [json.loads(line)["argv"][:2] for line in log.read_text().splitlines()]
    assert ["data", "import"] not in verbs and ["package", "deploy"] not in verbs
    assert len(fake.settings()) == len(Spec().settings)


def test_pain_13_version_comes_from_solution_xml_and_older_packages_are_refused(
    fake, tmp_path, clock
) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.4.0.0"), tmp_path)
    stale = write_package(tmp_path, Spec(version="1.3.0.0"))
    misnamed = stale.rename(tmp_path / "VoiceForD365Package_1_5_0_0.zip")
    result = deploy(fake, misnamed, "--json")
    assert result.exit_code == 3
    assert report(result)["solutions"][0]["to"] == "1.3.0.0"
    assert "higher --version" in " ".join(errors(report(result)))


@pytest.mark.parametrize("legacy", [False, True])
def test_pain_14_upgrade_is_verified_by_version_whether_or_not_a_stage_shows(
    fake, tmp_path, clock, legacy: bool
) -> None:
    cif1(fake)
    fake.legacy_upgrade_stage = legacy  # older platforms show X_Upgrade while upgrading
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    result = deploy(fake, write_package(tmp_path, Spec(version="1.1.0.0")), "--mode", "upgrade")
    assert result.exit_code == 0, result.output
    assert fake.solution(BASE)["version"] == "1.1.0.0"
    assert fake.solution(BASE + "_Upgrade") is None


def test_pain_15_federated_credentials_come_from_the_ci_environment() -> None:
    github = {
        "AZURE_CLIENT_ID": "app",
        "AZURE_TENANT_ID": "tenant",
        "ACTIONS_ID_TOKEN_REQUEST_URL": "https://token.actions",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token",
    }
    assert choose_auth(github).kind == "github"
    ado = {
        "AZURESUBSCRIPTION_CLIENT_ID": "app",
        "AZURESUBSCRIPTION_TENANT_ID": "tenant",
        "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "sc",
        "SYSTEM_ACCESSTOKEN": "sys",
        "SYSTEM_OIDCREQUESTURI": "https://dev.azure.com/contoso/p/_apis/distributedtask/"
        "hubs/build/plans/1/jobs/2/oidctoken",
    }
    assert choose_auth(ado).kind == "azure-devops"
    with pytest.raises(BuildError) as caught:
        choose_auth({k: v for k, v in github.items() if k != "AZURE_CLIENT_ID"})
    message = str(caught.value)
    assert "AZURE_CLIENT_ID" in message and "token.actions.githubusercontent.com" in message


def test_pain_15_a_misconfigured_federation_is_a_clear_usage_error(package: Path) -> None:
    result = invoke(
        [
            "deploy",
            "--env",
            "https://contoso.crm4.dynamics.com",
            "--package",
            str(package),
            "--auth",
            "github",
        ],
        env={"DATAVERSE_TOKEN": ""},
    )
    assert result.exit_code == 2
    assert "ACTIONS_ID_TOKEN_REQUEST_URL" in result.stderr and "id-token: write" in result.stderr


# --- $batch failures: one diagnostic per failed write (issue 9 item 2) ---------------------


def test_a_failed_change_set_names_the_record_the_column_the_message_and_the_code(
    fake, package, clock
) -> None:
    cif1(fake)
    fake.add_tables("enreach_setting")
    taken = setting_id("CallDurationLimit")  # an administrator renamed the shipped row
    fake.add_setting("RenamedByAdmin", "admin's value", None, record_id=taken)
    result = deploy(fake, package, "--json")
    assert result.exit_code == 1, result.output
    data = report(result)
    failed = [d for d in data["diagnostics"] if d["code"] == "DEP044"]
    assert len(failed) == 1, data["diagnostics"]
    assert failed[0]["file"] == f"enreach_settings({taken})"
    assert "CallDurationLimit" in failed[0]["message"] and "0x80040237" in failed[0]["message"]
    assert "HTTP 412" in failed[0]["message"] and "rolled back" in failed[0]["hint"]
    # created with If-None-Match: *, so the administrator's row was not overwritten
    assert fake.records["enreach_settings"][taken]["enreach_name"] == "RenamedByAdmin"
    assert data["settings"]["written"] == 0
    assert "multipart" not in " ".join(d["message"] for d in data["diagnostics"])


def test_a_failed_column_is_named(fake, package, clock) -> None:
    from fakes import dv_engine

    cif1(fake)
    fake.add_tables("enreach_setting")
    schema = dv_engine.SCHEMAS["enreach_settings"]
    saved = dict(schema)
    del schema["enreach_description"]  # this environment lacks a column the package writes
    try:
        result = deploy(fake, package, "--json")
    finally:
        schema.clear()
        schema.update(saved)
    assert result.exit_code == 1
    failed = [d for d in report(result)["diagnostics"] if d["code"] == "DEP044"]
    assert failed and "column enreach_description" in failed[0]["message"]
    assert "0x80048d19" in failed[0]["message"]


# --- tokens that expire during a long import (issue 9 item 4) -------------------------------


def test_a_fixed_token_that_expires_mid_import_exits_4_and_a_rerun_with_a_fresh_one_follows(
    fake, package, clock
) -> None:
    cif1(fake)
    fake.hold = True
    fake.expire_after = ("POST", "ImportSolutionAsync")
    first = deploy(fake, package, "--json")
    assert first.exit_code == 4, first.output
    data = report(first)
    assert data["status"] == "running"
    expired = [d for d in data["diagnostics"] if d["severity"] == "error"]
    assert "DATAVERSE_TOKEN expired" in expired[0]["hint"] and "run the same" in expired[0]["hint"]
    assert "throttling" not in first.output
    fake.hold, fake.token = False, "a-fresh-token-0123456789"
    second = deploy(fake, package, "--json", env={"DATAVERSE_TOKEN": fake.token})
    assert second.exit_code == 0, second.output
    assert actions(second)[BASE] == "wait"
    assert len(fake.calls("POST", "ImportSolutionAsync")) == 1 and len(fake.jobs) == 1


def test_a_refreshable_credential_outlives_its_token(fake, package, clock, monkeypatch) -> None:  # noqa: ANN001
    import time

    from azure.core.credentials import AccessToken

    import builder.deploy.auth as auth

    issued: list[str] = []

    class Credential:
        def get_token(self, scope: str) -> AccessToken:
            issued.append(f"entra-token-number-{len(issued) + 1}")
            return AccessToken(issued[-1], int(time.time()) + 3600)

    monkeypatch.setattr(auth, "make_credential", lambda spec: Credential())
    cif1(fake)
    fake.token, fake.next_token = "entra-token-number-1", "entra-token-number-2"
    fake.expire_after = ("POST", "ImportSolutionAsync")
    spn = {
        "DATAVERSE_TOKEN": "",
        "AZURE_CLIENT_ID": "app",
        "AZURE_TENANT_ID": "tenant",
        "AZURE_CLIENT_SECRET": "s3cret-value",
    }
    result = deploy(fake, package, env=spn)
    assert result.exit_code == 0, result.output
    assert issued == ["entra-token-number-1", "entra-token-number-2"]
    assert len(fake.jobs) == 1


def test_a_rerun_during_a_promote_of_a_killed_deploy_waits_for_it_and_posts_none(
    fake, tmp_path, clock
) -> None:
    """Issue 15 item 8: the first run was killed while its DeleteAndPromoteAsync ran."""
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    fake.fail_upgrade_after_stage = True
    spec = Spec(version="1.1.0.0", web_resources=[])
    assert deploy(fake, write_package(tmp_path, spec)).exit_code == 1  # holding left
    fake.hold = True  # the killed run's promote: posted, then nobody polls it
    with httpx.Client(
        base_url=fake.url + "/api/data/v9.2/",
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "OData-Version": "4.0",
            "OData-MaxVersion": "4.0",
            "Accept": "application/json",
        },
    ) as api:
        assert api.post("DeleteAndPromoteAsync", json={"UniqueName": BASE}).status_code == 200
    fake.hold = False
    result = deploy(fake, write_package(tmp_path, spec), "--json")
    assert result.exit_code == 0, result.output
    assert actions(result)[BASE] == "resume"
    promotes = [op for op in fake.operations.values() if op.kind == "promote"]
    assert len(promotes) == 1  # the rerun's own post was refused by the lock, not run
    assert fake.solution(BASE)["version"] == "1.1.0.0"
    assert fake.solution(BASE + "_Upgrade") is None
