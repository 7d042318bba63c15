"""The CIF 2.0 / multisession rows as SCF solution files.

Each row is `<table>s/<msdyn_uniquename>/<table>.xml`, the folder rule of every exported SCF
table. Column names, choice values and which columns are localizable come from Microsoft's
entity reference of each table; the shapes match the real exports in corpus2 (DCCP,
Contoso, Twilio; docs/verified.md). N:N links (a session's extra tabs, a notification's
fields) are `<relationship>set` elements inside customizations.xml (`intersect_sets`),
keyed by unique names, as every real export writes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..dataverse.choice_values import APP_TAB_PAGE_TYPES
from ..errors import BuildError
from ..model import (
    ApplicationTabTemplate,
    Cif2Provider,
    NotificationField,
    NotificationTemplate,
    Project,
    SessionTemplate,
    TemplateParameter,
)
from .records import (
    Field,
    IntersectRow,
    flag,
    label,
    lookup,
    optional,
    record,
    render_intersect,
    render_record,
    text,
)

PAGE_TYPES = APP_TAB_PAGE_TYPES  # msdyn_applicationtabtemplate.msdyn_pagetype
SESSION_TYPES = {"generic": 0, "entity": 1}  # msdyn_sessiontemplate.msdyn_sessiontype
UNIQUE = "msdyn_uniquename"
SESSION_TABS = "msdyn_sessiontemplate_applicationtab"
NOTIFICATION_FIELDS = "msdyn_notificationtemplate_notificationfield"


def scf_path(table: str, key: str) -> str:
    return f"{table}s/{key}/{table}.xml"


def _active() -> list[Field]:
    return [flag("iscustomizable", True), text("statecode", 0), text("statuscode", 1)]


def _row(table: str, key: str, fields: Iterable[Field | None]) -> tuple[str, bytes]:
    return scf_path(table, key), render_record(record(table, UNIQUE, key, [*fields, *_active()]))


def multisession_files(part: Project) -> dict[str, bytes]:
    rows = [_provider(p) for p in part.cif2_providers]
    for tab in part.tab_templates:
        rows.append(_tab(tab))
        rows += [_parameter(tab, p) for p in tab.parameters]
    rows += [_session(s) for s in part.session_templates]
    for note in part.notification_templates:
        rows.append(_notification(note))
        rows += [_notification_field(f) for f in note.fields]
    return dict(rows)


def _provider(p: Cif2Provider) -> tuple[str, bytes]:
    return _row(
        "msdyn_channelprovider",
        p.unique_name,
        [
            text("msdyn_apiversion", p.api_version),
            text("msdyn_channelurl", p.channel_url),
            optional(text("msdyn_customparams", p.custom_params)),
            flag("msdyn_enableanalytics", p.enable_analytics),
            flag("msdyn_enableoutbound", p.enable_outbound),
            optional(label("msdyn_label", p.label)),  # exports may leave it out
            text("msdyn_name", p.name),
            text("msdyn_sortorder", p.sort_order),
            optional(text("msdyn_trusteddomain", p.trusted_domain)),
        ],
    )


def _tab(tab: ApplicationTabTemplate) -> tuple[str, bytes]:
    return _row(
        "msdyn_applicationtabtemplate",
        tab.unique_name,
        [
            optional(label("msdyn_description", tab.description)),
            label("msdyn_name", tab.name),
            text("msdyn_pagetype", _page_type(tab)),
            flag("msdyn_pinned", not tab.can_close),  # "Can close": 0 = Yes, 1 = No
            text("msdyn_templateparameters", template_parameters_json(tab)),
            optional(label("msdyn_title", tab.title)),
        ],
    )


def template_parameters_json(tab: ApplicationTabTemplate) -> str:
    """`msdyn_templateparameters`: the tab's parameter rows again as one JSON object, as every
    real tab template row carries it (corpus2 DCCP, Contoso): `{"name":{"value":...}}` in row
    order, null for a parameter without a value, compact, `/` escaped by a backslash as
    Dataverse writes it.
    Derived from the same parameters as the `msdyn_templateparameter` rows, so the two agree."""
    values = {p.name: {"value": p.value or None} for p in tab.parameters}
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False).replace("/", "\\/")


def _page_type(tab: ApplicationTabTemplate) -> int:
    key = tab.page_type.lower().replace(" ", "").replace("_", "")
    if key not in PAGE_TYPES:
        raise BuildError.at(
            "BLD202",
            f"application tab template {tab.unique_name}: unknown page type {tab.page_type!r}",
            file=tab.src.file,
            line=tab.src.line,
            hint="use one of " + ", ".join(PAGE_TYPES),
        )
    return PAGE_TYPES[key]


def _parameter(tab: ApplicationTabTemplate, p: TemplateParameter) -> tuple[str, bytes]:
    return _row(
        "msdyn_templateparameter",
        p.unique_name,
        [
            lookup("msdyn_applicationtabtemplateid", tab.unique_name),
            label("msdyn_name", p.name),
            optional(text("msdyn_value", p.value)),  # 38 of 51 exported rows have none
        ],
    )


def _session(s: SessionTemplate) -> tuple[str, bytes]:
    return _row(
        "msdyn_sessiontemplate",
        s.unique_name,
        [
            lookup("msdyn_anchortab", s.anchor_tab) if s.anchor_tab else None,
            optional(label("msdyn_description", s.description)),
            optional(text("msdyn_entity", s.entity)),
            label("msdyn_name", s.name),
            text("msdyn_panelstate", s.panel_state),
            text("msdyn_sessiontype", SESSION_TYPES[s.session_type]),
            label("msdyn_title", s.title),
            flag("msdyn_type", s.session_type == "entity"),  # legacy twin of msdyn_sessiontype
        ],
    )


def _notification(n: NotificationTemplate) -> tuple[str, bytes]:
    return _row(
        "msdyn_notificationtemplate",
        n.unique_name,
        [
            label("msdyn_acceptbuttontext", n.accept_text),
            flag("msdyn_autoacceptnotification", n.auto_accept),
            optional(label("msdyn_description", n.description)),
            optional(text("msdyn_icon", n.icon)),
            label("msdyn_name", n.name),
            label("msdyn_rejectbuttontext", n.reject_text),
            flag("msdyn_showrejectbutton", n.show_reject),
            flag("msdyn_showtimeout", n.show_timeout),
            text("msdyn_timeout", n.timeout),
            label("msdyn_title", n.title),
        ],
    )


def _notification_field(f: NotificationField) -> tuple[str, bytes]:
    return _row(
        "msdyn_notificationfield",
        f.unique_name,
        [
            label("msdyn_name", f.name),
            text("msdyn_order", f.order),
            label("msdyn_title", f.label),
            label("msdyn_value", f.value),
        ],
    )


def intersect_sets(part: Project) -> list[str]:
    """The N:N sets of `part`, for customizations.xml, in the order exports write them."""
    tabs = [
        IntersectRow(
            f"msdyn_sessiontemplateid.{UNIQUE}",
            s.unique_name,
            f"msdyn_applicationtabtemplateid.{UNIQUE}",
            tab,
        )
        for s in part.session_templates
        for tab in s.additional_tabs
    ]
    fields = [
        IntersectRow(
            f"msdyn_notificationtemplateid.{UNIQUE}",
            n.unique_name,
            f"msdyn_notificationfieldid.{UNIQUE}",
            f.unique_name,
        )
        for n in part.notification_templates
        for f in n.fields
    ]
    sets = sorted([(NOTIFICATION_FIELDS, fields), (SESSION_TABS, tabs)])
    return [render_intersect(relationship, rows) for relationship, rows in sets if rows]
