"""The fleet over 50 fake Dataverse environments on loopback, mixed: current, behind, a
leftover holding solution, throttling, down, settings an administrator changed, an unmanaged
layer on our Phone Call form, never installed. Status, plan, deploy by rings with a halt and
a rerun that continues, the report, and the job matrix, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.fixtures import FakeClock, Result, clock, invoke  # noqa: F401
from fakes.fleet_fixtures import BEHIND, CURRENT, Env, fleet_of, fleet_toml, spec, tokens
from fakes.packages import BASE, write_package

KINDS = (
    [("current", 0)] * 4
    + [("down", 1)]
    + [("behind", 1)] * 8
    + [("holding", 1)] * 2
    + [("throttling", 1)] * 2
    + [("drift", 1)] * 2
    + [("layer", 1)] * 2
    + [("current", 1)] * 2
    + [("down", 2)] * 2
    + [("behind", 2)] * 16
    + [("fresh", 2)] * 3
    + [("layer", 2)]
    + [("drift", 2)]
    + [("throttling", 2)]
    + [("current", 2)] * 3
)
CLOSED = '{ days = ["sat"], start = "01:00", end = "05:00", timezone = "UTC" }'
OPEN = '{ days = ["tue"], start = "21:00", end = "23:30", timezone = "UTC" }'


def run(envs: list[Env], *argv: str) -> Result:
    return invoke(["fleet", *argv], tokens(envs))


def by_name(result: Result) -> dict[str, dict[str, object]]:
    data = json.loads(result.stdout)
    return {str(r.get("name") or r["fleet"]["name"]): r for r in data["environments"]}


def test_fifty_environments_status_plan_deploy_by_rings_report_and_matrix(
    tmp_path: Path,
    clock: FakeClock,  # noqa: F811
) -> None:
    assert len(KINDS) == 50
    package = write_package(tmp_path, spec(CURRENT))
    with fleet_of(KINDS) as envs:
        behind_closed = next(e for e in envs if e.kind == "behind" and e.ring == 1)
        behind_open = [e for e in envs if e.kind == "behind" and e.ring == 1][1]
        excluded = [e for e in envs if e.kind == "behind" and e.ring == 1][2]
        fleet = fleet_toml(
            envs,
            tmp_path,
            halt="{ failures = 1 }",
            windows={behind_closed.name: CLOSED, behind_open.name: OPEN},
            excluded=(excluded.name,),
        )
        common = ["--fleet", str(fleet), "--jobs", "8", "--format", "json"]

        # status: read only, one row each; the down environments fail their rows only
        before = {e.name: len(e.server.log) for e in envs if e.server}
        status = run(envs, "status", "--package", str(package), *common, "--timeout", "60")
        assert status.exit_code == 1, status.stderr
        rows = by_name(status)
        assert len(rows) == 49  # the excluded one is not read
        assert all(
            not e.server.calls("POST") and not e.server.calls("PATCH") for e in envs if e.server
        )
        assert all(len(e.server.log) > before[e.name] for e in envs if e.server and e.name in rows)
        for env in envs:
            if env.name == excluded.name:
                continue
            row = rows[env.name]
            if env.kind == "down":
                assert row["status"] == "failed" and "connection refused" in row["errors"][0]
                continue
            assert row["ring"] == env.ring and row["status"] in ("ok", "warning")
            if env.kind in ("current", "throttling", "drift", "layer"):
                assert row["installed"][BASE] == CURRENT and not row["behind"]
            if env.kind in ("behind", "holding"):
                assert row["installed"][BASE] == BEHIND and row["behind"]
            assert bool(row["holding"]) == (env.kind == "holding")
            assert ("CallDurationLimit" in row["changed_settings"]) == (env.kind == "drift")
            assert bool(row["layers"]) == (env.kind == "layer")
            if env.kind == "layer":
                assert row["layers"][0]["kind"] == "form"
                assert "Phone Call" in row["layers"][0]["component"]
            if env.kind == "fresh":
                assert row["installed"] == {} and row["status"] == "warning"
        throttled = [e for e in envs if e.kind == "throttling"]
        assert all(e.server.take_fault("GET", "") is None for e in throttled)  # all 429s used

        # plan: what deploy would do, nothing changed
        plan = run(envs, "plan", str(package), *common, "--timeout", "60")
        assert plan.exit_code == 1  # the down ones
        steps = {
            name: {s["uniquename"]: s["action"] for s in row.get("steps", [])}
            for name, row in by_name(plan).items()
        }
        for env in envs:
            expected = {
                "current": "skip",
                "throttling": "skip",
                "drift": "skip",
                "layer": "skip",
                "behind": "update",
                "holding": "resume",
                "fresh": "install",
            }.get(env.kind)
            if expected and env.name != excluded.name:
                assert steps[env.name][BASE] == expected, env.name
        assert all(not e.server.calls("POST") for e in envs if e.server)

        # deploy by rings: ring 2's two down environments exceed "more than 1" and halt it
        reports = tmp_path / "reports"
        first = run(envs, "deploy", str(package), *common, "--reports", str(reports))
        assert first.exit_code == 1
        done = by_name(first)
        assert len(done) == 50
        status_of = {name: r["status"] for name, r in done.items()}
        assert status_of[behind_closed.name] == "skipped"
        assert "maintenance window" in done[behind_closed.name]["fleet"]["reason"]
        assert status_of[behind_open.name] == "done"
        assert status_of[excluded.name] == "skipped"
        ring1 = [
            e for e in envs if e.ring == 1 and e.name not in (behind_closed.name, excluded.name)
        ]
        assert {status_of[e.name] for e in ring1 if e.kind != "down"} == {"done"}
        halted = [n for n, s in status_of.items() if s == "halted"]
        assert halted and all("ring 2 halted" in done[n]["fleet"]["reason"] for n in halted)
        assert all(
            e.server.solution(BASE)["version"] == BEHIND
            for e in envs
            if e.name in halted and e.kind == "behind"
        )
        for env in envs:
            if env.ring < 2 and env.kind in ("behind", "holding") and status_of[env.name] == "done":
                assert env.server.solution(BASE)["version"] == CURRENT
                assert env.server.solution(BASE + "_Upgrade") is None
        # each environment's result is deploy's own JSON report, one file each
        saved = json.loads((reports / f"{behind_open.name}.json").read_text())
        assert saved["environment"] == behind_open.url and saved["exit_code"] == 0
        assert {s["action"] for s in saved["solutions"]} == {"update"}
        assert len(list(reports.glob("*.json"))) == 50

        # the rerun continues: what was done is not touched, the halted ones are deployed
        quiet = {
            e.name: len(e.server.log) for e in envs if e.server and status_of[e.name] == "done"
        }
        second = run(
            envs, "deploy", str(package), *common, "--reports", str(reports), "--max-failures", "5"
        )
        assert second.exit_code == 1  # the down ones still fail; nothing halts now
        again = by_name(second)
        assert all(len(e.server.log) == quiet[e.name] for e in envs if e.name in quiet)
        assert all(again[n]["fleet"].get("earlier") for n in quiet)
        assert all(again[n]["status"] == "done" for n in halted if n.split("-")[0] != "down")
        assert all(
            e.server.solution(BASE)["version"] == CURRENT
            for e in envs
            if e.server and e.name not in (behind_closed.name, excluded.name)
        )

        # the report of all of it: failures first, every environment once
        report = invoke(
            [
                "fleet",
                "report",
                *sorted(map(str, reports.glob("*.json"))),
                "--fleet",
                str(fleet),
                "--format",
                "json",
            ]
        )
        assert report.exit_code == 1
        summary = json.loads(report.stdout)
        names = [r["name"] for r in summary["environments"]]
        assert len(names) == 50 and names[:3] == sorted(e.name for e in envs if e.kind == "down")
        assert summary["summary"]["status"]["failed"] == 3
        assert summary["summary"]["versions"][CURRENT] == 45

        # the matrix for both engines: one job per environment of the ring
        for engine, key in (("github", "max-parallel"), ("azure-devops", "maxParallel")):
            out = invoke(
                [
                    "fleet",
                    "matrix",
                    "--engine",
                    engine,
                    "--fleet",
                    str(fleet),
                    "--ring",
                    "1",
                    "--jobs",
                    "4",
                ]
            )
            assert out.exit_code == 0, out.stderr
            data = json.loads(out.stdout)
            legs = (
                data["matrix"]["include"] if engine == "github" else list(data["matrix"].values())
            )
            assert data[key] == 4
            assert {leg["env_name"] for leg in legs} == {e.name for e in ring1}
            assert all(leg["ring"] == 1 for leg in legs)
            assert behind_closed.name in out.stderr and excluded.name in out.stderr
            assert not any(e.token in out.stdout for e in envs)


@pytest.mark.parametrize("kind", ["down", "throttling"])
def test_one_environment_down_or_throttling_does_not_fail_the_others(
    tmp_path: Path,
    clock: FakeClock,  # noqa: F811
    kind: str,
) -> None:
    package = write_package(tmp_path, spec(CURRENT))
    with fleet_of([(kind, 0), ("behind", 0), ("behind", 0)]) as envs:
        fleet = fleet_toml(envs, tmp_path, halt="{ failures = 1 }")
        result = run(
            envs,
            "deploy",
            str(package),
            "--fleet",
            str(fleet),
            "--format",
            "json",
            "--reports",
            str(tmp_path / "r"),
        )
        statuses = {n: r["status"] for n, r in by_name(result).items()}
        assert [statuses[e.name] for e in envs[1:]] == ["done", "done"]
        assert statuses[envs[0].name] == ("failed" if kind == "down" else "done")
        assert result.exit_code == (1 if kind == "down" else 0)
