"""The fake Dataverse's solution engine: import jobs that progress over polls, and what an
import, a holding import, a stage-and-upgrade and a delete-and-promote do to the environment.

Modelled on Dataverse's documented behaviour (research/deploy.md §2): updates keep components
the new version dropped, upgrades delete them; a holding import needs its base and refuses a
second holding solution (0x80048539); managed over unmanaged fails (-2147188672); a lower
version fails; a job that "succeeds" may still carry failure results in its data XML.
"""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

NS = uuid.UUID("0b7d7c4e-1f8e-4a6b-9a77-5d1c1f3a9e21")


@dataclass
class SolutionZip:
    unique_name: str
    version: str
    managed: bool
    rows: list[dict[str, Any]]  # msdyn_solutioncomponentsummaries rows (no solution id)
    tables: set[str]
    env_vars: list[dict[str, Any]]
    channel_providers: list[str]
    virtual_tables: dict[str, dict[str, str]] = field(default_factory=dict)  # logical -> facts


@dataclass
class Job:
    import_job_id: str
    operation_id: str
    kind: str  # import | holding | upgrade | promote
    unique_name: str
    zip: SolutionZip | None = None
    parameters: list[dict[str, Any]] = field(default_factory=list)
    polls: int = 0
    started: float = field(default_factory=time.monotonic)
    state: str = "running"  # running | succeeded | failed
    message: str = ""
    data: str = ""
    started_on: str = ""  # ISO time of the start ("" while queued, or for an orphan)
    created_on: str = ""  # ISO time the job record was made
    orphan: bool = False  # died with its server: never completes, holds no lock

    @property
    def progress(self) -> float:
        return 100.0 if self.state != "running" else min(90.0, 30.0 * self.polls)


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def read_solution_zip(content: bytes) -> SolutionZip:
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    manifest = etree.fromstring(archive.read("solution.xml")).find("SolutionManifest")
    assert manifest is not None, "solution.xml without SolutionManifest"
    rows = [_root_row(r) for r in manifest.iter("RootComponent")]
    customizations = (
        etree.fromstring(archive.read("customizations.xml"))
        if "customizations.xml" in names
        else None
    )
    if customizations is not None:
        rows += _customization_rows(customizations)
    tables = {
        str(r.get("schemaName")).lower()
        for r in manifest.iter("RootComponent")
        if r.get("type") == "1" and r.get("schemaName")
    }
    return SolutionZip(
        unique_name=manifest.findtext("UniqueName") or "",
        version=manifest.findtext("Version") or "",
        managed=(manifest.findtext("Managed") or "0") == "1",
        rows=rows,
        tables=tables,
        env_vars=_env_vars(archive, names),
        channel_providers=sorted(
            {n.split("/")[1] for n in names if n.startswith("msdyn_channelproviders/")}
        ),
        virtual_tables=_virtual_tables(customizations),
    )


def _virtual_tables(root: etree._Element | None) -> dict[str, dict[str, str]]:
    """Tables whose definition carries a DataProviderId (the fake keeps its facts)."""
    out = {}
    for entity in [] if root is None else root.iterfind("Entities/Entity/EntityInfo/entity"):
        provider = entity.findtext("DataProviderId")
        if provider is not None:
            out[str(entity.get("Name")).lower()] = {
                "SchemaName": str(entity.get("Name")),
                "DataProviderId": provider.strip("{}"),
                "ExternalName": entity.findtext("ExternalName") or "",
                "ExternalCollectionName": entity.findtext("ExternalCollectionName") or "",
            }
    return out


def _root_row(root: etree._Element) -> dict[str, Any]:
    name = root.get("schemaName") or ""
    object_id = (root.get("id") or "").strip("{}").lower() or str(uuid.uuid5(NS, name.lower()))
    return {
        "msdyn_componenttype": int(root.get("type", "0")),
        "msdyn_schemaname": name,
        "msdyn_objectid": object_id,
        "msdyn_primaryentityname": "",
        "msdyn_name": name,
    }


def _customization_rows(root: etree._Element) -> list[dict[str, Any]]:
    rows = []
    for entity in root.iterfind("Entities/Entity"):
        table = (entity.findtext("Name") or "").lower()
        for column in entity.iterfind("EntityInfo/entity/attributes/attribute/LogicalName"):
            name = column.text or ""
            rows.append(
                {
                    "msdyn_componenttype": 2,
                    "msdyn_schemaname": name,
                    "msdyn_objectid": str(uuid.uuid5(NS, f"{table}.{name}")),
                    "msdyn_primaryentityname": table,
                    "msdyn_name": name,
                }
            )
    for kind, path in ((60, ".//systemform/formid"), (26, ".//savedquery/savedqueryid")):
        for element in root.iterfind(path):
            owner = element.getparent()
            label = owner.find("LocalizedNames/LocalizedName") if owner is not None else None
            rows.append(
                {
                    "msdyn_componenttype": kind,
                    "msdyn_schemaname": "",
                    "msdyn_objectid": (element.text or "").strip("{}").lower(),
                    "msdyn_primaryentityname": "",
                    "msdyn_name": label.get("description", "") if label is not None else "",
                }
            )
    return rows


def _env_vars(archive: zipfile.ZipFile, names: list[str]) -> list[dict[str, Any]]:
    out = []
    for name in names:
        if name.startswith("environmentvariabledefinitions/") and name.endswith(
            "/environmentvariabledefinition.xml"
        ):
            root = etree.fromstring(archive.read(name))
            out.append(
                {
                    "schemaname": root.get("schemaname"),
                    "defaultvalue": root.findtext("defaultvalue"),
                }
            )
    return out


def data_xml(job: Job, failure: str = "") -> str:
    """The importjob `data` log: per-component results, a failure node when asked."""
    ok = '<result result="success" errorcode="0" errortext="" />'
    bad = (
        f'<result result="failure" errorcode="0x80048036" errortext="{failure}" />'
        if failure
        else ok
    )
    name = job.zip.unique_name if job.zip else job.unique_name
    return (
        f'<importexportxml start="" stop="" progress="100" processed="true">'
        f'<solutionManifests><solutionManifest languagecode="1033">'
        f"<UniqueName>{name}</UniqueName>{ok}</solutionManifest></solutionManifests>"
        f'<entities><entity name="enreach_setting" processed="true">{ok}</entity>'
        f'<entity name="phonecall" processed="true">{bad}</entity></entities>'
        f"</importexportxml>"
    )
