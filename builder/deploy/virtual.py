"""Virtual tables served by Dataverse's built-in OData v4 data provider (pure part).

A built solution carries such a table the way Dataverse exports one (render/cz_datasource.py):
the OData v4 provider, our data source row with a placeholder URL, the table bound to both.
What differs per environment is the URL. After the import deploy:
1. upserts that OData v4 data source row (table `msdyn_odatav4ds`), matched by name, whose
   `msdyn_uri` is the value of the environment variable URL_VARIABLE;
2. points each virtual table at the OData v4 provider and that data source (the table
   definition's `DataProviderId` / `DataSourceId`), when it does not already (an older
   package, or an administrator's change).

The provider is looked up per environment: the `entitydataprovider` row whose
`datasourcelogicalname` is `msdyn_odatav4ds` (Microsoft documents no fixed id for it).
Ownership of the data source row: deploy owns its name and `msdyn_uri`; timeout, paging,
inline count, description and the request parameters (`msdyn_parameterN*`, e.g. an API key
header) are written only when the row is created and are the administrator's afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from lxml import etree

from ..dataverse.data_providers import ODATA_V4_PROVIDER_NAME
from ..render import cz_datasource
from ..xmlio.safe import parse_xml
from .component_keys import guid

PLACEHOLDER_PROVIDER = "7015a531-cc0d-4537-b5f2-c882a1eb65ad"  # documented "not known yet"
SOURCE_TABLE = "msdyn_odatav4ds"  # logical name and entity set name
PROVIDER_NAME = ODATA_V4_PROVIDER_NAME
# A built solution does not say which variable holds a virtual table's service URL (the
# binding lives in solution_src only), so deploy knows the product's one binding.
URL_VARIABLE = "enreach_EnreachApiBaseUrl"
SOURCE_NAME = cz_datasource.SOURCE_NAME  # the row the solution ships (one name, one id)
SOURCE_ID = str(cz_datasource.SOURCE_ID)
CREATED_WITH = (  # the maker UI's defaults (30 s, client-side paging, no $inlinecount)
    ("msdyn_timeout", 30),
    ("msdyn_paginationtype", 0),  # picklist: 0 client-side, 1 server-side ($skiptoken)
    ("msdyn_paginationmode", False),  # the older boolean twin of paginationtype
    ("msdyn_returninlinecount", False),
    ("msdyn_description", f"Created by voicepkg deploy; msdyn_uri follows {URL_VARIABLE}."),
)

SourceAction = Literal["create", "update", "unchanged", "skip"]
LinkAction = Literal["link", "linked", "skip"]
Value = str | int | bool


@dataclass(frozen=True)
class VirtualTable:
    """A virtual table of the package, as its customizations.xml declares it."""

    logical_name: str
    external_name: str = ""


@dataclass(frozen=True)
class SourceRow:
    id: str
    name: str
    uri: str


@dataclass(frozen=True)
class VirtualState:
    """What the environment has: read before the plan (and again on each rerun)."""

    source_table: bool = False  # msdyn_odatav4ds exists (the OData v4 Data Provider solution)
    provider_id: str = ""  # "" when the provider row was not found
    source: SourceRow | None = None  # our data source row, matched by name
    links: Mapping[str, tuple[str, str] | None] = field(default_factory=dict)  # None: no table


@dataclass(frozen=True)
class VirtualPlan:
    source_id: str
    source_action: SourceAction
    uri: str
    fields: tuple[tuple[str, Value], ...] = ()  # what the data source write sends
    tables: tuple[tuple[str, LinkAction], ...] = ()
    provider_id: str = ""
    skipped: str = ""  # why nothing is done

    @property
    def writes(self) -> bool:
        return self.source_action in ("create", "update") or any(
            action == "link" for _, action in self.tables
        )

    @property
    def to_link(self) -> tuple[str, ...]:
        return tuple(name for name, action in self.tables if action == "link")


def virtual_tables(customizations: bytes | None, label: str) -> tuple[VirtualTable, ...]:
    """The tables of a solution's customizations.xml that carry a DataProviderId."""
    if customizations is None or b"DataProviderId" not in customizations:
        return ()
    root = parse_xml(customizations, label)
    found = [
        _virtual(e)
        for e in root.iterfind("Entities/Entity/EntityInfo/entity")
        if e.find("DataProviderId") is not None
    ]
    return tuple(sorted(found, key=lambda t: t.logical_name))


def _virtual(entity: etree._Element) -> VirtualTable:
    return VirtualTable(
        str(entity.get("Name", "")).lower(), (entity.findtext("ExternalName") or "").strip()
    )


def plan_virtual(
    state: VirtualState | None, tables: tuple[VirtualTable, ...], uri: str, url_known: bool
) -> VirtualPlan | None:
    """What to write: None when the package has no virtual table."""
    if state is None or not tables:
        return None
    names = tuple(t.logical_name for t in tables)
    why = _skip_reason(state, uri, url_known, names)
    if why:
        return VirtualPlan("", "skip", "", tables=tuple((n, "skip") for n in names), skipped=why)
    source_id, action, fields = _source_write(state.source, uri)
    wanted = (state.provider_id, source_id)
    links = tuple((n, _link_action(state.links.get(n), wanted)) for n in names)
    return VirtualPlan(source_id, action, uri, fields, links, state.provider_id)


def _source_write(
    source: SourceRow | None,
    uri: str,
) -> tuple[str, SourceAction, tuple[tuple[str, Value], ...]]:
    if source is None:
        return SOURCE_ID, "create", (("msdyn_name", SOURCE_NAME), ("msdyn_uri", uri), *CREATED_WITH)
    if source.uri != uri:
        return source.id, "update", (("msdyn_uri", uri),)  # only what deploy owns
    return source.id, "unchanged", ()


def _link_action(link: tuple[str, str] | None, wanted: tuple[str, str]) -> LinkAction:
    same = link is not None and tuple(guid(v) for v in link) == tuple(guid(v) for v in wanted)
    return "linked" if same else "link"


def _skip_reason(state: VirtualState, uri: str, url_known: bool, names: tuple[str, ...]) -> str:
    tables = ", ".join(names)
    if not url_known:
        return f"the package defines no environment variable {URL_VARIABLE}; {tables} not linked"
    if not state.source_table:
        return (
            f"this environment has no {SOURCE_TABLE} table (the {PROVIDER_NAME} solution); "
            f"{tables} cannot be given a data source"
        )
    if not state.provider_id:
        return (
            f"no {PROVIDER_NAME} (entitydataprovider for {SOURCE_TABLE}) here; {tables} not linked"
        )
    if not uri:
        return (
            f"environment variable {URL_VARIABLE} has no value here, so {tables} has no data "
            "source yet: give it a value in the deployment settings file and deploy again"
        )
    if urlsplit(uri).scheme not in ("https", "http") or not urlsplit(uri).hostname:
        return f"{URL_VARIABLE} is not an http(s) URL; {tables} not linked"
    return ""


def pick_provider(rows: Sequence[Mapping[str, object]]) -> str:
    """The OData v4 provider's id: the row serving msdyn_odatav4ds, by name when several."""
    serving = [r for r in rows if str(r.get("datasourcelogicalname") or "").lower() == SOURCE_TABLE]
    serving.sort(
        key=lambda r: (
            str(r.get("name") or "") != PROVIDER_NAME,
            guid(r.get("entitydataproviderid")),
        )
    )
    return guid(serving[0].get("entitydataproviderid")) if serving else ""


def pick_source(rows: Sequence[Mapping[str, object]]) -> SourceRow | None:
    """Our data source: by name (ours first when an administrator made a namesake)."""
    named = [r for r in rows if str(r.get("msdyn_name") or "").lower() == SOURCE_NAME.lower()]
    named.sort(
        key=lambda r: (
            guid(r.get("msdyn_odatav4dsid")) != SOURCE_ID,
            guid(r.get("msdyn_odatav4dsid")),
        )
    )
    if not named:
        return None
    row = named[0]
    return SourceRow(
        guid(row.get("msdyn_odatav4dsid")),
        str(row.get("msdyn_name") or ""),
        str(row.get("msdyn_uri") or ""),
    )


def shown_uri(uri: str) -> str:
    """A URL for logs: no query or user part (an Azure Functions key travels as ?code=)."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" if host else ""


def linked_definition(
    definition: Mapping[str, object], provider_id: str, source_id: str
) -> dict[str, object]:
    """The definition to PUT back: whole (PUT replaces it), annotations dropped, the link set."""
    body = {k: v for k, v in definition.items() if not k.startswith("@")}
    body["@odata.type"] = "Microsoft.Dynamics.CRM.EntityMetadata"
    body["DataProviderId"], body["DataSourceId"] = provider_id, source_id
    return body
