"""`voicepkg --help` from the cache: byte for byte what click prints, kept per CLI code,
click and terminal width, and click's own answer whenever the cache cannot be used."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest

from builder import interrupts, launch


def run_launch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    monkeypatch.setattr(sys, "argv", ["voicepkg", *args])
    assert launch.main() == 0
    return capsys.readouterr().out


@pytest.fixture
def clicks_help(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("COLUMNS", raising=False)
    text = launch.rendered_help()
    assert text is not None and text.startswith("Usage: voicepkg") and "Commands:" in text
    return text


def test_the_help_is_clicks_then_read_from_the_cache(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clicks_help: str,
) -> None:
    monkeypatch.setenv("VOICEPKG_CACHE_DIR", str(tmp_path))
    assert run_launch(monkeypatch, capsys, "--help") == clicks_help  # renders, then keeps it
    (kept,) = tmp_path.glob("help-*.txt")
    assert kept.read_text(encoding="utf-8") == clicks_help
    kept.write_text("from the cache\n", encoding="utf-8")
    assert run_launch(monkeypatch, capsys, "-h") == "from the cache\n"  # no click this time


def test_another_width_or_cli_code_is_another_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    wide = launch.help_key()
    monkeypatch.setenv("COLUMNS", "60")
    assert wide is not None and launch.help_key() not in (None, wide)


def test_without_a_usable_cache_click_answers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clicks_help: str,
) -> None:
    monkeypatch.setenv("VOICEPKG_CACHE_DIR", "")  # turned off
    assert run_launch(monkeypatch, capsys, "--help") == clicks_help
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("VOICEPKG_CACHE_DIR", str(blocked))  # cannot be made
    assert run_launch(monkeypatch, capsys, "--help") == clicks_help
    assert blocked.read_text() == "not a folder"


def test_the_installed_script_prints_the_same_help_cold_and_warm(
    tmp_path: Path, clicks_help: str
) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VOICEPKG_CACHE_DIR": str(tmp_path)}
    outs = [
        subprocess.run(
            [sys.executable, "-m", "builder", "--help"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for _ in range(2)
    ]
    assert outs == [clicks_help, clicks_help]
    assert len(list(tmp_path.glob("help-*.txt"))) == 1


def test_other_arguments_go_to_click(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["voicepkg", "build", "--help"])
    assert launch.main() == 0
    assert "Usage: voicepkg build" in capsys.readouterr().out


class _StoppedWhileImporting(types.ModuleType):
    """builder.cli as a signal finds it when it lands during the import (the deferred signal
    is raised as the import ends)."""

    def __getattr__(self, name: str) -> object:
        if name == "main":
            raise interrupts.Terminated(signal.SIGTERM)
        raise AttributeError(name)


@pytest.mark.parametrize(
    ("args", "as_json"), [(["build", "package", "--json"], True), (["build", "package"], False)]
)
def test_a_signal_while_starting_is_said_and_json_still_gets_one_object(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    as_json: bool,
) -> None:
    monkeypatch.setattr(sys, "argv", ["voicepkg", *args])
    monkeypatch.setitem(sys.modules, "builder.cli", _StoppedWhileImporting("builder.cli"))
    assert launch.main() == 128 + signal.SIGTERM
    out, err = capsys.readouterr()
    assert err == "Terminated.\n"
    if as_json:
        assert json.loads(out) == {
            "ok": False,
            "exit_code": 143,
            "error": "Terminated.",
            "diagnostics": [],
        }
    else:
        assert out == ""
