"""A Configuration Migration data zip: data.xml and data_schema.xml against our schemas, and
the two consistent with each other (every record's entity and field declared, ids unique)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..errors import Diagnostic, diagnostic
from .layout import Target, find_entry
from .outcome import Outcome, parse_entries
from .outschema import check_ours

FILES = (("data.xml", "cmt_data"), ("data_schema.xml", "cmt_data_schema"))


def check_configdata(target: Target) -> Outcome:
    roots, found = parse_entries(target)
    parsed: dict[str, tuple[str, etree._Element]] = {}
    for name, schema in FILES:
        entry = find_entry(target.entries, name)
        if entry is None:
            found.append(
                diagnostic(
                    "VAL026",
                    f"{name} is missing",
                    file=target.name(name),
                    hint="a configuration data zip holds data.xml and data_schema.xml",
                )
            )
        elif entry in roots:
            found += check_ours(roots[entry], schema, target.name(entry))
            parsed[name] = (target.name(entry), roots[entry])
    if len(parsed) == 2:
        found += list(_consistency(parsed["data.xml"], parsed["data_schema.xml"][1]))
    return Outcome(found)


def _declared(schema: etree._Element) -> dict[str, set[str]]:
    """{entity: {field, ...}} from data_schema.xml."""
    return {
        e.get("name") or "": {f.get("name") or "" for f in e.iterfind("fields/field")}
        for e in schema.iterfind("entity")
    }


def _consistency(data: tuple[str, etree._Element], schema: etree._Element) -> Iterator[Diagnostic]:
    file, root = data
    declared = _declared(schema)
    for entity in root.iterfind("entity"):
        name = entity.get("name") or ""
        if name not in declared:
            yield diagnostic(
                "VAL027",
                f"entity {name!r} has records but data_schema.xml does not declare it",
                file=file,
                line=entity.sourceline,
                hint="declare the entity and its fields in data_schema.xml",
            )
            continue
        yield from _records(file, entity, declared[name])


def _records(file: str, entity: etree._Element, fields: set[str]) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for record in entity.iterfind("records/record"):
        ident = (record.get("id") or "").lower()
        if ident in seen:
            yield diagnostic(
                "VAL028",
                f"record {ident} appears twice",
                file=file,
                line=record.sourceline,
                hint="give every record its own id",
            )
        seen.add(ident)
        for field in record.iterfind("field"):
            if field.get("name") not in fields:
                yield diagnostic(
                    "VAL027",
                    f"field {field.get('name')!r} is not declared for "
                    f"{entity.get('name')} in data_schema.xml",
                    file=file,
                    line=field.sourceline,
                    hint="declare the field in data_schema.xml or drop it",
                )
