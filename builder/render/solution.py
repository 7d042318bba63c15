"""All zip entries of one solution: manifest, customizations, payloads and data-shaped parts."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from ..dataverse.solution_parts import CONTENT_TYPES
from ..errors import BuildError
from ..model import Project, RawPart, SolutionDef, WebResource
from .cz_webresources import web_resource_entry_path
from .frame import FRAME_ENTRIES, apply_frame, merge_record
from .manifest import render_solution_xml
from .multisession import multisession_files
from .templating import render_xml
from .variables_apis import custom_api_files, environment_variable_files


def render_solution(project: Project, solution: str, managed: bool) -> dict[str, bytes]:
    """Every entry of the solution zip `solution` (a SolutionDef unique name)."""
    entries = render_parts(project, solution, managed)
    _add(entries, {"customizations.xml": _customizations(project, solution, managed)})
    parts = project.in_solution(solution).raw_parts
    frames = {p.path: p.content for p in parts if not p.section and p.path in FRAME_ENTRIES}
    known = _known_sections()
    extra = [(p.section, p.content) for p in parts if p.section and p.section not in known]
    return apply_frame(with_content_types(entries), frames, extra)


def render_parts(project: Project, solution: str, managed: bool) -> dict[str, bytes]:
    """Everything but customizations.xml and [Content_Types].xml."""
    definition = solution_def(project, solution)
    part = project.in_solution(solution)
    entries = {"solution.xml": render_solution_xml(project, definition, managed)}
    for files in (
        web_resource_files(part.web_resources),
        environment_variable_files(part),
        custom_api_files(part),
        multisession_files(part),
    ):
        _add(entries, files)
    for path, data in raw_entries(part.raw_parts).items():
        if path in entries and path.endswith(".xml") and entries[path] != data:
            entries[path] = merge_record(entries[path], data, path)  # a row as exported
        else:
            _add(entries, {path: data})
    return entries


def solution_def(project: Project, solution: str) -> SolutionDef:
    found = project.solution(solution)
    if found is None:
        known = ", ".join(s.unique_name for s in project.solutions) or "none"
        raise BuildError.at(
            "BLD101",
            f"no solution named {solution!r} (declared: {known})",
            hint="use the UniqueName of a solution declared in the sources",
        )
    return found


def with_content_types(entries: Mapping[str, bytes]) -> dict[str, bytes]:
    """Add [Content_Types].xml as every real export has it (corpus2, 64 of 64 zips): a
    Default per file extension present and an Override per part without an extension
    (web resources, canvas app parts...), so that every part has a content type."""
    paths = [*entries, CONTENT_TYPES]
    extensions = sorted({ext for p in paths if (ext := _extension(p))})
    overrides = sorted("/" + p for p in paths if not _extension(p) and not p.endswith("/"))
    body = render_xml("content_types.xml.j2", extensions=extensions, overrides=overrides)
    return {**entries, CONTENT_TYPES: b"\xef\xbb\xbf" + body}


def _extension(path: str) -> str:
    name = posixpath.basename(path)
    return name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""


def web_resource_files(resources: Iterable[WebResource]) -> dict[str, bytes]:
    """Payloads at the path customizations.xml's FileName points to."""
    return {web_resource_entry_path(w): w.content for w in resources}


def raw_entries(parts: Iterable[RawPart]) -> dict[str, bytes]:
    """RawParts that are whole zip entries (the others go inside customizations.xml; an
    exported solution's frame entries are merged by `apply_frame`)."""
    return {p.path: p.content for p in parts if not p.section and p.path not in FRAME_ENTRIES}


def _known_sections() -> frozenset[str]:
    from .customizations import SECTIONS

    return frozenset(name for name, _ in SECTIONS)


def _customizations(project: Project, solution: str, managed: bool) -> bytes:
    from .customizations import render_customizations  # the big one: imported when used

    return render_customizations(project, solution, managed)


def _add(entries: dict[str, bytes], files: Mapping[str, bytes]) -> None:
    """Merge `files` into `entries`; two components writing one path is a source error."""
    for path, data in files.items():
        if path in entries and entries[path] != data:
            raise BuildError.at(
                "BLD102",
                f"two components write the zip entry {path}",
                hint="rename one of them; zip entry names must be unique",
            )
        entries[path] = data
