"""Compare what users see: forms (fields and subgrids added, removed, moved), views (columns,
filters, sort), model-driven apps with their site maps, and command bar buttons.

None of these hold data, so none is breaking; a removed form, view or app stays behind in an
environment after a plain update, so removals need an upgrade.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import AppModule, Command, Form, FormField, FormItem, FormSubgrid, View
from ..model.kinds import Kind, identity
from .comparers import compares, diff_kind
from .core import Collector, fmt, pair_up


@compares(Form)
def diff_forms(out: Collector, kind: Kind, old: Sequence[Form], new: Sequence[Form]) -> None:
    diff_kind(
        out,
        kind,
        old,
        new,
        summary=lambda f: f"new {f.type} form, {len(f.fields())} fields",
        inner=_diff_form_parts,
    )


def _diff_form_parts(out: Collector, label: str, old: Form, new: Form) -> None:
    _diff_layout(out, label, old, new)
    _diff_items(out, label, _placed_items(old), _placed_items(new))
    _diff_events(out, label, old, new)


def _item_kind(item: FormItem) -> str:
    if isinstance(item, FormField):
        return "form field"
    return "form subgrid" if isinstance(item, FormSubgrid) else "form quick view"


def _item_key(item: FormItem) -> tuple[str, str]:
    return (_item_kind(item), item.column if isinstance(item, FormField) else item.name)


def _placed_items(form: Form) -> dict[tuple[str, str], tuple[str, int, FormItem]]:
    """Every field, subgrid and quick view of a form with where it sits and its position."""
    placed: dict[tuple[str, str], tuple[str, int, FormItem]] = {}
    for index, header_field in enumerate(form.header):
        placed[("header field", header_field.column)] = ("header", index, header_field)
    for tab in form.tabs:
        for section in tab.sections:
            for index, item in enumerate(section.items):
                placed.setdefault(_item_key(item), (f"{tab.name}/{section.name}", index, item))
    return placed


def _diff_items(
    out: Collector,
    label: str,
    old: dict[tuple[str, str], tuple[str, int, FormItem]],
    new: dict[tuple[str, str], tuple[str, int, FormItem]],
) -> None:
    for key in sorted(new.keys() - old.keys()):
        out.added(key[0], label, key[1], f"added in {new[key][0]}")
    for key in sorted(old.keys() - new.keys()):
        out.removed(key[0], label, key[1], f"removed from {old[key][0]}", upgrade=False)
    stayed = {k for k in old.keys() & new.keys() if old[k][0] == new[k][0]}
    old_rank, new_rank = _ranks(old, stayed), _ranks(new, stayed)
    for key in sorted(old.keys() & new.keys()):
        (where_old, _, item_old), (where_new, _, item_new) = old[key], new[key]
        if where_old != where_new:
            out.add(key[0], label, key[1], f"moved from {where_old} to {where_new}", "changed")
        elif old_rank[key] != new_rank[key]:
            out.add(
                key[0],
                label,
                key[1],
                f"moved in {where_new}: position {old_rank[key] + 1} -> {new_rank[key] + 1}",
                "changed",
            )
        out.scalar_fields(key[0], label, key[1], item_old, item_new)


def _ranks(
    placed: dict[tuple[str, str], tuple[str, int, FormItem]], keys: set[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Each item's position among the items that stayed in its section: what a reader calls
    a move (an item inserted above another does not move it)."""
    ordered = sorted(keys, key=lambda k: (placed[k][0], placed[k][1]))
    ranks: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    for key in ordered:
        where = placed[key][0]
        ranks[key] = counters.get(where, 0)
        counters[where] = ranks[key] + 1
    return ranks


def _diff_layout(out: Collector, label: str, old: Form, new: Form) -> None:
    """Tabs and sections added or removed, and their labels."""

    def sections(form: Form) -> dict[str, str]:
        found = {}
        for tab in form.tabs:
            found[tab.name] = tab.label
            found.update({f"{tab.name}/{s.name}": s.label for s in tab.sections})
        return found

    before, after = sections(old), sections(new)
    for name in sorted(after.keys() - before.keys()):
        out.added("form section" if "/" in name else "form tab", label, name)
    for name in sorted(before.keys() - after.keys()):
        out.removed("form section" if "/" in name else "form tab", label, name, upgrade=False)
    for name in sorted(before.keys() & after.keys()):
        if before[name] != after[name]:
            kind = "form section" if "/" in name else "form tab"
            out.add(
                kind, label, name, f"label {fmt(before[name])} -> {fmt(after[name])}", "changed"
            )


def _diff_events(out: Collector, label: str, old: Form, new: Form) -> None:
    def key(e: object) -> str:
        return f"{e.event}:{e.attribute}:{e.library}:{e.function}"  # type: ignore[attr-defined]

    added, removed, kept = pair_up(old.events, new.events, key)
    for event in added:
        out.added("form event", label, key(event))
    for event in removed:
        out.removed("form event", label, key(event), upgrade=False)
    for before, after in kept:
        out.scalar_fields("form event", label, key(before), before, after)


# --- views ---------------------------------------------------------------------------------


@compares(View)
def diff_views(out: Collector, kind: Kind, old: Sequence[View], new: Sequence[View]) -> None:
    diff_kind(
        out,
        kind,
        old,
        new,
        summary=lambda v: f"new {v.type} view, {len(v.columns)} columns",
        inner=_diff_view_parts,
    )


def _diff_view_parts(out: Collector, label: str, old: View, new: View) -> None:
    """Columns (each, and their order), filters and sort order."""
    added, removed, kept = pair_up(old.columns, new.columns, lambda c: c.name)
    for column in added:
        out.added("view column", label, column.name, f"added, width {column.width}")
    for column in removed:
        out.removed("view column", label, column.name, upgrade=False)
    for before, after in kept:
        out.scalar_fields("view column", label, before.name, before, after)
    common = [c.name for c in old.columns if c.name in {n.name for n in new.columns}]
    if common != [c.name for c in new.columns if c.name in set(common)]:
        out.add("view column", label, "(order)", "columns reordered", "changed")
    _diff_filters(out, label, old, new)


def _diff_filters(out: Collector, label: str, old: View, new: View) -> None:
    def key(c: object) -> str:
        return f"{c.attribute} {c.operator} {c.value}".strip()  # type: ignore[attr-defined]

    added, removed, _ = pair_up(old.conditions, new.conditions, key)
    for condition in added:
        out.added("view filter", label, key(condition))
    for condition in removed:
        out.removed("view filter", label, key(condition), upgrade=False)
    if old.order != new.order:
        out.add("view sort", label, "(order)", f"{_sort(old)} -> {_sort(new)}", "changed")


def _sort(view: View) -> str:
    return (
        ", ".join(f"{o.attribute}{' desc' if o.descending else ''}" for o in view.order) or "none"
    )


# --- apps, site map, commands --------------------------------------------------------------


@compares(AppModule)
def diff_apps(
    out: Collector, kind: Kind, old: Sequence[AppModule], new: Sequence[AppModule]
) -> None:
    diff_kind(
        out,
        kind,
        old,
        new,
        summary=lambda a: f"new app {a.display_name!r}",
        inner=_diff_app_parts,
    )


def _diff_app_parts(out: Collector, name: str, old: AppModule, new: AppModule) -> None:
    """The tables, forms, views and roles it names, and its site map."""
    for member in ("tables", "forms", "views", "roles"):
        _diff_members(out, name, member, getattr(old, member), getattr(new, member))
    _diff_site_map(out, name, _site_map(old), _site_map(new))


def _diff_members(
    out: Collector, app: str, member: str, old: tuple[object, ...], new: tuple[object, ...]
) -> None:
    kind = f"app {member[:-1]}"
    for item in sorted(set(new) - set(old), key=str):
        out.added(kind, app, str(item), f"{member[:-1]} added to the app")
    for item in sorted(set(old) - set(new), key=str):
        out.removed(kind, app, str(item), f"{member[:-1]} no longer in the app", upgrade=False)


def _site_map(app: AppModule) -> dict[str, tuple[object, ...]]:
    """Areas, groups and subareas by their id path, with what is shown for each."""
    entries: dict[str, tuple[object, ...]] = {}
    for area in app.areas:
        entries[area.id] = (area.title,)
        for group in area.groups:
            entries[f"{area.id}/{group.id}"] = (group.title,)
            for sub in group.subareas:
                entries[f"{area.id}/{group.id}/{sub.id}"] = (
                    sub.title,
                    sub.table,
                    sub.view,
                    sub.url,
                )
    return entries


def _diff_site_map(
    out: Collector, app: str, old: dict[str, tuple[object, ...]], new: dict[str, tuple[object, ...]]
) -> None:
    for path in sorted(new.keys() - old.keys()):
        out.added("site map entry", app, path, f"added {fmt(new[path])}")
    for path in sorted(old.keys() - new.keys()):
        out.removed("site map entry", app, path, upgrade=False)
    for path in sorted(old.keys() & new.keys()):
        if old[path] != new[path]:
            out.add("site map entry", app, path, f"{fmt(old[path])} -> {fmt(new[path])}", "changed")
    if [p for p in old if p in new] != [p for p in new if p in old]:
        out.add("site map entry", app, "(order)", "entries reordered", "changed")


@compares(Command)
def diff_commands(
    out: Collector, kind: Kind, old: Sequence[Command], new: Sequence[Command]
) -> None:
    """Each shown under its table (the old one's, should a command move)."""
    added, removed, kept = pair_up(old, new, identity)
    for command in added:
        out.added(
            kind.label,
            command.table,
            command.id,
            f"new {command.location} button {command.label!r} -> {command.function}",
        )
    for command in removed:
        out.removed(kind.label, command.table, command.id)
    for before, after in kept:
        out.scalar_fields(kind.label, before.table, before.id, before, after)
