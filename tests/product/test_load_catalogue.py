"""The real solution_src declares every component of the catalogue
(../shared/design/voice-solution.md): names, choices and settings are read from the
catalogue itself, so a component added there and missing here fails."""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
from support.common import SHARED, need_shared

from builder.model import Project

CATALOGUE = SHARED / "design" / "voice-solution.md"

# Backticked or quoted catalogue text that names no component (paths, commands, scenarios,
# the product, a quote from the guide, a pattern, a setting value).
NOT_COMPONENTS = {
    "../shared/seeds/",
    "voice-for-d365-configuration-guide-v2.txt",
    "solution_src/",
    "code",
    "cif1",
    "cif2",
    "cif2-omnichannel",
    "deploy",
    "doctor",
    "msdyn_",
    "msdyn_ciprovider",
    "importconfig.xml",
    "prvread<table>",
    "queueowner",
    "10523",
    "links for the azure apps/functions",
    "lookup to a virtual entity, which is retrieved from enreach api",
}
PACKAGE_NAME = "VoiceForD365Package"  # the package the build makes, not a component


@pytest.fixture(scope="module")
def catalogue() -> str:
    return need_shared(CATALOGUE).read_text(encoding="utf-8")


def _strings(value: Any) -> set[str]:
    """Every string anywhere in a model value, lower-cased (names, labels, display names)."""
    if isinstance(value, str):
        return {value.lower()}
    if isinstance(value, tuple):
        return set().union(*(_strings(v) for v in value)) if value else set()
    if is_dataclass(value) and not isinstance(value, type):
        found: set[str] = set()
        for f in fields(value):
            if f.name not in ("src", "content", "description", "default"):
                found |= _strings(getattr(value, f.name))
        if hasattr(value, "logical_name"):
            found.add(value.logical_name)
        return found
    return set()


def _section(catalogue: str, number: int) -> str:
    match = re.search(rf"^## {number}\..*?(?=^## |\Z)", catalogue, re.M | re.S)
    assert match, f"catalogue section {number} not found"
    return " ".join(match.group(0).split())  # one line: items may wrap anywhere


def test_every_name_and_label_of_the_catalogue_is_declared(
    catalogue: str, project: Project
) -> None:
    declared = _strings(project)
    named = re.findall(r"`([^`]+)`", catalogue) + re.findall(r'"([^"]+)"', catalogue)
    missing = sorted(
        {n for n in named if n.lower() not in declared}
        - {n for n in named if n.lower() in NOT_COMPONENTS or n == PACKAGE_NAME}
    )
    assert missing == []


def test_choice_columns_have_the_catalogue_labels_in_the_publisher_range(
    catalogue: str, project: Project
) -> None:
    listed = re.findall(r"`(enreach_\w+)`\s*\(([^)]*)\)", _section(catalogue, 3))
    checked = 0
    for name, inside in listed:
        column = next(c for t in project.tables for c in t.columns if c.logical_name == name)
        if column.type != "choice":
            continue
        labels = [label.strip() for label in inside.removeprefix("choice:").split(",")]
        assert [o.label for o in column.options] == labels
        assert [o.value for o in column.options] == [105230000 + i for i in range(len(labels))]
        checked += 1
    assert checked >= 6  # category, datatype, ownership, duplicates, sync method, age unit


def test_every_catalogue_setting_is_shipped_with_a_description(
    catalogue: str, project: Project
) -> None:
    text = _section(catalogue, 9).split("Presence (guide 1.7)")[0].split("Phone Call Sync:")[1]
    names = set(re.findall(r"(?:^|[:,])\s*([A-Z][A-Za-z]+)\b", text))
    settings = {s.name: s for s in project.settings}
    assert names - set(settings) == set()
    assert len(names) >= 18
    assert all(settings[n].description for n in names)


def test_presence_mapping_and_plugins_are_settings(catalogue: str, project: Project) -> None:
    text = _section(catalogue, 9).split("Presence (guide 1.7)")[1]
    settings = {s.name: s for s in project.settings}
    mapping = {k: int(v) for k, v in re.findall(r"(\w+)→(\d+)", text)}
    assert json.loads(settings["PresenceMapping"].default) == mapping
    plugins = re.findall(r"([A-Z]\w+) \(([^)]*)\)", text)
    assert len(plugins) == 4
    for plugin, events in plugins:
        assert settings[f"Plugin.{plugin}.Enabled"].default == "True"
        assert settings[f"Plugin.{plugin}.Events"].default.split(",") == [
            e.strip() for e in events.split(",")
        ]


def test_default_crm_assignee_is_an_empty_guid_each_environment_sets(project: Project) -> None:
    setting = next(s for s in project.settings if s.name == "DefaultCrmAssignee")
    assert (setting.datatype, setting.default, setting.required_per_environment) == (
        "Guid",
        "",
        True,
    )


def test_multiple_match_status_points_at_the_open_status_reason(project: Project) -> None:
    phonecall = project.table("phonecall")
    assert phonecall is not None and phonecall.existing
    reason = next(r for r in phonecall.status_reasons if r.label == "Multiple matches")
    setting = next(s for s in project.settings if s.name == "MultipleMatchPhoneCallStatus")
    assert (reason.state, reason.value, int(setting.default)) == (0, 105230000, 105230000)


# Catalogue section 5, transcribed: role -> privilege -> depth.
ROLES = {
    "Voice ApiUser": {
        **{f"prv{v}Activity": "Global" for v in ("Create", "Read", "Write", "Append", "AppendTo")},
        **{
            f"prvRead{t}": "Global" for t in ("Account", "Contact", "Lead", "User", "Team", "Queue")
        },
        **{
            f"prvRead{t}": "Global"
            for t in ("enreach_setting", "enreach_callbackprofile", "enreach_callbacklist")
        },
        "prvWriteUser": "Global",
    },
    "Voice User": {
        **{
            f"prvRead{t}": "Global"
            for t in ("enreach_setting", "enreach_callbackprofile", "enreach_callbacklist")
        },
        **{f"prv{v}Activity": "Basic" for v in ("Create", "Read", "Write", "Append")},
    },
    "Voice Administrator": {
        **{
            f"prv{v}{t}": "Global"
            for v in ("Create", "Read", "Write", "Delete", "Append", "AppendTo")
            for t in ("enreach_setting", "enreach_callbackprofile")
        },
        "prvWriteUser": "Global",
    },
}


@pytest.mark.parametrize("role_name", sorted(ROLES))
def test_roles_hold_the_catalogue_privileges(project: Project, role_name: str) -> None:
    role = next(r for r in project.roles if r.name == role_name)
    held = {p.name: p.depth for p in role.privileges}
    assert {name: held.get(name) for name in ROLES[role_name]} == ROLES[role_name]


def test_privileges_are_named_the_dataverse_way(project: Project) -> None:
    tables = {t.logical_name for t in project.tables if not t.existing}
    system = {"Activity", "Account", "Contact", "Lead", "User", "Team", "Queue"}
    pattern = re.compile(r"prv(Create|Read|Write|Delete|AppendTo|Append|Assign|Share)(\w+)")
    for role in project.roles:
        for privilege in role.privileges:
            match = pattern.fullmatch(privilege.name)
            assert match and match.group(2) in tables | system, privilege.name


def test_every_custom_table_has_a_main_form_and_the_standard_views(project: Project) -> None:
    for table in (t for t in project.tables if not t.existing):
        forms = {f.type for f in project.forms if f.table == table.logical_name}
        views = [v for v in project.views if v.table == table.logical_name]
        assert "main" in forms, table.logical_name
        defaults = {v.type for v in views if v.is_default}
        assert defaults == {"public", "quickfind", "lookup", "advancedfind", "associated"}


def test_phone_call_has_main_quick_create_and_quick_view_forms(project: Project) -> None:
    forms = {f.type: f for f in project.forms if f.table == "phonecall"}
    assert set(forms) == {"main", "quickCreate", "quick"}
    main = forms["main"]
    assert main.name == "Voice for D365 – Phone Call"
    phonecall = project.table("phonecall")
    assert phonecall is not None
    enreach = {c.logical_name for c in phonecall.columns}
    assert enreach <= {f.column for f in main.fields()}
    grids = [i for t in main.tabs for s in t.sections for i in s.items if not hasattr(i, "column")]
    assert any(getattr(g, "relationship", "") == "enreach_phonecall_bundledwith" for g in grids)


def test_callback_profile_form_script_handles_the_sync_method(project: Project) -> None:
    form = next(
        f for f in project.forms if f.table == "enreach_callbackprofile" and f.type == "main"
    )
    events = {(e.event, e.attribute) for e in form.events}
    assert events == {("onload", ""), ("onchange", "enreach_synchronizationmethod")}
    script = next(w for w in project.web_resources if w.name == form.events[0].library)
    assert b"105230000" in script.content and b"105230002" in script.content  # Polling, backed


def test_setting_views_filter_their_category(project: Project) -> None:
    setting = project.table("enreach_setting")
    assert setting is not None
    category = next(c for c in setting.columns if c.logical_name == "enreach_category")
    values = {o.label: str(o.value) for o in category.options}
    for label in ("Phone Call Sync", "Callback Sync", "Presence"):
        view = next(v for v in project.views if v.name == f"{label} Settings")
        assert ("enreach_category", "eq", values[label]) in {
            (c.attribute, c.operator, c.value) for c in view.conditions
        }


def test_app_site_map_command_and_custom_api_fit_together(project: Project) -> None:
    app = project.apps[0]
    titles = [s.title for a in app.areas for g in a.groups for s in g.subareas]
    assert titles == [
        "Phone Call Sync Settings",
        "Callback Sync Settings",
        "Presence Settings",
        "User Settings",
        "Callback Profiles",
    ]
    command = project.commands[0]
    script = next(w for w in project.web_resources if w.name == command.library)
    assert (command.table, command.location, command.app) == ("systemuser", "grid", app.unique_name)
    assert project.custom_apis[0].unique_name.encode() in script.content
    assert project.custom_apis[0].binding == "global"


def test_environment_variables_are_required_strings_without_a_value(project: Project) -> None:
    assert {(v.type, v.required, v.default_value) for v in project.environment_variables} == {
        ("string", True, "")
    }
    callbacklist = project.table("enreach_callbacklist")
    assert callbacklist is not None and callbacklist.virtual is not None
    assert callbacklist.virtual.url_variable in {
        v.schema_name for v in project.environment_variables
    }


def test_multisession_components_belong_to_the_multisession_solution(project: Project) -> None:
    multisession = next(s.unique_name for s in project.solutions if s.role == "multisession")
    parts = (
        project.cif2_providers
        + project.session_templates
        + project.tab_templates
        + project.notification_templates
    )
    assert len(parts) == 6 and {p.solution for p in parts} == {multisession}
    tabs = {t.unique_name: t for t in project.tab_templates}
    for session in project.session_templates:
        anchor = tabs[session.anchor_tab]
        assert anchor.page_type == "entityrecord"
        assert {p.name for p in anchor.parameters} == {"entityName", "entityId"}
    for template in project.notification_templates:
        assert {f.name for f in template.fields} == {"customer", "phonenumber", "queue"}
        assert 0 < template.timeout <= 500


def test_everything_else_belongs_to_the_base_solution(project: Project) -> None:
    base = next(s.unique_name for s in project.solutions if s.role == "base")
    parts = (
        project.tables
        + project.forms
        + project.views
        + project.roles
        + project.apps
        + project.commands
        + project.web_resources
        + project.custom_apis
        + project.environment_variables
    )
    assert {p.solution for p in parts} == {base}


def test_system_privileges_are_ones_real_exports_use(project: Project, corpus: Path) -> None:
    """An unknown privilege name fails the import: ship only names seen in real roles."""
    seen = {
        m
        for p in corpus.rglob("*.xml")
        for m in re.findall(r'name="(prv\w+)"', p.read_text("utf-8", "replace"))
    }
    custom = tuple(t.logical_name for t in project.tables if not t.existing)
    shipped = {p.name for r in project.roles for p in r.privileges if not p.name.endswith(custom)}
    assert shipped and shipped <= seen
