"""Settings without loss, and per-environment values.

1. The `enreach_setting` merge (pure): a missing setting is created; a value an administrator
   changed (value != defaultvalue) is theirs and is kept; an untouched setting whose shipped
   default changed gets the new default (value and defaultvalue); the rest is unchanged.
2. The deployment settings file, in the JSON form of `pac solution create-settings`
   (`EnvironmentVariables` [{SchemaName, Value}], `ConnectionReferences` [{LogicalName,
   ConnectionId, ConnectorId}]), plus our own key `EnreachSettings` [{Name, Value}]: the
   environment owner's `enreach_setting` values (DefaultCrmAssignee above all), written and
   reported; `${VAR}` in a value is taken from the process environment. pac never sees this
   file: `--via pac` hands pac a file of its own with the two keys pac knows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import BuildError, Diagnostic, diagnostic
from ..fsio import current_limits, read_regular
from .configdata_rows import SettingRow
from .package_contents import Package
from .state import EnvSetting

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SettingsPlan:
    create: tuple[SettingRow, ...] = ()
    update: tuple[tuple[str, SettingRow], ...] = ()  # (record id in the environment, new row)
    kept: tuple[str, ...] = ()  # changed by an administrator: left alone
    unchanged: tuple[str, ...] = ()
    assign: tuple[tuple[str, str, str], ...] = ()  # (record id, name, value) from the file
    unknown: tuple[str, ...] = ()  # names in the settings file that no record or row has

    @property
    def writes(self) -> int:
        return len(self.create) + len(self.update) + len(self.assign)

    @property
    def assigned(self) -> tuple[str, ...]:
        return tuple(name for _, name, _ in self.assign)


def merge_settings(
    current: tuple[EnvSetting, ...] | None,
    shipped: tuple[SettingRow, ...],
    owner: Mapping[str, str] | None = None,
) -> SettingsPlan:
    """`owner`: the environment owner's values from the deployment settings file
    (`EnreachSettings`), written over whatever the record holds; settings absent from it keep
    the rules above."""
    by_name = {s.name.lower(): s for s in current or ()}
    given = {k.lower(): (k, v) for k, v in (owner or {}).items()}
    create: list[SettingRow] = []
    update: list[tuple[str, SettingRow]] = []
    kept: list[str] = []
    unchanged: list[str] = []
    assign: list[tuple[str, str, str]] = []
    unknown: list[str] = []
    for row in shipped:
        found = by_name.get(row.name.lower())
        wanted = given.get(row.name.lower())
        if wanted is not None:
            if found is None:
                create.append(replace(row, value=wanted[1]))
            elif found.value != wanted[1]:
                assign.append((found.id, found.name, wanted[1]))
            else:
                unchanged.append(row.name)
        elif found is None:
            create.append(row)
        elif _changed_by_admin(found, row):
            kept.append(row.name)
        elif found.default is not None and found.default != row.default:
            update.append((found.id, row))
        else:
            unchanged.append(row.name)
    shipped_names = {row.name.lower() for row in shipped}
    for key, (name, value) in sorted(given.items()):
        found = by_name.get(key)
        if key in shipped_names:
            continue
        if found is not None and found.value != value:
            assign.append((found.id, found.name, value))
        elif found is None:
            unknown.append(name)
    return SettingsPlan(
        tuple(create), tuple(update), tuple(kept), tuple(unchanged), tuple(assign), tuple(unknown)
    )


def _changed_by_admin(found: EnvSetting, row: SettingRow) -> bool:
    if found.default is None:  # no record of what was shipped: only the same value is safe
        return found.value != row.default
    return found.value != found.default


def final_value(
    plan: SettingsPlan,
    current: tuple[EnvSetting, ...] | None,
    shipped: tuple[SettingRow, ...],
    name: str,
) -> str | None:
    """The value a setting will have once the plan is applied (None: no such setting)."""
    key = name.lower()
    assigned = next((value for _, n, value in plan.assign if n.lower() == key), None)
    if assigned is not None:
        return assigned
    created = next((row.value for row in plan.create if row.name.lower() == key), None)
    if created is not None:
        return created
    found = next((s for s in current or () if s.name.lower() == key), None)
    if found is not None and name in plan.kept + plan.unchanged:
        return found.value
    updated = next((row for _, row in plan.update if row.name.lower() == key), None)
    if updated is not None:
        return updated.default
    return next(
        (row.value for row in shipped if row.name.lower() == key), found.value if found else None
    )


# --- deployment settings file ---------------------------------------------------------------


@dataclass(frozen=True)
class DeploymentSettings:
    env_values: dict[str, str] = field(default_factory=dict)  # schema name -> value
    connections: tuple[dict[str, str], ...] = ()  # LogicalName, ConnectionId, ConnectorId
    source: str = ""
    settings: dict[str, str] = field(default_factory=dict)  # enreach_setting name -> value


def load_deployment_settings(path: Path, environ: Mapping[str, str]) -> DeploymentSettings:
    label = str(path)
    raw = read_regular(path, current_limits().json_bytes, label, "the settings file")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildError.at(
            "DEP020",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
            file=label,
            line=line,
            hint="save the settings file as UTF-8 (JSON files are UTF-8)",
        ) from None
    except RecursionError:
        raise BuildError.at(
            "DEP020",
            "nested too deep to be a settings file",
            file=label,
            hint="the file is the JSON form of pac solution create-settings",
        ) from None
    except json.JSONDecodeError as exc:
        raise BuildError.at(
            "DEP020",
            f"not valid JSON: {exc.msg}",
            file=label,
            line=exc.lineno,
            hint="the file is the JSON form of pac solution create-settings",
        ) from None
    if not isinstance(data, dict):
        raise BuildError.at("DEP020", "the settings file must hold a JSON object", file=label)
    keys = {k.lower(): v for k, v in data.items()}
    values = {}
    unset: list[Diagnostic] = []  # every unset ${VAR} of the file, reported together
    for index, item in enumerate(_list(keys, "environmentvariables", label)):
        where = f"{label}: EnvironmentVariables[{index}]"
        name = _text(item, "schemaname", where)
        value = substitute(_text(item, "value", where, allow_empty=True), environ, where, unset)
        if value:
            values[name] = value
    connections = tuple(
        _connection(item, f"{label}: ConnectionReferences[{i}]", environ, unset)
        for i, item in enumerate(_list(keys, "connectionreferences", label))
    )
    if unset:
        raise BuildError(unset)
    owner = {}
    for index, item in enumerate(_list(keys, "enreachsettings", label)):
        where = f"{label}: EnreachSettings[{index}]"
        owner[_text(item, "name", where)] = substitute(
            _text(item, "value", where, allow_empty=True), environ, where
        )
    return DeploymentSettings(
        values, tuple(c for c in connections if c["ConnectionId"]), label, owner
    )


def substitute(
    text: str, environ: Mapping[str, str], where: str, unset: list[Diagnostic] | None = None
) -> str:
    """`text` with each ${VAR} replaced by the process environment's VAR. An unset VAR is
    added to `unset` (or raised at once without it)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in environ:
            return environ[name]
        missing = diagnostic(
            "DEP021",
            f"${{{name}}} is not set in the environment",
            file=where,
            hint=f"export {name} (a CI secret or variable)",
        )
        if unset is None:
            raise BuildError(missing)
        unset.append(missing)
        return ""

    return _VARIABLE.sub(value, text)


def _list(keys: Mapping[str, Any], name: str, label: str) -> list[dict[str, Any]]:
    items = keys.get(name, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BuildError.at("DEP020", f"{name} must be a list of objects", file=label)
    return [{k.lower(): v for k, v in i.items()} for i in items]


def _text(item: Mapping[str, Any], key: str, where: str, allow_empty: bool = False) -> str:
    value = item.get(key)
    if value is None and allow_empty:
        return ""
    if not isinstance(value, str) or not (value or allow_empty):
        raise BuildError.at(
            "DEP020",
            f"{key} must be a non-empty string",
            file=where,
            hint="JSON-typed variables carry their JSON as a string",
        )
    return value


def _connection(
    item: Mapping[str, Any], where: str, environ: Mapping[str, str], unset: list[Diagnostic]
) -> dict[str, str]:
    return {
        "LogicalName": _text(item, "logicalname", where),
        "ConnectionId": substitute(_text(item, "connectionid", where, True), environ, where, unset),
        "ConnectorId": _text(item, "connectorid", where, allow_empty=True),
    }


def placeholder_name(schema: str) -> str:
    """The environment variable a placeholder names: the schema name without the publisher
    prefix, in UPPER_SNAKE_CASE (enreach_EnreachApiBaseUrl -> ENREACH_API_BASE_URL)."""
    bare = schema.split("_", 1)[-1]
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", bare)
    return "_".join(words).upper() or bare.upper()


def settings_template(package: Package, placeholders: bool = False) -> dict[str, Any]:
    """The deployment settings skeleton for a package (pac create-settings form)."""

    def value(schema: str, default: str) -> str:
        return "${" + placeholder_name(schema) + "}" if placeholders else default

    return {
        "EnvironmentVariables": [
            {
                "SchemaName": v.schema_name,
                "Value": value(v.schema_name, "" if v.needs_value else v.default_value),
            }
            for v in sorted(package.env_vars(), key=lambda v: v.schema_name.lower())
        ],
        "ConnectionReferences": [
            {"LogicalName": c.logical_name, "ConnectionId": "", "ConnectorId": c.connector_id}
            for c in sorted(package.connection_refs(), key=lambda c: c.logical_name)
        ],
    }


def merge_template(
    existing: Mapping[str, Any],
    template: Mapping[str, Any],
) -> tuple[dict[str, Any], list[str]]:
    """`existing` (a settings file's JSON) with what `template` has and it lacks: new
    environment variables and connection references are added with the template's value;
    every value already there is kept. Returns the merged object and the names added."""
    merged = dict(existing)
    added: list[str] = []
    for section, key in (
        ("EnvironmentVariables", "SchemaName"),
        ("ConnectionReferences", "LogicalName"),
    ):
        items = list(existing.get(section) or [])
        have = {str(i.get(key, "")).lower() for i in items if isinstance(i, dict)}
        for item in template.get(section, []):
            if str(item[key]).lower() not in have:
                items.append(dict(item))
                added.append(str(item[key]))
        merged[section] = items
    return merged, added
