"""Shared fixtures: where the sources and Microsoft's reference material live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "solution_src"
SHARED = Path(os.environ.get("VOICEPKG_SHARED", ROOT.parent / "shared")).resolve()
MS_SCHEMAS = SHARED / "reference" / "ms-schemas" / "9.0.0.2090-patched"
CORPUS = SHARED / "reference" / "corpus"


def need_shared(path: Path) -> Path:
    """Return `path`, or fail loudly in CI (skip on a laptop) when ../shared is missing."""
    if path.exists():
        return path
    message = f"reference material missing: {path} (clone the project with ../shared beside it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def ms_schemas() -> Path:
    return need_shared(MS_SCHEMAS)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return need_shared(CORPUS)


@pytest.fixture(scope="session")
def sources() -> Path:
    return SOURCES
