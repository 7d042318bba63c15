"""The solution model: frozen dataclasses that `load` fills from `solution_src/` and
`render` turns into Dataverse XML. `read` (solution zip -> model) fills the same classes,
so `diff` compares like with like.

Conventions:
- `schema_name` keeps Dataverse's SchemaName casing (`enreach_EnreachCallId`); the logical
  name is always its lower-case form (`logical_name`).
- Tuples, never lists: the model is immutable and hashable. Collections are sorted where
  order carries no meaning (`load` sorts them), so renders are deterministic.
- `src` says where a component was declared, for diagnostics; it never takes part in
  equality (a moved line is not a change).
- GUIDs are `uuid.UUID`; `stable_id()` derives them from names when a source gives none.
"""

# No `from __future__ import annotations` here: the field types are evaluated once, when the
# classes are made, so the loader's `mapping.slots` takes each field's type as it is instead
# of compiling each annotation from its text (255 of the 574 compiles a build made).
import uuid
from dataclasses import field
from typing import Literal

from ..dataverse.column_types import DEFAULT_LENGTHS, DEFAULT_PRECISION, NUMBER_RANGES
from .frozen import frozen
from .mapping import Src as Src
from .mapping import attribute, child, children, hook, inherited, spec, split
from .remainder import Remainder, remainder_field

# A fixed namespace so derived GUIDs are the same on every machine, forever.
VOICEPKG_NAMESPACE = uuid.UUID("6f1c1c0e-4a55-5d0b-9c7e-0e6f9a3d2b10")


def stable_id(*parts: str) -> uuid.UUID:
    """A GUID derived from a component's kind and name: stable across builds and machines."""
    return uuid.uuid5(VOICEPKG_NAMESPACE, "/".join(p.lower() for p in parts))


# The id a component is made with when none is given; it never stays: `__post_init__`
# replaces it with `stable_id(kind, name)`, the id the loaders derive for the same component.
DERIVED_ID = uuid.UUID(int=0)


def _derive_id(component: "AppModule | WebResource | Setting", kind: str, name: str) -> None:
    if component.id == DERIVED_ID:
        object.__setattr__(component, "id", stable_id(kind, name))


_NOWHERE = Src()  # one for every component made without a place: it is immutable


def _src() -> Src:
    return field(default=_NOWHERE, compare=False, repr=False)


# --- publisher and solutions ------------------------------------------------------------


@frozen
class Publisher:
    """The publisher whose prefix every custom name carries."""

    unique_name: str  # enreach
    display_name: str  # Enreach
    prefix: str  # enreach
    option_value_prefix: int  # 10523 -> option values 105230000...
    description: str = ""
    email: str = ""
    website: str = ""
    src: Src = _src()


SolutionRole = Literal["base", "multisession"]


@frozen
class SolutionDef:
    """One solution the project builds. Components name the solution they belong to."""

    unique_name: str  # VoiceForD365
    display_name: str
    description: str
    role: SolutionRole  # base: always imported; multisession: CIF2 scenarios only
    import_order: int  # 1, 2, ...: order in the package
    src: Src = _src()


# --- tables ------------------------------------------------------------------------------

ColumnType = Literal[
    "text",  # single line of text; format: text|email|url|phone|textarea
    "memo",  # multiple lines
    "integer",
    "decimal",
    "boolean",
    "choice",  # picklist: local options, or a global choice via `global_choice`
    "lookup",
    "datetime",
    "money",
]
RequiredLevel = Literal["none", "recommended", "required"]


# What Dataverse takes for a column property the sources leave open, by column type. A
# `Column` holds these values, never "open" (None, or "" for a format): `__post_init__` fills
# them in, so sources, a read zip and the diff see one spelling, and `given` gives back what a
# source needs to say.
def _range(kind: str) -> dict[str, object]:
    low, high = NUMBER_RANGES[kind]
    return {"min_value": float(low), "max_value": float(high)}


COLUMN_DEFAULTS: dict[str, dict[str, object]] = {
    "text": {"max_length": DEFAULT_LENGTHS["text"], "format": "text"},
    "memo": {"max_length": DEFAULT_LENGTHS["memo"]},
    "integer": _range("integer"),
    "decimal": {**_range("decimal"), "precision": DEFAULT_PRECISION},
    "money": {**_range("money"), "precision": DEFAULT_PRECISION},
    "datetime": {"format": "datetime"},
}
# Formats that say the same as the type's default: spelled as the default.
_SAME_FORMAT = {"memo": {"textarea": "", "text": ""}, "integer": {"none": ""}}


@frozen
class ChoiceOption:
    """One option of a choice: its value and label."""

    value: int
    label: str
    description: str = ""
    src: Src = _src()


@frozen
class Column:
    """A column of a table; properties left open hold Dataverse's defaults."""

    schema_name: str  # enreach_EnreachCallId
    type: ColumnType
    display_name: str
    description: str = ""
    required: RequiredLevel = "none"
    max_length: int | None = None  # text, memo
    format: str = ""  # text: text|email|url|phone; integer: none|duration; datetime: date|datetime
    min_value: float | None = None  # integer, decimal, money
    max_value: float | None = None
    precision: int | None = None  # decimal, money
    # choice (local option set); their order in a file carries no meaning
    options: tuple[ChoiceOption, ...] = children("option", sort=lambda o: o.value)
    global_choice: str = ""  # choice bound to a global option set (its name)
    default_option: int | None = None  # choice default value
    # boolean false, true
    boolean_labels: tuple[str, str] = split("false-label", "true-label", default=("No", "Yes"))
    default_boolean: bool = False
    # lookup: target table logical names; `diff` reports both as the relationship's change
    targets: tuple[str, ...] = attribute((), apart=True)
    # lookup: the 1:N relationship schema name (derived when empty)
    relationship: str = attribute("", apart=True)
    is_primary_name: bool = False
    audit: bool = True
    external_name: str = ""  # virtual tables: the field's name on the remote service
    src: Src = _src()

    def __post_init__(self) -> None:
        for name, default in COLUMN_DEFAULTS.get(self.type, {}).items():
            if getattr(self, name) in (None, ""):
                object.__setattr__(self, name, default)
        same = _SAME_FORMAT.get(self.type, {})
        if self.format in same:
            object.__setattr__(self, "format", same[self.format])
        if self.default_option == -1:  # Dataverse's "no default"
            object.__setattr__(self, "default_option", None)

    @property
    def logical_name(self) -> str:
        return self.schema_name.lower()

    def given(self, name: str) -> object:
        """A property as a source says it: None where it is the type's default."""
        value = getattr(self, name)
        return None if COLUMN_DEFAULTS.get(self.type, {}).get(name, None) == value else value


@frozen
class AlternateKey:
    """An alternate key of a table: the columns that identify a row."""

    schema_name: str  # enreach_key_name
    display_name: str
    columns: tuple[str, ...]  # logical names
    src: Src = _src()

    @property
    def logical_name(self) -> str:
        return self.schema_name.lower()


@frozen
class StatusReason:
    """A statuscode value under a statecode. Extending phonecall adds one under Open (0)."""

    value: int
    label: str
    state: int  # statecode value it belongs to
    src: Src = _src()


@frozen
class VirtualSource:
    """A virtual table served by the built-in OData v4 data provider."""

    data_provider: str  # "OData v4 Data Provider"
    external_name: str  # the entity set name on the remote service
    url_variable: str  # the environment variable schema name that holds the service URL
    key_external_name: str = ""  # the remote name of the primary key (enreach_callbacklistid)
    src: Src = _src()


Ownership = Literal["user", "organization", "none"]


@frozen
class Table:
    """A table the solution creates, or (`existing=True`) a system table it extends."""

    schema_name: str  # enreach_Setting, or PhoneCall for an existing table
    display_name: str
    plural_name: str = ""
    description: str = ""
    solution: str = inherited()  # the SolutionDef unique name
    existing: bool = False  # phonecall, systemuser: ship only our columns/forms, shell root
    ownership: Ownership = "user"
    is_activity: bool = False
    virtual: VirtualSource | None = child("virtual")
    # our columns only; render adds the system columns
    columns: tuple[Column, ...] = children("column", sort=lambda c: c.logical_name)
    keys: tuple[AlternateKey, ...] = children("key", sort=lambda k: k.logical_name)
    # added statuscode values
    status_reasons: tuple[StatusReason, ...] = children(
        "status-reason", sort=lambda s: (s.state, s.value)
    )
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()

    @property
    def logical_name(self) -> str:
        return self.schema_name.lower()

    @property
    def primary_id(self) -> str:
        return f"{self.logical_name}id"

    @property
    def primary_name(self) -> Column | None:
        return next((c for c in self.columns if c.is_primary_name), None)

    def column(self, logical_name: str) -> Column | None:
        return next((c for c in self.columns if c.logical_name == logical_name), None)


@frozen
class GlobalChoice:
    """A choice (option set) shared by columns of any table."""

    name: str  # enreach_calltype
    display_name: str
    options: tuple[ChoiceOption, ...] = children("option", sort=lambda o: o.value)
    description: str = ""
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


# --- forms and views ----------------------------------------------------------------------

FormType = Literal["main", "quickCreate", "quick", "card"]


@frozen
class FormField:
    """A column on a form."""

    column: str  # logical name on the form's table
    label: str = ""  # empty: the column's display name
    readonly: bool = False
    src: Src = _src()


@frozen
class FormSubgrid:
    """A subgrid on a form: the rows of a related table in one of its views."""

    name: str
    label: str
    table: str  # logical name of the related table
    view: str  # view name on that table (resolved to its id by render)
    relationship: str = ""  # relationship schema name; empty: all records
    src: Src = _src()


@frozen
class FormQuickView:
    """A quick view form of the row a lookup column points to."""

    name: str
    label: str
    lookup: str  # the lookup column on this table
    form: str  # the quick view form's name on the lookup's target table
    src: Src = _src()


FormItem = FormField | FormSubgrid | FormQuickView


@frozen
class FormSection:
    """A section of a form tab."""

    name: str
    label: str
    items: tuple[FormItem, ...] = children(
        {"field": FormField, "subgrid": FormSubgrid, "quick-view": FormQuickView}
    )
    show_label: bool = True
    src: Src = _src()


@frozen
class FormTab:
    """A tab of a form."""

    name: str
    label: str
    sections: tuple[FormSection, ...] = children("section")
    src: Src = _src()


@frozen
class FormEvent:
    """An event handler: a function in a script web resource."""

    event: str  # onload, onsave, onchange
    library: str  # web resource name
    function: str
    attribute: str = ""  # onchange: the column logical name
    pass_context: bool = True
    src: Src = _src()


@frozen
class Form:
    """A form of a table."""

    id: uuid.UUID = field(metadata=spec(derive=("form", "table", "name")))
    table: str  # logical name
    type: FormType
    name: str  # "Voice for D365 – Phone Call"
    description: str = ""
    libraries: tuple[str, ...] = ()  # script web resource names loaded by the form
    # in the order of the source file (its XSD's order: events, header, tabs)
    events: tuple[FormEvent, ...] = children("event")
    header: tuple[FormField, ...] = children("field", wrapper="header")
    tabs: tuple[FormTab, ...] = children("tab")
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()

    def __post_init__(self) -> None:
        # A form loads its own libraries and those its event handlers name: the model says so.
        loaded = tuple(dict.fromkeys(self.libraries + tuple(e.library for e in self.events)))
        if loaded != self.libraries:
            object.__setattr__(self, "libraries", loaded)

    def fields(self) -> tuple[FormField, ...]:
        out = list(self.header)
        for tab in self.tabs:
            for section in tab.sections:
                out.extend(i for i in section.items if isinstance(i, FormField))
        return tuple(out)


ViewType = Literal["public", "advancedfind", "associated", "quickfind", "lookup"]
# Dataverse's savedquery querytype codes for these.
VIEW_QUERY_TYPES: dict[str, int] = {
    "public": 0,
    "advancedfind": 1,
    "associated": 2,
    "quickfind": 4,
    "lookup": 64,
}


@frozen
class ViewColumn:
    """A column a view shows."""

    name: str  # logical name
    width: int = 150
    src: Src = _src()


@frozen
class ViewCondition:
    """A condition of a view's filter."""

    attribute: str
    operator: str  # FetchXML operator: eq, ne, null, not-null, like, in, ...
    value: str = ""  # empty for null/not-null; a comma list for in
    src: Src = _src()


@frozen
class ViewOrder:
    """A sort order of a view."""

    attribute: str
    descending: bool = False


@frozen
class View:
    """A view (saved query) of a table."""

    id: uuid.UUID = field(metadata=spec(derive=("view", "table", "name")))
    table: str = field(metadata=spec(hook=True))  # the views file's, for all its views
    name: str
    type: ViewType = "public"
    is_default: bool = False
    description: str = ""
    columns: tuple[ViewColumn, ...] = children("column")
    conditions: tuple[ViewCondition, ...] = children("condition")  # and-ed
    order: tuple[ViewOrder, ...] = children("order")
    find_columns: tuple[str, ...] = ()  # quickfind: columns searched
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()

    def __post_init__(self) -> None:
        if self.find_columns and self.type != "quickfind":  # only a quick find view searches
            object.__setattr__(self, "find_columns", ())


# --- security ------------------------------------------------------------------------------

Depth = Literal["Basic", "Local", "Deep", "Global"]
PRIVILEGE_VERBS = ("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share")


@frozen
class Privilege:
    """A privilege a role grants, at a depth."""

    name: str  # prvReadenreach_setting, prvCreateActivity, prvReadUser ...
    depth: Depth
    src: Src = _src()


@frozen
class Role:
    """A security role."""

    id: uuid.UUID = field(metadata=spec(derive=("role", "name")))
    name: str  # "Voice ApiUser"
    description: str = ""
    # sorted by name; a source may also say them as <privileges on=...> (sources/security.py)
    privileges: tuple[Privilege, ...] = children("privilege", sort=lambda p: p.name)
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


# --- app, site map, commands, web resources, custom API ------------------------------------


@frozen
class SiteMapSubArea:
    """A page of the site map: a table, or a URL or web resource."""

    id: str
    title: str
    table: str = ""  # a table page
    view: str = ""  # optional default view name on that table
    url: str = ""  # or a URL / web resource page ($webresource:<name>; a bare name is one)
    src: Src = _src()

    def __post_init__(self) -> None:
        if self.url and not self.url.startswith(("/", "http", "$webresource:")):
            object.__setattr__(self, "url", "$webresource:" + self.url)


@frozen
class SiteMapGroup:
    """A group of pages in a site map area."""

    id: str
    title: str
    subareas: tuple[SiteMapSubArea, ...] = children("subarea")
    src: Src = _src()


@frozen
class SiteMapArea:
    """An area of a model-driven app's site map."""

    id: str
    title: str
    groups: tuple[SiteMapGroup, ...] = children("group")
    src: Src = _src()


@frozen
class AppModule:
    """A model-driven app with its site map."""

    unique_name: str  # enreach_VoiceConfigurator
    display_name: str  # Voice Configurator
    description: str = ""
    id: uuid.UUID = field(default=DERIVED_ID, metadata=spec(derive=("appmodule", "unique_name")))
    icon: str = ""  # web resource name
    areas: tuple[SiteMapArea, ...] = children("area")
    # Sources name these by name (<table>, <form>, <view>, <role>): sources/ui.py resolves
    # them, sources/write_ui.py names them again.
    # tables in the app (derived from the site map plus extras)
    tables: tuple[str, ...] = hook((), apart=True)
    forms: tuple[uuid.UUID, ...] = hook((), apart=True)  # form ids included
    views: tuple[uuid.UUID, ...] = hook((), apart=True)  # view ids included
    roles: tuple[uuid.UUID, ...] = hook((), apart=True)  # roles given access
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()

    def __post_init__(self) -> None:
        _derive_id(self, "appmodule", self.unique_name)


@frozen
class Command:
    """A command bar button (ribbon diff) calling a function of a script web resource."""

    id: str  # enreach.systemuser.UpdateEnreachUserIds
    table: str  # systemuser
    location: Literal["grid", "form", "subgrid"]
    label: str
    library: str  # web resource name
    function: str
    tooltip: str = ""
    icon: str = ""  # web resource name
    sequence: int = 100
    app: str = ""  # show only in this app (unique name); empty: everywhere
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


WebResourceType = Literal[
    "html", "css", "js", "xml", "png", "jpg", "gif", "xap", "xsl", "ico", "svg", "resx"
]
# Dataverse's webresourcetype codes.
WEB_RESOURCE_TYPES: dict[str, int] = {
    "html": 1,
    "css": 2,
    "js": 3,
    "xml": 4,
    "png": 5,
    "jpg": 6,
    "gif": 7,
    "xap": 8,
    "xsl": 9,
    "ico": 10,
    "svg": 11,
    "resx": 12,
}


@frozen
class WebResource:
    """A web resource: a script, page, style sheet or image."""

    name: str  # enreach_/scripts/callbackprofile.js
    display_name: str
    type: WebResourceType  # a source may leave it to the payload file's extension
    # the payload, from `file`: sources/security.py reads it, unpack writes it apart
    content: bytes = field(repr=False, default=b"", metadata=spec(hook=True))
    file: str = hook("")  # source file, relative to the source root
    description: str = ""
    id: uuid.UUID = field(default=DERIVED_ID, metadata=spec(derive=("webresource", "name")))
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()

    def __post_init__(self) -> None:
        _derive_id(self, "webresource", self.name)


@frozen
class CustomApiParameter:
    """A request parameter or response property of a custom API."""

    unique_name: str
    display_name: str
    type: str  # Boolean, DateTime, Decimal, Entity, EntityCollection, EntityReference, Float,
    # Integer, Money, Picklist, String, StringArray, Guid
    description: str = ""
    optional: bool = False
    src: Src = _src()


@frozen
class CustomApi:
    """A custom API (a message of the Web API)."""

    unique_name: str  # enreach_UpdateEnreachUserIds
    display_name: str
    description: str = ""
    binding: Literal["global", "entity", "entitycollection"] = "global"
    bound_table: str = ""
    is_function: bool = False
    is_private: bool = False
    allowed_step_type: Literal["none", "async", "sync_and_async"] = "none"
    execute_privilege: str = ""
    plugin_type: str = ""  # the plug-in type implementing it, when shipped
    request: tuple[CustomApiParameter, ...] = children("request", sort=lambda p: p.unique_name)
    response: tuple[CustomApiParameter, ...] = children("response", sort=lambda p: p.unique_name)
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


EnvVarType = Literal["string", "number", "boolean", "json", "datasource", "secret"]
# Dataverse's environmentvariabledefinition.type codes.
ENV_VAR_TYPES: dict[str, int] = {
    "string": 100000000,
    "number": 100000001,
    "boolean": 100000002,
    "json": 100000003,
    "datasource": 100000004,
    "secret": 100000005,
}


@frozen
class EnvironmentVariable:
    """An environment variable definition, with its default value."""

    schema_name: str  # enreach_EnreachApiBaseUrl
    display_name: str
    type: EnvVarType = "string"
    default_value: str = ""
    description: str = ""
    required: bool = True  # a deployment must give a value
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


# --- channel providers and multisession ----------------------------------------------------


@frozen
class Cif1Provider:
    """The CIF 1.0 `msdyn_ciprovider` record: shipped as data, never owns apps/roles."""

    id: uuid.UUID = field(metadata=spec(derive=("ciprovider", "name")))
    name: str  # Voice for Dynamics 365
    label: str
    landing_url: str
    enable_outbound: bool = True
    sort_order: int = 0
    api_version: int = 0  # msdyn_ciproviderapiversion: 0 = "1.0"
    trusted_domain: str = ""
    custom_params: str = ""
    enable_analytics: bool = False
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


@frozen
class Cif2Provider:
    """The CIF 2.0 `msdyn_channelprovider` row (solution-aware, SCF)."""

    unique_name: str  # enreach_voicechannelprovider
    name: str  # Voice for Dynamics 365 by Enreach
    label: str
    channel_url: str
    enable_outbound: bool = True
    sort_order: int = 0
    api_version: int = 162450000  # msdyn_apiversionoptions "2"
    trusted_domain: str = ""
    custom_params: str = ""
    enable_analytics: bool = False
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


@frozen
class TemplateParameter:
    """A `msdyn_templateparameter` row: a name/value an application tab template takes."""

    unique_name: str
    name: str  # the parameter name: entityName, entityId, ...
    value: str  # may reference slugs like {anchor.entityName} or {customerRecordId}
    description: str = ""
    src: Src = _src()


@frozen
class ApplicationTabTemplate:
    """A `msdyn_applicationtabtemplate` row: a tab a session opens."""

    unique_name: str  # enreach_customerrecordtab
    name: str
    title: str
    page_type: str  # entityrecord, entitylist, webresource, dashboard, search, ...
    # in the declared order: msdyn_templateparameters lists them so (test_real_shapes)
    parameters: tuple[TemplateParameter, ...] = children("parameter")
    can_close: bool = False
    description: str = ""
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


@frozen
class SessionTemplate:
    """A `msdyn_sessiontemplate` row: the session a conversation opens."""

    unique_name: str
    name: str
    title: str  # may use {parameter} slugs
    session_type: Literal["entity", "generic"] = "entity"
    entity: str = ""  # table logical name for entity sessions
    anchor_tab: str = ""  # ApplicationTabTemplate unique name
    additional_tabs: tuple[str, ...] = ()
    panel_state: int = 162450002  # msdyn_panelstateoptions: Docked
    description: str = ""
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


@frozen
class NotificationField:
    """A `msdyn_notificationfield` row: one line of a notification."""

    unique_name: str
    name: str
    label: str
    value: str  # a {parameter} slug or literal text
    order: int = 0
    src: Src = _src()


@frozen
class NotificationTemplate:
    """A `msdyn_notificationtemplate` row: the incoming-call notification."""

    unique_name: str
    name: str
    title: str
    fields: tuple[NotificationField, ...] = children(
        "field", sort=lambda f: (f.order, f.unique_name)
    )
    timeout: int = 120  # seconds, 0..500
    show_timeout: bool = True
    accept_text: str = "Accept"
    reject_text: str = "Reject"
    show_reject: bool = True
    auto_accept: bool = False
    icon: str = ""
    description: str = ""
    parameters: tuple[str, ...] = ()  # the parameter names the template declares it uses
    solution: str = inherited()
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()


# --- default configuration data ------------------------------------------------------------

SettingType = Literal["String", "Integer", "Boolean", "Guid"]
SettingCategory = Literal["Phone Call Sync", "Callback Sync", "Presence", "General"]


@frozen
class Setting:
    """A default `enreach_setting` row shipped in the package's configuration data."""

    name: str  # CallDurationLimit
    category: SettingCategory = field(metadata=spec(hook=True))  # the file's, for all its rows
    datatype: SettingType
    # as stored in enreach_value; "" allowed (DefaultCrmAssignee), so always written
    default: str = field(metadata=spec(always=True))
    description: str
    required_per_environment: bool = False  # empty default that each environment must set
    # none given: derived from the name
    id: uuid.UUID = field(default=DERIVED_ID, metadata=spec(derive=("setting", "name")))
    remainder: Remainder = remainder_field()  # what read left unread (model/remainder)
    src: Src = _src()

    def __post_init__(self) -> None:
        _derive_id(self, "setting", self.name)


# --- parts the model does not cover yet ---------------------------------------------------


@frozen
class RawPart:
    """A component kept verbatim, so `unpack` never drops what the model does not cover.

    `section` empty: `path` is a whole zip entry (Workflows/x.json, CanvasApps/...).
    `section` set: `content` is one XML element placed as-is inside that top-level section of
    customizations.xml (e.g. section "Workflows", content b"<Workflow ...>...</Workflow>").
    """

    path: str
    content: bytes = field(repr=False, default=b"")
    section: str = ""
    solution: str = ""
    src: Src = _src()


# --- what a solution zip says about itself ---------------------------------------------------


@frozen
class RootComponent:
    """A `<RootComponent>` of solution.xml."""

    type: int  # 1 table, 60 form, 61 web resource, 80 app, 380 environment variable, ...
    key: str  # its schemaName, else its id (lower case, no braces)
    behavior: int = 0  # 0 include subcomponents, 1 do not, 2 shell only


@frozen
class SolutionPackaging:
    """What a solution zip says beyond its components, read from a built or exported zip
    (sources derive it when built): compared by `diff`. An exported solution's frame
    (render/frame.py) carries it through `unpack` and `build`."""

    solution: str
    root_components: tuple[RootComponent, ...] = ()
    missing_dependencies: tuple[str, ...] = ()  # "<required> needed by <dependent>"
    languages: tuple[int, ...] = ()  # customizations.xml <Languages>
    content_types: tuple[tuple[str, str], ...] = ()  # (part, content type) of every part


# --- the whole project: its fields declare the kinds of components (model/kinds.py) -----------

from .kinds import Project as Project  # noqa: E402 (the kinds are made of the classes above)
