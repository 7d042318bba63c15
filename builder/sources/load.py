"""`solution_src/` -> `Project`: the only reader of sources (format: docs/source-format.md).

Every `*.xml` under the source root is one source file; its root element names its kind
(`<table>`, `<form>`, ...: `model.kinds`) and the XSD `builder/sources/schemas/<schema>.xsd`
it must satisfy.
Exceptions: payloads in subfolders of `webresources/`, and everything under `raw/`.
Each file is parsed with `xmlsafe`, validated, then turned into model components; all
problems of all files are collected, sorted and reported together.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..errors import BuildError, Diagnostic, diagnostic
from ..fsio import walk_files
from ..model import Project, Publisher, SolutionDef, Src
from ..model.kinds import BY_ROOT
from ..xmlio.safe import read_xml_file
from . import channels, security, ui  # noqa: F401 (each registers its kinds' parsers)
from . import schema as load_xsd
from .assemble import assemble
from .elements import Context, Source, children, flag, src, text
from .mapped import load
from .parsers import parser_of
from .raw import load_raw

_VERSION = re.compile(r"\d{1,9}\.\d{1,9}\.\d{1,9}\.\d{1,9}", re.ASCII)  # not "１"
Header = tuple[Publisher, tuple[SolutionDef, ...], str]


def load_project(src: Path | str, version: str | None = None) -> Project:
    """Load the sources; raise one BuildError carrying every problem found."""
    project, diagnostics = collect_project(src, version)
    if project is None:
        raise BuildError(diagnostics)
    return project


def collect_project(
    src: Path | str, version: str | None = None, *, lenient: bool = False
) -> tuple[Project | None, list[Diagnostic]]:
    """Load the sources without raising: the project (None on any error) and all findings.

    `lenient` (validate): a file with schema errors is reported, then read without the
    attributes and elements at fault (`load_xsd.repaired`), and the project is returned
    despite errors, so the Dataverse rules report the rest of the tree in the same run. Not
    when a file could not be read at all: rules over a tree missing it would report what it
    declares as missing everywhere else."""
    root = Path(src)
    if not root.is_dir():
        found = diagnostic(
            "SRC011", "source folder not found", file=str(root), hint="pass the solution_src folder"
        )
        return None, [found]
    ctx = Context(root, lenient=lenient)
    sources = read_sources(root, ctx)
    header = _header(sources, version, ctx)
    parts = [p for s in sources if s.root.tag != "project" for p in _parse(s, ctx)]
    parts += load_raw(root, ctx)
    project = assemble(header, parts, str(root), ctx) if header else None
    if project is not None and _unpacked(sources):
        project = replace(project, unpacked=True)
    findings = sorted(ctx.diagnostics)
    if any(d.severity == "error" for d in findings) and not (lenient and ctx.complete):
        return None, findings
    return project, findings


# --- reading files --------------------------------------------------------------------------


def source_files(root: Path) -> list[Path]:
    """The source XML files under `root`, by path (web resource payloads and raw/ excluded).
    Every file of the tree is looked at: an unreadable folder, a FIFO or a link out of the
    tree is an error (fsio.walk_files), never skipped."""
    return [
        p
        for p in walk_files(root, "", skip_hidden=True)
        if p.suffix == ".xml" and not _excluded(p.relative_to(root).parts)
    ]


def _excluded(parts: tuple[str, ...]) -> bool:
    if any(part.startswith(".") for part in parts) or parts[0] == "raw":
        return True
    return parts[0] == "webresources" and len(parts) > 2


def read_sources(root: Path, ctx: Context) -> list[Source]:
    """Parse and validate every source file; keep the valid ones, report the others."""
    sources = []
    try:
        paths = source_files(root)
    except BuildError as error:
        ctx.diagnostics.extend(error.diagnostics)
        ctx.complete = False
        return []
    for path in paths:
        source = _read(path, path.relative_to(root).as_posix(), ctx)
        if source is not None:
            sources.append(source)
        else:
            ctx.complete = False
    return sources


def _read(path: Path, file: str, ctx: Context) -> Source | None:
    try:
        data, element = read_xml_file(str(path), file)
    except BuildError as error:
        ctx.diagnostics.extend(error.diagnostics)
        return None
    kind = "project" if element.tag == "project" else _schema(str(element.tag))
    if not kind:
        ctx.diagnostics.append(_unknown_root(element, file))
        return None
    source = Source(file, path, element, data)
    problems = load_xsd.validate(element, kind, file, lambda: source.lines)
    ctx.diagnostics.extend(problems)
    if not problems:
        return source
    repaired = load_xsd.repaired(element, kind) if ctx.lenient else None
    return Source(file, path, repaired, data) if repaired is not None else None


def _schema(root: str) -> str:
    """The source schema of files with this root element ("" for none)."""
    source = BY_ROOT[root].source if root in BY_ROOT else None
    return source.schema if source else ""


def _unknown_root(element: etree._Element, file: str) -> Diagnostic:
    known = ", ".join(sorted(["project", *BY_ROOT]))
    return diagnostic(
        "SRC001",
        f"unknown source kind <{element.tag}>",
        file=file,
        line=element.sourceline,
        hint=f"the root element must be one of: {known}",
    )


def _parse(source: Source, ctx: Context) -> list[object]:
    try:
        return parser_of(BY_ROOT[str(source.root.tag)])(source, ctx)
    except (ValueError, OverflowError) as exc:  # the XSD should have caught it: say where
        ctx.error(
            "SRC002",
            f"cannot read this file: {exc}",
            src(source, source.root),
            hint="check the values against docs/source-format.md",
        )
        return []


# --- project.xml ----------------------------------------------------------------------------


def _header(sources: list[Source], version: str | None, ctx: Context) -> Header | None:
    found = [s for s in sources if s.root.tag == "project"]
    if len(found) != 1:
        _project_count_error(found, ctx)
        return None
    source = found[0]
    el = source.root
    base = [s for s in children(el, "solution") if text(s, "role") == "base"]
    ctx.default_solution = text(base[0], "unique-name") if base else ""
    checked = _version(version, text(el, "version"), source, ctx)
    return (_publisher(source, ctx), _solutions(source, ctx), checked) if checked else None


def _unpacked(sources: list[Source]) -> bool:
    """project.xml says unpack wrote the tree from a built solution."""
    return any(flag(s.root, "unpacked") for s in sources if s.root.tag == "project")


def _project_count_error(found: list[Source], ctx: Context) -> None:
    if any(d.file == "project.xml" for d in ctx.diagnostics):
        return  # project.xml exists but is broken: that error is already reported
    if not found:
        ctx.diagnostics.append(
            diagnostic(
                "SRC011",
                "no project.xml in the source folder",
                file="project.xml",
                hint="create project.xml with the publisher and the solutions",
            )
        )
    for extra in found[1:]:
        ctx.error(
            "SRC020",
            "a second <project> file",
            src(extra, extra.root),
            hint=f"keep only one; the first is {found[0].file}",
        )


def _version(given: str | None, declared: str, source: Source, ctx: Context) -> str:
    value = given if given is not None else declared
    if _VERSION.fullmatch(value or ""):
        return value
    what = "the version argument" if given is not None else "project.xml version"
    where = src(source, source.root) if given is None else Src("", 0)
    ctx.error(
        "SRC012",
        f"{what} '{value}' is not four numeric parts",
        where,
        hint="write it like 1.0.0.0 (major.minor.build.revision)",
    )
    return ""


def _publisher(source: Source, ctx: Context) -> Publisher:
    return load(Publisher, source, children(source.root, "publisher")[0], ctx)


def _solutions(source: Source, ctx: Context) -> tuple[SolutionDef, ...]:
    found = [load(SolutionDef, source, s, ctx) for s in children(source.root, "solution")]
    return tuple(sorted(found, key=lambda s: (s.import_order, s.unique_name)))
