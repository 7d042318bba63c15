"""The output folder: a build into a used dist/ leaves nothing of an earlier version in the
package folder, and SHA256SUMS beside the outputs lists what the builds wrote."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from support.common import SOURCES, run_cli

from builder.archive.sums import verify_against_sums


def sums(out: Path) -> dict[str, str]:
    lines = (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: value for value, name in (line.split("  ", 1) for line in lines)}


def test_a_new_version_replaces_the_package_folder_and_validates_clean(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    for version in ("1.0.0.0", "1.1.0.0"):
        result = run_cli(
            "build", "package", "--src", str(SOURCES), "--version", version, "--out", str(out)
        )
        assert result.exit_code == 0, result.output
    folder = sorted(p.name for p in (out / "VoiceForD365Package").iterdir())
    assert folder == [
        "Content",
        "ImportConfig.xml",
        "VoiceForD365ConfigData.zip",
        "VoiceForD365Multisession_1_1_0_0_managed.zip",
        "VoiceForD365_1_1_0_0_managed.zip",
    ]
    assert f"removed {out}/VoiceForD365Package/VoiceForD365_1_0_0_0_managed.zip" in result.stderr
    checked = run_cli("validate", str(out / "VoiceForD365Package"), "--json")
    assert "VAL024" not in checked.stdout


def test_sha256sums_lists_every_output_of_every_build(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert run_cli("build", "solution", "--src", str(SOURCES), "--out", str(out)).exit_code == 0
    assert run_cli("build", "package", "--src", str(SOURCES), "--out", str(out)).exit_code == 0
    listed = sums(out)
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"SHA256SUMS"}
    for name, value in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == value
    done = subprocess.run(
        ["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=out, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_package_changed_after_the_build_is_caught(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert run_cli("build", "package", "--src", str(SOURCES), "--out", str(out)).exit_code == 0
    zip_path = out / "VoiceForD365Package_1_0_0_0.zip"
    folder = out / "VoiceForD365Package"
    assert verify_against_sums(zip_path) == [] and verify_against_sums(folder) == []
    zip_path.write_bytes(zip_path.read_bytes() + b"tampered")
    (folder / "extra.zip").write_bytes(b"PK")
    assert [d.code for d in verify_against_sums(zip_path)] == ["PKG001"]
    assert [d.code for d in verify_against_sums(folder)] == ["PKG002"]
    assert verify_against_sums(tmp_path) == []  # nothing lists it: nothing to check


def test_deploy_refuses_a_package_that_differs_from_its_sha256sums(tmp_path: Path) -> None:
    from fakes.fixtures import invoke

    out = tmp_path / "dist"
    assert run_cli("build", "package", "--src", str(SOURCES), "--out", str(out)).exit_code == 0
    zip_path = out / "VoiceForD365Package_1_0_0_0.zip"
    zip_path.write_bytes(zip_path.read_bytes() + b"tampered")
    # refused before any request: the URL is never contacted
    result = invoke(
        [
            "deploy",
            "--env",
            "https://contoso.crm4.dynamics.com",
            "--package",
            str(zip_path),
            "--dry-run",
            "--json",
        ]
    )
    assert result.exit_code == 1
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["PKG001"]
