"""Virtual tables (I/O part): read their data source and links, then write what the plan says.

Reads (only when the package has a virtual table and the environment the msdyn_odatav4ds
table): the data providers, the OData v4 data sources, and each existing virtual table's
`DataProviderId` / `DataSourceId`. Writes, after the import: the data source row (PATCH by
id; an update sends `msdyn_uri` alone, with If-Match: *), then per table to link the whole
definition back with the link set (PUT EntityDefinitions(LogicalName=...), MSCRM.MergeLabels),
then `PublishXml` for those tables. A table already pointing at the source is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from .component_keys import guid
from .jobs import Runner
from .transport import Busy, DataverseError, Transport
from .virtual import (
    SOURCE_TABLE,
    VirtualPlan,
    VirtualState,
    VirtualTable,
    linked_definition,
    pick_provider,
    pick_source,
)
from .webapi import (
    get_table_definition,
    get_table_link,
    publish_entities,
    put_table_definition,
    query_data_providers,
    query_data_sources,
    upsert,
)

T = TypeVar("T")


def read_virtual(
    transport: Transport, tables: Iterable[VirtualTable], existing: frozenset[str]
) -> VirtualState | None:
    names = [t.logical_name for t in tables]
    if not names:
        return None
    if SOURCE_TABLE not in existing:
        return VirtualState(False)
    links = {name: _link(transport, name) if name in existing else None for name in names}
    return VirtualState(
        True,
        pick_provider(transport.get_all(query_data_providers())),
        pick_source(transport.get_all(query_data_sources())),
        links,
    )


def _link(transport: Transport, logical_name: str) -> tuple[str, str]:
    row = transport.send(get_table_link(logical_name)).payload or {}
    return guid(row.get("DataProviderId")), guid(row.get("DataSourceId"))


def apply_virtual(runner: Runner, plan: VirtualPlan) -> list[str]:
    """Write the data source and link the tables; the tables actually changed."""
    transport = runner.transport
    if plan.source_action in ("create", "update"):
        write = upsert(
            SOURCE_TABLE,
            plan.source_id,
            dict(plan.fields),
            must_exist=plan.source_action == "update",
        )
        _locked(runner, "the OData v4 data source", lambda: transport.send(write))
    changed = [
        name
        for name in plan.to_link
        if _locked(runner, name, partial(link_table, transport, name, plan))
    ]
    if changed:
        _locked(runner, "publish", lambda: transport.send(publish_entities(changed)))
    return changed


def link_table(transport: Transport, logical_name: str, plan: VirtualPlan) -> bool:
    """Point the table at the provider and source; False when it already does."""
    definition = transport.send(get_table_definition(logical_name)).payload
    if not isinstance(definition, dict):
        raise DataverseError(get_table_definition(logical_name), "no table definition came back")
    current = (guid(definition.get("DataProviderId")), guid(definition.get("DataSourceId")))
    if current == (guid(plan.provider_id), guid(plan.source_id)):
        return False
    body = linked_definition(definition, plan.provider_id, plan.source_id)
    transport.send(put_table_definition(logical_name, body))
    return True


def _locked(runner: Runner, name: str, action: Callable[[], T]) -> T:
    """Metadata writes meet the customization lock like imports do: wait it out."""
    while True:
        try:
            return action()
        except Busy:
            runner.wait_for_lock(name)
