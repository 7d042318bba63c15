"""One solution (a zip, its unzipped folder, or a SolutionPackager folder): safe XML, the
entries an import needs, solution.xml and [Content_Types].xml against our schemas,
customizations.xml against Microsoft's, and the model for the Dataverse rules."""

from __future__ import annotations

import posixpath

from lxml import etree

from ..dataverse.solution_parts import CONTENT_TYPES
from ..errors import Diagnostic, diagnostic
from .layout import Target, find_entry
from .modelread import read_solution_model
from .msschema import check_customizations
from .outcome import Outcome, child_text, parse_entries
from .outschema import check_ours

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# (entry in a zip, entry in a SolutionPackager folder, code when missing)
REQUIRED = (
    ("solution.xml", "Other/Solution.xml", "VAL010"),
    ("customizations.xml", "Other/Customizations.xml", "VAL011"),
)


def manifest_name(target: Target) -> str:
    return "Other/Solution.xml" if target.kind == "unpacked" else "solution.xml"


def check_solution(target: Target) -> Outcome:
    roots, found = parse_entries(target)
    found += _required(target)
    manifest = _entry_root(target, roots, manifest_name(target))
    if manifest is not None:
        found += check_ours(manifest[1], "solution", target.name(manifest[0]))
    customizations = _entry_root(target, roots, _customizations_name(target))
    if customizations is not None:
        name = customizations[0]
        found += check_customizations(customizations[1], target.name(name), target.entries[name])
    found += _content_types(target, roots)
    version = child_text(manifest[1], "SolutionManifest", "Version") if manifest else None
    tree = customizations[1] if customizations is not None else None
    project, read = read_solution_model(target, tree) if not _fatal(found) else (None, [])
    return Outcome(found + read, project, version, trees=roots)


def _customizations_name(target: Target) -> str:
    return "Other/Customizations.xml" if target.kind == "unpacked" else "customizations.xml"


def _entry_root(
    target: Target, roots: dict[str, etree._Element], name: str
) -> tuple[str, etree._Element] | None:
    entry = find_entry(target.entries, name)
    return (entry, roots[entry]) if entry is not None and entry in roots else None


def _required(target: Target) -> list[Diagnostic]:
    found = []
    for zipped, unpacked, code in REQUIRED:
        name = unpacked if target.kind == "unpacked" else zipped
        if find_entry(target.entries, name) is None:
            found.append(
                diagnostic(
                    code,
                    f"{name} is missing",
                    file=target.name(name),
                    hint="a solution holds solution.xml and customizations.xml "
                    "at its root; is this the right zip?",
                )
            )
    if target.kind != "unpacked" and find_entry(target.entries, CONTENT_TYPES) is None:
        found.append(
            diagnostic(
                "VAL012",
                f"{CONTENT_TYPES} is missing",
                file=target.name(CONTENT_TYPES),
                hint="Dataverse's importer reads it first; build the zip again",
            )
        )
    return found


def _content_types(target: Target, roots: dict[str, etree._Element]) -> list[Diagnostic]:
    """[Content_Types].xml follows our schema and names every extension in the zip."""
    found = _entry_root(target, roots, CONTENT_TYPES)
    if found is None:
        return []
    name, root = found
    problems = check_ours(root, "content_types", target.name(name))
    declared = {(d.get("Extension") or "").lower() for d in root.iter(f"{CT_NS}Default")}
    for extension in sorted(_extensions(target) - declared):
        problems.append(
            diagnostic(
                "VAL013",
                f"no content type for the .{extension} entries",
                file=target.name(name),
                line=root.sourceline,
                hint='add <Default Extension="..." ContentType="application/octet-stream" />',
            )
        )
    overridden = {(o.get("PartName") or "").lower() for o in root.iter(f"{CT_NS}Override")}
    for part in sorted(_extensionless(target)):
        if "/" + part.lower() not in overridden:
            problems.append(
                diagnostic(
                    "VAL014",
                    f"no content type for the part {part} (it has no extension)",
                    file=target.name(name),
                    line=root.sourceline,
                    hint=f'add <Override PartName="/{part}" ContentType="application/octet-stream" '
                    "/> as Dataverse's exports do",
                )
            )
    return problems


def _extensionless(target: Target) -> set[str]:
    """Files of the zip whose name has no extension (directory entries are not parts)."""
    return {
        name
        for name in target.entries
        if not name.endswith("/") and not posixpath.splitext(name)[1]
    }


def _extensions(target: Target) -> set[str]:
    out = set()
    for name in target.entries:
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        if extension and name != CONTENT_TYPES:
            out.add(extension)
    return out


def _fatal(found: list[Diagnostic]) -> bool:
    """Problems that make reading the model pointless (no manifest, unparsable XML)."""
    return any(d.code in ("VAL010", "VAL011") or d.code.startswith("XML") for d in found)
