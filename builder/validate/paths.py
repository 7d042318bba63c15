"""`validate_path`: whatever the path is, every layer's diagnostics together, sorted.

A `solution_src` folder goes through the loader (safe XML, the source XSDs) and then the
Dataverse rules; a solution or package goes through the XML, zip and output-schema layers
and, read back into the model, the same rules with the solution's own publisher.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import Diagnostic, diagnostic, located_in
from .baseline import baseline_version
from .layout import Target, open_target
from .outcome import Outcome
from .rules import check_project


def check_source(target: Target) -> Outcome:
    from ..sources.load import collect_project  # loads the source schemas: only for sources

    project, found = collect_project(Path(target.label), lenient=True)
    return Outcome(_located(found, target), project, project.version if project else None)


def check_target(target: Target) -> Outcome:
    from .configdata_check import check_configdata
    from .pkgcheck import check_package
    from .solution import check_solution

    if target.kind == "source":
        return check_source(target)
    if target.kind == "package":
        return check_package(target)
    if target.kind == "configdata":
        return check_configdata(target)
    return check_solution(target)


def validate_path(
    path: Path, *, strict: bool = False, baseline: Path | str | None = None
) -> list[Diagnostic]:
    """All diagnostics for `path`; with `strict`, warnings count as errors. Without the
    cyclic collector meanwhile: the layers and rules make and drop a model of tens of
    thousands of objects and no reference cycle worth a walk over them (~8% of a 20 MB
    validate)."""
    from ..read.solution import no_cycle_collection

    with no_cycle_collection():
        return _validate_path(path, strict, baseline)


def _validate_path(path: Path, strict: bool, baseline: Path | str | None) -> list[Diagnostic]:
    target, found = open_target(path)
    outcome = check_target(target) if target else Outcome()
    found += outcome.diagnostics
    old, old_found = baseline_version(baseline) if baseline else (None, [])
    found += old_found
    if outcome.project is not None:
        rules = check_project(
            outcome.project,
            baseline_version=old,
            baseline_label=str(baseline or ""),
            read_back=target is not None and target.kind != "source",
        )
        found += _located(rules, target) if target else rules
    elif old and outcome.version:
        found += _compare_versions(outcome.version, old, str(path), str(baseline))
    if strict:
        found = [replace(d, severity="error") for d in found]
    return sorted(set(found))


def _located(found: list[Diagnostic], target: Target) -> list[Diagnostic]:
    """Rule findings of sources carry paths relative to the source root: prefix the root.
    A model read from a zip may not know where a component was: name the zip then."""
    if target.kind == "source":
        return located_in(target.label, found)
    return [d if d.file else replace(d, file=target.label) for d in found]


def _compare_versions(new: str, old: str, label: str, old_label: str) -> list[Diagnostic]:
    """DV171 without a model (the rules could not run): compare the declared versions."""
    from .rules.identity import version_key

    newer, older = version_key(new), version_key(old)
    if newer is None or older is None or newer > older:
        return []
    return [
        diagnostic(
            "DV171",
            f"version {new} is not higher than {old} of {old_label}",
            file=label,
            hint="raise the version: Dataverse refuses to update a "
            "solution with a lower or equal one",
        )
    ]
