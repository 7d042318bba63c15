"""The platform facts of builder/dataverse/ against what uses them and what Dataverse exports:
the render writes exactly the system columns the facts name, a real export of a new table
carries no system column the facts do not know, and the default ranges are the ones real
exports write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.dataverse.column_types import NUMBER_RANGES
from builder.dataverse.system_columns import (
    ACTIVITY_COLUMNS,
    AUDIT_COLUMNS,
    CURRENCY_COLUMNS,
    NEW_TABLE_COLUMNS,
    ORGANIZATION_COLUMNS,
    OWNER_COLUMNS,
)
from builder.model import Column, Ownership, Table
from builder.render.cz_attributes import system_columns

JRSASING = Path("JRSasing+crm-dynamics-365", "solution", "Entities")


def _rendered(table: Table) -> set[str]:
    return {a.name for a in system_columns(table)} - {table.primary_id}


@pytest.mark.parametrize(
    "ownership, money, expected",
    [
        ("user", False, AUDIT_COLUMNS | OWNER_COLUMNS),
        ("organization", False, AUDIT_COLUMNS | ORGANIZATION_COLUMNS),
        ("user", True, AUDIT_COLUMNS | OWNER_COLUMNS | CURRENCY_COLUMNS),
    ],
)
def test_the_render_writes_the_system_columns_the_facts_name(
    ownership: Ownership, money: bool, expected: frozenset[str]
) -> None:
    columns = (Column("x_Price", "money", "Price"),) if money else ()
    table = Table("x_Thing", "Thing", ownership=ownership, columns=columns)
    # versionnumber: the platform adds it on import; exports of custom tables do not carry it
    assert _rendered(table) == expected - {"versionnumber"}


@pytest.mark.parametrize("entity", ["ract_Alerts", "ract_SMS", "ract_BranchVisit"])
def test_a_real_new_table_has_no_system_column_the_facts_do_not_know(
    corpus: Path, entity: str
) -> None:
    text = (corpus / JRSASING / entity / "Entity.xml").read_text(encoding="utf-8")
    system = set()
    for attribute in re.findall(r"<attribute PhysicalName=.*?</attribute>", text, re.S):
        if "<IsCustomField>0</IsCustomField>" in attribute and "<Type>primarykey<" not in attribute:
            system.add(re.findall(r'PhysicalName="([^"]+)"', attribute)[0].lower())
    assert system and system <= NEW_TABLE_COLUMNS
    if "<IsActivity>1</IsActivity>" in text:
        assert system | {"activityid"} >= ACTIVITY_COLUMNS


def test_real_exports_write_the_default_ranges(corpus: Path) -> None:
    found: dict[str, set[tuple[str, str]]] = {"int": set(), "money": set()}
    for path in (corpus / JRSASING).rglob("Entity.xml"):
        text = path.read_text(encoding="utf-8")
        for kind, low, high in re.findall(
            r"<Type>(int|money)</Type>.*?<MinValue>([^<]+)</MinValue>\s*<MaxValue>([^<]+)<",
            text,
            re.S,
        ):
            found[kind].add((low, high))
    integer, money = NUMBER_RANGES["integer"], NUMBER_RANGES["money"]
    assert (str(integer[0]), str(integer[1])) in found["int"]
    assert (str(money[0]), str(money[1])) in found["money"]
