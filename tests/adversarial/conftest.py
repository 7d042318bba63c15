"""Fixtures of the adversarial suite: a sandbox per test and the closing summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from adversarial.harness import RECORD, Sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path / "box")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RECORD.runs:
        terminalreporter.write_line(RECORD.summary())
