"""Issue 15 item 13 and the robust cases that held before: hostile XML in sources and zips
is refused with the right code and a message that says what is wrong."""

from __future__ import annotations

import os

import pytest

from adversarial.harness import Sandbox, check, copy_sources, make_zip

BIG = 20 * 1024 * 1024


def test_a_20_mb_attribute_says_what_is_wrong(sandbox: Sandbox) -> None:
    """It said "try XML_PARSE_HUGE" with "fix the XML syntax"."""
    src = copy_sources(sandbox)
    path = src / "settings" / "phone-call-sync.xml"
    text = path.read_text()
    path.write_text(text.replace("<settings", '<settings x="' + "a" * BIG + '"', 1))
    sandbox.mark()
    for args in (["validate", "solution_src"], ["build", "package", "--out", "dist"]):
        run = check(sandbox.run(*args), codes=(1,), says=["XML004", "phone-call-sync.xml"])
        assert "XML_PARSE_HUGE" not in run.output
        assert "fix the XML syntax" not in run.output
    sandbox.assert_written_only()


def test_a_diff_of_a_fifo_names_what_it_is(sandbox: Sandbox) -> None:
    """It said "no such file"."""
    os.mkfifo(sandbox.work / "pipe.zip")
    sandbox.mark()
    run = check(sandbox.run("diff", "pipe.zip", "pipe.zip"), codes=(2,), says=["FIFO"])
    assert "no such file" not in run.output


HOSTILE_XML = {
    "doctype": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><settings>&a;</settings>',
    "xxe": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b"<settings>&e;</settings>",
    "laughs": b'<!DOCTYPE l [<!ENTITY a "1234567890"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><settings>&c;</settings>',
    "utf16-no-bom": '<?xml version="1.0" encoding="utf-16"?><settings/>'.encode("utf-16-le"),
    "latin1-as-utf8": '<?xml version="1.0" encoding="utf-8"?><settings>é</settings>'.encode(
        "latin-1"
    ),
    "unclosed": b"<settings><a></settings>",
    "deep": b"<settings>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</settings>",
    "empty": b"",
    "binary": bytes(range(256)) * 4,
}
CODES = {
    "doctype": "XML003",
    "xxe": "XML003",
    "laughs": "XML003",
    "utf16-no-bom": "XML005",
    "latin1-as-utf8": "XML002",
    "unclosed": "XML001",
    "deep": "XML004",
    "empty": "XML001",
    "binary": "XML00",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_XML))
def test_hostile_xml_in_the_sources_is_a_located_error(sandbox: Sandbox, case: str) -> None:
    src = copy_sources(sandbox)
    (src / "settings" / "hostile.xml").write_bytes(HOSTILE_XML[case])
    sandbox.mark()
    for args in (
        ["validate", "solution_src"],
        ["validate", "--format", "json", "solution_src"],
        ["build", "solution", "--out", "dist"],
    ):
        run = check(sandbox.run(*args), codes=(1,), says=["hostile.xml", CODES[case]])
        assert "root:" not in run.output  # /etc/passwd never read
    sandbox.assert_written_only()


@pytest.mark.parametrize("case", sorted(HOSTILE_XML))
def test_hostile_xml_in_a_zip_is_a_located_error(
    sandbox: Sandbox, solution_entries: dict[str, bytes], case: str
) -> None:
    path = sandbox.work / "hostile.zip"
    path.write_bytes(make_zip({**solution_entries, "customizations.xml": HOSTILE_XML[case]}))
    sandbox.mark()
    for args in (["validate", path], ["unpack", path, "--out", "out"]):  # diff: as validate
        run = check(sandbox.run(*args), codes=(1, 2), says=["customizations.xml"])
        assert "root:" not in run.output
    sandbox.assert_written_only()


@pytest.mark.parametrize(
    "content", [b"", b"PK\x03\x04", b"PK\x05\x06" + b"\0" * 18, b"not a zip", os.urandom(4096)]
)
def test_truncated_empty_or_fake_zips_are_refused(sandbox: Sandbox, content: bytes) -> None:
    """The third is a valid zip with no entries: refused as not a solution."""
    (sandbox.work / "x.zip").write_bytes(content)
    sandbox.mark()
    says = [] if content.startswith(b"PK\x05\x06") else ["ZIP002"]
    for args in (
        ["validate", "x.zip"],
        ["unpack", "x.zip", "--out", "out"],
        ["diff", "x.zip", "x.zip"],
        ["settings", "template", "--package", "x.zip"],
    ):
        check(sandbox.run(*args), codes=(1, 2), says=says)
    sandbox.assert_written_only()


@pytest.mark.parametrize("case", ["utf-16", "latin-1", "deep", "not-an-object", "truncated"])
def test_a_hostile_settings_file_is_a_located_error(
    sandbox: Sandbox, built: dict[str, bytes], case: str
) -> None:
    """UTF-16, Latin-1 or very deep settings files ended as exit 70."""
    from adversarial.harness import PACKAGE_ZIP

    (sandbox.work / PACKAGE_ZIP).write_bytes(built[PACKAGE_ZIP])
    body = '{"EnvironmentVariables": [{"SchemaName": "é", "Value": "x"}]}'
    content = {
        "utf-16": body.encode("utf-16"),
        "latin-1": body.encode("latin-1"),
        "deep": b"[" * 100_000 + b"]" * 100_000,
        "not-an-object": b"[1, 2]",
        "truncated": b'{"EnvironmentVariables": [',
    }[case]
    (sandbox.work / "s.json").write_bytes(content)
    sandbox.mark()
    for extra in ([], ["--json"]):
        check(
            sandbox.run(
                "deploy",
                "--env",
                "https://contoso.crm4.dynamics.com",
                "--package",
                PACKAGE_ZIP,
                "--settings",
                "s.json",
                "--dry-run",
                *extra,
            ),
            codes=(1, 2),
            says=["DEP020", "s.json"],
        )
    sandbox.assert_written_only()
