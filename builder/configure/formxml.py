"""Click-to-dial on a form (guide 1.5.6), as a pure edit of the form's XML.

What the form editor writes when a field gets a code component (FormXml.xsd and real exports,
e.g. the ToggleControl fields of ../shared/reference/corpus): the field's `<control>` carries a
`uniqueid`, and `<controlDescriptions>` holds a `<controlDescription forControl="{uniqueid}">`
with the classic control (`<customControl id="{classid}">` with `<datafieldname>`) and one
`<customControl formFactor="0|1|2" name="...">` per client (web, phone, tablet: "select the
radio buttons" of the guide) whose `<value type="SingleLine.Phone">` binds the column.
A field that already has any code component is left alone (it has ours, or the
administrator chose another one). `<controlDescriptions>` is an element of `xs:all`, so where
it goes among the form's children does not matter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from lxml import etree

from ..xmlio.safe import parse_xml

NS = uuid.UUID("a3d3c1f2-5b1e-4c53-9d64-7f0f2a1c9e11")
FORM_FACTORS = ("0", "1", "2")  # web, phone, tablet


@dataclass(frozen=True)
class DialEdit:
    formxml: str | None  # None: nothing to change
    added: tuple[str, ...]
    kept: tuple[str, ...]  # already had a code component (ours or another)
    absent: tuple[str, ...]  # phone columns the form does not show


def add_dial_control(
    formxml: str,
    form_id: str,
    fields: tuple[str, ...],
    control: str,
) -> DialEdit:
    root = parse_xml(formxml.encode("utf-8"), f"systemform {form_id}")
    descriptions = root.find("controlDescriptions")
    described = {
        d.get("forControl", "").lower(): d
        for d in (descriptions if descriptions is not None else [])
    }
    added: list[str] = []
    kept: list[str] = []
    absent: list[str] = []
    for field in fields:
        controls = [
            c for c in root.iter("control") if c.get("datafieldname") == field and _in_body(c)
        ]
        if not controls:
            absent.append(field)
            continue
        for element in controls:
            unique = (element.get("uniqueid") or "").lower()
            if unique and _has_component(described.get(unique)):
                kept.append(field)
                continue
            if descriptions is None:
                descriptions = etree.SubElement(root, "controlDescriptions")
            if not unique:
                unique = "{" + str(uuid.uuid5(NS, f"{form_id}/{field}/{len(added)}")) + "}"
                element.set("uniqueid", unique)
            description = described.get(unique)
            if description is None:
                description = etree.SubElement(
                    descriptions, "controlDescription", forControl=unique
                )
            _describe(description, element, field, control)
            added.append(field)
    text = etree.tostring(root, encoding="unicode") if added else None
    return DialEdit(text, tuple(dict.fromkeys(added)), tuple(dict.fromkeys(kept)), tuple(absent))


def has_dial_control(formxml: str, field: str, control: str) -> bool:
    """The field shows `control` on the form (doctor's check)."""
    root = parse_xml(formxml.encode("utf-8"), "systemform")
    for element in root.iter("control"):
        if element.get("datafieldname") != field or not _in_body(element):
            continue
        unique = (element.get("uniqueid") or "").lower()
        for description in root.iterfind("controlDescriptions/controlDescription"):
            if description.get("forControl", "").lower() == unique and any(
                c.get("name") == control for c in description.iter("customControl")
            ):
                return True
    return False


def _in_body(element: etree._Element) -> bool:
    """A field control on the form (not a grid or one in the header's hidden data)."""
    return (
        element.getparent() is not None
        and element.getparent().tag == "cell"
        or (element.getparent() is not None and element.getparent().tag == "header")
    )


def _has_component(description: etree._Element | None) -> bool:
    return description is not None and any(c.get("name") for c in description.iter("customControl"))


def _describe(
    description: etree._Element, element: etree._Element, field: str, control: str
) -> None:
    if not any(c.get("id") for c in description.iter("customControl")) and element.get("classid"):
        classic = etree.SubElement(description, "customControl", id=element.get("classid", ""))
        etree.SubElement(etree.SubElement(classic, "parameters"), "datafieldname").text = field
    for factor in FORM_FACTORS:
        custom = etree.SubElement(description, "customControl", formFactor=factor, name=control)
        value = etree.SubElement(
            etree.SubElement(custom, "parameters"), "value", type="SingleLine.Phone"
        )
        value.text = field
