"""One exported `<Entity>` as model components: its table, forms, views and command buttons,
plus the reasons (if any) it cannot be written back from the model alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from ..model import Command, Form, Table, View
from ..xmlio.exported import Element, child, ctext, kids, localized, parse_guid
from .forms import FormNames, ViewNames, read_form
from .kept import Scope
from .ribbon import read_commands
from .tables import Lookup, entity_schema_name, read_table
from .views import read_view


@dataclass
class EntityRead:
    table: Table
    forms: list[Form] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def system_forms(entity: Element) -> list[tuple[str, Element]]:
    """(form type, systemform) of every form the entity carries."""
    return [
        (forms.get("type", "main"), f)
        for forms in kids(child(entity, "FormXml"), "forms")
        for f in kids(forms, "systemform")
    ]


def saved_queries(entity: Element) -> list[Element]:
    return kids(child(child(entity, "SavedQueries"), "savedqueries"), "savedquery")


def component_names(entities: list[Element]) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """Every view and form of the solution by id, so references between them resolve."""
    views, forms = {}, {}
    for entity in entities:
        for query in saved_queries(entity):
            found = parse_guid(ctext(query, "savedqueryid"))
            if found:
                views[found] = localized(query, "LocalizedNames", "LocalizedName")
        for _, form in system_forms(entity):
            found = parse_guid(ctext(form, "formid"))
            if found:
                forms[found] = localized(form, "LocalizedNames", "LocalizedName")
    return views, forms


class LazyNames:
    """`component_names` of the solution's entities, worked out on the first look-up (a
    form with a subgrid or quick view looks one up; most tables have none)."""

    def __init__(self, entities: list[Element]) -> None:
        self._entities: list[Element] | None = entities
        self._names: tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]] = ({}, {})

    def _found(self) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
        if self._entities is not None:
            self._names, self._entities = component_names(self._entities), None
        return self._names

    def view(self, view: uuid.UUID) -> str | None:
        return self._found()[0].get(view)

    def form(self, form: uuid.UUID) -> str | None:
        return self._found()[1].get(form)


def read_entity(
    entity: Element,
    lookups: list[Lookup],
    names: tuple[ViewNames, FormNames],
    solution: str,
    scope: Scope | None = None,
) -> EntityRead:
    """`scope`: the entity's place in its file (read/kept.py), for its components' remainders."""
    table_read = read_table(entity, lookups, solution, scope)
    table = table_read.table
    found = EntityRead(table, reasons=list(table_read.reasons))
    logical = entity_schema_name(entity).lower()
    for form_type, system_form in system_forms(entity):
        form_read = read_form(system_form, form_type, logical, table, names, solution, scope)
        found.forms.append(form_read.form)
        found.reasons += [f"form {form_read.form.name!r}: {r}" for r in form_read.reasons]
    for query in saved_queries(entity):
        view_read = read_view(query, logical, solution, scope)
        found.views.append(view_read.view)
        found.reasons += [f"view {view_read.view.name!r}: {r}" for r in view_read.reasons]
    commands, reasons = read_commands(child(entity, "RibbonDiffXml"), logical, solution)
    found.commands, found.reasons = commands, found.reasons + reasons
    return found
