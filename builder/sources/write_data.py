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
from .mapped import Element, element, write
from .write import Files, file_slug

# --- custom APIs, environment variables, web resources ----------------------------------------


def custom_api_file(a: CustomApi) -> Element:
    return write(a, "custom-api")


def environment_variables_file(p: Project) -> Element:
    root = element("environment-variables")
    for v in p.environment_variables:
        write(v, "environment-variable", root)
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
    for w in resources:  # the payload goes apart, to `file`
        write(w, "web-resource", root, extra=[("file", payload_path(w))])
    return root


# --- channels, multisession, settings -------------------------------------------------------


def cif1_file(c: Cif1Provider) -> Element:
    return write(c, "cif1-provider")


def cif2_file(c: Cif2Provider) -> Element:
    return write(c, "cif2-provider")


def tab_template_file(t: ApplicationTabTemplate) -> Element:
    return write(t, "tab-template")


def session_template_file(s: SessionTemplate) -> Element:
    return write(s, "session-template")


def notification_template_file(n: NotificationTemplate) -> Element:
    return write(n, "notification-template")


def settings_files(p: Project) -> Files:
    by_category: dict[str, list[Any]] = defaultdict(list)
    for s in p.settings:
        by_category[s.category].append(s)
    files: Files = {}
    for category, items in sorted(by_category.items()):
        root = element("settings", [("category", category)])
        for s in items:
            write(s, "setting", root, skip=("category",))  # the file's root holds it
        files[f"settings/{file_slug(category)}.xml"] = ("settings", root)
    return files
