"""`fleet report`: one table from per-environment deploy reports and `fleet status` output,
in every format; the HTML page opened in headless Chromium, checked as a person sees it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fakes.fixtures import invoke
from fakes.fleet_fixtures import BEHIND, CURRENT, ThreadClock, fleet_of, fleet_toml, spec, tokens
from fakes.packages import write_package
from lxml import html as lxml_html

from builder.deploy.package_contents import read_package_contents
from builder.fleet.fleetfile import Halt, load_fleet
from builder.fleet.rollout import Rollout, roll_out
from builder.fleet.status import fleet_status

KINDS = [("current", 0), ("behind", 1), ("down", 1), ("drift", 1), ("layer", 2), ("behind", 2)]
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='x'\">"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A deploy over six environments (ring 1's down one halts ring 2), then a status."""
    folder = tmp_path_factory.mktemp("fleet-report")
    package = read_package_contents(write_package(folder, spec(CURRENT)))
    with fleet_of(KINDS) as envs:
        fleet = load_fleet(fleet_toml(envs, folder))
        clock = ThreadClock()
        options = Rollout(Halt(failures=0), 4, 600, 1.0, reports=folder / "reports")
        roll_out(fleet, package, tokens(envs), clock, options)
        rows = list(fleet_status(list(fleet.environments), package, tokens(envs), clock, 4, 60))
    status = folder / "status.json"
    status.write_text(json.dumps({"kind": "fleet status", "environments": rows}))
    return folder / "fleet.toml", sorted((folder / "reports").glob("*.json")) + [status]


def report(files: list[Path], *args: str) -> tuple[int, str]:
    result = invoke(["fleet", "report", *map(str, files), *args])
    return result.exit_code, result.stdout


def test_text_and_markdown_put_failures_first_with_their_diagnostics(
    reports: tuple[Path, list[Path]],
) -> None:
    _, files = reports
    code, text = report(files)
    assert code == 1  # a failed environment fails the report
    lines = text.splitlines()
    assert lines[0] == "6 environment(s): 1 failed, 2 halted, 3 done"
    assert lines[3].split()[:4] == ["ring", "environment", "status", "version"]
    table = lines[4:10]
    assert table[0].split()[1:3] == ["down-002", "failed"]
    assert [line.split()[2] for line in table[1:3]] == ["halted", "halted"]
    assert "connection refused" in text and "unmanaged layer over VoiceForD365 form" in text
    assert "settings changed by an administrator: CallDurationLimit" in text
    code, markdown = report(files, "--format", "markdown")
    assert "| 1 | down-002 | **failed** |" in markdown and "### Diagnostics" in markdown


def test_json_and_junit(reports: tuple[Path, list[Path]]) -> None:
    _, files = reports
    _, out = report(files, "--json")
    data = json.loads(out)
    assert data["summary"]["versions"] == {CURRENT: 4, BEHIND: 1, "unknown": 1}
    layer = next(r for r in data["environments"] if r["name"] == "layer-004")
    assert layer["status"] == "halted" and layer["layers"]  # deploy's status, status's layers
    _, xml = report(files, "--format", "junit")
    suites = ET.fromstring(xml.split("?>", 1)[1])
    assert suites.get("tests") == "6" and suites.get("failures") == "3"
    ring1 = suites.find("testsuite[@name='ring 1']")
    assert ring1 is not None
    failed = ring1.find("testcase[@name='down-002']/failure")
    assert failed is not None and "connection refused" in (failed.get("message") or "")


def test_the_halt_gate_judges_each_ring_by_the_rule(reports: tuple[Path, list[Path]]) -> None:
    fleet, files = reports
    strict = invoke(["fleet", "report", *map(str, files), "--fleet", str(fleet), "--halt"])
    assert strict.exit_code == 1  # the fleet file sets no rule: the first failure halts
    assert "ring 1 halts the rollout: 1 of 3 failed (halt at the first failure)" in strict.stderr
    lenient = invoke(["fleet", "report", *map(str, files), "--halt", "--max-failures", "1"])
    assert lenient.exit_code == 0 and "halts" not in lenient.stderr
    share = invoke(["fleet", "report", *map(str, files), "--halt", "--max-share", "0.3"])
    assert share.exit_code == 1 and "halt at more than 30% failed" in share.stderr


def test_a_plain_deploy_report_is_named_by_the_fleet_file(
    reports: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    fleet, files = reports
    plain = json.loads(next(f for f in files if f.name == "behind-001.json").read_text())
    del plain["fleet"]  # as `voicepkg deploy --json` writes it in a matrix job
    path = tmp_path / "deploy-report.json"
    path.write_text(json.dumps(plain))
    _, out = report([path], "--fleet", str(fleet), "--json")
    row = json.loads(out)["environments"][0]
    assert (row["name"], row["ring"], row["status"]) == ("behind-001", 1, "done")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return found


def render(page: Path, tmp_path: Path, *what: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            *what,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_the_html_page_in_headless_chromium(
    reports: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    _, files = reports
    hostile = json.loads(files[0].read_text())
    hostile["fleet"]["name"] = "zz-hostile"
    hostile["status"], hostile["solutions"] = "failed", []
    hostile["diagnostics"] = [{"code": "DEP100", "severity": "error", "message": HOSTILE}]
    (tmp_path / "hostile.json").write_text(json.dumps(hostile))
    page = tmp_path / "fleet.html"
    result = invoke(
        [
            "fleet",
            "report",
            *map(str, files),
            str(tmp_path / "hostile.json"),
            "--format",
            "html",
            "--out",
            str(page),
        ]
    )
    assert result.exit_code == 1 and page.is_file()

    dom = lxml_html.fromstring(render(page, tmp_path, "--dump-dom").stdout)
    assert dom.findtext(".//title") == "Voice for Dynamics 365: fleet status"  # no script ran
    assert not dom.xpath("//script") and not dom.xpath("//img")
    headline = dom.get_element_by_id("headline").text_content()
    assert headline.startswith("7 environment(s): 2 failed")
    headings = [h.text_content() for h in dom.xpath("//h2")]
    assert headings == [
        "Version spread",
        "Failures",
        "Drift and layers",
        "Ring 0",
        "Ring 1",
        "Ring 2",
    ]
    failures = [b.text_content() for b in dom.xpath("//div[@id='failures']/div")]
    assert failures[0].startswith("down-002") and "connection refused" in failures[0]
    assert any(HOSTILE in f for f in failures)  # shown as text
    assert [b.text_content() for b in dom.xpath("//div[@id='failures']/div/span")] == [
        "failed",
        "failed",
        "halted",
    ]
    assert failures[2].startswith("halted 2 not started: ring 1 halted: 1 of 3 failed")
    assert failures[2].endswith("behind-005, layer-004")
    drift = dom.get_element_by_id("drift").text_content()
    assert "unmanaged layer over VoiceForD365 form Voice for D365 Phone Call" in drift
    assert "CallDurationLimit" in drift
    versions = {
        tr[0].text_content(): int(tr[1].text_content())
        for tr in dom.xpath("//table[@id='versions']//tr[td]")
    }
    assert versions == {CURRENT: 4, BEHIND: 1, "unknown": 2}
    ring1 = dom.xpath("//h2[.='Ring 1']/following-sibling::table[1]//tr/td[1]")
    assert [td.text_content() for td in ring1] == [
        "down-002",
        "zz-hostile",
        "behind-001",
        "drift-003",
    ]

    shot = tmp_path / "fleet.png"
    render(page, tmp_path, f"--screenshot={shot}", "--window-size=1200,1400")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    keep = os.environ.get("VOICEPKG_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


def test_junit_stays_well_formed_when_a_server_message_holds_control_characters() -> None:
    from builder.fleet.report import junit_report
    from builder.fleet.rows import Row

    row = Row(
        "odd-001",
        1,
        "https://odd.crm.dynamics.com",
        "failed",
        errors=("DEP100: the server said \x1b[31mno\x00\x0b",),
    )
    suites = ET.fromstring(junit_report([row]))
    failure = suites.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message", "").startswith("DEP100: the server said")


def test_versions_are_unknown_only_when_the_environment_was_not_read() -> None:
    from builder.fleet.rows import combine, to_row

    fresh = to_row({"kind": "status", "name": "a", "status": "warning", "installed": {}}, None, "a")
    down = to_row(
        {"kind": "status", "name": "b", "status": "failed", "errors": ["refused"]}, None, "b"
    )
    halted = to_row(
        {
            "environment": "https://a.crm.dynamics.com",
            "status": "halted",
            "solutions": [],
            "fleet": {"name": "a", "ring": 2, "reason": "r"},
        },
        None,
        "a",
    )
    assert (fresh.version, down.version, halted.version) == ("not installed", "unknown", "unknown")
    both = combine(halted, fresh)
    assert (both.status, both.version, both.ring) == ("halted", "not installed", 2)
