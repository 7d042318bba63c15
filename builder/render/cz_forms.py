"""Forms (`FormXml/forms/systemform`) as view models: tabs, sections, one cell per item,
the header, form libraries and event handlers.

Form ids come from the model; tab, section, cell, header, library and handler ids are
derived with `stable_id` from the form id and the names, so a form keeps its ids from one
build to the next. Control class ids are the platform's standard controls per column type.
"""

from typing import NamedTuple

from ..dataverse.form_controls import CLASS_IDS, QUICK_VIEW, SUBGRID
from ..dataverse.system_columns import FORM_COLUMNS
from ..model import (
    Form,
    FormEvent,
    FormField,
    FormItem,
    FormQuickView,
    FormSubgrid,
    Src,
    Table,
    stable_id,
)
from .cz_common import ProjectIndex, fail
from .templating import braced


class CellVM(NamedTuple):
    id: str
    label: str
    control_id: str = ""
    class_id: str = ""
    field: str = ""  # datafieldname; empty for subgrids
    disabled: bool = False
    subgrid: bool = False
    params: tuple[tuple[str, str], ...] = ()


class SectionVM(NamedTuple):
    id: str
    name: str
    label: str
    show_label: bool
    cells: tuple[CellVM, ...]


class TabVM(NamedTuple):
    id: str
    name: str
    label: str
    sections: tuple[SectionVM, ...]


class HandlerVM(NamedTuple):
    function: str
    library: str
    id: str
    pass_context: bool


class EventVM(NamedTuple):
    name: str
    attribute: str
    handlers: tuple[HandlerVM, ...]


class FormVM(NamedTuple):
    id: str
    type: str
    name: str
    description: str
    tabs: tuple[TabVM, ...]
    header_id: str
    header: tuple[CellVM, ...]
    libraries: tuple[tuple[str, str], ...]  # (name, libraryUniqueId)
    events: tuple[EventVM, ...]
    customizable: bool


class FormBuilder:
    """Turns one model `Form` of `table` into a FormVM, resolving views and forms it names."""

    def __init__(self, form: Form, table: Table | None, index: ProjectIndex) -> None:
        self.form = form
        self.table = table
        self.index = index

    def sid(self, *parts: str) -> str:
        return braced(stable_id("form", str(self.form.id), *parts))

    def build(self, customizable: bool) -> FormVM:
        form = self.form
        tabs = tuple(self._tab(t.name, t.label, t.sections) for t in form.tabs)
        header = tuple(self._field(f, ("header",)) for f in form.header)
        return FormVM(
            braced(form.id),
            form.type,
            form.name,
            form.description,
            tabs,
            self.sid("header"),
            header,
            self._libraries(),
            self._events(),
            customizable,
        )

    def _tab(self, name: str, label: str, sections: tuple) -> TabVM:  # type: ignore[type-arg]
        built = tuple(
            SectionVM(
                self.sid("section", name, s.name),
                s.name,
                s.label,
                s.show_label,
                tuple(self._item(i, (name, s.name)) for i in s.items),
            )
            for s in sections
        )
        return TabVM(self.sid("tab", name), name, label, built)

    def _item(self, item: FormItem, where: tuple[str, ...]) -> CellVM:
        if isinstance(item, FormField):
            return self._field(item, where)
        if isinstance(item, FormSubgrid):
            return self._subgrid(item, where)
        return self._quick_view(item, where)

    def _kind(self, name: str, src: Src) -> tuple[str, str]:
        """(control kind, default label) of a column on the form's table."""
        column = self.table.column(name) if self.table else None
        if column is not None:
            kind = (
                column.format
                if column.format in ("email", "url", "phone", "textarea", "duration")
                else column.type
            )
            return kind, column.display_name
        if name in FORM_COLUMNS:
            return FORM_COLUMNS[name]
        if self.table is not None and not self.table.existing:
            raise fail(
                "CZ020",
                f"form {self.form.name!r}: no column {name!r} on {self.form.table}",
                src,
                "add the column to the table or remove it from the form",
            )
        return "text", name  # a system column we do not know: the platform binds by type

    def _field(self, item: FormField, where: tuple[str, ...]) -> CellVM:
        kind, label = self._kind(item.column, item.src)
        return CellVM(
            self.sid("cell", *where, item.column),
            item.label or label,
            item.column,
            CLASS_IDS[kind],
            item.column,
            item.readonly,
        )

    def _subgrid(self, item: FormSubgrid, where: tuple[str, ...]) -> CellVM:
        view = braced(self.index.view(item.table, item.view, item.src).id)
        params = [
            ("RecordsPerPage", "4"),
            ("AutoExpand", "Fixed"),
            ("EnableQuickFind", "false"),
            ("EnableViewPicker", "false"),
            ("EnableChartPicker", "false"),
            ("ChartGridMode", "Grid"),
            ("TargetEntityType", item.table),
            ("ViewId", view),
            ("ViewIds", view),
        ]
        if item.relationship:
            params.append(("RelationshipName", item.relationship))
        return CellVM(
            self.sid("cell", *where, item.name),
            item.label,
            item.name,
            SUBGRID,
            subgrid=True,
            params=tuple(params),
        )

    def _quick_view(self, item: FormQuickView, where: tuple[str, ...]) -> CellVM:
        column = self.table.column(item.lookup) if self.table else None
        if column is None or column.type != "lookup" or not column.targets:
            raise fail(
                "CZ021",
                f"quick view {item.name!r}: {item.lookup!r} is not a lookup column "
                f"of {self.form.table}",
                item.src,
            )
        target = column.targets[0]
        quick = self.index.form(target, "quick", item.form, item.src)
        ids = (
            f'<QuickFormIds><QuickFormId entityname="{target}">'
            f"{str(quick.id).upper()}</QuickFormId></QuickFormIds>"
        )
        return CellVM(
            self.sid("cell", *where, item.name),
            item.label,
            item.name,
            QUICK_VIEW,
            item.lookup,
            params=(("QuickForms", ids), ("ControlMode", "Edit")),
        )

    def _libraries(self) -> tuple[tuple[str, str], ...]:
        names = list(self.form.libraries)
        names += [e.library for e in self.form.events if e.library not in names]
        for name in names:
            self.index.web_resource(name, self.form.src)
        return tuple((n, braced(stable_id("formlibrary", str(self.form.id), n))) for n in names)

    def _events(self) -> tuple[EventVM, ...]:
        groups: dict[tuple[str, str], list[FormEvent]] = {}
        for event in self.form.events:
            groups.setdefault((event.event, event.attribute), []).append(event)
        return tuple(
            EventVM(name, attribute, tuple(self._handler(e) for e in events))
            for (name, attribute), events in groups.items()
        )

    def _handler(self, e: FormEvent) -> HandlerVM:
        uid = stable_id(
            "formhandler", str(self.form.id), e.event, e.attribute, e.library, e.function
        )
        return HandlerVM(e.function, e.library, braced(uid), e.pass_context)


def form_model(form: Form, table: Table | None, index: ProjectIndex, customizable: bool) -> FormVM:
    return FormBuilder(form, table, index).build(customizable)


def form_type_groups(forms: list[FormVM]) -> list[tuple[str, list[FormVM]]]:
    """Forms grouped under `<forms type=...>` in a fixed order of types."""
    order = ("main", "quickCreate", "quick", "card")
    return [
        (t, [f for f in forms if f.type == t]) for t in order if any(f.type == t for f in forms)
    ]
