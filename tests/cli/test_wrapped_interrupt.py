"""A signal that Python hands over wrapped in another exception (3.11 wraps one that lands
while a class is made in `RuntimeError: Error calling __set_name__`) ends the run as an
interrupt, exit 130 and one JSON object, not as an internal error."""

from __future__ import annotations

import json

import pytest

import builder.cli as cli_module


def _raise_wrapped(**_: object) -> int:
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as stop:
        raise RuntimeError("Error calling __set_name__") from stop


def test_a_wrapped_ctrl_c_is_an_interrupt_not_a_bug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_module.cli, "main", _raise_wrapped)
    with pytest.raises(SystemExit) as stop:
        cli_module.main(["validate", "--json", "solution_src"])
    assert stop.value.code == 130
    out = capsys.readouterr()
    assert "internal error" not in out.out + out.err
    assert json.loads(out.out) == {
        "ok": False,
        "exit_code": 130,
        "error": "Interrupted.",
        "diagnostics": [],
    }


def test_a_plain_runtime_error_is_still_a_bug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(**_: object) -> int:
        raise RuntimeError("a real bug")

    monkeypatch.setattr(cli_module.cli, "main", broken)
    with pytest.raises(SystemExit) as stop:
        cli_module.main(["validate", "solution_src"])
    assert stop.value.code == 70
    assert "internal error: RuntimeError: a real bug" in capsys.readouterr().err
