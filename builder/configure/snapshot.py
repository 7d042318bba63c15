"""Read what the configuration file's steps touch, and nothing else (GET requests only).

Each section of the file reads its own rows; a table the environment lacks (CIF 1.0 not
installed, no app profile manager) is recorded as missing, not raised, so the plan can say
which guide step to do first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..deploy.transport import DataverseError, Transport
from . import requests as rq
from .env_config import APP_USER, Config

Row = dict[str, Any]


@dataclass
class Snapshot:
    api_root: str
    root_bu: Row | None = None
    app_user: Row | None = None
    users: list[Row] = field(default_factory=list)
    roles: list[Row] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)
    apps: list[Row] = field(default_factory=list)
    app_components: dict[str, list[Row]] = field(default_factory=dict)  # by appmoduleid
    forms: dict[str, list[Row]] = field(default_factory=dict)  # by table
    phonecall_id: str = ""
    cif1_provider: Row | None = None
    channel_provider: Row | None = None
    app_profiles: list[Row] = field(default_factory=list)
    assignee: Row | None = None
    callback_profiles: list[Row] = field(default_factory=list)
    callback_lists: list[Row] = field(default_factory=list)
    queues: list[Row] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # step -> what the environment lacks


def read_snapshot(transport: Transport, config: Config) -> Snapshot:
    snap = Snapshot(transport.api_root)
    snap.root_bu = _first(transport.get_all(rq.query_root_business_unit()))
    if config.application_user:
        snap.app_user = _first(
            transport.get_all(rq.query_app_user(config.application_user.application_id))
        )
    snap.users = read_users(transport, user_keys(config))
    roles = role_names(config)
    snap.roles = transport.get_all(rq.query_roles(roles))
    if config.cif2 and config.cif2.teams:
        snap.teams = transport.get_all(rq.query_teams(config.cif2.teams))
    if config.cif1 or config.phone_call_forms:
        snap.apps = transport.get_all(rq.query_apps())
    _read_steps(transport, config, snap)
    return snap


def _read_steps(transport: Transport, config: Config, snap: Snapshot) -> None:
    if config.cif1:
        rows = _optional(
            snap,
            "cif1",
            "the CIF 1.0 table msdyn_ciprovider (guide 1.1.1)",
            lambda: transport.get_all(rq.query_cif1_provider()),
        )
        snap.cif1_provider = _first(rows or [])
    if config.cif2:
        rows = _optional(
            snap,
            "cif2",
            "the CIF 2.0 channel provider table (guide 1.1)",
            lambda: transport.get_all(rq.query_channel_provider()),
        )
        snap.channel_provider = _first(rows or [])
        snap.app_profiles = (
            _optional(
                snap,
                "cif2",
                "app profiles (msdyn_appconfiguration)",
                lambda: transport.get_all(rq.query_app_profiles()),
            )
            or []
        )
    if config.phone_call_forms:
        _read_forms_step(transport, config, snap)
    if config.click_to_dial:
        for table in sorted({f.table for f in config.click_to_dial.forms}):
            snap.forms[table] = (
                _optional(
                    snap,
                    "click_to_dial",
                    f"the table {table}",
                    lambda t=table: transport.get_all(rq.query_forms(t, with_xml=True)),
                )
                or []
            )
    if config.call_sync:
        snap.assignee = _first(
            _optional(
                snap,
                "call_sync",
                "the Voice settings table (install the package first)",
                lambda: transport.get_all(rq.query_assignee()),
            )
            or []
        )
    if config.callback_profiles:
        _read_callbacks(transport, config, snap)


def _read_forms_step(transport: Transport, config: Config, snap: Snapshot) -> None:
    snap.forms["phonecall"] = transport.get_all(rq.query_forms("phonecall"))
    snap.phonecall_id = str(transport.send(rq.get_table_id("phonecall")).payload["MetadataId"])
    assert config.phone_call_forms is not None
    for name in config.phone_call_forms.apps:
        for app in find(snap.apps, name, APP_NAMES):
            snap.app_components[app["appmoduleid"]] = transport.get_all(
                rq.query_app_components(app["appmoduleidunique"])
            )


def _read_callbacks(transport: Transport, config: Config, snap: Snapshot) -> None:
    what = "the callback profile table (install the package first)"
    snap.callback_profiles = (
        _optional(
            snap, "callback_profiles", what, lambda: transport.get_all(rq.query_callback_profiles())
        )
        or []
    )
    snap.callback_lists = (
        _optional(
            snap,
            "callback_profiles",
            "the Callback List (its data source: run voicepkg deploy "
            "with enreach_EnreachApiBaseUrl set)",
            lambda: transport.get_all(rq.query_callback_lists()),
        )
        or []
    )
    snap.queues = transport.get_all(
        rq.query_queues(sorted({p.queue for p in config.callback_profiles}))
    )


USERS_PER_QUERY = 40  # keeps a $filter of domain names and e-mails well inside a URL's limit


def read_users(transport: Transport, keys: list[str]) -> list[Row]:
    """Users by domain name or e-mail, a few dozen per query (a mapping may name hundreds)."""
    rows: list[Row] = []
    for start in range(0, len(keys), USERS_PER_QUERY):
        rows += transport.get_all(rq.query_users(keys[start : start + USERS_PER_QUERY]))
    return rows


def _optional(snap: Snapshot, step: str, what: str, read: Any) -> list[Row] | None:
    try:
        return list(read())
    except DataverseError as error:
        if error.status != 404:
            raise
        snap.missing.setdefault(step, f"not in this environment: {what}")
        return None


def _first(rows: list[Row]) -> Row | None:
    return rows[0] if rows else None


def user_keys(config: Config) -> list[str]:
    keys: list[str] = []
    if config.cif2:
        keys += config.cif2.users
    if config.users:
        keys += [user for user, _ in config.users.emails]
    if config.call_sync:
        keys.append(config.call_sync.technical_user)
    return sorted({k for k in keys if k != APP_USER})


def role_names(config: Config) -> list[str]:
    names = [rq.VOICE_API_ROLE]
    if config.cif1:
        names += config.cif1.roles
    if config.cif2:
        names += config.cif2.roles
    return sorted(set(names))


APP_NAMES = ("uniquename", "name")
USER_NAMES = ("domainname", "internalemailaddress")


def find(rows: list[Row], name: str, columns: tuple[str, ...]) -> list[Row]:
    """The rows whose `columns` hold `name` (without regard to case)."""
    wanted = name.lower()
    return [r for r in rows if any(str(r.get(c) or "").lower() == wanted for c in columns)]
