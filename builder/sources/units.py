"""`unpack`'s source units: each component's source element, checked against the source
schemas on its own (so one that would not load can be kept as exported), and the files
they make together with the web resource payloads and the raw parts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from ..errors import Diagnostic
from ..model import Project, RawPart
from ..model.kinds import BY_FIELD, owner_key
from . import schema as load_xsd
from .write import file_slug, global_choice_file, project_file, table_file, to_bytes
from .write_data import (
    cif1_file,
    cif2_file,
    custom_api_file,
    environment_variables_file,
    notification_template_file,
    payload_path,
    session_template_file,
    settings_files,
    tab_template_file,
    web_resources_file,
)
from .write_ui import app_file, command_file, form_file, role_file, views_file

Key = tuple[str, str]  # (component kind, name) as in `read.Fallback`


@dataclass(frozen=True)
class Unit:
    key: Key  # the component it belongs to (or ("", "") for shared files)
    path: str
    kind: str  # the source kind (XSD name)
    element: Any  # lxml element


def problems(unit: Unit) -> list[Diagnostic]:
    copy = etree.fromstring(etree.tostring(unit.element))
    return load_xsd.validate(copy, unit.kind, unit.path)


def source_units(p: Project) -> list[Unit]:
    units = [Unit(("", ""), "project.xml", "project", project_file(p))]
    units += [
        Unit(owner_key(t), f"tables/{t.logical_name}.xml", "table", table_file(t)) for t in p.tables
    ]
    units += [
        Unit(
            owner_key(c),
            f"globalchoices/{c.name.lower()}.xml",
            "globalchoice",
            global_choice_file(c),
        )
        for c in p.global_choices
    ]
    units += _form_units(p) + _view_units(p)
    units += [
        Unit(owner_key(r), f"roles/{file_slug(r.name)}.xml", "role", role_file(r)) for r in p.roles
    ]
    units += [
        Unit(owner_key(a), f"apps/{a.unique_name.lower()}.xml", "app", app_file(a, p))
        for a in p.apps
    ]
    units += [
        Unit(owner_key(c), f"commands/{file_slug(c.id)}.xml", "command", command_file(c))
        for c in p.commands
    ]
    units += [
        Unit(
            owner_key(a),
            f"customapis/{a.unique_name.lower()}.xml",
            "customapi",
            custom_api_file(a),
        )
        for a in p.custom_apis
    ]
    return units + _shared_units(p)


def _form_units(p: Project) -> list[Unit]:
    taken: set[str] = set()
    units = []
    for form in p.forms:
        base = f"forms/{form.table}/{file_slug(form.type + '-' + form.name)}"
        path, n = f"{base}.xml", 1
        while path in taken:
            n += 1
            path = f"{base}-{n}.xml"
        taken.add(path)
        units.append(Unit(owner_key(form), path, "form", form_file(form)))
    return units


def _view_units(p: Project) -> list[Unit]:
    """One file per table (per table and solution when its views span solutions)."""
    groups = sorted({(v.table, v.solution) for v in p.views})
    tables = [t for t, _ in groups]
    return [
        Unit(
            (BY_FIELD["tables"].label, t),
            f"views/{t}{'' if tables.count(t) == 1 else '-' + s}.xml",
            "views",
            views_file(t, s, [v for v in p.views if (v.table, v.solution) == (t, s)]),
        )
        for t, s in groups
    ]


def _shared_units(p: Project) -> list[Unit]:
    units = []
    if p.environment_variables:
        units += [
            Unit(
                owner_key(v),
                "environmentvariables.xml",
                "environmentvariables",
                environment_variables_file(replace(p, environment_variables=(v,))),
            )
            for v in p.environment_variables
        ]
    units += [
        Unit(
            owner_key(w),
            "webresources/webresources.xml",
            "webresources",
            web_resources_file([w]),
        )
        for w in p.web_resources
    ]
    units += [
        Unit(owner_key(c), f"channels/cif1-{file_slug(c.name)}.xml", "cif1provider", cif1_file(c))
        for c in p.cif1_providers
    ]
    units += [
        Unit(
            owner_key(c),
            f"channels/cif2-{c.unique_name.lower()}.xml",
            "cif2provider",
            cif2_file(c),
        )
        for c in p.cif2_providers
    ]
    units += [
        Unit(
            owner_key(t),
            f"multisession/{t.unique_name.lower()}.xml",
            "tabtemplate",
            tab_template_file(t),
        )
        for t in p.tab_templates
    ]
    units += [
        Unit(
            owner_key(s),
            f"multisession/{s.unique_name.lower()}.xml",
            "sessiontemplate",
            session_template_file(s),
        )
        for s in p.session_templates
    ]
    units += [
        Unit(
            owner_key(n),
            f"multisession/{n.unique_name.lower()}.xml",
            "notificationtemplate",
            notification_template_file(n),
        )
        for n in p.notification_templates
    ]
    units += [Unit(("", ""), path, kind, el) for path, (kind, el) in settings_files(p).items()]
    return units


# --- files ---------------------------------------------------------------------------------


def assemble_files(p: Project, units: list[Unit]) -> dict[str, bytes]:
    """Units merged into files (env vars and web resources share one file each), plus web
    resource payloads and the raw parts."""
    files: dict[str, bytes] = {}
    merged: dict[str, Any] = {}
    for unit in units:
        if unit.path in merged:
            merged[unit.path].extend(list(unit.element))
        else:
            merged[unit.path] = unit.element
    files.update({path: to_bytes(el) for path, el in merged.items()})
    for w in p.web_resources:
        files[f"webresources/{payload_path(w)}"] = w.content
    for part in p.raw_parts:
        files[raw_path(part)] = part.content
    return files


def raw_path(part: RawPart) -> str:
    solution = file_slug(part.solution) if part.solution else "_"
    if part.section:
        return f"raw/{part.solution or solution}/sections/{part.section}/{part.path}"
    return f"raw/{part.solution or solution}/entries/{part.path}"
