"""The platform facts of builder/dataverse/ against what uses them and what Dataverse exports:
the render writes exactly the system columns the facts name, a real export of a new table
carries no system column the facts do not know, and the default ranges are the ones real
exports write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.archive.safezip import read_zip
from builder.dataverse.column_types import NUMBER_RANGES
from builder.dataverse.system_columns import (
    ACTIVITY_COLUMNS,
    AUDIT_COLUMNS,
    CURRENCY_COLUMNS,
    NEW_TABLE_COLUMNS,
    ORGANIZATION_COLUMNS,
    OWNER_COLUMNS,
    STAMP_COLUMNS,
)
from builder.model import Column, Ownership, Table
from builder.read.records import MULTISESSION_FOLDERS
from builder.render.cz_attributes import system_columns
from builder.xmlio.safe import parse_xml

JRSASING = Path("JRSasing+crm-dynamics-365", "solution", "Entities")
ROW_FOLDERS = {"environmentvariabledefinitions", "customapis", *MULTISESSION_FOLDERS}


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


def test_solution_rows_of_real_exports_carry_no_stamp_column(corpus: Path, corpus2: Path) -> None:
    """A row's remainder leaves out STAMP_COLUMNS (what a save stamps); the data-shaped rows
    real solutions hold carry none of them, but do carry the state and status columns the
    remainder keeps (docs/architecture.md, 'the remainder')."""
    rows = [p.read_bytes() for p in corpus.rglob("*.xml") if p.parent.parent.name in ROW_FOLDERS]
    for path in corpus2.glob("zips/*.zip"):
        entries = read_zip(path, str(path))
        rows += [
            data
            for name, data in entries.items()
            if name.split("/")[0] in ROW_FOLDERS and name.endswith(".xml")
        ]
    columns = {
        str(c.tag) for data in rows for c in parse_xml(data, "row") if isinstance(c.tag, str)
    }
    assert len(rows) > 100
    assert {"statecode", "statuscode", "iscustomizable"} <= columns
    assert not columns & STAMP_COLUMNS
