"""A hand-built Project shaped like the Voice catalogue, for the render and build tests
(tests/builds/test_build.py checks it holds every kind of component).

It does not go through the loader, so the render tests run whatever state `solution_src/`
is in; the end-to-end tests (test_build_cli.py, test_build_catalogue.py) use the real sources.
"""

from __future__ import annotations

from typing import TypedDict

from builder.model import (
    ApplicationTabTemplate,
    AppModule,
    Cif1Provider,
    Cif2Provider,
    Column,
    Command,
    CustomApi,
    CustomApiParameter,
    EnvironmentVariable,
    Form,
    FormField,
    FormSection,
    FormTab,
    GlobalChoice,
    NotificationField,
    NotificationTemplate,
    Privilege,
    Project,
    Publisher,
    RawPart,
    Role,
    SessionTemplate,
    Setting,
    SettingCategory,
    SettingType,
    SiteMapArea,
    SiteMapGroup,
    SiteMapSubArea,
    SolutionDef,
    Table,
    TemplateParameter,
    View,
    ViewColumn,
    WebResource,
    WebResourceType,
    stable_id,
)
from support.samples import MultisessionParts, options, web_resource

BASE, MULTI = "VoiceForD365", "VoiceForD365Multisession"
CATEGORIES = ("Phone Call Sync", "Callback Sync", "Presence", "General")
DATATYPES = ("String", "Integer", "Boolean", "Guid")


def _setting_table() -> Table:
    return Table(
        "enreach_Setting",
        "Voice Setting",
        "Voice Settings",
        solution=BASE,
        ownership="organization",
        columns=(
            Column("enreach_Category", "choice", "Category", options=options(*CATEGORIES)),
            Column("enreach_DataType", "choice", "Data Type", global_choice="enreach_datatype"),
            Column("enreach_DefaultValue", "text", "Default Value", max_length=4000),
            Column("enreach_Description", "memo", "Description"),
            Column("enreach_Name", "text", "Name", max_length=100, is_primary_name=True),
            Column("enreach_Value", "text", "Value", max_length=4000),
        ),
    )


def _tables() -> tuple[Table, ...]:
    return (
        Table(
            "enreach_CallbackProfile",
            "Callback Profile",
            solution=BASE,
            columns=(Column("enreach_Name", "text", "Name", max_length=100, is_primary_name=True),),
        ),
        _setting_table(),
        Table(
            "PhoneCall",
            "Phone Call",
            solution=BASE,
            existing=True,
            is_activity=True,
            columns=(Column("enreach_EnreachCallId", "text", "Enreach Call Id"),),
        ),
        Table(
            "SystemUser",
            "User",
            solution=BASE,
            existing=True,
            columns=(Column("enreach_EnreachUserId", "text", "Enreach User Id"),),
        ),
    )


class UiParts(TypedDict):
    forms: tuple[Form, ...]
    views: tuple[View, ...]
    apps: tuple[AppModule, ...]
    commands: tuple[Command, ...]


def _ui() -> UiParts:
    form = Form(
        stable_id("form", "phonecall", "main"),
        "phonecall",
        "main",
        "Voice for D365 – Phone Call",
        solution=BASE,
        tabs=(
            FormTab(
                "general",
                "General",
                (FormSection("enreach", "Enreach", (FormField("enreach_enreachcallid"),)),),
            ),
        ),
    )
    view = View(
        stable_id("view", "enreach_setting", "active"),
        "enreach_setting",
        "Active Voice Settings",
        is_default=True,
        solution=BASE,
        columns=(ViewColumn("enreach_name"),),
    )
    app = AppModule(
        "enreach_VoiceConfigurator",
        "Voice Configurator",
        solution=BASE,
        id=stable_id("appmodule", "enreach_VoiceConfigurator"),
        areas=(
            SiteMapArea(
                "settings",
                "Settings",
                (
                    SiteMapGroup(
                        "general",
                        "General",
                        (
                            SiteMapSubArea(
                                "voicesettings", "Voice Settings", table="enreach_setting"
                            ),
                        ),
                    ),
                ),
            ),
        ),
        tables=("enreach_setting",),
    )
    command = Command(
        "enreach.systemuser.UpdateEnreachUserIds",
        "systemuser",
        "grid",
        "Update Enreach User Ids",
        "enreach_/scripts/commands.js",
        "updateUserIds",
        solution=BASE,
    )
    return {"forms": (form,), "views": (view,), "apps": (app,), "commands": (command,)}


def _roles() -> tuple[Role, ...]:
    read = Privilege("prvReadenreach_setting", "Global")
    return tuple(
        Role(stable_id("role", n), n, privileges=(read,), solution=BASE)
        for n in ("Voice Administrator", "Voice ApiUser", "Voice User")
    )


def _web_resources() -> tuple[WebResource, ...]:
    def resource(name: str, kind: WebResourceType, content: bytes) -> WebResource:
        return web_resource(name, name.rsplit("/", 1)[-1], kind, content)

    return (
        resource("enreach_/icons/voice.svg", "svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        resource("enreach_/scripts/callbackprofile.js", "js", b"function onLoad(c) {}\n"),
        resource("enreach_/scripts/commands.js", "js", b"function updateUserIds() {}\n"),
    )


def _custom_api() -> CustomApi:
    return CustomApi(
        "enreach_UpdateEnreachUserIds",
        "Update Enreach User Ids",
        "Fetch the Enreach ids",
        solution=BASE,
        request=(CustomApiParameter("UserIds", "User Ids", "String", optional=True),),
        response=(CustomApiParameter("Updated", "Updated", "Integer"),),
    )


def _env_vars() -> tuple[EnvironmentVariable, ...]:
    names = ("enreach_EnreachApiBaseUrl", "enreach_UserIdSyncUrl", "enreach_VoiceWidgetUrl")
    return tuple(EnvironmentVariable(n, n.removeprefix("enreach_"), solution=BASE) for n in names)


def _multisession() -> MultisessionParts:
    tab = ApplicationTabTemplate(
        "enreach_customerrecordtab",
        "Customer record",
        "{customerName}",
        "entityrecord",
        solution=MULTI,
        parameters=(
            TemplateParameter(
                "enreach_customerrecordtab_entityname", "entityName", "{anchor.entityName}"
            ),
            TemplateParameter(
                "enreach_customerrecordtab_entityid", "entityId", "{customerRecordId}"
            ),
        ),
    )
    search = ApplicationTabTemplate(
        "enreach_searchtab", "Search", "Search", "search", solution=MULTI, can_close=True
    )
    sessions = tuple(
        SessionTemplate(
            f"enreach_{way}callsession",
            f"{way.title()} call",
            "{customerName}",
            "entity",
            entity="contact",
            anchor_tab=tab.unique_name,
            additional_tabs=(search.unique_name,),
            solution=MULTI,
        )
        for way in ("incoming", "outgoing")
    )
    fields = (
        NotificationField("enreach_field_customer", "Customer", "Customer", "{customerName}"),
        NotificationField("enreach_field_phone", "Phone", "Phone number", "{phone}", 1),
    )
    notes = (
        NotificationTemplate(
            "enreach_incomingcall", "Incoming call", "Incoming call", fields=fields, solution=MULTI
        ),
        NotificationTemplate(
            "enreach_callbackrequest",
            "Callback request",
            "Callback request",
            fields=fields[:1],
            solution=MULTI,
        ),
    )
    provider = Cif2Provider(
        "enreach_voicechannelprovider",
        "Voice for Dynamics 365 by Enreach",
        "Voice",
        "https://widget.example.com/",
        solution=MULTI,
    )
    return {
        "tab_templates": (tab, search),
        "session_templates": sessions,
        "notification_templates": notes,
        "cif2_providers": (provider,),
    }


def _settings() -> tuple[Setting, ...]:
    rows: tuple[tuple[str, SettingCategory, SettingType, str], ...] = (
        ("CallDurationLimit", "Phone Call Sync", "Integer", "3600"),
        ("DefaultCrmAssignee", "Phone Call Sync", "Guid", ""),
        ("EnableAudit", "Phone Call Sync", "Boolean", "False"),
        ("CallbackRequestDefaultSubject", "Callback Sync", "String", "Callback request"),
        ("AVAILABLE", "Presence", "Integer", "0"),
    )
    return tuple(
        Setting(n, c, t, d, f"{n} & <more>", id=stable_id("setting", n)) for n, c, t, d in rows
    )


def voice_project(version: str = "1.2.3.4") -> Project:
    """The Voice catalogue in miniature: every kind of component, both solutions."""
    return Project(
        version=version,
        publisher=Publisher("enreach", "Enreach", "enreach", 10523, description="Enreach"),
        solutions=(
            SolutionDef(MULTI, "Voice for D365 Multisession", "CIF 2.0", "multisession", 2),
            SolutionDef(BASE, "Voice for D365", "Voice for Dynamics 365", "base", 1),
        ),
        tables=_tables(),
        global_choices=(
            GlobalChoice("enreach_datatype", "Data Type", options(*DATATYPES), solution=BASE),
        ),
        roles=_roles(),
        web_resources=_web_resources(),
        custom_apis=(_custom_api(),),
        environment_variables=_env_vars(),
        cif1_providers=(
            Cif1Provider(
                stable_id("ciprovider", "voice"),
                "Voice for Dynamics 365",
                "Voice",
                "https://widget.example.com/cif1",
            ),
        ),
        settings=_settings(),
        raw_parts=(RawPart("Workflows/Sync-1.json", b"{}", solution=BASE),),
        **_ui(),
        **_multisession(),
    )
