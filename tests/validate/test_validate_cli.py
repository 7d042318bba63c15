"""`voicepkg validate` end to end: exit codes, text and JSON output, --strict, --baseline,
the built Voice package, and the real console entry point on hostile input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.common import WARNING_CODE

from builder.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = int(main(["validate", *args]) or 0)
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def package(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Voice build written to a folder: solution zips, package folder and zip."""
    from builder.archive.writer import write_outputs
    from builder.build import build_package, build_solutions

    out = tmp_path_factory.mktemp("dist")
    write_outputs(out, {**build_solutions(sources, unmanaged=True), **build_package(sources)})
    return out


def test_the_voice_sources_are_valid_without_a_warning_also_strict(
    sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DefaultCrmAssignee is empty in the sources on purpose (each environment sets it): deploy
    and doctor report it (DV143), validate of the sources does not."""
    code, out, err = run([str(sources), "--strict"], capsys)
    assert code == 0, out
    assert out == "" and err == f"{sources}: valid\n"


def test_the_voice_sources_with_a_warning_are_valid_with_one_warning(
    warned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([str(warned)], capsys)
    assert code == 0
    assert [line.split(": ")[1].split()[1] for line in out.splitlines()] == [WARNING_CODE]
    assert "0 errors, 1 warning" in err


def test_strict_fails_on_warnings(warned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(warned), "--strict"], capsys)
    assert code == 1 and f"error {WARNING_CODE}" in out


def test_json_output_is_one_object_with_a_sorted_list_of_diagnostics(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "solution_src"
    shutil.copytree(sources, src)
    (src / "roles" / "voice-user.xml").write_text("<role name='x'", encoding="utf-8")
    (src / "tables" / "phonecall.xml").write_bytes(b"<table")
    code, out, _ = run([str(src), "--format", "json"], capsys)
    report = json.loads(out)
    found = report["diagnostics"]
    assert report["valid"] is False and report["errors"] == len(found)
    assert code == 1
    assert set(found[0]) == {"file", "line", "column", "code", "message", "hint", "severity"}
    keys = [(d["file"], d["line"], d["column"], d["code"]) for d in found]
    assert keys == sorted(keys) and len(found) >= 2


@pytest.mark.parametrize("args", [["/no/such/folder"], ["--format", "xml"], ["--bogus"]])
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(args, capsys)[0] == 2


def _with_version(sources: Path, tmp: Path, version: str) -> Path:
    copy = tmp / f"src_{version}"
    shutil.copytree(sources, copy)
    project = copy / "project.xml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace('version="1.0.0.0"', f'version="{version}"'), encoding="utf-8")
    return copy


@pytest.mark.parametrize(("old", "code"), [("0.9.0.0", 0), ("1.0.0.0", 1), ("1.0.0.10", 1)])
def test_baseline_sources_must_be_older(
    sources: Path, tmp_path: Path, old: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = _with_version(sources, tmp_path, old)
    result, out, _ = run([str(sources), "--baseline", str(baseline)], capsys)
    assert result == code
    assert ("DV171" in out) is (code == 1)


def test_baseline_can_be_a_built_zip(
    package: Path, tmp_path: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _with_version(sources, tmp_path, "1.0.1.0")
    old = package / "VoiceForD365_1_0_0_0_managed.zip"
    assert run([str(new), "--baseline", str(old)], capsys)[0] == 0
    code, out, _ = run([str(old), "--baseline", str(package / "VoiceForD365Package")], capsys)
    assert code == 1 and "DV171" in out


@pytest.mark.parametrize(
    "name",
    [
        "VoiceForD365_1_0_0_0_managed.zip",
        "VoiceForD365_1_0_0_0_unmanaged.zip",
        "VoiceForD365Multisession_1_0_0_0_managed.zip",
        "VoiceForD365Multisession_1_0_0_0_unmanaged.zip",
        "VoiceForD365Package",
        "VoiceForD365Package_1_0_0_0.zip",
    ],
)
def test_the_built_voice_package_is_clean(
    package: Path, name: str, ms_schemas: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([str(package / name), "--format", "json"], capsys)
    found = json.loads(out)["diagnostics"]
    assert code == 0, err
    assert found == []


def test_a_folder_of_build_outputs_names_what_to_validate(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([str(package)], capsys)
    assert code == 1 and "VAL005" in out and "VoiceForD365Package" in out


def test_missing_microsoft_schemas_are_a_loud_warning(
    package: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("VOICEPKG_SHARED", str(tmp_path / "nowhere"))
    code, out, _ = run([str(package / "VoiceForD365_1_0_0_0_managed.zip")], capsys)
    assert code == 0 and "warning SCH100" in out and "NOT" in out


@pytest.mark.parametrize("data", [b"PK\x03\x04truncated", b"\x00" * 100])
def test_the_console_entry_point_never_shows_a_traceback(data: bytes, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(data)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-m", "builder", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert "ZIP002" in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip"]


def test_warnings_are_one_line_per_code_with_a_count_unless_verbose(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = str(corpus / "Tactec-Inc+dev-powerapps" / "XML_1_1")
    code, out, err = run([export], capsys)
    _, json_out, _ = run([export, "--format", "json"], capsys)
    counts: dict[str, int] = {}
    for item in json.loads(json_out)["diagnostics"]:
        counts[item["code"]] = counts.get(item["code"], 0) + 1
    lines = out.splitlines()
    assert code == 0 and counts["SCH201"] > 100
    for name, count in counts.items():
        firsts = [line for line in lines if f"warning {name}:" in line]
        more = [line for line in lines if f" more {name} warning" in line]
        assert len(firsts) == 1
        assert more == (
            [f"  ... and {count - 1} more {name} warning{'s' * (count > 2)} (--verbose lists each)"]
            if count > 1
            else []
        )
    code, verbose, _ = run([export, "--verbose"], capsys)
    assert code == 0 and len(verbose.splitlines()) == sum(counts.values())
