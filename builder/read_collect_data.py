"""The data-shaped files of a solution read into the model: environment variable
definitions, custom APIs and the multisession SCF rows (with their `Assets/` N:N sets).
Part of `read_collect`: fills the same `Collected`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .model import RawPart
from .read_records import (
    ASSET_SETS,
    channel_provider,
    custom_api,
    environment_variable,
    intersect_pairs,
    notification_field,
    notification_template,
    rows_under,
    session_template,
    tab_template,
)

if TYPE_CHECKING:
    from .read_collect import Collected

Entries = dict[str, bytes]
Maker = Callable[[], RawPart]


def sort_by(items: list[Any], key: Callable[[Any], Any]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=key))


def ready(*parts: RawPart) -> tuple[Maker, ...]:
    """Parts already at hand, as makers."""
    return tuple((lambda p=p: p) for p in parts)


def collect_records(found: Collected, entries: Entries) -> None:
    variables = []
    for path, row in rows_under(entries, "environmentvariabledefinitions"):
        variable = environment_variable(row, found.solution)
        if variable is not None:
            variables.append(variable)
            found.used.add(path)
            found.fallbacks.append(
                (
                    "environment variable",
                    variable.schema_name,
                    ready(RawPart(path, entries[path], "", found.solution)),
                    (),
                )
            )
    found.environment_variables = sort_by(variables, lambda v: v.schema_name.lower())
    apis = []
    for path, row in rows_under(entries, "customapis"):
        folder = path.rsplit("/", 1)[0]
        apis.append(custom_api(row, entries, folder, found.solution))
        files = sorted(p for p in entries if p.startswith(folder + "/"))
        found.used.update(files)
        found.fallbacks.append(
            (
                "custom api",
                row.key,
                ready(*(RawPart(p, entries[p], "", found.solution) for p in files)),
                (),
            )
        )
    found.custom_apis = sort_by(apis, lambda a: a.unique_name.lower())
    _collect_multisession(found, entries)


def _rows(found: Collected, entries: Entries, folder: str) -> list[Any]:
    rows = rows_under(entries, folder)
    found.used.update(path for path, _ in rows)
    return [row for _, row in rows]


def _collect_multisession(found: Collected, entries: Entries) -> None:
    solution = found.solution
    found.cif2_providers = sort_by(
        [channel_provider(r, solution) for r in _rows(found, entries, "msdyn_channelproviders")],
        lambda p: p.unique_name.lower(),
    )
    parameters = _rows(found, entries, "msdyn_templateparameters")
    found.tab_templates = sort_by(
        [
            tab_template(r, parameters, solution)
            for r in _rows(found, entries, "msdyn_applicationtabtemplates")
        ],
        lambda t: t.unique_name.lower(),
    )
    tabs = intersect_pairs(entries.get(ASSET_SETS[0]), ASSET_SETS[0])
    found.session_templates = sort_by(
        [
            session_template(r, tabs, solution)
            for r in _rows(found, entries, "msdyn_sessiontemplates")
        ],
        lambda t: t.unique_name.lower(),
    )
    fields = {
        r.key: notification_field(r) for r in _rows(found, entries, "msdyn_notificationfields")
    }
    links = intersect_pairs(entries.get(ASSET_SETS[1]), ASSET_SETS[1])
    found.notification_templates = sort_by(
        [
            notification_template(
                r, [fields[k] for k in links.get(r.key, []) if k in fields], solution
            )
            for r in _rows(found, entries, "msdyn_notificationtemplates")
        ],
        lambda t: t.unique_name.lower(),
    )
    found.used.update(a for a in ASSET_SETS if a in entries)
