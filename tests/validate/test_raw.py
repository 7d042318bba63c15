"""Components kept verbatim (raw/) count as declared: a reference to a table, column, form,
view, web resource, choice, app, role, variable or tab template that only a raw part declares
is accepted, while a reference to something nothing declares is still an error."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

import pytest
from support.samples import BASE, first, with_column, with_raw, without_table
from support.valid_voice import at, ident, raw, raw_entity, voice_project

from builder import model as m
from builder.validate import check_project
from builder.validate.rules import base

LIST = "enreach_callbacklist"


def _codes(project: m.Project) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in check_project(project)]


def _list_kept_raw(
    org_owned: bool = True, form: uuid.UUID | None = None, view: uuid.UUID | None = None
) -> m.Project:
    """The valid project with the callback list table kept as exported, as `unpack` does."""
    columns = ("enreach_Name", "enreach_QueueNumber")
    part = raw_entity("enreach_CallbackList", *columns, org_owned=org_owned, form=form, view=view)
    return with_raw(without_table(voice_project(), LIST), part)


def _privilege(project: m.Project, name: str, depth: m.Depth = "Global") -> m.Project:
    extra = (m.Privilege(name, depth, src=at("roles/voice_apiuser.xml", 40)),)
    return first(project, "roles", privileges=project.roles[0].privileges + extra)


def _view_on(table: str, *columns: str) -> m.View:
    return m.View(
        ident("raw-view"),
        table,
        "Callback Lists",
        columns=tuple(m.ViewColumn(c, src=at("views/list.xml", 4)) for c in columns),
        solution=BASE,
        src=at("views/list.xml", 2),
    )


def _named_column(message: str) -> str:
    found = re.search(r"names column '([^']+)'", message)
    return found.group(1) if found else message


def test_without_the_raw_part_the_callback_list_is_unknown() -> None:
    found = _codes(without_table(voice_project(), LIST))
    assert (
        "DV115",
        "lookup enreach_callbackprofile.enreach_callbacklistid targets unknown "
        "table 'enreach_callbacklist'",
    ) in found


def test_a_table_kept_raw_satisfies_lookups_and_privileges() -> None:
    project = _privilege(_list_kept_raw(), "prvReadenreach_callbacklist")
    assert check_project(project) == []


def test_the_table_name_is_read_from_the_entity_element_when_name_is_missing() -> None:
    part = raw(
        "Entities",
        "list.xml",
        '<Entity><EntityInfo><entity Name="enreach_CallbackList">'
        "<attributes/></entity></EntityInfo></Entity>",
    )
    assert check_project(with_raw(without_table(voice_project(), LIST), part)) == []


@pytest.mark.parametrize("target", ["enreach_nosuchtable", "enreach_callbacklists"])
def test_a_lookup_to_an_undeclared_table_is_still_an_error(target: str) -> None:
    project = with_column(
        _list_kept_raw(), "enreach_callbackprofile", "enreach_callbacklistid", targets=(target,)
    )
    found = check_project(project)
    assert [(d.code, d.severity) for d in found] == [("DV115", "error")]
    assert target in found[0].message


def test_a_privilege_on_an_undeclared_table_is_still_an_error() -> None:
    found = check_project(_privilege(_list_kept_raw(), "prvReadenreach_nosuchtable"))
    assert [d.code for d in found] == ["DV130"]


def test_a_raw_table_keeps_its_ownership_for_privilege_depths() -> None:
    org = _privilege(_list_kept_raw(), "prvAssignenreach_callbacklist", "Basic")
    assert {d.code for d in check_project(org)} == {"DV131", "DV132"}
    user = _privilege(_list_kept_raw(org_owned=False), "prvAssignenreach_callbacklist", "Basic")
    assert check_project(user) == []


def test_a_view_on_a_raw_table_may_name_its_columns_and_system_columns_only() -> None:
    good = _view_on(LIST, "enreach_name", "enreach_queuenumber", "createdon", "organizationid")
    project = _list_kept_raw()
    assert check_project(replace(project, views=project.views + (good,))) == []
    bad = _view_on(LIST, "enreach_name", "enreach_nosuchcolumn", "ownerid")
    found = check_project(replace(project, views=project.views + (bad,)))
    assert {d.code for d in found} == {"DV124"}
    assert sorted(_named_column(d.message) for d in found) == ["enreach_nosuchcolumn", "ownerid"]


def test_an_extended_standard_table_kept_raw_adds_its_columns_to_the_known_ones() -> None:
    project = without_table(voice_project(), "systemuser")
    project = with_raw(project, raw_entity("SystemUser", "enreach_EnreachUserId", new=False))
    view = _view_on("systemuser", "fullname", "enreach_enreachuserid")
    assert check_project(replace(project, views=project.views + (view,))) == []
    wrong = _view_on("systemuser", "enreach_nosuchcolumn")
    assert [d.code for d in check_project(replace(project, views=(*project.views, wrong)))] == [
        "DV124"
    ]


def test_apps_may_include_forms_and_views_of_a_raw_table() -> None:
    form, view = ident("raw-form"), ident("raw-view")
    project = _list_kept_raw(form=form, view=view)
    app = project.apps[0]
    project = first(project, "apps", forms=app.forms + (form,), views=app.views + (view,))
    assert check_project(project) == []
    stray = first(project, "apps", forms=app.forms + (ident("nothing"),))
    assert [d.code for d in check_project(stray)] == ["DV127"]


def test_raw_web_resources_apps_choices_roles_variables_and_tab_templates_count() -> None:
    p = voice_project()
    p = replace(
        p,
        web_resources=p.web_resources[1:],
        apps=(),
        global_choices=(),
        environment_variables=p.environment_variables[1:],
        tab_templates=(),
    )
    assert {d.code for d in check_project(p)} == {"DV112", "DV120", "DV123", "DV126", "DV162"}
    parts = (
        raw(
            "WebResources",
            "js.xml",
            "<WebResource><Name>enreach_/scripts/callbackprofile.js</Name></WebResource>",
        ),
        raw(
            "AppModules",
            "app.xml",
            "<AppModule><UniqueName>enreach_VoiceConfigurator</UniqueName></AppModule>",
        ),
        raw("optionsets", "calltype.xml", '<optionset Name="enreach_calltype"/>'),
        raw(
            "",
            "environmentvariabledefinitions/enreach_EnreachApiBaseUrl/"
            "environmentvariabledefinition.xml",
            "<environmentvariabledefinition/>",
        ),
        raw(
            "",
            "msdyn_applicationtabtemplates/enreach_customerrecordtab/"
            "msdyn_applicationtabtemplate.xml",
            "<msdyn_applicationtabtemplate/>",
        ),
    )
    assert check_project(with_raw(p, *parts)) == []


def test_a_role_kept_raw_may_be_given_an_app() -> None:
    p = voice_project()
    role = p.roles[0]
    p = replace(p, roles=())
    assert [d.code for d in check_project(p)] == ["DV127"]
    part = raw("Roles", "api.xml", f'<Role id="{{{role.id}}}" name="Voice ApiUser"/>')
    assert check_project(with_raw(p, part)) == []


def test_a_malformed_raw_part_is_reported_where_it_is_and_declares_nothing() -> None:
    broken = raw("Entities", "list.xml", "<Entity><Name>enreach_CallbackList</Entity>")
    found = check_project(with_raw(without_table(voice_project(), LIST), broken))
    assert [(d.code, d.file) for d in found if d.code == "DV180"] == [
        ("DV180", "raw/VoiceForD365/sections/Entities/list.xml")
    ]
    assert any(d.code == "DV115" for d in found)


def test_raw_parts_of_sections_no_rule_reads_are_not_parsed() -> None:
    flow = raw("Workflows", "flow.xml", "not xml at all")
    assert check_project(with_raw(voice_project(), flow)) == []


def test_the_raw_index_is_built_once_per_check(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = base.raw_index

    def counting(parts: tuple[m.RawPart, ...]) -> base.RawIndex:
        calls.append(len(parts))
        return real(parts)

    monkeypatch.setattr(base, "raw_index", counting)
    check_project(_list_kept_raw())
    assert calls == [1]


def test_a_modelled_table_wins_over_a_raw_one_of_the_same_name() -> None:
    project = with_raw(voice_project(), raw_entity("enreach_Setting", "enreach_Other"))
    view = _view_on("enreach_setting", "enreach_other")
    assert [d.code for d in check_project(replace(project, views=(*project.views, view)))] == [
        "DV124"
    ]
