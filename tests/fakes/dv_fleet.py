"""The fake Dataverse as many fleet environments see it: a fixed answer latency, and the
solution layers of components (`msdyn_componentlayers`).

`msdyn_componentlayers` follows Microsoft's reference for the Component Layer table (a
virtual table of the "Component History APIs" solution: msdyn_componentid and
msdyn_solutioncomponentname are strings, msdyn_order an Int32, msdyn_solutionname the layer's
solution): it answers per component, so a query must name both msdyn_componentid and
msdyn_solutioncomponentname (a 400 otherwise). Layers come from what is installed: one per
managed solution holding the component, from the base up, and the unmanaged layer, named
"Active", on top when a test put one there with `unmanaged_layer`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from .dataverse import FakeDataverse, Fault
from .dv_common import HttpError
from .dv_solutions import NS

LAYERS = "msdyn_componentlayers"
LAYER_COLUMNS = frozenset(
    {
        "msdyn_componentlayerid",
        "msdyn_componentid",
        "msdyn_solutioncomponentname",
        "msdyn_solutionname",
        "msdyn_order",
        "msdyn_publishername",
        "msdyn_name",
        "msdyn_overwritetime",
        "msdyn_changes",
        "msdyn_componentjson",
        "msdyn_children",
    }
)
COMPONENT_NAMES = {
    "SystemForm": 60,
    "SavedQuery": 26,
    "SiteMap": 62,
    "AppModule": 80,
    "WebResource": 61,
    "Entity": 1,
}


class FleetDataverse(FakeDataverse):
    def __init__(self, token: str, latency: float = 0.0) -> None:
        super().__init__(token)
        self.latency = latency
        self.active: dict[str, str] = {}  # component id -> its name, customized unmanaged

    def unmanaged_layer(self, component_id: str, name: str) -> None:
        """Someone customized this component in the environment (an unmanaged layer)."""
        self.active[component_id.lower()] = name

    def take_fault(self, method: str, path: str) -> Fault | None:
        if self.latency:  # every request passes here once, before it is answered
            time.sleep(self.latency)
        return super().take_fault(method, path)

    def columns(self, entity_set: str) -> frozenset[str]:
        return LAYER_COLUMNS if entity_set == LAYERS else super().columns(entity_set)

    def rows(self, entity_set: str, params: dict[str, str]) -> list[dict[str, Any]]:
        if entity_set != LAYERS:
            return super().rows(entity_set, params)
        text = params.get("$filter", "")
        if "msdyn_componentid" not in text or "msdyn_solutioncomponentname" not in text:
            raise HttpError(
                400,
                "0x80040203",
                "msdyn_componentlayers is queried per component:"
                " filter on msdyn_componentid and msdyn_solutioncomponentname",
            )
        with self.lock:
            return self._layers()

    def _layers(self) -> list[dict[str, Any]]:
        """Every layer of every component; the server's $filter picks the one asked for."""
        out = []
        for solution, rows in self.components.items():
            row = self.solutions.get(solution)
            if row is None or not row["ismanaged"]:
                continue
            for component in rows:
                name = next(
                    (
                        n
                        for n, k in COMPONENT_NAMES.items()
                        if k == component["msdyn_componenttype"]
                    ),
                    "",
                )
                if name:
                    out.append(
                        _layer(
                            component["msdyn_objectid"],
                            name,
                            solution,
                            1,
                            component.get("msdyn_name") or "",
                        )
                    )
        for component_id, label in self.active.items():
            for layer in [r for r in out if r["msdyn_componentid"] == component_id]:
                out.append(
                    _layer(component_id, layer["msdyn_solutioncomponentname"], "Active", 2, label)
                )
                break
        return out


def _layer(
    component_id: str,
    kind: str,
    solution: str,
    order: int,
    name: str,
) -> dict[str, Any]:
    return {
        "msdyn_componentlayerid": str(uuid.uuid5(NS, f"layer/{component_id}/{solution}")),
        "msdyn_componentid": component_id,
        "msdyn_solutioncomponentname": kind,
        "msdyn_solutionname": solution,
        "msdyn_order": order,
        "msdyn_publishername": "Enreach" if solution != "Active" else "",
        "msdyn_name": name,
        "msdyn_overwritetime": None,
        "msdyn_changes": "{}",
        "msdyn_componentjson": "{}",
        "msdyn_children": None,
    }
