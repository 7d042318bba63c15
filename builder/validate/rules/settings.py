"""The default settings the package ships (guide 1.5.3, 1.5.4, 1.7)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator

from ...model import Setting
from .base import Context, Finding, first_src, project_src, rule

# The settings the product guide lists; a package without one breaks the back end.
CATALOGUE = (
    "CallDurationLimit",
    "CallStartMargin",
    "DefaultCrmAssignee",
    "EnableAudit",
    "EnableMultipleMatchCreate",
    "ExecutionInterval",
    "IncomingDirectCallSubject",
    "IncomingQueueCallSubject",
    "MultipleMatchPhoneCallStatus",
    "NumbersToCut",
    "OutgoingDirectCallSubject",
    "ProcessDirectCalls",
    "ProcessServiceCalls",
    "ProcessServiceCallsUnanswered",
    "RunInDebugMode",
    "MultipleMatchesPickFirst",
    "CallbackRequestDefaultSubject",
    "CallbackRequestRecipientRule",
)
# Omnichannel presence -> Web Phone state (guide 1.7).
PRESENCE_MAP = {"AVAILABLE": 0, "BUSY": 1, "BUSY_DO_NOT_DISTURB": 2, "OFFLINE": 3, "AWAY": 5}
_INTEGER = re.compile(r"-?[0-9]+")


def parse_problem(datatype: str, value: str) -> str:
    """Why `value` is not a valid `datatype` setting value; empty when it is."""
    if datatype == "Integer":
        ok = bool(_INTEGER.fullmatch(value)) and -(2**31) <= int(value) < 2**31
        return "" if ok else "is not a whole number (32-bit)"
    if datatype == "Boolean":
        return "" if value in ("True", "False") else "is not True or False"
    if datatype == "Guid":
        try:
            uuid.UUID(value)
        except ValueError:
            return "is not a GUID"
        return ""
    return "" if datatype == "String" else f"has unknown data type {datatype!r}"


def _named(ctx: Context, name: str) -> Setting | None:
    return next((s for s in ctx.project.settings if s.name.lower() == name.lower()), None)


@rule(
    "DV140",
    hint="Integer: digits; Boolean: True or False; Guid: a GUID; empty only for a setting "
    "that each environment must set",
)
def defaults_parse(ctx: Context) -> Iterable[Finding]:
    for setting in ctx.project.settings:
        if setting.default == "" and (
            setting.required_per_environment or setting.datatype == "String"
        ):
            continue
        problem = parse_problem(setting.datatype, setting.default)
        if problem:
            yield Finding(
                setting.src,
                f"setting {setting.name}: default {setting.default!r} "
                f"{problem} ({setting.datatype})",
            )


@rule(
    "DV141",
    foreign=None,
    hint="add a phonecall status reason under state 0 (Open) and use its value",
)
def multiple_match_status(ctx: Context) -> Iterable[Finding]:
    setting = _named(ctx, "MultipleMatchPhoneCallStatus")
    if setting is None or parse_problem("Integer", setting.default):
        return  # DV144 / DV140 report these
    phonecall = ctx.tables.get("phonecall")
    if phonecall is None and ctx.raw_table("phonecall") is not None:
        return  # kept as exported: its status reasons are not modelled
    reasons = phonecall.status_reasons if phonecall else ()
    match = next((r for r in reasons if r.value == int(setting.default)), None)
    if match is None:
        yield Finding(
            setting.src,
            f"MultipleMatchPhoneCallStatus {setting.default} is not a "
            "phone call status reason the project declares",
        )
    elif match.state != 0:
        yield Finding(
            setting.src,
            f"MultipleMatchPhoneCallStatus {setting.default} is under "
            f"state {match.state}, not Open (0)",
        )


def presence_mapping(settings: Iterable[Setting]) -> Iterator[tuple[str, str, Setting]]:
    """(OC state, Web Phone value, setting) pairs found in the Presence settings: a JSON
    object default, or one Integer setting per state (named ...AVAILABLE, ...AWAY)."""
    for setting in settings:
        if setting.category != "Presence":
            continue
        try:
            value = json.loads(setting.default)
        except ValueError:
            value = None
        if isinstance(value, dict):
            yield from ((str(k).upper(), str(v), setting) for k, v in value.items())
            continue
        state = _state_suffix(setting.name)
        if state:
            yield state, setting.default, setting


def _state_suffix(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()
    upper = re.sub(r"[^A-Z0-9]+", "_", spaced)
    return next(
        (
            s
            for s in sorted(PRESENCE_MAP, key=len, reverse=True)
            if upper.endswith(s) and "MAP" in upper
        ),
        "",
    )


@rule(
    "DV142",
    foreign=None,
    hint="map AVAILABLE 0, BUSY 1, BUSY_DO_NOT_DISTURB 2, OFFLINE 3, AWAY 5 (guide 1.7)",
)
def presence(ctx: Context) -> Iterable[Finding]:
    if not ctx.project.settings:
        return  # a solution zip carries no settings; the package does
    found = {state: (value, s) for state, value, s in presence_mapping(ctx.project.settings)}
    where = first_src(*(s.src for _v, s in found.values()), project_src(ctx.project))
    for state, want in PRESENCE_MAP.items():
        if state not in found:
            yield Finding(where, f"presence mapping lacks Omnichannel state {state}")
        elif found[state][0].strip() != str(want):
            yield Finding(
                found[state][1].src,
                f"presence {state} maps to {found[state][0]!r}, the Web Phone state is {want}",
            )
    for state, (_value, setting) in found.items():
        if state not in PRESENCE_MAP:
            yield Finding(setting.src, f"presence mapping names unknown state {state!r}")


@rule(
    "DV144",
    foreign=None,
    hint="add the setting with its default (see the guide, 1.5.3 and 1.5.4)",
)
def catalogue_complete(ctx: Context) -> Iterable[Finding]:
    if not ctx.project.settings:
        return
    names = {s.name.lower() for s in ctx.project.settings}
    src = first_src(*(s.src for s in ctx.project.settings), project_src(ctx.project))
    for name in CATALOGUE:
        if name.lower() not in names:
            yield Finding(src, f"setting {name} is missing")
