"""validate reports every problem of a tree in one run, each where it is; --baseline git:REF;
the shallow-clone hint of diff git:REF."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support.common import SOURCES, run_cli

# Six independent mistakes: two the source schemas catch, four only the Dataverse rules see.
# (file, text, replacement, code, marker: the diagnostic is on the marker's line for a schema
# error (the attribute), on the line of the element holding the marker for a rule)
MISTAKES = [
    (
        "tables/enreach_setting.xml",
        'max-length="100"',
        'max-length="-5"',
        "SRC002",
        'max-length="-5"',
    ),
    (
        "roles/voice-user.xml",
        'read="Basic" write="Basic"',
        'read="Basc" write="Basic"',
        "SRC002",
        'read="Basc"',
    ),
    (
        "settings/phone-call-sync.xml",
        'datatype="Integer" default="60"',
        'datatype="Integer" default="sixty"',
        "DV140",
        'default="sixty"',
    ),
    (
        "channels/cif2.xml",
        'channel-url="https://d365',
        'channel-url="http://d365',
        "DV160",
        'channel-url="http://d365',
    ),
    (
        "views/enreach_setting.xml",
        '<column name="enreach_value" width="300"/>',
        '<column name="enreach_valeu" width="300"/>',
        "DV124",
        "enreach_valeu",
    ),
    (
        "tables/enreach_callbackprofile.xml",
        '<option value="105230001" label="Owner of Queue"/>',
        '<option value="5" label="Owner of Queue"/>',
        "DV110",
        'value="5"',
    ),
]


def where(text: str, marker: str, code: str) -> int:
    at = text.index(marker)
    if not code.startswith("SRC"):
        at = text.rindex("<", 0, at)  # the element that holds it
    return text.count("\n", 0, at) + 1


def test_six_independent_mistakes_give_six_errors_each_on_its_line(tmp_path: Path) -> None:
    src = tmp_path / "solution_src"
    shutil.copytree(SOURCES, src)
    expected = []
    for file, old, new, code, marker in MISTAKES:
        path = src / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the sources changed: update MISTAKES ({file})"
        text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
        expected.append((f"{src}/{file}", where(text, marker, code), code))
    result = run_cli("validate", str(src), "--json")
    assert result.exit_code == 1
    errors = [
        (d["file"], d["line"], d["code"])
        for d in json.loads(result.stdout)["diagnostics"]
        if d["severity"] == "error"
    ]
    assert errors == sorted(expected)


def test_build_still_refuses_the_first_broken_file_without_guessing(tmp_path: Path) -> None:
    src = tmp_path / "solution_src"
    shutil.copytree(SOURCES, src)
    file, old, new, _, _ = MISTAKES[0]
    (src / file).write_text((src / file).read_text(encoding="utf-8").replace(old, new, 1))
    result = run_cli("build", "package", "--src", str(src), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 1 and "error SRC002" in result.stderr
    assert not (tmp_path / "dist").exists()


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env, timeout=60
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SOURCES, repo / "solution_src")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "1.0")
    git(repo, "tag", "v1.0.0")
    return repo


def bump(repo: Path, version: str) -> None:
    project = repo / "solution_src" / "project.xml"
    text = project.read_text(encoding="utf-8")
    project.write_text(
        re.sub(r'<project version="[\d.]+"', f'<project version="{version}"', text),
        encoding="utf-8",
    )


def test_validate_baseline_can_be_a_git_revision(repo: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(repo)
    bump(repo, "1.1.0.0")
    assert run_cli("validate", "--baseline", "git:v1.0.0").exit_code == 0
    bump(repo, "1.0.0.0")  # back to the tagged version: not higher
    same = run_cli("validate", "--baseline", "git:v1.0.0")
    assert same.exit_code == 1 and "DV171" in same.stdout
    missing = run_cli("validate", "--baseline", "git:v9.9.9")
    assert missing.exit_code == 1 and "VAL040" in missing.stdout


def test_diff_of_a_revision_a_shallow_clone_lacks_says_how_to_fetch_it(
    repo: Path, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    bump(repo, "1.1.0.0")
    git(repo, "commit", "-qam", "1.1")
    git(repo, "tag", "v1.1.0")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    monkeypatch.chdir(shallow)
    result = run_cli("diff", "git:v1.0.0", "solution_src")
    assert result.exit_code == 2
    assert "shallow clone" in result.stderr and "fetch-depth: 0" in result.stderr


def test_a_file_that_cannot_be_read_stops_the_rules_instead_of_cascading(tmp_path: Path) -> None:
    src = tmp_path / "solution_src"
    shutil.copytree(SOURCES, src)
    (src / "tables" / "phonecall.xml").write_bytes(b"<table")  # its columns are used everywhere
    result = run_cli("validate", str(src), "--json")
    found = json.loads(result.stdout)["diagnostics"]
    assert result.exit_code == 1
    assert [(d["code"], d["file"]) for d in found] == [("XML001", f"{src}/tables/phonecall.xml")]
