"""Data-shaped solution files: one XML element per row, one child per column.

Environment variable definitions, custom APIs and the SCF rows of the multisession solution
(channel provider, session/notification templates, ...) are all exported this way: the root
element is the table's logical name with the row's key as attribute, children are the
column logical names in alphabetical order, booleans 0/1, choices as integers, localizable
text as `default=` plus a `<label>`, lookups to other solution rows by their unique name.
N:N rows are `<relationship>set` elements of customizations.xml (render_intersect).
"""

from collections.abc import Iterable
from typing import Literal, NamedTuple

from .templating import LCID, render_text, render_xml

FieldKind = Literal["text", "label", "lookup"]


class Field(NamedTuple):
    name: str  # column logical name
    value: str
    kind: FieldKind = "text"
    key: str = "msdyn_uniquename"  # lookup: the key column of the target row


class Record(NamedTuple):
    element: str  # table logical name
    key_attribute: str  # msdyn_uniquename, schemaname, uniquename
    key: str
    fields: tuple[Field, ...]


def text(name: str, value: object) -> Field:
    return Field(name, str(value))


def flag(name: str, value: bool) -> Field:
    return Field(name, "1" if value else "0")


def label(name: str, value: str) -> Field:
    return Field(name, value, "label")


def lookup(name: str, unique_name: str) -> Field:
    return Field(name, unique_name, "lookup")


def record(element: str, key_attribute: str, key: str, fields: Iterable[Field | None]) -> Record:
    """A row; `None` fields (optional columns left empty) are dropped, the rest sorted."""
    kept = sorted((f for f in fields if f is not None), key=lambda f: f.name)
    return Record(element, key_attribute, key, tuple(kept))


def optional(field: Field) -> Field | None:
    return field if field.value else None


def render_record(row: Record) -> bytes:
    return render_xml("record.xml.j2", record=row, lcid=LCID)


class IntersectRow(NamedTuple):
    left_attribute: str  # msdyn_sessiontemplateid.msdyn_uniquename
    left: str
    right_attribute: str
    right: str

    def attributes(self) -> list[tuple[str, str]]:
        """Both keys, by attribute name, as exports write them."""
        return sorted([(self.left_attribute, self.left), (self.right_attribute, self.right)])


def render_intersect(relationship: str, rows: Iterable[IntersectRow]) -> str:
    """`<relationship>set` as a child of customizations.xml's <ImportExportXml>, where every
    real export (corpus2: DCCP, Contoso) writes the msdyn_ N:N sets, indented to sit there."""
    ordered = sorted(rows, key=lambda r: (r.left, r.right))
    return render_text("intersect_set.xml.j2", relationship=relationship, rows=ordered)
