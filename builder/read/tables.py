"""An exported `<Entity>`'s table part: the table, its columns, keys and status reasons.

A table is *new* (the solution creates it) when the export carries its primary key column:
Dataverse exports every system column of a table the solution owns and none of a system
table it merely extends. The standard system columns of new tables
(`dataverse.system_columns.NEW_TABLE_COLUMNS`) are dropped, since the render adds them itself.
What the model cannot hold is returned as `reasons`, so the caller can keep the whole entity
as-is for `unpack`. What the reader leaves unread of the entity (its columns included; its forms,
views and ribbon aside) is the table's remainder, found when asked (read/kept.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from ..dataverse.column_types import EXPORTED_TYPES
from ..dataverse.data_providers import ODATA_V4_PROVIDER_ID, ODATA_V4_PROVIDER_NAME
from ..dataverse.options import DEFAULT_STATUSES, FIRST_CUSTOM_OPTION
from ..dataverse.system_columns import NEW_TABLE_COLUMNS
from ..model import (
    AlternateKey,
    ChoiceOption,
    Column,
    Ownership,
    RequiredLevel,
    StatusReason,
    Table,
    VirtualSource,
)
from ..model.remainder import Remainder
from ..xmlio.exported import (
    Children,
    Element,
    Node,
    cbool,
    child,
    cint,
    cnum,
    ctext,
    kids,
    labels_of,
    localized,
    to_int,
)
from .kept import OTHERS, Reader, Scope, TableLater, kept

_FORMATS = {
    "text": {"text": "", "email": "email", "url": "url", "phone": "phone", "textarea": "textarea"},
    "memo": {"textarea": "", "text": ""},
    "integer": {"none": "", "duration": "duration"},
    "datetime": {"datetime": "", "date": "date"},
}
_OWNERSHIP: dict[str, Ownership] = {"UserOwned": "user", "OrgOwned": "organization", "None": "none"}
_REQUIRED: dict[str, RequiredLevel] = {
    "none": "none",
    "recommended": "recommended",
    "required": "required",
    "systemrequired": "required",
    "applicationrequired": "required",
}


@dataclass
class TableRead:
    table: Table
    reasons: list[str] = field(default_factory=list)  # what the model could not hold


@dataclass(frozen=True)
class Lookup:
    """One 1:N relationship of the export, as a lookup column sees it."""

    name: str
    referencing: str  # table logical name
    attribute: str  # referencing column logical name
    referenced: str  # target table logical name


def entity_info(entity: Element) -> Element | None:
    return child(child(entity, "EntityInfo"), "entity")


def attributes(entity: Element) -> list[Element]:
    return kids(child(entity_info(entity), "attributes"), "attribute")


# An attribute's type, and the money columns' names: one XPath each (libxml2's own loop
# over the children, where a Python loop would make a proxy object per child).
_PRIMARY_KEYS = etree.XPath("attribute[normalize-space(Type[1])='primarykey']")
_IS_MONEY_TEST = "normalize-space(Type[1])='money'"
_MONEY = etree.XPath(f"attribute[{_IS_MONEY_TEST}]")
_IS_MONEY = etree.XPath(_IS_MONEY_TEST)


def is_new_table(entity: Element) -> bool:
    attrs = child(entity_info(entity), "attributes")
    return attrs is not None and bool(_PRIMARY_KEYS(attrs))


def entity_schema_name(entity: Element) -> str:
    info = entity_info(entity)
    return ctext(entity, "Name") or (info.get("Name", "") if info is not None else "")


def read_table(
    entity: Element, lookups: list[Lookup], solution: str, scope: Scope | None = None
) -> TableRead:
    """`scope`: the entity's place in its file (read/kept.py), for the table's remainder."""
    info = entity_info(entity)
    schema = entity_schema_name(entity)
    new = is_new_table(entity)
    found = TableRead(Table(schema, "", solution=solution))
    if info is not None and info.get("unmodified") == "1":
        found.reasons.append("an unmodified table shell")
    columns, status, ctx = _columns(found, entity, schema.lower(), new, lookups)
    found.table = Table(
        schema_name=schema,
        display_name=localized(info, "LocalizedNames", "LocalizedName") or _shell_name(entity),
        plural_name=localized(info, "LocalizedCollectionNames", "LocalizedCollectionName"),
        description=localized(info, "Descriptions", "Description"),
        solution=solution,
        existing=not new,
        ownership=_OWNERSHIP.get(ctext(info, "OwnershipTypeMask"), "user") if new else "user",
        is_activity=cbool(info, "IsActivity"),
        virtual=_virtual(info, entity),
        columns=tuple(sorted(columns, key=lambda c: c.logical_name)),
        keys=_keys(info),
        status_reasons=status,
        remainder=_remainder(entity, lookups, solution, scope, ctx),
    )
    if found.table.virtual is not None and not found.table.virtual.url_variable:
        found.reasons.append(
            "a virtual table: its data source (the URL variable) is set at "
            "deploy time, not carried in the zip"
        )
    if cbool(info, "IsBPFEntity"):
        found.reasons.append("a business process flow table")
    return found


def _remainder(
    entity: Element, lookups: list[Lookup], solution: str, scope: Scope | None, ctx: _Columns
) -> Remainder:
    again = _table_again(lookups, solution)
    if scope is None:
        return kept(entity, again)
    return TableLater(entity, again, scope, _column_again(ctx))


def _shell_name(entity: Element) -> str:
    """An extended system table's display name: exports give it on `<Name>` only."""
    name = child(entity, "Name")
    return str(name.get("LocalizedName", "")) if name is not None else ""


def _virtual(info: Element | None, entity: Element) -> VirtualSource | None:
    """A virtual table: its provider (an id in a zip) and remote names. The URL variable is
    a deploy-time setting a zip does not carry, except in the data source our build writes
    (`_our_source`); for any other, data provider and URL variable stay unknown."""
    provider = ctext(info, "DataProviderId")
    if not provider or ctext(info, "ExternalName") == "":
        return None
    key = next(
        (ctext(a, "ExternalName") for a in attributes(entity) if ctext(a, "Type") == "primarykey"),
        "",
    )
    ours = _our_source(info, entity)
    if ours is not None:
        return VirtualSource(ours[0], ctext(info, "ExternalName"), ours[1], key_external_name=key)
    return VirtualSource(provider, ctext(info, "ExternalName"), "", key_external_name=key)


def _our_source(info: Element | None, entity: Element) -> tuple[str, str] | None:
    """The data provider's name and the URL variable of a table on the data source our build
    writes (render/cz_datasource.py: its id and name, the OData v4 provider, and a
    description naming the one URL variable), or None for anybody else's."""
    from ..render import cz_datasource as ds

    if _guid(ctext(info, "DataProviderId")) != str(ODATA_V4_PROVIDER_ID):
        return None
    if _guid(ctext(info, "DataSourceId")) != str(ds.SOURCE_ID):
        return None
    source = next(
        (
            s
            for s in entity.getroottree().getroot().iter("EntityDataSource")
            if _guid(str(s.get("EntityDataSourceId", ""))) == str(ds.SOURCE_ID)
            and ctext(s, "Name") == ds.SOURCE_NAME
        ),
        None,
    )
    if source is None:
        return None
    variable = ds.url_variable(ctext(source, "ConnectionDefinition"))
    return (ODATA_V4_PROVIDER_NAME, variable) if variable else None


def _guid(text: str) -> str:
    return text.strip().strip("{}").lower()


def _keys(info: Element | None) -> tuple[AlternateKey, ...]:
    found = [
        AlternateKey(
            schema_name=ctext(k, "Name"),
            display_name=localized(k, "displaynames", "displayname"),
            columns=tuple(
                (a.text or "").strip().lower()
                for a in kids(child(k, "EntityKeyAttributes"), "AttributeName")
            ),
        )
        for k in kids(child(info, "EntityKeys"), "EntityKey")
    ]
    return tuple(sorted(found, key=lambda k: k.logical_name))


@dataclass
class _Columns:
    """What reading one `<attribute>` needs of its table."""

    reasons: list[str]  # the table's: what the model could not hold
    table: str  # logical name
    new: bool
    lookups: list[Lookup]
    money: set[str]  # the money columns' names (a base-currency twin names one)


def _columns(
    found: TableRead, entity: Element, table: str, new: bool, lookups: list[Lookup]
) -> tuple[list[Column], tuple[StatusReason, ...], _Columns]:
    attrs = child(entity_info(entity), "attributes")
    money = _money_columns(attrs)
    twins, custom = _twins(attrs, money), _custom(attrs)
    ctx = _Columns(found.reasons, table, new, lookups, money)
    columns: list[Column] = []
    status: tuple[StatusReason, ...] = ()
    for attr in kids(attrs, "attribute"):
        got = _attribute(attr, ctx, attr in twins, attr in custom)
        if isinstance(got, Column):
            columns.append(got)
        elif got is not None:
            status = got
    return columns, status, ctx


def _attribute(
    attr: Element, ctx: _Columns, twin: bool, custom: bool
) -> Column | tuple[StatusReason, ...] | None:
    """One `<attribute>`: a column of ours, the status reasons, or None (a system column, or
    a money column's base-currency `twin`, which the render adds)."""
    name = _column_name(attr)
    if name == "statuscode":
        return _status_reasons(attr, ctx.new)
    if twin:
        return None  # the base-currency twin of a money column: the render adds it
    if not custom:
        _system_column(ctx.reasons, name, ctx.new, attr)
        return None
    return read_column(attr, ctx.table, ctx.lookups, ctx.reasons)


# Attributes with a <CalculationOf>, and those that may be custom (a superset: each is
# looked at as `cbool` reads it), picked by lxml: most of a table's attributes are the
# system columns, and a child looked for in Python walks all forty of its siblings.
_MAYBE_CUSTOM_TEST = (
    "contains(IsCustomField[1], '1') or "
    "contains(translate(IsCustomField[1], 'TRUE', 'true'), 'true')"
)
_CALCULATED = etree.XPath("attribute[CalculationOf]")
_MAYBE_CUSTOM = etree.XPath(f"attribute[{_MAYBE_CUSTOM_TEST}]")
# The same questions of one attribute (read again alone: `_column_again`; `_IS_MONEY`).
_IS_CALCULATED = etree.XPath("boolean(CalculationOf)")
_MAYBE_CUSTOM_ONE = etree.XPath(_MAYBE_CUSTOM_TEST)


def _twins(attrs: Element | None, money: set[str]) -> set[Element]:
    """The base-currency twins of the money columns (`CalculationOf` one of `money`)."""
    if not money or attrs is None:
        return set()
    every = "" in money  # a nameless money column: any attribute without CalculationOf too
    return {
        a
        for a in (kids(attrs, "attribute") if every else _CALCULATED(attrs))
        if ctext(a, "CalculationOf").lower() in money
    }


def _custom(attrs: Element | None) -> set[Element]:
    """The attributes `IsCustomField` marks custom."""
    return (
        set() if attrs is None else {a for a in _MAYBE_CUSTOM(attrs) if cbool(a, "IsCustomField")}
    )


def _money_columns(attrs: Element | None) -> set[str]:
    return {_money_name(a) for a in (_MONEY(attrs) if attrs is not None else ())}


def _money_name(attr: Element) -> str:
    return ctext(attr, "Name").lower() or ctext(attr, "LogicalName")


def _column_again(ctx: _Columns) -> Reader:
    """One `<attribute>` read again (read/kept.py), asked what `_columns` asks of it."""

    def read(attr: Element) -> tuple[()]:
        if _IS_MONEY(attr):
            _money_name(attr)
        twin = bool(ctx.money) and ("" in ctx.money or bool(_IS_CALCULATED(attr)))
        twin = twin and ctext(attr, "CalculationOf").lower() in ctx.money
        custom = bool(_MAYBE_CUSTOM_ONE(attr)) and cbool(attr, "IsCustomField")
        _attribute(attr, replace(ctx, reasons=[]), twin, custom)
        return ()

    return read


def _table_again(lookups: list[Lookup], solution: str) -> Reader:
    """The entity read again (read/kept.py) as `read_table` reads it."""

    def read(entity: Element) -> list[Element]:
        read_table(entity, lookups, solution)
        return [c for c in entity if c.tag in OTHERS]

    return read


def lookup_columns(entity: Element) -> set[str]:
    """The logical names of the lookup columns `read_table` makes of `entity`, without
    reading the table (as `_columns` and `read_column` take its attributes)."""
    attrs = child(entity_info(entity), "attributes")
    twins = _twins(attrs, _money_columns(attrs))
    return {
        name
        for attr in _custom(attrs)
        if attr not in twins
        and (name := _column_name(attr)) != "statuscode"
        and EXPORTED_TYPES.get(ctext(attr, "Type")) == "lookup"
    }


def _column_name(attr: Element) -> str:
    return (attr.get("PhysicalName") or ctext(attr, "LogicalName")).lower()


def _system_column(reasons: list[str], name: str, new: bool, attr: Element) -> None:
    if not new:
        reasons.append(f"changes to the system column {name}")
    elif name not in NEW_TABLE_COLUMNS and ctext(attr, "Type") != "primarykey":
        reasons.append(f"the system column {name}")


def _status_reasons(attr: Element, new: bool) -> tuple[StatusReason, ...]:
    statuses = kids(child(child(attr, "optionset"), "statuses"), "status")
    found = []
    for status in statuses:
        value, state = to_int(status.get("value")), to_int(status.get("state"))
        # a new table's Active/Inactive: the render adds them
        ours = (value, state) not in DEFAULT_STATUSES if new else value >= FIRST_CUSTOM_OPTION
        if ours:
            found.append(StatusReason(value, labels_of(status), state))
    return tuple(sorted(found, key=lambda s: (s.state, s.value)))


def read_column(
    element: Element, table: str, lookups: list[Lookup], reasons: list[str]
) -> Column | None:
    attr = Children(element)  # some twenty look-ups follow
    kind = EXPORTED_TYPES.get(ctext(attr, "Type"))
    schema = element.get("PhysicalName") or ctext(attr, "LogicalName")
    if kind is None:
        reasons.append(f"column {schema} of type {ctext(attr, 'Type')!r}")
        return None
    _column_reasons(attr, kind, schema, reasons)
    low, high = _range(attr, kind)
    options, global_choice, default_option = _choice(attr) if kind == "choice" else ((), "", None)
    labels, default_boolean = _boolean(attr) if kind == "boolean" else (("No", "Yes"), False)
    targets, relationship = (
        _lookup(table, schema.lower(), lookups) if kind == "lookup" else ((), "")
    )
    if kind == "lookup" and not targets:
        reasons.append(f"lookup {schema} without a relationship in the solution")
    if kind == "choice" and not options and not global_choice:
        reasons.append(f"choice column {schema} without options")
    return Column(
        schema_name=schema,
        type=kind,  # type: ignore[arg-type]
        display_name=localized(attr, "displaynames", "displayname"),
        description=localized(attr, "Descriptions", "Description"),
        required=_required(ctext(attr, "RequiredLevel")),
        max_length=_length(attr, kind),
        format=_FORMATS.get(kind, {}).get(ctext(attr, "Format").lower(), ""),
        min_value=low,
        max_value=high,
        precision=_precision(attr, kind),
        options=options,
        global_choice=global_choice,
        default_option=default_option,
        boolean_labels=labels,
        default_boolean=default_boolean,
        targets=targets,
        relationship=relationship,
        is_primary_name="PrimaryName" in ctext(attr, "DisplayMask"),
        audit=cbool(attr, "IsAuditEnabled", True),
        external_name=ctext(attr, "ExternalName"),
    )


def _column_reasons(attr: Node, kind: str, schema: str, reasons: list[str]) -> None:
    fmt = ctext(attr, "Format").lower()
    if fmt and kind in _FORMATS and fmt not in _FORMATS[kind]:
        reasons.append(f"column {schema} with format {fmt!r}")
    if ctext(attr, "AutoNumberFormat"):
        reasons.append(f"column {schema} is an autonumber")
    if cbool(attr, "IsSecured"):
        reasons.append(f"column {schema} has column security")
    if ctext(attr, "SourceType", "0") != "0":
        reasons.append(f"column {schema} is calculated or rollup")
    if kind == "datetime" and ctext(attr, "Behavior", "1") != "1":
        reasons.append(f"column {schema} is date-only or time-zone independent")


def _required(level: str) -> RequiredLevel:
    """Dataverse's levels as the model's: system and application required are required."""
    return _REQUIRED.get(level, "none")


def _length(attr: Node, kind: str) -> int | None:
    return cint(attr, "MaxLength") if kind in ("text", "memo") else None


def _range(attr: Node, kind: str) -> tuple[float | None, float | None]:
    if kind not in ("integer", "decimal", "money"):
        return None, None
    return cnum(attr, "MinValue"), cnum(attr, "MaxValue")


def _precision(attr: Node, kind: str) -> int | None:
    if kind not in ("decimal", "money"):
        return None
    given = "Accuracy" if child(attr, "Accuracy") is not None else "Precision"
    return cint(attr, given)


def read_options(optionset: Element | None) -> tuple[ChoiceOption, ...]:
    found = [
        ChoiceOption(
            to_int(o.get("value")), labels_of(o), localized(o, "Descriptions", "Description")
        )
        for o in kids(child(optionset, "options"), "option")
    ]
    return tuple(sorted(found, key=lambda o: o.value))


def _choice(attr: Node) -> tuple[tuple[ChoiceOption, ...], str, int | None]:
    default = cint(attr, "AppDefaultValue")
    optionset = child(attr, "optionset")
    if optionset is not None and not cbool(optionset, "IsGlobal"):
        return read_options(optionset), "", default
    name = ctext(attr, "OptionSetName") or (
        optionset.get("Name", "") if optionset is not None else ""
    )
    return (), name, default


def _boolean(attr: Node) -> tuple[tuple[str, str], bool]:
    options = {o.value: o.label for o in read_options(child(attr, "optionset"))}
    return (options.get(0, "No"), options.get(1, "Yes")), cint(attr, "AppDefaultValue") == 1


def _lookup(table: str, column: str, lookups: list[Lookup]) -> tuple[tuple[str, ...], str]:
    mine = [r for r in lookups if r.referencing == table and r.attribute == column]
    names = sorted({r.name for r in mine})
    return tuple(sorted({r.referenced for r in mine})), names[0] if len(names) == 1 else ""
