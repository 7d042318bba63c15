"""A Package Deployer package (folder or zip) as one project: `ImportConfig.xml` names the
solution zips in import order and the configuration data zip (CMT `data.xml`), which holds
the default `<prefix>_setting` rows and the CIF 1.0 `msdyn_ciprovider` record.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..archive.package_layout import read_layout
from ..archive.safezip import read_zip
from ..errors import BuildError
from ..model import Cif1Provider, Project, Setting, Table
from ..model.kinds import BY_FIELD, SOLUTION_FIELDS, sort_components
from ..xmlio.exported import kids, to_int
from ..xmlio.safe import parse_xml
from .records import Row, data_row
from .solution import Fallback, SolutionRead, read_entries
from .solution_folder import read_folder
from .unread import keep_unread

Entries = dict[str, bytes]
_SETTING_TYPES = ("String", "Integer", "Boolean", "Guid")


def package_files(path: Path) -> Entries:
    """The files of a package folder or zip, by relative path."""
    if path.is_dir():
        return read_folder(path)
    return read_zip(path, str(path))


def read_package_parts(path: Path) -> SolutionRead:
    return read_package_files(package_files(path), str(path))


def read_package_files(files: Entries, path: str) -> SolutionRead:
    """A package given as its files (folder contents or zip entries)."""
    layout = read_layout(files, path)
    if layout is None:
        raise BuildError.at(
            "RD020",
            "no ImportConfig.xml in the package",
            file=path,
            hint="pass a Package Deployer folder or zip, or a solution zip",
        )
    reads = []
    for order, name in enumerate(layout.solutions, start=1):
        entry = layout.path(name)
        if entry not in files:
            raise BuildError.at(
                "RD021",
                f"ImportConfig.xml names {name}, which the package lacks",
                file=f"{path}!{layout.config}",
                hint="rebuild the package",
            )
        read = read_entries(read_zip(files[entry], f"{path}!{entry}"), f"{path}!{entry}")
        reads.append(_ordered(read, order))
    merged = merge_reads(reads, path)
    data_entry = layout.path(layout.config_data)
    if layout.config_data and data_entry in files:
        merged.project = with_config_data(
            merged.project, read_zip(files[data_entry], f"{path}!{data_entry}")
        )
    return merged


def _ordered(read: SolutionRead, order: int) -> SolutionRead:
    project = read.project
    solutions = tuple(replace(s, import_order=order) for s in project.solutions)
    read.project = replace(project, solutions=solutions)
    return read


def merge_reads(reads: list[SolutionRead], label: str) -> SolutionRead:
    """Several solutions of one package as one project (each component keeps its
    solution); the version is the first solution's."""
    if not reads:
        raise BuildError.at(
            "RD022",
            "the package names no solution",
            file=label,
            hint="ImportConfig.xml lists none under <solutions>",
        )
    first = reads[0].project
    fields: dict[str, Any] = {
        name: tuple(item for r in reads for item in getattr(r.project, name))
        for name in SOLUTION_FIELDS
    }
    project = replace(
        first, solutions=tuple(s for r in reads for s in r.project.solutions), root=label, **fields
    )
    alternates: list[Fallback] = [a for r in reads for a in r.alternates]
    warnings = [w for r in reads for w in r.warnings]
    originals = [o for r in reads for o in r.originals]
    return SolutionRead(
        project, alternates, warnings, managed=reads[0].managed, originals=originals
    )


# --- configuration data ----------------------------------------------------------------------


def with_config_data(project: Project, data: Entries) -> Project:
    if "data.xml" not in data:
        return project
    root = parse_xml(data["data.xml"], "data.xml")
    settings: list[Setting] = []
    providers: list[Cif1Provider] = []
    table = project.table(f"{project.publisher.prefix}_setting")
    for entity in kids(root, "entity"):
        name = entity.get("name", "")
        rows = [data_row(name, r) for r in kids(entity.find("records"), "record")]
        if name == "msdyn_ciprovider":
            providers += [_provider(r) for r in rows]
        elif table is not None and name == table.logical_name:
            settings += [_setting(r, table) for r in rows]
    return replace(
        project,
        settings=sort_components(BY_FIELD["settings"], settings),
        cif1_providers=sort_components(BY_FIELD["cif1_providers"], providers),
    )


def _label(table: Table, column: str, value: str) -> str:
    found = table.column(column)
    options = {str(o.value): o.label for o in (found.options if found else ())}
    return options.get(value, value)


def _guid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BuildError.at(
            "RD023",
            f"{what}: {value!r} is not a GUID",
            file="data.xml",
            hint="the configuration data zip is damaged",
        ) from None


def _setting(row: Row, table: Table) -> Setting:
    p = table.logical_name.removesuffix("setting")
    default = row.cell(p + "defaultvalue", row.cell(p + "value"))
    setting = Setting(
        name=row.cell(p + "name"),
        category=_label(table, p + "category", row.cell(p + "category")),  # type: ignore[arg-type]
        datatype=_label(table, p + "datatype", row.cell(p + "datatype")),  # type: ignore[arg-type]
        default=default,
        description=row.cell(p + "description"),
        required_per_environment=default == "",
        id=_guid(row.cell(p + "settingid") or row.key, "setting id"),
    )
    return keep_unread(setting, row)


def _provider(row: Row) -> Cif1Provider:
    provider = Cif1Provider(
        id=_guid(row.cell("msdyn_ciproviderid") or row.key, "msdyn_ciprovider id"),
        name=row.cell("msdyn_name"),
        label=row.cell("msdyn_label"),
        landing_url=row.cell("msdyn_landingurl"),
        enable_outbound=row.cell("msdyn_clicktoact", "True").lower() in ("true", "1"),
        sort_order=to_int(row.cell("msdyn_sortorder")),
        api_version=to_int(row.cell("msdyn_ciproviderapiversion")),
        trusted_domain=row.cell("msdyn_trusteddomain"),
        custom_params=row.cell("msdyn_customparams"),
        enable_analytics=row.cell("msdyn_enableanalytics", "False").lower() in ("true", "1"),
    )
    return keep_unread(provider, row)


def read_package(path: Path) -> Project:
    """A Package Deployer package (folder or zip) as one `Project`."""
    return read_package_parts(path).project
