"""The per-environment configuration file (ENV.toml): which guide steps to do, with what.

Every section is optional; a section present means "make the environment look like this".
Unknown keys are errors (a typo must not silently skip a step). Names are what an
administrator sees: app names, role names, user names (domain name or e-mail), queue names.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BuildError

APP_USER = "application_user"  # stands for the application user of [application_user]

AGE_UNITS = {"days": 105230000, "hours": 105230001, "minutes": 105230002}
OWNERSHIP = {"api_user": 105230000, "queue_owner": 105230001}
DUPLICATES = {"bundle": 105230000, "ignore": 105230001}
SYNC_METHODS = {"polling": 105230000, "webhook": 105230001, "webhook_with_polling": 105230002}

# the phone columns of the standard tables (a form's other fields are never touched)
PHONE_FIELDS = {
    "contact": (
        "telephone1",
        "telephone2",
        "telephone3",
        "mobilephone",
        "business2",
        "home2",
        "assistantphone",
        "managerphone",
    ),
    "account": ("telephone1", "telephone2", "telephone3"),
    "lead": ("telephone1", "telephone2", "telephone3", "mobilephone"),
}


@dataclass(frozen=True)
class AppUserStep:
    application_id: str


@dataclass(frozen=True)
class Cif1Step:
    apps: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    replace: bool = False  # true: exactly these apps and roles (drops the admin's others)


@dataclass(frozen=True)
class Cif2Step:
    app_profiles: tuple[str, ...]
    users: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormsStep:
    apps: tuple[str, ...]
    exclusive: bool = False  # true: other Phone Call main forms leave these apps


@dataclass(frozen=True)
class DialForm:
    table: str
    form: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ClickToDialStep:
    forms: tuple[DialForm, ...]
    control: str


@dataclass(frozen=True)
class UsersStep:
    emails: tuple[tuple[str, str], ...]  # (user, Enreach Cloud e-mail)
    update_ids: bool = True


@dataclass(frozen=True)
class CallSyncStep:
    technical_user: str
    replace: bool = False  # true: overwrite a DefaultCrmAssignee set to someone else


@dataclass(frozen=True)
class CallbackProfile:
    name: str
    callback_list: str
    queue: str
    age_unit: str = "minutes"
    age: int = 10
    ownership: str = "api_user"
    subject: str = ""
    duplicates: str = "bundle"
    sync: str = "polling"

    def columns(self) -> dict[str, Any]:
        """The profile's own columns (lookups are bound separately)."""
        return {
            "enreach_name": self.name,
            "enreach_agetimeunit": AGE_UNITS[self.age_unit],
            "enreach_callbackage": self.age,
            "enreach_ownershiprule": OWNERSHIP[self.ownership],
            "enreach_phonecallsubject": self.subject or None,
            "enreach_duplicatehandlingrule": DUPLICATES[self.duplicates],
            "enreach_synchronizationmethod": SYNC_METHODS[self.sync],
        }


# the Channel Communication Control as the form editor names it; UNVERIFIED against a live
# form (no public export carries it): take the name from a form where it was added by hand
DEFAULT_CONTROL = "MscrmControls.ChannelCommunication.ChannelCommunicationControl"


@dataclass(frozen=True)
class Config:
    path: str
    application_user: AppUserStep | None = None
    cif1: Cif1Step | None = None
    cif2: Cif2Step | None = None
    phone_call_forms: FormsStep | None = None
    click_to_dial: ClickToDialStep | None = None
    users: UsersStep | None = None
    call_sync: CallSyncStep | None = None
    callback_profiles: tuple[CallbackProfile, ...] = field(default=())


SECTIONS = (
    "application_user",
    "cif1",
    "cif2",
    "phone_call_forms",
    "click_to_dial",
    "users",
    "call_sync",
    "callback_profiles",
)


def load_config(path: Path) -> Config:
    """Read and check ENV.toml; every problem is named at once (exit 2)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _error(str(path), "the configuration file does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _error(str(path), f"not a readable TOML file: {exc}") from None
    reader = _Reader(str(path))
    reader.known(data, SECTIONS, "")
    config = Config(
        path=str(path),
        application_user=reader.section(data, "application_user", _app_user),
        cif1=reader.section(data, "cif1", _cif1),
        cif2=reader.section(data, "cif2", _cif2),
        phone_call_forms=reader.section(data, "phone_call_forms", _forms),
        click_to_dial=reader.section(data, "click_to_dial", _click_to_dial),
        users=reader.section(data, "users", lambda r, d: _users(r, d, path.parent)),
        call_sync=reader.section(data, "call_sync", _call_sync),
        callback_profiles=_profiles(reader, data.get("callback_profiles", [])),
    )
    uses_app_user = [
        key
        for key, used in (
            (
                "call_sync.technical_user",
                config.call_sync and config.call_sync.technical_user == APP_USER,
            ),
            (
                "users.emails",
                config.users and any(user == APP_USER for user, _ in config.users.emails),
            ),
        )
        if used
    ]
    if uses_app_user and config.application_user is None:
        for key in uses_app_user:
            reader.problem(key, f"'{APP_USER}' needs an [application_user] section")
    reader.done()
    return config


def _error(where: str, message: str) -> BuildError:
    return BuildError.at(
        "CFG001", message, file=where, exit_code=2, hint="see docs/configure.md for the file's keys"
    )


class _Reader:
    """Collects every problem of the file, then raises them together."""

    def __init__(self, where: str) -> None:
        self.where, self.problems = where, []  # type: tuple[str, list[str]]

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def done(self) -> None:
        if self.problems:
            raise BuildError(
                [_error(self.where, p).diagnostics[0] for p in self.problems], exit_code=2
            )

    def known(self, table: Mapping[str, Any], keys: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in keys:
                self.problem(prefix + key, f"unknown key (known: {', '.join(keys)})")

    def section(self, data: Mapping[str, Any], name: str, build: Any) -> Any:
        table = data.get(name)
        if table is None:
            return None
        if not isinstance(table, dict):
            self.problem(name, "must be a table ([name])")
            return None
        return build(self, table)

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        prefix: str,
        default: str | None = None,
    ) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.problem(prefix + key, "must be a non-empty string")
            return ""
        return value.strip()

    def names(self, table: Mapping[str, Any], key: str, prefix: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(prefix + key, "must be a list of names")
            return ()
        return tuple(dict.fromkeys(v.strip() for v in value))

    def flag(self, table: Mapping[str, Any], key: str, prefix: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem(prefix + key, "must be true or false")
            return False
        return value

    def choice(
        self,
        table: Mapping[str, Any],
        key: str,
        prefix: str,
        options: Mapping[str, int],
        default: str,
    ) -> str:
        value = table.get(key, default)
        if value not in options:
            self.problem(prefix + key, f"must be one of {', '.join(options)}")
            return default
        return str(value)


def _app_user(r: _Reader, t: Mapping[str, Any]) -> AppUserStep:
    r.known(t, ("application_id",), "application_user.")
    app_id = r.text(t, "application_id", "application_user.").lower()
    if app_id and not _is_guid(app_id):
        r.problem(
            "application_user.application_id",
            "must be the app registration's Application (client) ID, a GUID",
        )
    return AppUserStep(app_id)


def _cif1(r: _Reader, t: Mapping[str, Any]) -> Cif1Step:
    r.known(t, ("apps", "roles", "replace"), "cif1.")
    step = Cif1Step(
        r.names(t, "apps", "cif1."), r.names(t, "roles", "cif1."), r.flag(t, "replace", "cif1.")
    )
    if not (step.apps or step.roles):
        r.problem("cif1", "name apps or roles (or leave the section out)")
    return step


def _cif2(r: _Reader, t: Mapping[str, Any]) -> Cif2Step:
    r.known(t, ("app_profiles", "users", "teams", "roles"), "cif2.")
    step = Cif2Step(
        r.names(t, "app_profiles", "cif2."),
        r.names(t, "users", "cif2."),
        r.names(t, "teams", "cif2."),
        r.names(t, "roles", "cif2."),
    )
    if not step.app_profiles:
        r.problem("cif2.app_profiles", "name at least one app profile")
    return step


def _forms(r: _Reader, t: Mapping[str, Any]) -> FormsStep:
    r.known(t, ("apps", "exclusive"), "phone_call_forms.")
    step = FormsStep(
        r.names(t, "apps", "phone_call_forms."), r.flag(t, "exclusive", "phone_call_forms.")
    )
    if not step.apps:
        r.problem("phone_call_forms.apps", "name at least one model-driven app")
    return step


def _click_to_dial(r: _Reader, t: Mapping[str, Any]) -> ClickToDialStep:
    r.known(t, ("forms", "control"), "click_to_dial.")
    forms = []
    items = t.get("forms", [])
    if not isinstance(items, list) or not items:
        r.problem("click_to_dial.forms", "must be a list of {table, form[, fields]}")
        items = []
    for i, item in enumerate(items):
        prefix = f"click_to_dial.forms[{i}]."
        if not isinstance(item, dict):
            r.problem(prefix[:-1], "must be a table {table = ..., form = ...}")
            continue
        r.known(item, ("table", "form", "fields"), prefix)
        table = r.text(item, "table", prefix).lower()
        fields = (
            r.names(item, "fields", prefix) if "fields" in item else PHONE_FIELDS.get(table, ())
        )
        if table and not fields:
            r.problem(prefix + "fields", f"{table} has no known phone columns: list them")
        forms.append(
            DialForm(table, r.text(item, "form", prefix), tuple(f.lower() for f in fields))
        )
    return ClickToDialStep(tuple(forms), r.text(t, "control", "click_to_dial.", DEFAULT_CONTROL))


def _users(r: _Reader, t: Mapping[str, Any], base: Path) -> UsersStep:
    r.known(t, ("emails", "mapping", "update_ids"), "users.")
    pairs: dict[str, str] = {}
    emails = t.get("emails", {})
    if not isinstance(emails, dict) or not all(isinstance(v, str) for v in emails.values()):
        r.problem("users.emails", 'must be a table of user = "enreach e-mail"')
        emails = {}
    pairs.update({k.strip(): v.strip() for k, v in emails.items()})
    if "mapping" in t:
        pairs.update(_read_mapping(r, base / r.text(t, "mapping", "users.")))
    for user, email in pairs.items():
        if "@" not in email:
            r.problem(f"users.emails.{user}", f"{email!r} is not an e-mail address")
    update = t.get("update_ids", True)
    if not isinstance(update, bool):
        r.problem("users.update_ids", "must be true or false")
    return UsersStep(tuple(sorted(pairs.items())), bool(update))


def _read_mapping(r: _Reader, path: Path) -> dict[str, str]:
    """A CSV with the columns `user` and `enreach_email` (a header row is required)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        r.problem("users.mapping", f"cannot read {path}: {exc}")
        return {}
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and not {"user", "enreach_email"} <= set(rows[0]):
        r.problem("users.mapping", f"{path} needs the columns user,enreach_email")
        return {}
    return {
        (row["user"] or "").strip(): (row["enreach_email"] or "").strip()
        for row in rows
        if (row["user"] or "").strip()
    }


def _call_sync(r: _Reader, t: Mapping[str, Any]) -> CallSyncStep:
    r.known(t, ("technical_user", "replace"), "call_sync.")
    return CallSyncStep(
        r.text(t, "technical_user", "call_sync."), r.flag(t, "replace", "call_sync.")
    )


PROFILE_KEYS = (
    "name",
    "callback_list",
    "queue",
    "age_unit",
    "age",
    "ownership",
    "subject",
    "duplicates",
    "sync",
)


def _profiles(r: _Reader, items: Any) -> tuple[CallbackProfile, ...]:
    if not isinstance(items, list):
        r.problem("callback_profiles", "must be an array of tables ([[callback_profiles]])")
        return ()
    out: list[CallbackProfile] = []
    for i, t in enumerate(items):
        prefix = f"callback_profiles[{i}]."
        if not isinstance(t, dict):
            r.problem(prefix[:-1], "must be a table")
            continue
        r.known(t, PROFILE_KEYS, prefix)
        age = t.get("age", 10)
        if not isinstance(age, int) or isinstance(age, bool) or age < 1:
            r.problem(prefix + "age", "must be a whole number of 1 or more")
            age = 10
        out.append(
            CallbackProfile(
                name=r.text(t, "name", prefix),
                callback_list=r.text(t, "callback_list", prefix),
                queue=r.text(t, "queue", prefix),
                age_unit=r.choice(t, "age_unit", prefix, AGE_UNITS, "minutes"),
                age=age,
                ownership=r.choice(t, "ownership", prefix, OWNERSHIP, "api_user"),
                subject=r.text(t, "subject", prefix, ""),
                duplicates=r.choice(t, "duplicates", prefix, DUPLICATES, "bundle"),
                sync=r.choice(t, "sync", prefix, SYNC_METHODS, "polling"),
            )
        )
    names = [p.name.lower() for p in out]
    for name in sorted({n for n in names if names.count(n) > 1}):
        r.problem("callback_profiles", f"the profile {name!r} is listed twice")
    return tuple(out)


def _is_guid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(
        c in "0123456789abcdef" for c in text.replace("-", "")
    )
