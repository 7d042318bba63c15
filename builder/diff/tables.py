"""Compare tables, their columns, keys and status reasons, and global choices.

What breaks data already in an environment: a removed table or column, a column's type
changed, a choice value removed, a text made shorter, a number range narrowed, fewer decimal
places, a lookup losing a target.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ChoiceOption, Column, GlobalChoice, Table
from ..model.kinds import Kind
from .comparers import compares, diff_kind
from .core import Collector, describe, field_changes, fmt, own_changes, pair_up


@compares(Table)
def diff_tables(out: Collector, kind: Kind, old: Sequence[Table], new: Sequence[Table]) -> None:
    diff_kind(out, kind, old, new, summary=_table_summary, inner=_diff_table_parts)


def _table_summary(table: Table) -> str:
    kind = "existing table extended" if table.existing else "new table"
    return f"{kind} ({len(table.columns)} columns)"


def _diff_table_parts(out: Collector, name: str, old: Table, new: Table) -> None:
    """Columns (and the relationships of lookups), alternate keys and status reasons."""
    added, removed, kept = pair_up(old.columns, new.columns, lambda c: c.logical_name)
    for column in added:
        out.added("column", name, column.logical_name, _column_summary(column))
        _relationship(out, name, None, column)
    for column in removed:
        out.removed(
            "column",
            name,
            column.logical_name,
            "column removed (its data is deleted on upgrade)",
            breaking=True,
        )
        _relationship(out, name, column, None)
    for before, after in kept:
        diff_column(out, name, before, after)
        _relationship(out, name, before, after)
    _diff_keys(out, old, new)
    _diff_status_reasons(out, old, new)


def _relationship(out: Collector, table: str, old: Column | None, new: Column | None) -> None:
    """A lookup is a 1:N relationship too: say so when one comes, goes or is re-pointed."""
    old = old if old is not None and old.type == "lookup" else None
    new = new if new is not None and new.type == "lookup" else None
    if old is None and new is None:
        return
    name = f"{table}.{(old or new).logical_name}"  # type: ignore[union-attr]
    if old is None:
        out.added("relationship", "", name, f"new 1:N from {fmt(new.targets)}")  # type: ignore[union-attr]
    elif new is None:
        out.removed("relationship", "", name, f"1:N from {fmt(old.targets)} removed", breaking=True)
    else:
        diffs = [d for d in field_changes(old, new) if d[0] in ("targets", "relationship")]
        if diffs:
            out.add(
                "relationship",
                "",
                name,
                describe(diffs),
                "changed",
                breaking=bool(set(old.targets) - set(new.targets)),
            )


def _column_summary(column: Column) -> str:
    size = f" {column.max_length}" if column.max_length else ""
    return f"new {column.type}{size} column {column.display_name!r}, {column.required}"


def diff_column(out: Collector, table: str, old: Column, new: Column) -> None:
    diffs = own_changes(old, new)
    if diffs:
        reasons = column_breaks(old, new)
        detail = describe(diffs) + (f" [{'; '.join(reasons)}]" if reasons else "")
        out.add("column", table, old.logical_name, detail, "changed", breaking=bool(reasons))
    diff_options(out, f"{table}.{old.logical_name}", old.options, new.options)


def column_breaks(old: Column, new: Column) -> list[str]:
    """Why a column change may not fit data already stored, if it may not."""
    reasons = []
    if old.type != new.type:
        reasons.append("type changed")
    if old.max_length and new.max_length and new.max_length < old.max_length:
        reasons.append("max length reduced")
    if old.precision is not None and new.precision is not None and new.precision < old.precision:
        reasons.append("precision reduced")
    if _narrowed(old.min_value, new.min_value, lower=True) or _narrowed(
        old.max_value, new.max_value, lower=False
    ):
        reasons.append("value range narrowed")
    if old.global_choice != new.global_choice and old.type == new.type == "choice":
        reasons.append("bound to another choice")
    return reasons


def _narrowed(before: float | None, after: float | None, lower: bool) -> bool:
    if after is None:
        return False
    if before is None:
        return True
    return after > before if lower else after < before


def diff_options(
    out: Collector, owner: str, old: tuple[ChoiceOption, ...], new: tuple[ChoiceOption, ...]
) -> None:
    added, removed, kept = pair_up(old, new, lambda o: o.value)
    for option in added:
        out.added("choice value", owner, str(option.value), f"new value {option.label!r}")
    for option in removed:
        out.removed(
            "choice value",
            owner,
            str(option.value),
            f"value {option.label!r} removed (rows holding it lose their value)",
            breaking=True,
        )
    for before, after in kept:
        out.scalar_fields("choice value", owner, str(before.value), before, after)


@compares(GlobalChoice)
def diff_global_choices(
    out: Collector, kind: Kind, old: Sequence[GlobalChoice], new: Sequence[GlobalChoice]
) -> None:
    diff_kind(
        out,
        kind,
        old,
        new,
        summary=lambda c: f"new choice, {len(c.options)} values",
        inner=_diff_choice_values,
    )


def _diff_choice_values(out: Collector, name: str, old: GlobalChoice, new: GlobalChoice) -> None:
    diff_options(out, name, old.options, new.options)


def _diff_keys(out: Collector, old: Table, new: Table) -> None:
    added, removed, kept = pair_up(old.keys, new.keys, lambda k: k.logical_name)
    for key in added:
        out.added(
            "alternate key",
            old.logical_name,
            key.logical_name,
            f"new key on {fmt(key.columns)} (fails if existing rows hold duplicates)",
        )
    for key in removed:
        out.removed("alternate key", old.logical_name, key.logical_name)
    for before, after in kept:
        out.scalar_fields(
            "alternate key",
            old.logical_name,
            before.logical_name,
            before,
            after,
            breaking=before.columns != after.columns,
        )


def _diff_status_reasons(out: Collector, old: Table, new: Table) -> None:
    added, removed, kept = pair_up(old.status_reasons, new.status_reasons, lambda s: s.value)
    for reason in added:
        out.added(
            "status reason",
            old.logical_name,
            str(reason.value),
            f"new status reason {reason.label!r} (state {reason.state})",
        )
    for reason in removed:
        out.removed(
            "status reason",
            old.logical_name,
            str(reason.value),
            f"status reason {reason.label!r} removed",
            breaking=True,
        )
    for before, after in kept:
        out.scalar_fields(
            "status reason",
            old.logical_name,
            str(before.value),
            before,
            after,
            breaking=before.state != after.state,
        )
