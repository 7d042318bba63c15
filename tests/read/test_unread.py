"""The one way read records what it consumes (`read/unread.py`): whatever a reader does not
ask for through a `Reading` or a `Row`, and only that, is the component's remainder."""

from __future__ import annotations

import uuid

from builder.model import Role
from builder.model.remainder import Remainder, Unread
from builder.read.records import data_row, read_row
from builder.read.unread import Reading, keep_unread
from builder.xmlio.safe import parse_xml

ROLE = b"""<Role id="{00000000-0000-0000-0000-000000000001}" name="R" extra="x">
  <IsAutoAssigned>0</IsAutoAssigned>
  <Description>d</Description>
  <RolePrivileges>
    <RolePrivilege name="prvA" level="Global" isinherited="1"/>
    <RolePrivilege name="prvB" level="Basic"/>
  </RolePrivileges>
  <Note>first</Note>
  <Note>second</Note>
</Role>"""


def _where(parts: list[Unread]) -> dict[str, str]:
    return {p.where: p.content for p in parts}


def test_what_a_reading_is_not_asked_for_is_unread() -> None:
    role = Reading(parse_xml(ROLE, "role.xml"))
    assert role.get("name") == "R" and role.text("Description") == "d"
    listed = role.child("RolePrivileges")
    assert listed is not None
    assert [p.get("level") for p in listed.kids("RolePrivilege", "name")] == ["Global", "Basic"]
    assert role.child("Note") is not None  # the first only
    assert _where(role.unread()) == {
        "@id": "{00000000-0000-0000-0000-000000000001}",
        "@extra": "x",
        "IsAutoAssigned": "0",
        "RolePrivileges/RolePrivilege[prvA]/@name": "prvA",
        "RolePrivileges/RolePrivilege[prvA]/@isinherited": "1",
        "RolePrivileges/RolePrivilege[prvB]/@name": "prvB",
        "Note[2]": "second",
    }


def test_a_row_s_unread_columns_leave_out_the_stamps() -> None:
    row = read_row(
        b"<t k='1'><a>1</a><b><label description='x' languagecode='1033'/></b>"
        b"<c>3</c><modifiedon>2024-01-01</modifiedon></t>",
        "t.xml",
    )
    assert row.get("a") == "1"
    assert _where(row.unread()) == {
        "t 1/b": '<b><label description="x" languagecode="1033"></label></b>',
        "t 1/c": "3",
    }
    record = parse_xml(
        b'<record id="9"><field name="n" value="v"/><field name="m" value="w"/></record>',
        "data.xml",
    )
    data = data_row("e", record)
    assert data.cell("n") == "v"
    assert _where(data.unread()) == {"e 9/m": "w"}


def test_keep_unread_gives_the_component_its_remainder_outside_equality() -> None:
    role = Role(id=uuid.UUID(int=1), name="R")
    reading = Reading(parse_xml(b"<Role><X>1</X></Role>", "r.xml"))
    kept = keep_unread(role, reading)
    assert kept.remainder == Remainder((Unread("X", "1"),))
    assert kept == role  # the model says the same: the remainder is not part of ==
    assert keep_unread(role, Reading(parse_xml(b"<Role/>", "r.xml"))) is role
