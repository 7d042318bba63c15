"""The Configuration Migration (CMT) data zip: default settings and the CIF 1.0 provider.

`skipupdate="true"` on the settings: CMT then creates the rows that are missing and leaves
existing ones alone, so Package Deployer never overwrites a value an administrator changed
(new defaults of untouched settings are `deploy`'s job, comparing value with defaultvalue).
The provider record never carries msdyn_appselector/msdyn_roleselector: those are the
administrator's, and a field that is absent from data.xml is not touched on update.
"""

from typing import NamedTuple

from ..archive.writer import build_date
from ..errors import BuildError
from ..model import ChoiceOption, Cif1Provider, Project, Setting, Table
from .solution import with_content_types
from .templating import render_xml

Options = tuple[str, tuple[ChoiceOption, ...]]  # ("table.column", its options)


class SchemaField(NamedTuple):
    name: str
    display_name: str
    type: str  # CMT field type: guid, string, bool, number, optionsetvalue, state, status
    custom: bool = True


class DataRecord(NamedTuple):
    id: str
    values: tuple[tuple[str, str], ...]  # (field name, value), empty values left out


class DataEntity(NamedTuple):
    name: str
    display_name: str
    id_field: str
    name_field: str
    skip_update: bool
    fields: tuple[SchemaField, ...]
    records: tuple[DataRecord, ...]


def render_config_data(project: Project) -> dict[str, bytes]:
    """data.xml, data_schema.xml and [Content_Types].xml of the CMT data zip."""
    entities = [settings_entity(project)] if project.settings else []
    if project.cif1_providers:
        entities.append(ciprovider_entity(project.cif1_providers))
    return with_content_types(
        {
            "data_schema.xml": render_xml("configdata/data_schema.xml.j2", entities=entities),
            "data.xml": render_xml(
                "configdata/data.xml.j2", entities=entities, timestamp=_timestamp()
            ),
        }
    )


def _timestamp() -> str:
    """The export time CMT records, taken from SOURCE_DATE_EPOCH so builds repeat."""
    y, mo, d, h, mi, s = build_date()
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.0000000Z"


def _record(id_field: str, row_id: str, values: list[tuple[str, str]]) -> DataRecord:
    kept = [(name, value) for name, value in [(id_field, row_id), *values] if value != ""]
    return DataRecord(row_id, tuple(kept))


# --- enreach_setting ---------------------------------------------------------------------


def settings_entity(project: Project) -> DataEntity:
    table = _settings_table(project)
    p = table.logical_name.removesuffix("setting")  # "enreach_"
    options = {c: _options(project, table, p + c) for c in ("category", "datatype")}
    names = ("settingid", "name", "value", "defaultvalue", "category", "datatype", "description")
    kinds = ("guid", "string", "string", "string", "optionsetvalue", "optionsetvalue", "string")
    fields = [
        SchemaField(p + n, _display(table, p + n), k) for n, k in zip(names, kinds, strict=True)
    ]
    fields += [
        SchemaField("statecode", "Status", "state", False),
        SchemaField("statuscode", "Status Reason", "status", False),
    ]
    return DataEntity(
        table.logical_name,
        table.display_name,
        p + "settingid",
        p + "name",
        True,
        tuple(fields),
        tuple(_setting_record(p, options, s) for s in project.settings),
    )


def _settings_table(project: Project) -> Table:
    name = f"{project.publisher.prefix}_setting"
    table = project.table(name)
    if table is None:
        raise BuildError.at(
            "BLD301",
            f"settings are declared but there is no table {name}",
            hint="declare the settings table; its choices give the values",
        )
    return table


def _display(table: Table, column: str) -> str:
    found = table.column(column)
    return found.display_name if found else table.display_name


def _setting_record(p: str, options: dict[str, Options], s: Setting) -> DataRecord:
    return _record(
        p + "settingid",
        str(s.id),
        [
            (p + "name", s.name),
            (p + "value", s.default),
            (p + "defaultvalue", s.default),
            (p + "category", str(choice_value(options["category"], s.category, s))),
            (p + "datatype", str(choice_value(options["datatype"], s.datatype, s))),
            (p + "description", s.description),
            ("statecode", "0"),
            ("statuscode", "1"),
        ],
    )


def choice_value(options: Options, label: str, setting: Setting) -> int:
    """The option value whose label is `label` (the settings table's choice columns)."""
    column, choices = options
    for option in choices:
        if option.label.casefold() == label.casefold():
            return option.value
    raise BuildError.at(
        "BLD302",
        f"setting {setting.name}: {column} has no option {label!r}",
        file=setting.src.file,
        line=setting.src.line,
        hint=f"add the option to {column} or fix the setting",
    )


def _options(project: Project, table: Table, column: str) -> Options:
    """A choice column's options: its own, or those of the global choice it is bound to."""
    found = table.column(column)
    choices = found.options if found else ()
    if found and found.global_choice:
        bound = next((g for g in project.global_choices if g.name == found.global_choice), None)
        choices = bound.options if bound else ()
    return f"{table.logical_name}.{column}", choices


# --- msdyn_ciprovider ---------------------------------------------------------------------


def ciprovider_entity(providers: tuple[Cif1Provider, ...]) -> DataEntity:
    fields = tuple(SchemaField(n, d, t) for n, d, t in _CIPROVIDER_FIELDS)
    return DataEntity(
        "msdyn_ciprovider",
        "Channel Integration Framework v1.0 Provider",
        "msdyn_ciproviderid",
        "msdyn_name",
        False,
        fields,
        tuple(_ciprovider_record(p) for p in providers),
    )


# No msdyn_appselector / msdyn_roleselector: the administrator fills those in.
_CIPROVIDER_FIELDS = (
    ("msdyn_ciproviderid", "Channel Integration Framework v1.0 Provider", "guid"),
    ("msdyn_name", "Name", "string"),
    ("msdyn_label", "Label", "string"),
    ("msdyn_landingurl", "Channel URL", "string"),
    ("msdyn_clicktoact", "Enable Outbound Communication", "bool"),
    ("msdyn_sortorder", "Channel Order", "number"),
    ("msdyn_ciproviderapiversion", "API Version", "optionsetvalue"),
    ("msdyn_trusteddomain", "Trusted Domain", "string"),
    ("msdyn_customparams", "Custom Parameters", "string"),
    ("msdyn_enableanalytics", "Enable Analytics", "bool"),
)


def _ciprovider_record(p: Cif1Provider) -> DataRecord:
    return _record(
        "msdyn_ciproviderid",
        str(p.id),
        [
            ("msdyn_name", p.name),
            ("msdyn_label", p.label),
            ("msdyn_landingurl", p.landing_url),
            ("msdyn_clicktoact", _cmt_bool(p.enable_outbound)),
            ("msdyn_sortorder", str(p.sort_order)),
            ("msdyn_ciproviderapiversion", str(p.api_version)),
            ("msdyn_trusteddomain", p.trusted_domain),
            ("msdyn_customparams", p.custom_params),
            ("msdyn_enableanalytics", _cmt_bool(p.enable_analytics)),
        ],
    )


def _cmt_bool(value: bool) -> str:
    return "True" if value else "False"  # CMT writes booleans as True/False
