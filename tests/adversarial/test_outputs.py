"""Issue 15 item 3 (and the output parts of 6 and 13): an output path is checked for what it
is before it is replaced; `--force` never removes the working folder, an input or a
repository; an unwritable place is a diagnostic, not an internal error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from adversarial.harness import PACKAGE_ZIP, SOLUTION_ZIP, Sandbox, check


@pytest.fixture
def inputs(sandbox: Sandbox, built: dict[str, bytes]) -> Sandbox:
    for name in (PACKAGE_ZIP, SOLUTION_ZIP):
        (sandbox.work / name).write_bytes(built[name])
    sandbox.mark()
    return sandbox


def special(sandbox: Sandbox, kind: str, path: Path) -> None:
    """Make `path` a FIFO, a character device (a copy of /dev/full), a link out of the
    sandbox, or a link to this process's stdout."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is
    elif kind == "link-out":
        path.symlink_to(sandbox.root / "victim.txt")
        (sandbox.root / "victim.txt").write_text("keep me")
    else:
        path.symlink_to("/proc/self/fd/1")
    sandbox.mark()


def unchanged(path: Path, kind: str) -> None:
    info = os.lstat(path)
    expected = {"fifo": stat.S_ISFIFO, "device": stat.S_ISCHR}.get(kind, stat.S_ISLNK)
    assert expected(info.st_mode), f"{path} was replaced"


KINDS = ["fifo", "device", "link-out", "link-stdout"]


@pytest.mark.parametrize("kind", KINDS)
def test_settings_template_never_replaces_a_special_file(inputs: Sandbox, kind: str) -> None:
    """`settings template --out /dev/full` turned the device into a JSON file (as root)."""
    target = inputs.work / "settings.json"
    special(inputs, kind, target)
    for extra in ([], ["--force"], ["--merge"]):
        check(
            inputs.run(
                "settings",
                "template",
                "--package",
                PACKAGE_ZIP,
                "--out",
                target,
                *extra,
                timeout=15,
            ),
            codes=(2,),
            says=["IO006"],
        )
    unchanged(target, kind)
    inputs.assert_written_only()
    if kind == "link-out":
        assert (inputs.root / "victim.txt").read_text() == "keep me"


@pytest.mark.parametrize("kind", KINDS)
def test_build_never_replaces_a_special_file_among_its_outputs(inputs: Sandbox, kind: str) -> None:
    dist = inputs.work / "dist"
    dist.mkdir()
    target = dist / SOLUTION_ZIP
    special(inputs, kind, target)
    check(
        inputs.run(
            "build",
            "solution",
            "--src",
            Path(__file__).parents[2] / "solution_src",
            "--out",
            dist,
            timeout=30,
        ),
        codes=(2,),
        says=["IO006", SOLUTION_ZIP],
    )
    unchanged(target, kind)
    inputs.assert_written_only()


@pytest.mark.parametrize("kind", ["fifo", "device", "link-out", "file"])
def test_unpack_out_must_be_a_folder(inputs: Sandbox, kind: str) -> None:
    """`unpack --out /dev/null` said "is not empty"; now it says what the path is."""
    target = inputs.work / "out"
    if kind == "file":
        target.write_text("x")
        inputs.mark()
    else:
        special(inputs, kind, target)
    for force in ([], ["--force"]):
        run = check(
            inputs.run("unpack", SOLUTION_ZIP, "--out", target, *force), codes=(2,), says=["IO006"]
        )
        assert "not empty" not in run.output
    inputs.assert_written_only()


def test_unpack_out_dev_null_is_refused_plainly(inputs: Sandbox) -> None:
    run = check(
        inputs.run("unpack", SOLUTION_ZIP, "--out", "/dev/null", "--force"),
        codes=(2,),
        says=["IO006", "device"],
    )
    assert "not empty" not in run.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("where", ["cwd", "parent-of-cwd", "input-folder", "repository"])
def test_force_never_removes_the_working_folder_an_input_or_a_repository(
    inputs: Sandbox, where: str
) -> None:
    """`unpack --out . --force` deleted the current folder, `.git` and the input zip."""
    work = inputs.work
    cwd = work
    source = work / SOLUTION_ZIP
    if where == "cwd":
        out = Path(".")
    elif where == "parent-of-cwd":
        cwd = work / "inner"
        cwd.mkdir()
        out = Path("..")
    elif where == "input-folder":
        out = Path("folder")
        (work / "folder").mkdir()
        source = work / "folder" / SOLUTION_ZIP
        source.write_bytes((work / SOLUTION_ZIP).read_bytes())
    else:
        out = Path("repo")
        (work / "repo" / ".git").mkdir(parents=True)
        (work / "repo" / "keep.txt").write_text("x")
    inputs.mark()
    check(
        inputs.run("unpack", source, "--out", out, "--force", cwd=cwd),
        codes=(2,),
        says=["IO006", "--force would remove"],
    )
    assert source.is_file()
    inputs.assert_written_only()


def test_force_replaces_an_ordinary_folder(inputs: Sandbox) -> None:
    """The guard refuses the dangerous, not the ordinary."""
    (inputs.work / "src").mkdir()
    (inputs.work / "src" / "old.xml").write_text("<old/>")
    inputs.mark()
    check(inputs.run("unpack", SOLUTION_ZIP, "--out", "src", "--force"), codes=(0,))
    assert not (inputs.work / "src" / "old.xml").exists()
    assert (inputs.work / "src" / "project.xml").is_file()
    inputs.assert_written_only(inputs.work / "src")


@pytest.mark.parametrize("where", ["read-only-parent", "proc", "sys"])
def test_an_unwritable_output_place_is_a_diagnostic(inputs: Sandbox, where: str) -> None:
    """`unpack --out` under a read-only parent or in /proc ended as exit 70."""
    if where == "read-only-parent":
        locked = inputs.work / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        out = locked / "src"
        inputs.mark()
    else:
        out = Path(f"/{where}/voicepkg-out")
    check(
        inputs.run("unpack", SOLUTION_ZIP, "--out", out, unprivileged=True),
        codes=(1, 2),
        says=["UNP004"] if where == "read-only-parent" else [],
    )
    check(
        inputs.run(
            "settings",
            "template",
            "--package",
            PACKAGE_ZIP,
            "--out",
            out / "s.json",
            unprivileged=True,
        ),
        codes=(1, 2),
    )
    check(
        inputs.run(
            "build",
            "package",
            "--src",
            Path(__file__).parents[2] / "solution_src",
            "--out",
            out,
            unprivileged=True,
        ),
        codes=(1, 2),
    )
    assert not out.exists()
    inputs.assert_written_only()
