"""An exported `systemform` as a model `Form`: tabs, sections, fields, subgrids, quick views,
the header, the form libraries and the event handlers.

Layout the model does not hold (several columns per tab, spacers, web resource or timeline
controls, navigation, footers, custom controls) is named in `reasons`. Tabs and sections
without a `name` are named after their id, as exports of forms made in the designer often
have none. What the reader leaves unread of the `systemform` is the form's remainder, found
when asked (read/kept.py).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..dataverse.form_controls import OTHER_CONTROLS, QUICK_VIEW, SUBGRID
from ..dataverse.system_columns import FORM_COLUMNS
from ..model import (
    Column,
    Form,
    FormEvent,
    FormField,
    FormItem,
    FormQuickView,
    FormSection,
    FormSubgrid,
    FormTab,
    Table,
)
from ..xmlio.exported import Element, child, ctext, kids, labels_of, localized, parse_guid
from .kept import Reader, Scope, kept

SUBGRID_ID, QUICK_VIEW_ID = SUBGRID.lower(), QUICK_VIEW.lower()
_OTHER_CONTROLS = {classid.lower(): kind for classid, kind in OTHER_CONTROLS.items()}
FORM_TYPES = ("main", "quickCreate", "quick", "card")

ViewNames = Callable[[uuid.UUID], str | None]  # view id -> its name, when in the solution
FormNames = Callable[[uuid.UUID], str | None]


@dataclass
class FormRead:
    form: Form
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Context:
    table: Table | None
    view_name: ViewNames
    form_name: FormNames
    reasons: list[str]
    # the table's columns by logical name (the first of each, as `Table.column` finds it)
    columns: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        columns = reversed(self.table.columns) if self.table else ()
        self.columns = {c.logical_name: c for c in columns}

    def default_label(self, column: str) -> str:
        """The label the render gives a field whose source names none."""
        found = self.columns.get(column)
        if found is not None:
            return found.display_name
        return FORM_COLUMNS[column][1] if column in FORM_COLUMNS else column


def read_form(
    system_form: Element,
    form_type: str,
    table: str,
    table_model: Table | None,
    names: tuple[ViewNames, FormNames],
    solution: str,
    scope: Scope | None = None,
) -> FormRead:
    """`scope`: the entity the form is in (read/kept.py)."""
    form_id = parse_guid(ctext(system_form, "formid")) or uuid.uuid4()
    body = child(system_form, "form")
    reasons: list[str] = []
    if form_type not in FORM_TYPES:
        reasons.append(f"a form of type {form_type!r}")
    if system_form.get("unmodified") == "1":
        reasons.append("an unmodified form shell")
    ctx = _Context(table_model, names[0], names[1], reasons)
    _layout_reasons(body, reasons)
    form = Form(
        id=form_id,
        table=table,
        type=form_type if form_type in FORM_TYPES else "main",  # type: ignore[arg-type]
        name=localized(system_form, "LocalizedNames", "LocalizedName"),
        description=localized(system_form, "Descriptions", "Description"),
        tabs=tuple(_tab(t, ctx) for t in kids(child(body, "tabs"), "tab")),
        header=_header(body, ctx),
        libraries=tuple(
            lib.get("name", "") for lib in kids(child(body, "formLibraries"), "Library")
        ),
        events=_events(body),
        solution=solution,
        remainder=kept(system_form, _again(form_type, table, table_model, names, solution), scope),
    )
    return FormRead(form, reasons)


def _again(
    form_type: str,
    table: str,
    table_model: Table | None,
    names: tuple[ViewNames, FormNames],
    solution: str,
) -> Reader:
    def read(element: Element) -> tuple[()]:
        read_form(element, form_type, table, table_model, names, solution)
        return ()

    return read


def _layout_reasons(body: Element | None, reasons: list[str]) -> None:
    for part in ("footer", "Navigation", "controlDescriptions"):
        found = child(body, part)
        if found is not None and len(
            found.xpath(".//control | .//NavBarItem | .//controlDescription")
        ):
            reasons.append(f"form {part.lower()}")


def _name(el: Element, kind: str) -> str:
    """A tab's or section's name; designer-made ones have only an id: name them after it."""
    return el.get("name") or f"{kind}_" + re.sub(r"[^0-9a-z]", "", (el.get("id") or "").lower())


def _tab(tab: Element, ctx: _Context) -> FormTab:
    columns = kids(child(tab, "columns"), "column")
    if len(columns) > 1:
        ctx.reasons.append(f"tab {_name(tab, 'tab')} has {len(columns)} columns")
    sections = [s for c in columns for s in kids(child(c, "sections"), "section")]
    return FormTab(_name(tab, "tab"), labels_of(tab), tuple(_section(s, ctx) for s in sections))


def _section(section: Element, ctx: _Context) -> FormSection:
    cells = [c for row in kids(child(section, "rows"), "row") for c in kids(row, "cell")]
    items = [item for cell in cells for item in _cell(cell, ctx)]
    return FormSection(
        _name(section, "section"),
        labels_of(section),
        tuple(items),
        show_label=section.get("showlabel", "true").lower() == "true",
    )


def _cell(cell: Element, ctx: _Context) -> list[FormItem]:
    control = child(cell, "control")
    if control is None:
        ctx.reasons.append("an empty cell (spacer)")
        return []
    classid = (control.get("classid") or "").lower()
    label = labels_of(cell)
    if classid == SUBGRID_ID:
        return _subgrid(control, label, ctx)
    if classid == QUICK_VIEW_ID:
        return _quick_view(control, label, ctx)
    field_name = control.get("datafieldname")
    if classid in _OTHER_CONTROLS or not field_name:
        kind = _OTHER_CONTROLS.get(classid, f"class {classid}")
        ctx.reasons.append(f"a {kind} control {control.get('id', '')}")
        return []
    return [_field(control, label, ctx)]


def _field(control: Element, label: str, ctx: _Context) -> FormField:
    column = (control.get("datafieldname") or "").lower()
    shown = "" if label == ctx.default_label(column) else label
    return FormField(column, shown, readonly=control.get("disabled", "false").lower() == "true")


def _parameters(control: Element) -> dict[str, str]:
    found = child(control, "parameters")
    items = list(found) if found is not None else []
    return {str(p.tag): (p.text or "").strip() for p in items if isinstance(p.tag, str)}


def _subgrid(control: Element, label: str, ctx: _Context) -> list[FormItem]:
    params = _parameters(control)
    view_id = parse_guid(params.get("ViewId"))
    view = ctx.view_name(view_id) if view_id else None
    if view is None:
        ctx.reasons.append(f"subgrid {control.get('id', '')} shows a view outside the solution")
        view = params.get("ViewId", "")
    return [
        FormSubgrid(
            control.get("id", ""),
            label,
            params.get("TargetEntityType", ""),
            view,
            params.get("RelationshipName", ""),
        )
    ]


def _quick_view(control: Element, label: str, ctx: _Context) -> list[FormItem]:
    quick = _parameters(control).get("QuickForms", "")
    form_id = None
    try:
        ids = etree.fromstring(quick.encode()) if quick.startswith("<") else None
        form_id = parse_guid(ids.findtext("QuickFormId")) if ids is not None else None
    except etree.XMLSyntaxError:
        pass
    form = ctx.form_name(form_id) if form_id else None
    if form is None:
        ctx.reasons.append(f"quick view {control.get('id', '')} shows a form outside the solution")
        form = str(form_id or "")
    return [
        FormQuickView(
            control.get("id", ""), label, (control.get("datafieldname") or "").lower(), form
        )
    ]


def _header(body: Element | None, ctx: _Context) -> tuple[FormField, ...]:
    header = child(body, "header")
    cells = [c for row in kids(child(header, "rows"), "row") for c in kids(row, "cell")]
    fields = []
    for cell in cells:
        control = child(cell, "control")
        if control is not None and control.get("datafieldname"):
            fields.append(_field(control, labels_of(cell), ctx))
        elif control is not None:
            ctx.reasons.append(f"a header control {control.get('id', '')}")
    return tuple(fields)


def _events(body: Element | None) -> tuple[FormEvent, ...]:
    found = []
    for event in kids(child(body, "events"), "event"):
        for handler in kids(child(event, "Handlers"), "Handler"):
            found.append(
                FormEvent(
                    event=event.get("name", ""),
                    library=handler.get("libraryName", ""),
                    function=handler.get("functionName", ""),
                    attribute=(event.get("attribute") or "").lower(),
                    pass_context=handler.get("passExecutionContext", "false").lower() == "true",
                )
            )
    return tuple(found)
