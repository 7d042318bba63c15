"""The bad-input corpus through the real CLI: every case ends in its diagnostic (code, file,
line) and exit 1 — never a traceback, never a file written anywhere."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from support.common import MS_SCHEMAS, need_shared

from builder.cli import main

from .cases import ALL_CASES, Case, make_source

SOLUTION_ZIP = "VoiceForD365_1_0_0_0_managed.zip"


def make_target(case: Case, tmp: Path, sources: Path, built: dict[str, bytes]) -> Path:
    if case.kind == "source":
        return make_source(tmp, sources, case)
    if case.kind == "solution":
        path = tmp / SOLUTION_ZIP
        path.write_bytes(built[SOLUTION_ZIP])
    else:
        path = tmp / "VoiceForD365Package"
        for name, data in built.items():
            if name.startswith("VoiceForD365Package/"):
                (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                (tmp / name).write_bytes(data)
    case.mutate(path)
    return path


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:  # main() returns the exit code the console script exits with, or exits itself
        code = int(main(args) or 0)
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def file_bytes(case: Case, target: Path) -> bytes:
    """The bytes of the file a case's expected line refers to."""
    where, _, entry = case.file.partition("!")
    holder = target / where if case.kind != "solution" else target
    if not entry:
        return holder.read_bytes()
    with zipfile.ZipFile(io.BytesIO(holder.read_bytes())) as archive:
        return archive.read(entry)


def as_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def expected_line(case: Case, target: Path) -> int | None:
    """A line given as text. In sources: the line where it is for the loader's errors (the
    attribute at fault), or where the element holding it starts for the rules. In a built
    zip: where it is (parser errors), or where the start tag holding it ends (what lxml
    reports as an element's line)."""
    if case.line is None or isinstance(case.line, int):
        return case.line
    text = as_text(file_bytes(case, target))
    assert case.line in text, f"marker {case.line!r} not in {case.file}"
    at = text.index(case.line)
    if case.kind == "source":
        if not case.code.startswith(("SRC", "XML")):
            at = text.rindex("<", 0, at + 1)
    elif not case.code.startswith("XML"):
        at = text.index(">", at)
    return text.count("\n", 0, at) + 1


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.name for c in ALL_CASES])
def test_bad_input_ends_in_its_diagnostic_and_exit_1(
    case: Case,
    tmp_path: Path,
    sources: Path,
    built: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if case.code.startswith("SCH1"):
        need_shared(MS_SCHEMAS)  # found only by Microsoft's schema
    work, cwd = tmp_path / "in", tmp_path / "cwd"
    work.mkdir()
    cwd.mkdir()
    target = make_target(case, work, sources, built)
    before = snapshot(work)
    monkeypatch.chdir(cwd)
    code, out, err = run_cli(["validate", str(target), "--format", "json", *case.args], capsys)
    assert "Traceback" not in out + err and "internal error" not in err
    assert code == 1, f"exit {code}; stderr: {err}"
    found = json.loads(out)["diagnostics"]
    hits = [
        d
        for d in found
        if d["code"] == case.code and d["file"].replace(os.sep, "/").endswith(case.file)
    ]
    assert hits, f"no {case.code} at *{case.file}: {[(d['code'], d['file']) for d in found]}"
    line = expected_line(case, target)
    if line is not None:
        assert line in [d["line"] for d in hits], f"{case.code} lines {[d['line'] for d in hits]}"
    assert snapshot(work) == before and not list(cwd.iterdir()), "validate wrote a file"


def test_the_corpus_has_at_least_60_cases() -> None:
    assert len(ALL_CASES) >= 60
    assert len({c.name for c in ALL_CASES}) == len(ALL_CASES)
