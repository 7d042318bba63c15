"""The data-shaped files of a solution read into the model: environment variable
definitions, custom APIs and the multisession SCF rows (with their `Assets/` N:N sets).
Part of `read_collect`: fills the same `Collected`."""

from __future__ import annotations

from collections import defaultdict

from ..model import RawPart
from ..model.kinds import BY_FIELD
from ..xmlio.exported import Element
from .collected import Collected, Entries, Maker
from .records import (
    ASSET_SETS,
    Row,
    channel_provider,
    custom_api,
    environment_variable,
    intersect_keys,
    intersect_pairs,
    notification_template,
    rows_under,
    session_template,
    tab_template,
)


def ready(*parts: RawPart) -> tuple[Maker, ...]:
    """Parts already at hand, as makers."""
    return tuple((lambda p=p: p) for p in parts)


def collect_records(found: Collected, entries: Entries, sections: dict[str, Element]) -> None:
    """Data-shaped rows; the multisession N:N sets it consumes are taken out of `sections`."""
    variables = []
    for path, row in rows_under(entries, "environmentvariabledefinitions"):
        variable = environment_variable(row, found.solution)
        if variable is not None:
            variables.append(variable)
            found.used.add(path)
            found.fallbacks.append(
                (
                    BY_FIELD["environment_variables"].label,
                    variable.schema_name,
                    ready(RawPart(path, entries[path], "", found.solution)),
                    (),
                )
            )
    found.put("environment_variables", variables)
    apis = []
    for path, row in rows_under(entries, "customapis"):
        folder = path.rsplit("/", 1)[0]
        apis.append(custom_api(row, entries, folder, found.solution))
        files = sorted(p for p in entries if p.startswith(folder + "/"))
        found.used.update(files)
        found.fallbacks.append(
            (
                BY_FIELD["custom_apis"].label,
                row.key,
                ready(*(RawPart(p, entries[p], "", found.solution) for p in files)),
                (),
            )
        )
    found.put("custom_apis", apis)
    _collect_multisession(found, entries, sections)


def _rows(found: Collected, entries: Entries, folder: str) -> list[tuple[str, Row]]:
    rows = rows_under(entries, folder)
    found.used.update(path for path, _ in rows)
    return rows


# The N:N sets of the multisession tables: in customizations.xml (as Dataverse exports them)
# or in Assets/ (older builds of ours).
SETS = (
    "msdyn_sessiontemplate_applicationtabset",
    "msdyn_notificationtemplate_notificationfieldset",
)


def _set_rows(found: Collected, entries: Entries, sections: dict[str, Element], name: str):  # type: ignore[no-untyped-def]
    """{left key: [right keys]} of one set, and each left key's parts (makers)."""
    asset = next(a for a in ASSET_SETS if a.endswith(f"/{name}.xml"))
    pairs = intersect_pairs(entries.get(asset), asset)
    parts: dict[str, list[Maker]] = defaultdict(list)
    if asset in entries:
        found.used.add(asset)
        for left in pairs:
            parts[left] += ready(RawPart(asset, entries[asset], "", found.solution))
    section = sections.pop(name, None)
    for row in (r for r in (section if section is not None else ()) if isinstance(r.tag, str)):
        keys = intersect_keys(row)
        if len(keys) != 2:
            found.raw.append(found.section_part(name, row, str(row.tag)))
            continue
        pairs[keys[0]].append(keys[1])
        parts[keys[0]].append(found.lazy_part(name, row, "-".join(keys)))
    return pairs, parts


def _alternate(found: Collected, kind: str, key: str, makers: list[Maker]) -> None:
    found.fallbacks.append((kind, key, tuple(makers), ()))


def _file(found: Collected, entries: Entries, path: str) -> Maker:
    return ready(RawPart(path, entries[path], "", found.solution))[0]


def _collect_multisession(found: Collected, entries: Entries, sections: dict[str, Element]) -> None:
    solution = found.solution
    providers = []
    for path, row in _rows(found, entries, "msdyn_channelproviders"):
        providers.append(channel_provider(row, solution))
        _alternate(found, BY_FIELD["cif2_providers"].label, row.key, [_file(found, entries, path)])
    found.put("cif2_providers", providers)
    parameters = _rows(found, entries, "msdyn_templateparameters")
    tabs = []
    for path, row in _rows(found, entries, "msdyn_applicationtabtemplates"):
        tabs.append(tab_template(row, [r for _, r in parameters], solution))
        mine = [p for p, r in parameters if r.get("msdyn_applicationtabtemplateid") == row.key]
        _alternate(
            found,
            BY_FIELD["tab_templates"].label,
            row.key,
            [_file(found, entries, p) for p in [path, *mine]],
        )
    found.put("tab_templates", tabs)
    links, link_parts = _set_rows(found, entries, sections, SETS[0])
    sessions = []
    for path, row in _rows(found, entries, "msdyn_sessiontemplates"):
        sessions.append(session_template(row, links, solution))
        makers = [_file(found, entries, path), *link_parts.get(row.key, [])]
        _alternate(found, BY_FIELD["session_templates"].label, row.key, makers)
    found.put("session_templates", sessions)
    field_rows = {r.key: (p, r) for p, r in _rows(found, entries, "msdyn_notificationfields")}
    links, link_parts = _set_rows(found, entries, sections, SETS[1])
    notifications = []
    for path, row in _rows(found, entries, "msdyn_notificationtemplates"):
        mine = [k for k in links.get(row.key, []) if k in field_rows]
        fields = [field_rows[k][1] for k in mine]
        notifications.append(notification_template(row, fields, solution))
        makers = [_file(found, entries, p) for p in [path, *(field_rows[k][0] for k in mine)]]
        _alternate(
            found,
            BY_FIELD["notification_templates"].label,
            row.key,
            makers + link_parts.get(row.key, []),
        )
    found.put("notification_templates", notifications)
    linked = {k for keys in links.values() for k in keys}
    for key, (path, _) in field_rows.items():  # a field no template shows
        if key not in linked:
            found.used.discard(path)
