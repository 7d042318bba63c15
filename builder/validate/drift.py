"""What real exports carry that Microsoft's 2018 CustomizationsSolution.xsd does not know.

Dataverse 9.1 and 9.2 write elements, attributes and shapes newer than the only schema
Microsoft published (ms-schemas/PROVENANCE.md). Every item here was seen in a real export
that imported (../shared/reference/corpus and corpus2); each is a SCH201 warning, never an
error, and is taken out of a copy before the schema check so the rest is still checked.
An item is bound to the parent it was seen under, so the same tag elsewhere stays an error.

The scan runs at C speed: lxml's tag-filtered iteration picks every element that may be drift
(a superset), and only those are looked at in Python. Attributes seen on any element
(ANYWHERE) need every element looked at, but only when their names occur in the file's
bytes at all. The items are taken out of the tree in place for the schema check and put
back exactly afterwards (`drift_removed`), so no copy of the tree is made.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from lxml import etree

from ..errors import Diagnostic, diagnostic

ANYWHERE = "*"

# child tag -> the parent tags it was seen under (ANYWHERE: under several).
DRIFT_ELEMENTS: dict[str, frozenset[str]] = {
    # CrmLive 9.1 (corpus XML_1_1) and 9.2 (JRSasing)
    **dict.fromkeys(
        ("AutoNumberFormat", "IsSearchable", "IsFilterable", "IsRetrievable", "IsLocalizable"),
        frozenset({"attribute"}),
    ),
    **dict.fromkeys(
        ("IsRetrieveAuditEnabled", "IsRetrieveMultipleAuditEnabled", "IsSolutionAware"),
        frozenset({"entity"}),
    ),
    "connectionreferences": frozenset({"ImportExportXml"}),
    # CrmLive 9.2.2x (corpus2)
    "IsMSTeamsIntegrationEnabled": frozenset({"entity"}),
    "CascadeArchive": frozenset({"EntityRelationship"}),
    **dict.fromkeys(
        ("JsonFileName", "ModernFlowType", "IsCustomProcessingStepAllowedForOtherPublishers"),
        frozenset({"Workflow"}),
    ),
    **dict.fromkeys(("Description", "IsAutoAssigned"), frozenset({"Role"})),
    **dict.fromkeys(
        ("EnableCollapsibleGroups", "ShowHome", "ShowPinned", "ShowRecents"),
        frozenset({"AppModuleSiteMap"}),
    ),
    **dict.fromkeys(
        ("NavigationType", "OptimizedFor", "appsettings", "statecode", "statuscode"),
        frozenset({"AppModule"}),
    ),
    **dict.fromkeys(
        ("UClientEnableWhatsNewFilter", "UClientRecordSourcesJSON"), frozenset({"parameters"})
    ),
    **dict.fromkeys(("CanvasApps", "AIModels"), frozenset({"ImportExportXml"})),
}

# attribute -> the element tags it was seen on.
DRIFT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "headerdensity": frozenset({"form"}),
    "isinherited": frozenset({"Role"}),
    **dict.fromkeys(
        ("OrganizationVersion", "OrganizationSchemaType", "CRMServerServiceabilityVersion"),
        frozenset({"ImportExportXml"}),
    ),
    "IsHidden": frozenset({"option"}),
    # managed forms are written as deltas of the form they change
    **dict.fromkeys(("ordinalvalue", "solutionaction"), frozenset({ANYWHERE})),
    "id": frozenset({"column"}),
}

# Attribute data types newer than the schema's CrmDataType.
NEW_DATA_TYPES = frozenset({"file", "image"})

# The N:N intersect sets of solution-component-framework tables (msdyn_..._set), written
# as children of <ImportExportXml> (corpus2: DCCP, Contoso).
_INTERSECT_SET = re.compile(r"[a-z][a-z0-9]*_[a-z0-9_]+set")


def _tag(element: etree._Element) -> str:
    return element.tag if isinstance(element.tag, str) else ""


def _parent_tag(element: etree._Element) -> str:
    parent = element.getparent()
    return _tag(parent) if parent is not None else ""


def _seen_under(table: dict[str, frozenset[str]], key: str, where: str) -> bool:
    places = table.get(key)
    return places is not None and (ANYWHERE in places or where in places)


def drift_attributes(element: etree._Element) -> list[str]:
    tag = _tag(element)
    return [a for a in element.attrib if _seen_under(DRIFT_ATTRIBUTES, str(a), tag)]


def is_intersect_set(element: etree._Element) -> bool:
    """An SCF N:N set: the shape real exports give these rows (and ours does), which the
    2018 schema, older than the solution component framework, could not describe. It is
    left out of the check without a warning, like the SCF rows in their own files."""
    return _parent_tag(element) == "ImportExportXml" and bool(
        _INTERSECT_SET.fullmatch(_tag(element))
    )


def drift_element(element: etree._Element) -> str | None:
    """Why `element` as a whole is drift (it is then left out of the check), or None;
    "" for an element left out without a warning (an SCF N:N set). The parent, a proxy
    object to make, is looked at only when the tag alone leaves the question open."""
    tag = _tag(element)
    if _INTERSECT_SET.fullmatch(tag) and is_intersect_set(element):
        return ""
    places = DRIFT_ELEMENTS.get(tag)
    if places is not None and (ANYWHERE in places or _parent_tag(element) in places):
        return f"<{tag}>"
    if tag == "AppModules" and len(element) == 0:
        return "an empty <AppModules>"  # the 9.0 schema wants at least one AppModule
    if (
        tag == "Type"
        and (element.text or "") in NEW_DATA_TYPES
        and _parent_tag(element) == "attribute"
    ):
        return f"attribute type {element.text!r}"
    if tag == "CustomControlDefaultConfig" and element.find("CustomControlDefaultConfigId") is None:
        return "<CustomControlDefaultConfig> without <CustomControlDefaultConfigId>"
    if element.get("solutionaction") == "Modified" and len(element) == 0:
        return f"a managed form's <{tag}> delta without children"
    return None


# drift_element's own cases beyond the tables above, by the tag or attribute they look at
_OWN_TAGS = frozenset({"AppModules", "Type", "CustomControlDefaultConfig"})
_OWN_ANYWHERE = frozenset({"solutionaction"})

Finding = tuple[etree._Element, str, bool]  # element, what, whole (else: its attributes)


# Drift found from the parent instead, in its children's order: a <Role>'s (a tag of
# them is everywhere: every set of labels has a <Description>; roles are few).
_PARENTS = frozenset({"Role"})
_FROM_PARENT = frozenset(tag for tag, places in DRIFT_ELEMENTS.items() if places == _PARENTS)


def _candidates(
    root: etree._Element, source: bytes | None
) -> tuple[Iterable[etree._Element], bool]:
    """Every element that may be drift, in document order (a superset), and whether they
    were picked by tag: then a `_PARENTS` element's children are to be looked at from it
    (`_FROM_PARENT`), and nothing has a drift attribute that may be on any element."""
    anywhere = {a for a, on in DRIFT_ATTRIBUTES.items() if ANYWHERE in on} | _OWN_ANYWHERE
    if source is None or any(name.encode() in source for name in anywhere):
        every: Iterable[etree._Element] = root.iter(etree.Element)
        return every, False  # attributes that drift on any element: look at every element
    tags = (set(DRIFT_ELEMENTS) - _FROM_PARENT) | _OWN_TAGS | _PARENTS
    tags |= {tag for on in DRIFT_ATTRIBUTES.values() for tag in on if tag != ANYWHERE}
    tags |= {_tag(child) for child in root if _INTERSECT_SET.fullmatch(_tag(child))}
    picked: Iterable[etree._Element] = root.iter(*sorted(tags))
    return picked, True


def drift_findings(root: etree._Element, source: bytes | None = None) -> list[Finding]:
    """(element, what, whole) of every drift item in document order; nothing below an
    element left out whole. `source`, the bytes `root` was parsed from, lets the scan skip
    the elements that cannot be drift."""
    found: list[Finding] = []
    inside: set[etree._Element] = set()  # below an element left out whole

    def look(element: etree._Element) -> bool:
        """Whether `element` is drift as a whole (then nothing below it is looked at)."""
        whole = drift_element(element)
        if whole is not None:
            found.append((element, whole, True))
            inside.update(element.iterdescendants())
            return True
        found.extend(
            (element, f"attribute {name!r} of <{_tag(element)}>", False)
            for name in drift_attributes(element)
        )
        return False

    candidates, by_tag = _candidates(root, source)
    for element in candidates:
        tag = element.tag
        if by_tag and tag == "Type" and (element.text or "") not in NEW_DATA_TYPES:
            continue  # a <Type> picked by tag can be drift only by its text (one per column)
        if element in inside or look(element):
            continue
        if by_tag and tag in _PARENTS:
            for child in element.iterchildren(*_FROM_PARENT):
                look(child)
    return found


def drift_warnings(marked: list[Finding], file: str) -> list[Diagnostic]:
    return [
        diagnostic(
            "SCH201",
            f"not in the 2018 schema (newer Dataverse writes it): {what}",
            file=file,
            line=e.sourceline,
            hint="known drift of real exports; Dataverse accepts it",
        )
        for e, what, _ in marked
        if what
    ]


@contextmanager
def detached(elements: Iterable[etree._Element]) -> Iterator[None]:
    """`elements` taken out of their tree for the duration, then put back in their places
    (lxml moves an element's tail text along with it)."""
    taken: list[tuple[etree._Element, int, etree._Element]] = []
    try:
        for element in elements:
            parent = element.getparent()
            if parent is not None:
                taken.append((parent, parent.index(element), element))
                parent.remove(element)
        yield
    finally:
        for parent, index, element in reversed(taken):
            parent.insert(index, element)


@contextmanager
def drift_removed(marked: list[Finding]) -> Iterator[None]:
    """The drift items taken out of their tree for the duration, then put back exactly
    (same places, attribute values and tails): the tree is shared with later readers."""
    attributes: list[tuple[etree._Element, str, str]] = []
    try:
        for element, _, whole in marked:
            if not whole:
                for name in drift_attributes(element):
                    attributes.append((element, name, str(element.attrib.pop(name))))
        with detached(e for e, _, whole in marked if whole):
            yield
    finally:
        for element, name, value in attributes:
            element.set(name, value)


def _findings(element: etree._Element) -> Iterator[tuple[etree._Element, str, bool]]:
    """The reference walk over every element (tests check drift_findings against it)."""
    whole = drift_element(element)
    if whole is not None:
        yield element, whole, True
        return
    for name in drift_attributes(element):
        yield element, f"attribute {name!r} of <{_tag(element)}>", False
    for child in element:
        if isinstance(child.tag, str):
            yield from _findings(child)


def without_drift(root: etree._Element, file: str) -> tuple[etree._Element, list[Diagnostic]]:
    """`root` (or a copy without the known drift) and a SCH201 warning per drift item."""
    marked = drift_findings(root)
    if not marked:
        return root, []
    return _stripped(root), drift_warnings(marked, file)


def _stripped(root: etree._Element) -> etree._Element:
    stripped = copy.deepcopy(root)
    for element, _, whole in drift_findings(stripped):
        if not whole:
            for name in drift_attributes(element):
                del element.attrib[name]
        elif (parent := element.getparent()) is not None:
            parent.remove(element)
    return stripped
