"""Built output against schemas: ours (solution.xml, ImportConfig.xml, CMT data, content
types; in `schemas/`) and Microsoft's CustomizationsSolution.xsd for customizations.xml.

Microsoft's XSDs are not shipped with voicepkg: they are found in the shared reference folder
beside the repository (`$VOICEPKG_SHARED` or `../shared`). When they are missing the check is
skipped with a loud warning (SCH100). Elements and attributes that real exports carry but the
2018 schema does not know (ms-schemas/PROVENANCE.md) are reported as warnings (SCH201), not
errors: Dataverse itself writes them.
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import Diagnostic, diagnostic

SCHEMA_DIR = Path(__file__).parent / "schemas"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
MS_RELATIVE = Path("reference") / "ms-schemas" / "9.0.0.2090-patched"

# What each of our schemas checks, and the code of its findings.
OUR_SCHEMAS = {
    "solution": ("SCH001", "solution.xml must follow the SolutionManifest of real exports"),
    "importconfig": ("SCH002", "ImportConfig.xml must follow Package Deployer's format"),
    "cmt_data": ("SCH003", "data.xml must follow the Configuration Migration data format"),
    "cmt_data_schema": ("SCH004", "data_schema.xml must follow the Configuration Migration "
                                  "schema format"),
    "content_types": ("SCH005", "[Content_Types].xml lists a Default per file extension"),
}

# Newer than the 9.0 schema but written by Dataverse 9.1/9.2 exports (PROVENANCE.md).
DRIFT_ELEMENTS = frozenset({
    "AutoNumberFormat", "IsSearchable", "IsFilterable", "IsRetrievable", "IsLocalizable",
    "IsRetrieveAuditEnabled", "IsRetrieveMultipleAuditEnabled", "IsSolutionAware",
    "connectionreferences",
})
DRIFT_ATTRIBUTES = frozenset({"headerdensity", "isinherited"})
DRIFT_EMPTY_SECTIONS = frozenset({"AppModules", "AppModuleSiteMaps"})
_ATTRIBUTE = re.compile(r"'([^']+)' attribute not allowed")


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
    return [diagnostic(code, error.message, file=file, line=error.line, column=error.column,
                       hint=hint) for error in schema.error_log]


def shared_dir() -> Path:
    """The shared reference folder: $VOICEPKG_SHARED, else ../shared beside the repository."""
    configured = os.environ.get("VOICEPKG_SHARED")
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"


def ms_schema_path() -> Path:
    return shared_dir() / MS_RELATIVE / "CustomizationsSolution.xsd"


@lru_cache(maxsize=4)
def _ms_schema(path: str) -> Any:
    import xmlschema  # ~1 s to compile: only when a customizations.xml is checked

    return xmlschema.XMLSchema(path)


def check_customizations(root: etree._Element, file: str) -> list[Diagnostic]:
    """customizations.xml against Microsoft's schema; drift as warnings."""
    path = ms_schema_path()
    if not path.is_file():
        return [diagnostic(
            "SCH100", f"Microsoft's schemas not found at {path}: customizations.xml was NOT "
            "checked against CustomizationsSolution.xsd", file=file, severity="warning",
            hint="clone the shared reference folder beside the repository or set "
                 "VOICEPKG_SHARED")]
    schema = _ms_schema(str(path))
    return [_ms_finding(error, file) for error in schema.iter_errors(root)]


def _ms_finding(error: Any, file: str) -> Diagnostic:
    line = _error_line(error)
    reason = str(error.reason or error.message)
    if _is_drift(error, reason):
        return diagnostic("SCH201", f"not in the 2018 schema (newer Dataverse writes it): "
                          f"{reason}", file=file, line=line, severity="warning",
                          hint="known drift of real exports; Dataverse accepts it")
    return diagnostic("SCH101", f"customizations.xml does not match Microsoft's schema: {reason}",
                      file=file, line=line, hint=f"at {error.path}; see CustomizationsSolution.xsd")


def _error_line(error: Any) -> int:
    """The line of the offending child when known, else of the element."""
    child = getattr(error, "invalid_child", None)
    line = getattr(child, "sourceline", None) or error.sourceline
    return int(line or 0)


def _is_drift(error: Any, reason: str) -> bool:
    tag = getattr(error, "invalid_tag", None)
    if tag in DRIFT_ELEMENTS:
        return True
    attribute = _ATTRIBUTE.search(reason)
    if attribute and attribute.group(1) in DRIFT_ATTRIBUTES:
        return True
    element = error.elem
    return bool(element is not None and tag is None and element.tag in DRIFT_EMPTY_SECTIONS
                and len(element) == 0)
