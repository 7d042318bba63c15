"""The tables two solutions hold alike, byte for byte: comparing the two can leave them
unread on both sides (`read.solution.read_compared`).

An `<Entity>` whose text is the same in both customizations.xml files reads into the same
table, forms, views and command buttons on both sides, as long as what its reading takes
from outside the element is the same too:
- the solution's name, which every component carries;
- the 1:N relationships naming the table as the referencing one (its lookups' targets);
- the names of the views and forms its subgrids and quick views show (looked up among all
  entities), when it has any;
- for a virtual table, the data source elsewhere in the file: virtual tables are read.
Left out on both sides, such a table and what it holds make no difference in a diff, when
nothing pairs them with anything else: its forms' and views' ids are each the only one on
their side, and it has no command buttons (ids a ribbon names freely).

Where each entity starts, and when that can be trusted, is `xmlio/spans.entity_starts`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from lxml import etree

from ..xmlio.exported import Element, ctext, kids, parse_guid
from ..xmlio.spans import entity_starts
from .entities import component_names, saved_queries, system_forms
from .tables import Lookup, entity_schema_name, is_new_table, lookup_columns

# where a form looks up the name of a view or form (a superset: any under FormXml)
_LOOKS_UP = etree.XPath("FormXml//ViewId | FormXml//QuickFormId")
# Command buttons (their ids, which a ribbon names freely, pair them), or a virtual table's
# data provider (its reading looks for the data source elsewhere in the file); a superset
# of where `read_commands` and `read_table` find them.
_READS_OUTSIDE = etree.XPath(
    "boolean(RibbonDiffXml[1]/CustomActions[1]/CustomAction"
    " | EntityInfo[1]/entity[1]/DataProviderId[1][normalize-space()])"
)
_VIEW_IDS = etree.XPath("Entity/SavedQueries/savedqueries/savedquery/savedqueryid")
_FORM_IDS = etree.XPath("Entity/FormXml/forms/systemform/formid")


@dataclass(frozen=True)
class Side:
    """One solution as the comparison sees it before reading it."""

    solution: str  # its unique name
    data: bytes  # customizations.xml
    codec: str  # its encoding
    entities: Element | None  # <Entities>
    lookups: list[Lookup]  # every 1:N relationship's lookup

    @cached_property
    def starts(self) -> list[int]:
        """Where each entity starts in `data`, in order; none when the bytes do not show
        it (`xmlio.spans.entity_starts`). The read's remainders take them too (read/kept.py)."""
        return entity_starts(self.data, len(kids(self.entities, "Entity")))


@dataclass(frozen=True)
class Twin:
    """What reading a twin table would have told about its relationships, worked out
    from its element (one side's) when asked."""

    entity: Element

    @cached_property
    def new(self) -> bool:
        """The solution creates the table (`is_new_table`)."""
        return is_new_table(self.entity)

    @cached_property
    def lookups(self) -> frozenset[str]:
        """Its lookup columns (`lookup_columns`)."""
        return frozenset(lookup_columns(self.entity))


def twin_tables(old: Side, new: Side) -> dict[str, Twin]:
    """The tables whose `<Entity>` both sides hold alike, with the same context (module
    docstring), by logical name: those a comparison may leave unread on both sides."""
    if old.solution != new.solution or old.codec != new.codec or old.codec != "utf-8":
        return {}
    if old.entities is None or new.entities is None or old.entities.nsmap != new.entities.nsmap:
        return {}
    before, after = entity_texts(old), entity_texts(new)
    once = _unique_ids(old) & _unique_ids(new)
    lookups = (_by_referencing(old.lookups), _by_referencing(new.lookups))
    twins = {
        name: entity
        for name, (text, entity) in before.items()
        if name in after
        and after[name][0] == text
        and not _READS_OUTSIDE(entity)
        and lookups[0].get(name, []) == lookups[1].get(name, [])
        and all(i in once for i in _ids(entity))
    }
    looking = [name for name, entity in twins.items() if _LOOKS_UP(entity)]
    if looking and _names(old, twins) != _names(new, twins):
        for name in looking:
            del twins[name]
    return {name: Twin(entity) for name, entity in twins.items()}


def entity_texts(side: Side) -> dict[str, tuple[bytes, Element]]:
    """Each entity's text and element, by table logical name (a name more than one entity
    has is left out); nothing when the bytes do not show where each one starts."""
    data, entities, starts = side.data, kids(side.entities, "Entity"), side.starts
    if not starts:
        return {}
    texts: dict[str, tuple[bytes, Element]] = {}
    names: Counter[str] = Counter()
    for start, end, entity in zip(starts, [*starts[1:], len(data)], entities, strict=True):
        name = _name(entity)
        names[name] += 1
        texts[name] = (data[start:end], entity)
    return {name: text for name, text in texts.items() if names[name] == 1}


def _ids(entity: Element) -> list[tuple[str, uuid.UUID | None]]:
    """The ids of an entity's views and forms as its reading takes them (None where one
    has none: it gets a new one each time it is read)."""
    return [("view", parse_guid(ctext(q, "savedqueryid"))) for q in saved_queries(entity)] + [
        ("form", parse_guid(ctext(f, "formid"))) for _, f in system_forms(entity)
    ]


def _unique_ids(side: Side) -> set[tuple[str, uuid.UUID | None]]:
    """The view and form ids found once on this side (a superset of where readings take
    them from, so an id taken twice is never among them)."""
    counts = Counter(
        (kind, parse_guid(e.text))
        for kind, ids in (("view", _VIEW_IDS), ("form", _FORM_IDS))
        for e in ids(side.entities)
    )
    return {i for i, n in counts.items() if n == 1 and i[1] is not None}


def _by_referencing(lookups: Iterable[Lookup]) -> dict[str, list[Lookup]]:
    found: dict[str, list[Lookup]] = {}
    for lookup in lookups:
        found.setdefault(lookup.referencing, []).append(lookup)
    return found


def _names(side: Side, twins: dict[str, Element]) -> object:
    """The view and form names of the entities other than `twins`. The twins' own are the
    same on both sides, and each id of theirs is found once: both sides' names are the
    same when these are."""
    others = [e for e in kids(side.entities, "Entity") if _name(e) not in twins]
    return component_names(others)


def _name(entity: Element) -> str:
    return entity_schema_name(entity).lower()
