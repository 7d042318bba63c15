"""Table definitions, virtual table data providers and sources, and PublishXml for the fake.

Modelled on the documented contract (learn.microsoft.com: "Create and update table
definitions using the Web API", "API considerations of virtual tables", the
`msdyn_odatav4ds` and `entitydataprovider` table references, "PublishXml Action"):
- `GET EntityDefinitions(LogicalName='x')` returns the whole definition; `$select` narrows it.
- `PUT` replaces the definition, so the fake refuses a body that leaves out a property the
  definition has (it would be reset), carries related data (Attributes, relationships), changes
  an identity property, or lacks `MSCRM.MergeLabels: true` (labels of other languages would be
  lost; Dataverse would accept that and lose them, the fake refuses it to keep deploy honest).
- A standard table keeps `DataProviderId` / `DataSourceId` null; a virtual table's provider
  is the documented placeholder (then no source) or an existing `entitydataprovider`, and its
  source a row of that provider's data source table.
- A changed definition stays unpublished until `PublishXml` names its table.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from lxml import etree

from .dv_common import HttpError

NS = uuid.UUID("6f1c3c38-4a0e-4c55-9a51-0f7d1d1e6a42")
PLACEHOLDER = "7015a531-cc0d-4537-b5f2-c882a1eb65ad"
ODATA_PROVIDER_ID = str(uuid.uuid5(NS, "entitydataprovider/odata v4"))
SOURCE_SET = "msdyn_odatav4ds"
NAVIGATION = frozenset(
    {
        "Attributes",
        "Keys",
        "ManyToManyRelationships",
        "ManyToOneRelationships",
        "OneToManyRelationships",
    }
)
IDENTITY = ("MetadataId", "LogicalName", "SchemaName", "EntitySetName", "TableType")
BAD = "0x80048d19"


def default_providers() -> list[dict[str, Any]]:
    """What an online environment lists: the OData v4 provider and another one."""
    return [
        {
            "entitydataproviderid": str(uuid.uuid5(NS, "entitydataprovider/connector")),
            "name": "Virtual Connector Provider",
            "datasourcelogicalname": "msdyn_connectordatasource",
            "description": "Virtual tables over Power Platform connectors",
        },
        {
            "entitydataproviderid": ODATA_PROVIDER_ID,
            "name": "OData v4 Data Provider",
            "datasourcelogicalname": SOURCE_SET,
            "description": "OData v4 web services",
        },
    ]


def _label(text: str) -> dict[str, Any]:
    labels = [
        {
            "Label": text,
            "LanguageCode": code,
            "IsManaged": True,
            "HasChanged": None,
            "MetadataId": str(uuid.uuid5(NS, f"label/{code}/{text}")),
        }
        for code in (1033, 1031)
    ]
    return {"LocalizedLabels": labels, "UserLocalizedLabel": labels[0]}


def new_definition(logical: str, schema: str, virtual: dict[str, str] | None) -> dict[str, Any]:
    facts = virtual or {}
    return {
        "MetadataId": str(uuid.uuid5(NS, "entity/" + logical)),
        "LogicalName": logical,
        "SchemaName": schema,
        "EntitySetName": logical + "s",
        "ObjectTypeCode": 10000 + len(logical),
        "TableType": "Virtual" if virtual is not None else "Standard",
        "OwnershipType": "OrganizationOwned",
        "IsCustomEntity": True,
        "IsManaged": True,
        "IsActivity": False,
        "IsAuditEnabled": {
            "Value": False,
            "CanBeChanged": False,
            "ManagedPropertyLogicalName": "canmodifyauditsettings",
        },
        "IsCustomizable": {
            "Value": True,
            "CanBeChanged": True,
            "ManagedPropertyLogicalName": "iscustomizable",
        },
        "DataProviderId": facts.get("DataProviderId"),
        "DataSourceId": None,
        "ExternalName": facts.get("ExternalName"),
        "ExternalCollectionName": facts.get("ExternalCollectionName"),
        "DisplayName": _label(schema),
        "DisplayCollectionName": _label(schema + "s"),
        "Description": _label(f"The {schema} table"),
        "IntroducedVersion": "1.0.0.0",
        "Privileges": [
            {
                "Name": f"prv{kind}{schema}",
                "PrivilegeType": kind,
                "CanBeGlobal": True,
                "PrivilegeId": str(uuid.uuid5(NS, f"privilege/{kind}/{logical}")),
            }
            for kind in ("Create", "Read", "Write", "Delete")
        ],
        "Settings": [],
        "HasChanged": None,
    }


class Metadata:
    """Mixed into the engine: `self.tables`, `self.records`, `self.lock` come from it."""

    tables: set[str]
    records: dict[str, dict[str, dict[str, Any]]]

    def init_metadata(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}
        self.data_providers: list[dict[str, Any]] = default_providers()
        self.unpublished: set[str] = set()
        self.published: list[list[str]] = []

    def without_odata_provider(self) -> None:
        """An environment without the OData v4 Data Provider solution."""
        self.tables.discard(SOURCE_SET)
        self.data_providers = [
            p for p in self.data_providers if p["datasourcelogicalname"] != SOURCE_SET
        ]

    def add_definitions(self, virtual: dict[str, dict[str, str]]) -> None:
        for logical, facts in virtual.items():  # an update keeps the environment's link
            self.definitions.setdefault(
                logical, new_definition(logical, facts["SchemaName"], facts)
            )

    def definition(self, logical: str) -> dict[str, Any]:
        if logical not in self.definitions and logical in self.tables:
            self.definitions[logical] = new_definition(logical, logical, None)
        if logical not in self.definitions:
            raise HttpError(404, "0x80040217", f"Could not find an entity with name {logical}")
        return self.definitions[logical]

    def get_definition(self, logical: str, params: dict[str, str]) -> dict[str, Any]:
        unknown = [k for k in params if k != "$select"]
        if unknown:
            raise HttpError(400, "0x80060888", f"unsupported query option {unknown[0]}")
        found = copy.deepcopy(self.definition(logical))
        if "$select" in params:
            names = [n.strip() for n in params["$select"].split(",") if n.strip()]
            missing = [n for n in names if n not in found]
            if missing:
                raise HttpError(
                    400,
                    "0x80060888",
                    f"Could not find a property named "
                    f"'{missing[0]}' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.",
                )
            found = {n: found[n] for n in names}
        return {"@odata.context": "$metadata#EntityDefinitions/$entity", **found}

    def put_definition(self, logical: str, body: Any, headers: dict[str, str]) -> None:
        merge = {k.lower(): v for k, v in headers.items()}.get("mscrm.mergelabels", "")
        if merge.lower() != "true":
            raise HttpError(
                400, BAD, "send MSCRM.MergeLabels: true, or the labels of other languages are lost"
            )
        current = self.definition(logical)
        _check_shape(body, current)
        _check_link(body, self.data_providers, self.records.get(SOURCE_SET, {}))
        self.definitions[logical] = {k: v for k, v in body.items() if not k.startswith("@")}
        self.unpublished.add(logical)

    def publish_xml(self, body: dict[str, Any]) -> None:
        if set(body) != {"ParameterXml"} or not isinstance(body["ParameterXml"], str):
            raise HttpError(400, BAD, "PublishXml takes exactly one parameter, ParameterXml")
        try:
            root = etree.fromstring(body["ParameterXml"].encode("utf-8"))
        except etree.XMLSyntaxError as exc:
            raise HttpError(400, BAD, f"ParameterXml is not XML: {exc}") from None
        names = [e.text or "" for e in root.iterfind("entities/entity")]
        if root.tag != "importexportxml" or not names:
            raise HttpError(400, BAD, "ParameterXml must be <importexportxml> naming components")
        for name in names:
            self.definition(name)
        self.unpublished -= set(names)
        self.published.append(names)


def _check_shape(body: Any, current: dict[str, Any]) -> None:
    if not isinstance(body, dict) or body.get("@odata.type") != (
        "Microsoft.Dynamics.CRM.EntityMetadata"
    ):
        raise HttpError(400, BAD, "the body must be an EntityMetadata object (@odata.type)")
    related = sorted(NAVIGATION & set(body))
    if related:
        raise HttpError(400, BAD, f"{related[0]}: related data is updated separately")
    missing = sorted(set(current) - set(body))
    if missing:
        raise HttpError(400, BAD, f"PUT replaces the definition: {missing[0]} would be reset")
    extra = sorted(k for k in set(body) - set(current) if not k.startswith("@"))
    if extra:
        raise HttpError(400, BAD, f"Invalid property '{extra[0]}' on EntityMetadata")
    changed = [k for k in IDENTITY if body.get(k) != current.get(k)]
    if changed:
        raise HttpError(400, BAD, f"{changed[0]} cannot be changed")


def _check_link(
    body: dict[str, Any], providers: list[dict[str, Any]], sources: dict[str, dict[str, Any]]
) -> None:
    provider, source = body.get("DataProviderId"), body.get("DataSourceId")
    if body.get("TableType") != "Virtual":
        if provider is not None or source is not None:
            raise HttpError(400, BAD, "a standard table keeps DataProviderId and DataSourceId null")
        return
    if str(provider).lower() == PLACEHOLDER:
        if source is not None:
            raise HttpError(400, BAD, "the placeholder provider takes no data source")
        return
    row = next((p for p in providers if p["entitydataproviderid"] == str(provider).lower()), None)
    if row is None:
        raise HttpError(400, BAD, f"DataProviderId {provider} is no entitydataprovider")
    if row["datasourcelogicalname"] != SOURCE_SET or str(source).lower() not in sources:
        raise HttpError(
            400, BAD, f"DataSourceId {source} is no row of {row['datasourcelogicalname']}"
        )
