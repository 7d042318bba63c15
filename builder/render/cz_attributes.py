"""Table columns as customizations.xml `attribute` elements: our columns from the model,
and the system columns Dataverse exports for every new table (copied in shape from
JRSasing `Entities/ract_Alerts/Entity.xml`: same names, types, masks and flags).

`versionnumber` is not emitted: real exports of custom tables do not carry it (the platform
adds it). Newer-than-9.0 elements of exports (IsSearchable, IsFilterable, IsRetrievable,
IsLocalizable, AutoNumberFormat) are left out: the 9.0 schema does not know them and the
platform defaults them.
"""

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, NamedTuple

from ..dataverse.column_types import NUMBER_RANGES
from ..dataverse.options import ACTIVE_STATE, ACTIVE_STATUS, INACTIVE_STATE, INACTIVE_STATUS
from ..model import StatusReason, Table
from .cz_common import (
    OUR_VERSION,
    SYSTEM_VERSION,
)

MASK_DEFAULT = "ValidForAdvancedFind|ValidForForm|ValidForGrid"
MASK_PRIMARY_NAME = "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm"


class OptionVM(NamedTuple):
    value: int
    label: str
    description: str = ""
    state: int | None = None  # status options: the statecode they belong to
    default_status: int | None = None  # state options: their default status
    invariant: str = ""  # state options


class OptionSetVM(NamedTuple):
    name: str
    type: str  # picklist | bit | state | status
    display_name: str
    description: str = ""
    options: tuple[OptionVM, ...] = ()
    is_global: bool = False
    version: str = OUR_VERSION
    customizable: bool = True


class AttrVM(NamedTuple):
    """One `attribute` element; None fields are left out. A named tuple, not a frozen
    dataclass: as immutable (tables share the system columns), and made some eight times
    faster, which counts at ~30 per table."""

    physical: str
    type: str
    display_name: str
    description: str = ""
    required: str = "none"
    mask: str | None = MASK_DEFAULT
    ime: str = "auto"
    valid_update: bool = True
    valid_read: bool = True
    valid_create: bool = True
    custom: bool = True
    audit: bool = True
    logical: bool = False  # IsLogical (owninguser, owningteam)
    version: str = OUR_VERSION
    customizable: bool = True
    requirement_modifiable: bool = True
    format: str | None = None
    max_length: int | None = None
    length: int | None = None
    min_value: str | None = None
    max_value: str | None = None
    accuracy: int | None = None
    accuracy_source: int | None = None
    calculation_of: str | None = None
    app_default: int | None = None
    optionset_name: str | None = None
    optionset: OptionSetVM | None = None
    lookup_types: tuple[int, ...] | None = None  # None: not a lookup
    datetime_behavior: int | None = None
    datetime_changeable: bool = False
    extra: Mapping[str, str] = MappingProxyType({})

    @property
    def name(self) -> str:
        return self.physical.lower()


# --- system columns ---------------------------------------------------------------------


SYSTEM_DEFAULTS: dict[str, Any] = {
    "custom": False,
    "audit": False,
    "version": SYSTEM_VERSION,
    "valid_update": False,
    "valid_create": False,
}


def _system(physical: str, type_: str, label: str, description: str, **kw: Any) -> AttrVM:
    return AttrVM(physical, type_, label, description, **(SYSTEM_DEFAULTS | kw))


def _lookup(physical: str, label: str, description: str, **kw: object) -> AttrVM:
    return _system(physical, "lookup", label, description, lookup_types=(), **kw)


def _datetime(physical: str, label: str, description: str, **kw: object) -> AttrVM:
    options: dict[str, object] = {"ime": "inactive", "format": "datetime", "datetime_behavior": 1}
    return _system(physical, "datetime", label, description, **(options | kw))


def _int(physical: str, label: str, description: str, low: int, **kw: object) -> AttrVM:
    return _system(
        physical,
        "int",
        label,
        description,
        format="",
        min_value=str(low),
        max_value=str(NUMBER_RANGES["integer"][1]),
        **kw,
    )


@cache
def _audit_columns() -> tuple[AttrVM, ...]:
    """The same for every table: made once (AttrVMs are immutable, so tables share them)."""
    return (
        _lookup("CreatedBy", "Created By", "Unique identifier of the user who created the record."),
        _datetime("CreatedOn", "Created On", "Date and time when the record was created."),
        _lookup(
            "CreatedOnBehalfBy",
            "Created By (Delegate)",
            "Unique identifier of the delegate user who created the record.",
        ),
        _int(
            "ImportSequenceNumber",
            "Import Sequence Number",
            "Sequence number of the import that created this record.",
            NUMBER_RANGES["integer"][0],
            mask="ValidForAdvancedFind",
            ime="disabled",
            valid_create=True,
            audit=True,
        ),
        _lookup(
            "ModifiedBy", "Modified By", "Unique identifier of the user who modified the record."
        ),
        _datetime("ModifiedOn", "Modified On", "Date and time when the record was modified."),
        _lookup(
            "ModifiedOnBehalfBy",
            "Modified By (Delegate)",
            "Unique identifier of the delegate user who modified the record.",
        ),
        _datetime(
            "OverriddenCreatedOn",
            "Record Created On",
            "Date and time that the record was migrated.",
            mask="ValidForAdvancedFind|ValidForGrid",
            valid_create=True,
            audit=True,
            format="date",
        ),
        _int(
            "TimeZoneRuleVersionNumber",
            "Time Zone Rule Version Number",
            "For internal use only.",
            -1,
            mask=None,
            valid_update=True,
            valid_create=True,
        ),
        _int(
            "UTCConversionTimeZoneCode",
            "UTC Conversion Time Zone Code",
            "Time zone code that was in use when the record was created.",
            -1,
            mask=None,
            valid_update=True,
            valid_create=True,
        ),
    )


@cache
def _owner_columns() -> tuple[AttrVM, ...]:
    return (
        _system(
            "OwnerId",
            "owner",
            "Owner",
            "Owner Id",
            required="systemrequired",
            mask=MASK_DEFAULT + "|RequiredForForm",
            valid_update=True,
            valid_create=True,
            audit=True,
            lookup_types=(8, 9),
        ),
        _lookup(
            "OwningBusinessUnit",
            "Owning Business Unit",
            "Unique identifier for the business unit that owns the record",
        ),
        _lookup(
            "OwningTeam",
            "Owning Team",
            "Unique identifier for the team that owns the record.",
            mask=None,
            logical=True,
        ),
        _lookup(
            "OwningUser",
            "Owning User",
            "Unique identifier for the user that owns the record.",
            mask=None,
            logical=True,
        ),
    )


@cache
def _organization_column() -> AttrVM:
    return _lookup(
        "OrganizationId",
        "Organization Id",
        "Unique identifier for the organization",
        mask=None,
        audit=True,
    )


@cache
def _currency_columns() -> tuple[AttrVM, ...]:
    return (
        _system(
            "ExchangeRate",
            "decimal",
            "Exchange Rate",
            "Exchange rate for the currency associated with the entity with respect to the base "
            "currency.",
            ime="disabled",
            audit=True,
            min_value="1E-10",
            max_value=str(NUMBER_RANGES["decimal"][1]),
            accuracy=10,
        ),
        _lookup(
            "TransactionCurrencyId",
            "Currency",
            "Unique identifier of the currency associated with the entity.",
            valid_update=True,
            valid_create=True,
            audit=True,
        ),
    )


@cache
def shared_columns() -> tuple[AttrVM, ...]:
    """Every system column made once and shared by all tables (the writer keeps their text)."""
    return (*_audit_columns(), *_owner_columns(), _organization_column(), *_currency_columns())


def _primary_key(table: Table) -> AttrVM:
    return _system(
        f"{table.schema_name}Id",
        "primarykey",
        table.display_name,
        "Unique identifier for entity instances",
        required="systemrequired",
        mask="ValidForAdvancedFind|RequiredForGrid",
        valid_create=True,
        requirement_modifiable=False,
    )


def _state_code(table: Table) -> AttrVM:
    states = (
        OptionVM(ACTIVE_STATE, "Active", default_status=ACTIVE_STATUS, invariant="Active"),
        OptionVM(INACTIVE_STATE, "Inactive", default_status=INACTIVE_STATUS, invariant="Inactive"),
    )
    description = f"Status of the {table.display_name}"
    optionset = OptionSetVM(
        f"{table.logical_name}_statecode",
        "state",
        "Status",
        description,
        states,
        version=SYSTEM_VERSION,
    )
    return _system(
        "statecode",
        "state",
        "Status",
        description,
        required="systemrequired",
        valid_update=True,
        audit=True,
        optionset=optionset,
    )


def status_code(table: Table, reasons: tuple[OptionVM, ...], custom: bool) -> AttrVM:
    description = f"Reason for the status of the {table.display_name}"
    optionset = OptionSetVM(
        f"{table.logical_name}_statuscode",
        "status",
        "Status Reason",
        description,
        reasons,
        version=SYSTEM_VERSION,
    )
    return _system(
        "statuscode",
        "status",
        "Status Reason",
        description,
        valid_update=True,
        valid_create=True,
        audit=True,
        optionset=optionset,
        custom=custom,
    )


def _status_reasons(reasons: tuple[StatusReason, ...]) -> tuple[OptionVM, ...]:
    return tuple(OptionVM(r.value, r.label, state=r.state) for r in reasons)


def system_columns(table: Table) -> list[AttrVM]:
    """Every system column Dataverse exports for a new (non-virtual) table."""
    columns = [*_audit_columns(), _primary_key(table), _state_code(table)]
    defaults = (
        OptionVM(ACTIVE_STATUS, "Active", state=ACTIVE_STATE),
        OptionVM(INACTIVE_STATUS, "Inactive", state=INACTIVE_STATE),
    )
    columns.append(status_code(table, defaults + _status_reasons(table.status_reasons), False))
    if table.ownership == "user":
        columns += _owner_columns()
    else:
        columns.append(_organization_column())
    if any(c.type == "money" for c in table.columns):
        columns += _currency_columns()
    return columns


def virtual_columns(table: Table) -> list[AttrVM]:
    """A virtual table has no system columns, only its primary key (mapped externally)."""
    key = _primary_key(table)
    external = table.virtual.key_external_name if table.virtual else ""
    return [key._replace(extra={"ExternalName": external})] if external else [key]


def added_status_reasons(table: Table) -> list[AttrVM]:
    """An existing table: only the statuscode values we add (import merges options)."""
    if not table.status_reasons:
        return []
    return [status_code(table, _status_reasons(table.status_reasons), False)]
