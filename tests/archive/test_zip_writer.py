"""Deterministic zips and atomic output writes (builder/package.py)."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from builder.archive.writer import build_date, write_outputs, zip_bytes
from builder.errors import BuildError

ENTRIES = {"b/two.xml": b"<two/>", "a.xml": b"<one/>", "[Content_Types].xml": b"<Types/>"}


def test_same_entries_in_any_order_give_identical_bytes() -> None:
    reordered = dict(reversed(list(ENTRIES.items())))
    assert zip_bytes(ENTRIES) == zip_bytes(reordered)


def test_entries_are_sorted_and_carry_fixed_metadata() -> None:
    archive = zipfile.ZipFile(BytesIO(zip_bytes(ENTRIES, (1980, 1, 1, 0, 0, 0))))
    infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(ENTRIES)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.create_system for i in infos} == {0}
    assert archive.read("b/two.xml") == b"<two/>"


def test_source_date_epoch_sets_the_timestamp_and_is_clamped_to_1980() -> None:
    assert build_date({"SOURCE_DATE_EPOCH": "1700000000"}) == (2023, 11, 14, 22, 13, 20)
    assert build_date({"SOURCE_DATE_EPOCH": "0"}) == (1980, 1, 1, 0, 0, 0)
    assert build_date({}) == (1980, 1, 1, 0, 0, 0)


def test_a_bad_source_date_epoch_is_a_located_error() -> None:
    with pytest.raises(BuildError) as caught:
        build_date({"SOURCE_DATE_EPOCH": "yesterday"})
    assert caught.value.diagnostics[0].code == "BLD010"


def test_write_outputs_creates_subfolders(tmp_path: Path) -> None:
    write_outputs(tmp_path, {"pkg/ImportConfig.xml": b"x", "top.zip": b"y"})
    assert (tmp_path / "pkg" / "ImportConfig.xml").read_bytes() == b"x"
    assert (tmp_path / "top.zip").read_bytes() == b"y"


class Exploding(dict[str, bytes]):
    """A mapping whose second value cannot be read: the write must fail part-way."""

    def __getitem__(self, key: str) -> bytes:
        if key == "z.zip":
            raise OSError("disk full")
        return super().__getitem__(key)


def test_a_failed_write_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "a.zip").write_bytes(b"old")
    files = Exploding({"a.zip": b"new", "z.zip": b"never"})
    with pytest.raises(OSError):
        write_outputs(tmp_path, files)
    assert (tmp_path / "a.zip").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]
