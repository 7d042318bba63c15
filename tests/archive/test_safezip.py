"""The safe zip reader: truncated, foreign, hostile or bomb zips end in a located BuildError
and nothing is ever written to disk."""

from __future__ import annotations

import io
import zipfile

import pytest

from builder.archive.safezip import read_zip
from builder.errors import BuildError
from builder.fsio import Limits


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD = make_zip({"solution.xml": b"<a/>" * 500, "customizations.xml": b"<b/>"})


def _corrupt_deflate() -> bytes:
    data = bytearray(GOOD)
    start = data.find(b"solution.xml") + len("solution.xml")
    data[start : start + 16] = b"\xff" * 16
    return bytes(data)


def _encrypted() -> bytes:
    data = bytearray(make_zip({"a.xml": b"<a/>"}))
    data[6] |= 1  # the "encrypted" flag, in the local header and the central directory
    data[data.rfind(b"PK\x01\x02") + 8] |= 1
    return bytes(data)


REFUSED = [
    ("truncated", GOOD[: len(GOOD) // 2], "ZIP002"),
    ("not a zip", b"<?xml version='1.0'?><a/>", "ZIP002"),
    ("empty", b"", "ZIP002"),
    ("parent path", make_zip({"../evil.xml": b"x"}), "ZIP004"),
    ("nested parent path", make_zip({"a/../../evil.xml": b"x"}), "ZIP004"),
    ("absolute path", make_zip({"/etc/evil.xml": b"x"}), "ZIP004"),
    ("drive path", make_zip({"C:\\evil.xml": b"x"}), "ZIP004"),
    ("zip bomb", make_zip({"big.xml": b"\0" * (4 * 1024 * 1024)}), "ZIP005"),
    ("corrupt deflate stream", _corrupt_deflate(), "ZIP002"),
    ("encrypted entry", _encrypted(), "ZIP007"),
]


@pytest.mark.parametrize(("name", "data", "code"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_bad_zip_is_refused_with_its_code(name: str, data: bytes, code: str) -> None:
    with pytest.raises(BuildError) as caught:
        read_zip(data, "in.zip")
    assert caught.value.diagnostics[0].code == code
    assert caught.value.diagnostics[0].file.startswith("in.zip")


def test_too_many_entries_are_refused() -> None:
    data = make_zip({f"{i}.xml": b"<a/>" for i in range(5)})
    with pytest.raises(BuildError) as caught:
        read_zip(data, "in.zip", Limits(zip_entries=4))
    assert caught.value.diagnostics[0].code == "ZIP003"


def test_total_expansion_is_bounded() -> None:
    data = make_zip({f"{i}.xml": b"<a/>" * 100 for i in range(3)})
    with pytest.raises(BuildError) as caught:
        read_zip(data, "in.zip", Limits(zip_total_bytes=1000))
    assert caught.value.diagnostics[0].code == "ZIP005"


def test_a_good_zip_reads_into_memory_only(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    entries = read_zip(make_zip({"./a/b.xml": b"<b/>", "c.xml": b"<c/>"}), "in.zip")
    assert entries == {"a/b.xml": b"<b/>", "c.xml": b"<c/>"}
    assert list(tmp_path.iterdir()) == []
