"""Parse XML safely: no DTDs, no entities, nothing from the network, bounded size.

Dataverse files never carry a DOCTYPE, so any DTD is refused outright; that closes
billion-laughs, external entities and network DTDs in one rule. Errors come back as
`BuildError`s located at the file and line lxml reports.
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import BuildError

MAX_XML_BYTES = 64 * 1024 * 1024  # a customizations.xml of a large solution is ~20 MB

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


def _decode_check(data: bytes, file: str) -> None:
    """Name encoding problems as such before lxml gives a vaguer message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with BOM (ImportConfig.xml is written this way); lxml handles it
    head = data[:200].decode("ascii", "replace")
    declared = re.search(r"encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", head)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return  # let lxml decode the declared encoding
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise BuildError.at(
            "XML002",
            f"not valid UTF-8: byte 0x{body[exc.start]:02x} at offset {exc.start}",
            file=file,
            line=line,
            hint="save the file as UTF-8, or declare its real encoding in the XML declaration",
        ) from None


def parse_xml(data: bytes, file: str) -> etree._Element:
    """Parse `data` (named `file` in messages) and return its root element."""
    if len(data) > MAX_XML_BYTES:
        raise BuildError.at(
            "XML004",
            f"XML file is {len(data)} bytes, over the {MAX_XML_BYTES} byte limit",
            file=file,
            hint="this is not a file Dataverse exports; check what was put here",
        )
    match = _DOCTYPE.search(data[:65536] if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else
                            data[:131072].decode("utf-16", "replace").encode())
    if match:
        line = data[: match.start()].count(b"\n") + 1
        raise BuildError.at(
            "XML003",
            "DOCTYPE or ENTITY declarations are refused (entity expansion and external "
            "DTDs are a known attack, and Dataverse files never use them)",
            file=file,
            line=line,
            hint="remove the <!DOCTYPE ...> block",
        )
    _decode_check(data, file)
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = (exc.position if exc.position else (exc.lineno or 0, 0))
        code = "XML002" if "encoding" in str(exc).lower() else "XML001"
        raise BuildError.at(
            code,
            f"malformed XML: {exc.msg}",
            file=file,
            line=line,
            column=column,
            hint="fix the XML syntax at that line (an unclosed tag or a stray '&' is common)",
        ) from None


def read_xml(path: str, display: str | None = None) -> etree._Element:
    """Read and parse a file from disk."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_XML_BYTES + 1)
    except OSError as exc:
        raise BuildError.at("IO001", f"cannot read: {exc.strerror}", file=display or path) from None
    return parse_xml(data, display or path)
