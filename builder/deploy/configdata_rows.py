"""The package's configuration data (a Configuration Migration data zip) as typed rows.

`data_schema.xml` gives each field's type, `data.xml` the records. Deploy writes two kinds of
record itself, through the Web API (`pac data` is Windows-only): the `enreach_setting`
defaults and the CIF 1.0 `msdyn_ciprovider` record. The provider's app and role selectors
belong to the administrator and are dropped here even if a data file carried them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import BuildError
from ..xmlio.safe import parse_xml

SETTING_TABLE = "enreach_setting"
PROVIDER_TABLE = "msdyn_ciprovider"
ADMIN_OWNED = frozenset({"msdyn_appselector", "msdyn_roleselector"})
_SKIPPED_TYPES = frozenset(
    {"entityreference", "owner", "partylist", "state", "status", "optionsetvaluecollection", "file"}
)

Value = str | int | float | bool


@dataclass(frozen=True)
class SettingRow:
    """A default `enreach_setting` record shipped by the package."""

    id: str
    name: str
    value: str
    default: str
    category: int | None = None
    datatype: int | None = None
    description: str = ""

    def fields(self) -> dict[str, Value]:
        out: dict[str, Value] = {
            "enreach_name": self.name,
            "enreach_value": self.value,
            "enreach_defaultvalue": self.default,
            "enreach_description": self.description,
        }
        if self.category is not None:
            out["enreach_category"] = self.category
        if self.datatype is not None:
            out["enreach_datatype"] = self.datatype
        return out


@dataclass(frozen=True)
class ProviderRow:
    """The CIF 1.0 provider record, without the administrator's selectors."""

    id: str
    fields: tuple[tuple[str, Value], ...]

    @property
    def name(self) -> str:
        return str(dict(self.fields).get("msdyn_name", ""))


def read_config_data(
    entries: Mapping[str, bytes],
    label: str,
) -> tuple[tuple[SettingRow, ...], ProviderRow | None]:
    for name in ("data.xml", "data_schema.xml"):
        if name not in entries:
            raise BuildError.at(
                "DEP009",
                f"configuration data has no {name}",
                file=label,
                hint="rebuild the package",
            )
    types = _field_types(parse_xml(entries["data_schema.xml"], f"{label}!data_schema.xml"))
    data = parse_xml(entries["data.xml"], f"{label}!data.xml")
    settings = tuple(_setting(r) for r in _records(data, SETTING_TABLE, types))
    providers = [_provider(r) for r in _records(data, PROVIDER_TABLE, types)]
    return tuple(sorted(settings, key=lambda s: s.name.lower())), (
        providers[0] if providers else None
    )


def _field_types(schema: etree._Element) -> dict[tuple[str, str], str]:
    out = {}
    for entity in schema.iter("entity"):
        for field in entity.iterfind("fields/field"):
            out[(str(entity.get("name")), str(field.get("name")))] = str(field.get("type", ""))
    return out


def _records(
    data: etree._Element,
    table: str,
    types: Mapping[tuple[str, str], str],
) -> list[tuple[str, dict[str, Value]]]:
    out = []
    for entity in data.iter("entity"):
        if entity.get("name") != table:
            continue
        for record in entity.iterfind("records/record"):
            fields: dict[str, Value] = {}
            for field in record.iterfind("field"):
                name = str(field.get("name"))
                kind = types.get((table, name), "string")
                if kind not in _SKIPPED_TYPES:
                    fields[name] = _typed(str(field.get("value", "")), kind)
            out.append((str(record.get("id", "")).strip("{}").lower(), fields))
    return out


def _typed(text: str, kind: str) -> Value:
    if kind == "bool":
        return text.strip().lower() in ("true", "1")
    if kind in ("number", "optionsetvalue", "bigint"):
        return int(text)
    if kind in ("decimal", "float", "money"):
        return float(text)
    return text


def _setting(record: tuple[str, dict[str, Any]]) -> SettingRow:
    rid, f = record
    value = str(f.get("enreach_value", ""))
    return SettingRow(
        id=rid,
        name=str(f.get("enreach_name", "")),
        value=value,
        default=str(f.get("enreach_defaultvalue", value)),
        category=_int_or_none(f.get("enreach_category")),
        datatype=_int_or_none(f.get("enreach_datatype")),
        description=str(f.get("enreach_description", "")),
    )


def _int_or_none(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _provider(record: tuple[str, dict[str, Value]]) -> ProviderRow:
    rid, fields = record
    kept = sorted(
        (k, v) for k, v in fields.items() if k not in ADMIN_OWNED and k != "msdyn_ciproviderid"
    )
    return ProviderRow(rid, tuple(kept))
