"""`voicepkg deploy` end to end: the real CLI against the fake Dataverse Web API."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fakes.dataverse import FakeDataverse
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import (
    TOKEN,
    FakeClock,
    actions,
    cif1,
    cif2,
    deploy,
    errors,
    installed,
    invoke,
    report,
    warnings,
)
from fakes.packages import (
    BASE,
    MULTI,
    PROVIDER_ID,
    Spec,
    base_zip,
    multisession_zip,
    setting_id,
    write_package,
)


def imports(fake) -> list:  # noqa: ANN001
    return fake.calls("POST", "ImportSolutionAsync") + fake.calls("POST", "StageAndUpgradeAsync")


# --- fresh installs per scenario -----------------------------------------------------------


def test_fresh_install_cif1_imports_the_base_only_and_writes_the_provider(
    fake, package, clock: FakeClock
) -> None:
    cif1(fake)
    result = deploy(fake, package, "--json")
    assert result.exit_code == 0, result.output
    assert actions(result) == {BASE: "install", MULTI: "skip"}
    assert report(result)["scenario"] == "cif1"
    assert fake.solution(BASE)["version"] == "1.0.0.0" and fake.solution(MULTI) is None
    assert fake.records["msdyn_ciproviders"][PROVIDER_ID]["msdyn_name"] == "Voice for Dynamics 365"
    assert set(fake.settings()) == set(Spec().settings)


@pytest.mark.parametrize(
    "scenario, tables",
    [
        ("cif2", ("msdyn_channelprovider",)),
        ("cif2-omnichannel", ("msdyn_channelprovider", "msdyn_liveworkstream")),
    ],
)
def test_fresh_install_cif2_scenarios_import_both_solutions_and_no_provider_record(
    fake, package, clock, scenario: str, tables: tuple[str, ...]
) -> None:
    fake.add_tables(*tables)
    result = deploy(fake, package, "--json")
    assert result.exit_code == 0, result.output
    assert report(result)["scenario"] == scenario
    assert actions(result) == {BASE: "install", MULTI: "install"}
    assert fake.solution(MULTI)["version"] == "1.0.0.0"
    assert fake.records["msdyn_ciproviders"] == {}
    assert len(imports(fake)) == 2


def test_base_is_imported_before_multisession_in_import_config_order(fake, package, clock) -> None:
    cif2(fake)
    deploy(fake, package)
    posted = [c.path for c in fake.log if c.method == "POST" and "Import" in c.path]
    assert len(posted) == 2
    first = fake.calls("POST", "ImportSolutionAsync")[0].json["CustomizationFile"]
    import base64

    assert b"VoiceForD365</UniqueName>" in _solution_xml(base64.b64decode(first))


def _solution_xml(content: bytes) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).read("solution.xml")


def test_explicit_scenario_missing_its_prerequisite_is_refused(fake, package, clock) -> None:
    cif1(fake)
    result = deploy(fake, package, "--scenario", "cif2-omnichannel", "--json")
    assert result.exit_code == 3
    assert any("msdyn_liveworkstream" in e for e in errors(report(result)))
    assert imports(fake) == []


def test_no_channel_integration_framework_is_refused_with_the_guide_step(
    fake, package, clock
) -> None:
    result = deploy(fake, package)
    assert result.exit_code == 3
    assert "install Channel Integration Framework" in result.output + result.stderr


# --- updates, upgrades, no-ops, refusals -----------------------------------------------------


def test_higher_version_that_removes_nothing_is_an_update(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    new = write_package(tmp_path, Spec(version="1.1.0.0"))
    result = deploy(fake, new, "--json")
    assert result.exit_code == 0, result.output
    assert actions(result)[BASE] == "update"
    assert fake.calls("POST", "ImportSolutionAsync")[0].json["HoldingSolution"] is False
    assert fake.solution(BASE)["version"] == "1.1.0.0"


def test_an_upgrade_that_deletes_a_column_is_refused_without_allow_data_loss(
    fake, tmp_path, clock
) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    spec = Spec(version="1.1.0.0")
    spec.columns["phonecall"].remove("enreach_apiaudit")
    result = deploy(fake, write_package(tmp_path, spec), "--json")
    assert result.exit_code == 3, result.output
    step = report(result)["solutions"][0]
    assert step["action"] == "refuse" and "--allow-data-loss" in step["reason"]
    assert {"type": "column", "name": "phonecall.enreach_apiaudit", "holds_data": True} in step[
        "removed"
    ]
    assert fake.calls("POST") == [] and fake.calls("PATCH") == []  # nothing changed
    assert fake.solution(BASE)["version"] == "1.0.0.0"


def test_removed_components_are_named_and_say_which_hold_data(fake, tmp_path, clock) -> None:
    cif1(fake)
    form = "5b0b9a5e-0000-4000-8000-00000000f0a1"
    installed(fake, Spec(version="1.0.0.0", forms={form: "phonecall"}), tmp_path)
    for row in fake.components[BASE]:  # the service names each component (msdyn_name)
        if row["msdyn_objectid"] == form:
            row["msdyn_name"] = "Voice form 5b0b9a5e"
    result = deploy(fake, write_package(tmp_path, Spec(version="1.1.0.0")), "--json")
    assert result.exit_code == 0, result.output  # a form holds no data: no consent needed
    step = report(result)["solutions"][0]
    assert step["action"] == "upgrade"
    assert step["removed"] == [{"type": "form", "name": "Voice form 5b0b9a5e", "holds_data": False}]
    assert form not in step["reason"] and "Voice form 5b0b9a5e" in step["reason"]


def test_a_removed_column_makes_it_an_upgrade_that_deletes_it(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    spec = Spec(version="1.1.0.0")
    spec.columns["phonecall"].remove("enreach_apiaudit")
    result = deploy(fake, write_package(tmp_path, spec), "--allow-data-loss", "--json")
    assert result.exit_code == 0, result.output
    step = report(result)["solutions"][0]
    assert step["action"] == "upgrade" and "phonecall.enreach_apiaudit" in step["reason"]
    assert len(fake.calls("POST", "StageAndUpgradeAsync")) == 1
    names = {r["msdyn_schemaname"] for r in fake.components[BASE]}
    assert "enreach_apiaudit" not in names


def test_mode_upgrade_forces_an_upgrade_and_mode_update_an_update(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    result = deploy(
        fake, write_package(tmp_path, Spec(version="1.0.1.0")), "--mode", "upgrade", "--json"
    )
    assert actions(result)[BASE] == "upgrade"
    spec = Spec(version="1.0.2.0", web_resources=[])
    result = deploy(fake, write_package(tmp_path, spec), "--mode", "update", "--json")
    assert actions(result)[BASE] == "update"
    assert "stay" in report(result)["solutions"][0]["reason"]


def test_same_version_twice_the_second_run_is_a_no_op(fake, package, clock) -> None:
    cif1(fake)
    assert deploy(fake, package).exit_code == 0
    writes = len(fake.calls("POST")) + len(fake.calls("PATCH"))
    result = deploy(fake, package, "--json")
    assert result.exit_code == 0
    assert set(actions(result).values()) == {"skip"}
    assert report(result)["settings"]["created"] == []
    assert len(fake.calls("POST")) + len(fake.calls("PATCH")) == writes


def test_downgrade_is_refused_with_exit_3_and_nothing_changes(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="2.0.0.0"), tmp_path)
    result = deploy(fake, write_package(tmp_path, Spec(version="1.5.0.0")), "--json")
    assert result.exit_code == 3
    assert actions(result)[BASE] == "refuse"
    assert "no downgrade" in errors(report(result))[0]
    assert fake.solution(BASE)["version"] == "2.0.0.0" and imports(fake) == []


def test_unmanaged_install_is_refused_for_a_managed_package(fake, tmp_path, clock) -> None:
    cif1(fake)
    fake.install(base_zip(Spec(version="1.0.0.0")), managed=False)
    result = deploy(fake, write_package(tmp_path, Spec(version="1.1.0.0")), "--json")
    assert result.exit_code == 3
    assert "unmanaged" in errors(report(result))[0]
    assert imports(fake) == []


def test_mode_install_refuses_to_touch_an_installed_solution(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    result = deploy(fake, write_package(tmp_path, Spec(version="1.1.0.0")), "--mode", "install")
    assert result.exit_code == 3


def test_dry_run_prints_the_plan_and_changes_nothing(fake, package, clock) -> None:
    cif1(fake)
    result = deploy(fake, package, "--dry-run")
    assert result.exit_code == 0
    assert "install" in result.stdout and "Dry run" in result.stdout
    assert "settings: not written (planned: " in result.stdout
    assert fake.calls("POST") == [] and fake.calls("PATCH") == []


# --- settings data ---------------------------------------------------------------------------


def test_admin_changed_setting_is_kept_and_untouched_default_is_updated(
    fake, tmp_path, clock
) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    fake.add_setting("CallDurationLimit", "42", "10", setting_id("CallDurationLimit"))
    fake.add_setting("ExecutionInterval", "5", "5", setting_id("ExecutionInterval"))
    spec = Spec(version="1.1.0.0")
    spec.settings.update(CallDurationLimit="15", ExecutionInterval="7", NewSetting="x")
    result = deploy(fake, write_package(tmp_path, spec), "--json")
    assert result.exit_code == 0, result.output
    settings = fake.settings()
    assert settings["CallDurationLimit"]["enreach_value"] == "42"
    assert settings["ExecutionInterval"]["enreach_value"] == "7"
    assert settings["ExecutionInterval"]["enreach_defaultvalue"] == "7"
    assert settings["NewSetting"]["enreach_value"] == "x"
    data = report(result)["settings"]
    assert data["kept"] == ["CallDurationLimit"] and data["updated"] == ["ExecutionInterval"]
    assert "NewSetting" in data["created"]


def test_settings_go_in_one_batch_not_one_request_per_record(fake, tmp_path, clock) -> None:
    cif1(fake)
    spec = Spec(settings={f"Setting{i:04}": str(i) for i in range(1200)})
    result = deploy(fake, write_package(tmp_path, spec))
    assert result.exit_code == 0, result.output
    batches = fake.calls("POST", "$batch")
    assert [b.operations for b in batches] == [1000, 201]  # 1200 settings + the provider
    outside = [c.path for c in fake.calls("PATCH") if not c.path.startswith("msdyn_odatav4ds(")]
    assert outside == [] and len(fake.settings()) == 1200  # the data source is no setting


def test_cif1_provider_keeps_the_apps_and_roles_an_admin_selected(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    fake.records["msdyn_ciproviders"][PROVIDER_ID] = {
        "msdyn_ciproviderid": PROVIDER_ID,
        "msdyn_name": "Voice (old)",
        "msdyn_appselector": "app-1,app-2",
        "msdyn_roleselector": "role-1;role-2",
    }
    result = deploy(fake, write_package(tmp_path, Spec(version="1.1.0.0")), "--json")
    assert result.exit_code == 0, result.output
    record = fake.records["msdyn_ciproviders"][PROVIDER_ID]
    assert record["msdyn_name"] == "Voice for Dynamics 365"
    assert record["msdyn_appselector"] == "app-1,app-2"
    assert record["msdyn_roleselector"] == "role-1;role-2"
    assert any("apps and roles" in w for w in warnings(report(result)))


# --- environment variables -------------------------------------------------------------------


def test_missing_required_value_is_an_error_before_any_import(
    fake, package, tmp_path, clock
) -> None:
    cif1(fake)
    empty = tmp_path / "empty.json"
    empty.write_text('{"EnvironmentVariables": [], "ConnectionReferences": []}')
    result = deploy(fake, package, "--json", settings=empty)
    assert result.exit_code == 3
    assert "enreach_EnreachApiBaseUrl" in errors(report(result))[0]
    assert imports(fake) == []


def test_values_come_from_the_process_environment_through_placeholders(
    fake, package, tmp_path, clock
) -> None:
    cif1(fake)
    path = tmp_path / "prod.json"
    path.write_text(
        '{"EnvironmentVariables": [{"SchemaName": "enreach_EnreachApiBaseUrl", '
        '"Value": "${API_BASE}/v1"}]}'
    )
    result = deploy(fake, package, settings=path, env={"API_BASE": "https://prod.example"})
    assert result.exit_code == 0, result.output
    params = fake.calls("POST", "ImportSolutionAsync")[0].json["ComponentParameters"]
    assert {
        "@odata.type": "Microsoft.Dynamics.CRM.environmentvariablevalue",
        "schemaname": "enreach_EnreachApiBaseUrl",
        "value": "https://prod.example/v1",
    } in params
    assert fake.env_values["enreach_EnreachApiBaseUrl"] == "https://prod.example/v1"


def test_unset_placeholder_variable_is_named_in_the_error(fake, package, tmp_path, clock) -> None:
    cif1(fake)
    path = tmp_path / "prod.json"
    path.write_text(
        '{"EnvironmentVariables": [{"SchemaName": "enreach_EnreachApiBaseUrl", '
        '"Value": "${NOT_SET_ANYWHERE}"}]}'
    )
    result = deploy(fake, package, settings=path)
    assert result.exit_code == 1
    assert "${NOT_SET_ANYWHERE} is not set" in result.stderr


def test_current_environment_value_satisfies_a_required_variable(fake, tmp_path, clock) -> None:
    cif1(fake)
    installed(fake, Spec(version="1.0.0.0"), tmp_path)
    fake.env_values["enreach_EnreachApiBaseUrl"] = "https://already.example"
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    result = deploy(fake, write_package(tmp_path, Spec(version="1.1.0.0")), settings=empty)
    assert result.exit_code == 0, result.output
    assert fake.env_values["enreach_EnreachApiBaseUrl"] == "https://already.example"


# --- post-install checks ------------------------------------------------------------------------


def test_post_install_checks_pass_when_the_guide_was_followed(fake, tmp_path, clock) -> None:
    cif2(fake)
    fake.add_app_user("Voice back end", ["Voice ApiUser"])
    spec = Spec(settings={"DefaultCrmAssignee": "fbc423f5-74f9-e911-80e0-000d3a2bd2f6"})
    assert deploy(fake, write_package(tmp_path, spec)).exit_code == 0
    fake.add_profile("enreach_voicechannelprovider", "Voice agents")
    result = deploy(fake, write_package(tmp_path, spec), "--json")
    assert report(result)["checks"] and all(c["ok"] for c in report(result)["checks"])


def test_post_install_checks_report_the_guide_instructions(fake, package, clock) -> None:
    cif2(fake)
    fake.add_app_user("Someone else", ["System Administrator"])
    result = deploy(fake, package, "--json")
    assert result.exit_code == 0
    checks = " ".join(warnings(report(result)))
    assert "Voice ApiUser" in checks and "Guide 1.4" in checks
    assert "DefaultCrmAssignee" in checks and "Guide 1.5.3" in checks
    assert "app profile" in checks and "Guide 1.5.1.2" in checks
    codes = {d["message"].split(":")[0]: d["code"] for d in report(result)["diagnostics"]}
    assert codes == {
        "application user": "DEP080",
        "DefaultCrmAssignee": "DV143",
        "app profile": "DEP080",
    }  # the empty assignee keeps validate's old code


# --- usage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://contoso.crm4.dynamics.com", "only for loopback"),
        ("contoso.crm4.dynamics.com", "not an environment URL"),
        ("https://contoso.crm4.dynamics.com/main.aspx?appid=1", "path, query"),
        ("ftp://contoso", "not an environment URL"),
        ("https://contoso.crm.dynamics.com:99999", "bad port"),
    ],
)
def test_bad_environment_urls_are_usage_errors(package: Path, url: str, message: str) -> None:
    result = invoke(["deploy", "--env", url, "--package", str(package)])
    assert result.exit_code == 2
    assert message in result.stderr


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
SOLUTION_KEYS = {
    "uniquename",
    "from",
    "to",
    "action",
    "status",
    "reason",
    "import_job_key",
    "async_operation_id",
    "duration_seconds",
    "removed",
}


def test_json_output_is_one_object_on_stdout_in_the_shared_report_shape(
    fake, package, clock
) -> None:
    cif1(fake)
    result = deploy(fake, package, "--json")
    data = report(result)
    assert set(data) == ENVELOPE | {
        "scenario",
        "solutions",
        "settings",
        "cif1_provider",
        "environment_variables",
        "virtual_tables",
        "checks",
    }
    assert data["report"] == "deploy" and data["report_version"] == 1
    assert data["tool"]["name"] == "voicepkg" and data["tool"]["version"]
    assert data["package"] == {
        "name": "VoiceForD365Package",
        "version": "1.0.0.0",
        "sha256": hashlib.sha256(package.read_bytes()).hexdigest(),
        "source": str(package),
    }
    assert data["started_at"].endswith("Z") and data["finished_at"] >= data["started_at"]
    assert all(set(s) == SOLUTION_KEYS for s in data["solutions"])
    base = next(s for s in data["solutions"] if s["uniquename"] == BASE)
    job = next(iter(fake.jobs.values()))
    assert base["async_operation_id"] == job.operation_id and base["import_job_key"]
    assert base["duration_seconds"] is not None and base["duration_seconds"] >= 0
    assert data["settings"]["written"] == len(data["settings"]["created"]) > 0
    assert all(
        set(d) == {"code", "severity", "message", "hint", "file", "line", "column"}
        for d in data["diagnostics"]
    )
    assert data["counts"]["errors"] == 0
    assert "Plan for" in result.stderr and "Plan for" not in result.stdout


def test_a_rerun_that_changes_nothing_reports_nothing_written(fake, package, clock) -> None:
    cif1(fake)
    assert deploy(fake, package).exit_code == 0
    data = report(deploy(fake, package, "--json"))
    assert data["settings"]["written"] == 0 and data["cif1_provider"] == "unchanged"
    assert {s["action"] for s in data["solutions"]} == {"skip"}
    assert all(s["import_job_key"] is None for s in data["solutions"])


def test_no_credentials_is_a_usage_error_naming_the_variables(fake, package) -> None:
    result = invoke(
        ["deploy", "--env", fake.url, "--package", str(package)], env={"DATAVERSE_TOKEN": ""}
    )
    assert result.exit_code == 2
    assert "AZURE_CLIENT_ID" in result.stderr


def test_wrong_token_fails_with_the_hint_and_without_the_token(fake, package, clock) -> None:
    cif1(fake)
    result = deploy(fake, package, "--json", env={"DATAVERSE_TOKEN": "wrong-secret-token-1"})
    assert result.exit_code == 1
    text = result.stdout + result.stderr
    assert "HTTP 401" in text and "wrong-secret-token-1" not in text


def test_settings_template_lists_the_package_variables(package, tmp_path) -> None:
    out = tmp_path / "deploy" / "prod.json"
    result = invoke(["settings", "template", "--package", str(package), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(out.read_text())
    names = [v["SchemaName"] for v in data["EnvironmentVariables"]]
    assert names == ["enreach_EnreachApiBaseUrl", "enreach_UserIdSyncUrl", "enreach_VoiceWidgetUrl"]
    assert data["EnvironmentVariables"][0]["Value"] == ""
    assert data["ConnectionReferences"] == []


def test_settings_template_with_placeholders_round_trips_into_deploy(
    fake, package, tmp_path, clock
) -> None:
    cif1(fake)
    out = tmp_path / "ci.json"
    invoke(["settings", "template", "--package", str(package), "--out", str(out), "--placeholders"])
    env = {
        "ENREACH_API_BASE_URL": "https://a.example",
        "USER_ID_SYNC_URL": "https://b",
        "VOICE_WIDGET_URL": "https://c",
    }
    result = deploy(fake, package, settings=out, env=env)
    assert result.exit_code == 0, result.output
    assert fake.env_values["enreach_VoiceWidgetUrl"] == "https://c"


def test_default_package_is_the_one_in_dist(fake, tmp_path, clock, monkeypatch) -> None:
    cif1(fake)
    (tmp_path / "dist").mkdir()
    write_package(tmp_path / "dist")
    monkeypatch.chdir(tmp_path)
    result = invoke(["deploy", "--env", fake.url, "--dry-run"])
    assert "VoiceForD365" in result.stdout
    assert result.exit_code == 3  # the required variable has no value: refused before import


def test_multisession_installed_keeps_the_cif2_scenario(fake, tmp_path, clock) -> None:
    fake.add_tables("msdyn_ciprovider", "msdyn_channelprovider")
    fake.install(base_zip(Spec()))
    fake.install(multisession_zip(Spec()))
    result = deploy(fake, write_package(tmp_path, Spec(version="1.1.0.0")), "--json")
    assert report(result)["scenario"] == "cif2"


def test_progress_is_plain_lines_when_not_on_a_terminal(fake, package, clock) -> None:
    cif1(fake)
    fake.polls_to_finish = 8
    result = deploy(fake, package)
    lines = [line for line in result.output.splitlines() if line.endswith("%")]
    percents = [int(line.removeprefix("VoiceForD365: ").rstrip("%")) for line in lines]
    assert len(percents) >= 3 and percents == sorted(set(percents)) and percents[-1] == 100
    assert "\x1b[" not in result.output  # no terminal control codes in a CI log


def test_quiet_leaves_out_the_progress_lines_only(fake, tmp_path, clock) -> None:
    """-q: "only results and errors; no progress lines" holds for deploy too."""
    cif1(fake)
    fake.polls_to_finish = 8
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    loud = deploy(fake, write_package(tmp_path / "a", Spec(version="1.0.0.0")))
    fake.polls_to_finish = 8
    quiet = deploy(fake, write_package(tmp_path / "b", Spec(version="1.1.0.0")), "-q")
    assert loud.exit_code == quiet.exit_code == 0, quiet.output
    assert [line for line in loud.output.splitlines() if line.endswith("%")]
    assert not [line for line in quiet.output.splitlines() if line.endswith("%")]
    assert quiet.stdout.strip()  # the plan and the result are still said


def test_an_import_job_that_never_completed_days_ago_is_ignored_with_a_warning(
    fake, package, clock
) -> None:
    cif1(fake)
    old = fake.add_orphan_job(BASE, "2020-01-01T00:00:00Z")
    result = deploy(fake, package, "--json")
    assert result.exit_code == 0, result.output
    assert actions(result)[BASE] == "install"
    assert any(old in w and "never completed" in w for w in warnings(report(result)))


def test_publish_all_only_after_an_unmanaged_import(fake, tmp_path, clock) -> None:
    cif1(fake)
    assert deploy(fake, write_package(tmp_path, Spec(version="1.0.0.0"))).exit_code == 0
    assert fake.calls("POST", "PublishAllXml") == []  # managed imports arrive published
    dev = FakeDataverse(TOKEN).start()
    try:
        cif1(dev)
        result = deploy(dev, write_package(tmp_path, Spec(version="1.0.0.0", managed=False)))
        assert result.exit_code == 0, result.output
        assert len(dev.calls("POST", "PublishAllXml")) == 1
    finally:
        dev.stop()


def test_json_errors_before_any_request_are_still_one_json_object(fake, tmp_path, clock) -> None:
    result = deploy(fake, tmp_path / "missing.zip", "--json")
    data = report(result)
    assert result.exit_code == data["exit_code"] == 1
    assert "DEP001" in errors(data)[0] and data["solutions"] == []
    assert fake.log == []
