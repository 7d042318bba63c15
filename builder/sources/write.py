"""A `Project` as `solution_src/` source files (the format of docs/source-format.md).

The inverse of `load`: one function per source kind builds the XML element, leaving out
attributes that hold the model's default so the files read like hand-written ones. Ids
are always written, so an unpacked component keeps the id it has in Dataverse.
This module holds the shared helpers, the project file, tables and global choices; forms,
views, roles, apps and commands are in unpack_write_ui.py, the data-shaped sources in
unpack_write_data.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeAlias

from lxml import etree

from ..errors import BuildError
from ..model import (
    Column,
    GlobalChoice,
    Project,
    Table,
)

Element: TypeAlias = etree._Element
Files = dict[str, tuple[str, Element | bytes]]  # path -> (source kind, element or payload)


def element(
    tag: str, attrs: Iterable[tuple[str, Any]] = (), parent: Element | None = None
) -> Element:
    """An element with the attributes whose value is not None/""/False-by-default."""
    clean = {k: _text(v) for k, v in attrs if v is not None and v != "" and v != ()}
    return etree.SubElement(parent, tag, clean) if parent is not None else etree.Element(tag, clean)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def non_default(value: bool, default: bool) -> bool | None:
    return None if value == default else value


def file_slug(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-.")
    return cleaned.lower()[:80] or "item"


def to_bytes(element: Element) -> bytes:
    etree.indent(element, space="  ")
    return bytes(etree.tostring(element, xml_declaration=True, encoding="utf-8")) + b"\n"


# --- project, tables, choices ------------------------------------------------------------


_EXPORTED_VERSION = re.compile(r"\d{1,9}(\.\d{1,9}){1,3}", re.ASCII)


def four_part(version: str, where: str = "") -> str:
    """Sources always say four parts; an export may say two or three. Anything else is
    refused, never rewritten (`1.x` is not `1.0.0.0`)."""
    if not _EXPORTED_VERSION.fullmatch(version):
        raise BuildError.at(
            "UNP005",
            f"solution version {version!r} is not two to four numbers (major.minor[.build"
            "[.revision]])",
            file=where,
            hint="Dataverse exports never write such a version; fix <Version> in solution.xml",
        )
    parts = version.split(".")
    return ".".join(parts + ["0"] * (4 - len(parts)))


def _manifest(root: str) -> str:
    """Where the version of a read solution came from, for messages."""
    return f"{root}!solution.xml" if root.lower().endswith(".zip") else root


def project_file(p: Project) -> Element:
    root = element(
        "project",
        [
            ("version", four_part(p.version, _manifest(p.root))),
            ("unpacked", non_default(p.unpacked, False)),
        ],
    )
    pub = p.publisher
    element(
        "publisher",
        [
            ("unique-name", pub.unique_name),
            ("display-name", pub.display_name),
            ("prefix", pub.prefix),
            ("option-value-prefix", pub.option_value_prefix),
            ("description", pub.description),
            ("email", pub.email),
            ("website", pub.website),
        ],
        root,
    )
    for s in p.solutions:
        element(
            "solution",
            [
                ("unique-name", s.unique_name),
                ("display-name", s.display_name),
                ("role", s.role),
                ("import-order", s.import_order),
                ("description", s.description),
            ],
            root,
        )
    return root


def table_file(t: Table) -> Element:
    root = element(
        "table",
        [
            ("schema-name", t.schema_name),
            ("display-name", t.display_name),
            ("plural-name", t.plural_name),
            ("description", t.description),
            ("solution", t.solution),
            ("existing", non_default(t.existing, False)),
            ("ownership", None if t.ownership == "user" else t.ownership),
            ("is-activity", non_default(t.is_activity, False)),
        ],
    )
    if t.virtual is not None:
        v = t.virtual
        element(
            "virtual",
            [
                ("data-provider", v.data_provider),
                ("external-name", v.external_name),
                ("url-variable", v.url_variable),
                ("key-external-name", v.key_external_name),
            ],
            root,
        )
    for column in t.columns:
        _column(column, root)
    for key in t.keys:
        element(
            "key",
            [
                ("schema-name", key.schema_name),
                ("display-name", key.display_name),
                ("columns", key.columns),
            ],
            root,
        )
    for reason in t.status_reasons:
        element(
            "status-reason",
            [("value", reason.value), ("label", reason.label), ("state", reason.state)],
            root,
        )
    return root


def _column(c: Column, parent: Element) -> None:
    el = element(
        "column",
        [
            ("schema-name", c.schema_name),
            ("type", c.type),
            ("display-name", c.display_name),
            ("description", c.description),
            ("required", None if c.required == "none" else c.required),
            ("max-length", c.given("max_length")),
            ("format", c.given("format")),
            ("min-value", c.given("min_value")),
            ("max-value", c.given("max_value")),
            ("precision", c.given("precision")),
            ("global-choice", c.global_choice),
            ("default-option", c.default_option),
            ("false-label", None if c.boolean_labels[0] == "No" else c.boolean_labels[0]),
            ("true-label", None if c.boolean_labels[1] == "Yes" else c.boolean_labels[1]),
            ("default-boolean", non_default(c.default_boolean, False)),
            ("targets", c.targets),
            ("relationship", c.relationship),
            ("is-primary-name", non_default(c.is_primary_name, False)),
            ("audit", non_default(c.audit, True)),
            ("external-name", c.external_name),
        ],
        parent,
    )
    for o in c.options:
        element(
            "option", [("value", o.value), ("label", o.label), ("description", o.description)], el
        )


def global_choice_file(c: GlobalChoice) -> Element:
    root = element(
        "global-choice",
        [
            ("name", c.name),
            ("display-name", c.display_name),
            ("description", c.description),
            ("solution", c.solution),
        ],
    )
    for o in c.options:
        element(
            "option", [("value", o.value), ("label", o.label), ("description", o.description)], root
        )
    return root
