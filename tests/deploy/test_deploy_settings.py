"""Settings without loss (the merge) and the deployment settings file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import cif1, deploy, installed, report, settings_file, warnings
from fakes.packages import Spec, setting_id, write_package
from hypothesis import given
from hypothesis import strategies as st

from builder.deploy.configdata_rows import SettingRow, read_config_data
from builder.deploy.package_contents import ConnectionRefDef, EnvVarDef, Package, PackageSolution
from builder.deploy.settings import (
    final_value,
    load_deployment_settings,
    merge_settings,
    settings_template,
)
from builder.deploy.state import EnvSetting
from builder.errors import BuildError


def row(name: str, default: str) -> SettingRow:
    return SettingRow(f"id-{name}", name, default, default)


def test_missing_settings_are_created() -> None:
    plan = merge_settings(None, (row("A", "1"), row("B", "2")))
    assert [r.name for r in plan.create] == ["A", "B"] and plan.writes == 2


def test_a_value_changed_by_an_administrator_is_kept_even_when_the_default_moves() -> None:
    plan = merge_settings(
        (EnvSetting("e1", "CallDurationLimit", "42", "10"),), (row("CallDurationLimit", "15"),)
    )
    assert plan.kept == ("CallDurationLimit",) and plan.writes == 0


def test_an_untouched_setting_gets_the_new_default_in_its_environment_record() -> None:
    plan = merge_settings(
        (EnvSetting("e1", "ExecutionInterval", "5", "5"),), (row("ExecutionInterval", "7"),)
    )
    assert plan.update == ((("e1", row("ExecutionInterval", "7"))),)


def test_an_untouched_setting_with_the_same_default_is_unchanged() -> None:
    plan = merge_settings((EnvSetting("e1", "A", "1", "1"),), (row("A", "1"),))
    assert plan.unchanged == ("A",) and plan.writes == 0


def test_a_record_without_a_default_is_kept_unless_it_holds_the_new_default() -> None:
    plan = merge_settings(
        (EnvSetting("e1", "A", "mine", None), EnvSetting("e2", "B", "2", None)),
        (row("A", "1"), row("B", "2")),
    )
    assert plan.kept == ("A",) and plan.unchanged == ("B",)


def test_names_match_without_regard_to_case() -> None:
    plan = merge_settings(
        (EnvSetting("e1", "defaultcrmassignee", "x", ""),), (row("DefaultCrmAssignee", ""),)
    )
    assert plan.kept == ("DefaultCrmAssignee",) and plan.create == ()


def test_final_value_is_what_the_environment_will_hold() -> None:
    current = (EnvSetting("e1", "A", "mine", "1"), EnvSetting("e2", "B", "2", "2"))
    shipped = (row("A", "1"), row("B", "3"), row("C", "4"))
    plan = merge_settings(current, shipped)
    assert [final_value(plan, current, shipped, n) for n in "ABCD"] == ["mine", "3", "4", None]


settings = st.dictionaries(
    st.sampled_from("ABCDEFG"),
    st.tuples(st.sampled_from(["1", "2", "x"]), st.sampled_from(["1", "2", None])),
    max_size=7,
)
shipped_values = st.dictionaries(st.sampled_from("ABCDEFG"), st.sampled_from(["1", "2", "3"]))


@given(current=settings, shipped=shipped_values)
def test_no_write_ever_touches_a_value_that_differs_from_its_default(current, shipped) -> None:  # noqa: ANN001
    env = tuple(EnvSetting(f"e{n}", n, v, d) for n, (v, d) in current.items())
    rows = tuple(row(n, v) for n, v in sorted(shipped.items()))
    plan = merge_settings(env, rows)
    touched = {record_id for record_id, _ in plan.update}
    for setting in env:
        if setting.id in touched:
            assert setting.value == setting.default
    assert {r.name for r in plan.create} == set(shipped) - set(current)
    assert len(plan.create) + len(plan.update) + len(plan.kept) + len(plan.unchanged) == len(
        shipped
    )


# --- the deployment settings file -----------------------------------------------------------------


def write(tmp_path: Path, data: object, text: str | None = None) -> Path:
    path = tmp_path / "prod.json"
    path.write_text(text if text is not None else json.dumps(data), encoding="utf-8")
    return path


def test_pac_form_with_placeholders_from_the_environment(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "EnvironmentVariables": [
                {"SchemaName": "a_Url", "Value": "${HOST}/api"},
                {"SchemaName": "a_Empty", "Value": ""},
            ],
            "ConnectionReferences": [
                {"LogicalName": "a_conn", "ConnectionId": "${CONN}", "ConnectorId": "/providers/x"},
                {"LogicalName": "a_unbound", "ConnectionId": "", "ConnectorId": "/providers/y"},
            ],
        },
    )
    loaded = load_deployment_settings(path, {"HOST": "https://h", "CONN": "c-1"})
    assert loaded.env_values == {"a_Url": "https://h/api"}  # empty values are not values
    assert loaded.connections == (
        {"LogicalName": "a_conn", "ConnectionId": "c-1", "ConnectorId": "/providers/x"},
    )


def test_keys_are_read_without_regard_to_case_and_a_bom_is_fine(tmp_path: Path) -> None:
    text = "\ufeff" + json.dumps({"environmentVariables": [{"schemaName": "a", "value": "1"}]})
    assert load_deployment_settings(write(tmp_path, None, text), {}).env_values == {"a": "1"}


def test_an_unset_variable_is_named_with_its_entry(tmp_path: Path) -> None:
    path = write(tmp_path, {"EnvironmentVariables": [{"SchemaName": "a", "Value": "${NOPE}"}]})
    with pytest.raises(BuildError) as caught:
        load_deployment_settings(path, {})
    assert "EnvironmentVariables[0]" in str(caught.value) and "${NOPE}" in str(caught.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"EnvironmentVariables": [', "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"EnvironmentVariables": {"a": 1}}', "list of objects"),
        ('{"EnvironmentVariables": [{"SchemaName": "a", "Value": 5}]}', "non-empty string"),
        ('{"EnvironmentVariables": [{"Value": "x"}]}', "schemaname"),
    ],
)
def test_malformed_files_are_errors_with_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BuildError) as caught:
        load_deployment_settings(write(tmp_path, None, text), {})
    assert message in str(caught.value) and "prod.json" in str(caught.value)


def test_template_lists_variables_and_connection_references_in_order() -> None:
    solution = PackageSolution(
        "S",
        "1.0",
        True,
        "s.zip",
        b"",
        env_vars=(
            EnvVarDef("b_Second", 100000000, "dflt"),
            EnvVarDef("a_First", 100000000, required=True),
        ),
        connection_refs=(ConnectionRefDef("a_conn", "/providers/x"),),
    )
    data = settings_template(Package("p", (solution,)))
    assert data == {
        "EnvironmentVariables": [
            {"SchemaName": "a_First", "Value": ""},
            {"SchemaName": "b_Second", "Value": "dflt"},
        ],
        "ConnectionReferences": [
            {"LogicalName": "a_conn", "ConnectionId": "", "ConnectorId": "/providers/x"}
        ],
    }
    placeholders = settings_template(Package("p", (solution,)), placeholders=True)
    assert placeholders["EnvironmentVariables"][0]["Value"] == "${FIRST}"  # prefix dropped


# --- per-environment values (issue 9 item 7) ------------------------------------------------


def test_a_same_version_deploy_applies_a_changed_variable_value_without_an_import(
    fake, tmp_path, clock
) -> None:  # noqa: ANN001
    cif1(fake)
    installed(fake, Spec(), tmp_path)
    fake.env_values["enreach_EnreachApiBaseUrl"] = "https://old.example.invalid"
    package = write_package(tmp_path, Spec())
    moved = settings_file(tmp_path, {"enreach_EnreachApiBaseUrl": "https://new.example.invalid"})
    result = deploy(fake, package, "--json", settings=moved)
    assert result.exit_code == 0, result.output
    data = report(result)
    assert {s["action"] for s in data["solutions"]} == {"skip"}
    assert data["environment_variables"]["set_directly"] == ["enreach_EnreachApiBaseUrl"]
    assert fake.env_values["enreach_EnreachApiBaseUrl"] == "https://new.example.invalid"
    assert imports(fake) == []
    again = deploy(fake, package, settings=moved)  # now nothing to do
    assert again.exit_code == 0 and "Nothing to do" in again.stdout


def test_the_settings_file_carries_the_owners_setting_values(fake, tmp_path, clock) -> None:  # noqa: ANN001
    cif1(fake)
    installed(fake, Spec(), tmp_path)
    fake.add_tables("enreach_setting")
    for name, value in Spec().settings.items():
        fake.add_setting(name, value, value, record_id=setting_id(name))
    fake.add_setting("CallDurationLimit", "99", "10", record_id=setting_id("CallDurationLimit"))
    path = tmp_path / "prod.json"
    path.write_text(
        json.dumps(
            {
                "EnvironmentVariables": [
                    {
                        "SchemaName": "enreach_EnreachApiBaseUrl",
                        "Value": "https://api.example.invalid",
                    }
                ],
                "ConnectionReferences": [],
                "EnreachSettings": [{"Name": "DefaultCrmAssignee", "Value": "${ASSIGNEE}"}],
            }
        )
    )
    assignee = "fbc423f5-74f9-e911-80e0-000d3a2bd2f6"
    result = deploy(
        fake, write_package(tmp_path, Spec()), "--json", settings=path, env={"ASSIGNEE": assignee}
    )
    assert result.exit_code == 0, result.output
    data = report(result)
    assert data["settings"]["assigned"] == ["DefaultCrmAssignee"]
    assert "CallDurationLimit" in data["settings"]["kept"]  # absent from the file: kept
    assert fake.settings()["DefaultCrmAssignee"]["enreach_value"] == assignee
    assert fake.settings()["CallDurationLimit"]["enreach_value"] == "99"
    assert not any("DefaultCrmAssignee" in w for w in warnings(data))
    assert imports(fake) == []


def imports(fake):  # noqa: ANN001, ANN201
    return fake.calls("POST", "ImportSolutionAsync") + fake.calls("POST", "StageAndUpgradeAsync")


@pytest.mark.parametrize("missing", ["data.xml", "data_schema.xml"])
def test_configuration_data_lacking_a_file_names_it(missing: str) -> None:
    entries = {"data.xml": b"<entities/>", "data_schema.xml": b"<entities/>"}
    del entries[missing]
    with pytest.raises(BuildError) as caught:
        read_config_data(entries, "pkg/data.zip")
    (found,) = caught.value.diagnostics
    assert (found.code, found.file) == ("DEP009", "pkg/data.zip")
    assert missing in found.message
