"""`fleet matrix` for GitHub Actions and Azure DevOps, checked against the engines' workflow
schemas (check-jsonschema's vendored ones), and the example pipelines under examples/fleet/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fakes.fixtures import invoke

ROOT = Path(__file__).resolve().parents[2]
TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT = "66666666-7777-8888-9999-000000000000"


def schema_check(builtin: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    (tmp_path / "deploy").mkdir()
    lines = ["[fleet]", "jobs = 3", ""]
    for index in range(7):
        name = [
            "contoso-prod",
            "fabrikam.eu",
            "9lives",
            "adatum_test",
            "adatum-test",
            "woodgrove",
            "northwind",
        ][index]
        (tmp_path / "deploy" / f"{name}.json").write_text('{"EnvironmentVariables": []}')
        auth = (
            f'{{ tenant_id = "{TENANT}", client_id = "{CLIENT}", federated = "github" }}'
            if index == 2
            else f'{{ tenant_id = "{TENANT}", client_id = "{CLIENT}", '
            f'secret_env = "SECRET_{index}" }}'
        )
        lines += [
            "[[environment]]",
            f'name = "{name}"',
            f'url = "https://org{index}.crm4.dynamics.com"',
            f"ring = {index % 2 + 1}",
            f'settings = "deploy/{name}.json"',
            f"auth = {auth}",
            *(["excluded = true"] if name == "woodgrove" else []),
            "",
        ]
    path = tmp_path / "fleet.toml"
    path.write_text("\n".join(lines))
    return path


def matrix(fleet: Path, engine: str, *args: str) -> dict[str, Any]:
    result = invoke(["fleet", "matrix", "--engine", engine, "--fleet", str(fleet), *args])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_github_matrix_fits_strategy_matrix_in_a_workflow(fleet: Path, tmp_path: Path) -> None:
    data = matrix(fleet, "github", "--ring", "1")
    legs = data["matrix"]["include"]
    assert data["max-parallel"] == 3
    assert [leg["env_name"] for leg in legs] == [
        "contoso-prod",
        "9lives",
        "adatum-test",
        "northwind",
    ]
    assert legs[0]["settings"] == "deploy/contoso-prod.json"
    assert legs[0]["secret_env"] == "SECRET_0" and legs[1]["federated"] == "github"
    workflow = {
        "on": "workflow_dispatch",
        "jobs": {
            "deploy": {
                "runs-on": "ubuntu-latest",
                "strategy": {
                    "fail-fast": False,
                    "max-parallel": data["max-parallel"],
                    "matrix": data["matrix"],
                },
                "steps": [{"run": 'voicepkg deploy --env "${{ matrix.env_url }}" --json'}],
            }
        },
    }
    path = tmp_path / "workflow.yml"
    path.write_text(json.dumps(workflow))
    checked = schema_check("vendor.github-workflows", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_azure_devops_matrix_fits_strategy_matrix_in_a_pipeline(
    fleet: Path, tmp_path: Path
) -> None:
    data = matrix(fleet, "azure-devops")
    legs = data["matrix"]
    assert data["maxParallel"] == 3
    # leg names: letters, digits and '_', starting with a letter, unique
    assert list(legs) == [
        "contoso_prod",
        "fabrikam_eu",
        "env_9lives",
        "adatum_test",
        "adatum_test_",
        "northwind",
    ]
    assert legs["fabrikam_eu"]["env_url"] == "https://org1.crm4.dynamics.com"
    pipeline = {
        "trigger": "none",
        "jobs": [
            {
                "job": "deploy",
                "strategy": {
                    "matrix": {
                        name: {k: str(v) for k, v in leg.items()} for name, leg in legs.items()
                    },
                    "maxParallel": str(data["maxParallel"]),
                },
                "steps": [{"script": 'voicepkg deploy --env "$(env_url)" --json'}],
            }
        ],
    }
    path = tmp_path / "azure-pipelines.yml"
    path.write_text(json.dumps(pipeline))
    checked = schema_check("vendor.azure-pipelines", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_matrix_carries_names_of_secrets_never_their_values(fleet: Path) -> None:
    result = invoke(
        ["fleet", "matrix", "--engine", "github", "--fleet", str(fleet)],
        {"SECRET_0": "the-real-client-secret"},
    )
    assert "SECRET_0" in result.stdout and "the-real-client-secret" not in result.stdout
    assert "no job: woodgrove: excluded in the fleet file" in result.stderr


@pytest.mark.parametrize(
    "path, builtin",
    [
        ("examples/fleet/github-actions.yml", "vendor.github-workflows"),
        ("examples/fleet/azure-pipelines.yml", "vendor.azure-pipelines"),
    ],
)
def test_example_pipelines_are_valid_workflows(path: str, builtin: str) -> None:
    checked = schema_check(builtin, ROOT / path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = (ROOT / path).read_text()
    for step in (
        "fleet matrix --engine",
        "voicepkg deploy --env",
        "--json",
        "fleet report",
        "--halt",
    ):
        assert step in text


@pytest.mark.parametrize("engine", ["github", "azure-devops"])
def test_the_matrix_as_text_and_markdown_lists_the_same_jobs(fleet: Path, engine: str) -> None:
    """Issue 10, one grammar: --format text|json|markdown (json the default, --json its
    alias); every format shows the jobs the JSON holds."""
    data = matrix(fleet, engine)
    assert matrix(fleet, engine, "--json") == data == matrix(fleet, engine, "--format", "json")
    legs: Any = data["matrix"]
    jobs = list(legs["include"] if engine == "github" else legs.values())
    base = ["fleet", "matrix", "--engine", engine, "--fleet", str(fleet)]
    text = invoke([*base, "--format", "text"])
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[: len(jobs)] == [
        f"ring {j['ring']}  {j['env_name']}  {j['env_url']}  settings {j['settings']}" for j in jobs
    ]
    assert "no job: woodgrove: excluded in the fleet file" in lines
    assert lines[-1] == f"{len(jobs)} job(s), at most 3 at once"
    markdown = invoke([*base, "--format", "markdown"])
    assert markdown.exit_code == 0, markdown.stderr
    assert markdown.stdout.startswith(f"### Fleet matrix: {len(jobs)} job(s), at most 3 at once")
    for j in jobs:
        assert f"| {j['ring']} | {j['env_name']} | {j['env_url']} | {j['settings']} |" in (
            markdown.stdout
        )
    assert "- woodgrove: excluded in the fleet file" in markdown.stdout
    both = invoke([*base, "--json", "--format", "text"])
    assert both.exit_code == 2
