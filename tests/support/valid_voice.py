"""A small Voice project that every validate rule accepts, each component at a source position
(file, line) so a rule test can check where a finding points; the edits that break it are
support.samples' project edits. Built from the same constructors as the other samples."""

from __future__ import annotations

import json
import uuid
from typing import Any

from builder import model as m
from builder.validate.rules.settings import CATALOGUE
from support.samples import BASE, MULTI, options


def at(file: str, line: int = 1) -> m.Src:
    return m.Src(file, line)


def ident(name: str) -> uuid.UUID:
    return m.stable_id("test", name)


def _setting_table() -> m.Table:
    cols = (
        m.Column(
            "enreach_Name",
            "text",
            "Name",
            max_length=100,
            is_primary_name=True,
            src=at("tables/enreach_setting.xml", 5),
        ),
        m.Column(
            "enreach_Value",
            "text",
            "Value",
            max_length=4000,
            src=at("tables/enreach_setting.xml", 6),
        ),
        m.Column(
            "enreach_Category",
            "choice",
            "Category",
            src=at("tables/enreach_setting.xml", 7),
            options=options("Phone Call Sync", "Callback Sync", "Presence"),
        ),
    )
    key = m.AlternateKey(
        "enreach_key_name", "Name", ("enreach_name",), src=at("tables/enreach_setting.xml", 9)
    )
    return m.Table(
        "enreach_Setting",
        "Voice Setting",
        solution=BASE,
        ownership="organization",
        columns=cols,
        keys=(key,),
        src=at("tables/enreach_setting.xml", 2),
    )


def _profile_table() -> m.Table:
    f = "tables/enreach_callbackprofile.xml"
    cols = (
        m.Column(
            "enreach_Name", "text", "Name", max_length=100, is_primary_name=True, src=at(f, 4)
        ),
        m.Column(
            "enreach_CallbackListId",
            "lookup",
            "Callback List",
            targets=("enreach_callbacklist",),
            src=at(f, 5),
        ),
        m.Column("enreach_QueueId", "lookup", "Queue", targets=("queue",), src=at(f, 6)),
        m.Column(
            "enreach_CallbackAge", "integer", "Age", min_value=1, max_value=1000, src=at(f, 7)
        ),
    )
    return m.Table(
        "enreach_CallbackProfile", "Callback Profile", solution=BASE, columns=cols, src=at(f, 2)
    )


def _list_table() -> m.Table:
    f = "tables/enreach_callbacklist.xml"
    source = m.VirtualSource(
        "OData v4 Data Provider", "callbacklists", "enreach_EnreachApiBaseUrl", src=at(f, 3)
    )
    cols = (
        m.Column(
            "enreach_Name", "text", "Name", max_length=100, is_primary_name=True, src=at(f, 4)
        ),
    )
    return m.Table(
        "enreach_CallbackList",
        "Callback List",
        solution=BASE,
        ownership="organization",
        virtual=source,
        columns=cols,
        src=at(f, 2),
    )


def _phonecall() -> m.Table:
    f = "tables/phonecall.xml"
    cols = (
        m.Column("enreach_EnreachCallId", "text", "Enreach Call Id", max_length=100, src=at(f, 4)),
        m.Column(
            "enreach_CallType",
            "choice",
            "Call Type",
            global_choice="enreach_calltype",
            default_option=105230000,
            src=at(f, 5),
        ),
        m.Column(
            "enreach_BundledWithId", "lookup", "Bundled With", targets=("phonecall",), src=at(f, 6)
        ),
    )
    reason = m.StatusReason(105230000, "Multiple matches", 0, src=at(f, 8))
    return m.Table(
        "PhoneCall",
        "Phone Call",
        solution=BASE,
        existing=True,
        is_activity=True,
        columns=cols,
        status_reasons=(reason,),
        src=at(f, 2),
    )


def _systemuser() -> m.Table:
    cols = (
        m.Column(
            "enreach_EnreachUserId",
            "text",
            "Enreach User Id",
            max_length=100,
            src=at("tables/systemuser.xml", 4),
        ),
    )
    return m.Table(
        "SystemUser",
        "User",
        solution=BASE,
        existing=True,
        columns=cols,
        src=at("tables/systemuser.xml", 2),
    )


def _forms() -> tuple[m.Form, ...]:
    f = "forms/phonecall.xml"
    grid = m.FormSubgrid("bundled", "Bundled calls", "phonecall", "Bundled Calls", src=at(f, 9))
    quick = m.FormQuickView(
        "bundle", "Bundle", "enreach_bundledwithid", "Voice Quick View", src=at(f, 10)
    )
    section = m.FormSection(
        "main",
        "Main",
        (
            m.FormField("subject", src=at(f, 7)),
            m.FormField("enreach_enreachcallid", src=at(f, 8)),
            grid,
            quick,
        ),
        src=at(f, 6),
    )
    main = m.Form(
        ident("form-main"),
        "phonecall",
        "main",
        "Voice for D365 – Phone Call",
        tabs=(m.FormTab("general", "General", (section,), src=at(f, 5)),),
        solution=BASE,
        src=at(f, 2),
    )
    quick_form = m.Form(
        ident("form-quick"),
        "phonecall",
        "quick",
        "Voice Quick View",
        solution=BASE,
        src=at("forms/phonecall_quick.xml", 2),
    )
    g = "forms/enreach_callbackprofile.xml"
    event = m.FormEvent(
        "onchange",
        "enreach_/scripts/callbackprofile.js",
        "onAgeChange",
        attribute="enreach_callbackage",
        src=at(g, 12),
    )
    profile = m.Form(
        ident("form-profile"),
        "enreach_callbackprofile",
        "main",
        "Callback Profile",
        libraries=("enreach_/scripts/callbackprofile.js",),
        events=(event,),
        solution=BASE,
        src=at(g, 2),
    )
    return main, quick_form, profile


def _views() -> tuple[m.View, ...]:
    f = "views/enreach_setting.xml"
    active = m.View(
        ident("view-active"),
        "enreach_setting",
        "Active Voice Settings",
        columns=(
            m.ViewColumn("enreach_name", src=at(f, 4)),
            m.ViewColumn("enreach_value", src=at(f, 5)),
        ),
        conditions=(m.ViewCondition("statecode", "eq", "0", src=at(f, 6)),),
        order=(m.ViewOrder("enreach_name"),),
        solution=BASE,
        src=at(f, 2),
    )
    bundled = m.View(
        ident("view-bundled"),
        "phonecall",
        "Bundled Calls",
        columns=(m.ViewColumn("subject", src=at("views/phonecall.xml", 4)),),
        solution=BASE,
        src=at("views/phonecall.xml", 2),
    )
    return active, bundled


def _role() -> m.Role:
    f = "roles/voice_apiuser.xml"
    names = (
        "prvCreateActivity",
        "prvReadActivity",
        "prvReadenreach_setting",
        "prvReadUser",
        "prvWriteUser",
        "prvReadenreach_callbackprofile",
        "prvReadQueue",
    )
    privileges = tuple(m.Privilege(n, "Global", src=at(f, 4 + i)) for i, n in enumerate(names))
    return m.Role(
        ident("role-api"), "Voice ApiUser", privileges=privileges, solution=BASE, src=at(f, 2)
    )


def _app(forms: tuple[m.Form, ...], views: tuple[m.View, ...], role: m.Role) -> m.AppModule:
    f = "apps/voiceconfigurator.xml"
    sub = m.SiteMapSubArea(
        "settings", "Settings", table="enreach_setting", view="Active Voice Settings", src=at(f, 6)
    )
    group = m.SiteMapGroup("general", "General", (sub,), src=at(f, 5))
    return m.AppModule(
        "enreach_VoiceConfigurator",
        "Voice Configurator",
        id=ident("app"),
        icon="enreach_/images/icon.svg",
        areas=(m.SiteMapArea("voice", "Voice", (group,), src=at(f, 4)),),
        tables=("enreach_setting", "systemuser"),
        forms=tuple(x.id for x in forms),
        views=tuple(v.id for v in views),
        roles=(role.id,),
        solution=BASE,
        src=at(f, 2),
    )


def _web_resources() -> tuple[m.WebResource, ...]:
    def resource(name: str, kind: m.WebResourceType, line: int) -> m.WebResource:
        return m.WebResource(
            name,
            name,
            kind,
            content=b"x",
            id=ident(name),
            solution=BASE,
            src=at("webresources.xml", line),
        )

    return (
        resource("enreach_/scripts/callbackprofile.js", "js", 3),
        resource("enreach_/scripts/updateuserids.js", "js", 4),
        resource("enreach_/images/icon.svg", "svg", 5),
    )


def _multisession() -> dict[str, Any]:
    f = "multisession/"
    tab = m.ApplicationTabTemplate(
        "enreach_customerrecordtab",
        "Customer",
        "Customer",
        "entityrecord",
        parameters=(
            m.TemplateParameter(
                "enreach_tp_entityname",
                "entityName",
                "{customerEntityName}",
                src=at(f + "tab.xml", 4),
            ),
            m.TemplateParameter(
                "enreach_tp_entityid", "entityId", "{customerRecordId}", src=at(f + "tab.xml", 5)
            ),
        ),
        solution=MULTI,
        src=at(f + "tab.xml", 2),
    )
    session = m.SessionTemplate(
        "enreach_incomingcall",
        "Incoming call",
        "Call {callerNumber}",
        entity="phonecall",
        anchor_tab=tab.unique_name,
        solution=MULTI,
        src=at(f + "session.xml", 2),
    )
    field = m.NotificationField(
        "enreach_nf_number",
        "number",
        "Phone number",
        "{callerNumber}",
        src=at(f + "notification.xml", 4),
    )
    note = m.NotificationTemplate(
        "enreach_incomingcallnotification",
        "Incoming call",
        "Incoming call from {customerName}",
        fields=(field,),
        parameters=("callerNumber", "customerName"),
        solution=MULTI,
        src=at(f + "notification.xml", 2),
    )
    provider = m.Cif2Provider(
        "enreach_voicechannelprovider",
        "Voice for Dynamics 365 by Enreach",
        "Voice",
        "https://voice.example.com/widget",
        solution=MULTI,
        src=at(f + "provider.xml", 2),
    )
    return {
        "tab_templates": (tab,),
        "session_templates": (session,),
        "notification_templates": (note,),
        "cif2_providers": (provider,),
    }


def _settings() -> tuple[m.Setting, ...]:
    kinds: dict[str, tuple[m.SettingType, str]] = {
        "CallDurationLimit": ("Integer", "10"),
        "CallStartMargin": ("Integer", "60"),
        "DefaultCrmAssignee": ("Guid", str(ident("assignee"))),
        "ExecutionInterval": ("Integer", "5"),
        "NumbersToCut": ("Integer", "0"),
        "MultipleMatchPhoneCallStatus": ("Integer", "105230000"),
    }
    out = []
    for line, name in enumerate(CATALOGUE, start=3):
        otherwise: tuple[m.SettingType, str] = (
            ("Boolean", "False")
            if name.startswith(("Enable", "Process", "Run", "Multiple"))
            else ("String", "Subject")
        )
        datatype, default = kinds.get(name, otherwise)
        category: m.SettingCategory = (
            "Callback Sync" if name.startswith("Callback") else "Phone Call Sync"
        )
        out.append(
            m.Setting(
                name,
                category,
                datatype,
                default,
                "d",
                id=ident(name),
                src=at("settings/settings.xml", line),
            )
        )
    mapping = {"AVAILABLE": 0, "BUSY": 1, "BUSY_DO_NOT_DISTURB": 2, "OFFLINE": 3, "AWAY": 5}
    out.append(
        m.Setting(
            "PresenceMapping",
            "Presence",
            "String",
            json.dumps(mapping),
            "d",
            id=ident("presence"),
            src=at("settings/presence.xml", 3),
        )
    )
    return tuple(out)


def voice_project() -> m.Project:
    """A small project that every rule accepts."""
    forms, views, role = _forms(), _views(), _role()
    publisher = m.Publisher("enreach", "Enreach", "enreach", 10523, src=at("project.xml", 3))
    solutions = (
        m.SolutionDef(BASE, "Voice", "", "base", 1, src=at("project.xml", 5)),
        m.SolutionDef(MULTI, "Voice MS", "", "multisession", 2, src=at("project.xml", 6)),
    )
    return m.Project(
        version="1.2.0.0",
        publisher=publisher,
        solutions=solutions,
        tables=(_setting_table(), _profile_table(), _list_table(), _phonecall(), _systemuser()),
        global_choices=(
            m.GlobalChoice(
                "enreach_calltype",
                "Call Type",
                options("Direct", "Service", "Callback"),
                solution=BASE,
                src=at("choices/enreach_calltype.xml", 2),
            ),
        ),
        forms=forms,
        views=views,
        roles=(role,),
        apps=(_app(forms, views, role),),
        commands=(
            m.Command(
                "enreach.systemuser.UpdateEnreachUserIds",
                "systemuser",
                "grid",
                "Update Enreach User Ids",
                "enreach_/scripts/updateuserids.js",
                "run",
                app="enreach_VoiceConfigurator",
                solution=BASE,
                src=at("commands.xml", 3),
            ),
        ),
        web_resources=_web_resources(),
        custom_apis=(
            m.CustomApi(
                "enreach_UpdateEnreachUserIds",
                "Update",
                response=(
                    m.CustomApiParameter("Count", "Count", "Integer", src=at("customapis.xml", 4)),
                ),
                solution=BASE,
                src=at("customapis.xml", 2),
            ),
        ),
        environment_variables=(
            m.EnvironmentVariable(
                "enreach_EnreachApiBaseUrl",
                "API",
                default_value="https://a.b",
                solution=BASE,
                src=at("environmentvariables.xml", 3),
            ),
            m.EnvironmentVariable(
                "enreach_PollSeconds",
                "Poll",
                type="number",
                default_value="60",
                solution=BASE,
                src=at("environmentvariables.xml", 4),
            ),
        ),
        cif1_providers=(
            m.Cif1Provider(
                ident("cif1"),
                "Voice for Dynamics 365",
                "Voice",
                "https://voice.example.com/cif1",
                src=at("cif1.xml", 2),
            ),
        ),
        settings=_settings(),
        **_multisession(),
    )


# --- components kept verbatim (raw/) --------------------------------------------------------


def raw(section: str, file: str, xml: str) -> m.RawPart:
    """A raw part as `load_raw` makes it: `section` empty means a whole zip entry."""
    where = f"raw/{BASE}/sections/{section}/{file}" if section else f"raw/{BASE}/entries/{file}"
    return m.RawPart(file, xml.encode(), section, BASE, at(where, 0))


def raw_entity(
    schema: str,
    *columns: str,
    org_owned: bool = True,
    new: bool = True,
    form: uuid.UUID | None = None,
    view: uuid.UUID | None = None,
) -> m.RawPart:
    """An exported `<Entity>` (shape of a real export, trimmed to what the rules read)."""
    key = f"{schema.lower()}id"
    attrs = "".join(
        f'<attribute PhysicalName="{c}"><Type>{t}</Type>'
        f"<LogicalName>{c.lower()}</LogicalName></attribute>"
        for c, t in ([(key, "primarykey")] if new else []) + [(c, "nvarchar") for c in columns]
    )
    owner = "OrgOwned" if org_owned else "UserOwned"
    forms = (
        f'<FormXml><forms type="main"><systemform><formid>{{{form}}}</formid>'
        "</systemform></forms></FormXml>"
        if form
        else ""
    )
    views = (
        f"<SavedQueries><savedqueries><savedquery><savedqueryid>{{{view}}}</savedqueryid>"
        "</savedquery></savedqueries></SavedQueries>"
        if view
        else ""
    )
    xml = (
        f'<Entity><Name LocalizedName="x">{schema}</Name><EntityInfo><entity Name="{schema}">'
        f"<attributes>{attrs}</attributes><OwnershipTypeMask>{owner}</OwnershipTypeMask>"
        f"</entity></EntityInfo>{forms}{views}</Entity>"
    )
    return raw("Entities", f"{schema}.xml", xml)
