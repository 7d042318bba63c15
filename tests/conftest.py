"""Shared fixtures: the sources and Microsoft's reference material (tests/support says where
they live), the real sources loaded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.common import CORPUS, CORPUS2, MS_SCHEMAS, SOURCES, add_warning, need_shared

from builder.model import Project
from builder.sources.load import load_project


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    """A copy of the sources with one warning (add_warning) and nothing else."""
    src = tmp_path / "warned" / "solution_src"
    shutil.copytree(SOURCES, src)
    add_warning(src)
    return src


@pytest.fixture(autouse=True)
def _not_in_a_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run alike on a laptop and in a pipeline: CI-native output only where a test
    asks for it (tests/report/test_ci_output.py)."""
    for name in (
        "GITHUB_ACTIONS",
        "TF_BUILD",
        "VOICEPKG_CI",
        "GITHUB_STEP_SUMMARY",
        "VOICEPKG_MS_SCHEMAS",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def ms_schemas() -> Path:
    return need_shared(MS_SCHEMAS)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return need_shared(CORPUS)


@pytest.fixture(scope="session")
def corpus2() -> Path:
    return need_shared(CORPUS2)


@pytest.fixture(scope="session")
def sources() -> Path:
    return SOURCES


@pytest.fixture(scope="session")
def project(sources: Path) -> Project:
    """The real solution_src loaded (a frozen model: tests share it safely)."""
    return load_project(sources)
