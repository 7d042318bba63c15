"""Fixtures of the validate tests: the real Voice build, made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built(sources: Path) -> dict[str, bytes]:
    """The real Voice build: the solution zips and the package, by relative path."""
    from builder.build import build_package, build_solutions

    return {**build_solutions(sources), **build_package(sources)}


@pytest.fixture(scope="session")
def built_zip(built: dict[str, bytes]) -> bytes:
    return built["VoiceForD365_1_0_0_0_managed.zip"]
