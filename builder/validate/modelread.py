"""Read a solution or package into the model so the Dataverse rules can run on it.

`builder.read` (the reader diff and unpack use) does the reading. Until it can read a given
layout, the rules are skipped with a warning that says so, rather than silently.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import BuildError, Diagnostic, diagnostic
from ..model import Project
from ..package import zip_bytes
from .layout import Target

ModelResult = tuple[Project | None, list[Diagnostic]]


def _reader(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("builder.read")
    except ImportError:
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


def _skipped(target: Target, why: str) -> ModelResult:
    return None, [diagnostic("VAL030", f"Dataverse rules not run: {why}", file=target.label,
                             severity="warning",
                             hint="validate the zip that `voicepkg build` or an export wrote")]


def _run(read: Callable[..., Any], source: Path | bytes, target: Target) -> ModelResult:
    """Call a reader; its BuildError becomes diagnostics, and so does a crash (a reader bug
    must not turn bad input into a traceback)."""
    try:
        return _project(read(source, target.label)), []
    except BuildError as error:
        return None, error.diagnostics
    except Exception as exc:  # noqa: BLE001 - reported as a diagnostic, not hidden
        return None, [diagnostic("VAL031", f"reading the model failed: {type(exc).__name__}: "
                                 f"{exc}", file=target.label,
                                 hint="this is a bug in voicepkg's reader; please report it")]


def _project(result: Any) -> Project:
    """Readers return a Project, or a result holding one (`.project`)."""
    project = result if isinstance(result, Project) else result.project
    assert isinstance(project, Project)
    return project


def read_solution_model(target: Target) -> ModelResult:
    if target.kind == "unpacked":
        folder = _reader("read_solution_folder")
        if folder is None:
            return _skipped(target, "a SolutionPackager folder is not read into the model "
                                    "(pack it with `pac solution pack`, then validate the zip)")
        return _run(lambda source, _label: folder(source), Path(target.label), target)
    read = _reader("read_solution_zip")
    if read is None:
        return _skipped(target, "the solution reader (builder.read) is not available")
    source = target.data or zip_bytes(target.entries)
    return _run(read, source, target)


def read_package_model(target: Target) -> ModelResult:
    read = _reader("read_package")
    if read is None:
        return _skipped(target, "the package reader (builder.read) is not available")
    return _run(lambda source, _label: read(source), Path(target.label), target)
