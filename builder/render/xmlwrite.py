"""Plain Python writers for the hottest parts of customizations.xml: a column's
`<attribute>` (with its option set and labels), called from the templates.

A table of 200 has some 36 attributes, each of ~40 lines: written as jinja2 macros they
took most of a large render (a macro call per element, autoescape per value, each line
re-indented by every enclosing `|indent`). These writers produce the same text, each line
at the indentation it is asked for, escaping each value once exactly as the templates do
(`esc`). The shapes are those of the real exports (see cz_attributes.py for the sources).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from markupsafe import Markup

from ..dataverse.languages import ENGLISH as LANG
from .cz_attributes import AttrVM, OptionSetVM, shared_columns

_SPECIAL = re.compile("[&<>\"'\r\n]")


def esc(value: Any) -> str:
    """A value as the templates write it: XML-escaped the way markupsafe escapes, with
    line breaks as character references (templating.keep_line_breaks)."""
    if type(value) is str:
        return _escape_text(value)
    if type(value) is int or isinstance(value, Markup):  # Markup: already safe
        return str(value)
    return _escape(str(value))


@lru_cache(maxsize=1 << 16)
def _escape_text(text: str) -> str:
    """Names, types and labels recur across the tables of a solution: each escaped once."""
    return _escape(text)


def _escape(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    text = (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )
    return text.replace("\r", "&#13;").replace("\n", "&#10;")


def bit(value: bool) -> str:
    return "1" if value else "0"


def labels(out: list[str], pad: str, outer: str, inner: str, text: str) -> None:
    out.append(f"{pad}<{outer}>")
    out.append(f'{pad}  <{inner} description="{esc(text)}" languagecode="{LANG}" />')
    out.append(f"{pad}</{outer}>")


def labels_xml(outer: str, inner: str, text: str) -> Markup:
    """The `labels` macro of macros.xml.j2 (its one implementation)."""
    out: list[str] = []
    labels(out, "", outer, inner, text)
    return Markup("\n".join(out))


def optionset(out: list[str], pad: str, os: OptionSetVM, attrs: str = "") -> None:
    """`attrs`: attribute text written as it is (already escaped by the caller)."""
    out.append(f'{pad}<optionset Name="{esc(os.name)}"{attrs}>')
    out.append(f"{pad}  <OptionSetType>{esc(os.type)}</OptionSetType>")
    if os.is_global:
        out.append(f"{pad}  <IsGlobal>1</IsGlobal>")
    out.append(f"{pad}  <IntroducedVersion>{esc(os.version)}</IntroducedVersion>")
    out.append(f"{pad}  <IsCustomizable>{bit(os.customizable)}</IsCustomizable>")
    labels(out, pad + "  ", "displaynames", "displayname", os.display_name)
    labels(out, pad + "  ", "Descriptions", "Description", os.description)
    inner = pad + "      "
    if os.type == "state":
        out.append(f"{pad}  <states>")
        for o in os.options:
            out.append(
                f'{pad}    <state value="{esc(o.value)}" defaultstatus='
                f'"{esc(o.default_status)}" invariantname="{esc(o.invariant)}">'
            )
            labels(out, inner, "labels", "label", o.label)
            out.append(f"{pad}    </state>")
        out.append(f"{pad}  </states>")
    elif os.type == "status":
        out.append(f"{pad}  <statuses>")
        for o in os.options:
            out.append(f'{pad}    <status value="{esc(o.value)}" state="{esc(o.state)}">')
            labels(out, inner, "labels", "label", o.label)
            out.append(f"{pad}    </status>")
        out.append(f"{pad}  </statuses>")
    else:
        out.append(f"{pad}  <options>")
        for o in os.options:
            out.append(f'{pad}    <option value="{esc(o.value)}">')
            labels(out, inner, "labels", "label", o.label)
            if o.description:
                labels(out, inner, "Descriptions", "Description", o.description)
            out.append(f"{pad}    </option>")
        out.append(f"{pad}  </options>")
    out.append(f"{pad}</optionset>")


# (element, AttrVM field) written only when the field is set, in the exports' order
_OPTIONAL = (("Format", "format"), ("MaxLength", "max_length"), ("Length", "length"))


def attribute(out: list[str], pad: str, a: AttrVM) -> None:
    """One `<attribute>`; a shared system column's text is written once per indentation."""
    shared = _shared_text(pad).get(id(a))
    if shared is not None and shared[0] is a:
        out.append(shared[1])
    else:
        _attribute(out, pad, a)


@cache
def _shared_text(pad: str) -> dict[int, tuple[AttrVM, str]]:
    """The text of each shared system column (cz_attributes.shared_columns: made once, so
    alive as long as this cache), by the column's identity."""
    texts = {}
    for a in shared_columns():
        out: list[str] = []
        _attribute(out, pad, a)
        texts[id(a)] = (a, "\n".join(out))
    return texts


def _attribute(out: list[str], pad: str, a: AttrVM) -> None:
    p = pad + "  "
    name = esc(a.name)
    out += [
        f'{pad}<attribute PhysicalName="{esc(a.physical)}">',
        f"{p}<Type>{esc(a.type)}</Type>",
        f"{p}<Name>{name}</Name>",
        f"{p}<LogicalName>{name}</LogicalName>",
    ]
    out += [f"{p}<{esc(k)}>{esc(v)}</{esc(k)}>" for k, v in a.extra.items()]
    out.append(f"{p}<RequiredLevel>{esc(a.required)}</RequiredLevel>")
    if a.mask is not None:
        out.append(f"{p}<DisplayMask>{esc(a.mask)}</DisplayMask>")
    out += [
        f"{p}<ImeMode>{esc(a.ime)}</ImeMode>",
        f"{p}<ValidForUpdateApi>{bit(a.valid_update)}</ValidForUpdateApi>",
        f"{p}<ValidForReadApi>{bit(a.valid_read)}</ValidForReadApi>",
        f"{p}<ValidForCreateApi>{bit(a.valid_create)}</ValidForCreateApi>",
        f"{p}<IsCustomField>{bit(a.custom)}</IsCustomField>",
        f"{p}<IsAuditEnabled>{bit(a.audit)}</IsAuditEnabled>",
    ]
    if a.logical:
        out.append(f"{p}<IsLogical>1</IsLogical>")
    out += [
        f"{p}<IsSecured>0</IsSecured>",
        f"{p}<IntroducedVersion>{esc(a.version)}</IntroducedVersion>",
        f"{p}<IsCustomizable>{bit(a.customizable)}</IsCustomizable>",
        f"{p}<IsRenameable>1</IsRenameable>",
        f"{p}<CanModifySearchSettings>1</CanModifySearchSettings>",
        f"{p}<CanModifyRequirementLevelSettings>{bit(a.requirement_modifiable)}"
        "</CanModifyRequirementLevelSettings>",
        f"{p}<CanModifyAdditionalSettings>1</CanModifyAdditionalSettings>",
        f"{p}<SourceType>0</SourceType>",
        f"{p}<IsGlobalFilterEnabled>0</IsGlobalFilterEnabled>",
        f"{p}<IsSortableEnabled>0</IsSortableEnabled>",
        f"{p}<CanModifyGlobalFilterSettings>1</CanModifyGlobalFilterSettings>",
        f"{p}<CanModifyIsSortableSettings>1</CanModifyIsSortableSettings>",
        f"{p}<IsDataSourceSecret>0</IsDataSourceSecret>",
    ]
    for tag, field in _OPTIONAL:
        value = getattr(a, field)
        if value is not None:
            out.append(f"{p}<{tag}>{esc(value)}</{tag}>")
    if a.min_value is not None:
        out += [
            f"{p}<MinValue>{esc(a.min_value)}</MinValue>",
            f"{p}<MaxValue>{esc(a.max_value)}</MaxValue>",
        ]
    for tag, value in (
        ("Accuracy", a.accuracy),
        ("AccuracySource", a.accuracy_source),
        ("CalculationOf", a.calculation_of),
    ):
        if value is not None:
            out.append(f"{p}<{tag}>{esc(value)}</{tag}>")
    if a.datetime_behavior is not None:
        out += [
            f"{p}<CanChangeDateTimeBehavior>{bit(a.datetime_changeable)}"
            "</CanChangeDateTimeBehavior>",
            f"{p}<Behavior>{esc(a.datetime_behavior)}</Behavior>",
        ]
    for tag, value in (("AppDefaultValue", a.app_default), ("OptionSetName", a.optionset_name)):
        if value is not None:
            out.append(f"{p}<{tag}>{esc(value)}</{tag}>")
    if a.optionset is not None:
        optionset(out, p, a.optionset)
    if a.lookup_types is not None:
        out.append(f"{p}<LookupStyle>single</LookupStyle>")
        if a.lookup_types:
            out.append(f"{p}<LookupTypes>")
            out += [
                f'{p}  <LookupType id="00000000-0000-0000-0000-000000000000">{esc(code)}'
                "</LookupType>"
                for code in a.lookup_types
            ]
            out.append(f"{p}</LookupTypes>")
        else:
            out.append(f"{p}<LookupTypes />")
    labels(out, p, "displaynames", "displayname", a.display_name)
    labels(out, p, "Descriptions", "Description", a.description)
    out.append(f"{pad}</attribute>")
