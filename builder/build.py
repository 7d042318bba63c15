"""Build the solution zips and the Package Deployer package from `solution_src/`.

load -> check -> render -> zip. Everything returns {relative output path: bytes}; nothing is
written here, so the CLI can write all outputs atomically or none (`package.write_outputs`).

Package layout (deploy reads it back), that of a real Package Deployer package without its
.NET assembly (corpus2 pd-package-CRMP2C/ENTRIES.tsv):
    VoiceForD365_1_2_3_4_managed.zip, VoiceForD365_1_2_3_4_unmanaged.zip, ... per solution
    VoiceForD365Package/                 the package folder a package project ships unchanged:
        ImportConfig.xml, the managed zips, VoiceForD365ConfigData.zip,
        Content/en-us/WelcomeHtml/Default.htm, Content/en-us/EndHtml/Default.htm
    VoiceForD365Package_1_2_3_4.zip      that folder (as a folder) and [Content_Types].xml,
                                         where Package Deployer's zip also has the assembly
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .archive.writer import zip_bytes
from .errors import BuildError, Diagnostic, located_in, raise_if_errors
from .model import Project
from .render.names import (
    config_data_name,
    ordered_solutions,
    package_name,
    package_zip_name,
    solution_zip_name,
)

VERSION = re.compile(r"\d+\.\d+\.\d+\.\d+")
TAG = re.compile(r"(?:refs/tags/)?[vV]?(\d{1,9}(?:\.\d{1,9}){1,3})", re.ASCII)


Warn = Callable[[Diagnostic], None]


def build_solutions(
    src: Path,
    *,
    version: str | None = None,
    managed: bool = True,
    unmanaged: bool = False,
    on_warning: Warn | None = None,
    ignore: frozenset[str] = frozenset(),
) -> dict[str, bytes]:
    """{zip file name: zip bytes} for every solution, managed and/or unmanaged."""
    project = load_checked(src, version, on_warning, ignore)
    return solution_files(project, managed=managed, unmanaged=unmanaged)


def build_package(
    src: Path,
    *,
    version: str | None = None,
    on_warning: Warn | None = None,
    ignore: frozenset[str] = frozenset(),
) -> dict[str, bytes]:
    """{relative path: bytes} of the package folder and of the package zip."""
    return package_files(load_checked(src, version, on_warning, ignore))


def version_from_tag(text: str) -> str:
    """A release tag as a four-part version: `1.2.0`, `v1.2.0` and `refs/tags/v1.2.0` mean
    1.2.0.0; `v1.2.0.42` (a CI run number in the fourth part) stays 1.2.0.42. A usage error
    (exit 2) for anything else."""
    match = TAG.fullmatch(text.strip())
    if match is None:
        raise BuildError.at(
            "BLD001",
            f"version {text!r} is not a version or release tag",
            hint="pass e.g. --version 1.2.0.0, 1.2.0 or v1.2.0 (the fourth "
            "part may be a CI run number: 1.2.0.42)",
            exit_code=2,
        )
    parts = [str(int(p)) for p in match.group(1).split(".")]
    return ".".join(parts + ["0"] * (4 - len(parts)))


def load_checked(
    src: Path,
    version: str | None = None,
    on_warning: Warn | None = None,
    ignore: frozenset[str] = frozenset(),
) -> Project:
    """Load the sources, stamp the version, and refuse a project with rule errors.
    Warnings of the Dataverse rules go to `on_warning` when the build goes on. Every
    diagnostic names its file as seen from the working directory (under `src`); codes in
    `ignore` are dropped."""
    if version is not None:
        version = version_from_tag(version)
    from .sources.load import load_project  # the loader pulls in the source schemas: load on use

    try:
        project = load_project(src, version)  # stamps `version`, checks the sources' one
    except BuildError as error:
        kept = _under_src(src, [d for d in error.diagnostics if d.code not in ignore])
        raise BuildError(kept or error.diagnostics, error.exit_code) from None
    from .validate import check_project  # the Dataverse rules

    findings = _under_src(src, [d for d in check_project(project) if d.code not in ignore])
    raise_if_errors(findings)
    if on_warning is not None:
        for warning in findings:
            on_warning(warning)
    return project


def _under_src(src: Path, found: list[Diagnostic]) -> list[Diagnostic]:
    return located_in(str(src), found)


# --- from a loaded project ---------------------------------------------------------------


def solution_files(
    project: Project, *, managed: bool = True, unmanaged: bool = False
) -> dict[str, bytes]:
    from .render import render_solution

    kinds = [kind for kind, wanted in ((True, managed), (False, unmanaged)) if wanted]
    files: dict[str, bytes] = {}
    for solution in ordered_solutions(project):
        for is_managed in kinds:
            entries = render_solution(project, solution.unique_name, is_managed)
            files[solution_zip_name(solution, project.version, is_managed)] = zip_bytes(entries)
    return files


def package_files(project: Project) -> dict[str, bytes]:
    from .render import render_config_data, render_import_config
    from .render.pkgcontent import render_content_pages
    from .render.solution import with_content_types

    zips = solution_files(project, managed=True)
    names = {s.unique_name: solution_zip_name(s, project.version, True) for s in project.solutions}
    config_name = config_data_name(project)
    inner = {
        "ImportConfig.xml": render_import_config(project, names, config_name),
        config_name: zip_bytes(render_config_data(project)),
        **zips,
        **render_content_pages(project),
    }
    folder = package_name(project)
    files = {f"{folder}/{name}": data for name, data in inner.items()}
    files[package_zip_name(project)] = zip_bytes(with_content_types(files))
    return files
