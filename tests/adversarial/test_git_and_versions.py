"""Issue 15 items 1 and 10: a `git:` argument is a revision, never an option; unpack refuses
versions that are not Dataverse versions instead of rewriting them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from adversarial.harness import SOURCES, Sandbox, check, make_zip

HOSTILE_REVISIONS = [
    "--output=victim.txt",
    "-o victim.txt",
    "--exec=touch victim2.txt",
    "HEAD --output=victim.txt",
    "-",
    "main..other",
    "HEAD@{1}",
    "",
    "v1\nv2",
]


@pytest.fixture
def repository(sandbox: Sandbox) -> Path:
    """A git repository in the working folder with solution_src committed."""
    shutil.copytree(SOURCES, sandbox.work / "solution_src")
    env = {
        **sandbox.env,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for args in (
        ["init", "-q"],
        ["add", "solution_src"],
        ["commit", "-qm", "sources"],
        ["tag", "v1.0.0"],
    ):
        subprocess.run(["git", *args], cwd=sandbox.work, env=env, check=True)
    (sandbox.work / "victim.txt").write_text("do not truncate me")
    sandbox.mark()
    return sandbox.work


@pytest.mark.parametrize("revision", HOSTILE_REVISIONS)
def test_a_git_argument_never_becomes_an_option(
    sandbox: Sandbox, repository: Path, revision: str
) -> None:
    """`diff "git:--output=/some/file" X` truncated the file to 0 bytes."""
    for args in (
        ["diff", f"git:{revision}", "solution_src"],
        ["diff", "solution_src", f"git:{revision}"],
    ):
        check(sandbox.run(*args), codes=(2,), says=["DIF004"])
    assert (repository / "victim.txt").read_text() == "do not truncate me"
    assert not (repository / "victim2.txt").exists()
    sandbox.assert_written_only()


@pytest.mark.parametrize("revision", ["HEAD", "v1.0.0", "HEAD~0", "v1.0.0^0"])
def test_a_real_revision_still_compares(sandbox: Sandbox, repository: Path, revision: str) -> None:
    check(sandbox.run("diff", f"git:{revision}", "solution_src"), codes=(0,))
    sandbox.assert_written_only()


def test_an_unknown_revision_is_a_located_error(sandbox: Sandbox, repository: Path) -> None:
    check(sandbox.run("diff", "git:no-such-tag", "solution_src"), codes=(2,), says=["DIF003"])
    sandbox.assert_written_only()


def with_version(entries: dict[str, bytes], version: str) -> dict[str, bytes]:
    manifest = entries["solution.xml"].decode("utf-8")
    changed = re.sub(r"<Version>[^<]*</Version>", f"<Version>{version}</Version>", manifest)
    assert changed != manifest
    return {**entries, "solution.xml": changed.encode("utf-8")}


@pytest.mark.parametrize(
    "version", ["1.x", "1.2.3.4.5", "1", "", "1..2", "-1.0", "99999999999.0.0.0", "１.２"]
)
def test_unpack_refuses_an_invalid_version_instead_of_rewriting_it(
    sandbox: Sandbox, solution_entries: dict[str, bytes], version: str
) -> None:
    """`1.x` became `1.0.0.0` and `1.2.3.4.5` became `1.2.3.4`, then diff said "No
    differences"."""
    path = sandbox.work / "bad-version.zip"
    path.write_bytes(make_zip(with_version(solution_entries, version)))
    sandbox.mark()
    check(sandbox.run("unpack", path, "--out", "src"), codes=(1,), says=["UNP005", "solution.xml"])
    assert not (sandbox.work / "src").exists()
    sandbox.assert_written_only()


@pytest.mark.parametrize("version", ["1.0", "1.2.3", "1.2.3.4"])
def test_unpack_completes_two_and_three_part_versions(
    sandbox: Sandbox, solution_entries: dict[str, bytes], version: str
) -> None:
    """Dataverse exports may say two or three parts; sources always say four."""
    path = sandbox.work / "short-version.zip"
    path.write_bytes(make_zip(with_version(solution_entries, version)))
    sandbox.mark()
    check(sandbox.run("unpack", path, "--out", "src"), codes=(0,))
    project = (sandbox.work / "src" / "project.xml").read_text()
    four = ".".join((version.split(".") + ["0"] * 4)[:4])
    assert f'version="{four}"' in project or f"<version>{four}</version>" in project
    sandbox.assert_written_only(sandbox.work / "src")


@pytest.mark.parametrize("version", ["１.２.３.４", "1.0.0.0.0", "v1.x", "1.0.0.-1"])
def test_build_refuses_a_version_that_is_not_ascii_numbers(sandbox: Sandbox, version: str) -> None:
    """Unicode digits are digits to Python's \\d; Dataverse wants 0-9."""
    check(
        sandbox.run("build", "solution", "--src", SOURCES, "--version", version, "--out", "dist"),
        codes=(1, 2),
    )
    assert not (sandbox.work / "dist").exists()
    sandbox.assert_written_only()
