"""Settings without loss (the merge) and the deployment settings file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.deploy.configdata import SettingRow
from builder.deploy.package import ConnectionRefDef, EnvVarDef, Package, PackageSolution
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
    plan = merge_settings((EnvSetting("e1", "CallDurationLimit", "42", "10"),),
                          (row("CallDurationLimit", "15"),))
    assert plan.kept == ("CallDurationLimit",) and plan.writes == 0


def test_an_untouched_setting_gets_the_new_default_in_its_environment_record() -> None:
    plan = merge_settings((EnvSetting("e1", "ExecutionInterval", "5", "5"),),
                          (row("ExecutionInterval", "7"),))
    assert plan.update == ((("e1", row("ExecutionInterval", "7"))),)


def test_an_untouched_setting_with_the_same_default_is_unchanged() -> None:
    plan = merge_settings((EnvSetting("e1", "A", "1", "1"),), (row("A", "1"),))
    assert plan.unchanged == ("A",) and plan.writes == 0


def test_a_record_without_a_default_is_kept_unless_it_holds_the_new_default() -> None:
    plan = merge_settings((EnvSetting("e1", "A", "mine", None), EnvSetting("e2", "B", "2", None)),
                          (row("A", "1"), row("B", "2")))
    assert plan.kept == ("A",) and plan.unchanged == ("B",)


def test_names_match_without_regard_to_case() -> None:
    plan = merge_settings((EnvSetting("e1", "defaultcrmassignee", "x", ""),),
                          (row("DefaultCrmAssignee", ""),))
    assert plan.kept == ("DefaultCrmAssignee",) and plan.create == ()


def test_final_value_is_what_the_environment_will_hold() -> None:
    current = (EnvSetting("e1", "A", "mine", "1"), EnvSetting("e2", "B", "2", "2"))
    shipped = (row("A", "1"), row("B", "3"), row("C", "4"))
    plan = merge_settings(current, shipped)
    assert [final_value(plan, current, shipped, n) for n in "ABCD"] == ["mine", "3", "4", None]


settings = st.dictionaries(st.sampled_from("ABCDEFG"), st.tuples(
    st.sampled_from(["1", "2", "x"]), st.sampled_from(["1", "2", None])), max_size=7)
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
        shipped)


# --- the deployment settings file -----------------------------------------------------------------


def write(tmp_path: Path, data: object, text: str | None = None) -> Path:
    path = tmp_path / "prod.json"
    path.write_text(text if text is not None else json.dumps(data), encoding="utf-8")
    return path


def test_pac_form_with_placeholders_from_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, {
        "EnvironmentVariables": [{"SchemaName": "a_Url", "Value": "${HOST}/api"},
                                 {"SchemaName": "a_Empty", "Value": ""}],
        "ConnectionReferences": [{"LogicalName": "a_conn", "ConnectionId": "${CONN}",
                                  "ConnectorId": "/providers/x"},
                                 {"LogicalName": "a_unbound", "ConnectionId": "",
                                  "ConnectorId": "/providers/y"}]})
    loaded = load_deployment_settings(path, {"HOST": "https://h", "CONN": "c-1"})
    assert loaded.env_values == {"a_Url": "https://h/api"}  # empty values are not values
    assert loaded.connections == ({"LogicalName": "a_conn", "ConnectionId": "c-1",
                                   "ConnectorId": "/providers/x"},)


def test_keys_are_read_without_regard_to_case_and_a_bom_is_fine(tmp_path: Path) -> None:
    text = "\ufeff" + json.dumps({"environmentVariables": [{"schemaName": "a", "value": "1"}]})
    assert load_deployment_settings(write(tmp_path, None, text), {}).env_values == {"a": "1"}


def test_an_unset_variable_is_named_with_its_entry(tmp_path: Path) -> None:
    path = write(tmp_path, {"EnvironmentVariables": [{"SchemaName": "a", "Value": "${NOPE}"}]})
    with pytest.raises(BuildError) as caught:
        load_deployment_settings(path, {})
    assert "EnvironmentVariables[0]" in str(caught.value) and "${NOPE}" in str(caught.value)


@pytest.mark.parametrize("text, message", [
    ('{"EnvironmentVariables": [', "not valid JSON"),
    ('[1, 2]', "JSON object"),
    ('{"EnvironmentVariables": {"a": 1}}', "list of objects"),
    ('{"EnvironmentVariables": [{"SchemaName": "a", "Value": 5}]}', "non-empty string"),
    ('{"EnvironmentVariables": [{"Value": "x"}]}', "schemaname"),
])
def test_malformed_files_are_errors_with_the_file(tmp_path: Path, text: str,
                                                  message: str) -> None:
    with pytest.raises(BuildError) as caught:
        load_deployment_settings(write(tmp_path, None, text), {})
    assert message in str(caught.value) and "prod.json" in str(caught.value)


def test_template_lists_variables_and_connection_references_in_order() -> None:
    solution = PackageSolution("S", "1.0", True, "s.zip", b"", env_vars=(
        EnvVarDef("b_Second", 100000000, "dflt"), EnvVarDef("a_First", 100000000, required=True)),
        connection_refs=(ConnectionRefDef("a_conn", "/providers/x"),))
    data = settings_template(Package("p", (solution,)))
    assert data == {"EnvironmentVariables": [{"SchemaName": "a_First", "Value": ""},
                                             {"SchemaName": "b_Second", "Value": "dflt"}],
                    "ConnectionReferences": [{"LogicalName": "a_conn", "ConnectionId": "",
                                              "ConnectorId": "/providers/x"}]}
    placeholders = settings_template(Package("p", (solution,)), placeholders=True)
    assert placeholders["EnvironmentVariables"][0]["Value"] == "${FIRST}"  # prefix dropped
