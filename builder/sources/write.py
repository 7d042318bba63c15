"""A `Project` as `solution_src/` source files (the format of docs/source-format.md).

The inverse of `load`: one function per source kind builds the XML element, leaving out
attributes that hold the model's default so the files read like hand-written ones. Ids
are always written, so an unpacked component keeps the id it has in Dataverse. Kinds
converted to the field mapping are one `mapped.write` call each.
This module holds the shared helpers, the project file, tables and global choices; forms,
views, roles, apps and commands are in write_ui.py, the data-shaped sources in
write_data.py.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import BuildError
from ..model import GlobalChoice, Project, Table
from .mapped import Element, element, write

Files = dict[str, tuple[str, Element | bytes]]  # path -> (source kind, element or payload)


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
    write(p.publisher, "publisher", root)
    for s in p.solutions:
        write(s, "solution", root)
    return root


def table_file(t: Table) -> Element:
    return write(t, "table")


def global_choice_file(c: GlobalChoice) -> Element:
    return write(c, "global-choice")
