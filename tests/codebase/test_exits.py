"""One table of exit codes (builder/exits.py), one function deciding them, and the
docs saying the same table: docs/limits.md, the README, docs/deploy.md and `voicepkg --help`."""

from __future__ import annotations

import ast
import re
import signal
from pathlib import Path

from builder.cli import cli
from builder.exits import (
    EXIT_CODES,
    FAILED,
    INTERNAL,
    OK,
    REFUSED,
    RUNNING,
    STATUS,
    USAGE,
    exit_code,
)

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| *([0-9][0-9, ]*?) *\| *(.*?) *\|$")


def table(page: str, heading: str) -> dict[str, str]:
    """The exit-code rows (code -> meaning) of the table under `heading` in `page`."""
    text = (ROOT / page).read_text("utf-8")
    after = text[text.index(heading) + len(heading) :]
    rows: dict[str, str] = {}
    for line in after.splitlines()[1:]:
        if line.startswith("#"):
            break
        match = ROW.match(line)
        if match:
            rows[match[1]] = match[2]
    return rows


def test_the_gravest_outcome_decides() -> None:
    assert exit_code() == OK
    assert exit_code(running=True) == RUNNING
    assert exit_code(refused=True, running=True) == REFUSED
    assert exit_code(failed=True, refused=True, running=True) == FAILED
    assert exit_code(usage=True, failed=True) == USAGE
    assert exit_code(internal=True, usage=True, failed=True) == INTERNAL
    assert exit_code(signal=signal.SIGTERM, internal=True) == 143


def test_limits_md_lists_the_table() -> None:
    rows = table("docs/limits.md", "## Exit codes (every command)")
    signals = f"{exit_code(signal=signal.SIGINT)}, {exit_code(signal=signal.SIGTERM)}"
    assert set(rows) == {str(c) for c in EXIT_CODES} | {signals}
    said = {c: meaning for c, (_, meaning) in EXIT_CODES.items()}
    assert [c for c, meaning in said.items() if not rows[str(c)].startswith(meaning)] == []


def test_the_readme_and_deploy_md_list_the_same_codes() -> None:
    codes = {str(c) for c in EXIT_CODES}
    assert set(table("README.md", "## Errors and exit codes")) == codes
    assert set(table("docs/deploy.md", "### Exit codes")) == codes


def test_the_help_says_the_table() -> None:
    said = ", ".join(f"{code} {meaning}" for code, (_, meaning) in EXIT_CODES.items())
    assert f"Exit codes: {said}." in " ".join((cli.help or "").split())


def test_each_exit_code_has_its_status_word() -> None:
    words = {0: "done", 1: "failed", 2: "usage", 3: "refused", 4: "running", 70: "internal error"}
    assert words == STATUS


def test_every_exit_code_builder_raises_is_in_the_table() -> None:
    """`exit_code=N` and `exit_status = N` literals: a raiser can only choose from the table."""
    found = []
    for path in sorted((ROOT / "builder").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            values = []
            if isinstance(node, ast.keyword) and node.arg == "exit_code":
                values.append(node.value)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(getattr(t, "id", None) in ("exit_status", "exit_code") for t in targets):
                    values.append(node.value)
            found += [
                (f"{path.relative_to(ROOT)}:{v.lineno}", v.value)
                for v in values
                if isinstance(v, ast.Constant) and isinstance(v.value, int)
            ]
    assert found, "the scan finds the literals"
    assert [(where, code) for where, code in found if code not in EXIT_CODES] == []
