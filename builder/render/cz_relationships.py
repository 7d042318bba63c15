"""`EntityRelationships`: the system 1:N relationships of every new table and the 1:N
relationship of each of our lookup columns, shaped like JRSasing's `Other/Relationships/*`.

System relationships carry no navigation roles and cascade nothing (as exported); a lookup
removes its link when the referenced row is deleted (RemoveLink), the Dataverse default for
a new lookup. `CascadeArchive` of newer exports is left out: the 9.0 schema lacks it.
"""

from typing import NamedTuple

from ..model import Table
from .cz_common import OUR_VERSION, SYSTEM_VERSION, ProjectIndex, lookup_relationship_name


class RelationshipVM(NamedTuple):
    name: str
    referencing: str  # SchemaName casing
    referenced: str
    attribute: str  # referencing attribute, SchemaName casing
    description: str
    system: bool
    version: str
    navigation: str = ""  # lookup: the navigation property on the referencing side


_AUDIT = (
    (
        "lk_{t}_createdby",
        "SystemUser",
        "CreatedBy",
        "Unique identifier of the user who created the record.",
    ),
    (
        "lk_{t}_createdonbehalfby",
        "SystemUser",
        "CreatedOnBehalfBy",
        "Unique identifier of the delegate user who created the record.",
    ),
    (
        "lk_{t}_modifiedby",
        "SystemUser",
        "ModifiedBy",
        "Unique identifier of the user who modified the record.",
    ),
    (
        "lk_{t}_modifiedonbehalfby",
        "SystemUser",
        "ModifiedOnBehalfBy",
        "Unique identifier of the delegate user who modified the record.",
    ),
)
_USER_OWNED = (
    (
        "business_unit_{t}",
        "BusinessUnit",
        "OwningBusinessUnit",
        "Unique identifier for the business unit that owns the record",
    ),
    ("owner_{t}", "Owner", "OwnerId", "Owner Id"),
    ("team_{t}", "Team", "OwningTeam", "Unique identifier for the team that owns the record."),
    (
        "user_{t}",
        "SystemUser",
        "OwningUser",
        "Unique identifier for the user that owns the record.",
    ),
)
_ORG_OWNED = (
    (
        "organization_{t}",
        "Organization",
        "OrganizationId",
        "Unique identifier for the organization",
    ),
)
_CURRENCY = (
    (
        "TransactionCurrency_{t}",
        "TransactionCurrency",
        "TransactionCurrencyId",
        "Unique identifier of the currency associated with the entity.",
    ),
)


def system_relationships(table: Table) -> list[RelationshipVM]:
    """The relationships Dataverse creates with a new table; none for virtual tables."""
    if table.existing or table.virtual is not None:
        return []
    rows = list(_AUDIT) + list(_USER_OWNED if table.ownership == "user" else _ORG_OWNED)
    if any(c.type == "money" for c in table.columns):
        rows += _CURRENCY
    return [
        RelationshipVM(
            name.format(t=table.logical_name),
            table.schema_name,
            referenced,
            attribute,
            description,
            True,
            SYSTEM_VERSION,
        )
        for name, referenced, attribute, description in rows
    ]


def lookup_relationships(table: Table, prefix: str, index: ProjectIndex) -> list[RelationshipVM]:
    out = []
    for column in table.columns:
        if column.type != "lookup":
            continue
        for target in column.targets:
            name = lookup_relationship_name(prefix, table, column, target)
            out.append(
                RelationshipVM(
                    name,
                    table.schema_name,
                    index.schema_name(target),
                    column.schema_name,
                    column.description,
                    False,
                    OUR_VERSION,
                    navigation=column.schema_name,
                )
            )
    return out
