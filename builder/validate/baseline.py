"""The version of the release a new one replaces (`--baseline OLD`): read from what OLD
declares (project.xml, solution.xml, or the first solution of a package), without the model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..archive.safezip import read_zip
from ..errors import BuildError, Diagnostic, diagnostic
from ..xmlio.safe import parse_xml, read_xml
from .layout import Target, find_entry, open_target, zip_target
from .outcome import child_text
from .solution import manifest_name


def baseline_version(path: Path | str) -> tuple[str | None, list[Diagnostic]]:
    """The version OLD declares, and why it could not be read when it could not. OLD may be
    `git:REF`: the sources' project.xml at that revision of the working directory's repo."""
    if str(path).startswith("git:"):
        return _git_version(str(path)[4:])
    path = Path(path)
    target, found = open_target(path)
    version = declared_version(target) if target else None
    if version is None and not found:
        found = [
            diagnostic(
                "VAL040",
                "cannot tell the baseline's version",
                file=str(path),
                hint="pass the previous release's zip, package or sources",
            )
        ]
    return version, [replace(d, code="VAL040", message=f"baseline: {d.message}") for d in found]


def declared_version(target: Target) -> str | None:
    try:
        if target.kind == "source":
            return (
                str(read_xml(str(Path(target.label) / "project.xml")).get("version") or "") or None
            )
        solution = _first_solution(target) if target.kind == "package" else target
        root = parse_xml(_entry(solution, manifest_name(solution)), solution.label)
        return child_text(root, "SolutionManifest", "Version")
    except (BuildError, KeyError):
        return None


def _entry(target: Target, name: str) -> bytes:
    return target.entries[find_entry(target.entries, name) or name]


def _first_solution(package: Target) -> Target:
    """The first solution zip ImportConfig.xml names."""
    config = parse_xml(_entry(package, "ImportConfig.xml"), package.label)
    first = config.find("solutions/configsolutionfile")
    name = first.get("solutionpackagefilename") if first is not None else None
    data = _entry(package, name or "")
    return zip_target(package.label, read_zip(data, package.label), data)


def _git_version(rev: str) -> tuple[str | None, list[Diagnostic]]:
    from ..diff.sides import SOURCE_DIR, _git

    if not rev or rev.startswith("-"):
        return None, [
            diagnostic(
                "VAL040",
                f"baseline: {rev!r} is not a git revision",
                file=f"git:{rev}",
                hint="e.g. --baseline git:v1.2.0",
            )
        ]
    try:
        top = _git(["rev-parse", "--show-toplevel"], Path.cwd()).decode().strip()
        data = _git(["show", f"{rev}:{SOURCE_DIR}/project.xml"], Path(top))
        version = str(parse_xml(data, f"git:{rev}").get("version") or "") or None
    except BuildError as error:
        return None, [
            replace(d, code="VAL040", message=f"baseline: {d.message}") for d in error.diagnostics
        ]
    return version, []
