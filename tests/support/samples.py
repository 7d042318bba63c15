"""A small but complete Project for render tests: a user-owned and an org-owned custom table,
a virtual table, two extended system tables (one with a status reason), every column type,
forms of three types with a subgrid, a quick view and events, views of every type, a role,
an app with a site map, a command, web resources, a global choice and a raw part.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypedDict

from builder.model import (
    AlternateKey,
    ApplicationTabTemplate,
    AppModule,
    ChoiceOption,
    Cif2Provider,
    Column,
    Command,
    Form,
    FormEvent,
    FormField,
    FormItem,
    FormQuickView,
    FormSection,
    FormSubgrid,
    FormTab,
    FormType,
    GlobalChoice,
    NotificationTemplate,
    Privilege,
    Project,
    Publisher,
    RawPart,
    Role,
    SessionTemplate,
    SiteMapArea,
    SiteMapGroup,
    SiteMapSubArea,
    SolutionDef,
    StatusReason,
    Table,
    View,
    ViewColumn,
    ViewCondition,
    ViewOrder,
    ViewType,
    VirtualSource,
    WebResource,
    WebResourceType,
    stable_id,
)

BASE = "VoiceForD365"
MULTI = "VoiceForD365Multisession"


class MultisessionParts(TypedDict):
    """The multisession components of a Project, passed to it as keyword arguments."""

    tab_templates: tuple[ApplicationTabTemplate, ...]
    session_templates: tuple[SessionTemplate, ...]
    notification_templates: tuple[NotificationTemplate, ...]
    cif2_providers: tuple[Cif2Provider, ...]


def options(*labels: str) -> tuple[ChoiceOption, ...]:
    return tuple(ChoiceOption(105230000 + i, label) for i, label in enumerate(labels))


def name_column(external_name: str = "") -> Column:
    return Column(
        "enreach_Name",
        "text",
        "Name",
        max_length=100,
        required="required",
        is_primary_name=True,
        external_name=external_name,
    )


SETTING = Table(
    "enreach_Setting",
    "Voice Setting",
    "Voice Settings",
    "Settings of Voice for D365",
    solution=BASE,
    ownership="organization",
    columns=(
        name_column(),
        Column("enreach_Value", "text", "Value", max_length=4000),
        Column("enreach_DefaultValue", "text", "Default Value", max_length=4000),
        Column(
            "enreach_Category",
            "choice",
            "Category",
            options=options("Phone Call Sync", "Callback Sync", "Presence", "General"),
        ),
        Column(
            "enreach_DataType",
            "choice",
            "Data Type",
            global_choice="enreach_datatype",
            default_option=105230000,
        ),
        Column("enreach_Description", "memo", "Description", max_length=2000),
    ),
    keys=(AlternateKey("enreach_key_name", "Name key", ("enreach_name",)),),
)

PROFILE = Table(
    "enreach_CallbackProfile",
    "Callback Profile",
    "Callback Profiles",
    solution=BASE,
    columns=(
        name_column(),
        Column(
            "enreach_CallbackListId", "lookup", "Callback List", targets=("enreach_callbacklist",)
        ),
        Column("enreach_QueueId", "lookup", "Queue", targets=("queue",)),
        Column(
            "enreach_SynchronizationMethod",
            "choice",
            "Synchronization Method",
            options=options("Polling", "Webhook", "Webhook backed with polling"),
            default_option=105230000,
        ),
        Column("enreach_CallbackAge", "integer", "Callback Age", min_value=1),
        Column("enreach_CallDuration", "integer", "Call Duration", format="duration"),
        Column(
            "enreach_Enabled",
            "boolean",
            "Enabled",
            boolean_labels=("Off", "On"),
            default_boolean=True,
        ),
        Column("enreach_Weight", "decimal", "Weight", precision=3, min_value=0, max_value=1000.5),
        Column("enreach_Fee", "money", "Fee", precision=2),
        Column("enreach_NextRun", "datetime", "Next Run"),
        Column("enreach_StartDate", "datetime", "Start Date", format="date"),
        Column("enreach_Website", "text", "Website", format="url", max_length=200),
        Column("enreach_Email", "text", "Email", format="email"),
        Column("enreach_Phone", "text", "Phone", format="phone", max_length=50),
    ),
)

CALLBACK_LIST = Table(
    "enreach_CallbackList",
    "Callback List",
    "Callback Lists",
    solution=BASE,
    ownership="organization",
    virtual=VirtualSource(
        "OData v4 Data Provider",
        "CallbackLists",
        "enreach_EnreachApiBaseUrl",
        key_external_name="Id",
    ),
    columns=(name_column(external_name="Name"),),
)

PHONECALL = Table(
    "PhoneCall",
    "Phone Call",
    "Phone Calls",
    solution=BASE,
    existing=True,
    columns=(
        Column("enreach_EnreachCallId", "text", "Enreach Call Id", max_length=100),
        Column("enreach_ApiAudit", "memo", "Enreach Api Audit", max_length=100000),
        Column(
            "enreach_CallType",
            "choice",
            "Call Type",
            options=options("Direct", "Service", "Callback"),
        ),
        Column(
            "enreach_CallbackProfileId",
            "lookup",
            "Callback Profile",
            targets=("enreach_callbackprofile",),
        ),
        Column(
            "enreach_BundledWithId",
            "lookup",
            "Bundled With",
            targets=("phonecall",),
            relationship="enreach_phonecall_bundledwith",
        ),
    ),
    status_reasons=(StatusReason(105230000, "Multiple matches", 0),),
)

SYSTEMUSER = Table(
    "SystemUser",
    "User",
    "Users",
    solution=BASE,
    existing=True,
    columns=(
        Column("enreach_EnreachUserId", "text", "Enreach User Id"),
        Column("enreach_EnreachUserEmail", "text", "Enreach User Email", format="email"),
    ),
)

DATATYPE = GlobalChoice(
    "enreach_datatype", "Data Type", options("String", "Integer", "Boolean", "Guid"), solution=BASE
)


def view(table: str, name: str, type_: ViewType = "public", **kw: Any) -> View:
    return View(stable_id("view", table, name), table, name, type_, solution=BASE, **kw)


NAME_COLUMNS = (ViewColumn("enreach_name", 300), ViewColumn("createdon", 125))
VIEWS = (
    view(
        "enreach_setting",
        "Active Voice Settings",
        is_default=True,
        columns=NAME_COLUMNS,
        conditions=(ViewCondition("statecode", "eq", "0"),),
        order=(ViewOrder("enreach_name"),),
    ),
    view(
        "enreach_setting",
        "Phone Call Sync Settings",
        columns=NAME_COLUMNS,
        conditions=(
            ViewCondition("enreach_category", "eq", "105230000"),
            ViewCondition("enreach_value", "not-null"),
        ),
    ),
    view(
        "enreach_setting",
        "Quick Find Active Voice Settings",
        "quickfind",
        is_default=True,
        columns=NAME_COLUMNS,
        find_columns=("enreach_name", "enreach_value"),
    ),
    view(
        "enreach_setting",
        "Voice Setting Lookup View",
        "lookup",
        is_default=True,
        columns=NAME_COLUMNS,
    ),
    view(
        "enreach_setting",
        "Voice Setting Associated View",
        "associated",
        is_default=True,
        columns=NAME_COLUMNS,
    ),
    view(
        "enreach_setting",
        "Voice Setting Advanced Find View",
        "advancedfind",
        is_default=True,
        columns=NAME_COLUMNS,
    ),
    view(
        "enreach_callbackprofile",
        "Active Callback Profiles",
        is_default=True,
        columns=(ViewColumn("enreach_name", 200), ViewColumn("enreach_queueid", 150)),
        conditions=(ViewCondition("enreach_synchronizationmethod", "in", "105230000,105230002"),),
        order=(ViewOrder("enreach_name", descending=True),),
    ),
    view("phonecall", "Bundled Calls", columns=(ViewColumn("subject", 300),)),
)


def web_resource(name: str, display: str, type_: WebResourceType, content: bytes) -> WebResource:
    return WebResource(
        name,
        display,
        type_,
        content=content,
        id=stable_id("webresource", name),
        solution=BASE,
    )


SCRIPT = web_resource(
    "enreach_/scripts/callbackprofile.js", "Callback Profile Form", "js", b"// form"
)
COMMANDS = web_resource(
    "enreach_/scripts/commands.js",
    "Voice Commands",
    "js",
    b"Enreach.Commands = { updateUserIds() {}, isCurrentApp(name) {} };",
)
ICON = web_resource("enreach_/images/voice.svg", "Voice Icon", "svg", b"<svg/>")


def field(column: str, **kw: Any) -> FormField:
    return FormField(column, **kw)


def form(table: str, type_: FormType, name: str, tabs: tuple[FormTab, ...], **kw: Any) -> Form:
    return Form(
        stable_id("form", table, type_, name),
        table,
        type_,
        name,
        tabs=tabs,
        solution=BASE,
        **kw,
    )


def tab(name: str, *items: FormItem) -> FormTab:
    return FormTab(name, name.title(), (FormSection(f"{name}_section", name.title(), items),))


FORMS = (
    form(
        "phonecall",
        "main",
        "Voice for D365 - Phone Call",
        (
            tab(
                "general",
                field("subject"),
                field("enreach_enreachcallid", readonly=True),
                field("enreach_calltype"),
                field("enreach_callbackprofileid"),
                FormQuickView(
                    "profile_qv",
                    "Profile",
                    "enreach_callbackprofileid",
                    "Callback Profile Quick View",
                ),
            ),
            tab(
                "bundled",
                FormSubgrid(
                    "bundled_calls",
                    "Bundled Calls",
                    "phonecall",
                    "Bundled Calls",
                    relationship="enreach_phonecall_bundledwith",
                ),
            ),
        ),
        header=(field("statuscode"), field("ownerid")),
        libraries=("enreach_/scripts/callbackprofile.js",),
        events=(
            FormEvent("onload", "enreach_/scripts/callbackprofile.js", "Enreach.PhoneCall.onLoad"),
            FormEvent(
                "onchange",
                "enreach_/scripts/callbackprofile.js",
                "Enreach.PhoneCall.onTypeChange",
                attribute="enreach_calltype",
            ),
        ),
    ),
    form(
        "phonecall",
        "quickCreate",
        "Voice for D365 - Phone Call Quick Create",
        (tab("general", field("subject"), field("enreach_calltype")),),
    ),
    form(
        "phonecall",
        "quick",
        "Voice for D365 - Phone Call Quick View",
        (tab("general", field("enreach_enreachcallid"), field("enreach_apiaudit")),),
    ),
    form(
        "enreach_callbackprofile",
        "main",
        "Callback Profile",
        (tab("general", *(field(c.logical_name) for c in PROFILE.columns)),),
        events=(
            FormEvent(
                "onload", "enreach_/scripts/callbackprofile.js", "Enreach.CallbackProfile.onLoad"
            ),
        ),
    ),
    form(
        "enreach_callbackprofile",
        "quick",
        "Callback Profile Quick View",
        (tab("general", field("enreach_name"), field("enreach_synchronizationmethod")),),
    ),
    form(
        "enreach_setting",
        "main",
        "Voice Setting",
        (
            tab(
                "general",
                field("enreach_name"),
                field("enreach_value"),
                field("enreach_category"),
                field("enreach_datatype"),
                field("enreach_description"),
            ),
        ),
    ),
    form(
        "systemuser",
        "main",
        "Voice for D365 - User",
        (
            tab(
                "enreach",
                field("fullname"),
                field("enreach_enreachuserid"),
                field("enreach_enreachuseremail"),
            ),
        ),
    ),
)

ROLE = Role(
    stable_id("role", "Voice User"),
    "Voice User",
    solution=BASE,
    privileges=(
        Privilege("prvCreateActivity", "Basic"),
        Privilege("prvReadActivity", "Basic"),
        Privilege("prvReadenreach_callbackprofile", "Global"),
        Privilege("prvReadenreach_setting", "Global"),
    ),
)


def subarea(id_: str, title: str, table: str, view_name: str = "") -> SiteMapSubArea:
    return SiteMapSubArea(id_, title, table=table, view=view_name)


APP = AppModule(
    "enreach_VoiceConfigurator",
    "Voice Configurator",
    "Configure Voice for D365",
    id=stable_id("appmodule", "enreach_VoiceConfigurator"),
    icon=ICON.name,
    solution=BASE,
    areas=(
        SiteMapArea(
            "voice",
            "Voice",
            (
                SiteMapGroup(
                    "general_settings",
                    "General Settings",
                    (
                        subarea(
                            "phone_call_sync",
                            "Phone Call Sync Settings",
                            "enreach_setting",
                            "Phone Call Sync Settings",
                        ),
                        subarea("all_settings", "All Settings", "enreach_setting"),
                    ),
                ),
                SiteMapGroup("users", "User Settings", (subarea("users", "Users", "systemuser"),)),
                SiteMapGroup(
                    "profiles",
                    "Callback Profiles",
                    (subarea("profiles", "Callback Profiles", "enreach_callbackprofile"),),
                ),
            ),
        ),
    ),
    tables=("phonecall",),
    forms=tuple(f.id for f in FORMS if f.table != "phonecall" or f.type == "main"),
    views=tuple(v.id for v in VIEWS),
    roles=(ROLE.id,),
)

COMMAND = Command(
    "enreach.systemuser.UpdateEnreachUserIds",
    "systemuser",
    "grid",
    "Update Enreach User Ids",
    COMMANDS.name,
    "Enreach.Commands.updateUserIds",
    tooltip="Fetch the Enreach user ids",
    icon=ICON.name,
    app=APP.unique_name,
    solution=BASE,
)

RAW = RawPart(
    "EntityMaps/raw.xml",
    b"<EntityMap><EntitySource>account</EntitySource>"
    b"<EntityTarget>phonecall</EntityTarget></EntityMap>",
    section="EntityMaps",
    solution=BASE,
)


def sample_project() -> Project:
    publisher = Publisher("enreach", "Enreach", "enreach", 10523)
    solutions = (
        SolutionDef(BASE, "Voice for D365", "Base", "base", 1),
        SolutionDef(MULTI, "Voice for D365 Multisession", "CIF 2.0", "multisession", 2),
    )
    return Project(
        version="1.2.3.4",
        publisher=publisher,
        solutions=solutions,
        tables=(SETTING, PROFILE, CALLBACK_LIST, PHONECALL, SYSTEMUSER),
        global_choices=(DATATYPE,),
        forms=FORMS,
        views=VIEWS,
        roles=(ROLE,),
        apps=(APP,),
        commands=(COMMAND,),
        web_resources=(SCRIPT, COMMANDS, ICON),
        raw_parts=(RAW,),
    )


def with_tables(project: Project, tables: tuple[Table, ...]) -> Project:
    return replace(project, tables=tables)


# --- project edits (tests change one thing of a sample and look at what follows) ----------


def swap(items: tuple[Any, ...], match: Any, **changes: Any) -> tuple[Any, ...]:
    """`items` with the first item for which match(item) is true replaced by `changes`."""
    index = next(i for i, x in enumerate(items) if match(x))
    return items[:index] + (replace(items[index], **changes),) + items[index + 1 :]


def with_table(project: Project, name: str, **changes: Any) -> Project:
    tables = swap(project.tables, lambda t: t.logical_name == name, **changes)
    return replace(project, tables=tables)


def with_column(project: Project, table: str, column: str, **changes: Any) -> Project:
    owner = project.table(table)
    assert owner is not None
    cols = swap(owner.columns, lambda c: c.logical_name == column, **changes)
    return with_table(project, table, columns=cols)


def with_setting(project: Project, name: str, **changes: Any) -> Project:
    return replace(project, settings=swap(project.settings, lambda s: s.name == name, **changes))


def first(project: Project, kind: str, **changes: Any) -> Project:
    """Change the first component of a kind (`forms`, `views`, `roles`, ...)."""
    return replace(project, **{kind: swap(getattr(project, kind), lambda _x: True, **changes)})


def with_raw(project: Project, *parts: RawPart) -> Project:
    return replace(project, raw_parts=project.raw_parts + parts)


def without_table(project: Project, name: str) -> Project:
    return replace(project, tables=tuple(t for t in project.tables if t.logical_name != name))
