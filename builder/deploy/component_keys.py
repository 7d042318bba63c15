"""What a solution holds, as comparable keys, to tell an update from an upgrade.

An update leaves components that the new version dropped in the environment; only an upgrade
deletes them. So deploy compares what the package's solution holds with what the installed
solution holds (Dataverse's `msdyn_solutioncomponentsummaries`, which names components by
schema name, unlike `solutioncomponents` which only gives object ids). A key is
(componenttype, schema name) for named components, (componenttype, guid) for those that carry
their id in the zip (roles, forms, views), and (2, "table.column") for the publisher's columns.
Other component kinds are not compared (neither side counts them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from ..dataverse.component_types import (
    APP_MODULE,
    ATTRIBUTE,
    ENTITY,
    ENVIRONMENT_VARIABLE_DEFINITION,
    NAMES,
    OPTION_SET,
    ROLE,
    SAVED_QUERY,
    SITE_MAP,
    SYSTEM_FORM,
    WEB_RESOURCE,
)
from ..xmlio.safe import parse_xml

ComponentKey = tuple[int, str]

NAMED_TYPES = frozenset(
    {ENTITY, OPTION_SET, WEB_RESOURCE, SITE_MAP, APP_MODULE, ENVIRONMENT_VARIABLE_DEFINITION}
)
ID_TYPES = frozenset({ROLE, SAVED_QUERY, SYSTEM_FORM})


def guid(value: object) -> str:
    """A GUID as Dataverse compares them: no braces, lower case ("" for none)."""
    return str(value or "").strip().strip("{}").lower()


def solution_components(
    manifest: etree._Element, entries: Mapping[str, bytes], label: str
) -> frozenset[ComponentKey]:
    """The keys of a solution zip: root components, forms, views, the publisher's columns."""
    keys = set(_root_keys(manifest))
    keys |= _variable_keys(entries)
    prefix = (manifest.findtext("SolutionManifest/Publisher/CustomizationPrefix") or "").lower()
    data = entries.get("customizations.xml")
    if data is not None:
        keys |= _customization_keys(parse_xml(data, f"{label}!customizations.xml"), prefix)
    return frozenset(keys)


def _root_keys(manifest: etree._Element) -> Iterable[ComponentKey]:
    for root in manifest.iter("RootComponent"):
        kind = int(root.get("type", "0") or 0)
        if kind in NAMED_TYPES and root.get("schemaName"):
            yield kind, str(root.get("schemaName")).lower()
        elif kind in ID_TYPES and root.get("id"):
            yield kind, guid(str(root.get("id")))


def _variable_keys(entries: Mapping[str, bytes]) -> set[ComponentKey]:
    """Environment variables by their folder: exports do not list them as root components."""
    folder = "environmentvariabledefinitions/"
    return {
        (ENVIRONMENT_VARIABLE_DEFINITION, path[len(folder) :].split("/")[0].lower())
        for path in entries
        if path.startswith(folder) and path.count("/") >= 2
    }


def _customization_keys(root: etree._Element, prefix: str) -> set[ComponentKey]:
    keys: set[ComponentKey] = set()
    for form_id in root.iterfind(".//systemform/formid"):
        keys.add((SYSTEM_FORM, guid(form_id.text or "")))
    for view_id in root.iterfind(".//savedquery/savedqueryid"):
        keys.add((SAVED_QUERY, guid(view_id.text or "")))
    for entity in root.iterfind("Entities/Entity"):
        table = (entity.findtext("Name") or "").strip().lower()
        for column in entity.iterfind("EntityInfo/entity/attributes/attribute/LogicalName"):
            name = (column.text or "").strip().lower()
            if prefix and name.startswith(prefix + "_"):
                keys.add((ATTRIBUTE, f"{table}.{name}"))
    return keys


def installed_components(
    rows: Iterable[Mapping[str, Any]],
    prefix: str,
) -> frozenset[ComponentKey]:
    """The keys of an installed solution from its msdyn_solutioncomponentsummaries rows."""
    keys: set[ComponentKey] = set()
    for row in rows:
        kind = int(row.get("msdyn_componenttype") or 0)
        name = str(row.get("msdyn_schemaname") or "").lower()
        if kind in NAMED_TYPES and name:
            keys.add((kind, name))
        elif kind in ID_TYPES and row.get("msdyn_objectid"):
            keys.add((kind, guid(str(row["msdyn_objectid"]))))
        elif kind == ATTRIBUTE and prefix and name.startswith(prefix + "_"):
            table = str(row.get("msdyn_primaryentityname") or "").lower()
            keys.add((ATTRIBUTE, f"{table}.{name}"))
    return frozenset(keys)


def describe(key: ComponentKey, name: str = "") -> str:
    return f"{kind_name(key[0])} {name or key[1]}"


DATA_TYPES = frozenset({ENTITY, ATTRIBUTE})  # tables and columns: deleting them deletes their data


def installed_names(rows: Iterable[Mapping[str, Any]], prefix: str) -> dict[ComponentKey, str]:
    """A readable name per key of an installed solution: the row's msdyn_name (a view's or
    form's display name) when the key is an id, else the key's own name."""
    names: dict[ComponentKey, str] = {}
    for row in rows:
        for key in installed_components([row], prefix):
            shown = str(row.get("msdyn_name") or "").strip()
            names[key] = shown if key[0] in ID_TYPES and shown else key[1]
    return names


def kind_name(kind: int) -> str:
    return NAMES.get(kind, str(kind))
