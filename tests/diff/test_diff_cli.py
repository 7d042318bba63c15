"""`voicepkg diff` end to end: sources, built zips, packages and git revisions; one change
of several kinds made in a copy of solution_src, found the same way in sources and builds;
exit codes 0 (same), 1 (different), 2 (errors)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import Result
from support.common import run_cli

from builder.archive.writer import write_outputs
from builder.build import build_package, build_solutions

# (file under solution_src, text to find, its replacement): one change of a kind each.
EDITS = [
    ("project.xml", 'version="1.0.0.0"', 'version="1.0.0.1"'),
    (
        "tables/enreach_setting.xml",
        'display-name="Value" max-length="4000"',
        'display-name="Value" max-length="2000"',
    ),
    ("tables/enreach_callbackprofile.xml", '    <option value="105230001" label="Webhook"/>\n', ""),
    (
        "roles/voice-user.xml",
        'on="Activity" create="Basic" read="Basic"',
        'on="Activity" create="Basic" read="Local"',
    ),
    (
        "views/enreach_setting.xml",
        '    <column name="enreach_datatype" width="100"/>\n'
        '    <condition attribute="statecode" operator="eq" value="0"/>\n'
        '    <order attribute="enreach_name"/>\n  </view>\n  <view name="Phone Call Sync Settings"',
        '    <condition attribute="statecode" operator="eq" value="0"/>\n'
        '    <order attribute="enreach_name"/>\n  </view>\n  <view name="Phone Call Sync Settings"',
    ),
    ("forms/phonecall/voice-phone-call.xml", '      <field column="description"/>\n', ""),
    (
        "forms/phonecall/voice-phone-call.xml",
        '      <field column="enreach_queuenumber"/>\n',
        '      <field column="enreach_queuenumber"/>\n      <field column="description"/>\n',
    ),
    ("settings/callback-sync.xml", 'default="Callback request"', 'default="Call me back"'),
    ("webresources/scripts/callbackprofile.js", "", "// changed\n"),
]


def edited_copy(sources: Path, target: Path) -> Path:
    shutil.copytree(sources, target)
    for file, old, new in EDITS:
        path = target / file
        text = path.read_text(encoding="utf-8")
        if old:
            assert old in text, f"{file}: the sources changed, update EDITS"
            text = text.replace(old, new, 1)
        else:
            text = new + text
        path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def sides(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sources before and after the edits, each also built to a package."""
    root = tmp_path_factory.mktemp("sides")
    new = edited_copy(sources, root / "new_src")
    out = {"old_src": sources, "new_src": new}
    for name, src in (("old", sources), ("new", new)):
        write_outputs(root / f"{name}_dist", build_package(src))
        out[f"{name}_pkg"] = next((root / f"{name}_dist").glob("VoiceForD365Package_*.zip"))
        out[f"{name}_dir"] = root / f"{name}_dist" / "VoiceForD365Package"
        zips = build_solutions(src)
        out[f"{name}_zip"] = root / f"{name}_base.zip"
        out[f"{name}_zip"].write_bytes(
            next(d for n, d in zips.items() if n.startswith("VoiceForD365_"))
        )
    return out


def _kinds(result: Result) -> dict[tuple[str, str], dict[str, object]]:
    return {(c["kind"], c["name"]): c for c in json.loads(result.stdout)["changes"]}


@pytest.mark.parametrize(
    "old, new",
    [
        ("old_src", "new_src"),
        ("old_pkg", "new_pkg"),
        ("old_dir", "new_pkg"),
        ("old_src", "new_pkg"),
    ],
)
def test_each_change_is_found_in_sources_and_in_builds(
    sides: dict[str, Path], old: str, new: str
) -> None:
    result = run_cli("diff", str(sides[old]), str(sides[new]), "--format", "json")
    assert result.exit_code == 1, result.output
    changes = _kinds(result)
    assert changes[("column", "enreach_value")]["breaking"]
    removed = changes[("choice value", "105230001")]
    assert removed["action"] == "removed" and removed["needs_upgrade"] and removed["breaking"]
    privilege = changes[("privilege", "prvReadActivity")]
    assert "Basic -> Local (widened)" in str(privilege["detail"])
    assert changes[("view column", "enreach_datatype")]["action"] == "removed"
    moved = changes[("form field", "description")]
    assert "moved from general/call to general/enreach" in str(moved["detail"])
    assert "'Call me back'" in str(changes[("setting", "CallbackRequestDefaultSubject")]["detail"])
    assert ("web resource", "enreach_/scripts/callbackprofile.js") in changes
    problems = json.loads(result.stdout)["version_problems"]
    assert len(problems) == 1 and "revision-only" in problems[0]


def test_a_solution_zip_is_compared_with_its_solution_only(sides: dict[str, Path]) -> None:
    result = run_cli("diff", str(sides["old_zip"]), str(sides["new_src"]), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert not any(c["kind"] == "setting" for c in data["changes"])  # package data
    assert any("VoiceForD365 only" in n for n in data["notes"])
    assert ("column", "enreach_value") in _kinds(result)


def test_no_difference_exits_0(sides: dict[str, Path]) -> None:
    for old, new in (("old_src", "old_pkg"), ("old_pkg", "old_dir"), ("new_zip", "new_src")):
        result = run_cli("diff", str(sides[old]), str(sides[new]))
        assert result.exit_code == 0, result.output
        assert result.stdout.rstrip().endswith("No differences.")


def test_the_markdown_report_is_fit_for_release_notes(sides: dict[str, Path]) -> None:
    result = run_cli("diff", str(sides["old_pkg"]), str(sides["new_pkg"]), "--format", "markdown")
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("## Changes from 1.0.0.0 to 1.0.0.1")
    for heading in (
        "### Tables",
        "### Forms",
        "### Views",
        "### Security roles",
        "### Web resources",
        "### Default settings",
    ):
        assert heading in text
    assert (
        "| - | choice value | `enreach_callbackprofile.enreach_synchronizationmethod/105230001` |"
        in text
    )
    assert ":warning: **Version:**" in text


def test_the_text_report_marks_upgrade_and_breaking_changes(sides: dict[str, Path]) -> None:
    result = run_cli("diff", str(sides["old_src"]), str(sides["new_src"]))
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if "105230001" in x)
    assert line.strip().startswith("- choice value") and "[upgrade, BREAKING]" in line
    assert "Needs an upgrade: yes. Breaking for existing data: yes." in result.stdout


def test_errors_exit_2(tmp_path: Path, sides: dict[str, Path]) -> None:
    missing = run_cli("diff", str(tmp_path / "nothing.zip"), str(sides["old_src"]))
    assert missing.exit_code == 2 and "DIF001" in missing.stderr
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    broken = run_cli("diff", str(tmp_path / "bad.zip"), str(sides["old_src"]))
    assert broken.exit_code == 2 and "ZIP002" in broken.stderr
    assert run_cli("diff", str(sides["old_src"])).exit_code == 2  # usage
    assert run_cli("diff", "a", "b", "--format", "yaml").exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_git_revision_is_built_from_its_sources(
    tmp_path: Path, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(sources, repo / "solution_src")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "v1"], ["tag", "v1"]):
        subprocess.run([*git, *args], cwd=repo, check=True)
    edited = edited_copy(sources, tmp_path / "edited")
    shutil.rmtree(repo / "solution_src")
    shutil.copytree(edited, repo / "solution_src")
    monkeypatch.chdir(repo)
    assert run_cli("diff", "git:v1", "solution_src").exit_code == 1
    assert run_cli("diff", "git:v1", "git:HEAD").exit_code == 0  # HEAD is still v1
    bad = run_cli("diff", "git:no-such-tag", "solution_src")
    assert bad.exit_code == 2 and "DIF003" in bad.stderr


def test_an_export_and_its_unpacked_sources_show_no_difference(
    corpus: Path, tmp_path: Path
) -> None:
    """Sources that keep tables as exported are compared as built, like the zip."""
    export = corpus / "JRSasing+crm-dynamics-365/solution"
    assert run_cli("unpack", str(export), "--out", str(tmp_path / "src")).exit_code == 0
    assert any((tmp_path / "src/raw").rglob("*.xml"))
    result = run_cli("diff", str(export), str(tmp_path / "src"))
    assert result.exit_code == 0, result.output
