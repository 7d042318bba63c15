"""Shared pieces of the customizations.xml render: names Dataverse derives, the managed
property policy, small formatting helpers and the lookup index over the whole project.

Everything here is pure and works from the model; the templates only lay out what these
helpers computed.
"""

import re
from functools import cached_property
from typing import NamedTuple

from ..errors import BuildError
from ..model import Column, Form, Project, Src, Table, View, WebResource

# Exports stamp platform-provided parts (system columns, system relationships) with "1.0".
SYSTEM_VERSION = "1.0"
# Our own components: a fixed version, so a release does not rewrite every element.
OUR_VERSION = "1.0.0.0"

# SchemaName casing of the system tables our components touch; the XML names entities by
# SchemaName (`PhoneCall`), while the model speaks logical names (`phonecall`).
SYSTEM_SCHEMA_NAMES: dict[str, str] = {
    "account": "Account",
    "activitypointer": "ActivityPointer",
    "businessunit": "BusinessUnit",
    "contact": "Contact",
    "incident": "Incident",
    "lead": "Lead",
    "organization": "Organization",
    "owner": "Owner",
    "phonecall": "PhoneCall",
    "queue": "Queue",
    "systemuser": "SystemUser",
    "task": "Task",
    "team": "Team",
    "transactioncurrency": "TransactionCurrency",
}

# Object type codes of system tables (fixed across organizations); custom tables get theirs
# at import, so layoutxml leaves `object` out for them, as exports of custom tables do.
SYSTEM_TYPE_CODES: dict[str, int] = {
    "account": 1,
    "contact": 2,
    "lead": 4,
    "systemuser": 8,
    "team": 9,
    "businessunit": 10,
    "incident": 112,
    "queue": 2020,
    "phonecall": 4210,
    "task": 4212,
}


def number(value: float) -> str:
    """Numbers as exports write them: no trailing `.0` on integral values."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def strip_prefix(name: str, prefix: str) -> str:
    head = prefix.lower() + "_"
    return name[len(head) :] if name.lower().startswith(head) else name


def entity_set_name(logical_name: str) -> str:
    """The plural Dataverse gives a new table's entity set (ract_alerts -> ract_alertses)."""
    if logical_name.endswith(("s", "x", "z", "ch", "sh")):
        return logical_name + "es"
    if logical_name.endswith("y") and logical_name[-2:-1] not in "aeiou":
        return logical_name[:-1] + "ies"
    return logical_name + "s"


def local_optionset_name(prefix: str, table: str, column: str) -> str:
    """Name of a column's own option set: `ract_phonecall_ract_location` in exports."""
    if table.startswith(prefix.lower() + "_"):
        return f"{table}_{column}"
    return f"{prefix.lower()}_{table}_{column}"


def lookup_relationship_name(prefix: str, table: Table, column: Column, target: str) -> str:
    """The 1:N relationship of a lookup: explicit in the source, or named as Dataverse
    names new ones (`ract_phonecall_Category_ract_maincategory`)."""
    if column.relationship and len(column.targets) <= 1:
        return column.relationship
    referencing = strip_prefix(table.logical_name, prefix)
    attribute = strip_prefix(column.schema_name, prefix)
    return f"{prefix.lower()}_{referencing}_{attribute}_{target}"


def clean_id(text: str) -> str:
    """Site map ids allow only letters, digits and underscores."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def fail(code: str, message: str, src: Src, hint: str = "") -> BuildError:
    return BuildError.at(code, message, file=src.file, line=src.line, hint=hint)


class ManagedPolicy(NamedTuple):
    """Managed properties we ship. They only bind in a managed import; an unmanaged build
    carries everything open (1), as an unmanaged export does.

    In a managed build we lock what the Enreach back end and our scripts depend on and
    leave the rest open so administrators can extend the solution as usual:
    - web resources are not customizable: an unmanaged edit would shadow every later fix;
    - the primary name and alternate-key columns keep their requirement level;
    - tables, columns, forms, views and roles stay customizable (admins add fields/views).
    """

    managed: bool

    @property
    def web_resource_customizable(self) -> bool:
        return not self.managed

    def requirement_modifiable(self, key_column: bool) -> bool:
        return not (self.managed and key_column)


class ProjectIndex:
    """Dictionaries over the whole project, built once per render (no quadratic scans)."""

    def __init__(self, project: Project) -> None:
        self.project = project

    @cached_property
    def tables(self) -> dict[str, Table]:
        return {t.logical_name: t for t in self.project.tables}

    @cached_property
    def views(self) -> dict[tuple[str, str], View]:
        return {(v.table, v.name.lower()): v for v in self.project.views}

    @cached_property
    def forms(self) -> dict[tuple[str, str, str], Form]:
        return {(f.table, f.type, f.name.lower()): f for f in self.project.forms}

    @cached_property
    def web_resources(self) -> dict[str, WebResource]:
        return {w.name: w for w in self.project.web_resources}

    @cached_property
    def columns(self) -> dict[tuple[str, str], Column]:
        return {(t.logical_name, c.logical_name): c for t in self.project.tables for c in t.columns}

    @cached_property
    def raw_schema_names(self) -> dict[str, str]:
        """Schema names of the tables kept as exported (raw `Entities` parts)."""
        names = {}
        for part in self.project.raw_parts:
            if part.section == "Entities":
                found = re.search(rb"<Name[^>]*>([^<]+)</Name>", part.content)
                if found:
                    name = found.group(1).decode("utf-8", "replace").strip()
                    names[name.lower()] = name
        return names

    def schema_name(self, logical_name: str) -> str:
        table = self.tables.get(logical_name)
        if table is not None:
            return table.schema_name
        if logical_name in self.raw_schema_names:
            return self.raw_schema_names[logical_name]
        return SYSTEM_SCHEMA_NAMES.get(logical_name, logical_name)

    def view(self, table: str, name: str, src: Src) -> View:
        found = self.views.get((table, name.lower()))
        if found is None:
            raise fail(
                "CZ002",
                f"no view {name!r} on table {table!r}",
                src,
                "name a view declared for that table",
            )
        return found

    def form(self, table: str, type_: str, name: str, src: Src) -> Form:
        found = self.forms.get((table, type_, name.lower()))
        if found is None:
            raise fail(
                "CZ003",
                f"no {type_} form {name!r} on table {table!r}",
                src,
                "name a form declared for that table",
            )
        return found

    def web_resource(self, name: str, src: Src) -> WebResource:
        found = self.web_resources.get(name)
        if found is None:
            raise fail(
                "CZ004",
                f"no web resource {name!r}",
                src,
                "declare the web resource, or fix the name",
            )
        return found
