"""`voicepkg unpack`: a solution zip (ours, or exported from Dataverse) as `solution_src/`.

Components the model holds are written as source files; components it holds only in part,
and every part it does not cover, are written under `raw/` exactly as exported, with a
warning, never dropped. Each written source is checked against the source schemas: one that
would not load is kept as exported too. The tree is written to a temporary folder beside
the target and renamed into place, so a failure leaves nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import BuildError, Diagnostic, diagnostic
from ..fsio import check_output_folder
from ..model import Project, RawPart
from ..model.kinds import BY_FIELD, KINDS, owner_key
from ..read.solution import Fallback, SolutionRead
from ..sources.units import Key, Unit, assemble_files, problems, raw_path, source_units
from .tree import write_tree
from .verify import frame_parts, load_files, mismatches, rebuilds_whole, trim_roots


@dataclass
class Unpacked:
    files: dict[str, bytes]
    kept_whole: list[Fallback] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


# Components made of record-shaped zip entries: their columns the model does not write can
# stay beside the sources as the exported row (the build merges the two, render/frame.py).
RECORD_KINDS = frozenset(k.label for k in KINDS if k.zip_rows)
TABLE, CHOICE, ROLE, APP, RESOURCE, TAB, SESSION = (
    BY_FIELD[name].label
    for name in (
        "tables",
        "global_choices",
        "roles",
        "apps",
        "web_resources",
        "tab_templates",
        "session_templates",
    )
)


def unpack_read(read: SolutionRead) -> Unpacked:
    """The source files of a read solution (or package): pure, no disk but a temp folder
    where the candidate sources are loaded to prove they rebuild the export."""
    alternates = {(f.kind, f.key): f for f in read.alternates}
    demoted = {(f.kind, f.key) for f in read.fallbacks}
    frames = frame_parts(read) if read.originals else []
    reasons: dict[Key, str] = {}
    rows: set[Key] = set()  # record components carrying their exported rows
    unowned: list[str] = []  # what the build adds that no component answers for
    while True:
        project, units, demoted = _candidate(read, alternates, demoted)
        kept_rows = [
            p for k in sorted(rows - demoted) for p in alternates[k].parts if not p.section
        ]
        extra = tuple(frames) + tuple(kept_rows)
        files = assemble_files(replace(project, raw_parts=project.raw_parts + extra), units)
        if not read.originals:
            break
        loaded = load_files(files)
        everything = mismatches(read, loaded)
        unowned = [m.part for m in everything if m.key == ("", "")]
        found = [m for m in everything if m.key not in demoted and m.key != ("", "")]
        if not found:
            break
        for m in found:
            if m.key[0] in RECORD_KINDS and m.key not in rows:
                rows.add(m.key)
            else:
                demoted.add(m.key)
                reasons[m.key] = m.part
    if read.originals and not (demoted or rows or read.project.raw_parts):
        plain = assemble_files(project, units)
        if rebuilds_whole(read, load_files(plain)):
            files, frames = plain, []  # the sources alone say it all: no frame beside them
    if frames:
        files = _with_trimmed_roots(files, frames, loaded, read.managed)
    kept = [alternates[k] for k in sorted(demoted) if k in alternates]
    warnings = _warnings(read, kept, reasons) + _row_warnings(read, sorted(rows - demoted))
    warnings += [
        diagnostic(
            "UNP012",
            f"the build adds {what}, which the export lacks: that cannot round-trip",
            file=read.project.root,
        )
        for what in unowned
    ]
    return Unpacked(files, kept, warnings)


def _with_trimmed_roots(
    files: dict[str, bytes], frames: list[RawPart], loaded: Project, managed: bool
) -> dict[str, bytes]:
    """The frames' solution.xml without the root components the sources give (see
    `trim_roots`)."""
    out = dict(files)
    for frame in frames:
        if frame.path == "solution.xml":
            out[raw_path(frame)] = trim_roots(frame, loaded, managed).content
    return out


def _row_warnings(read: SolutionRead, keys: list[Key]) -> list[Diagnostic]:
    return [
        diagnostic(
            "UNP011",
            f"{kind} {key}: the columns its sources do not hold are kept from the export "
            "(raw/.../entries/ beside them) and merged into it when built",
            file=read.project.root,
        )
        for kind, key in keys
    ]


def _candidate(
    read: SolutionRead, alternates: dict[Key, Fallback], demoted: set[Key]
) -> tuple[Project, list[Unit], set[Key]]:
    """The project without the demoted components, and its source units; a component whose
    sources would not load is demoted too."""
    while True:
        demoted = demoted | _dependents(read.project, demoted)
        kept = [alternates[k] for k in sorted(demoted) if k in alternates]
        # marked, so diff leaves out what the built solution could not carry (diff/scope.py)
        project = replace(without(read.project, kept), unpacked=True)
        units = source_units(project)
        failed = {
            u.key for u in units if u.key in alternates and u.key not in demoted and problems(u)
        }
        if not failed:
            break
        demoted = demoted | failed
    bad = [p for u in units for p in problems(u)]
    if bad:
        raise BuildError(bad)
    return project, units, demoted


def _warnings(
    read: SolutionRead, kept: list[Fallback], reasons: dict[Key, str]
) -> list[Diagnostic]:
    items = list(read.warnings)
    for f in kept:
        if f.reasons:
            continue
        part = reasons.get((f.kind, f.key))
        why = (
            f"the sources would not rebuild {part} as exported"
            if part
            else "its sources would not load"
        )
        items.append(
            diagnostic(
                "UNP010",
                f"{f.kind} {f.key} is kept as exported: {why}",
                file=read.project.root,
            )
        )
    return items


def without(project: Project, kept: list[Fallback]) -> Project:
    """`project` with the kept-whole components taken out and their exported parts in."""
    drop: dict[str, set[str]] = {}
    for f in kept:
        drop.setdefault(f.kind, set()).add(f.key)

    def stays(item: Any) -> bool:
        kind, name = owner_key(item)
        return name not in drop.get(kind, set())

    fields: dict[str, Any] = {
        k.field: tuple(i for i in getattr(project, k.field) if stays(i))
        for k in KINDS
        if k.solution_aware and k.field != "raw_parts"
    }
    parts = _merge_parts(project.raw_parts, kept)
    return replace(
        project,
        raw_parts=tuple(sorted(parts, key=BY_FIELD["raw_parts"].key)),
        **fields,
    )


def _merge_parts(parts: tuple[RawPart, ...], kept: list[Fallback]) -> list[RawPart]:
    merged = {(p.solution, p.section, p.path): p for p in parts}
    for f in kept:
        merged.update({(p.solution, p.section, p.path): p for p in f.parts})
    return list(merged.values())


def _dependents(project: Project, demoted: set[Key]) -> set[Key]:
    """Components that name a component kept as exported must be kept so too: the render
    could no longer resolve the name."""
    out: set[Key] = set()
    gone_resources = {k for kind, k in demoted if kind == RESOURCE}
    gone_choices = {k for kind, k in demoted if kind == CHOICE}
    gone_tables = {k for kind, k in demoted if kind == TABLE}
    for form in project.forms:
        if gone_resources & (set(form.libraries) | {e.library for e in form.events}):
            out.add((TABLE, form.table))
    for command in project.commands:
        if gone_resources & {command.library, command.icon}:
            out.add((TABLE, command.table))
    for table in project.tables:
        if gone_choices & {c.global_choice for c in table.columns}:
            out.add((TABLE, table.logical_name))
    gone_ids = (
        {f.id for f in project.forms if f.table in gone_tables}
        | {v.id for v in project.views if v.table in gone_tables}
        | {r.id for r in project.roles if (ROLE, r.name) in demoted}
    )
    for app in project.apps:
        if gone_ids & set(app.forms + app.views + app.roles) or app.icon in gone_resources:
            out.add((APP, app.unique_name))
    gone_tabs = {k for kind, k in demoted if kind == TAB}
    for session in project.session_templates:
        if gone_tabs & {session.anchor_tab, *session.additional_tabs}:
            out.add((SESSION, session.unique_name))
    return out - demoted


# --- writing -----------------------------------------------------------------------------


def read_for_unpack(source: Path) -> SolutionRead:
    """A solution zip or folder, or a package (folder or zip), read for unpacking."""
    from ..archive.package_layout import find_import_config
    from ..archive.safezip import read_zip
    from ..read.package_project import read_package_files
    from ..read.solution import read_entries
    from ..read.solution_folder import folder_entries, read_folder

    files = read_folder(source) if source.is_dir() else read_zip(source, str(source))
    if find_import_config(files, str(source)) is not None:
        return read_package_files(files, str(source))
    entries = folder_entries(source) if source.is_dir() else files
    return read_entries(entries, str(source))


def unpack_path(source: Path, out: Path, force: bool = False) -> Unpacked:
    """Read `source`, turn it into sources and write them to `out` in one step."""
    check_output_folder(out, inputs=(source,), force=force)
    result = unpack_read(read_for_unpack(source))
    write_tree(out, result.files, force, (source,))
    return result
