"""CI-native output: GitHub Actions annotations and step summary, Azure DevOps logging
commands, on by themselves under GITHUB_ACTIONS / TF_BUILD and switchable with --ci; SARIF
2.1.0 checked against the OASIS schema in ../shared/reference/sarif/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.common import (
    SHARED,
    SOURCES,
    WARNED_FORM,
    WARNING_CODE,
    add_warning,
    need_shared,
    run_cli,
    warning_line,
)

from builder.errors import diagnostic
from builder.errors.codes import CODES
from builder.report.ci import annotation, detect_ci
from builder.report.sarif import sarif_log

SARIF_SCHEMA = SHARED / "reference" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """Sources with one error on a known line of tables/enreach_setting.xml, and one warning
    (add_warning)."""
    src = tmp_path / "solution_src"
    shutil.copytree(SOURCES, src)
    add_warning(src)
    table = src / "tables" / "enreach_setting.xml"
    text = table.read_text(encoding="utf-8")
    assert 'max-length="100"' in text
    table.write_text(text.replace('max-length="100"', 'max-length="-5"', 1), encoding="utf-8")
    return src


def error_line(src: Path) -> int:
    text = (src / "tables" / "enreach_setting.xml").read_text(encoding="utf-8")
    return text[: text.index('max-length="-5"')].count("\n") + 1


def test_github_actions_gets_annotations_and_a_step_summary(
    broken: Path, warned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", str(broken))
    assert result.exit_code == 1
    line = error_line(broken)
    assert f"::error file={broken}/tables/enreach_setting.xml,line={line}," in result.stderr, (
        result.stderr
    )
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n### voicepkg validate")
    assert "**1 error, 1 warning**" in written and "| error | SRC002 |" in written
    clean = run_cli("validate", str(warned))
    assert clean.exit_code == 0
    assert f"::warning file={warned / WARNED_FORM},line={warning_line(warned)}," in clean.stderr, (
        clean.stderr
    )
    assert f",title={WARNING_CODE}::{WARNING_CODE}: " in clean.stderr
    assert "::warning" not in run_cli("validate", str(SOURCES)).stderr  # ours give none
    assert summary.read_text(encoding="utf-8").count("### voicepkg validate") == 3  # one a run


def test_azure_devops_gets_logging_commands(
    broken: Path, warned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_BUILD", "True")
    result = run_cli("validate", str(broken), "--json")
    assert result.exit_code == 1
    json.loads(result.stdout)  # stdout stays one JSON object
    line = error_line(broken)
    assert (
        f"##vso[task.logissue type=error;sourcepath={broken}/tables/enreach_setting.xml;"
        f"linenumber={line};"
    ) in result.stderr
    logged = run_cli("validate", str(warned))
    assert (
        f"##vso[task.logissue type=warning;sourcepath={warned / WARNED_FORM};"
        f"linenumber={warning_line(warned)};"
    ) in logged.stderr
    assert f"code={WARNING_CODE}]" in logged.stderr


def test_azure_devops_gets_the_summary_attached(
    broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = tmp_path / "agent-temp"
    agent.mkdir()
    monkeypatch.setenv("TF_BUILD", "True")
    monkeypatch.setenv("AGENT_TEMPDIRECTORY", str(agent))
    result = run_cli("validate", str(broken))
    summary = agent / "voicepkg-validate-summary.md"
    assert f"##vso[task.uploadsummary]{summary}\n" in result.stderr
    assert "**1 error, 1 warning**" in summary.read_text(encoding="utf-8")


def test_ci_output_can_be_switched_off_and_on(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert "::error" not in run_cli("--ci", "none", "validate", str(broken)).stderr
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert "::error" not in run_cli("validate", str(broken)).stderr  # not in a CI: plain
    assert "##vso[" in run_cli("validate", str(broken), "--ci", "azure").stderr
    monkeypatch.setenv("VOICEPKG_CI", "github")
    assert "::error" in run_cli("validate", str(broken)).stderr


def test_build_failures_are_annotated_too(
    broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli("build", "package", "--src", str(broken), "--out", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert f"::error file={broken}/tables/enreach_setting.xml,line=" in result.stderr


def test_annotation_values_are_escaped() -> None:
    item = diagnostic("DV1", "50% done,\nnext: a;b]", file="a,b:c.xml", line=3, column=7, hint="x")
    assert annotation(item, "github") == (
        "::error file=a%2Cb%3Ac.xml,line=3,col=7,title=DV1::DV1: 50%25 done,%0Anext: a;b] (hint: x)"
    )
    assert annotation(item, "azure") == (
        "##vso[task.logissue type=error;sourcepath=a,b:c.xml;linenumber=3;columnnumber=7;"
        "code=DV1]DV1: 50%AZP25 done,%0Anext: a%3Bb%5D (hint: x)"
    )


@pytest.mark.parametrize(
    ("choice", "env", "found"),
    [
        ("auto", {}, None),
        ("auto", {"GITHUB_ACTIONS": "true"}, "github"),
        ("auto", {"TF_BUILD": "True"}, "azure"),
        ("none", {"TF_BUILD": "True"}, None),
        ("github", {}, "github"),
        ("auto", {"VOICEPKG_CI": "none", "GITHUB_ACTIONS": "true"}, None),
    ],
)
def test_which_ci(choice: str, env: dict[str, str], found: str | None) -> None:
    assert detect_ci(choice, env) == found


def test_sarif_validates_against_the_2_1_0_schema(broken: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(need_shared(SARIF_SCHEMA).read_text(encoding="utf-8"))
    result = run_cli("validate", str(broken), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft7Validator(schema).validate(log)  # the schema's own draft
    results = log["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error", "warning"}  # the warning too: all at once
    error = next(r for r in results if r["level"] == "error")
    location = error["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"{broken}/tables/enreach_setting.xml"
    assert location["region"]["startLine"] == error_line(broken)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]


def test_a_clean_tree_is_an_empty_but_valid_sarif_log(warned: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(need_shared(SARIF_SCHEMA).read_text(encoding="utf-8"))
    result = run_cli("validate", str(SOURCES), "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    jsonschema.Draft7Validator(schema).validate(log)
    assert log["runs"][0]["results"] == []
    log = json.loads(run_cli("validate", str(warned), "--format", "sarif").stdout)
    jsonschema.Draft7Validator(schema).validate(log)
    assert [(r["level"], r["ruleId"]) for r in log["runs"][0]["results"]] == [
        ("warning", WARNING_CODE)
    ]
    hidden = run_cli("validate", str(warned), "--format", "sarif", "--ignore", WARNING_CODE)
    assert hidden.exit_code == 0 and json.loads(hidden.stdout)["runs"][0]["results"] == []


def test_each_sarif_rule_links_the_page_that_explains_its_code() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(need_shared(SARIF_SCHEMA).read_text(encoding="utf-8"))
    found = [
        diagnostic("DV101", "bad", file="a.xml", line=3),
        diagnostic("DEP101", "unreachable", file="deploy"),
        diagnostic("ZZZ999", "a code no table knows", file="b.xml"),
    ]
    log = sarif_log(found)
    jsonschema.Draft7Validator(schema).validate(log)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    base = "https://github.com/enreach/voicepkg/blob/main/"
    assert rules["DV101"]["helpUri"] == base + CODES["DV101"].docs
    assert rules["DEP101"]["helpUri"] == base + "docs/deploy.md#diagnostic-codes"
    assert rules["DEP101"]["shortDescription"] == {"text": CODES["DEP101"].title}
    assert rules["ZZZ999"]["helpUri"] == base + "docs/validate.md#codes"
