"""The release pipelines under examples/release/: valid against GitHub's and Azure DevOps'
workflow schemas (check-jsonschema's vendored copies), and their voicepkg commands run green,
step by step with the variables the pipelines set, in a git checkout of the sources against
the fake Dataverse, with the CI's own environment simulated (annotations, step summary)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.dataverse import FakeDataverse
from fakes.fixtures import TOKEN, cif2
from support.common import (
    MS_SCHEMAS,
    ROOT,
    SOURCES,
    WARNED_FORM,
    WARNING_CODE,
    add_warning,
    need_shared,
    warning_line,
)

EXAMPLES = ROOT / "examples" / "release"
GITHUB = EXAMPLES / "github-actions.yml"
AZURE = EXAMPLES / "azure-pipelines.yml"
VARIABLES = {
    "AZURE_CLIENT_ID": "11111111-2222-3333-4444-555555555555",
    "AZURE_TENANT_ID": "66666666-7777-8888-9999-000000000000",
    "ENREACH_API_BASE_URL": "https://api.enreach.example",
    "USER_ID_SYNC_URL": "https://sync.enreach.example",
    "VOICE_WIDGET_URL": "https://widget.enreach.example",
}


def load_yaml(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML  # comes with check-jsonschema (the test extras)

    return dict(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("path", "schema"), [(GITHUB, "vendor.github-workflows"), (AZURE, "vendor.azure-pipelines")]
)
def test_the_examples_are_valid_pipelines(path: Path, schema: str) -> None:
    # python regexes: check-jsonschema's default engine cannot compile a pattern the Azure
    # schema uses for tag triggers (RegressError "Invalid character escape")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--regex-variant",
            "python",
            "--builtin-schema",
            schema,
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def fake() -> Iterator[FakeDataverse]:
    server = FakeDataverse(TOKEN).start()
    cif2(server)
    yield server
    server.stop()


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=60,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example",
        },
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The repository as a pipeline sees it at tag v1.2.0, with v1.1.0 before it and
    Microsoft's schemas at ms-schemas/ (what the examples point VOICEPKG_MS_SCHEMAS at);
    v1.2.0 also brings one validate warning (add_warning), for the annotations."""
    repo = tmp_path / "repo"
    shutil.copytree(SOURCES, repo / "solution_src")
    shutil.copytree(ROOT / "deploy", repo / "deploy")
    (repo / "ms-schemas").symlink_to(need_shared(MS_SCHEMAS), target_is_directory=True)
    git(repo, "init", "-q")
    git(repo, "add", "solution_src", "deploy")
    git(repo, "commit", "-qm", "1.1.0")
    git(repo, "tag", "v1.1.0")
    setting = repo / "solution_src" / "settings" / "callback-sync.xml"
    setting.write_text(
        setting.read_text(encoding="utf-8").replace(
            'default="Callback request"', 'default="Call me back"'
        ),
        encoding="utf-8",
    )
    add_warning(repo / "solution_src")
    git(repo, "commit", "-qam", "1.2.0")
    git(repo, "tag", "v1.2.0")
    return repo


def run_script(script: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One step's script as the runner runs it (bash -e)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    base = {
        "PATH": path,
        "HOME": str(repo.parent),
        "LANG": "C.UTF-8",
        "DATAVERSE_TOKEN": TOKEN,
        "VOICEPKG_POLL_INTERVAL": "0.05",
    }
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=repo,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def github_steps(variables: dict[str, str]) -> Iterator[tuple[str, str, dict[str, str], bool]]:
    """(name, script, env, may fail) of every run: step, ${{ vars.X }} filled in."""
    workflow = load_yaml(GITHUB)

    def fill(text: str) -> str:
        return re.sub(r"\$\{\{\s*vars\.(\w+)\s*\}\}", lambda m: variables[m.group(1)], text)

    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                env = {
                    k: fill(str(v))
                    for k, v in {**workflow.get("env", {}), **step.get("env", {})}.items()
                }
                yield (
                    step.get("name", step["run"]),
                    fill(step["run"]),
                    env,
                    bool(step.get("continue-on-error")),
                )


def azure_steps(variables: dict[str, str]) -> Iterator[tuple[str, str, dict[str, str], bool]]:
    """(name, script, env, may fail) of every script and AzureCLI inline script, $(X) macros
    filled in; pipeline variables are environment variables of every step."""
    pipeline = load_yaml(AZURE)

    def fill(text: str) -> str:
        return re.sub(r"\$\(([\w.]+)\)", lambda m: variables.get(m.group(1), m.group(0)), text)

    for step in pipeline["steps"]:
        script = step.get("script") or step.get("inputs", {}).get("inlineScript")
        if script:
            env = {
                k: fill(str(v))
                for k, v in {**pipeline.get("variables", {}), **step.get("env", {})}.items()
            }
            yield (
                step.get("displayName", script),
                fill(script),
                env,
                bool(step.get("continueOnError")),
            )


def run_pipeline(
    steps: Iterator[tuple[str, str, dict[str, str], bool]], repo: Path, ci: dict[str, str]
) -> dict[str, subprocess.CompletedProcess[str]]:
    ran = {}
    for name, script, env, may_fail in steps:
        if script.strip() == "pip install .":
            continue  # voicepkg is installed already: the test runs the installed command
        done = run_script(script, repo, {**ci, **env})
        assert done.returncode == 0 or (may_fail and done.returncode == 1), (
            f"step {name!r} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
        assert "Traceback" not in done.stderr
        ran[name] = done
    return ran


def check_outputs(repo: Path, fake: FakeDataverse, version: str) -> None:
    assert (repo / f"dist/VoiceForD365Package_{version.replace('.', '_')}.zip").is_file()
    assert fake.solution("VoiceForD365")["version"] == version
    assert "Call me back" in (repo / "release-notes.md").read_text(encoding="utf-8")
    sarif = (repo / "validate.sarif").read_text(encoding="utf-8")
    assert '"version": "2.1.0"' in sarif and f'"{WARNING_CODE}"' in sarif
    assert "SCH100" not in sarif  # Microsoft's schemas found where the pipeline says
    for report in ("deploy-report.xml", "doctor-report.xml"):
        assert ET.parse(repo / report).getroot().tag == "testsuites"


def test_the_github_workflow_runs_green_against_the_fake(
    checkout: Path, fake: FakeDataverse
) -> None:
    summary = checkout.parent / "step-summary.md"
    ci = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REF_NAME": "v1.2.0",
        "GITHUB_RUN_NUMBER": "42",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    ran = run_pipeline(github_steps({**VARIABLES, "DATAVERSE_URL": fake.url}), checkout, ci)
    assert list(ran) == ["Validate", "Build", "Release notes", "Deploy", "Doctor"]
    check_outputs(checkout, fake, "1.2.0.42")
    where = f"solution_src/{WARNED_FORM.as_posix()}"
    assert (
        f"::warning file={where},line={warning_line(checkout / 'solution_src')},"
        in ran["Validate"].stderr
    ), ran["Validate"].stderr
    written = summary.read_text(encoding="utf-8")
    for section in ("### voicepkg validate", "### voicepkg deploy", "### voicepkg doctor"):
        assert section in written
    assert "Call me back" in written  # the diff's Markdown


def test_the_azure_pipeline_runs_green_against_the_fake(
    checkout: Path, fake: FakeDataverse
) -> None:
    ci = {"TF_BUILD": "True", "BUILD_SOURCEBRANCHNAME": "v1.2.0", "BUILD_BUILDID": "4711"}
    variables = {**VARIABLES, "DATAVERSE_URL": fake.url, "System.AccessToken": "unused"}
    ran = run_pipeline(azure_steps(variables), checkout, ci)
    assert list(ran) == ["Validate", "Build", "Release notes", "Deploy", "Doctor"]
    check_outputs(checkout, fake, "1.2.0.4711")
    where = f"solution_src/{WARNED_FORM.as_posix()}"
    assert (
        f"##vso[task.logissue type=warning;sourcepath={where};"
        f"linenumber={warning_line(checkout / 'solution_src')};"
    ) in ran["Validate"].stderr
