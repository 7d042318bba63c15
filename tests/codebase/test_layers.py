"""The packages of `builder/` show the pipeline: each stage imports only from itself and the
stages before it, and no module imports itself back through others (no import cycle).

The order is the one in docs/architecture.md; a new package takes its place in both.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BUILDER = Path(__file__).resolve().parents[2] / "builder"

# Earlier stages first. A module directly in builder/ is its own stage.
STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "exits"),
    ("fsio", "interrupts", "cache"),
    ("config",),
    ("dataverse",),
    ("xmlio",),
    ("model",),
    ("sources",),
    ("archive",),
    ("render",),
    ("read",),
    ("diff",),
    ("validate",),
    ("unpack",),
    ("build",),
    ("report",),
    ("deploy",),
    ("configure",),
    ("fleet",),
    ("cli",),
    ("launch", "__main__", "__init__"),
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BUILDER.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every builder module `path` imports, at any depth (function-level imports count).
    `from pkg import mod` imports `mod`; `from pkg import name` imports `pkg` itself."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            named = {f"{base}.{a.name}" for a in node.names}
            found |= (named & modules) or {base}
    return found & modules


def graph() -> dict[str, set[str]]:
    paths = [p for p in BUILDER.rglob("*.py") if "_templates" not in p.parts]
    modules = {module_name(p): p for p in paths}
    return {m: imports_of(p, set(modules)) - {m} for m, p in modules.items()}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_package_has_a_place_in_the_pipeline() -> None:
    assert {stage(m) for m in graph()} - set(RANK) == set()


@pytest.mark.parametrize("module", sorted(graph()))
def test_a_module_imports_only_its_own_and_earlier_stages(module: str) -> None:
    later = sorted(i for i in graph()[module] if RANK[stage(i)] > RANK[stage(module)])
    assert later == [], f"{module} reaches forward into {later}"


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        trail.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return trail[trail.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        trail.pop()
        return []

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_no_import_cycle() -> None:
    # a package's __init__ re-exporting its own modules is not a cycle worth the name
    edges = {
        m: {i for i in deps if not (m == i.rpartition(".")[0] and m in i)}
        for m, deps in graph().items()
    }
    assert find_cycle(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []
