"""Read a solution or package into the model so the Dataverse rules can run on it.

`builder.read.solution` (the reader diff and unpack use) does the reading.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..archive.writer import zip_bytes
from ..errors import BuildError, Diagnostic, diagnostic
from ..model import Project
from ..read.package_project import read_package
from ..read.solution import read_entries, read_solution_folder, read_solution_zip
from ..xmlio.exported import Element
from .layout import Target

ModelResult = tuple[Project | None, list[Diagnostic]]


def _run(read: Callable[..., Any], source: Any, target: Target) -> ModelResult:
    """Call a reader; its BuildError becomes diagnostics, and so does a crash (a reader bug
    must not turn bad input into a traceback)."""
    try:
        return _project(read(source, target.label)), []
    except BuildError as error:
        return None, error.diagnostics
    except Exception as exc:  # noqa: BLE001 - reported as a diagnostic, not hidden
        return None, [
            diagnostic(
                "VAL031",
                f"reading the model failed: {type(exc).__name__}: {exc}",
                file=target.label,
                hint="this is a bug in voicepkg's reader; please report it",
            )
        ]


def _project(result: Any) -> Project:
    """Readers return a Project, or a result holding one (`.project`)."""
    project = result if isinstance(result, Project) else result.project
    assert isinstance(project, Project)
    return project


def read_solution_model(target: Target, customizations: Element | None = None) -> ModelResult:
    """The model of a solution target; `customizations`: its customizations.xml as already
    parsed (a zip's entries are read as they are, with that tree: nothing parsed twice)."""
    if target.kind == "unpacked":
        return _run(lambda source, _label: read_solution_folder(source), Path(target.label), target)
    if target.entries:  # already read and checked: read the model from them, not again
        return _run(
            lambda entries, label: read_entries(entries, label, customizations),
            target.entries,
            target,
        )
    return _run(read_solution_zip, target.data or zip_bytes(target.entries), target)


def read_package_model(target: Target) -> ModelResult:
    return _run(lambda source, _label: read_package(source), Path(target.label), target)
