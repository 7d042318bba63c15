"""The harness itself: it must see a hang, an internal error, memory and stray writes, or the
suite proves nothing."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from adversarial.harness import Sandbox, check


def test_a_clean_run_passes_the_checks(sandbox: Sandbox) -> None:
    run = check(sandbox.run("validate", "missing_folder"), codes=(2,))
    assert run.peak_rss_mb > 5  # measured, not zero
    sandbox.assert_written_only()


def test_a_time_bound_is_enforced(sandbox: Sandbox) -> None:
    # Python alone takes longer than 1 ms to start
    slow = sandbox.run("validate", "x", timeout=0.001, record=False)
    assert slow.timed_out
    with pytest.raises(AssertionError, match="hang"):
        check(slow, codes=(2,))


def test_stray_writes_and_leftover_temp_files_are_seen(sandbox: Sandbox) -> None:
    (sandbox.work / "stray.txt").write_text("x")
    (sandbox.tmp / "left.tmp").write_text("x")
    with pytest.raises(AssertionError, match="outside the target"):
        sandbox.assert_written_only()
    with pytest.raises(AssertionError, match="outlived"):
        sandbox.assert_written_only(sandbox.work)


def test_an_internal_error_fails_the_check(sandbox: Sandbox) -> None:
    from adversarial.harness import Run

    bug = Run(["x"], 70, "", "internal error: KeyError: 'a'", 30.0, 0.1)
    with pytest.raises(AssertionError, match="internal error"):
        check(bug)
    noisy = Run(["--json"], 1, "not json", "", 30.0, 0.1)
    with pytest.raises(AssertionError, match="one JSON object"):
        check(noisy)


def test_a_signal_can_be_sent_mid_run(sandbox: Sandbox, tmp_path: Path) -> None:
    run = sandbox.run("--help", interrupt=signal.SIGTERM)
    assert run.signalled == signal.SIGTERM
    assert run.code in (0, -signal.SIGTERM, 143, 130)
