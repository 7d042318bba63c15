"""Unmanaged layers over our managed components: a customization made in the environment
sits above our managed layer and hides every update we ship to that component.

Dataverse lists a component's layers in `msdyn_componentlayers` (a virtual table of the
"Component History APIs" solution, answered per component: the query names the component by
`msdyn_componentid` and `msdyn_solutioncomponentname`). Layers are ordered by `msdyn_order`
from the base up; the unmanaged layer is the one whose `msdyn_solutionname` is "Active".
Read only: one GET per checked component of our installed solutions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..dataverse.component_types import (
    APP_MODULE,
    NAMES,
    SAVED_QUERY,
    SITE_MAP,
    SYSTEM_FORM,
    TABLES,
    WEB_RESOURCE,
)
from ..deploy.component_keys import guid
from ..deploy.state import HOLDING_SUFFIX, EnvState
from ..deploy.transport import DataverseError, Transport
from ..deploy.webapi import Request, quote

UNMANAGED = "Active"
# the component kinds a customizer changes in the maker portal, and their layer names
CHECKED = {
    kind: TABLES[kind] for kind in (SYSTEM_FORM, SAVED_QUERY, SITE_MAP, APP_MODULE, WEB_RESOURCE)
}


@dataclass(frozen=True)
class Layer:
    solution: str  # our solution holding the component
    kind: str  # form, view, ...
    component: str  # the component's name (its id when Dataverse gives none)
    component_id: str
    above: str  # what sits on top: "Active" (unmanaged) or another solution

    def message(self) -> str:
        return (
            f"an unmanaged layer sits over {self.solution}'s {self.kind} {self.component}: "
            "our updates to it do not show until it is removed (Solution layers > Remove "
            "active customizations)"
        )

    def to_json(self) -> dict[str, str]:
        return {
            "solution": self.solution,
            "kind": self.kind,
            "component": self.component,
            "id": self.component_id,
            "above": self.above,
        }


def query_layers(component_id: str, component_name: str) -> Request:
    flt = (
        f"msdyn_componentid eq {quote(component_id)} and "
        f"msdyn_solutioncomponentname eq {quote(component_name)}"
    )
    return Request(
        "GET",
        "msdyn_componentlayers",
        (("$select", "msdyn_solutionname,msdyn_order,msdyn_name"), ("$filter", flt)),
        label=f"read the solution layers of {component_name} {component_id}",
    )


def unmanaged_layers(transport: Transport, state: EnvState, solutions: list[str]) -> list[Layer]:
    """Our components (of `solutions`, as installed) whose top layer is unmanaged."""
    out = []
    for name in solutions:
        installed = state.solution(name)
        rows = state.components.get(installed.unique_name) if installed else None
        if not installed or name.endswith(HOLDING_SUFFIX) or not installed.managed or not rows:
            continue
        for row in rows:
            kind = int(row.get("msdyn_componenttype") or 0)
            object_id = guid(row.get("msdyn_objectid"))
            if kind in CHECKED and object_id:
                layer = _top(transport, name, kind, object_id, row)
                if layer is not None:
                    out.append(layer)
    return out


def _top(
    transport: Transport, solution: str, kind: int, object_id: str, row: dict[str, object]
) -> Layer | None:
    try:
        layers = transport.get_all(query_layers(object_id, CHECKED[kind]))
    except DataverseError as error:
        if error.status == 404:  # no Component History APIs here: nothing to tell
            return None
        raise
    if not layers:
        return None
    top = max(layers, key=lambda r: int(r.get("msdyn_order") or 0))
    if str(top.get("msdyn_solutionname") or "") != UNMANAGED:
        return None
    label = str(
        row.get("msdyn_name") or row.get("msdyn_schemaname") or top.get("msdyn_name") or object_id
    )
    return Layer(solution, NAMES[kind], label, object_id, UNMANAGED)
