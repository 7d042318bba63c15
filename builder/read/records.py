"""Data-shaped solution files as model components: environment variable definitions, custom
APIs (with their request parameters and response properties) and the multisession SCF rows
(channel provider, application tab templates with their parameters, session templates,
notification templates with their fields, and the N:N sets under `Assets/`).

All of them share one shape: the root element is the table, the row key is an attribute,
each child is a column; localizable text has `default=` and `<label>`s, a lookup holds the
target's key as a child element.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..dataverse.choice_values import (
    APP_TAB_PAGE_TYPES,
    CUSTOM_API_BINDING_TYPES,
    CUSTOM_API_PARAMETER_TYPES,
    CUSTOM_API_STEP_TYPES,
)
from ..dataverse.system_columns import STAMP_COLUMNS
from ..model import (
    ENV_VAR_TYPES,
    ApplicationTabTemplate,
    Cif2Provider,
    CustomApi,
    CustomApiParameter,
    EnvironmentVariable,
    NotificationField,
    NotificationTemplate,
    SessionTemplate,
    TemplateParameter,
)
from ..model.remainder import Unread
from ..xmlio.exported import Element, kids, pick_label
from ..xmlio.safe import parse_xml
from .unread import keep_unread, unread_part

Entries = dict[str, bytes]
_ENV_TYPES = {str(code): name for name, code in ENV_VAR_TYPES.items()}
_BINDING = {str(code): name for name, code in CUSTOM_API_BINDING_TYPES.items()}
_STEP_TYPES = {str(code): name for name, code in CUSTOM_API_STEP_TYPES.items()}
PARAMETER_TYPES = sorted(CUSTOM_API_PARAMETER_TYPES, key=CUSTOM_API_PARAMETER_TYPES.__getitem__)
PAGE_TYPES = {code: name for name, code in APP_TAB_PAGE_TYPES.items()}
# The SCF tables the model covers, by their folder in a solution.
MULTISESSION_FOLDERS = (
    "msdyn_channelproviders",
    "msdyn_applicationtabtemplates",
    "msdyn_templateparameters",
    "msdyn_sessiontemplates",
    "msdyn_notificationtemplates",
    "msdyn_notificationfields",
)
ASSET_SETS = (
    "Assets/msdyn_sessiontemplate_applicationtabset.xml",
    "Assets/msdyn_notificationtemplate_notificationfieldset.xml",
)


@dataclass(frozen=True)
class Row:
    """One data-shaped row: its key and its columns as text (labels: the English label).

    Every column lookup goes through `get` (`flag` and `number` too), which records the
    column as read; the columns no lookup asked for are the row's `unread` parts, which
    `keep_unread` gives the component the row belongs to as its remainder."""

    table: str
    key: str
    values: dict[str, str]
    cells: dict[str, Element] = field(default_factory=dict, repr=False, compare=False)
    read: set[str] = field(default_factory=set, repr=False, compare=False)
    value: str = ""  # a cell's value attribute (data.xml: `<field name= value=>`), if any

    def get(self, name: str, default: str = "") -> str:
        """The column's text, `default` when it is missing or empty."""
        return self.cell(name, default) or default

    def cell(self, name: str, default: str = "") -> str:
        """The column's text as given (empty included), `default` when it is missing."""
        self.read.add(name)
        return self.values.get(name, default)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.get(name)
        return default if value == "" else value.lower() in ("1", "true")

    def number(self, name: str, default: int) -> int:
        try:
            return int(self.get(name) or default)
        except ValueError:
            return default

    def unread(self) -> list[Unread]:
        """The columns no lookup asked for, stamps aside, each where `<table> <key>/<column>`."""
        return [
            unread_part(f"{self.table} {self.key}/{name}", cell, self.value)
            for name, cell in self.cells.items()
            if name not in self.read and name not in STAMP_COLUMNS
        ]


def read_row(data: bytes, file: str) -> Row:
    root = parse_xml(data, file)
    key = next((str(v) for k, v in root.attrib.items() if "}" not in str(k)), "")
    cells = {str(c.tag): c for c in root if isinstance(c.tag, str)}
    return Row(str(root.tag), key, {name: _value(c) for name, c in cells.items()}, cells)


def data_row(entity: str, record: Element) -> Row:
    """A configuration data record (data.xml: `<record id><field name value/>...`), as a row."""
    cells = {f.get("name", ""): f for f in kids(record, "field")}
    values = {name: f.get("value", "") for name, f in cells.items()}
    return Row(entity, record.get("id", ""), values, cells, value="value")


def _value(el: Element) -> str:
    if el.get("default") is not None or len(el) and el[0].tag == "label":
        labels = [c for c in el if isinstance(c.tag, str) and c.tag == "label"]
        return pick_label(labels) or el.get("default", "")
    if len(el) and isinstance(el[0].tag, str):
        return (el[0].text or "").strip()  # a lookup: the target's key
    return (el.text or "").strip()


def rows_under(entries: Entries, folder: str) -> list[tuple[str, Row]]:
    """Every `<folder>/<key>/<table>.xml` row, by path."""
    found = []
    for path in sorted(entries):
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == folder and parts[2].endswith(".xml"):
            found.append((path, read_row(entries[path], path)))
    return found


# --- environment variables and custom APIs ---------------------------------------------------


def environment_variable(row: Row, solution: str) -> EnvironmentVariable | None:
    kind = _ENV_TYPES.get(row.get("type", "100000000"))
    if kind is None:
        return None
    variable = EnvironmentVariable(
        schema_name=row.key,
        display_name=row.get("displayname"),
        type=kind,  # type: ignore[arg-type]
        default_value=row.get("defaultvalue"),
        description=row.get("description"),
        required=row.flag("isrequired"),
        solution=solution,
    )
    return keep_unread(variable, row)


def custom_api(row: Row, entries: Entries, folder: str, solution: str) -> CustomApi:
    request = _parameter_rows(entries, f"{folder}/customapirequestparameters/")
    response = _parameter_rows(entries, f"{folder}/customapiresponseproperties/")
    api = CustomApi(
        unique_name=row.key,
        display_name=row.get("displayname"),
        description=row.get("description"),
        binding=_BINDING.get(row.get("bindingtype", "0"), "global"),  # type: ignore[arg-type]
        bound_table=row.get("boundentitylogicalname"),
        is_function=row.flag("isfunction"),
        is_private=row.flag("isprivate"),
        allowed_step_type=_STEP_TYPES.get(  # type: ignore[arg-type]
            row.get("allowedcustomprocessingsteptype", "0"), "none"
        ),
        execute_privilege=row.get("executeprivilegename"),
        plugin_type=row.get("plugintypeid"),
        request=_parameters(request),
        response=_parameters(response),
        solution=solution,
    )
    return keep_unread(api, row, *request, *response)


def _parameter_rows(entries: Entries, prefix: str) -> list[Row]:
    paths = sorted(p for p in entries if p.startswith(prefix) and p.count("/") == 4)
    return [read_row(entries[path], path) for path in paths]


def _parameters(rows: list[Row]) -> tuple[CustomApiParameter, ...]:
    found = []
    for row in rows:
        code = row.number("type", 10)
        found.append(
            CustomApiParameter(
                unique_name=row.key,
                display_name=row.get("displayname"),
                type=PARAMETER_TYPES[code] if 0 <= code < len(PARAMETER_TYPES) else "String",
                description=row.get("description"),
                optional=row.flag("isoptional"),
            )
        )
    return tuple(sorted(found, key=lambda p: p.unique_name))


# --- multisession ------------------------------------------------------------------------------


def channel_provider(row: Row, solution: str) -> Cif2Provider:
    provider = Cif2Provider(
        unique_name=row.key,
        name=row.get("msdyn_name"),
        label=row.get("msdyn_label"),
        channel_url=row.get("msdyn_channelurl"),
        enable_outbound=row.flag("msdyn_enableoutbound", True),
        sort_order=row.number("msdyn_sortorder", 0),
        api_version=row.number("msdyn_apiversion", 162450000),
        trusted_domain=row.get("msdyn_trusteddomain"),
        custom_params=row.get("msdyn_customparams"),
        enable_analytics=row.flag("msdyn_enableanalytics"),
        solution=solution,
    )
    return keep_unread(provider, row)


def tab_template(row: Row, parameters: list[Row], solution: str) -> ApplicationTabTemplate:
    rows = [p for p in parameters if p.get("msdyn_applicationtabtemplateid") == row.key]
    mine = sorted(
        (
            TemplateParameter(
                p.key, p.get("msdyn_name"), p.get("msdyn_value"), p.get("msdyn_description")
            )
            for p in rows
        ),
        key=lambda p: p.unique_name,
    )
    mine.sort(key=_json_order(row.get("msdyn_templateparameters"), [p.name for p in mine]))
    template = ApplicationTabTemplate(
        unique_name=row.key,
        name=row.get("msdyn_name"),
        title=row.get("msdyn_title"),
        page_type=PAGE_TYPES.get(row.number("msdyn_pagetype", 0), row.get("msdyn_pagetype")),
        parameters=tuple(mine),
        can_close=not row.flag("msdyn_pinned"),
        description=row.get("msdyn_description"),
        solution=solution,
    )
    return keep_unread(template, row, *rows)


def _json_order(text: str, names: list[str]) -> Callable[[TemplateParameter], int]:
    """Parameters in the order of the row's msdyn_templateparameters JSON (the page type's
    order, which the build writes back from the parameters), when it names the same ones."""
    try:
        parsed = json.loads(text) if text else {}
    except ValueError:
        parsed = {}
    keys = [str(k) for k in parsed] if isinstance(parsed, dict) else []
    if sorted(keys) != sorted(names):
        keys = names
    return lambda p: keys.index(p.name)


def session_template(row: Row, tabs: dict[str, list[str]], solution: str) -> SessionTemplate:
    template = SessionTemplate(
        unique_name=row.key,
        name=row.get("msdyn_name"),
        title=row.get("msdyn_title"),
        session_type="generic" if row.get("msdyn_sessiontype", "1") == "0" else "entity",
        entity=row.get("msdyn_entity"),
        anchor_tab=row.get("msdyn_anchortab"),
        additional_tabs=tuple(sorted(tabs.get(row.key, []))),
        panel_state=row.number("msdyn_panelstate", 162450002),
        description=row.get("msdyn_description"),
        solution=solution,
    )
    return keep_unread(template, row)


_SLUG = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def _slugs(*texts: str) -> tuple[str, ...]:
    """The {parameter} slugs a notification uses: the zip does not list them, its texts do."""
    return tuple(sorted({m for t in texts for m in _SLUG.findall(t)}))


def notification_template(row: Row, field_rows: list[Row], solution: str) -> NotificationTemplate:
    fields = [notification_field(r) for r in field_rows]
    template = NotificationTemplate(
        unique_name=row.key,
        name=row.get("msdyn_name"),
        title=row.get("msdyn_title"),
        fields=tuple(sorted(fields, key=lambda f: (f.order, f.unique_name))),
        timeout=row.number("msdyn_timeout", 120),
        show_timeout=row.flag("msdyn_showtimeout", True),
        accept_text=row.get("msdyn_acceptbuttontext", "Accept"),
        reject_text=row.get("msdyn_rejectbuttontext", "Reject"),
        show_reject=row.flag("msdyn_showrejectbutton", True),
        auto_accept=row.flag("msdyn_autoacceptnotification"),
        icon=row.get("msdyn_icon"),
        description=row.get("msdyn_description"),
        parameters=_slugs(row.get("msdyn_title"), *(f.value for f in fields)),
        solution=solution,
    )
    return keep_unread(template, row, *field_rows)


def notification_field(row: Row) -> NotificationField:
    return NotificationField(
        row.key,
        row.get("msdyn_name"),
        row.get("msdyn_title"),
        row.get("msdyn_value"),
        row.number("msdyn_order", 0),
    )


def intersect_pairs(data: bytes | None, file: str) -> dict[str, list[str]]:
    """An `Assets/<relationship>set.xml` as {left key: [right keys]}."""
    pairs: dict[str, list[str]] = defaultdict(list)
    if data is None:
        return pairs
    for row in parse_xml(data, file):
        if not isinstance(row.tag, str):
            continue
        values = intersect_keys(row)
        if len(values) == 2:
            pairs[values[0]].append(values[1])
    return pairs


def intersect_keys(row: Element) -> list[str]:
    """An intersect row's two keys, the left table's first: exports write the attributes
    alphabetically, which puts msdyn_notificationfieldid before the template's id."""
    keyed = sorted(
        (str(k), str(v)) for k, v in row.attrib.items() if str(k).endswith(".msdyn_uniquename")
    )
    if len(keyed) == 2 and str(row.tag).split("_")[1] not in keyed[0][0]:
        keyed.reverse()
    return [v for _, v in keyed]
