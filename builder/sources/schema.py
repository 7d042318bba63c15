"""Validate source files against our XSDs (`builder/schemas/<kind>.xsd`) with lxml.

lxml is fast but terse ("'abc' is not a valid value of the atomic type
'xs:positiveInteger'"), so each schema error is rewritten into a diagnostic that names
the element and attribute and hints at what to write instead, using an index of the
attributes each element of the XSD allows (with their types).
"""

import re
from collections.abc import Callable
from copy import deepcopy
from functools import cache
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from ..errors import Diagnostic, diagnostic
from ..xmlio.positions import attribute_start, element_start

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
XS = "{http://www.w3.org/2001/XMLSchema}"

# What a value of each XSD type is, and an example of one: for messages and hints.
TYPE_WORDS: dict[str, tuple[str, str]] = {
    "xs:int": ("a whole number", "100"),
    "xs:positiveInteger": ("a whole number above 0", "100"),
    "xs:nonNegativeInteger": ("a whole number, 0 or more", "0"),
    "xs:decimal": ("a number", "2.5"),
    "xs:boolean": ("true or false", "true"),
    "guid": ("a GUID", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
    "identifier": ("a name of letters, digits and '_' not starting with a digit", "enreach_Name"),
    "identifierList": ("names separated by spaces", "enreach_name enreach_value"),
    "webResourceName": ("a web resource name", "enreach_/scripts/form.js"),
    "webResourceList": ("web resource names separated by spaces", "enreach_/scripts/form.js"),
    "depth": ("one of: Basic, Local, Deep, Global", "Global"),
    "nonEmpty": ("a text that is not empty", "..."),
    "xs:string": ("a text", ""),
}
# lxml facet -> how to say the limit it sets
_LIMITS = {
    "minInclusive": "at least {}",
    "maxInclusive": "at most {}",
    "minLength": "at least {} characters long",
    "maxLength": "at most {} characters long",
}


class SchemaIndex(NamedTuple):
    """Per element name: its allowed attributes and their type names."""

    attributes: dict[str, dict[str, str]]
    children: dict[str, tuple[str, ...]]


@cache
def schema(kind: str) -> etree.XMLSchema:
    """The compiled XSD of one source kind (cached: compiled once per process)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / f"{kind}.xsd")))


@cache
def schema_index(kind: str) -> SchemaIndex:
    docs = [
        etree.parse(str(SCHEMA_DIR / f"{kind}.xsd")),
        etree.parse(str(SCHEMA_DIR / "common.xsd")),
    ]
    named = {t.get("name"): t for d in docs for t in d.iter(f"{XS}complexType") if t.get("name")}
    attributes: dict[str, dict[str, str]] = {}
    children: dict[str, tuple[str, ...]] = {}
    for element in (e for d in docs for e in d.iter(f"{XS}element") if e.get("name")):
        ctype = element.find(f"{XS}complexType")
        if ctype is None and element.get("type") in named:
            ctype = named[element.get("type")]
        if ctype is None:
            continue
        name = str(element.get("name"))
        attributes.setdefault(name, {}).update(_attribute_types(ctype))
        children[name] = tuple(str(c.get("name")) for c in ctype.iter(f"{XS}element"))
    return SchemaIndex(attributes, children)


def _attribute_types(ctype: etree._Element) -> dict[str, str]:
    """Attribute name -> type name (the restriction base for inline simple types)."""
    out: dict[str, str] = {}
    for attr in ctype.findall(f"{XS}attribute"):  # direct children: not nested elements'
        restriction = attr.find(f"{XS}simpleType/{XS}restriction")
        enum = [e.get("value") for e in attr.iterfind(f".//{XS}enumeration")]
        if enum:
            out[str(attr.get("name"))] = "one of: " + ", ".join(str(v) for v in enum)
        elif restriction is not None:
            out[str(attr.get("name"))] = str(restriction.get("base"))
        else:
            out[str(attr.get("name"))] = str(attr.get("type", "xs:string"))
    return out


def validate(
    root: etree._Element, kind: str, file: str, text: Callable[[], list[str]] | None = None
) -> list[Diagnostic]:
    """Every XSD error of one parsed file, as located diagnostics. With the file's `text`
    lines, each points at the attribute (or element) at fault, not at the end of a start
    tag written over several lines."""
    xsd = schema(kind)
    if xsd.validate(root):
        return []
    lines = text() if text is not None else []
    return [_diagnostic(e, kind, file, lines) for e in xsd.error_log]


def repaired(root: etree._Element, kind: str, rounds: int = 5) -> etree._Element | None:
    """A copy of `root` without what its schema errors are about: a bad or unknown attribute
    is dropped, an unexpected element removed. None when that does not make it valid (a
    missing required part cannot be invented)."""
    copy = deepcopy(root)
    xsd = schema(kind)
    for _ in range(rounds):
        if xsd.validate(copy):
            return copy
        for error in list(xsd.error_log):
            if not _drop(copy, error):
                return None
    return copy if xsd.validate(copy) else None


def _drop(root: etree._Element, error: etree._LogEntry) -> bool:
    found = root.getroottree().xpath(error.path) if error.path else []
    node = found[0] if found and isinstance(found[0], etree._Element) else None
    match = _ELEMENT.match(error.message)
    if node is None or match is None:
        return False
    attribute, detail = match.group(2), match.group(3)
    if attribute and attribute in node.attrib and "required but missing" not in detail:
        del node.attrib[attribute]
        return True
    if not attribute and "not expected" in detail and node.getparent() is not None:
        node.getparent().remove(node)
        return True
    return False


_ELEMENT = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$", re.S)


def _diagnostic(error: etree._LogEntry, kind: str, file: str, lines: list[str]) -> Diagnostic:
    match = _ELEMENT.match(error.message)
    element, attribute, detail = match.groups() if match else ("", None, error.message)
    code, message, hint = _explain(error.type_name, element, attribute, detail, kind)
    line, column = error.line, 0
    if element and lines:
        line, column = (
            attribute_start(lines, error.line, element, attribute)
            if attribute
            else element_start(lines, error.line, element)
        )
    return diagnostic(code, message, file=file, line=line, column=column, hint=hint)


def _explain(
    type_name: str, element: str, attribute: str | None, detail: str, kind: str
) -> tuple[str, str, str]:
    """(code, message, hint) for one lxml schema error."""
    index = schema_index(kind)
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1" and attribute:
        return _unknown_attribute(index, element, attribute)
    if type_name == "SCHEMAV_ELEMENT_CONTENT" and "not expected" in detail:
        return _unexpected_element(element, detail)
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_4" or "Missing child" in detail:
        return _missing(element, detail)
    if attribute:
        return _bad_value(index, element, attribute, detail)
    return "SRC005", f"<{element}>: {detail.strip()}", "see docs/source-format.md"


def _unknown_attribute(index: SchemaIndex, element: str, attribute: str) -> tuple[str, str, str]:
    import difflib  # only when an attribute is wrong

    allowed = sorted(index.attributes.get(element, {}))
    close = difflib.get_close_matches(attribute, allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (
        "SRC003",
        f"<{element}> has no attribute '{attribute}'",
        hint + "allowed: " + ", ".join(allowed),
    )


def _unexpected_element(element: str, detail: str) -> tuple[str, str, str]:
    expected = re.search(r"Expected is (?:one of )?\( ?([^)]*)\)", detail)
    hint = (
        f"expected here: {expected.group(1).strip()}"
        if expected
        else "nothing more is allowed here"
    )
    return "SRC001", f"unknown or misplaced element <{element}>", hint


def _missing(element: str, detail: str) -> tuple[str, str, str]:
    required = re.search(r"The attribute '([^']+)' is required", detail)
    if required:
        name = required.group(1)
        return "SRC004", f"<{element}> needs attribute '{name}'", f'add {name}="..."'
    expected = re.search(r"Expected is (?:one of )?\( ?([^)]*)\)", detail)
    child = expected.group(1).strip() if expected else "?"
    return "SRC004", f"<{element}> needs a child element <{child}>", f"add <{child}> inside it"


def _bad_value(
    index: SchemaIndex, element: str, attribute: str, detail: str
) -> tuple[str, str, str]:
    """`<column> max-length must be a whole number above 0, not 'abc'`, with an example."""
    value = re.search(r"The value '([^']*)'|'([^']*)' is not a valid", detail)
    found = next((g for g in value.groups() if g is not None), "") if value else None
    shown = "" if found is None else (f", not '{_shorten(found)}'" if found else ", not empty")
    declared = index.attributes.get(element, {}).get(attribute, "")
    words, example = TYPE_WORDS.get(declared, (declared, ""))
    if declared.startswith("one of: "):
        example = declared.removeprefix("one of: ").split(", ")[0]
    facet = re.search(r"\[facet '(\w+)'\]", detail)
    if facet and facet.group(1) in _LIMITS:
        bound = re.findall(r"'(\d+)'", detail)[-1]
        words = f"{words}, {_LIMITS[facet.group(1)].format(bound)}"
        example = bound if facet.group(1).endswith("Inclusive") else ""
    hint = f'for example {attribute}="{example}"' if example else "see docs/source-format.md"
    return "SRC002", f"<{element}> {attribute} must be {words or 'valid'}{shown}", hint


def _shorten(value: str, most: int = 40) -> str:
    return value if len(value) <= most else value[: most - 3] + "..."
