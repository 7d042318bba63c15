"""Issue 15 items 2 and 12: a source the tool cannot read is an error, never skipped; a source
linked from outside the tree is an error with its path, as web resources already were."""

from __future__ import annotations

import os

import pytest

from adversarial.harness import Sandbox, check, copy_sources

COMMANDS = (
    ["validate", "solution_src"],
    ["validate", "--format", "json", "solution_src"],
    ["build", "package", "--out", "dist"],
    ["build", "solution", "--both", "--out", "dist", "--json"],
    ["diff", "solution_src", "solution_src"],
    ["settings", "template", "--from-source", "--src", "solution_src"],
)


def refused_everywhere(sandbox: Sandbox, *says: str, unprivileged: bool = False) -> None:
    for args in COMMANDS:
        check(sandbox.run(*args, unprivileged=unprivileged), codes=(1, 2), says=says)
    assert not (sandbox.work / "dist").exists()
    sandbox.assert_written_only()


@pytest.mark.parametrize("what", ["folder", "file"])
def test_an_unreadable_source_is_an_error_never_skipped(sandbox: Sandbox, what: str) -> None:
    """`chmod 000 solution_src/settings` was skipped: validate said valid and the package
    carried 1 settings record of 28. Run as an ordinary user (root reads anything)."""
    src = copy_sources(sandbox)
    target = src / "settings" if what == "folder" else src / "settings" / "phone-call-sync.xml"
    target.chmod(0)
    sandbox.mark()
    try:
        refused_everywhere(sandbox, "IO001", "settings", unprivileged=True)
    finally:
        target.chmod(0o755)


def test_a_source_linked_from_outside_the_tree_is_refused(sandbox: Sandbox) -> None:
    src = copy_sources(sandbox)
    outside = sandbox.root / "elsewhere.xml"
    (src / "settings" / "phone-call-sync.xml").rename(outside)
    (src / "settings" / "phone-call-sync.xml").symlink_to(outside)
    sandbox.mark()
    refused_everywhere(sandbox, "IO005", "phone-call-sync.xml")


def test_a_linked_folder_is_refused(sandbox: Sandbox) -> None:
    src = copy_sources(sandbox)
    outside = sandbox.root / "elsewhere"
    (src / "settings").rename(outside)
    (src / "settings").symlink_to(outside, target_is_directory=True)
    sandbox.mark()
    refused_everywhere(sandbox, "IO005", "settings")


def test_a_web_resource_linked_from_outside_is_refused_with_its_path(sandbox: Sandbox) -> None:
    src = copy_sources(sandbox)
    payloads = sorted(
        p for p in (src / "webresources").rglob("*") if p.is_file() and p.suffix != ".xml"
    )
    victim = payloads[0]
    outside = sandbox.root / victim.name
    victim.rename(outside)
    victim.symlink_to(outside)
    sandbox.mark()
    refused_everywhere(sandbox, "IO005", victim.name)


def test_a_link_to_a_secret_file_never_reaches_the_output(sandbox: Sandbox) -> None:
    src = copy_sources(sandbox)
    secret = sandbox.root / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE-1234")
    raw = src / "raw" / "VoiceForD365" / "entries" / "leak.txt"
    raw.parent.mkdir(parents=True)
    raw.symlink_to(secret)
    sandbox.mark()
    for args in COMMANDS:
        check(sandbox.run(*args), codes=(1, 2), says=["IO005"], secrets=["TOP-SECRET-VALUE"])
    sandbox.assert_written_only()


def test_folders_nested_too_deep_are_an_error(sandbox: Sandbox) -> None:
    src = copy_sources(sandbox)
    deep = src / "tables"
    for i in range(40):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    (deep / "x.xml").write_text("<table/>")
    sandbox.mark()
    refused_everywhere(sandbox, "IO004", "nested")


def test_special_files_in_the_tree_are_refused(sandbox: Sandbox) -> None:
    src = copy_sources(sandbox)
    os.mkfifo(src / "raw.fifo")
    sandbox.mark()
    refused_everywhere(sandbox, "IO002", "raw.fifo")


def test_hidden_files_are_still_ignored_as_documented(sandbox: Sandbox) -> None:
    """Editors' and git's files (names starting with '.') are not sources."""
    src = copy_sources(sandbox)
    (src / ".swp.xml").write_text("not xml at all <")
    (src / ".git").mkdir()
    os.mkfifo(src / ".git" / "fifo")
    sandbox.mark()
    check(sandbox.run("validate", "solution_src"), codes=(0,))
    check(sandbox.run("build", "package", "--out", "dist"), codes=(0,))
    sandbox.assert_written_only(sandbox.work / "dist")
