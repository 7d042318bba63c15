"""Source files of the data-shaped components: custom APIs, environment variables, web
resource declarations, channel providers, multisession templates and default settings.
See `unpack_write.py` for the conventions (defaults left out, ids always written)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..model import (
    ApplicationTabTemplate,
    Cif1Provider,
    Cif2Provider,
    CustomApi,
    NotificationTemplate,
    Project,
    SessionTemplate,
    WebResource,
)
from .mapped import Element, element
from .write import Files, file_slug, non_default

# --- custom APIs, environment variables, web resources ----------------------------------------


def custom_api_file(a: CustomApi) -> Element:
    root = element(
        "custom-api",
        [
            ("unique-name", a.unique_name),
            ("display-name", a.display_name),
            ("description", a.description),
            ("binding", None if a.binding == "global" else a.binding),
            ("bound-table", a.bound_table),
            ("is-function", non_default(a.is_function, False)),
            ("is-private", non_default(a.is_private, False)),
            ("allowed-step-type", None if a.allowed_step_type == "none" else a.allowed_step_type),
            ("execute-privilege", a.execute_privilege),
            ("plugin-type", a.plugin_type),
            ("solution", a.solution),
        ],
    )
    for tag, params in (("request", a.request), ("response", a.response)):
        for x in params:
            element(
                tag,
                [
                    ("unique-name", x.unique_name),
                    ("display-name", x.display_name),
                    ("type", x.type),
                    ("description", x.description),
                    ("optional", non_default(x.optional, False)),
                ],
                root,
            )
    return root


def environment_variables_file(p: Project) -> Element:
    root = element("environment-variables")
    for v in p.environment_variables:
        element(
            "environment-variable",
            [
                ("schema-name", v.schema_name),
                ("display-name", v.display_name),
                ("type", None if v.type == "string" else v.type),
                ("default-value", v.default_value),
                ("description", v.description),
                ("required", non_default(v.required, True)),
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
    root = element("web-resources")
    for w in resources:
        element(
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
    return element(
        "cif1-provider",
        [
            ("id", c.id),
            ("name", c.name),
            ("label", c.label),
            ("landing-url", c.landing_url),
            ("enable-outbound", non_default(c.enable_outbound, True)),
            ("sort-order", c.sort_order or None),
            ("api-version", c.api_version or None),
            ("trusted-domain", c.trusted_domain),
            ("custom-params", c.custom_params),
            ("enable-analytics", non_default(c.enable_analytics, False)),
        ],
    )


def cif2_file(c: Cif2Provider) -> Element:
    return element(
        "cif2-provider",
        [
            ("unique-name", c.unique_name),
            ("name", c.name),
            ("label", c.label),
            ("channel-url", c.channel_url),
            ("enable-outbound", non_default(c.enable_outbound, True)),
            ("sort-order", c.sort_order or None),
            ("api-version", None if c.api_version == 162450000 else c.api_version),
            ("trusted-domain", c.trusted_domain),
            ("custom-params", c.custom_params),
            ("enable-analytics", non_default(c.enable_analytics, False)),
            ("solution", c.solution),
        ],
    )


def tab_template_file(t: ApplicationTabTemplate) -> Element:
    root = element(
        "tab-template",
        [
            ("unique-name", t.unique_name),
            ("name", t.name),
            ("title", t.title),
            ("page-type", t.page_type),
            ("can-close", non_default(t.can_close, False)),
            ("description", t.description),
            ("solution", t.solution),
        ],
    )
    for x in t.parameters:
        element(
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
    return element(
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
    root = element(
        "notification-template",
        [
            ("unique-name", n.unique_name),
            ("name", n.name),
            ("title", n.title),
            ("timeout", None if n.timeout == 120 else n.timeout),
            ("show-timeout", non_default(n.show_timeout, True)),
            ("accept-text", None if n.accept_text == "Accept" else n.accept_text),
            ("reject-text", None if n.reject_text == "Reject" else n.reject_text),
            ("show-reject", non_default(n.show_reject, True)),
            ("auto-accept", non_default(n.auto_accept, False)),
            ("icon", n.icon),
            ("description", n.description),
            ("parameters", n.parameters),
            ("solution", n.solution),
        ],
    )
    for f in n.fields:
        element(
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
        root = element("settings", [("category", category)])
        for s in items:
            el = element(
                "setting",
                [
                    ("id", s.id),
                    ("name", s.name),
                    ("datatype", s.datatype),
                    ("description", s.description),
                    ("required-per-environment", non_default(s.required_per_environment, False)),
                ],
                root,
            )
            el.set("default", s.default)  # always written: "" is a meaningful default
        files[f"settings/{file_slug(category)}.xml"] = ("settings", root)
    return files
