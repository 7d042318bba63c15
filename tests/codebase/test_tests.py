"""The tests' own layout: one folder per stage of builder/ (no test module at the root of
tests/), helpers shared through tests/support and tests/fakes (no test module imports another
test module or a conftest), and no mypy ignore comment (type the code instead)."""

from __future__ import annotations

import ast
from pathlib import Path

from support.common import ROOT

TESTS = ROOT / "tests"


def _modules() -> list[Path]:
    return sorted(TESTS.rglob("*.py"))


def _imported(path: Path) -> list[str]:
    """The modules `path` imports, relative ones with their leading dots."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append("." * node.level + (node.module or ""))
    return found


def test_no_test_module_sits_at_the_root_of_tests() -> None:
    flat = [p.name for p in TESTS.glob("test_*.py")]
    assert flat == [], f"move into the folder of the stage they test (tests/<stage>/): {flat}"


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    found = [
        f"{path.relative_to(TESTS)}: {name}"
        for path in _modules()
        for name in _imported(path)
        if name.rsplit(".", 1)[-1].startswith("test_") or name.rsplit(".", 1)[-1] == "conftest"
    ]
    assert found == [], "share it through tests/support or tests/fakes instead"


def test_no_type_ignore_in_tests() -> None:
    marker = "type: " + "ignore"  # not written out, or this file would hold one
    found = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in _modules()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if marker in line
    ]
    assert found == [], "type the code instead (an Optional: assert it is not None first)"
