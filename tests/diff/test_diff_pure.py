"""The pure diff over hand-built projects: each kind of change made once, its report checked.

`base_project()` is a small but complete project (every component kind once);
`changed_project()` makes one change of each kind the diff must name. Both are this module's
own (no test module imports another).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from support.samples import MultisessionParts, name_column, options

from builder import model as m
from builder.diff.comparers import COMPARERS
from builder.diff.core import Change, DiffReport
from builder.diff.projects import diff_projects, parse_version, version_problems
from builder.diff.show import SECTIONS, render_json, render_markdown, render_text
from builder.model.kinds import KINDS

CASES = Path(__file__).parents[1] / "cases" / "diff_every_kind"
FORM_ID = uuid.UUID("11111111-1111-1111-1111-111111111111")
VIEW_ID = uuid.UUID("22222222-2222-2222-2222-222222222222")
ROLE_ID = uuid.UUID("33333333-3333-3333-3333-333333333333")


def _tables() -> tuple[m.Table, ...]:
    setting = m.Table(
        "enreach_Setting",
        "Voice Setting",
        "Voice Settings",
        solution="Base",
        ownership="organization",
        columns=(
            name_column(),
            m.Column("enreach_Value", "text", "Value", max_length=4000),
            m.Column(
                "enreach_Category",
                "choice",
                "Category",
                options=options("Phone Call Sync", "Callback Sync", "General"),
            ),
            m.Column("enreach_Count", "integer", "Count", min_value=0, max_value=1000),
        ),
        keys=(m.AlternateKey("enreach_key_name", "Name", ("enreach_name",)),),
    )
    phonecall = m.Table(
        "PhoneCall",
        "Phone Call",
        existing=True,
        solution="Base",
        columns=(
            m.Column("enreach_EnreachCallId", "text", "Enreach Call Id", max_length=100),
            m.Column("enreach_SettingId", "lookup", "Setting", targets=("enreach_setting",)),
        ),
        status_reasons=(m.StatusReason(105230000, "Multiple matches", 0),),
    )
    return (phonecall, setting)


def _form() -> m.Form:
    general = m.FormSection(
        "general",
        "General",
        (
            m.FormField("subject"),
            m.FormField("enreach_enreachcallid"),
            m.FormField("enreach_settingid"),
        ),
    )
    details = m.FormSection(
        "details",
        "Details",
        (m.FormSubgrid("bundled", "Bundled calls", "phonecall", "Active Phone Calls"),),
    )
    return m.Form(
        FORM_ID,
        "phonecall",
        "main",
        "Voice for D365 – Phone Call",
        solution="Base",
        tabs=(m.FormTab("main", "Main", (general, details)),),
        events=(m.FormEvent("onload", "enreach_/scripts/phonecall.js", "onLoad"),),
    )


def _app() -> m.AppModule:
    subs = (
        m.SiteMapSubArea("sub_pcs", "Phone Call Sync Settings", table="enreach_setting"),
        m.SiteMapSubArea("sub_cbs", "Callback Sync Settings", table="enreach_setting"),
    )
    area = m.SiteMapArea("area_settings", "Settings", (m.SiteMapGroup("grp", "General", subs),))
    return m.AppModule(
        "enreach_VoiceConfigurator",
        "Voice Configurator",
        areas=(area,),
        tables=("enreach_setting",),
        roles=(ROLE_ID,),
        solution="Base",
    )


def _multisession() -> MultisessionParts:
    tab = m.ApplicationTabTemplate(
        "enreach_customertab",
        "Customer",
        "Customer",
        "entityrecord",
        parameters=(m.TemplateParameter("enreach_p1", "entityName", "{anchor.entityName}"),),
        solution="Multi",
    )
    session = m.SessionTemplate(
        "enreach_incoming",
        "Incoming call",
        "{customerName}",
        entity="contact",
        anchor_tab="enreach_customertab",
        solution="Multi",
    )
    notification = m.NotificationTemplate(
        "enreach_incomingcall",
        "Incoming call",
        "Incoming call",
        solution="Multi",
        fields=(
            m.NotificationField("enreach_nf_customer", "customer", "Customer", "{customerName}"),
        ),
    )
    provider = m.Cif2Provider(
        "enreach_voicechannelprovider",
        "Voice for Dynamics 365 by Enreach",
        "Voice",
        "https://voice.example.com/widget",
        solution="Multi",
    )
    return {
        "tab_templates": (tab,),
        "session_templates": (session,),
        "notification_templates": (notification,),
        "cif2_providers": (provider,),
    }


def base_project(version: str = "1.0.0.0") -> m.Project:
    return m.Project(
        version=version,
        publisher=m.Publisher("enreach", "Enreach", "enreach", 10523),
        solutions=(
            m.SolutionDef("Base", "Voice for D365", "", "base", 1),
            m.SolutionDef("Multi", "Voice Multisession", "", "multisession", 2),
        ),
        tables=_tables(),
        global_choices=(
            m.GlobalChoice(
                "enreach_calltype",
                "Call Type",
                options("Direct", "Service", "Callback"),
                solution="Base",
            ),
        ),
        forms=(_form(),),
        views=(
            m.View(
                VIEW_ID,
                "enreach_setting",
                "Active Voice Settings",
                is_default=True,
                columns=(m.ViewColumn("enreach_name", 200), m.ViewColumn("enreach_value")),
                conditions=(m.ViewCondition("statecode", "eq", "0"),),
                order=(m.ViewOrder("enreach_name"),),
                solution="Base",
            ),
        ),
        roles=(
            m.Role(
                ROLE_ID,
                "Voice User",
                privileges=(
                    m.Privilege("prvReadActivity", "Basic"),
                    m.Privilege("prvReadenreach_setting", "Global"),
                ),
                solution="Base",
            ),
        ),
        apps=(_app(),),
        commands=(
            m.Command(
                "enreach.systemuser.UpdateIds",
                "systemuser",
                "grid",
                "Update Ids",
                "enreach_/scripts/command.js",
                "updateIds",
                solution="Base",
            ),
        ),
        web_resources=(
            m.WebResource(
                "enreach_/scripts/command.js",
                "Command",
                "js",
                content=b"function updateIds() {}",
                solution="Base",
            ),
        ),
        custom_apis=(
            m.CustomApi(
                "enreach_UpdateEnreachUserIds",
                "Update Enreach User Ids",
                request=(m.CustomApiParameter("UserIds", "User Ids", "String", optional=True),),
                solution="Base",
            ),
        ),
        environment_variables=(
            m.EnvironmentVariable(
                "enreach_EnreachApiBaseUrl",
                "API URL",
                default_value="https://api.example.com",
                solution="Base",
            ),
        ),
        cif1_providers=(
            m.Cif1Provider(
                uuid.UUID(int=7), "Voice for Dynamics 365", "Voice", "https://voice.example.com"
            ),
        ),
        settings=(
            m.Setting("CallDurationLimit", "Phone Call Sync", "Integer", "3600", "Seconds"),
            m.Setting("EnableAudit", "Phone Call Sync", "Boolean", "false", "Audit"),
        ),
        raw_parts=(m.RawPart("Workflows/Flow-1.json", b'{"a": 1}', solution="Base"),),
        **_multisession(),
    )


# --- one change of every kind --------------------------------------------------------------


def _changed_tables(p: m.Project) -> tuple[m.Table, ...]:
    phonecall, setting = p.tables
    name, value, category, count = setting.columns
    setting = replace(
        setting,
        display_name="Voice Config",
        columns=(
            replace(name, max_length=50),  # max length reduced: breaking
            replace(value, type="memo", required="recommended"),  # type changed: breaking
            replace(
                category,
                options=category.options[:2]
                + (  # value 2 removed, 3 added
                    m.ChoiceOption(105230003, "Presence"),
                ),
            ),
            # count removed; a new column added
            m.Column("enreach_Description", "memo", "Description", max_length=2000),
        ),
    )
    phonecall = replace(
        phonecall,
        columns=(phonecall.columns[0], replace(phonecall.columns[1], targets=("account",))),
    )
    callback = m.Table(
        "enreach_CallbackProfile",
        "Callback Profile",
        solution="Base",
        columns=(m.Column("enreach_Name", "text", "Name", max_length=100, is_primary_name=True),),
    )
    return (callback, phonecall, setting)


def _changed_form(form: m.Form) -> m.Form:
    general, details = form.tabs[0].sections
    general = replace(
        general,
        items=(
            general.items[0],
            general.items[2],  # enreach_enreachcallid moved to details
            m.FormField("description"),
        ),
    )  # added
    details = replace(
        details,
        items=(m.FormField("enreach_enreachcallid"),)
        + details.items
        + (m.FormSubgrid("related", "Related calls", "phonecall", "All Phone Calls"),),
    )
    return replace(form, tabs=(replace(form.tabs[0], sections=(general, details)),))


def changed_project() -> m.Project:
    p = base_project("1.1.0.0")
    view = p.views[0]
    role = p.roles[0]
    app = p.apps[0]
    group = app.areas[0].groups[0]
    new_sub = m.SiteMapSubArea("sub_presence", "Presence Settings", table="enreach_setting")
    return replace(
        p,
        tables=_changed_tables(p),
        global_choices=(replace(p.global_choices[0], options=p.global_choices[0].options[:2]),),
        forms=(_changed_form(p.forms[0]),),
        views=(
            replace(
                view,
                columns=(view.columns[0], m.ViewColumn("enreach_category")),
                conditions=(m.ViewCondition("statecode", "eq", "1"),),
            ),
        ),
        roles=(replace(role, privileges=(m.Privilege("prvReadActivity", "Global"),)),),
        apps=(
            replace(
                app,
                areas=(
                    replace(
                        app.areas[0], groups=(replace(group, subareas=group.subareas + (new_sub,)),)
                    ),
                ),
            ),
        ),
        commands=(replace(p.commands[0], label="Update Enreach User Ids"),),
        web_resources=(replace(p.web_resources[0], content=b"function updateIds() { go(); }"),),
        custom_apis=(
            replace(
                p.custom_apis[0], request=(replace(p.custom_apis[0].request[0], optional=False),)
            ),
        ),
        environment_variables=(replace(p.environment_variables[0], type="json"),),
        cif1_providers=(replace(p.cif1_providers[0], enable_outbound=False),),
        cif2_providers=(replace(p.cif2_providers[0], channel_url="https://v2.example.com"),),
        session_templates=(replace(p.session_templates[0], title="{customerName} calling"),),
        notification_templates=(
            replace(
                p.notification_templates[0],
                timeout=60,
                fields=(
                    p.notification_templates[0].fields
                    + (m.NotificationField("enreach_nf_queue", "queue", "Queue", "{queueName}"),)
                ),
            ),
        ),
        tab_templates=(replace(p.tab_templates[0], parameters=()),),
        settings=(
            replace(p.settings[0], default="7200"),
            replace(p.settings[1], datatype="String"),
        ),
        raw_parts=(replace(p.raw_parts[0], content=b'{"a": 2}'),),
    )


def find(changes: tuple[Change, ...], kind: str, name: str, component: str | None = None) -> Change:
    hits = [
        c for c in changes if c.kind == kind and c.name == name and component in (None, c.component)
    ]
    assert len(hits) == 1, f"expected one {kind} {name}, got {hits}"
    return hits[0]


# --- tests ---------------------------------------------------------------------------------


def test_identical_projects_have_no_differences() -> None:
    report = diff_projects(base_project(), base_project())
    assert not report.different and report.changes == ()
    assert "No differences." in render_text(report)


def test_a_source_location_is_not_a_change() -> None:
    old = base_project()
    new = replace(old, tables=tuple(replace(t, src=m.Src("elsewhere.xml", 9)) for t in old.tables))
    assert not diff_projects(old, new).different


def test_column_changes_that_break_stored_data_are_marked_breaking() -> None:
    changes = diff_projects(base_project(), changed_project()).changes
    assert find(changes, "column", "enreach_name").breaking  # max length reduced
    value = find(changes, "column", "enreach_value")
    assert value.breaking and "type changed" in value.detail and "required" in value.detail
    removed = find(changes, "choice value", "105230002", "enreach_setting.enreach_category")
    assert removed.action == "removed" and removed.breaking and removed.needs_upgrade
    assert not find(changes, "choice value", "105230003").breaking
    assert find(changes, "choice value", "105230002", "enreach_calltype").breaking


def test_removed_components_need_an_upgrade_and_added_ones_do_not() -> None:
    changes = diff_projects(base_project(), changed_project()).changes
    gone = find(changes, "column", "enreach_count")
    assert gone.action == "removed" and gone.needs_upgrade and gone.breaking
    assert not find(changes, "column", "enreach_description").needs_upgrade
    assert find(changes, "table", "enreach_callbackprofile").action == "added"
    assert find(changes, "privilege", "prvReadenreach_setting").needs_upgrade


def test_a_table_removed_is_breaking_and_needs_an_upgrade() -> None:
    old = base_project()
    change = find(
        diff_projects(old, replace(old, tables=old.tables[:1])).changes, "table", "enreach_setting"
    )
    assert change.action == "removed" and change.needs_upgrade and change.breaking


def test_a_retargeted_lookup_is_a_breaking_relationship_change() -> None:
    change = find(
        diff_projects(base_project(), changed_project()).changes,
        "relationship",
        "phonecall.enreach_settingid",
    )
    assert change.action == "changed" and change.breaking and "'account'" in change.detail


def test_form_fields_added_removed_and_moved_are_named() -> None:
    changes = diff_projects(base_project(), changed_project()).changes
    moved = find(changes, "form field", "enreach_enreachcallid")
    assert moved.action == "changed" and "main/general to main/details" in moved.detail
    assert find(changes, "form field", "description").action == "added"
    assert find(changes, "form subgrid", "related").action == "added"
    assert not any(c.kind.startswith("form") and c.needs_upgrade for c in changes)


def test_a_field_reordered_within_its_section_is_a_move() -> None:
    old = base_project()
    form = old.forms[0]
    section = form.tabs[0].sections[0]
    swapped = replace(section, items=(section.items[1], section.items[0], section.items[2]))
    new_form = replace(
        form, tabs=(replace(form.tabs[0], sections=(swapped,) + form.tabs[0].sections[1:]),)
    )
    changes = diff_projects(old, replace(old, forms=(new_form,))).changes
    assert "position 1 -> 2" in find(changes, "form field", "subject").detail


def test_tabs_and_sections_added_or_removed_are_listed_in_one_order_every_run() -> None:
    """By name: a set's order changes from one process to the next (hash randomisation)."""
    old = base_project()
    form = old.forms[0]
    tabs = tuple(
        m.FormTab(f"tab{n}", f"Tab {n}", (m.FormSection(f"s{n}", "S", ()),)) for n in (3, 1, 4, 2)
    )
    new = replace(old, forms=(replace(form, tabs=form.tabs + tabs),))
    for a, b, action in ((old, new, "added"), (new, old, "removed")):
        names = [c.name for c in diff_projects(a, b).changes if c.action == action]
        assert names == sorted(names) and len(names) == 8, names


def test_view_columns_and_filters_are_compared() -> None:
    changes = diff_projects(base_project(), changed_project()).changes
    assert find(changes, "view column", "enreach_category").action == "added"
    assert find(changes, "view column", "enreach_value").action == "removed"
    assert find(changes, "view filter", "statecode eq 1").action == "added"
    assert find(changes, "view filter", "statecode eq 0").action == "removed"


def test_privilege_depth_changes_say_which_way() -> None:
    change = find(
        diff_projects(base_project(), changed_project()).changes, "privilege", "prvReadActivity"
    )
    assert change.detail == "depth Basic -> Global (widened)"


def test_site_map_web_resource_and_configuration_changes_are_found() -> None:
    changes = diff_projects(base_project(), changed_project()).changes
    assert find(changes, "site map entry", "area_settings/grp/sub_presence").action == "added"
    assert "content sha256:" in find(changes, "web resource", "enreach_/scripts/command.js").detail
    env = find(changes, "environment variable", "enreach_EnreachApiBaseUrl")
    assert env.breaking and "'string' -> 'json'" in env.detail
    assert (
        "channel_url"
        in find(changes, "channel provider (CIF 2.0)", "enreach_voicechannelprovider").detail
    )
    assert find(changes, "notification field", "enreach_nf_queue").action == "added"
    assert find(changes, "template parameter", "entityName").action == "removed"
    assert find(changes, "custom api parameter", "UserIds").breaking  # now required


def test_settings_values_and_types_are_compared() -> None:
    changes = diff_projects(base_project(), changed_project()).changes
    value = find(changes, "setting", "CallDurationLimit")
    assert value.detail == "default '3600' -> '7200'" and not value.breaking
    assert find(changes, "setting", "EnableAudit").breaking  # type changed


def test_a_removal_under_a_revision_only_bump_is_flagged() -> None:
    old = base_project("1.0.0.0")
    new = replace(old, version="1.0.0.1", tables=old.tables[:1])
    report = diff_projects(old, new)
    assert report.needs_upgrade
    assert len(report.version_problems) == 1 and "revision-only" in report.version_problems[0]
    assert not diff_projects(old, replace(new, version="1.1.0.0")).version_problems


def test_a_version_that_did_not_increase_is_flagged() -> None:
    old = base_project("1.2.0.0")
    new = replace(changed_project(), version="1.2.0.0")
    assert "did not increase" in diff_projects(old, new).version_problems[0]
    assert (
        "did not increase"
        in version_problems(
            "1.2.0.0",
            "1.1.9.9",
            (find(diff_projects(old, new).changes, "table", "enreach_callbackprofile"),),
        )[0]
    )


def test_the_same_version_without_changes_is_fine() -> None:
    assert diff_projects(base_project("2.0.0.0"), base_project("2.0.0.0")).version_problems == ()


@pytest.mark.parametrize(
    "text, parsed",
    [("1.2.3.4", (1, 2, 3, 4)), ("1.2", (1, 2, 0, 0)), ("1.x", None), ("1", None), ("", None)],
)
def test_versions_parse_to_four_numbers(text: str, parsed: tuple[int, ...] | None) -> None:
    assert parse_version(text) == parsed


# --- golden reports ----------------------------------------------------------------------------


def _golden(name: str, text: str) -> None:
    path = CASES / name
    if os.environ.get("VOICEPKG_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path} differs (regenerate with VOICEPKG_REGEN_GOLDEN=1 and review the change)"
    )


def _report_every_kind() -> DiffReport:
    return diff_projects(base_project(), changed_project(), "v1.0.0.0", "v1.1.0.0")


def test_every_kind_of_change_reads_as_the_reviewed_text_report() -> None:
    _golden("expected.txt", render_text(_report_every_kind()))


def test_every_kind_of_change_reads_as_the_reviewed_markdown_report() -> None:
    _golden("expected.md", render_markdown(_report_every_kind()))


def test_every_kind_of_change_reads_as_the_reviewed_json_report() -> None:
    text = render_json(_report_every_kind())
    _golden("expected.json", text)
    data = json.loads(text)
    assert data["different"] and data["needs_upgrade"] and data["breaking"]
    assert data["summary"]["added"] + data["summary"]["removed"] + data["summary"][
        "changed"
    ] == len(data["changes"])


def test_a_name_changed_only_in_case_is_the_same_component_renamed() -> None:
    """Dataverse's names are case-insensitive and load refuses two names that differ only in
    case; the diff pairs components the same way, so such a rename is one change."""
    old = base_project()
    new = replace(
        old,
        web_resources=tuple(replace(w, name=w.name.upper()) for w in old.web_resources),
        custom_apis=tuple(replace(a, unique_name=a.unique_name.upper()) for a in old.custom_apis),
        settings=tuple(replace(s, name=s.name.upper()) for s in old.settings),
        environment_variables=tuple(
            replace(v, schema_name=v.schema_name.upper()) for v in old.environment_variables
        ),
    )
    changes = diff_projects(old, new).changes
    kinds = ("web resource", "custom api", "setting", "environment variable")
    assert sorted((c.kind, c.action) for c in changes) == sorted(
        [(k, "changed") for k in kinds] + [("setting", "changed")]
    )
    assert "'enreach_/scripts/command.js' -> 'ENREACH_/SCRIPTS/COMMAND.JS'" in (
        find(changes, "web resource", "enreach_/scripts/command.js").detail
    )


def test_a_renamed_role_form_or_view_keeps_its_id_and_is_one_change() -> None:
    """Dataverse knows forms, views and roles by id, and so do load and diff."""
    old = base_project()
    new = replace(
        old,
        roles=tuple(replace(r, name="Voice Agent") for r in old.roles),
        forms=tuple(replace(f, name="Voice Call") for f in old.forms),
        views=tuple(replace(v, name="All Voice Settings") for v in old.views),
    )
    changes = diff_projects(old, new).changes
    assert sorted((c.kind, c.action) for c in changes) == [
        ("form", "changed"),
        ("role", "changed"),
        ("view", "changed"),
    ]


# --- the kinds come from the registry (model/kinds.py) -------------------------------------


def test_every_registered_comparer_compares_a_kind_of_the_registry() -> None:
    assert set(COMPARERS) <= {k.model for k in KINDS}


def test_each_kind_is_reported_under_its_label_with_the_registrys_removal_facts() -> None:
    full = base_project()
    for kind in KINDS:
        if kind.field == "packaging":  # compared for the solutions both sides hold only
            continue
        items = getattr(full, kind.field)
        assert items, f"the sample project holds no {kind.label}"
        without = replace(full, **{kind.field: ()})
        removed = diff_projects(full, without).changes
        assert [(c.kind, c.name, c.action, c.needs_upgrade, c.breaking) for c in removed] == [
            (
                kind.label,
                kind.name(i),
                "removed",
                kind.removal_needs_upgrade,
                kind.removal_breaks(i),
            )
            for i in items
        ], kind.field
        added = diff_projects(without, full).changes
        assert [(c.kind, c.name, c.action) for c in added] == [
            (kind.label, kind.name(i), "added") for i in items
        ], kind.field


def test_a_change_to_a_breaking_field_of_a_kind_is_breaking() -> None:
    full = base_project()
    for kind in KINDS:
        for name in kind.breaking_fields:
            first, *rest = getattr(full, kind.field)
            value = getattr(first, name)
            other = not value if isinstance(value, bool) else f"{value}x"
            changed = replace(full, **{kind.field: (replace(first, **{name: other}), *rest)})
            [change] = diff_projects(full, changed).changes
            assert (change.kind, change.name, change.action) == (
                kind.label,
                kind.name(first),
                "changed",
            ), (kind.field, name)
            assert change.breaking, (kind.field, name)


def test_the_report_has_a_heading_for_each_kind() -> None:
    """`show.SECTIONS` orders the report's headings by hand (the report's order is reviewed
    text); a kind it does not name would fall under 'Other'. Packaging's changes (root
    components, languages ...) are the ones that do."""
    headed = {kind for _, kinds in SECTIONS for kind in kinds}
    assert {k.label for k in KINDS if k.field != "packaging"} <= headed
