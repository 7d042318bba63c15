"""customizations.xml against Microsoft's CustomizationsSolution.xsd (9.0.0.2090, patched).

Microsoft's XSDs are not shipped with voicepkg: they are found in the shared reference folder
beside the repository (`$VOICEPKG_SHARED` or `../shared`). When they are missing the check is
skipped with a loud warning (SCH100). Elements and attributes that real exports carry but the
2018 schema does not know (builder/validate/drift.py) are warnings (SCH201), not errors:
Dataverse itself writes them.

Known drift is found by a walk over the tree and taken out of a copy before validation, so
a newer export costs no more than a clean file. Then two validators: lxml (libxml2) is ~100x
faster but refuses FormXml.xsd's non-deterministic <parameters> choice, so it compiles the
schema with that choice merged into one (a slightly looser superset), patched in memory. It decides
"valid" fast; only when it finds a problem does xmlschema (pure Python, exact, continues past
errors) produce the located findings.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import Diagnostic, diagnostic
from .drift import without_drift

MS_RELATIVE = Path("reference") / "ms-schemas" / "9.0.0.2090-patched"
XS = "{http://www.w3.org/2001/XMLSchema}"

def shared_dir() -> Path:
    """The shared reference folder: $VOICEPKG_SHARED, else ../shared beside the repository."""
    configured = os.environ.get("VOICEPKG_SHARED")
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"


def ms_schema_path() -> Path:
    return shared_dir() / MS_RELATIVE / "CustomizationsSolution.xsd"


class _PatchedFormXml(etree.Resolver):  # type: ignore[misc]
    """Serves FormXml.xsd with the <parameters> choice merged, from memory: no copy of
    Microsoft's files is written anywhere."""

    def resolve(self, url: str, pubid: str, context: object) -> object:
        if not url.endswith("FormXml.xsd"):
            return None
        tree = etree.parse(url, etree.XMLParser(no_network=True, resolve_entities=False))
        _merge_parameter_choices(tree)
        return self.resolve_string(etree.tostring(tree), context, base_url=url)


@lru_cache(maxsize=4)
def fast_schema(path: str) -> etree.XMLSchema | None:
    """lxml's compile with the <parameters> choice merged; None when it still does not
    compile (then xmlschema does all the work)."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_PatchedFormXml())
    try:
        return etree.XMLSchema(etree.parse(path, parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError, StopIteration):
        return None


def _merge_parameter_choices(tree: etree._ElementTree) -> None:
    """FormXmlControlType/parameters: a choice of 17 choices that share element names
    becomes one choice of every distinct element (first declaration wins)."""
    control = next(c for c in tree.iter(f"{XS}complexType")
                   if c.get("name") == "FormXmlControlType")
    parameters = next(e for e in control.iter(f"{XS}element") if e.get("name") == "parameters")
    outer = parameters.find(f"{XS}complexType/{XS}choice")
    if outer is None:
        return
    merged = etree.Element(f"{XS}choice", minOccurs="1", maxOccurs="unbounded")
    seen: set[str] = set()
    for inner in outer.iterchildren(f"{XS}choice"):
        for element in inner.iterchildren(f"{XS}element"):
            if element.get("name") not in seen:
                seen.add(str(element.get("name")))
                merged.append(copy.deepcopy(element))
    outer.getparent().replace(outer, merged)


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
    checked, drift = without_drift(root, file)
    fast = fast_schema(str(path))
    if fast is not None and fast.validate(checked):
        return drift
    schema = _ms_schema(str(path))
    return drift + [_ms_finding(error, file) for error in schema.iter_errors(checked)]


def _ms_finding(error: Any, file: str) -> Diagnostic:
    reason = str(error.reason or error.message)
    return diagnostic("SCH101", f"customizations.xml does not match Microsoft's schema: {reason}",
                      file=file, line=_error_line(error),
                      hint=f"at {error.path}; see CustomizationsSolution.xsd")


def _error_line(error: Any) -> int:
    """The line of the offending child when known, else of the element."""
    child = getattr(error, "invalid_child", None)
    line = getattr(child, "sourceline", None) or error.sourceline
    return int(line or 0)
