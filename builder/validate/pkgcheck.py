"""A Package Deployer package (folder or zip): ImportConfig.xml, the solution zips it lists,
the configuration data zip, and the model of the whole package for the Dataverse rules."""

from __future__ import annotations

from lxml import etree

from ..archive.safezip import read_zip
from ..errors import BuildError, Diagnostic, diagnostic
from .configdata_check import check_configdata
from .layout import Target, find_entry, zip_target
from .modelread import read_package_model
from .outcome import Outcome, parse_entries
from .outschema import check_ours
from .solution import check_solution


def check_package(target: Target) -> Outcome:
    roots, found = parse_entries(target)
    entry = find_entry(target.entries, "ImportConfig.xml")
    root = roots.get(entry) if entry else None
    if root is None or entry is None:
        return Outcome(found)  # unparsable: its XML diagnostic says why
    outcome = _files(target, root, target.name(entry))
    outcome.diagnostics[:0] = found
    if not any(d.severity == "error" for d in outcome.diagnostics):
        outcome.project, more = read_package_model(target)
        outcome.diagnostics += more
    return outcome


def _files(target: Target, root: etree._Element, config: str) -> Outcome:
    """ImportConfig.xml against our schema, and every file it names (or fails to name)."""
    outcome = Outcome(check_ours(root, "importconfig", config))
    solutions = [
        _listed(target, name, element, config, "solution")
        for element, name in _solution_files(root)
    ]
    for listed in solutions:
        outcome.merge(listed)
    outcome.diagnostics += _versions_agree(solutions, config)
    data = root.get("crmmigdataimportfile") or ""
    if data:
        outcome.merge(_listed(target, data, root, config, "configdata"))
    outcome.diagnostics += _unlisted(target, root, config)
    return outcome


def _versions_agree(solutions: list[Outcome], config: str) -> list[Diagnostic]:
    versions = sorted({s.version for s in solutions if s.version})
    if len(versions) < 2:
        return []
    return [
        diagnostic(
            "VAL025",
            f"the package's solutions have different versions: {', '.join(versions)}",
            file=config,
            hint="build the package again so every solution has this release's version",
        )
    ]


def _solution_files(root: etree._Element) -> list[tuple[etree._Element, str]]:
    files = root.findall("solutions/configsolutionfile")
    return [(f, f.get("solutionpackagefilename") or "") for f in files]


def _listed(
    target: Target, filename: str, element: etree._Element, config: str, kind: str
) -> Outcome:
    """Check one file ImportConfig.xml names: it exists and is a valid zip of its kind."""
    entry = find_entry(target.entries, filename)
    if entry is None:
        return Outcome(
            [
                diagnostic(
                    "VAL020",
                    f"ImportConfig.xml names {filename!r}, which is not in the package",
                    file=config,
                    line=element.sourceline,
                    hint="add the file or fix its name in ImportConfig.xml",
                )
            ]
        )
    label = target.name(entry)
    try:
        entries = read_zip(target.entries[entry], label)
    except BuildError as error:
        return Outcome(error.diagnostics)
    nested = zip_target(label, entries, target.entries[entry])
    if nested.kind != kind:
        return Outcome(
            [
                diagnostic(
                    "VAL021",
                    f"{filename} is not a {kind} zip",
                    file=label,
                    hint="ImportConfig.xml names the wrong file",
                )
            ]
        )
    return check_configdata(nested) if kind == "configdata" else _solution(nested)


def _solution(nested: Target) -> Outcome:
    outcome = check_solution(nested)
    outcome.project = None  # the package's model (with its data) is checked as a whole
    return outcome


def _unlisted(target: Target, root: etree._Element, config: str) -> list[Diagnostic]:
    listed = {name.lower() for _e, name in _solution_files(root)}
    listed.add((root.get("crmmigdataimportfile") or "").lower())
    return [
        diagnostic(
            "VAL024",
            f"{name} is in the package but ImportConfig.xml does not name it",
            file=target.name(name),
            hint="Package Deployer ignores it; list it or remove it",
        )
        for name in sorted(target.entries)
        if name.lower().endswith(".zip") and name.lower() not in listed
    ]
