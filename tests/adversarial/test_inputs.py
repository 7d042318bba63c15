"""Issue 15 item 4 and issue 10 item 6: every input is checked for what it is before it is
read, and read only up to its limit, so memory is bounded by the limits, not by the input."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from adversarial.harness import PACKAGE_ZIP, SOLUTION_ZIP, Sandbox, check, make_zip

URL = "https://contoso.crm4.dynamics.com"
MiB = 1024 * 1024


def commands_reading(path: Path, other: Path) -> list[list[str]]:
    """Every command that takes a zip or package, pointed at `path`."""
    return [
        ["validate", str(path)],
        ["validate", "--format", "json", str(path)],
        ["unpack", str(path), "--out", "out"],
        ["diff", str(path), str(other)],
        ["diff", str(other), str(path)],
        ["settings", "template", "--package", str(path)],
        ["deploy", "--env", URL, "--package", str(path), "--dry-run", "--json"],
    ]


@pytest.fixture
def package(sandbox: Sandbox, built: dict[str, bytes]) -> Path:
    path = sandbox.work / PACKAGE_ZIP
    path.write_bytes(built[PACKAGE_ZIP])
    sandbox.mark()
    return path


def not_regular(sandbox: Sandbox, kind: str) -> Path:
    """A FIFO, a device node or a socket named like a zip."""
    path = sandbox.work / f"{kind}.zip"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    else:
        return Path("/dev/zero")
    sandbox.mark()
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_a_fifo_device_or_socket_named_as_a_zip_is_refused_at_once(
    sandbox: Sandbox, package: Path, kind: str
) -> None:
    path = not_regular(sandbox, kind)
    for args in commands_reading(path, package):
        run = check(sandbox.run(*args, timeout=20), codes=(1, 2), says=["IO002"])
        assert run.seconds < 10
        assert "no such file" not in run.output  # item 13: the diff of a FIFO said so
    sandbox.assert_written_only()


def test_a_zip_larger_than_the_input_limit_is_refused_from_its_size(
    sandbox: Sandbox, package: Path
) -> None:
    """600 MB (sparse: no disk used) over the real default of 512 MiB: refused by its size,
    never read (it took 629 MB of memory before)."""
    big = sandbox.work / "big.zip"
    with open(big, "wb") as handle:
        handle.truncate(600 * MiB)
    sandbox.mark()
    for args in commands_reading(big, package):
        check(sandbox.run(*args), codes=(1, 2), says=["IO004"], max_rss_mb=120)
    sandbox.assert_written_only()


def test_a_large_file_that_is_not_a_zip_is_refused_without_reading_it(
    sandbox: Sandbox, package: Path
) -> None:
    """400 MB of zeros, under the default input limit: refused as not a zip, memory flat."""
    junk = sandbox.work / "junk.zip"
    with open(junk, "wb") as handle:
        handle.truncate(400 * MiB)
    sandbox.mark()
    for args in commands_reading(junk, package)[:4]:
        check(sandbox.run(*args), codes=(1, 2), says=["ZIP002"], max_rss_mb=120)


def test_declared_entry_sizes_over_the_default_limit_are_refused_before_reading(
    sandbox: Sandbox, package: Path
) -> None:
    """Four entries of 250 MB each in a small zip (they took 2.3 GB to validate): the real
    default limits refuse them from the headers."""
    zeros = b"\0" * (250 * MiB)
    data = make_zip(
        {f"WebResources/{i}.bin": zeros for i in range(4)}
        | {"solution.xml": b"<x/>", "customizations.xml": b"<x/>"},
        level=1,
    )
    del zeros
    path = sandbox.work / "four.zip"
    path.write_bytes(data)
    sandbox.mark()
    for args in commands_reading(path, package):
        check(sandbox.run(*args), codes=(1, 2), says=["ZIP005"], max_rss_mb=120)
    sandbox.assert_written_only()


@pytest.mark.parametrize("limit", ["ZIP_ENTRY_BYTES", "ZIP_TOTAL_BYTES"])
def test_entry_and_total_limits_hold_while_reading(
    sandbox: Sandbox, package: Path, limit: str
) -> None:
    """Incompressible entries within the ratio limit, over a lowered size limit."""
    data = make_zip(
        {f"WebResources/{i}.bin": os.urandom(2 * MiB) for i in range(3)}
        | {"solution.xml": b"<x/>", "customizations.xml": b"<x/>"}
    )
    path = sandbox.work / "random.zip"
    path.write_bytes(data)
    sandbox.mark()
    env = {f"VOICEPKG_LIMIT_{limit}": str(MiB if limit == "ZIP_ENTRY_BYTES" else 5 * MiB)}
    for args in commands_reading(path, package):
        check(sandbox.run(*args, env=env), codes=(1, 2), says=["ZIP005"])
    sandbox.assert_written_only()


def test_a_settings_file_that_is_a_device_or_too_large_is_refused(
    sandbox: Sandbox, package: Path
) -> None:
    """`--settings /dev/zero` ended in MemoryError; a 1 GB file (sparse) is refused by size."""
    sparse = sandbox.work / "settings.json"
    with open(sparse, "wb") as handle:
        handle.truncate(1024 * MiB)
    fifo = sandbox.work / "settings.fifo"
    os.mkfifo(fifo)
    sandbox.mark()
    for settings, code in (("/dev/zero", "IO002"), (fifo, "IO002"), (sparse, "IO004")):
        for extra in ([], ["--json"]):
            check(
                sandbox.run(
                    "deploy",
                    "--env",
                    URL,
                    "--package",
                    package,
                    "--settings",
                    settings,
                    "--dry-run",
                    *extra,
                ),
                codes=(1, 2),
                says=[code],
                max_rss_mb=150,
            )
    sandbox.assert_written_only()


def test_a_source_file_that_is_a_fifo_or_huge_is_an_error_not_a_hang(
    sandbox: Sandbox,
) -> None:
    from adversarial.harness import copy_sources

    src = copy_sources(sandbox)
    os.mkfifo(src / "tables" / "pipe.xml")
    huge = src / "tables" / "huge.xml"
    with open(huge, "wb") as handle:
        handle.truncate(2048 * MiB)  # sparse: over the 64 MiB XML limit
    sandbox.mark()
    for args in (
        ["validate", "solution_src"],
        ["build", "package", "--out", "dist"],
        ["diff", "solution_src", "solution_src"],
    ):
        check(sandbox.run(*args), codes=(1, 2), says=["pipe.xml", "IO002"], max_rss_mb=200)
    os.unlink(src / "tables" / "pipe.xml")
    sandbox.mark()
    for args in (["validate", "solution_src"], ["build", "package", "--out", "dist"]):
        check(sandbox.run(*args), codes=(1,), says=["huge.xml", "IO004"], max_rss_mb=200)
    sandbox.assert_written_only()


def test_a_folder_where_a_file_is_expected_is_refused(sandbox: Sandbox, package: Path) -> None:
    (sandbox.work / "folder.json").mkdir()
    sandbox.mark()
    check(
        sandbox.run(
            "deploy", "--env", URL, "--package", package, "--settings", "folder.json", "--dry-run"
        ),
        codes=(2,),
        says=["directory"],
    )
    check(
        sandbox.run("settings", "template", "--package", package, "--out", "folder.json"),
        codes=(1, 2),
    )


def test_the_real_outputs_still_read_fine(
    sandbox: Sandbox, package: Path, built: dict[str, bytes]
) -> None:
    """The checks refuse the hostile, not the ordinary: our own zips validate, unpack, diff."""
    (sandbox.work / SOLUTION_ZIP).write_bytes(built[SOLUTION_ZIP])
    sandbox.mark()
    check(sandbox.run("validate", PACKAGE_ZIP), codes=(0,))
    check(sandbox.run("validate", SOLUTION_ZIP), codes=(0,))
    check(sandbox.run("diff", PACKAGE_ZIP, PACKAGE_ZIP), codes=(0,))
    check(sandbox.run("unpack", SOLUTION_ZIP, "--out", "src"), codes=(0,))
    check(sandbox.run("settings", "template", "--package", PACKAGE_ZIP), codes=(0,))
    sandbox.assert_written_only(sandbox.work / "src")
