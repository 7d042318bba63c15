"""One `Entity` element per table the solution touches, as a view model.

- New table: the complete `EntityInfo/entity` (names, every system column, our columns,
  alternate keys and the entity-level flags real exports carry, limited to the 9.0 schema).
- Existing table (phonecall, systemuser): SchemaName casing, only our columns and the
  status reasons we add; no entity-level flags, so nothing of the system table changes.
- Virtual table: primary key and our columns only, `DataProviderId` (the OData v4
  provider), `DataSourceId` (our data source, cz_datasource.py), `ExternalName`,
  `ExternalCollectionName`, as Microsoft's exported OData v4 virtual table has them.
- Ownership "none" on a non-virtual table is written as organization-owned.
- A table that only carries our forms, views or commands: a shell (Name, FormXml,
  SavedQueries, RibbonDiffXml) without `EntityInfo`.
"""

from dataclasses import dataclass
from typing import NamedTuple

from ..model import Command, Form, Table, View
from .cz_attributes import AttrVM, added_status_reasons, system_columns, virtual_columns
from .cz_columns import ColumnContext, column_attributes
from .cz_common import OUR_VERSION, ManagedPolicy, ProjectIndex, entity_set_name, fail
from .cz_datasource import ODATA_PROVIDER, SOURCE_ID
from .cz_forms import FormVM, form_model, form_type_groups
from .cz_ribbon import CommandVM, command_model
from .cz_views import ViewVM, view_model
from .templating import braced


class KeyVM(NamedTuple):
    schema_name: str
    display_name: str
    columns: tuple[str, ...]


class EntityVM(NamedTuple):
    schema_name: str
    display_name: str
    plural_name: str
    description: str
    original_name: str
    has_info: bool
    existing: bool
    virtual: bool
    attributes: tuple[AttrVM, ...]
    keys: tuple[KeyVM, ...]
    entity_set: str
    ownership_mask: str
    quick_create: bool
    customizable: bool
    provider_id: str
    external_name: str
    source_id: str
    forms: list[tuple[str, list[FormVM]]]
    views: tuple[ViewVM, ...]
    commands: tuple[CommandVM, ...]
    version: str = OUR_VERSION


@dataclass
class TableParts:
    """What the solution puts on one table."""

    table: Table | None
    logical_name: str
    forms: list[Form]
    views: list[View]
    commands: list[Command]


def _attributes(table: Table, prefix: str, policy: ManagedPolicy) -> tuple[AttrVM, ...]:
    ctx = ColumnContext(table, prefix, policy)
    ours = [a for c in table.columns for a in column_attributes(c, ctx)]
    if table.existing:
        extra = added_status_reasons(table)
    elif table.virtual is not None:
        extra = virtual_columns(table)
    else:
        extra = system_columns(table)
    return tuple(sorted(ours + extra, key=lambda a: a.physical.lower()))


def _check_table(table: Table) -> None:
    if table.is_activity and not table.existing:
        raise fail(
            "CZ030",
            f"table {table.schema_name}: new activity tables are not supported",
            table.src,
            "model the table as a regular table, or extend an existing activity",
        )
    if table.virtual is not None and table.keys:
        raise fail(
            "CZ032",
            f"virtual table {table.schema_name} cannot have alternate keys",
            table.keys[0].src,
            "Dataverse does not support keys on virtual tables",
        )
    if not table.existing and table.primary_name is None:
        raise fail(
            "CZ031",
            f"table {table.schema_name} has no primary name column",
            table.src,
            "mark one text column as the primary name",
        )


def _keys(table: Table) -> tuple[KeyVM, ...]:
    return tuple(KeyVM(k.schema_name, k.display_name, k.columns) for k in table.keys)


# Table.ownership as Dataverse's OwnershipTypeMask (read back by read_tables._OWNERSHIP).
_OWNERSHIP_MASKS = {"user": "UserOwned", "organization": "OrgOwned", "none": "None"}


def entity_model(
    parts: TableParts, prefix: str, policy: ManagedPolicy, index: ProjectIndex
) -> EntityVM:
    table = parts.table
    logical = parts.logical_name
    forms = [form_model(f, table or index.tables.get(logical), index, True) for f in parts.forms]
    views = tuple(view_model(v, table or index.tables.get(logical), True) for v in parts.views)
    commands = tuple(command_model(c, index) for c in parts.commands)
    if table is None:
        schema = index.schema_name(logical)
        return EntityVM(
            schema,
            schema,
            schema,
            "",
            "",
            False,
            True,
            False,
            (),
            (),
            "",
            "",
            False,
            True,
            "",
            "",
            "",
            form_type_groups(forms),
            views,
            commands,
        )
    _check_table(table)
    virtual = table.virtual
    return EntityVM(
        schema_name=table.schema_name,
        display_name=table.display_name,
        plural_name=table.plural_name or table.display_name,
        description=table.description,
        original_name="" if table.existing else table.display_name,
        has_info=True,
        existing=table.existing,
        virtual=virtual is not None,
        attributes=_attributes(table, prefix, policy),
        keys=_keys(table),
        entity_set=entity_set_name(table.logical_name),
        ownership_mask="OrgOwned" if virtual else _OWNERSHIP_MASKS[table.ownership],
        quick_create=any(f.type == "quickCreate" for f in parts.forms),
        customizable=True,
        provider_id=braced(ODATA_PROVIDER) if virtual else "",
        external_name=virtual.external_name if virtual else "",
        source_id=braced(SOURCE_ID) if virtual else "",
        forms=form_type_groups(forms),
        views=views,
        commands=commands,
    )
