"""Parse XML safely: no DTDs, no entities, nothing from the network, bounded size.

Dataverse files never carry a DOCTYPE, so any DTD is refused outright; that closes
billion-laughs, external entities and network DTDs in one rule. The prolog is checked on the
decoded text (so UTF-16/32 or a long leading comment cannot hide a DOCTYPE), and the parsed
tree is checked again. Encoding problems are named as such: bytes that are not valid in the
declared encoding (XML002), a byte order mark that contradicts the declaration or UTF-16
without one (XML005). Errors come back as `BuildError`s located at the file and line.

Codes: XML001 malformed, XML002 encoding, XML003 DTD/entity, XML004 too large (the file, or
one text or attribute value), XML005 BOM.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from ..errors import BuildError
from ..fsio import current_limits, read_regular


def max_xml_bytes() -> int:
    """The XML size limit (docs/limits.md): a customizations.xml of a large solution is ~20 MB."""
    return current_limits().xml_bytes


_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# "<?" in encodings without a BOM (XML 1.0 appendix F)
_BOMLESS = (
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
)
_DECLARED = re.compile(r"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def new_parser(recover: bool = False, blanks: bool = True) -> etree.XMLParser:
    """A fresh parser per document (entities, DTDs and the network refused), so its error log
    holds this document's errors only (and no parser is shared between threads).
    `recover` tolerates what libxml2 reports but .NET accepts: a namespace name that is not
    a URI (workflow XAML declares xmlns:x="clr-namespace:...;assembly=..."); it is used only
    when those are the only errors, so nothing malformed is ever "recovered".
    `blanks=False` drops the whitespace between elements (not a leaf's text): a third less
    memory for a large export, for readers that never serialize what they parsed."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=not blanks,
        recover=recover,
    )


def _codec(name: str) -> str | None:
    """Python's canonical codec name for an encoding label, or None when unknown."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _family(codec: str) -> str:
    return codec.replace("-le", "").replace("-be", "").replace("_", "-")


def _refuse(code: str, message: str, file: str, hint: str, line: int = 0) -> BuildError:
    return BuildError.at(code, message, file=file, line=line or None, hint=hint)


def _bom_codec(data: bytes, file: str) -> tuple[str, int]:
    """(codec, BOM length) from a byte order mark, else from the first bytes; UTF-8 default."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    for start, codec in _BOMLESS:
        if data.startswith(start):
            raise _refuse(
                "XML005",
                f"{codec.upper()[:6]} text without a byte order mark",
                file,
                "save the file as UTF-8, or as UTF-16 with a BOM",
                1,
            )
    return "", 0


def sniff_encoding(data: bytes, file: str) -> str:
    """The Python codec that decodes `data`; raises XML002/XML005 when BOM, declaration and
    bytes disagree."""
    bom_codec, skip = _bom_codec(data, file)
    head = data[skip : skip + 512].decode(bom_codec or "latin-1", "replace")
    declared = _DECLARED.match(head)
    label = declared.group(1) if declared else ""
    codec = _codec(label) if label else None
    if label and codec is None:
        raise _refuse(
            "XML002",
            f"unknown encoding {label!r} in the XML declaration",
            file,
            "declare utf-8 (or the file's real encoding)",
            1,
        )
    if not bom_codec and codec and _family(codec) in ("utf-16", "utf-32"):
        raise _refuse(
            "XML005",
            f"declared {label} but there is no byte order mark",
            file,
            "save the file with a BOM (or as UTF-8 and declare utf-8)",
            1,
        )
    if bom_codec and codec and _family(codec) != _family(_codec(bom_codec) or bom_codec):
        raise _refuse(
            "XML005",
            f"the byte order mark says {bom_codec} but the declaration says {label}",
            file,
            "remove the BOM or fix the declared encoding",
            1,
        )
    return bom_codec or codec or "utf-8"


def _decode(data: bytes, codec: str, file: str) -> str:
    """The document as text; names the first byte that is not valid in `codec`."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(codec, "replace")
        line = before.count("\n") + 1
        raise _refuse(
            "XML002",
            f"not valid {codec}: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            file,
            "save the file as UTF-8, or declare its real encoding in the XML declaration",
            line,
        ) from None


def _refuse_dtd(text: str, file: str) -> None:
    """Refuse a DOCTYPE (or stray ENTITY) in the prolog, however long the prolog is."""
    pos = 1 if text.startswith("\ufeff") else 0
    while match := _PROLOG_ITEM.match(text, pos):
        pos = match.end()
    if _DTD.match(text, pos):
        raise _refuse(
            "XML003",
            "DOCTYPE or ENTITY declarations are refused (entity expansion "
            "and external DTDs are a known attack, and Dataverse files never use "
            "them)",
            file,
            "remove the <!DOCTYPE ...> block",
            text.count("\n", 0, pos) + 1,
        )


def _syntax_error(exc: etree.XMLSyntaxError, file: str) -> BuildError:
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    if "depth" in str(exc).lower():  # libxml2's cap on nesting (256 without huge_tree)
        return BuildError.at(
            "XML004",
            "elements nested deeper than the parser's limit of 256",
            file=file,
            line=line,
            column=column,
            hint="Dataverse never nests this deep; check the file",
        )
    if "huge" in str(exc).lower():  # libxml2's 10 MB cap on one text or attribute value
        return BuildError.at(
            "XML004",
            "a text or attribute value is over the parser's limit of 10,000,000 bytes",
            file=file,
            line=line,
            column=column,
            hint="Dataverse never writes a value this long; check the file",
        )
    if "encoding" in str(exc).lower():
        code, hint = "XML002", "save the file as UTF-8, or declare its real encoding"
    else:
        code, hint = (
            "XML001",
            "fix the XML syntax at that line (an unclosed tag or a stray '&' is common)",
        )
    return BuildError.at(
        code, f"malformed XML: {exc.msg}", file=file, line=line, column=column, hint=hint
    )


def _only_namespace_uri_warnings(parser: etree.XMLParser) -> bool:
    """The parser's own log: the exception's is the thread's, which keeps earlier documents'
    errors."""
    errors = list(parser.error_log)
    return bool(errors) and all(e.type_name == "WAR_NS_URI" for e in errors)


def parse_xml(
    data: bytes, file: str, *, blanks: bool = True, limit: int | None = None
) -> etree._Element:
    """Parse `data` (named `file` in messages) and return its root element; `blanks=False`:
    without the whitespace between elements (`new_parser`). `limit`: the size limit, when the
    caller has it already (else `max_xml_bytes()`, which reads the environment)."""
    limit = max_xml_bytes() if limit is None else limit
    if len(data) > limit:
        raise BuildError.at(
            "XML004",
            f"XML file is {len(data)} bytes, over the {limit} byte limit",
            file=file,
            hint="this is not a file Dataverse exports; check what was put here",
        )
    codec = sniff_encoding(data, file)
    _refuse_dtd(_decode(data, codec, file), file)
    root = _parse(data, file, blanks)
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.system_url or info.public_id:
        raise _refuse(
            "XML003", "DOCTYPE declarations are refused", file, "remove the <!DOCTYPE ...> block", 1
        )
    return root


def _parse(data: bytes, file: str, blanks: bool = True) -> etree._Element:
    parser = new_parser(blanks=blanks)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if not _only_namespace_uri_warnings(parser):
            raise _syntax_error(exc, file) from None
    return etree.fromstring(data, new_parser(recover=True, blanks=blanks))


def read_xml(path: str, display: str | None = None) -> etree._Element:
    """Read and parse a file from disk."""
    return read_xml_file(path, display)[1]


def read_xml_file(path: str, display: str | None = None) -> tuple[bytes, etree._Element]:
    """Read and parse a file from disk: its bytes, and its root element."""
    limit = max_xml_bytes()
    data = read_regular(path, limit, display or path, "the XML file")
    return data, parse_xml(data, display or path, limit=limit)
