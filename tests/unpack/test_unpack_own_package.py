"""Issue 10 item 7: our own package unpacks into sources without warnings, with nothing kept
as exported (the virtual table and the app that shows it included), and those sources
validate, rebuild the same zips and do not differ from solution_src: the tree says it was
unpacked, so diff leaves out what no built zip carries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.common import SOURCES, run_cli
from support.zipsame import zip_entries

# What solution_src says that a built solution has no place for (diff_scope.ZIP_BLIND_NOTE):
# system tables' plural names and flags, role descriptions, template parameter descriptions.
NOT_IN_ANY_ZIP = {
    ("table", "phonecall", "plural_name 'Phone Calls' -> ''; is_activity True -> False"),
    ("table", "systemuser", "plural_name 'Users' -> ''"),
    ("role", "Voice Administrator", "description"),
    ("role", "Voice ApiUser", "description"),
    ("role", "Voice User", "description"),
    ("template parameter", "entityId", "description"),
    ("template parameter", "entityName", "description"),
}


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("own")
    built = run_cli("build", "package", "--src", str(SOURCES), "--out", str(root / "dist"))
    assert built.exit_code == 0, built.output
    package = next((root / "dist").glob("VoiceForD365Package_*.zip"))
    done = run_cli("unpack", str(package), "--out", str(root / "src"))
    assert done.exit_code == 0, done.output
    return package, root / "src", done.stderr


def test_unpack_warns_nothing_and_keeps_nothing_as_exported(
    unpacked: tuple[Path, Path, str],
) -> None:
    _, tree, stderr = unpacked
    assert "warning" not in stderr, stderr
    assert not (tree / "raw").exists()  # no frame, no component kept as exported
    assert (tree / "tables" / "enreach_callbacklist.xml").is_file()
    assert (tree / "apps" / "enreach_voiceconfigurator.xml").is_file()
    virtual = (tree / "tables" / "enreach_callbacklist.xml").read_text(encoding="utf-8")
    assert 'data-provider="OData v4 Data Provider"' in virtual
    assert 'url-variable="enreach_EnreachApiBaseUrl"' in virtual


def test_the_unpacked_tree_validates_without_warnings(unpacked: tuple[Path, Path, str]) -> None:
    checked = run_cli("validate", str(unpacked[1]), "--json")
    report = json.loads(checked.stdout)
    assert checked.exit_code == 0 and report["errors"] == 0, checked.output
    # DV143 (DefaultCrmAssignee empty) is solution_src's own warning, if validate still gives it
    assert {d["code"] for d in report["diagnostics"]} <= {"DV143"}, report["diagnostics"]


def test_the_unpacked_tree_rebuilds_the_same_zips(
    unpacked: tuple[Path, Path, str], tmp_path: Path
) -> None:
    package, tree, _ = unpacked
    assert run_cli("build", "package", "--src", str(tree), "--out", str(tmp_path)).exit_code == 0
    again = next(tmp_path.glob("VoiceForD365Package_*.zip"))
    assert zip_entries(again.read_bytes()) == zip_entries(package.read_bytes())


def test_the_unpacked_tree_differs_from_the_sources_only_in_what_no_zip_carries(
    unpacked: tuple[Path, Path, str], tmp_path: Path
) -> None:
    package, tree, _ = unpacked
    against_zip = run_cli("diff", str(tree), str(package))
    assert against_zip.exit_code == 0, against_zip.output
    assert "No differences." in against_zip.stdout
    # without unpack's mark the tree shows exactly what no zip carries as changes
    plain = tmp_path / "plain"
    shutil.copytree(tree, plain)
    header = (plain / "project.xml").read_text(encoding="utf-8")
    assert ' unpacked="true"' in header
    (plain / "project.xml").write_text(header.replace(' unpacked="true"', ""), encoding="utf-8")
    result = run_cli("diff", str(SOURCES), str(plain), "--json")
    assert result.exit_code == 1, result.output
    changes = json.loads(result.stdout)["changes"]
    found = {
        (c["kind"], c["name"], c["detail"] if c["kind"] == "table" else c["detail"].split()[0])
        for c in changes
    }
    assert found == NOT_IN_ANY_ZIP
    assert len(changes) == len(NOT_IN_ANY_ZIP)
    assert all(c["action"] == "changed" for c in changes)


@pytest.mark.parametrize("order", ["sources-first", "tree-first"])
def test_the_sources_and_their_unpacked_package_do_not_differ(
    unpacked: tuple[Path, Path, str], order: str
) -> None:
    """Issue 10 item 7: the tree unpack marks as made from a zip is compared as a zip side
    is, so nothing a zip cannot carry shows as a change, and the note says what was left out."""
    _, tree, _ = unpacked
    sides = [str(SOURCES), str(tree)]
    if order == "tree-first":
        sides.reverse()
    text = run_cli("diff", *sides)
    assert text.exit_code == 0, text.output
    assert "No differences." in text.stdout
    assert f'{tree} was unpacked from a built solution (project.xml unpacked="true")' in text.stdout
    result = run_cli("diff", *sides, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["changes"] == []
    assert any("role descriptions" in n and "unpacked" in n for n in report["notes"])


def test_unpack_json_is_one_object_and_q_v_say_less_and_more(
    unpacked: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """Issue 10, one grammar: unpack has --format json (--json); -q leaves out the summary
    line, -v names every file written."""
    package, tree, _ = unpacked
    done = run_cli("unpack", str(package), "--out", str(tmp_path / "a"), "--json")
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    written = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*.*"))
    assert report == {
        "ok": True,
        "exit_code": 0,
        "source": str(package),
        "out": str(tmp_path / "a"),
        "files": written,
        "kept_as_exported": [],
        "warnings": 0,
        "diagnostics": [],
    }
    assert written == sorted(str(p.relative_to(tree)) for p in tree.rglob("*.*"))
    quiet = run_cli("unpack", str(package), "--out", str(tmp_path / "b"), "-q")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    verbose = run_cli("unpack", str(package), "--out", str(tmp_path / "c"), "-v")
    assert verbose.stdout.splitlines() == [
        *(str(tmp_path / "c" / name) for name in written),
        f"unpacked {len(written)} files to {tmp_path / 'c'} "
        "(0 component(s) kept as exported under raw/)",
    ]
    refused = run_cli("unpack", str(package), "--out", str(tmp_path / "a"), "--json")
    assert refused.exit_code == 2  # the folder is not empty: a refused output, as IO006
    assert [d["code"] for d in json.loads(refused.stdout)["diagnostics"]] == ["UNP001"]
