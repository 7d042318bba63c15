"""What components kept verbatim (`RawPart`s, the `raw/` folder) declare, so the rules can
count them: a lookup to a table that travels as exported still targets a table that exists.

Section parts are parsed (one element each): Entities give tables with their columns,
ownership, form and view ids; WebResources, optionsets, AppModules and Roles give names and
ids. Whole entries declare by path: `environmentvariabledefinitions/<schema>/...` a
variable, `msdyn_applicationtabtemplates/<name>/...` a tab template, `WebResources/<name>`
a web resource. A part that is not well-formed XML declares nothing and is kept in
`problems` (a rule reports it: the build would append it to customizations.xml as is).
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from ..errors import BuildError, Diagnostic
from ..model import RawPart
from ..xmlio.exported import Element, ctext, parse_guid
from ..xmlio.safe import parse_xml


class RawTable(NamedTuple):
    """A table a raw part declares, with its columns' types."""

    logical_name: str
    new: bool  # a table the solution creates (its export lists every column)
    organization_owned: bool
    columns: dict[str, str]  # logical name -> Dataverse type (lookup, nvarchar, ...)


@dataclass
class RawIndex:
    """The names and ids the raw parts declare, by kind."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    forms: set[uuid.UUID] = field(default_factory=set)  # ids, every raw table's forms
    views: set[uuid.UUID] = field(default_factory=set)
    roles: set[uuid.UUID] = field(default_factory=set)
    web_resources: set[str] = field(default_factory=set)  # lower-case names from here on
    choices: set[str] = field(default_factory=set)
    apps: set[str] = field(default_factory=set)
    entries: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    problems: list[tuple[RawPart, Diagnostic]] = field(default_factory=list)

    def entry_names(self, folder: str) -> set[str]:
        """Names of the whole-entry folders `<folder>/<name>/...` (lower case)."""
        return self.entries.get(folder.lower(), set())


def raw_index(parts: Iterable[RawPart]) -> RawIndex:
    index = RawIndex()
    for part in parts:
        if part.section:
            _section_part(index, part)
        else:
            _whole_entry(index, part.path)
    return index


def _whole_entry(index: RawIndex, path: str) -> None:
    folder, _, rest = path.strip("/").partition("/")
    if folder.lower() == "webresources" and rest:
        index.web_resources.add(rest.removesuffix(".data.xml").lower())
    elif rest:
        index.entries[folder.lower()].add(rest.split("/", 1)[0].lower())


def _section_part(index: RawIndex, part: RawPart) -> None:
    reader = _SECTIONS.get(part.section)
    if reader is None:
        return  # a section whose components nothing refers to (Workflows, ...)
    try:
        root = parse_xml(part.content, part.src.file or part.path)
    except BuildError as exc:
        index.problems.extend((part, d) for d in exc.diagnostics)
        return
    reader(index, root)


def _entity(index: RawIndex, root: Element) -> None:
    # the table reader only where a raw part holds a table: most sources have none
    from ..read.tables import attributes, entity_info, entity_schema_name, is_new_table

    name = entity_schema_name(root).lower() if root.tag == "Entity" else ""
    if not name:
        return
    columns = {
        (ctext(a, "LogicalName") or ctext(a, "Name") or a.get("PhysicalName", "")).lower(): ctext(
            a, "Type"
        )
        for a in attributes(root)
    }
    owned = ctext(entity_info(root), "OwnershipTypeMask") == "OrgOwned"
    index.tables[name] = RawTable(name, is_new_table(root), owned, columns)
    index.forms.update(_guids(root, ".//systemform/formid"))
    index.views.update(_guids(root, ".//savedquery/savedqueryid"))


def _guids(root: Element, path: str) -> set[uuid.UUID]:
    found = (parse_guid(el.text) for el in root.iterfind(path))
    return {g for g in found if g is not None}


def _web_resource(index: RawIndex, root: Element) -> None:
    if root.tag == "WebResource" and ctext(root, "Name"):
        index.web_resources.add(ctext(root, "Name").lower())


def _option_set(index: RawIndex, root: Element) -> None:
    if root.tag == "optionset" and root.get("Name"):
        index.choices.add(str(root.get("Name")).lower())


def _app(index: RawIndex, root: Element) -> None:
    if root.tag == "AppModule" and ctext(root, "UniqueName"):
        index.apps.add(ctext(root, "UniqueName").lower())


def _role(index: RawIndex, root: Element) -> None:
    ident = parse_guid(root.get("id")) if root.tag == "Role" else None
    if ident is not None:
        index.roles.add(ident)


_SECTIONS = {
    "Entities": _entity,
    "WebResources": _web_resource,
    "optionsets": _option_set,
    "AppModules": _app,
    "Roles": _role,
}
