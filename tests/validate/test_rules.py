"""Every Dataverse rule, broken once on a valid hand-built project: the rule reports it with
its code at the component's location, and the valid project passes every rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import cast

import pytest
from support.samples import first, swap, with_column, with_raw, with_setting, with_table
from support.valid_voice import at, ident, raw, voice_project

from builder import model as m
from builder.validate import check_project
from builder.validate.rules import RULES

P = m.Project
Mutation = Callable[[P], P]


def _privileges(*names: str, depth: m.Depth = "Global") -> Mutation:
    def mutate(p: P) -> P:
        extra = tuple(m.Privilege(n, depth, src=at("roles/voice_apiuser.xml", 40)) for n in names)
        return first(p, "roles", privileges=p.roles[0].privileges + extra)

    return mutate


def _presence(mapping: dict[str, int]) -> Mutation:
    return lambda p: with_setting(p, "PresenceMapping", default=json.dumps(mapping))


def _drop_setting(name: str) -> Mutation:
    return lambda p: replace(p, settings=tuple(s for s in p.settings if s.name != name))


SETTINGS, TABLES = "settings/settings.xml", "tables/"
PROFILE, PHONE = TABLES + "enreach_callbackprofile.xml", TABLES + "phonecall.xml"
MULTI = "multisession/"

# (code, mutation, expected file, expected line)
CASES: list[tuple[str, Mutation, str, int]] = [
    (
        "DV101",
        lambda p: replace(p, publisher=replace(p.publisher, prefix="mscrmx")),
        "project.xml",
        3,
    ),
    ("DV101", lambda p: replace(p, publisher=replace(p.publisher, prefix="a")), "project.xml", 3),
    (
        "DV102",
        lambda p: replace(p, publisher=replace(p.publisher, option_value_prefix=999)),
        "project.xml",
        3,
    ),
    (
        "DV103",
        lambda p: with_column(
            p, "phonecall", "enreach_enreachcallid", schema_name="new_EnreachCallId"
        ),
        PHONE,
        4,
    ),
    (
        "DV103",
        lambda p: with_table(p, "enreach_setting", schema_name="vx_Setting"),
        TABLES + "enreach_setting.xml",
        2,
    ),
    (
        "DV104",
        lambda p: with_column(
            p, "phonecall", "enreach_enreachcallid", schema_name="enreach_Call-Id"
        ),
        PHONE,
        4,
    ),
    (
        "DV104",
        lambda p: with_column(p, "phonecall", "enreach_enreachcallid", schema_name="enreach_Caññ"),
        PHONE,
        4,
    ),
    (
        "DV105",
        lambda p: with_column(
            p, "phonecall", "enreach_enreachcallid", schema_name="enreach_" + "x" * 50
        ),
        PHONE,
        4,
    ),
    (
        "DV106",
        lambda p: with_column(
            p, "enreach_callbackprofile", "enreach_queueid", schema_name="enreach_CallbackListId"
        ),
        PROFILE,
        6,
    ),
    (
        "DV106",
        lambda p: replace(
            p, roles=p.roles + (replace(p.roles[0], id=ident("r2"), src=at("roles/copy.xml", 2)),)
        ),
        "roles/copy.xml",
        2,
    ),
    (
        "DV128",
        lambda p: replace(
            p, views=p.views + (replace(p.views[0], id=ident("v2"), src=at("views/copy.xml", 3)),)
        ),
        "views/copy.xml",
        3,
    ),
    ("DV107", lambda p: first(p, "views", id=p.forms[0].id), "views/enreach_setting.xml", 2),
    ("DV108", lambda p: first(p, "forms", solution="VoiceForD365Extras"), "forms/phonecall.xml", 2),
    ("DV109", lambda p: replace(p, solutions=()), "project.xml", 3),
    (
        "DV109",
        lambda p: replace(
            p, solutions=swap(p.solutions, lambda s: s.role == "multisession", import_order=1)
        ),
        "project.xml",
        3,
    ),
    (
        "DV110",
        lambda p: replace(
            p,
            global_choices=swap(
                p.global_choices,
                lambda c: True,
                options=(
                    m.ChoiceOption(100000000, "Direct", src=at("choices/enreach_calltype.xml", 4)),
                ),
            ),
        ),
        "choices/enreach_calltype.xml",
        4,
    ),
    (
        "DV110",
        lambda p: with_table(
            p,
            "phonecall",
            status_reasons=(m.StatusReason(5, "Multiple matches", 0, src=at(PHONE, 8)),),
        ),
        PHONE,
        8,
    ),
    (
        "DV111",
        lambda p: with_column(
            p,
            "enreach_setting",
            "enreach_category",
            options=(
                m.ChoiceOption(105230000, "A", src=at(TABLES + "enreach_setting.xml", 20)),
                m.ChoiceOption(105230000, "B", src=at(TABLES + "enreach_setting.xml", 21)),
            ),
        ),
        TABLES + "enreach_setting.xml",
        21,
    ),
    (
        "DV112",
        lambda p: with_column(p, "enreach_setting", "enreach_category", options=()),
        TABLES + "enreach_setting.xml",
        7,
    ),
    (
        "DV112",
        lambda p: with_column(
            p, "phonecall", "enreach_calltype", global_choice="enreach_nosuchchoice"
        ),
        PHONE,
        5,
    ),
    (
        "DV113",
        lambda p: with_column(p, "phonecall", "enreach_calltype", default_option=105239999),
        PHONE,
        5,
    ),
    (
        "DV114",
        lambda p: with_table(
            p,
            "phonecall",
            status_reasons=(m.StatusReason(105230000, "Multiple matches", 7, src=at(PHONE, 8)),),
        ),
        PHONE,
        8,
    ),
    (
        "DV115",
        lambda p: with_column(p, "enreach_callbackprofile", "enreach_queueid", targets=("queues",)),
        PROFILE,
        6,
    ),
    (
        "DV115",
        lambda p: with_column(p, "enreach_callbackprofile", "enreach_queueid", targets=()),
        PROFILE,
        6,
    ),
    (
        "DV116",
        lambda p: with_column(p, "phonecall", "enreach_enreachcallid", max_length=5000),
        PHONE,
        4,
    ),
    (
        "DV117",
        lambda p: with_column(
            p, "enreach_callbackprofile", "enreach_callbackage", min_value=10, max_value=1
        ),
        PROFILE,
        7,
    ),
    (
        "DV117",
        lambda p: with_column(p, "enreach_callbackprofile", "enreach_callbackage", max_value=2**40),
        PROFILE,
        7,
    ),
    (
        "DV118",
        lambda p: with_column(p, "enreach_callbackprofile", "enreach_name", is_primary_name=False),
        PROFILE,
        2,
    ),
    (
        "DV129",
        lambda p: with_table(p, "enreach_callbackprofile", ownership="none"),
        PROFILE,
        2,
    ),
    (
        "DV119",
        lambda p: with_table(
            p,
            "enreach_setting",
            keys=(
                m.AlternateKey(
                    "enreach_key_name", "Name", ("enreach_title",), src=at(TABLES + "k.xml", 3)
                ),
            ),
        ),
        TABLES + "k.xml",
        3,
    ),
    (
        "DV120",
        lambda p: with_table(
            p,
            "enreach_callbacklist",
            virtual=m.VirtualSource(
                "OData v4 Data Provider", "lists", "enreach_Missing", src=at(TABLES + "v.xml", 3)
            ),
        ),
        TABLES + "v.xml",
        3,
    ),
    (
        "DV121",
        lambda p: first(
            p,
            "forms",
            tabs=(
                m.FormTab(
                    "t",
                    "T",
                    (
                        m.FormSection(
                            "s",
                            "S",
                            (
                                m.FormField(
                                    "enreach_nosuchcolumn", src=at("forms/phonecall.xml", 30)
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "forms/phonecall.xml",
        30,
    ),
    ("DV121", lambda p: first(p, "forms", table="enreach_nosuchtable"), "forms/phonecall.xml", 2),
    (
        "DV122",
        lambda p: first(
            p,
            "forms",
            tabs=(
                m.FormTab(
                    "t",
                    "T",
                    (
                        m.FormSection(
                            "s",
                            "S",
                            (
                                m.FormSubgrid(
                                    "g",
                                    "G",
                                    "phonecall",
                                    "No Such View",
                                    src=at("forms/phonecall.xml", 31),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "forms/phonecall.xml",
        31,
    ),
    (
        "DV122",
        lambda p: first(
            p,
            "forms",
            tabs=(
                m.FormTab(
                    "t",
                    "T",
                    (
                        m.FormSection(
                            "s",
                            "S",
                            (
                                m.FormQuickView(
                                    "q",
                                    "Q",
                                    "enreach_enreachcallid",
                                    "Voice Quick View",
                                    src=at("forms/phonecall.xml", 32),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "forms/phonecall.xml",
        32,
    ),
    (
        "DV123",
        lambda p: replace(
            p,
            forms=swap(
                p.forms,
                lambda f: f.table.endswith("profile"),
                libraries=("enreach_/scripts/gone.js",),
            ),
        ),
        "forms/enreach_callbackprofile.xml",
        2,
    ),
    (
        "DV124",
        lambda p: first(
            p,
            "views",
            columns=(m.ViewColumn("enreach_nosuch", src=at("views/enreach_setting.xml", 9)),),
        ),
        "views/enreach_setting.xml",
        9,
    ),
    (
        "DV125",
        lambda p: first(
            p,
            "apps",
            areas=(
                m.SiteMapArea(
                    "a",
                    "A",
                    (
                        m.SiteMapGroup(
                            "g",
                            "G",
                            (
                                m.SiteMapSubArea(
                                    "s",
                                    "S",
                                    table="enreach_setting",
                                    view="Nope",
                                    src=at("apps/voiceconfigurator.xml", 20),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "apps/voiceconfigurator.xml",
        20,
    ),
    (
        "DV126",
        lambda p: first(p, "commands", library="enreach_/scripts/missing.js"),
        "commands.xml",
        3,
    ),
    (
        "DV127",
        lambda p: first(p, "apps", forms=(ident("not-a-form"),)),
        "apps/voiceconfigurator.xml",
        2,
    ),
    ("DV130", _privileges("prvReadphonecall"), "roles/voice_apiuser.xml", 40),
    ("DV130", _privileges("prvFlyenreach_setting"), "roles/voice_apiuser.xml", 40),
    ("DV131", _privileges("prvWriteenreach_setting", depth="Basic"), "roles/voice_apiuser.xml", 40),
    (
        "DV131",
        _privileges("prvReadAccount", depth=cast(m.Depth, "Everywhere")),  # no such depth
        "roles/voice_apiuser.xml",
        40,
    ),
    ("DV132", _privileges("prvAssignenreach_setting"), "roles/voice_apiuser.xml", 40),
    ("DV140", lambda p: with_setting(p, "CallDurationLimit", default="ten"), SETTINGS, 3),
    ("DV140", lambda p: with_setting(p, "EnableAudit", default="true"), SETTINGS, 6),
    ("DV140", lambda p: with_setting(p, "DefaultCrmAssignee", default="not-a-guid"), SETTINGS, 5),
    (
        "DV141",
        lambda p: with_setting(p, "MultipleMatchPhoneCallStatus", default="105230009"),
        SETTINGS,
        11,
    ),
    (
        "DV141",
        lambda p: with_table(
            p,
            "phonecall",
            status_reasons=(m.StatusReason(105230000, "Multiple matches", 1, src=at(PHONE, 8)),),
        ),
        SETTINGS,
        11,
    ),
    (
        "DV142",
        _presence({"AVAILABLE": 0, "BUSY": 1, "BUSY_DO_NOT_DISTURB": 2, "OFFLINE": 3}),
        "settings/presence.xml",
        3,
    ),
    (
        "DV142",
        _presence({"AVAILABLE": 0, "BUSY": 1, "BUSY_DO_NOT_DISTURB": 2, "OFFLINE": 3, "AWAY": 4}),
        "settings/presence.xml",
        3,
    ),
    ("DV144", _drop_setting("NumbersToCut"), SETTINGS, 3),
    (
        "DV150",
        lambda p: replace(
            p,
            environment_variables=swap(
                p.environment_variables, lambda e: e.type == "number", default_value="sixty"
            ),
        ),
        "environmentvariables.xml",
        4,
    ),
    (
        "DV151",
        lambda p: first(p, "web_resources", name="enreach_//scripts/x y.js"),
        "webresources.xml",
        3,
    ),
    (
        "DV152",
        lambda p: first(p, "web_resources", name="new_/scripts/callbackprofile.js"),
        "webresources.xml",
        3,
    ),
    (
        "DV153",
        lambda p: first(p, "web_resources", content=b"", file="scripts/gone.js"),
        "webresources.xml",
        3,
    ),
    ("DV154", lambda p: first(p, "web_resources", type="png"), "webresources.xml", 3),
    (
        "DV155",
        lambda p: first(p, "custom_apis", binding="entity", bound_table="nosuchtable"),
        "customapis.xml",
        2,
    ),
    (
        "DV155",
        lambda p: first(
            p,
            "custom_apis",
            response=(
                m.CustomApiParameter("Count", "Count", "Number", src=at("customapis.xml", 4)),
            ),
        ),
        "customapis.xml",
        4,
    ),
    (
        "DV160",
        lambda p: first(p, "cif1_providers", landing_url="http://voice.example.com"),
        "cif1.xml",
        2,
    ),
    (
        "DV160",
        lambda p: first(p, "cif2_providers", channel_url="javascript:alert(1)"),
        MULTI + "provider.xml",
        2,
    ),
    ("DV161", lambda p: first(p, "cif2_providers", sort_order=5000), MULTI + "provider.xml", 2),
    (
        "DV162",
        lambda p: first(p, "session_templates", anchor_tab="enreach_nosuchtab"),
        MULTI + "session.xml",
        2,
    ),
    (
        "DV163",
        lambda p: first(p, "session_templates", title="Call {callerName}"),
        MULTI + "session.xml",
        2,
    ),
    (
        "DV164",
        lambda p: first(p, "notification_templates", parameters=("customerName",)),
        MULTI + "notification.xml",
        4,
    ),
    (
        "DV166",
        lambda p: first(p, "notification_templates", timeout=900),
        MULTI + "notification.xml",
        2,
    ),
    ("DV165", lambda p: first(p, "tab_templates", page_type="spreadsheet"), MULTI + "tab.xml", 2),
    ("DV167", lambda p: first(p, "tab_templates", title=""), MULTI + "tab.xml", 2),
    ("DV170", lambda p: replace(p, version="1.2.0"), "project.xml", 3),
    ("DV172", lambda p: replace(p, version="1.two.0.0"), "project.xml", 3),
    (
        "DV180",
        lambda p: with_raw(p, raw("Entities", "x.xml", "<Entity>\n<Name>x</Entity>")),
        "raw/VoiceForD365/sections/Entities/x.xml",
        2,
    ),
]


def test_the_valid_project_passes_every_rule() -> None:
    assert check_project(voice_project()) == []


@pytest.mark.parametrize(
    ("code", "mutate", "file", "line"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_a_broken_rule_is_reported_at_the_component(
    code: str, mutate: Mutation, file: str, line: int
) -> None:
    found = check_project(mutate(voice_project()))
    hits = [d for d in found if d.code == code]
    assert hits, f"{code} not reported; got {[str(d) for d in found]}"
    assert (hits[0].file, hits[0].line) == (file, line)
    assert hits[0].hint, "every diagnostic carries a hint"
    assert not [d for d in found if d.code == "DV000"], "no rule crashed"


def test_every_rule_has_a_case_here() -> None:
    tested = {c[0] for c in CASES} | {"DV171"}  # DV171 needs a baseline: tested below
    assert set(RULES) <= tested, f"rules without a test: {sorted(set(RULES) - tested)}"


@pytest.mark.parametrize(
    ("baseline", "reported"), [("1.2.0.0", True), ("1.10.0.0", True), ("1.1.9.9", False)]
)
def test_the_version_must_be_higher_than_the_baseline(baseline: str, reported: bool) -> None:
    found = check_project(voice_project(), baseline_version=baseline, baseline_label="old.zip")
    assert any(d.code == "DV171" for d in found) is reported


def test_declarations_only_sources_carry_are_not_required_of_a_read_back_zip() -> None:
    p = first(voice_project(), "notification_templates", parameters=())
    assert {d.code for d in check_project(p)} == {"DV163", "DV164"}
    assert check_project(p, read_back=True) == []


def test_an_empty_default_assignee_is_for_deploy_and_doctor_not_validate() -> None:
    """The package ships DefaultCrmAssignee empty (each environment sets it); deploy and
    doctor report it (DV143, tests/deploy/test_doctor_cli.py), validate does not."""
    p = with_setting(
        voice_project(), "DefaultCrmAssignee", default="", required_per_environment=True
    )
    assert check_project(p) == []
    assert "DV143" not in RULES
    wrong = with_setting(voice_project(), "DefaultCrmAssignee", default="not-a-guid")
    assert [d.code for d in check_project(wrong)] == ["DV140"]  # a value is still checked


def test_a_foreign_publisher_gets_house_rules_as_warnings_or_not_at_all() -> None:
    p = replace(
        voice_project(),
        version="1.1",
        publisher=replace(voice_project().publisher, unique_name="contoso"),
    )
    p = with_setting(p, "NumbersToCut", default="1")
    p = replace(p, settings=p.settings[1:])
    found = check_project(p)
    assert {(d.code, d.severity) for d in found} == {("DV170", "warning")}


def test_prefix_rules_use_the_solutions_own_publisher() -> None:
    p = voice_project()
    other = replace(p, publisher=replace(p.publisher, unique_name="contoso", prefix="cnt"))
    codes = {d.code for d in check_project(other)}
    assert "DV103" in codes and all(
        d.severity == "warning" for d in check_project(other) if d.code == "DV103"
    )


def test_naming_advice_for_someone_elses_component_is_not_to_rename_it() -> None:
    p = voice_project()
    other = replace(p, publisher=replace(p.publisher, unique_name="contoso", prefix="cnt"))
    ours = [d.hint for d in check_project(p) if d.code == "DV103"]
    theirs = [d.hint for d in check_project(other) if d.code == "DV103"]
    assert ours == [] and theirs
    assert all(h.startswith("nothing to fix: an existing component keeps its name") for h in theirs)
    renamed = with_column(p, "phonecall", "enreach_enreachcallid", schema_name="new_CallId")
    assert [d.hint for d in check_project(renamed) if d.code == "DV103"] == [
        "rename it to enreach_CallId"
    ]


def test_a_session_without_anchor_tab_is_our_rule_only_for_our_own_sources() -> None:
    p = first(voice_project(), "session_templates", anchor_tab="")
    assert [d.code for d in check_project(p)] == ["DV162"]
    assert check_project(p, read_back=True) == []
    foreign = replace(p, publisher=replace(p.publisher, unique_name="contoso"))
    assert [d.code for d in check_project(foreign) if d.code == "DV162"] == []


def test_presence_mapping_written_as_one_integer_setting_per_state_is_understood() -> None:
    p = _drop_setting("PresenceMapping")(voice_project())
    rows = tuple(
        m.Setting(
            f"PresenceMap{s.title().replace('_', '')}",
            "Presence",
            "Integer",
            str(v),
            "d",
            id=ident(s),
            src=at("settings/presence.xml", i),
        )
        for i, (s, v) in enumerate(
            {"AVAILABLE": 0, "BUSY": 1, "BUSY_DO_NOT_DISTURB": 2, "OFFLINE": 3, "AWAY": 5}.items()
        )
    )
    assert check_project(replace(p, settings=p.settings + rows)) == []


def test_every_rule_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "validate.md").read_text("utf-8")
    assert [code for code in RULES if f"| {code} |" not in doc] == []


def test_a_new_activity_table_has_the_activity_columns_and_money_brings_currency() -> None:
    table = m.Table(
        "enreach_Sms",
        "SMS",
        solution="VoiceForD365",
        is_activity=True,
        columns=(m.Column("enreach_Cost", "money", "Cost", src=at("t.xml", 3)),),
        src=at("t.xml", 2),
    )
    view = m.View(
        ident("sms"),
        "enreach_sms",
        "SMS",
        columns=tuple(
            m.ViewColumn(c, src=at("v.xml", 3))
            for c in ("subject", "regardingobjectid", "transactioncurrencyid")
        ),
        solution="VoiceForD365",
        src=at("v.xml", 2),
    )
    p = voice_project()
    p = replace(p, tables=p.tables + (table,), views=p.views + (view,))
    assert [d for d in check_project(p) if d.code == "DV124"] == []
    plain = replace(p, tables=p.tables[:-1] + (replace(table, is_activity=False, columns=()),))
    assert sorted(d.message.split("'")[3] for d in check_project(plain) if d.code == "DV124") == [
        "regardingobjectid",
        "subject",
        "transactioncurrencyid",
    ]


def _phonecall_form_showing(column: str) -> P:
    field = m.FormField(column, src=at("forms/phonecall.xml", 30))
    tab = m.FormTab("t", "T", (m.FormSection("s", "S", (field,)),))
    return first(voice_project(), "forms", tabs=(tab,))


def test_a_near_miss_of_a_known_standard_column_is_an_error_with_the_right_name() -> None:
    found = [d for d in check_project(_phonecall_form_showing("phonenumbr")) if d.code == "DV121"]
    assert [(d.severity, d.hint) for d in found] == [("error", "did you mean 'phonenumber'?")]


def test_a_standard_column_voicepkg_does_not_list_is_only_a_warning() -> None:
    # transactioncurrencyid is a real phonecall column; the standard column lists are samples
    found = [
        d
        for d in check_project(_phonecall_form_showing("transactioncurrencyid"))
        if d.code == "DV121"
    ]
    assert [(d.severity, d.line) for d in found] == [("warning", 30)]
    assert "not complete" in found[0].hint
