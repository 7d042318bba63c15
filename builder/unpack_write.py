"""A `Project` as `solution_src/` source files (the format of docs/source-format.md).

The inverse of `load`: one function per source kind builds the XML element, leaving out
attributes that hold the model's default so the files read like hand-written ones. Ids
are always written, so an unpacked component keeps the id it has in Dataverse.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeAlias

from lxml import etree

from .model import (
    ApplicationTabTemplate,
    AppModule,
    Cif1Provider,
    Cif2Provider,
    Column,
    Command,
    CustomApi,
    Form,
    FormItem,
    FormQuickView,
    FormSubgrid,
    GlobalChoice,
    NotificationTemplate,
    Project,
    Role,
    SessionTemplate,
    Table,
    View,
    WebResource,
)

Element: TypeAlias = etree._Element
Files = dict[str, tuple[str, Element | bytes]]  # path -> (source kind, element or payload)


def _el(tag: str, attrs: Iterable[tuple[str, Any]] = (), parent: Element | None = None) -> Element:
    """An element with the attributes whose value is not None/""/False-by-default."""
    clean = {k: _text(v) for k, v in attrs if v is not None and v != "" and v != ()}
    return etree.SubElement(parent, tag, clean) if parent is not None else etree.Element(tag, clean)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _flag(value: bool, default: bool) -> bool | None:
    return None if value == default else value


def file_slug(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-.")
    return cleaned.lower()[:80] or "item"


def to_bytes(element: Element) -> bytes:
    etree.indent(element, space="  ")
    return bytes(etree.tostring(element, xml_declaration=True, encoding="utf-8")) + b"\n"


# --- project, tables, choices ------------------------------------------------------------


def four_part(version: str) -> str:
    """Sources always say four parts; an export may say two or three."""
    parts = [x for x in version.split(".") if x.isdigit()][:4]
    return ".".join(parts + ["0"] * (4 - len(parts)))


def project_file(p: Project) -> Element:
    root = _el("project", [("version", four_part(p.version))])
    pub = p.publisher
    _el(
        "publisher",
        [
            ("unique-name", pub.unique_name),
            ("display-name", pub.display_name),
            ("prefix", pub.prefix),
            ("option-value-prefix", pub.option_value_prefix),
            ("description", pub.description),
            ("email", pub.email),
            ("website", pub.website),
        ],
        root,
    )
    for s in p.solutions:
        _el(
            "solution",
            [
                ("unique-name", s.unique_name),
                ("display-name", s.display_name),
                ("role", s.role),
                ("import-order", s.import_order),
                ("description", s.description),
            ],
            root,
        )
    return root


def table_file(t: Table) -> Element:
    root = _el(
        "table",
        [
            ("schema-name", t.schema_name),
            ("display-name", t.display_name),
            ("plural-name", t.plural_name),
            ("description", t.description),
            ("solution", t.solution),
            ("existing", _flag(t.existing, False)),
            ("ownership", None if t.ownership == "user" else t.ownership),
            ("is-activity", _flag(t.is_activity, False)),
        ],
    )
    if t.virtual is not None:
        v = t.virtual
        _el(
            "virtual",
            [
                ("data-provider", v.data_provider),
                ("external-name", v.external_name),
                ("url-variable", v.url_variable),
                ("key-external-name", v.key_external_name),
            ],
            root,
        )
    for column in t.columns:
        _column(column, root)
    for key in t.keys:
        _el(
            "key",
            [
                ("schema-name", key.schema_name),
                ("display-name", key.display_name),
                ("columns", key.columns),
            ],
            root,
        )
    for reason in t.status_reasons:
        _el(
            "status-reason",
            [("value", reason.value), ("label", reason.label), ("state", reason.state)],
            root,
        )
    return root


def _column(c: Column, parent: Element) -> None:
    el = _el(
        "column",
        [
            ("schema-name", c.schema_name),
            ("type", c.type),
            ("display-name", c.display_name),
            ("description", c.description),
            ("required", None if c.required == "none" else c.required),
            ("max-length", c.max_length),
            ("format", c.format),
            ("min-value", c.min_value),
            ("max-value", c.max_value),
            ("precision", c.precision),
            ("global-choice", c.global_choice),
            ("default-option", c.default_option),
            ("false-label", None if c.boolean_labels[0] == "No" else c.boolean_labels[0]),
            ("true-label", None if c.boolean_labels[1] == "Yes" else c.boolean_labels[1]),
            ("default-boolean", _flag(c.default_boolean, False)),
            ("targets", c.targets),
            ("relationship", c.relationship),
            ("is-primary-name", _flag(c.is_primary_name, False)),
            ("audit", _flag(c.audit, True)),
            ("external-name", c.external_name),
        ],
        parent,
    )
    for o in c.options:
        _el("option", [("value", o.value), ("label", o.label), ("description", o.description)], el)


def global_choice_file(c: GlobalChoice) -> Element:
    root = _el(
        "global-choice",
        [
            ("name", c.name),
            ("display-name", c.display_name),
            ("description", c.description),
            ("solution", c.solution),
        ],
    )
    for o in c.options:
        _el(
            "option", [("value", o.value), ("label", o.label), ("description", o.description)], root
        )
    return root


# --- forms, views, roles, apps, commands -------------------------------------------------


def form_file(f: Form) -> Element:
    root = _el(
        "form",
        [
            ("id", f.id),
            ("table", f.table),
            ("type", f.type),
            ("name", f.name),
            ("description", f.description),
            ("libraries", f.libraries),
            ("solution", f.solution),
        ],
    )
    for e in f.events:
        _el(
            "event",
            [
                ("event", e.event),
                ("attribute", e.attribute),
                ("library", e.library),
                ("function", e.function),
                ("pass-context", _flag(e.pass_context, True)),
            ],
            root,
        )
    if f.header:
        header = _el("header", (), root)
        for field in f.header:
            _item(field, header)
    for tab in f.tabs:
        tab_el = _el("tab", [("name", tab.name), ("label", tab.label)], root)
        for section in tab.sections:
            sec = _el(
                "section",
                [
                    ("name", section.name),
                    ("label", section.label),
                    ("show-label", _flag(section.show_label, True)),
                ],
                tab_el,
            )
            for item in section.items:
                _item(item, sec)
    return root


def _item(item: FormItem, parent: Element) -> None:
    if isinstance(item, FormSubgrid):
        _el(
            "subgrid",
            [
                ("name", item.name),
                ("label", item.label),
                ("table", item.table),
                ("view", item.view),
                ("relationship", item.relationship),
            ],
            parent,
        )
    elif isinstance(item, FormQuickView):
        _el(
            "quick-view",
            [
                ("name", item.name),
                ("label", item.label),
                ("lookup", item.lookup),
                ("form", item.form),
            ],
            parent,
        )
    else:
        _el(
            "field",
            [
                ("column", item.column),
                ("label", item.label),
                ("readonly", _flag(item.readonly, False)),
            ],
            parent,
        )


def views_file(table: str, solution: str, views: list[View]) -> Element:
    root = _el("views", [("table", table), ("solution", solution)])
    for v in views:
        el = _el(
            "view",
            [
                ("id", v.id),
                ("name", v.name),
                ("type", None if v.type == "public" else v.type),
                ("is-default", _flag(v.is_default, False)),
                ("description", v.description),
                ("find-columns", v.find_columns),
            ],
            root,
        )
        for c in v.columns:
            _el("column", [("name", c.name), ("width", None if c.width == 150 else c.width)], el)
        for cond in v.conditions:
            _el(
                "condition",
                [("attribute", cond.attribute), ("operator", cond.operator), ("value", cond.value)],
                el,
            )
        for o in v.order:
            _el(
                "order",
                [("attribute", o.attribute), ("descending", _flag(o.descending, False))],
                el,
            )
    return root


def role_file(r: Role) -> Element:
    root = _el(
        "role",
        [("id", r.id), ("name", r.name), ("description", r.description), ("solution", r.solution)],
    )
    for p in r.privileges:
        _el("privilege", [("name", p.name), ("depth", p.depth)], root)
    return root


def app_file(a: AppModule, p: Project) -> Element:
    root = _el(
        "app",
        [
            ("id", a.id),
            ("unique-name", a.unique_name),
            ("display-name", a.display_name),
            ("description", a.description),
            ("icon", a.icon),
            ("solution", a.solution),
        ],
    )
    roles = {r.id: r.name for r in p.roles}
    for role_id in a.roles:
        _el("role", [("name", roles.get(role_id, str(role_id)))], root)
    mapped = {s.table for area in a.areas for g in area.groups for s in g.subareas}
    for table in a.tables:
        if table not in mapped:
            _el("table", [("name", table)], root)
    forms = {f.id: f for f in p.forms}
    views = {v.id: v for v in p.views}
    for form_id in a.forms:
        form = forms.get(form_id)
        _el(
            "form",
            [("table", form.table if form else "?"), ("name", form.name if form else str(form_id))],
            root,
        )
    for view_id in a.views:
        view = views.get(view_id)
        _el(
            "view",
            [("table", view.table if view else "?"), ("name", view.name if view else str(view_id))],
            root,
        )
    for area in a.areas:
        area_el = _el("area", [("id", area.id), ("title", area.title)], root)
        for g in area.groups:
            group_el = _el("group", [("id", g.id), ("title", g.title)], area_el)
            for s in g.subareas:
                _el(
                    "subarea",
                    [
                        ("id", s.id),
                        ("title", s.title),
                        ("table", s.table),
                        ("view", s.view),
                        ("url", s.url),
                    ],
                    group_el,
                )
    return root


def command_file(c: Command) -> Element:
    return _el(
        "command",
        [
            ("id", c.id),
            ("table", c.table),
            ("location", c.location),
            ("label", c.label),
            ("library", c.library),
            ("function", c.function),
            ("tooltip", c.tooltip),
            ("icon", c.icon),
            ("sequence", None if c.sequence == 100 else c.sequence),
            ("app", c.app),
            ("solution", c.solution),
        ],
    )


# --- custom APIs, environment variables, web resources ----------------------------------------


def custom_api_file(a: CustomApi) -> Element:
    root = _el(
        "custom-api",
        [
            ("unique-name", a.unique_name),
            ("display-name", a.display_name),
            ("description", a.description),
            ("binding", None if a.binding == "global" else a.binding),
            ("bound-table", a.bound_table),
            ("is-function", _flag(a.is_function, False)),
            ("is-private", _flag(a.is_private, False)),
            ("allowed-step-type", None if a.allowed_step_type == "none" else a.allowed_step_type),
            ("execute-privilege", a.execute_privilege),
            ("plugin-type", a.plugin_type),
            ("solution", a.solution),
        ],
    )
    for tag, params in (("request", a.request), ("response", a.response)):
        for x in params:
            _el(
                tag,
                [
                    ("unique-name", x.unique_name),
                    ("display-name", x.display_name),
                    ("type", x.type),
                    ("description", x.description),
                    ("optional", _flag(x.optional, False)),
                ],
                root,
            )
    return root


def environment_variables_file(p: Project) -> Element:
    root = _el("environment-variables")
    for v in p.environment_variables:
        _el(
            "environment-variable",
            [
                ("schema-name", v.schema_name),
                ("display-name", v.display_name),
                ("type", None if v.type == "string" else v.type),
                ("default-value", v.default_value),
                ("description", v.description),
                ("required", _flag(v.required, True)),
                ("solution", v.solution),
            ],
            root,
        )
    return root


def payload_path(resource: WebResource) -> str:
    """Where a web resource's payload goes under webresources/: its name without the
    publisher folder (`enreach_/scripts/x.js` -> `scripts/x.js`), always in a subfolder."""
    name = resource.name.split("/", 1)[1] if "_/" in resource.name else resource.name
    parts = [file_slug(p) for p in name.split("/") if p not in ("", ".", "..")]
    if len(parts) < 2:
        parts.insert(0, "files")
    return "/".join(parts)


def web_resources_file(resources: list[WebResource]) -> Element:
    root = _el("web-resources")
    for w in resources:
        _el(
            "web-resource",
            [
                ("id", w.id),
                ("name", w.name),
                ("display-name", w.display_name),
                ("file", payload_path(w)),
                ("type", w.type),
                ("description", w.description),
                ("solution", w.solution),
            ],
            root,
        )
    return root


# --- channels, multisession, settings -------------------------------------------------------


def cif1_file(c: Cif1Provider) -> Element:
    return _el(
        "cif1-provider",
        [
            ("id", c.id),
            ("name", c.name),
            ("label", c.label),
            ("landing-url", c.landing_url),
            ("enable-outbound", _flag(c.enable_outbound, True)),
            ("sort-order", c.sort_order or None),
            ("api-version", c.api_version or None),
            ("trusted-domain", c.trusted_domain),
            ("custom-params", c.custom_params),
            ("enable-analytics", _flag(c.enable_analytics, False)),
        ],
    )


def cif2_file(c: Cif2Provider) -> Element:
    return _el(
        "cif2-provider",
        [
            ("unique-name", c.unique_name),
            ("name", c.name),
            ("label", c.label),
            ("channel-url", c.channel_url),
            ("enable-outbound", _flag(c.enable_outbound, True)),
            ("sort-order", c.sort_order or None),
            ("api-version", None if c.api_version == 162450000 else c.api_version),
            ("trusted-domain", c.trusted_domain),
            ("custom-params", c.custom_params),
            ("enable-analytics", _flag(c.enable_analytics, False)),
            ("solution", c.solution),
        ],
    )


def tab_template_file(t: ApplicationTabTemplate) -> Element:
    root = _el(
        "tab-template",
        [
            ("unique-name", t.unique_name),
            ("name", t.name),
            ("title", t.title),
            ("page-type", t.page_type),
            ("can-close", _flag(t.can_close, False)),
            ("description", t.description),
            ("solution", t.solution),
        ],
    )
    for x in t.parameters:
        _el(
            "parameter",
            [
                ("unique-name", x.unique_name),
                ("name", x.name),
                ("value", x.value),
                ("description", x.description),
            ],
            root,
        )
    return root


def session_template_file(s: SessionTemplate) -> Element:
    return _el(
        "session-template",
        [
            ("unique-name", s.unique_name),
            ("name", s.name),
            ("title", s.title),
            ("session-type", None if s.session_type == "entity" else s.session_type),
            ("entity", s.entity),
            ("anchor-tab", s.anchor_tab),
            ("additional-tabs", s.additional_tabs),
            ("panel-state", None if s.panel_state == 162450002 else s.panel_state),
            ("description", s.description),
            ("solution", s.solution),
        ],
    )


def notification_template_file(n: NotificationTemplate) -> Element:
    root = _el(
        "notification-template",
        [
            ("unique-name", n.unique_name),
            ("name", n.name),
            ("title", n.title),
            ("timeout", None if n.timeout == 120 else n.timeout),
            ("show-timeout", _flag(n.show_timeout, True)),
            ("accept-text", None if n.accept_text == "Accept" else n.accept_text),
            ("reject-text", None if n.reject_text == "Reject" else n.reject_text),
            ("show-reject", _flag(n.show_reject, True)),
            ("auto-accept", _flag(n.auto_accept, False)),
            ("icon", n.icon),
            ("description", n.description),
            ("parameters", n.parameters),
            ("solution", n.solution),
        ],
    )
    for f in n.fields:
        _el(
            "field",
            [
                ("unique-name", f.unique_name),
                ("name", f.name),
                ("label", f.label),
                ("value", f.value),
                ("order", f.order or None),
            ],
            root,
        )
    return root


def settings_files(p: Project) -> Files:
    by_category: dict[str, list[Any]] = defaultdict(list)
    for s in p.settings:
        by_category[s.category].append(s)
    files: Files = {}
    for category, items in sorted(by_category.items()):
        root = _el("settings", [("category", category)])
        for s in items:
            el = _el(
                "setting",
                [
                    ("id", s.id),
                    ("name", s.name),
                    ("datatype", s.datatype),
                    ("description", s.description),
                    ("required-per-environment", _flag(s.required_per_environment, False)),
                ],
                root,
            )
            el.set("default", s.default)  # always written: "" is a meaningful default
        files[f"settings/{file_slug(category)}.xml"] = ("settings", root)
    return files
