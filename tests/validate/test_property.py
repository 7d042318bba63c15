"""Random mutations of valid inputs: the loader and validate either accept them or report
diagnostics, and never raise anything else (nor hide a crash as DV000/VAL031)."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.archive.writer import zip_bytes
from builder.sources.load import collect_project
from builder.validate import validate_path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "solution_src"
FILES = sorted(p.relative_to(SOURCES).as_posix() for p in SOURCES.rglob("*.xml"))
ATTRIBUTE = re.compile(rb'="[^"]*"')
CRASHES = {"DV000", "VAL031"}

# (how, where, what): where is taken modulo the file's length / attribute count
MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 80)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("attribute"), st.integers(0, 10**6), st.text(max_size=40)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.none()),
    st.tuples(st.just("repeat-line"), st.integers(0, 10**6), st.none()),
)
# Few examples, the same on every run (derandomize) so the suite stays fast and stable;
# VALIDATE_EXAMPLES=400 explores by hand.
FAST = settings(
    max_examples=int(os.environ.get("VALIDATE_EXAMPLES", "30")),
    deadline=None,
    derandomize="VALIDATE_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
)


Mutation = tuple[str, int, int | bytes | str | None]  # what MUTATION draws: how, where, what


def mutate(data: bytes, how: str, where: int, what: int | bytes | str | None) -> bytes:
    at = where % (len(data) + 1)
    if how == "delete":
        return data[:at] + data[at + int(str(what)) :]
    if how == "insert":
        assert isinstance(what, bytes)
        return data[:at] + what + data[at:]
    if how == "attribute":
        spans = list(ATTRIBUTE.finditer(data))
        if not spans:
            return data
        span = spans[where % len(spans)]
        value = html.escape(str(what), quote=True).encode()
        return data[: span.start()] + b'="' + value + b'"' + data[span.end() :]
    if how == "truncate":
        return data[:at]
    lines = data.splitlines(keepends=True)
    index = where % max(len(lines), 1)
    return b"".join(lines[: index + 1] + lines[index:])


@FAST
@given(st.sampled_from(FILES), st.lists(MUTATION, min_size=1, max_size=3))
def test_mutated_sources_are_accepted_or_reported(file: str, mutations: list[Mutation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "solution_src"
        shutil.copytree(SOURCES, copy)
        data = (copy / file).read_bytes()
        for how, where, what in mutations:
            data = mutate(data, how, where, what)
        (copy / file).write_bytes(data)
        project, found = collect_project(copy)
        assert project is not None or any(d.severity == "error" for d in found)
        assert not CRASHES & {d.code for d in validate_path(copy)}


def test_an_emptied_attribute_is_reported_not_a_crash(tmp_path: Path) -> None:
    copy = tmp_path / "solution_src"
    shutil.copytree(SOURCES, copy)
    app = copy / "apps" / "enreach_VoiceConfigurator.xml"
    app.write_bytes(mutate(app.read_bytes(), "attribute", 2, ""))
    project, found = collect_project(copy)
    assert project is None and any(d.code.startswith("SRC") for d in found)


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


@FAST
@given(
    st.sampled_from(["customizations.xml", "solution.xml", "[Content_Types].xml"]),
    st.lists(MUTATION, min_size=1, max_size=3),
)
def test_mutated_solution_zips_are_accepted_or_reported(
    built_zip: bytes, entry: str, mutations: list[Mutation]
) -> None:
    entries = _entries(built_zip)
    for how, where, what in mutations:
        entries[entry] = mutate(entries[entry], how, where, what)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "solution.zip"
        path.write_bytes(zip_bytes(entries))
        assert not CRASHES & {d.code for d in validate_path(path)}


@FAST
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_zip_bytes_are_reported(built_zip: bytes, flips: list[tuple[int, int]]) -> None:
    data = bytearray(built_zip)
    for where, value in flips:
        data[where % len(data)] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "solution.zip"
        path.write_bytes(bytes(data))
        assert not CRASHES & {d.code for d in validate_path(path)}
