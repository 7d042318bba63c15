"""Issue 15 items 6 (entry names no file system can hold) and 12 (entries that differ only by
case): validate, unpack, diff and the package reader of deploy refuse the same zips, with the
entry named, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from adversarial.harness import Sandbox, check, make_zip

URL = "https://contoso.crm4.dynamics.com"


def hostile(entries: dict[str, bytes], case: str) -> dict[str, bytes]:
    """The real solution's entries plus one hostile name (or pair)."""
    extra = {
        "long-name": {"WebResources/" + "a" * 300 + ".js": b"x"},
        "deep": {"/".join(["d"] * 2000) + "/x.js": b"x"},
        "long-path": {"/".join(["abcdefghij"] * 150) + ".js": b"x"},
        "file-and-folder": {"Other/x": b"x", "Other/x/y": b"y"},
        "file-and-folder-by-case": {"Other/x": b"x", "OTHER/X/y": b"y"},
        "case-duplicate": {"Solution.xml": entries["solution.xml"]},
        "case-duplicate-deep": {"WebResources/A.js": b"1", "webresources/a.js": b"2"},
    }[case]
    return {**entries, **extra}


CASES = [
    "long-name",
    "deep",
    "long-path",
    "file-and-folder",
    "file-and-folder-by-case",
    "case-duplicate",
    "case-duplicate-deep",
]
CODES = {"case-duplicate": "ZIP006", "case-duplicate-deep": "ZIP006"}


def commands(path: Path) -> list[list[str]]:
    return [
        ["validate", path],
        ["validate", "--format", "json", path],
        ["unpack", path, "--out", "out"],
        ["diff", path, path],
        ["settings", "template", "--package", path],
        ["deploy", "--env", URL, "--package", path, "--dry-run", "--json"],
    ]


@pytest.mark.parametrize("case", CASES)
def test_names_a_file_system_cannot_hold_are_refused_by_every_command(
    sandbox: Sandbox, solution_entries: dict[str, bytes], case: str
) -> None:
    """300-character names, 2000 folders deep, `Other/x` beside `Other/x/y`: exit 70 in
    unpack while validate called the zip valid; `solution.xml` beside `Solution.xml` passed
    validate, unpack and deploy."""
    path = sandbox.work / "hostile.zip"
    path.write_bytes(make_zip(hostile(solution_entries, case)))
    sandbox.mark()
    for args in commands(path):
        check(sandbox.run(*args), codes=(1, 2), says=[CODES.get(case, "ZIP009")])
    sandbox.assert_written_only()


def test_an_exact_duplicate_entry_is_refused(
    sandbox: Sandbox, solution_entries: dict[str, bytes]
) -> None:
    import io
    import warnings
    import zipfile

    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate: the point here
        for name, data in solution_entries.items():
            archive.writestr(name, data)
        archive.writestr("solution.xml", solution_entries["solution.xml"])
    path = sandbox.work / "twice.zip"
    path.write_bytes(buffer.getvalue())
    sandbox.mark()
    for args in commands(path):
        check(sandbox.run(*args), codes=(1, 2), says=["ZIP006"])
    sandbox.assert_written_only()


@pytest.mark.parametrize(
    "name", ["../evil.xml", "/etc/evil.xml", "C:/evil.xml", "a/../../evil.xml", "..\\evil.xml"]
)
def test_paths_that_escape_are_refused(
    sandbox: Sandbox, solution_entries: dict[str, bytes], name: str
) -> None:
    """Zip-slip, robust before this work: kept that way."""
    path = sandbox.work / "slip.zip"
    path.write_bytes(make_zip({**solution_entries, name: b"<evil/>"}))
    sandbox.mark()
    for args in commands(path)[2:5]:  # unpack, diff, the package reader
        check(sandbox.run(*args), codes=(1, 2), says=["ZIP004"])
    assert not (sandbox.root / "evil.xml").exists()
    sandbox.assert_written_only()
