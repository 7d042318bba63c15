"""The status word of configure's JSON report follows the exit-code table (builder/exits.py)."""

from __future__ import annotations

import pytest

from builder.configure.apply import Outcome
from builder.configure.plan import Plan
from builder.configure.report import json_report


@pytest.mark.parametrize(
    ("code", "dry_run", "status"),
    [
        (0, False, "done"),
        (0, True, "planned"),
        (1, False, "failed"),
        (2, True, "usage"),
        (3, False, "refused"),
        (4, False, "running"),
        (70, False, "internal error"),
        (130, False, "interrupted"),
        (143, True, "interrupted"),
    ],
)
def test_the_status_word_is_the_exit_code_tables(code: int, dry_run: bool, status: str) -> None:
    report = json_report(Outcome(Plan()), "https://x.crm.dynamics.com", "c.toml", dry_run, code)
    assert (report["status"], report["exit_code"]) == (status, code)
