"""Every diagnostic code is in one table (builder/errors/codes.py), and the table, the code
and the docs agree: each code used in builder/ is in the table, each entry is used, each code
is listed (title and severity) in the code table of the docs page its entry links, and every
code the docs name exists."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from builder.errors import diagnostic
from builder.errors.codes import CODES, Code
from builder.validate.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
BUILDER = ROOT / "builder"
TABLE = BUILDER / "errors" / "codes.py"
CODE = re.compile(r"[A-Z]{2,5}[0-9]{3}")
ROW = re.compile(r"^\| *([A-Z]{2,5}[0-9]{3}) *\|([^|]*)\|(?:([^|]*)\|)?")
RANGE = re.compile(r"\b([A-Z]{2,5})([0-9]{3})(?:[–-]([A-Z]{2,5})?([0-9]{3}))?\b")


def literals() -> Iterator[tuple[str, str]]:
    """(code, where) for every string literal in builder/ that is a whole code: the first
    argument of diagnostic() and BuildError.at(), and the codes that wrappers, tables and
    defaults hold before they reach one."""
    for path in sorted(BUILDER.rglob("*.py")):
        if path == TABLE:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.fullmatch(node.value)
            ):
                yield node.value, f"{path.relative_to(ROOT)}:{node.lineno}"


def test_every_code_used_is_in_the_table() -> None:
    unknown = [f"{where}: {code}" for code, where in literals() if code not in CODES]
    assert unknown == [], "add these codes to builder/errors/codes.py and their docs page"


def test_every_code_in_the_table_is_used() -> None:
    used = {code for code, _ in literals()}
    assert sorted(set(CODES) - used) == []


def test_the_scan_finds_codes_however_they_are_passed() -> None:
    found = {code for code, _ in literals()}
    # a call's argument, a wrapper's (render's fail), a table's, a default's, a constant's
    assert {"VAL013", "CZ011", "SCH001", "DEP080", "DV143", "DEP101"} <= found


def section(page: Path, anchor: str) -> list[str]:
    """The lines under the heading whose GitHub anchor is `anchor`, up to the next heading
    of the same or a higher level."""
    lines = page.read_text("utf-8").splitlines()
    for index, line in enumerate(lines):
        level, _, text = line.partition(" ")
        if level and set(level) == {"#"} and slug(text) == anchor:
            end = next(
                (
                    i
                    for i in range(index + 1, len(lines))
                    if lines[i].startswith("#") and len(lines[i].split(" ")[0]) <= len(level)
                ),
                len(lines),
            )
            return lines[index + 1 : end]
    raise AssertionError(f"{page.name} has no heading #{anchor}")


def slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def listed(code: str, entry: Code) -> list[str]:
    """What is wrong with how the docs page of `entry` lists `code`."""
    page, _, anchor = entry.docs.partition("#")
    rows = {m[1]: m for m in map(ROW.match, section(ROOT / page, anchor)) if m}
    row = rows.get(code)
    if row is None:
        return [f"{code}: no row in {entry.docs}"]
    problems = []
    if not row[2].strip().startswith(entry.title):
        problems.append(f"{code}: {entry.docs} says {row[2].strip()!r}, not {entry.title!r}")
    if row[3] is not None and not row[3].strip().startswith(entry.severity):
        problems.append(f"{code}: {entry.docs} gives severity {row[3].strip()!r}")
    return problems


def test_each_code_is_listed_on_the_docs_page_its_entry_links() -> None:
    assert [p for code, entry in CODES.items() for p in listed(code, entry)] == []


def doc_codes(text: str) -> set[str]:
    """Every code a text names, a range (IO001–IO008) standing for each code in it."""
    found = set()
    for prefix, first, other, last in RANGE.findall(text):
        if last and other in ("", prefix):
            found |= {f"{prefix}{n:03d}" for n in range(int(first), int(last) + 1)}
        else:
            found.add(prefix + first)
            if last:
                found.add(other + last)
    return found


def test_every_code_the_docs_name_exists() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    named = {(code, p.name) for p in pages for code in doc_codes(p.read_text("utf-8"))}
    assert sorted(f"{page}: {code}" for code, page in named if code not in CODES) == []


def test_a_range_in_the_docs_names_each_code_in_it() -> None:
    assert doc_codes("IO001–IO003, XML005 and DV101-DV102") == {
        "IO001",
        "IO002",
        "IO003",
        "XML005",
        "DV101",
        "DV102",
    }


def test_the_rules_take_title_and_severity_from_the_table_and_are_in_validate_md() -> None:
    assert {c: (r.title, r.severity) for c, r in RULES.items()} == {
        c: (CODES[c].title, CODES[c].severity) for c in RULES
    }
    assert {CODES[c].docs for c in RULES} == {"docs/validate.md#codes"}


def test_a_diagnostic_has_its_codes_severity_unless_the_call_says_otherwise() -> None:
    assert {c: diagnostic(c, "m").severity for c in CODES} == {
        c: e.severity for c, e in CODES.items()
    }
    assert diagnostic("VAL013", "m").severity == "warning"
    assert diagnostic("VAL013", "m", severity="error").severity == "error"
    assert diagnostic("VAL012", "m", severity="warning").severity == "warning"


def test_a_code_the_table_does_not_know_is_an_error() -> None:
    assert diagnostic("ZZZ999", "m").severity == "error"
