"""One grammar for every command: --format with --json as its alias, global options anywhere,
usage errors exit 2, --ignore, the project configuration, versions from release tags,
--managed --unmanaged, diff --exit-zero, help text for every option."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from support.common import SOURCES, WARNING_CODE, run_cli

from builder.cli import cli
from builder.errors import diagnostic


def zips(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.zip"))


@pytest.mark.parametrize(
    ("tag", "version"),
    [
        ("1.2.0", "1_2_0_0"),
        ("v1.2.0", "1_2_0_0"),
        ("v1.2.0.42", "1_2_0_42"),
        ("1.2.3.4", "1_2_3_4"),
        ("refs/tags/v2.0.1", "2_0_1_0"),
    ],
)
def test_a_release_tag_is_a_version(tmp_path: Path, tag: str, version: str) -> None:
    result = run_cli(
        "build", "solution", "--src", str(SOURCES), "--version", tag, "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert zips(tmp_path) == [
        f"VoiceForD365Multisession_{version}_managed.zip",
        f"VoiceForD365_{version}_managed.zip",
    ]


@pytest.mark.parametrize("bad", ["1.2.x", "latest", "v", "1.2.3.4.5", "--"])
def test_a_bad_version_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    result = run_cli(
        "build",
        "package",
        "--src",
        str(SOURCES),
        f"--version={bad}",
        "--out",
        str(tmp_path / "dist"),
    )
    assert result.exit_code == 2
    assert (
        f"voicepkg: error BLD001: version {bad!r} is not a version or release tag" in result.stderr
    )
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["build", "solution", "--src", "/no/such/src"],
        ["build", "package", "--src", "/no/such/src"],
        ["validate", "/no/such/src"],
        ["validate", "--baseline", "/no/such.zip"],
        ["validate", "--format", "xml"],
        ["validate", "--json", "--format", "sarif"],
        ["diff", "a"],
        ["build", "solution", "--bogus"],
        ["-q", "-v", "validate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_json_is_an_alias_of_format_json(warned: Path) -> None:
    one = run_cli("validate", str(warned), "--json")
    two = run_cli("validate", str(warned), "--format", "json")
    assert one.exit_code == two.exit_code == 0
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert json.loads(one.stdout)["warnings"] == 1


@pytest.mark.parametrize("where", ["front", "back", "middle"])
def test_global_options_are_accepted_anywhere(where: str, warned: Path) -> None:
    args = ["validate", str(warned), "--strict"]
    at = {"front": 0, "back": len(args), "middle": 1}[where]
    quiet = run_cli(*args[:at], "--debug", "-q", *args[at:])
    assert quiet.exit_code == 1  # --strict: the warning fails
    assert quiet.stderr == ""  # -q: no summary line
    assert f"error {WARNING_CODE}" in quiet.stdout


def test_quiet_drops_the_summary_and_verbose_keeps_every_warning(warned: Path) -> None:
    normal = run_cli("validate", str(warned))
    assert normal.stderr == f"{warned}: 0 errors, 1 warning\n"
    assert run_cli("validate", str(warned), "-q").stderr == ""
    assert run_cli("validate", str(warned), "--verbose").stdout == normal.stdout


def test_ignore_drops_codes_and_refuses_what_is_not_a_code(warned: Path) -> None:
    assert run_cli("validate", str(warned), "--strict", "--json").exit_code == 1
    kept = run_cli("validate", str(warned), "--ignore", WARNING_CODE, "--strict", "--json")
    assert kept.exit_code == 0 and json.loads(kept.stdout)["diagnostics"] == []
    bad = run_cli("validate", str(warned), "--ignore", f"{WARNING_CODE},nonsense")
    assert bad.exit_code == 2
    assert "CFG002: not a diagnostic code: NONSENSE" in bad.stderr


@pytest.mark.parametrize(
    ("given", "message", "hint"),
    [
        ("DV998", "no such diagnostic code: DV998", "docs/validate.md"),
        ("SCH210", "no such diagnostic code: SCH210", "did you mean SCH101, SCH201?"),
    ],
)
def test_ignore_refuses_a_code_voicepkg_does_not_have(
    warned: Path, given: str, message: str, hint: str
) -> None:
    """A typo in --ignore would silently ignore nothing; it is a usage error naming the code."""
    bad = run_cli("validate", str(warned), "--ignore", f"{WARNING_CODE},{given}")
    assert bad.exit_code == 2
    assert message in bad.stderr and hint in bad.stderr


def test_ignore_works_for_build_too(tmp_path: Path, warned: Path) -> None:
    shown = run_cli("build", "solution", "--src", str(warned), "--out", str(tmp_path / "a"))
    hidden = run_cli(
        "build",
        "solution",
        "--src",
        str(warned),
        "--out",
        str(tmp_path / "b"),
        "--ignore",
        WARNING_CODE,
    )
    assert shown.exit_code == hidden.exit_code == 0
    assert f"warning {WARNING_CODE}" in shown.stderr and WARNING_CODE not in hidden.stderr


def test_managed_and_unmanaged_together_build_both(tmp_path: Path) -> None:
    result = run_cli(
        "build",
        "solution",
        "--src",
        str(SOURCES),
        "--managed",
        "--unmanaged",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0
    assert len(zips(tmp_path)) == 4


def test_build_json_is_one_object_also_on_a_validation_failure(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SOURCES, src)
    table = src / "tables" / "enreach_setting.xml"
    table.write_text(
        table.read_text(encoding="utf-8").replace('max-length="100"', 'max-length="x"', 1)
    )
    result = run_cli("build", "package", "--src", str(src), "--out", str(tmp_path / "d"), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["files"] == []
    assert [d["file"] for d in data["diagnostics"] if d["severity"] == "error"] == [
        f"{src}/tables/enreach_setting.xml"
    ]  # relative to the working directory, like validate


def test_errors_without_a_file_never_start_with_a_bare_colon() -> None:
    assert str(diagnostic("X001", "boom")) == "voicepkg: error X001: boom"
    assert str(diagnostic("X001", "boom", file="a.xml", line=3)) == "a.xml:3: error X001: boom"


def test_diff_exit_zero_keeps_notes_flowing_under_set_e(tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(SOURCES, new)
    settings = new / "settings" / "callback-sync.xml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            'default="Callback request"', 'default="Call me back"'
        )
    )
    assert run_cli("diff", str(SOURCES), str(new)).exit_code == 1
    result = run_cli("diff", str(SOURCES), str(new), "--exit-zero", "--format", "markdown")
    assert result.exit_code == 0 and "Call me back" in result.stdout
    assert run_cli("diff", str(SOURCES), "/no/such", "--exit-zero").exit_code == 2
    failed = run_cli("diff", str(SOURCES), "/no/such", "--json")
    assert json.loads(failed.stdout)["ok"] is False


def write_config(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(body, encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "header"), [("pyproject.toml", "[tool.voicepkg]\n"), ("voicepkg.toml", "")]
)
def test_the_project_configuration_sets_folders_and_ignored_codes(
    tmp_path: Path, warned: Path, monkeypatch: pytest.MonkeyPatch, name: str, header: str
) -> None:
    shutil.copytree(warned, tmp_path / "voice")
    assert run_cli("validate", "--strict", str(tmp_path / "voice")).exit_code == 1
    write_config(
        tmp_path, name, header + f'src = "voice"\nout = "release"\nignore = ["{WARNING_CODE}"]\n'
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("build", "solution")
    assert result.exit_code == 0, result.output
    assert WARNING_CODE not in result.stderr
    assert len(zips(tmp_path / "release")) == 2
    checked = run_cli("validate", "--strict")
    assert checked.exit_code == 0 and checked.stderr == "voice: valid\n"
    assert run_cli("build", "solution", "--out", "other").exit_code == 0  # the option wins
    assert len(zips(tmp_path / "other")) == 2


def test_a_broken_configuration_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path, "voicepkg.toml", 'source = "x"\n')
    result = run_cli("validate")
    assert result.exit_code == 2
    assert "voicepkg.toml: error CFG002: configuration: unknown key(s) source" in result.stderr
    write_config(tmp_path, "voicepkg.toml", "src = [\n")
    assert run_cli("validate").exit_code == 2


def _options(command: click.Command, path: str) -> list[tuple[str, click.Option]]:
    found = [(path, p) for p in command.params if isinstance(p, click.Option)]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            found += _options(sub, f"{path} {name}")
    return found


def test_every_option_has_help_text() -> None:
    missing = [f"{where} {opt.opts[0]}" for where, opt in _options(cli, "voicepkg") if not opt.help]
    assert missing == []


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["diff"],
        ["deploy"],
        ["doctor"],
        ["build", "solution"],
        ["build", "package"],
        ["unpack"],
        ["settings", "template"],
        ["configure"],
        ["onboard"],
        ["fleet", "status"],
        ["fleet", "plan"],
        ["fleet", "deploy"],
        ["fleet", "matrix"],
        ["fleet", "report"],
    ],
)
def test_the_format_grammar_is_the_same_everywhere(command: list[str]) -> None:
    text = run_cli(*command, "--help").stdout
    assert "--format [text|json" in text and "--json" in text and "Same as --format json" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["deploy", "--json", "--no-such-option"],
        ["validate", "--format", "json", "--nope", "x"],
        ["doctor", "--json"],  # --env missing
    ],
)
def test_a_usage_error_under_json_still_prints_one_json_object(argv: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "builder", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 2
    report = json.loads(run.stdout)
    assert report["exit_code"] == 2 and report["ok"] is False
    assert [d["code"] for d in report["diagnostics"]] == ["CLI001"]
    assert "Traceback" not in run.stderr
