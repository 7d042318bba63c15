"""Read built or exported solutions back into the model, for `diff` and `unpack`.

`read_solution_zip(zip)` reads one solution (ours, or any real Dataverse export) into a
`Project`; `read_solution_folder(folder)` does the same for extracted zip contents or a
`pac solution unpack` folder; `read_package(path)` reads a Package Deployer folder or zip
(ImportConfig.xml, the solution zips in import order, the configuration data zip).

What the model covers becomes model components; everything else travels as `RawPart`s, so
nothing is dropped. A component the model covers only in part (a form with a web resource
control, a table with an autonumber column, ...) is modelled for `diff` and also kept whole
as a `Fallback`, which `unpack` writes instead of the model's version.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..archive.safezip import read_zip
from ..dataverse.options import DEFAULT_OPTION_VALUE_PREFIX
from ..errors import BuildError, Diagnostic
from ..model import Project, Publisher, RawPart, SolutionDef
from ..xmlio.exported import Element, Findings, child, ctext, kids, localized
from ..xmlio.safe import parse_xml, sniff_encoding
from .collect import Twins, collect_solution
from .collected import Collected
from .packaging import read_packaging
from .parts import read_lookups
from .solution_folder import folder_entries
from .twins import Side, twin_tables

Entries = dict[str, bytes]


@dataclass(frozen=True)
class Fallback:
    """A component as exported, which `unpack` writes instead of the model's version when the
    model holds it only in part (`reasons`). Its parts are serialized on first use only: a
    diff never needs them."""

    kind: str  # table, global choice, role, web resource, app, environment variable, ...
    key: str  # its name in the model
    makers: tuple[Callable[[], RawPart], ...] = field(compare=False, repr=False)
    reasons: tuple[str, ...] = ()

    @cached_property
    def parts(self) -> tuple[RawPart, ...]:
        return tuple(make() for make in self.makers)


@dataclass
class SolutionRead:
    project: Project
    alternates: list[Fallback] = field(default_factory=list)  # every component, as exported
    warnings: list[Diagnostic] = field(default_factory=list)
    managed: bool = False
    # (solution unique name, its zip entries as read): what `unpack` checks its sources against
    originals: list[tuple[str, Entries]] = field(default_factory=list, repr=False)

    @property
    def fallbacks(self) -> list[Fallback]:
        """The components the model holds only in part: `unpack` keeps these as exported."""
        return [f for f in self.alternates if f.reasons]


def read_solution_zip(source: Path | bytes, label: str = "") -> Project:
    """One solution zip (built by us or exported from Dataverse) as a `Project`."""
    return read_solution(source, label).project


def read_solution(source: Path | bytes, label: str = "") -> SolutionRead:
    label = label or (str(source) if isinstance(source, Path) else "<zip>")
    return read_entries(read_zip(source, label), label)


def read_solution_folder(folder: Path) -> SolutionRead:
    """Extracted zip contents, or a `pac solution unpack` folder."""
    return read_entries(folder_entries(folder), str(folder))


def read_entries(
    entries: Entries, label: str, customizations: Element | None = None
) -> SolutionRead:
    """A solution's zip entries read into the model. `customizations`: customizations.xml
    already parsed from these entries (validate shares its tree instead of parsing twice)."""
    with no_cycle_collection():
        return _read_entries(entries, label, customizations)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Reading makes some hundred thousand small objects and hardly a reference cycle: the
    cyclic collector, run meanwhile, would only walk the growing model again and again
    (about a tenth of a large read). Reference counting still frees what is dropped.
    `validate` runs its layers and rules on the model so too."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read_compared(
    old: Entries, new: Entries, labels: tuple[str, str], keep: list[Element] | None = None
) -> tuple[Project, Project]:
    """Two solutions read to be compared with each other, leaving out on both sides the
    tables both hold alike (read/twins.py): the two projects lack those and serve this
    comparison only. Should either side fail to read, both are read in full, which says
    what is wrong as `read_entries` does. `keep` receives the two parsed trees, for the
    caller to drop when done (see `validate.outcome.Outcome.trees`: freed last, their
    blocks are mostly never merged)."""
    with no_cycle_collection():
        try:
            return _read_compared(old, new, labels, keep if keep is not None else [])
        except BuildError:
            pass
        return read_entries(old, labels[0]).project, read_entries(new, labels[1]).project


def _read_compared(
    old: Entries, new: Entries, labels: tuple[str, str], keep: list[Element]
) -> tuple[Project, Project]:
    sides = [_side(entries, label) for entries, label in ((old, labels[0]), (new, labels[1]))]
    keep += [root for root, _ in sides]
    twins = twin_tables(sides[0][1], sides[1][1])
    before, after = (
        _read_entries(entries, label, root, Twins(twins, side.lookups, side.starts)).project
        for (root, side), entries, label in zip(sides, (old, new), labels, strict=True)
    )
    return before, after


def _side(entries: Entries, label: str) -> tuple[Element, Side]:
    """customizations.xml parsed, and what `twin_tables` looks at."""
    _check_entries(entries, label)
    file = f"{label}!customizations.xml"
    data = entries["customizations.xml"]
    root = parse_xml(data, file)
    manifest = parse_xml(entries["solution.xml"], f"{label}!solution.xml")
    entities = child(root, "Entities")
    relationships = kids(child(root, "EntityRelationships"), "EntityRelationship")
    side = Side(
        ctext(manifest, "SolutionManifest/UniqueName"),
        data,
        sniff_encoding(data, file),
        entities,
        read_lookups(relationships),
    )
    return root, side


def _check_entries(entries: Entries, label: str) -> None:
    """A solution zip holds solution.xml and customizations.xml."""
    for required in ("solution.xml", "customizations.xml"):
        if required not in entries:
            raise BuildError.at(
                "RD001",
                f"no {required} in the solution",
                file=label,
                hint="this is not a Dataverse solution zip",
            )


def _read_entries(
    entries: Entries, label: str, customizations: Element | None, twins: Twins | None = None
) -> SolutionRead:
    _check_entries(entries, label)
    findings = Findings(label)
    manifest = parse_xml(entries["solution.xml"], f"{label}!solution.xml").find("SolutionManifest")
    if manifest is None:
        raise BuildError.at(
            "RD002",
            "solution.xml has no SolutionManifest",
            file=f"{label}!solution.xml",
            hint="the zip is not a solution",
        )
    solution = _solution(manifest)
    collected = collect_solution(entries, solution.unique_name, findings, customizations, twins)
    project = _project(manifest, solution, collected, label)
    packaging = read_packaging(solution.unique_name, manifest, collected.languages, entries)
    project = replace(project, packaging=(packaging,))
    alternates = [Fallback(*f) for f in collected.fallbacks]
    managed = ctext(manifest, "Managed") == "1"
    return SolutionRead(
        project,
        alternates,
        findings.items,
        managed=managed,
        originals=[(solution.unique_name, entries)],
    )


def _solution(manifest: Element) -> SolutionDef:
    return SolutionDef(
        unique_name=ctext(manifest, "UniqueName"),
        display_name=localized(manifest, "LocalizedNames", "LocalizedName"),
        description=localized(manifest, "Descriptions", "Description"),
        role="base",
        import_order=1,
    )


def _publisher(manifest: Element) -> Publisher:
    el = child(manifest, "Publisher")
    prefix = ctext(el, "CustomizationOptionValuePrefix", str(DEFAULT_OPTION_VALUE_PREFIX))
    return Publisher(
        unique_name=ctext(el, "UniqueName"),
        display_name=localized(el, "LocalizedNames", "LocalizedName"),
        prefix=ctext(el, "CustomizationPrefix"),
        option_value_prefix=int(prefix) if prefix.isdigit() else DEFAULT_OPTION_VALUE_PREFIX,
        description=localized(el, "Descriptions", "Description"),
        email=ctext(el, "EMailAddress"),
        website=ctext(el, "SupportingWebsiteUrl"),
    )


def _project(manifest: Element, solution: SolutionDef, found: Collected, label: str) -> Project:
    tables = found.get("tables") or found.unread
    if found.get("cif2_providers") or found.get("session_templates") and not tables:
        solution = replace(solution, role="multisession")
    components: dict[str, Any] = found.components  # Project has non-tuple fields too (mypy)
    return Project(
        version=ctext(manifest, "Version"),
        publisher=_publisher(manifest),
        solutions=(solution,),
        root=label,
        **components,
    )
