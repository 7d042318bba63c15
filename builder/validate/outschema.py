"""Built output against our schemas (in `schemas/`): solution.xml, ImportConfig.xml, CMT
data.xml and data_schema.xml, [Content_Types].xml. Microsoft publishes none of these; ours
follow the real exports in the reference corpus. (customizations.xml: see `msschema`.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from ..errors import Diagnostic, diagnostic

SCHEMA_DIR = Path(__file__).parent / "schemas"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

# What each of our schemas checks, and the code of its findings.
OUR_SCHEMAS = {
    "solution": ("SCH001", "solution.xml must follow the SolutionManifest of real exports"),
    "importconfig": ("SCH002", "ImportConfig.xml must follow Package Deployer's format"),
    "cmt_data": ("SCH003", "data.xml must follow the Configuration Migration data format"),
    "cmt_data_schema": (
        "SCH004",
        "data_schema.xml must follow the Configuration Migration schema format",
    ),
    "content_types": ("SCH005", "[Content_Types].xml lists a Default per file extension"),
}


@cache
def our_schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / f"{name}.xsd")))


def _strip_nil_whitespace(root: etree._Element) -> None:
    """SolutionPackager pretty-prints `<City xsi:nil="true">\\n</City>`; Dataverse reads
    that as nil, XSD calls it content. Drop the whitespace so only real content counts."""
    for element in root.iter():
        if element.get(XSI_NIL) == "true" and not len(element) and not (element.text or "").strip():
            element.text = None


def check_ours(root: etree._Element, name: str, file: str) -> list[Diagnostic]:
    """`root` (parsed by xmlsafe) against one of our schemas."""
    code, hint = OUR_SCHEMAS[name]
    _strip_nil_whitespace(root)
    schema = our_schema(name)
    if schema.validate(root):
        return []
    return [
        diagnostic(code, error.message, file=file, line=error.line, column=error.column, hint=hint)
        for error in schema.error_log
    ]
