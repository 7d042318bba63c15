"""customizations.xml against Microsoft's CustomizationsSolution.xsd (9.0.0.2090, patched).

Microsoft's XSDs are not shipped with voicepkg. They are looked for, first found wins, in:
`--ms-schemas DIR` (or `ms-schemas` of the project configuration, `schemas_at`), the
`VOICEPKG_MS_SCHEMAS` environment variable, `$VOICEPKG_SHARED/reference/ms-schemas/...`, and
`../shared/reference/ms-schemas/...` beside the working directory's repository or beside the
installed code (an editable install). DIR holds `CustomizationsSolution.xsd` (or the
`9.0.0.2090-patched/` folder that does). When none has them the check is skipped with one
loud warning per run (SCH100; validate keeps only the first).

Elements and attributes that real exports carry but the 2018 schema does not know
(builder/validate/drift.py) are warnings (SCH201), not errors: Dataverse itself writes them.

Known drift is found at C speed and taken out of the tree for the check (put back after),
so a newer export costs about what a clean file does. The validator is lxml (libxml2): it
refuses FormXml.xsd's non-deterministic <parameters> choice, so it compiles the schema with
that choice merged into one (a slightly looser superset), patched in memory. Its error log
gives the findings (message, line, path). xmlschema (pure Python, exact, ~100x slower) is
kept only for when lxml cannot say what is wrong: the schema does not compile in lxml, or
it rejects the file without logging an error.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import Diagnostic, diagnostic
from .drift import detached, drift_findings, drift_removed, drift_warnings

MS_RELATIVE = Path("reference") / "ms-schemas" / "9.0.0.2090-patched"
XS = "{http://www.w3.org/2001/XMLSchema}"

SCHEMA_FILE = "CustomizationsSolution.xsd"
ENV_VAR = "VOICEPKG_MS_SCHEMAS"
_GIVEN: ContextVar[Path | None] = ContextVar("ms_schemas", default=None)


@contextmanager
def schemas_at(folder: Path | None) -> Iterator[None]:
    """Look in `folder` first (--ms-schemas, the project configuration) while inside."""
    token = _GIVEN.set(folder)
    try:
        yield
    finally:
        _GIVEN.reset(token)


def shared_dir() -> Path:
    """The shared reference folder: $VOICEPKG_SHARED, else ../shared beside the repository."""
    configured = os.environ.get("VOICEPKG_SHARED")
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"


def candidates() -> list[Path]:
    """Where Microsoft's schema folder is looked for, in order (see the module docstring)."""
    given = _GIVEN.get()
    if given is not None:
        return [given]  # named explicitly: only there, so a wrong name is not papered over
    configured = os.environ.get(ENV_VAR)
    if configured:
        return [Path(configured)]
    if os.environ.get("VOICEPKG_SHARED"):
        return [shared_dir() / MS_RELATIVE]
    near = Path.cwd().parent / "shared" / MS_RELATIVE  # a repository with ../shared beside it
    return [shared_dir() / MS_RELATIVE, near]


def schema_file(folder: Path) -> Path:
    """The schema in `folder`, or in its `9.0.0.2090-patched/` subfolder."""
    inner = folder / MS_RELATIVE.name / SCHEMA_FILE
    return (
        inner if not (folder / SCHEMA_FILE).is_file() and inner.is_file() else folder / SCHEMA_FILE
    )


def ms_schema_path() -> Path:
    """The first CustomizationsSolution.xsd found; the first candidate when none is."""
    files = [schema_file(folder) for folder in candidates()]
    return next((f for f in files if f.is_file()), files[0])


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
    becomes one choice of every distinct element (first declaration wins). Groups the
    choices refer to (the timeline's, the search widget's) are taken in by their elements."""
    control = next(
        c for c in tree.iter(f"{XS}complexType") if c.get("name") == "FormXmlControlType"
    )
    parameters = next(e for e in control.iter(f"{XS}element") if e.get("name") == "parameters")
    outer = parameters.find(f"{XS}complexType/{XS}choice")
    if outer is None:
        return
    groups = {g.get("name"): g for g in tree.getroot().iterchildren(f"{XS}group")}
    merged = etree.Element(f"{XS}choice", minOccurs="1", maxOccurs="unbounded")
    seen: set[str] = set()
    for inner in outer.iterchildren(f"{XS}choice"):
        for element in _choice_elements(inner, groups):
            if element.get("name") not in seen:
                seen.add(str(element.get("name")))
                merged.append(copy.deepcopy(element))
    outer.getparent().replace(outer, merged)


def _choice_elements(
    choice: etree._Element, groups: dict[str | None, etree._Element]
) -> list[etree._Element]:
    """The elements of a choice, with those of the groups it refers to."""
    out: list[etree._Element] = []
    for item in choice:
        if item.tag == f"{XS}element":
            out.append(item)
        elif item.tag == f"{XS}group" and (group := groups.get(item.get("ref"))) is not None:
            for nested in group.iterchildren(f"{XS}choice", f"{XS}sequence"):
                out += _choice_elements(nested, groups)
    return out


@lru_cache(maxsize=4)
def _ms_schema(path: str) -> Any:
    import xmlschema  # ~1 s to compile: only when a customizations.xml is checked

    return xmlschema.XMLSchema(path)


def check_customizations(
    root: etree._Element, file: str, source: bytes | None = None
) -> list[Diagnostic]:
    """customizations.xml against Microsoft's schema; drift as warnings. `source`, the bytes
    `root` was parsed from, makes the drift scan cheaper. `root` is left as it was."""
    path = ms_schema_path()
    if not path.is_file():
        return [
            diagnostic(
                "SCH100",
                f"Microsoft's schemas not found at {path}: customizations.xml was NOT "
                "checked against CustomizationsSolution.xsd",
                file=file,
                hint=f"pass --ms-schemas DIR, set {ENV_VAR}, or set ms-schemas in [tool.voicepkg]; "
                "DIR holds CustomizationsSolution.xsd",
            )
        ]
    marked = drift_findings(root, source)
    drift = drift_warnings(marked, file)
    fast = fast_schema(str(path))
    with drift_removed(marked):
        found = _lxml_findings(fast, root, file) if fast is not None else None
        if found is None:  # lxml cannot say what is wrong: the exact, slow validator
            schema = _ms_schema(str(path))
            found = [_ms_finding(error, file) for error in schema.iter_errors(root)]
    return drift + found


NOT_EXPECTED = "This element is not expected"
ROUNDS = 8  # re-validations to see past unexpected elements (libxml2 stops at the first)


def _lxml_findings(
    fast: etree.XMLSchema, root: etree._Element, file: str
) -> list[Diagnostic] | None:
    """lxml's error log as findings; None when it rejects `root` without saying why.
    libxml2 checks no further children of an element once one is unexpected, so those
    are taken out (and put back) and the tree validated again, up to ROUNDS times."""
    found: dict[tuple[str, int], Diagnostic] = {}
    taken: list[etree._Element] = []
    for _ in range(ROUNDS):
        with detached(taken):
            if fast.validate(root):
                break
            errors = [e for e in fast.error_log if e.level >= etree.ErrorLevels.ERROR]
            if not errors and not found:
                return None
            unexpected = []
            for error in errors:
                at = _element_at(root, error.path)
                line = error.line or int(getattr(at, "sourceline", 0) or 0)
                found.setdefault((error.message, line), _lxml_finding(error, line, file))
                if NOT_EXPECTED in error.message and at is not None:
                    unexpected.append(at)
        if not unexpected:
            break
        taken += unexpected
    return list(found.values())


def _lxml_finding(error: Any, line: int, file: str) -> Diagnostic:
    return diagnostic(
        "SCH101",
        f"customizations.xml does not match Microsoft's schema: {error.message}",
        file=file,
        line=line,
        hint=f"at {error.path}; see CustomizationsSolution.xsd",
    )


def _element_at(root: etree._Element, path: str | None) -> etree._Element | None:
    """The element at lxml's error path (an absolute XPath), if it names one."""
    try:
        found = root.getroottree().xpath(path) if path else []
    except etree.XPathError:
        return None
    first = found[0] if isinstance(found, list) and found else None
    return first if isinstance(first, etree._Element) else None


def _ms_finding(error: Any, file: str) -> Diagnostic:
    reason = str(error.reason or error.message)
    return diagnostic(
        "SCH101",
        f"customizations.xml does not match Microsoft's schema: {reason}",
        file=file,
        line=_error_line(error),
        hint=f"at {error.path}; see CustomizationsSolution.xsd",
    )


def _error_line(error: Any) -> int:
    """The line of the offending child when known, else of the element."""
    child = getattr(error, "invalid_child", None)
    line = getattr(child, "sourceline", None) or error.sourceline
    return int(line or 0)
