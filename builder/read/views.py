"""An exported `savedquery` as a model `View`: grid columns (layoutxml), and-ed conditions,
sort order and quick find columns (fetchxml).

Queries the model cannot express (linked tables, nested or or-ed filters, aggregates, view
types other than public, advanced find, associated, quick find and lookup) are named in
`reasons`. What the reader leaves unread of the `savedquery` is the view's remainder, found
when asked (read/kept.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from lxml import etree

from ..model import VIEW_QUERY_TYPES, View, ViewColumn, ViewCondition, ViewOrder
from ..xmlio.exported import (
    Children,
    Element,
    Node,
    cbool,
    child,
    cint,
    ctext,
    kids,
    localized,
    parse_guid,
    to_int,
)
from .kept import Reader, Scope, kept

_TYPES_BY_CODE = {code: name for name, code in VIEW_QUERY_TYPES.items()}
_AGGREGATES = etree.XPath(".//@aggregate")  # compiled once: a view is read in microseconds


@dataclass
class ViewRead:
    view: View
    reasons: list[str] = field(default_factory=list)


def read_view(element: Element, table: str, solution: str, scope: Scope | None = None) -> ViewRead:
    """`scope`: the entity the view is in (its file's spans and its index), for telling two
    versions of the view equal by their bytes (read/kept.py)."""
    reasons: list[str] = []
    query = Children(element)  # eight look-ups follow
    code = cint(query, "querytype") or 0
    if code not in _TYPES_BY_CODE:
        reasons.append(f"a view of query type {code}")
    if element.get("unmodified") == "1":
        reasons.append("an unmodified view shell")
    if cbool(query, "isprivate"):
        reasons.append("a private view")
    entity = child(child(child(query, "fetchxml"), "fetch"), "entity")
    conditions, find_columns = _filters(entity, reasons)
    view = View(
        id=parse_guid(ctext(query, "savedqueryid")) or uuid.uuid4(),
        table=table,
        name=localized(query, "LocalizedNames", "LocalizedName"),
        type=_TYPES_BY_CODE.get(code, "public"),  # type: ignore[arg-type]
        is_default=cbool(query, "isdefault"),
        description=localized(query, "Descriptions", "Description"),
        columns=_columns(query),
        conditions=conditions,
        order=tuple(
            ViewOrder(o.get("attribute", ""), o.get("descending", "false") == "true")
            for o in kids(entity, "order")
        ),
        find_columns=find_columns,
        solution=solution,
        remainder=kept(element, _again(table, solution), scope),
    )
    if entity is not None and (kids(entity, "link-entity") or _AGGREGATES(entity)):
        reasons.append("a view over linked tables or aggregates")
    return ViewRead(view, reasons)


def _again(table: str, solution: str) -> Reader:
    def read(element: Element) -> tuple[()]:
        read_view(element, table, solution)
        return ()

    return read


def _columns(query: Node) -> tuple[ViewColumn, ...]:
    row = child(child(child(query, "layoutxml"), "grid"), "row")
    return tuple(
        ViewColumn(c.get("name", ""), to_int(c.get("width"), 150))
        for c in kids(row, "cell")
        if c.get("ishidden") != "1"
    )


def _filters(
    entity: Element | None, reasons: list[str]
) -> tuple[tuple[ViewCondition, ...], tuple[str, ...]]:
    conditions: list[ViewCondition] = []
    find_columns: list[str] = []
    for flt in kids(entity, "filter"):
        if flt.get("isquickfindfields") == "1":
            find_columns += [c.get("attribute", "") for c in kids(flt, "condition")]
            continue
        if flt.get("type", "and") != "and" or kids(flt, "filter"):
            reasons.append("a view filter that is not a plain 'and' of conditions")
        conditions += [_condition(c) for c in kids(flt, "condition")]
    return tuple(conditions), tuple(find_columns)


def _condition(condition: Element) -> ViewCondition:
    values = [(v.text or "").strip() for v in kids(condition, "value")]
    value = ",".join(values) if values else condition.get("value", "")
    return ViewCondition(condition.get("attribute", ""), condition.get("operator", ""), value)
