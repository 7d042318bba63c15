"""Release-engineer paths through the CLI against the fake Dataverse: deploy and doctor in
JUnit and Markdown (rendered from their JSON report), doctor flagging an environment behind
the package, settings template that never overwrites a filled-in file and merges new
variables, every unset ${VAR} reported at once."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import cif2, deploy, doctor, healthy, invoke, settings_file
from fakes.packages import BASE, Spec, write_package


def junit(text: str) -> list[tuple[str, str]]:
    """(testcase name, outcome) of a JUnit document."""
    suite = ET.fromstring(text).find("testsuite")
    assert suite is not None
    return [
        (
            c.get("name", ""),
            "failure"
            if c.find("failure") is not None
            else "skipped"
            if c.find("skipped") is not None
            else "pass",
        )
        for c in suite.iter("testcase")
    ]


def test_doctor_flags_an_environment_behind_the_package(fake, tmp_path, clock) -> None:
    healthy(fake, tmp_path)
    (tmp_path / "next").mkdir()
    newer = write_package(tmp_path / "next", Spec(version="1.0.2.0"))
    result = doctor(fake, newer)
    assert result.exit_code == 1
    assert (
        f"error DEP080: solution {BASE}: {BASE} 1.0.0.0 is installed, behind the package's 1.0.2.0"
    ) in result.stdout
    cases = dict(junit(doctor(fake, newer, "--format", "junit").stdout))
    assert cases[f"solution {BASE}"] == "failure"
    assert cases["application user"] == "pass"


def test_doctor_junit_and_markdown_of_a_healthy_environment(fake, tmp_path, clock) -> None:
    package = healthy(fake, tmp_path)
    cases = junit(doctor(fake, package, "--format", "junit").stdout)
    assert cases and all(outcome == "pass" for _, outcome in cases)
    markdown = doctor(fake, package, "--format", "markdown")
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith(f"### voicepkg doctor `{fake.url}`\n\n**all ")
    assert "| application user | yes |" in markdown.stdout


def test_deploy_junit_markdown_and_step_summary(fake, tmp_path, clock) -> None:
    cif2(fake)
    package = write_package(tmp_path)
    summary = tmp_path / "summary.md"
    result = deploy(
        fake,
        package,
        "--format",
        "junit",
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.exit_code == 0, result.output
    cases = dict(junit(result.stdout))
    assert cases[f"{BASE} install - -> 1.0.0.0"] == "pass" and cases["deployment"] == "pass"
    written = summary.read_text(encoding="utf-8")
    assert written.startswith(f"### voicepkg deploy `{fake.url}`\n\n**done** (exit code 0")
    assert f"| {BASE} | install | - | 1.0.0.0 | done |" in written
    again = deploy(fake, package, "--format", "markdown")
    assert f"| {BASE} | skip | 1.0.0.0 | 1.0.0.0 | skipped |" in again.stdout


def test_a_refused_deploy_is_a_failed_junit_case(fake, tmp_path, clock) -> None:
    cif2(fake)
    package = write_package(tmp_path)
    empty = settings_file(tmp_path, {}, "empty.json")
    result = deploy(fake, package, "--format", "junit", settings=empty)
    assert result.exit_code == 3
    assert dict(junit(result.stdout))["deployment"] == "failure"


def test_every_unset_variable_is_reported_at_once(fake, tmp_path, clock) -> None:
    package = write_package(tmp_path)
    out = tmp_path / "ci.json"
    invoke(["settings", "template", "--package", str(package), "--out", str(out), "--placeholders"])
    names = [v["Value"] for v in json.loads(out.read_text())["EnvironmentVariables"]]
    assert len(names) >= 2 and all(n.startswith("${") for n in names)
    result = deploy(fake, package, "--json", settings=out)
    assert result.exit_code == 1
    unset = [
        d["message"] for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "DEP021"
    ]
    assert unset == [f"{n} is not set in the environment" for n in names]


def test_settings_template_never_overwrites_and_merges_new_variables(tmp_path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = write_package(tmp_path / "old", Spec(env_vars={"enreach_EnreachApiBaseUrl": ""}))
    new = write_package(tmp_path / "new")
    out = tmp_path / "prod.json"
    first = invoke(["settings", "template", "--package", str(old), "--out", str(out)])
    assert first.exit_code == 0, first.output
    data = json.loads(out.read_text())
    data["EnvironmentVariables"][0]["Value"] = "https://filled.example"
    out.write_text(json.dumps(data))
    refused = invoke(["settings", "template", "--package", str(new), "--out", str(out)])
    assert refused.exit_code == 2
    assert "error DEP023: exists: a filled-in settings file is not overwritten" in refused.stderr
    assert json.loads(out.read_text()) == data
    merged = invoke(["settings", "template", "--package", str(new), "--out", str(out), "--merge"])
    assert merged.exit_code == 0 and "added " in merged.stderr
    values = {
        v["SchemaName"]: v["Value"] for v in json.loads(out.read_text())["EnvironmentVariables"]
    }
    assert values["enreach_EnreachApiBaseUrl"] == "https://filled.example"
    assert len(values) > 1
    replaced = invoke(["settings", "template", "--package", str(new), "--out", str(out), "--force"])
    assert replaced.exit_code == 0
    assert "https://filled.example" not in out.read_text()


def test_settings_template_json_says_what_it_did_and_quiet_says_nothing(tmp_path) -> None:
    """Issue 10, one grammar: settings template has --format json (--json), one object;
    -q drops the "wrote"/"added" lines."""
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = write_package(tmp_path / "old", Spec(env_vars={"enreach_EnreachApiBaseUrl": ""}))
    new = write_package(tmp_path / "new")
    out = tmp_path / "prod.json"
    printed = invoke(["settings", "template", "--package", str(old), "--json"])
    assert printed.exit_code == 0, printed.output
    plain = json.loads(invoke(["settings", "template", "--package", str(old)]).stdout)
    assert json.loads(printed.stdout) == {
        "ok": True,
        "exit_code": 0,
        "out": None,
        "action": "printed",
        "added": [],
        "settings": plain,
    }
    quiet = invoke(["settings", "template", "--package", str(old), "--out", str(out), "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == quiet.stderr == ""
    merged = invoke(
        ["settings", "template", "--package", str(new), "--out", str(out), "--merge", "--json"]
    )
    assert merged.exit_code == 0, merged.output
    report = json.loads(merged.stdout)
    assert report["action"] == "merged" and report["out"] == str(out)
    assert report["added"] and "enreach_EnreachApiBaseUrl" not in report["added"]
    assert report["settings"] == json.loads(out.read_text())
    refused = invoke(["settings", "template", "--package", str(new), "--out", str(out), "--json"])
    assert refused.exit_code == 2
    assert [d["code"] for d in json.loads(refused.stdout)["diagnostics"]] == ["DEP023"]


def test_the_settings_file_the_docs_deploy_with_is_the_sources_template() -> None:
    root = Path(__file__).resolve().parents[2]
    shipped = json.loads((root / "deploy" / "production.json").read_text(encoding="utf-8"))
    made = invoke(
        [
            "settings",
            "template",
            "--from-source",
            "--src",
            str(root / "solution_src"),
            "--placeholders",
        ]
    )
    assert made.exit_code == 0
    assert json.loads(made.stdout) == shipped
    values = [v["Value"] for v in shipped["EnvironmentVariables"]]
    assert values == ["${ENREACH_API_BASE_URL}", "${USER_ID_SYNC_URL}", "${VOICE_WIDGET_URL}"]


def test_settings_by_name_from_the_configured_folder(fake, tmp_path, clock, monkeypatch) -> None:
    cif2(fake)
    package = write_package(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envs").mkdir()
    settings_file(
        tmp_path / "envs", {"enreach_EnreachApiBaseUrl": "https://api.example"}, "prod.json"
    )
    (tmp_path / "voicepkg.toml").write_text('settings = "envs"\n', encoding="utf-8")
    result = deploy(fake, package, settings=Path("prod"))
    assert result.exit_code == 0, result.output
    assert fake.env_values["enreach_EnreachApiBaseUrl"] == "https://api.example"
    missing = deploy(fake, package, settings=Path("staging"))
    assert missing.exit_code == 2 and "'staging' does not exist" in missing.stderr
