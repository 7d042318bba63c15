"""`voicepkg diff` of two solution zips compares what the zips say about themselves too:
root components, missing dependencies, languages and each part's content type. Tried on the
real OData virtual table export (corpus2), whose lossy rebuilds once showed "no differences"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.common import SHARED, need_shared, run_cli
from support.zipsame import zip_entries

from builder.archive.writer import zip_bytes

VE = (
    SHARED / "reference/corpus2/zips/VirtualEntityRecordSource_SampleSolution_1_22043_1_managed.zip"
)


@pytest.fixture()
def original() -> dict[str, bytes]:
    return zip_entries(need_shared(VE).read_bytes())


def changes(tmp_path: Path, old: dict[str, bytes], new: dict[str, bytes]) -> list[dict[str, str]]:
    (tmp_path / "old.zip").write_bytes(zip_bytes(old))
    (tmp_path / "new.zip").write_bytes(zip_bytes(new))
    result = run_cli(
        "diff", str(tmp_path / "old.zip"), str(tmp_path / "new.zip"), "--format", "json"
    )
    found: list[dict[str, str]] = json.loads(result.output)["changes"]
    assert result.exit_code == (1 if found else 0), result.output
    return found


def test_a_lost_root_component_is_a_breaking_change(
    tmp_path: Path, original: dict[str, bytes]
) -> None:
    changed = dict(original)
    changed["solution.xml"] = re.sub(
        rb'<RootComponent [^>]*type="183"[^>]*/>', b"", original["solution.xml"]
    )
    [change] = changes(tmp_path, original, changed)
    assert change["kind"] == "root component" and change["action"] == "removed"
    assert change["name"] == "type 183 CustomConnector v2 OData datasource"
    assert change["breaking"]


def test_a_changed_root_behavior_is_reported(tmp_path: Path, original: dict[str, bytes]) -> None:
    changed = dict(original)
    changed["solution.xml"] = original["solution.xml"].replace(
        b'schemaName="account" behavior="1"', b'schemaName="account" behavior="2"'
    )
    assert changed["solution.xml"] != original["solution.xml"]
    [change] = changes(tmp_path, original, changed)
    assert (change["kind"], change["name"], change["detail"]) == (
        "root component",
        "table account",
        "behavior 1 -> 2",
    )


def test_missing_dependencies_languages_and_content_types_are_compared(
    tmp_path: Path, original: dict[str, bytes]
) -> None:
    changed = dict(original)
    changed["solution.xml"] = re.sub(
        rb"<MissingDependency>.*?</MissingDependency>",
        b"",
        original["solution.xml"],
        count=1,
        flags=re.S,
    )
    changed["customizations.xml"] = original["customizations.xml"].replace(
        b"<Language>1033</Language>", b"<Language>1033</Language><Language>1031</Language>"
    )
    changed["[Content_Types].xml"] = re.sub(
        rb"<Override [^>]*/>", b"", original["[Content_Types].xml"]
    )
    found = {(c["kind"], c["action"]) for c in changes(tmp_path, original, changed)}
    assert found == {
        ("missing dependency", "removed"),
        ("language", "added"),
        ("content type", "changed"),
    }


def test_an_unpacked_export_and_the_export_show_no_difference(tmp_path: Path) -> None:
    assert run_cli("unpack", str(need_shared(VE)), "--out", str(tmp_path / "src")).exit_code == 0
    result = run_cli("diff", str(VE), str(tmp_path / "src"))
    assert result.exit_code == 0 and "No differences." in result.output, result.output
