"""The safe XML parser: encodings named as such, DTDs refused however they are hidden,
nothing resolved or fetched, and every failure a located BuildError."""

from __future__ import annotations

import codecs

import pytest
from lxml import etree

from builder.errors import BuildError
from builder.xmlio.safe import parse_xml, read_xml

DOCTYPE = '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    b"]>\n<lolz>&lol3;</lolz>"
)

# (name, bytes, expected code, expected line)
REFUSED: list[tuple[str, bytes, str, int]] = [
    ("unclosed tag", b"<a>\n<b>\n</a>", "XML001", 3),
    ("stray ampersand", b"<a>\nx & y</a>", "XML001", 2),
    ("empty file", b"", "XML001", 1),
    ("declaration not first", b"\n<?xml version='1.0'?><a/>", "XML001", 2),
    ("undefined entity", b"<a>&xxe;</a>", "XML001", 1),
    (
        "latin-1 bytes declared utf-8",
        '<?xml version="1.0" encoding="utf-8"?>\n<a>\né</a>'.encode("latin-1"),
        "XML002",
        3,
    ),
    ("unknown encoding", b'<?xml version="1.0" encoding="klingon"?><a/>', "XML002", 1),
    (
        "utf-8 BOM declared utf-16",
        codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="utf-16"?><a/>',
        "XML005",
        1,
    ),
    (
        "utf-16 BOM declared utf-8",
        '<?xml version="1.0" encoding="utf-8"?><a/>'.encode("utf-16"),
        "XML005",
        1,
    ),
    (
        "utf-16 without BOM",
        '<?xml version="1.0" encoding="utf-16"?><a/>'.encode("utf-16-le"),
        "XML005",
        1,
    ),
    ("declared utf-16, written utf-8", b'<?xml version="1.0" encoding="utf-16"?><a/>', "XML005", 1),
    ("billion laughs", LAUGHS, "XML003", 2),
    (
        "external entity",
        b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        "XML003",
        2,
    ),
    ("DTD on the network", b'<!DOCTYPE a SYSTEM "http://example.com/evil.dtd"><a/>', "XML003", 1),
    (
        "parameter entity",
        b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://example.com/p">%p;]><a/>',
        "XML003",
        1,
    ),
    (
        "DOCTYPE in UTF-16",
        ('<?xml version="1.0" encoding="utf-16"?>\n' + DOCTYPE).encode("utf-16"),
        "XML003",
        2,
    ),
    (
        "DOCTYPE in UTF-32",
        ('<?xml version="1.0" encoding="utf-32"?>' + DOCTYPE).encode("utf-32"),
        "XML003",
        1,
    ),
    (
        "DOCTYPE after a 100 kB comment",
        b"<!--" + b"x\n" * 50000 + b"-->" + DOCTYPE.encode(),
        "XML003",
        50001,
    ),
]


@pytest.mark.parametrize(("name", "data", "code", "line"), REFUSED, ids=[c[0] for c in REFUSED])
def test_bad_xml_is_refused_with_a_located_diagnostic(
    name: str, data: bytes, code: str, line: int
) -> None:
    with pytest.raises(BuildError) as caught:
        parse_xml(data, "x.xml")
    found = caught.value.diagnostics[0]
    assert (found.code, found.file, found.line) == (code, "x.xml", line)
    assert found.hint


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0" encoding="utf-8"?><a/>',
        codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="utf-8"?><a/>',
        '<?xml version="1.0" encoding="utf-16"?>\r\n<a/>'.encode("utf-16"),
        '<?xml version="1.0"?>\r\n<a/>'.encode("utf-16"),  # Package Deployer's ImportConfig.xml
        '<?xml version="1.0" encoding="iso-8859-1"?><a>é</a>'.encode("latin-1"),
        b"<a>&lt;!DOCTYPE is text here</a>",
        b"<a><![CDATA[<!DOCTYPE x>]]></a>",
    ],
    ids=[
        "utf-8",
        "utf-8 BOM",
        "utf-16 BOM",
        "utf-16 BOM undeclared",
        "latin-1",
        "escaped",
        "cdata",
    ],
)
def test_well_formed_xml_in_any_honest_encoding_parses(data: bytes) -> None:
    assert parse_xml(data, "x.xml").tag == "a"


def test_xinclude_is_not_processed() -> None:
    data = (
        b'<a xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="/etc/passwd" parse="text"/></a>'
    )
    root = parse_xml(data, "x.xml")
    assert b"root:" not in etree.tostring(root)


def test_a_file_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICEPKG_LIMIT_XML_BYTES", "10")
    with pytest.raises(BuildError) as caught:
        parse_xml(b"<a>01234567890</a>", "big.xml")
    assert caught.value.diagnostics[0].code == "XML004"


def test_a_missing_file_is_an_io_diagnostic(tmp_path) -> None:
    with pytest.raises(BuildError) as caught:
        read_xml(str(tmp_path / "gone.xml"), "gone.xml")
    assert (caught.value.diagnostics[0].code, caught.value.diagnostics[0].file) == (
        "IO003",
        "gone.xml",
    )


XAML = (
    b'<Activity xmlns="http://schemas.microsoft.com/netfx/2009/xaml/activities" '
    b'xmlns:s="clr-namespace:System;assembly=mscorlib, Version=4.0.0.0">\n<s:String/>'
    b"</Activity>"
)


def test_workflow_xaml_with_clr_namespaces_parses_even_after_other_failures() -> None:
    with pytest.raises(BuildError):
        parse_xml(b"<a><b></a>", "broken.xml")  # an earlier failure must not leak into the next
    assert parse_xml(XAML, "w.xaml").tag.endswith("Activity")


def test_a_clr_namespace_does_not_excuse_malformed_xml() -> None:
    with pytest.raises(BuildError) as caught:
        parse_xml(XAML.replace(b"</Activity>", b"</Activit>"), "w.xaml")
    assert caught.value.diagnostics[0].code == "XML001"
