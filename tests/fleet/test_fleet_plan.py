"""`fleet plan`: data loss of an upgrade and missing values, per environment, nothing written;
status rows for one ring only."""

from __future__ import annotations

import json
from pathlib import Path

from fakes.fixtures import FakeClock, clock, invoke  # noqa: F401
from fakes.fleet_fixtures import fleet_of, fleet_toml, spec, tokens
from fakes.packages import BASE, write_package


def test_plan_names_data_loss_and_missing_values_and_changes_nothing(
    tmp_path: Path,
    clock: FakeClock,  # noqa: F811
) -> None:
    dropped = spec("1.2.0.0")
    dropped.columns["enreach_setting"].remove("enreach_description")
    package = write_package(tmp_path, dropped)
    with fleet_of([("behind", 1), ("fresh", 1), ("current", 2)]) as envs:
        fleet = fleet_toml(envs, tmp_path)
        (tmp_path / "settings.json").write_text('{"EnvironmentVariables": []}')
        result = invoke(
            ["fleet", "plan", str(package), "--fleet", str(fleet), "--ring", "1", "--json"],
            tokens(envs),
        )
        assert result.exit_code == 3, result.stderr  # the fresh one is refused
        rows = {r["name"]: r for r in json.loads(result.stdout)["environments"]}
        assert set(rows) == {envs[0].name, envs[1].name}  # ring 1 only
        behind, fresh = rows[envs[0].name], rows[envs[1].name]
        # deploy refuses an upgrade that deletes data without --allow-data-loss (issue 9)
        assert behind["status"] == "refused"
        assert {s["uniquename"]: s["action"] for s in behind["steps"]}[BASE] == "refuse"
        assert behind["data_loss"] == [f"{BASE}: column enreach_setting.enreach_description"]
        assert behind["missing_settings"] == []  # the environment has its value
        assert fresh["status"] == "refused"
        assert fresh["missing_settings"] == ["enreach_EnreachApiBaseUrl"]
        assert any("enreach_EnreachApiBaseUrl" in e for e in fresh["errors"])
        assert all(
            not e.server.calls("POST") and not e.server.calls("PATCH") for e in envs if e.server
        )
        text = invoke(
            ["fleet", "plan", str(package), "--fleet", str(fleet), "--ring", "1"], tokens(envs)
        )
        assert "data loss: VoiceForD365: column enreach_setting.enreach_description" in text.stdout
        allowed = invoke(
            [
                "fleet",
                "plan",
                str(package),
                "--fleet",
                str(fleet),
                "--ring",
                "1",
                "--allow-data-loss",
                "--json",
            ],
            tokens(envs),
        )
        behind = json.loads(allowed.stdout)["environments"][0]
        assert behind["name"] == envs[0].name and behind["status"] == "changes"
        assert {s["uniquename"]: s["action"] for s in behind["steps"]}[BASE] == "upgrade"
        assert behind["data_loss"] == [f"{BASE}: column enreach_setting.enreach_description"]
        assert "missing value: enreach_EnreachApiBaseUrl" in text.stdout


def test_status_of_one_ring_as_markdown_and_a_missing_credential_fails_its_row_only(
    tmp_path: Path,
    clock: FakeClock,  # noqa: F811
) -> None:
    package = write_package(tmp_path, spec())
    with fleet_of([("current", 0), ("layer", 1), ("drift", 1)]) as envs:
        fleet = fleet_toml(envs, tmp_path)
        variables = tokens(envs)
        del variables[envs[2].variable]
        result = invoke(
            [
                "fleet",
                "status",
                "--package",
                str(package),
                "--fleet",
                str(fleet),
                "--ring",
                "1",
                "--format",
                "markdown",
            ],
            variables,
        )
        assert result.exit_code == 1
        assert f"| 1 | {envs[2].name} | **failed** |" in result.stdout
        assert f"the environment variable {envs[2].variable} is not set" in result.stdout
        assert f"| 1 | {envs[1].name} | **warning** |" in result.stdout
        assert "unmanaged layer over VoiceForD365 form" in result.stdout
        assert envs[0].name not in result.stdout
        assert not envs[2].server.log  # nothing was sent without its credential


def test_an_import_in_progress_shows_in_status_and_plan_follows_it(
    tmp_path: Path,
    clock: FakeClock,  # noqa: F811
) -> None:
    from datetime import UTC, datetime

    package = write_package(tmp_path, spec())
    with fleet_of([("behind", 1)]) as envs:
        assert envs[0].server is not None
        started = datetime.fromtimestamp(clock.wall() - 600, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        job = envs[0].server.add_orphan_job(BASE, started)
        fleet = fleet_toml(envs, tmp_path)
        status = invoke(
            ["fleet", "status", "--package", str(package), "--fleet", str(fleet), "--json"],
            tokens(envs),
        )
        row = json.loads(status.stdout)["environments"][0]
        assert row["imports_running"] == [{"solution": BASE, "job": job, "progress": 0.0}]
        assert row["status"] == "warning" and f"job {job}" in " ".join(row["warnings"])
        plan = invoke(
            ["fleet", "plan", str(package), "--fleet", str(fleet), "--json"], tokens(envs)
        )
        steps = json.loads(plan.stdout)["environments"][0]["steps"]
        assert {s["uniquename"]: s["action"] for s in steps}[BASE] == "wait"
