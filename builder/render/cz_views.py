"""Views (`SavedQueries/savedqueries/savedquery`): layoutxml grid and fetchxml, shaped like
the exported views of JRSasing `ract_Alerts`.

The grid jumps to the primary name column and always selects the primary key; `object`
(the type code) is written for system tables only, since a new table gets its code at
import. Quick find views add the `isquickfindfields` filter over their find columns.
Views the platform needs (quick find, lookup, associated, advanced find and the default
public view) cannot be deleted; other public views can.
"""

from typing import NamedTuple

from ..model import VIEW_QUERY_TYPES, Table, View, ViewCondition
from .cz_common import SYSTEM_TYPE_CODES, entity_set_name
from .templating import braced

MULTI_VALUE = {"in", "not-in", "between", "not-between", "in-fiscal-period-and-year"}


class ConditionVM(NamedTuple):
    attribute: str
    operator: str
    value: str | None  # the `value` attribute; None when values are elements or absent
    values: tuple[str, ...] = ()


class ViewVM(NamedTuple):
    id: str
    name: str
    description: str
    query_type: int
    is_default: bool
    is_quick_find: bool
    can_be_deleted: bool
    customizable: bool
    grid_name: str
    row_name: str
    jump: str
    object_code: int | None
    primary_id: str
    cells: tuple[tuple[str, int], ...]
    entity: str
    attributes: tuple[str, ...]
    orders: tuple[tuple[str, bool], ...]
    conditions: tuple[ConditionVM, ...]
    find_columns: tuple[str, ...]


def _condition(c: ViewCondition) -> ConditionVM:
    if c.operator in MULTI_VALUE:
        values = tuple(v.strip() for v in c.value.split(",") if v.strip())
        return ConditionVM(c.attribute, c.operator, None, values)
    return ConditionVM(c.attribute, c.operator, c.value or None)


def _names(view: View, table: Table | None) -> tuple[str, str, str]:
    """(grid name, row name, jump column): lookup and associated grids name the entity set."""
    logical = view.table
    primary = table.primary_name if table else None
    jump = primary.logical_name if primary else (view.columns[0].name if view.columns else "")
    if view.type in ("lookup", "associated"):
        return entity_set_name(logical), logical, jump
    return "resultset", "result", jump


def view_model(view: View, table: Table | None, customizable: bool) -> ViewVM:
    primary_id = table.primary_id if table else f"{view.table}id"
    grid, row, jump = _names(view, table)
    columns = tuple(c.name for c in view.columns)
    attributes = (primary_id,) + tuple(c for c in columns if c != primary_id)
    system_view = view.type != "public" or view.is_default
    return ViewVM(
        id=braced(view.id),
        name=view.name,
        description=view.description,
        query_type=VIEW_QUERY_TYPES[view.type],
        is_default=view.is_default,
        is_quick_find=view.type == "quickfind",
        can_be_deleted=not system_view,
        customizable=customizable,
        grid_name=grid,
        row_name=row,
        jump=jump,
        object_code=SYSTEM_TYPE_CODES.get(view.table),
        primary_id=primary_id,
        cells=tuple((c.name, c.width) for c in view.columns),
        entity=view.table,
        attributes=attributes,
        orders=tuple((o.attribute, o.descending) for o in view.order),
        conditions=tuple(_condition(c) for c in view.conditions),
        find_columns=view.find_columns if view.type == "quickfind" else (),
    )
