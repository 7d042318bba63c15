"""`voicepkg build` end to end on the real solution_src/: outputs, determinism, failures."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from support.common import SOURCES, WARNED_FORM, WARNING_CODE, run_cli, warning_line

from builder.archive.safezip import read_zip
from builder.build import build_package, build_solutions
from builder.xmlio.safe import parse_xml


@pytest.fixture(autouse=True)
def _no_source_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def copy_sources(target: Path, reverse: bool = False) -> Path:
    """Copy solution_src file by file, in sorted or reverse order (directory order differs)."""
    files = sorted(p for p in SOURCES.rglob("*") if p.is_file())
    for path in reversed(files) if reverse else files:
        dest = target / path.relative_to(SOURCES)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_build_package_writes_the_package_and_one_line_per_file(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = run_cli(
        "build", "package", "--src", str(SOURCES), "--version", "1.4.0.2", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    written = snapshot(out)
    assert written.pop("SHA256SUMS")  # beside the outputs, checked in test_dist_cli.py
    assert "VoiceForD365Package_1_4_0_2.zip" in written
    assert "VoiceForD365Package/ImportConfig.xml" in written
    lines = result.stdout.splitlines()
    assert len(lines) == len(written)
    for line in lines:
        path, size, _, _, digest = line.split()
        data = Path(path).read_bytes()
        assert int(size) == len(data) and digest == hashlib.sha256(data).hexdigest()


def test_build_solution_json_lists_what_it_wrote(tmp_path: Path) -> None:
    result = run_cli(
        "build", "solution", "--src", str(SOURCES), "--both", "--json", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["files"]
    names = sorted(Path(r["path"]).name for r in rows)
    assert len(names) == 4 and sum(n.endswith("_unmanaged.zip") for n in names) == 2
    for row in rows:
        assert hashlib.sha256(Path(row["path"]).read_bytes()).hexdigest() == row["sha256"]


def test_unmanaged_only(tmp_path: Path) -> None:
    result = run_cli(
        "build", "solution", "--src", str(SOURCES), "--unmanaged", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert all(n.endswith("_unmanaged.zip") for n in snapshot(tmp_path) if n != "SHA256SUMS")


def test_two_builds_in_different_places_are_byte_identical(tmp_path: Path) -> None:
    first = copy_sources(tmp_path / "a" / "solution_src")
    second = copy_sources(tmp_path / "b" / "src", reverse=True)
    for src, out in ((first, tmp_path / "a" / "dist"), (second, tmp_path / "b" / "dist")):
        assert run_cli("build", "package", "--src", str(src), "--out", str(out)).exit_code == 0
    assert snapshot(tmp_path / "a" / "dist") == snapshot(tmp_path / "b" / "dist")


def test_the_version_option_is_stamped_on_every_solution(tmp_path: Path) -> None:
    files = build_solutions(SOURCES, version="7.0.0.1")
    for name, data in files.items():
        assert "_7_0_0_1_" in name
        root = parse_xml(read_zip(data)["solution.xml"], name)
        assert root.findtext("SolutionManifest/Version") == "7.0.0.1"


def test_a_bad_version_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    result = run_cli(
        "build",
        "solution",
        "--src",
        str(SOURCES),
        "--version",
        "1.2.x",
        "--out",
        str(tmp_path / "dist"),
    )
    assert result.exit_code == 2  # a usage error
    assert "BLD001" in result.stderr
    assert not (tmp_path / "dist").exists()


def role_and_form_ids(package: dict[str, bytes]) -> set[str]:
    ids: set[str] = set()
    for name, data in package.items():
        if not name.endswith("_managed.zip") or "/" in name:
            continue
        entries = read_zip(data)
        manifest = parse_xml(entries["solution.xml"], name)
        ids |= {r.get("id", "") for r in manifest.iter("RootComponent") if r.get("id")}
        custom = parse_xml(entries["customizations.xml"], name)
        ids |= {el.text or "" for tag in ("formid", "savedqueryid") for el in custom.iter(tag)}
    return ids


def test_ids_do_not_move_when_an_unrelated_source_changes(tmp_path: Path) -> None:
    src = copy_sources(tmp_path / "src")
    before = build_package(src)
    project_xml = src / "project.xml"
    project_xml.write_text(
        project_xml.read_text(encoding="utf-8").replace(
            'display-name="Enreach"', 'display-name="Enreach GmbH"'
        ),
        encoding="utf-8",
    )
    after = build_package(src)
    assert before != after  # the publisher name did change
    assert role_and_form_ids(before) == role_and_form_ids(after)


def test_a_broken_source_fails_with_its_location_and_leaves_dist_alone(tmp_path: Path) -> None:
    src = copy_sources(tmp_path / "src")
    out = tmp_path / "dist"
    assert run_cli("build", "package", "--src", str(src), "--out", str(out)).exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    broken = next(iter(sorted((src / "tables").glob("*.xml"))))
    broken.write_text(broken.read_text(encoding="utf-8") + "\n<oops", encoding="utf-8")
    result = run_cli(
        "build", "package", "--src", str(src), "--version", "9.9.9.9", "--out", str(out)
    )
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(broken.name)}:\d+", result.stderr), result.stderr
    assert "Traceback" not in result.output
    assert snapshot(out) == before


def test_paths_default_to_the_current_folder_and_managed_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_sources(tmp_path / "solution_src")
    monkeypatch.chdir(tmp_path)
    assert run_cli("build", "solution").exit_code == 0
    names = [p.name for p in (tmp_path / "dist").iterdir() if p.name != "SHA256SUMS"]
    assert len(names) == 2 and all(n.endswith("_managed.zip") for n in names)  # the default


def test_warnings_of_the_rules_are_shown_and_do_not_stop_the_build(
    tmp_path: Path, warned: Path
) -> None:
    result = run_cli("build", "solution", "--src", str(warned), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (
        f"{warned / WARNED_FORM}:{warning_line(warned)}: warning {WARNING_CODE}" in result.stderr
    ), result.stderr
    assert len(result.stdout.splitlines()) == 2  # the zips were still written
