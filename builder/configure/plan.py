"""The plan: a pure function of (configuration, environment snapshot) -> changes.

Each change names its step (the config key), the guide section, what it does and the requests
that do it. Every name in the file is resolved here, before anything is written: a name the
environment does not know is a problem, and a plan with problems is refused whole (exit 3).
What an administrator chose is only added to: apps and roles of the CIF 1.0 provider, users
of an app profile, components of an app, fields that already have a code component, a
DefaultCrmAssignee pointing at someone else. Removing takes an explicit key (`replace`,
`exclusive`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from ..dataverse.component_types import ENTITY, SYSTEM_FORM
from ..deploy.webapi import Request
from . import requests as rq
from .env_config import APP_USER, CallbackProfile, Config
from .formxml import add_dial_control
from .snapshot import APP_NAMES, USER_NAMES, Row, Snapshot, find

NS = uuid.UUID("0c4b7a1e-2f3d-4e5a-9b6c-7d8e9fa0b1c2")
SECTIONS = {
    "application_user": "1.4",
    "cif1": "1.5.1.1",
    "cif2": "1.5.1.2, 1.5.2.2",
    "phone_call_forms": "1.5.5",
    "click_to_dial": "1.5.6",
    "users": "1.5.2.1",
    "call_sync": "1.5.3",
    "callback_profiles": "1.5.4",
}
FORM_COMPONENT, TABLE_COMPONENT = SYSTEM_FORM, ENTITY  # appmodulecomponent.componenttype


@dataclass(frozen=True)
class Change:
    step: str
    action: str  # create | add | update | remove | run | unchanged | pending | waiting
    target: str
    detail: str = ""
    requests: tuple[Request, ...] = ()

    @property
    def section(self) -> str:
        return SECTIONS[self.step]


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    app_user_id: str = ""  # the application user's id (new ones get it from the plan)

    @property
    def writes(self) -> bool:
        return any(c.requests for c in self.changes)

    def add(
        self,
        step: str,
        action: str,
        target: str,
        detail: str = "",
        requests: tuple[Request, ...] = (),
    ) -> None:
        self.changes.append(Change(step, action, target, detail, requests))


def plan_configure(config: Config, snap: Snapshot) -> Plan:
    plan = Plan()
    for step, reason in sorted(snap.missing.items()):
        plan.problems.append(f"{step}: {reason}")
    steps: dict[str, Callable[[Config, Snapshot, Plan], None]] = {
        "application_user": _app_user,
        "cif1": _cif1,
        "cif2": _cif2,
        "phone_call_forms": _forms,
        "click_to_dial": _click_to_dial,
        "users": _users,
        "call_sync": _call_sync,
        "callback_profiles": _callback_profiles,
    }
    for step, build in steps.items():
        if getattr(config, step) and step not in snap.missing:
            build(config, snap, plan)
    return plan


# --- 1.4 application user ------------------------------------------------------------------


def _app_user(config: Config, snap: Snapshot, plan: Plan) -> None:
    assert config.application_user is not None
    app_id = config.application_user.application_id
    user = snap.app_user
    if snap.root_bu is None:
        plan.problems.append("application_user: the environment shows no root business unit")
        return
    unit = str(user.get("_businessunitid_value") if user else snap.root_bu["businessunitid"])
    role = _role_in(snap.roles, rq.VOICE_API_ROLE, unit)
    if role is None:
        plan.problems.append(
            f"application_user: no {rq.VOICE_API_ROLE} role in the business "
            "unit (install the package first: voicepkg deploy)"
        )
        return
    requests: list[Request] = []
    if user is None:
        plan.app_user_id = str(uuid.uuid5(NS, "application-user/" + app_id))
        body = rq.create_app_user(app_id, unit)
        requests.append(
            Request(
                body.method,
                body.path,
                json={**body.json, "systemuserid": plan.app_user_id},
                idempotent=False,
                label=body.label,
            )
        )
        plan.add(
            "application_user",
            "create",
            f"application user for {app_id}",
            f"in the root business unit {snap.root_bu.get('name')}",
            tuple(requests),
        )
    else:
        plan.app_user_id = str(user["systemuserid"])
        if unit != str(snap.root_bu["businessunitid"]):
            plan.notes.append(
                f"the application user {user.get('fullname')} is not in the root "
                "business unit; it is kept where it is"
            )
        if user.get("isdisabled"):
            plan.notes.append(
                f"the application user {user.get('fullname')} is disabled: enable "
                "it in the Power Platform admin center (guide 1.4)"
            )
    held = {str(r.get("roleid")) for r in (user or {}).get("systemuserroles_association") or []}
    if role["roleid"] in held:
        plan.add(
            "application_user",
            "unchanged",
            f"application user for {app_id}",
            f"holds {rq.VOICE_API_ROLE}",
        )
        return
    plan.add(
        "application_user",
        "add",
        f"{rq.VOICE_API_ROLE} role",
        "to the application user",
        (
            rq.associate(
                snap.api_root,
                "systemusers",
                plan.app_user_id,
                "systemuserroles_association",
                "roles",
                str(role["roleid"]),
                f"give the application user {rq.VOICE_API_ROLE}",
            ),
        ),
    )


def _role_in(roles: list[Row], name: str, unit: str) -> Row | None:
    return next(
        (r for r in find(roles, name, ("name",)) if str(r.get("_businessunitid_value")) == unit),
        None,
    )


# --- 1.5.1.1 CIF 1.0 -------------------------------------------------------------------------


def _cif1(config: Config, snap: Snapshot, plan: Plan) -> None:
    step = config.cif1
    assert step is not None
    provider = snap.cif1_provider
    if provider is None:
        plan.problems.append(
            f"cif1: the CIF 1.0 provider record {rq.CIF1_PROVIDER_NAME!r} is "
            "missing (voicepkg deploy --scenario cif1 writes it)"
        )
        return
    apps = _resolve(plan, "cif1", "app", step.apps, snap.apps, APP_NAMES, "appmoduleid")
    unit = str((snap.root_bu or {}).get("businessunitid"))
    roles = []
    for name in step.roles:
        role = _role_in(snap.roles, name, unit)
        if role is None:
            plan.problems.append(f"cif1: no security role named {name!r} in the root business unit")
        else:
            roles.append(str(role["roleid"]))
    columns = {}
    kept = 0
    for column, wanted in (("msdyn_appselector", apps), ("msdyn_roleselector", roles)):
        have = _ids(provider.get(column))
        if (column == "msdyn_appselector" and not step.apps) or (
            column == "msdyn_roleselector" and not step.roles
        ):
            continue
        merged = (
            list(dict.fromkeys(wanted))
            if step.replace
            else have + [i for i in dict.fromkeys(wanted) if i not in have]
        )
        kept += 0 if step.replace else len([i for i in have if i not in wanted])
        if merged != have:
            columns[column] = ";".join(merged)
    target = f"CIF 1.0 provider {rq.CIF1_PROVIDER_NAME}"
    if not columns:
        plan.add("cif1", "unchanged", target, "has the apps and roles")
        return
    detail = f"{len(apps)} app(s), {len(roles)} role(s)" + (
        f"; keeps {kept} the administrator chose" if kept else ""
    )
    plan.add(
        "cif1",
        "update",
        target,
        detail,
        (
            rq.update(
                "msdyn_ciproviders",
                str(provider["msdyn_ciproviderid"]),
                columns,
                "give the CIF 1.0 provider its apps and roles",
            ),
        ),
    )


def _ids(value: object) -> list[str]:
    return [
        p.strip().strip("{}").lower()
        for p in str(value or "").replace(",", ";").split(";")
        if p.strip()
    ]


def _resolve(
    plan: Plan,
    step: str,
    kind: str,
    names: tuple[str, ...],
    rows: list[Row],
    columns: tuple[str, ...],
    id_column: str,
) -> list[str]:
    out = []
    for name in names:
        found = find(rows, name, columns)
        if not found:
            plan.problems.append(f"{step}: no {kind} named {name!r}")
        elif len({str(r[id_column]) for r in found}) > 1:
            plan.problems.append(
                f"{step}: {len(found)} {kind}s are named {name!r}; use its unique name"
            )
        else:
            out.append(str(found[0][id_column]).lower())
    return out


# --- 1.5.1.2, 1.5.2.2 CIF 2.0 ---------------------------------------------------------------


def _cif2(config: Config, snap: Snapshot, plan: Plan) -> None:
    step = config.cif2
    assert step is not None
    provider = snap.channel_provider
    if provider is None:
        plan.problems.append(
            f"cif2: the channel provider {rq.CHANNEL_PROVIDER} is not installed "
            "(voicepkg deploy --scenario cif2)"
        )
        return
    profiles = _resolve(
        plan,
        "cif2",
        "app profile",
        step.app_profiles,
        snap.app_profiles,
        ("msdyn_name", "msdyn_uniquename"),
        "msdyn_appconfigurationid",
    )
    members = _members(plan, step.users, step.teams, step.roles, snap)
    linked = {
        str(p.get("msdyn_appconfigurationid")).lower()
        for p in provider.get("msdyn_appconfig_msdyn_channelprovider") or []
    }
    by_id = {str(p["msdyn_appconfigurationid"]).lower(): p for p in snap.app_profiles}
    for profile_id in profiles:
        profile = by_id[profile_id]
        name = str(profile.get("msdyn_name"))
        if profile_id in linked:
            plan.add("cif2", "unchanged", f"app profile {name}", "has the channel provider")
        else:
            plan.add(
                "cif2",
                "add",
                f"app profile {name}",
                "the Voice channel provider",
                (
                    rq.associate(
                        snap.api_root,
                        "msdyn_appconfigurations",
                        profile_id,
                        "msdyn_appconfig_msdyn_channelprovider",
                        "msdyn_channelproviders",
                        str(provider["msdyn_channelproviderid"]),
                        f"add the channel provider to {name}",
                    ),
                ),
            )
        _assign(plan, snap, profile, members)


def _members(
    plan: Plan,
    users: tuple[str, ...],
    teams: tuple[str, ...],
    roles: tuple[str, ...],
    snap: Snapshot,
) -> dict[str, str]:
    """{user id: how it was named} for the listed users, team members and role holders."""
    out = {
        user_id: "user"
        for user_id in _resolve(plan, "cif2", "user", users, snap.users, USER_NAMES, "systemuserid")
    }
    for name, rows, nav in ((t, snap.teams, "teammembership_association") for t in teams):
        _group(plan, "team", name, rows, nav, out)
    for name in roles:
        _group(plan, "role", name, snap.roles, "systemuserroles_association", out)
    return out


def _group(
    plan: Plan, kind: str, name: str, rows: list[Row], nav: str, out: dict[str, str]
) -> None:
    found = find(rows, name, ("name",))
    if not found:
        plan.problems.append(f"cif2: no {kind} named {name!r}")
    for row in found:  # a role has a copy in every business unit
        for member in row.get(nav) or []:
            out.setdefault(str(member["systemuserid"]).lower(), f"{kind} {name}")


def _assign(plan: Plan, snap: Snapshot, profile: Row, members: dict[str, str]) -> None:
    name = str(profile.get("msdyn_name"))
    profile_id = str(profile["msdyn_appconfigurationid"])
    have = {
        str(u["systemuserid"]).lower()
        for u in profile.get("msdyn_appconfiguration_systemuser") or []
    }
    new = sorted(m for m in members if m not in have)
    if not members:
        return
    if not new:
        plan.add("cif2", "unchanged", f"users of {name}", f"all {len(members)} assigned")
        return
    plan.add(
        "cif2",
        "add",
        f"users of {name}",
        f"{len(new)} user(s); keeps the {len(have)} already assigned",
        tuple(
            rq.associate(
                snap.api_root,
                "msdyn_appconfigurations",
                profile_id,
                "msdyn_appconfiguration_systemuser",
                "systemusers",
                user_id,
                f"assign a user to {name}",
            )
            for user_id in new
        ),
    )


# --- 1.5.5 Phone Call forms in apps ------------------------------------------------------------


def _forms(config: Config, snap: Snapshot, plan: Plan) -> None:
    step = config.phone_call_forms
    assert step is not None
    forms = snap.forms.get("phonecall", [])
    voice: dict[int, str] = {}
    for kind, name in rq.PHONE_CALL_FORMS.items():
        row = next((f for f in forms if f.get("type") == kind and f.get("name") == name), None)
        if row is None:
            plan.problems.append(
                f"phone_call_forms: the form {name!r} is missing (install the package first)"
            )
        else:
            voice[kind] = str(row["formid"]).lower()
    apps = _resolve(plan, "phone_call_forms", "app", step.apps, snap.apps, APP_NAMES, "appmoduleid")
    if len(voice) < len(rq.PHONE_CALL_FORMS):
        return
    mains = {str(f["formid"]).lower(): str(f.get("name")) for f in forms if f.get("type") == 2}
    for app_id in apps:
        app = next(a for a in snap.apps if str(a["appmoduleid"]).lower() == app_id)
        _forms_in_app(plan, snap, app, voice, mains, step.exclusive)


def _forms_in_app(
    plan: Plan,
    snap: Snapshot,
    app: Row,
    voice: dict[int, str],
    mains: dict[str, str],
    exclusive: bool,
) -> None:
    name, app_id = str(app.get("name")), str(app["appmoduleid"])
    parts = snap.app_components.get(app_id, [])
    held = {(p.get("componenttype"), str(p.get("objectid")).lower()) for p in parts}
    add = [("systemform", f) for f in voice.values() if (FORM_COMPONENT, f) not in held]
    if (TABLE_COMPONENT, snap.phonecall_id.lower()) not in held:
        add.insert(0, ("entity", snap.phonecall_id))
    others = sorted(
        f for c, f in held if c == FORM_COMPONENT and f in mains and f != voice[rq.MAIN_FORM]
    )
    requests: list[Request] = []
    if add:
        requests.append(rq.add_app_components(app_id, add, name))
    if others and exclusive:
        requests.append(rq.remove_app_components(app_id, [("systemform", f) for f in others], name))
    elif others:
        plan.notes.append(
            f"{name} also offers the Phone Call main form(s) "
            f"{', '.join(mains[f] for f in others)}; users who pick one keep it "
            "(phone_call_forms.exclusive = true removes them from the app)"
        )
    if not requests:
        plan.add("phone_call_forms", "unchanged", f"app {name}", "has the Voice Phone Call forms")
        return
    what = f"{len(add)} component(s)" + (
        f", removes {len(others)} other main form(s)" if others and exclusive else ""
    )
    plan.add(
        "phone_call_forms",
        "add" if add else "remove",
        f"app {name}",
        what,
        (*requests, rq.publish(apps=[app_id])),
    )


# --- 1.5.6 click-to-dial --------------------------------------------------------------------


def _click_to_dial(config: Config, snap: Snapshot, plan: Plan) -> None:
    step = config.click_to_dial
    assert step is not None
    edited: dict[str, list[Request]] = {}
    for dial in step.forms:
        rows = [
            f
            for f in snap.forms.get(dial.table, [])
            if f.get("type") == 2 and str(f.get("name") or "").lower() == dial.form.lower()
        ]
        if not rows:
            plan.problems.append(
                f"click_to_dial: {dial.table} has no main form named {dial.form!r}"
            )
            continue
        for row in rows:
            edit = add_dial_control(
                str(row.get("formxml") or ""), str(row["formid"]).lower(), dial.fields, step.control
            )
            target = f"form {dial.table}/{row.get('name')}"
            kept = f"; left alone: {', '.join(edit.kept)}" if edit.kept else ""
            if edit.formxml is None:
                plan.add(
                    "click_to_dial",
                    "unchanged",
                    target,
                    "no phone field on the form"
                    if not edit.kept
                    else f"has click-to-dial on {', '.join(edit.kept)}",
                )
                continue
            edited.setdefault(dial.table, [])
            plan.add(
                "click_to_dial",
                "update",
                target,
                f"click-to-dial on {', '.join(edit.added)}{kept}",
                (
                    rq.update_form(
                        str(row["formid"]), edit.formxml, f"{dial.table}/{row.get('name')}"
                    ),
                ),
            )
    for table in sorted(edited):
        plan.add("click_to_dial", "run", f"publish {table}", "", (rq.publish(tables=[table]),))


# --- 1.5.2.1 users --------------------------------------------------------------------------


def _users(config: Config, snap: Snapshot, plan: Plan) -> None:
    step = config.users
    assert step is not None
    lacking = 0
    changed = 0
    for key, email in step.emails:
        user = _user(plan, snap, "users", key)
        if user is None:
            continue
        if key == APP_USER and not user:
            user = {"systemuserid": plan.app_user_id, "fullname": "the application user"}
        label = str(user.get("fullname") or key)
        lacking += not str(user.get("enreach_enreachuserid") or "").strip()
        current = str(user.get("enreach_enreachuseremail") or "")
        if current.lower() == email.lower():
            plan.add("users", "unchanged", f"user {label}", f"Enreach e-mail {email}")
            continue
        changed += 1
        plan.add(
            "users",
            "update",
            f"user {label}",
            f"Enreach e-mail {email}" + (f" (was {current})" if current else ""),
            (
                rq.update(
                    "systemusers",
                    str(user["systemuserid"]),
                    {"enreach_enreachuseremail": email},
                    f"set the Enreach e-mail of {label}",
                ),
            ),
        )
    if step.update_ids and (lacking or changed):
        plan.add(
            "users",
            "run",
            rq.UPDATE_IDS_API,
            f"{lacking} user(s) without an Enreach User Id",
            (rq.run_update_ids(),),
        )


def _user(plan: Plan, snap: Snapshot, step: str, key: str) -> Row | None:
    """The user a key names; {} for the application user this run creates; None: unknown."""
    if key == APP_USER:
        return snap.app_user or {}
    found = find(snap.users, key, USER_NAMES)
    if len(found) != 1:
        plan.problems.append(
            f"{step}: no user {key!r}" if not found else f"{step}: {len(found)} users match {key!r}"
        )
        return None
    return found[0]


# --- 1.5.3 call sync fallback ---------------------------------------------------------------


def _call_sync(config: Config, snap: Snapshot, plan: Plan) -> None:
    step = config.call_sync
    assert step is not None
    setting = snap.assignee
    user = _user(plan, snap, "call_sync", step.technical_user)
    if setting is None:
        plan.problems.append(
            f"call_sync: the {rq.ASSIGNEE} setting is missing (voicepkg deploy writes it)"
        )
    if setting is None or user is None:
        return
    target = f"{rq.ASSIGNEE} setting"
    enreach_id = str(user.get("enreach_enreachuserid") or "").strip()
    if not enreach_id:
        runs = any(c.step == "users" and c.action == "run" for c in plan.changes)
        plan.add(
            "call_sync",
            "pending" if runs else "waiting",
            target,
            f"{step.technical_user} has no Enreach User Id yet"
            + (
                "; set after Update Enreach User Ids"
                if runs
                else "; give it its Enreach e-mail ([users]) and run configure again"
            ),
        )
        return
    plan.changes.append(assignee_change(setting, enreach_id, step.replace, step.technical_user))


def assignee_change(setting: Row, enreach_id: str, replace: bool, who: str) -> Change:
    """Set DefaultCrmAssignee, keeping a value the administrator pointed elsewhere."""
    current = str(setting.get("enreach_value") or "").strip()
    target = f"{rq.ASSIGNEE} setting"
    if current.lower() == enreach_id.lower():
        return Change("call_sync", "unchanged", target, f"is the Enreach id of {who}")
    if current and not replace:
        return Change(
            "call_sync",
            "unchanged",
            target,
            f"kept: holds {current}, set by an "
            f"administrator (call_sync.replace = true sets {who}'s id)",
        )
    return Change(
        "call_sync",
        "update",
        target,
        f"the Enreach id of {who}",
        (
            rq.update(
                "enreach_settings",
                str(setting["enreach_settingid"]),
                {"enreach_value": enreach_id},
                f"set {rq.ASSIGNEE}",
            ),
        ),
    )


# --- 1.5.4 callback profiles ----------------------------------------------------------------


def _callback_profiles(config: Config, snap: Snapshot, plan: Plan) -> None:
    for profile in config.callback_profiles:
        lists = _resolve(
            plan,
            "callback_profiles",
            "callback list",
            (profile.callback_list,),
            snap.callback_lists,
            ("enreach_name",),
            "enreach_callbacklistid",
        )
        queues = _resolve(
            plan, "callback_profiles", "queue", (profile.queue,), snap.queues, ("name",), "queueid"
        )
        if lists and queues:
            _profile(plan, snap, profile, lists[0], queues[0])


def _profile(
    plan: Plan, snap: Snapshot, profile: CallbackProfile, list_id: str, queue_id: str
) -> None:
    existing = find(snap.callback_profiles, profile.name, ("enreach_name",))
    wanted = profile.columns()
    binds = {
        "enreach_CallbackListId@odata.bind": f"/enreach_callbacklists({list_id})",
        "enreach_QueueId@odata.bind": f"/queues({queue_id})",
    }
    target = f"callback profile {profile.name}"
    if not existing:
        record_id = str(uuid.uuid5(NS, "callback-profile/" + profile.name.lower()))
        plan.add(
            "callback_profiles",
            "create",
            target,
            f"queue {profile.queue}",
            (
                rq.create(
                    "enreach_callbackprofiles",
                    {"enreach_callbackprofileid": record_id, **wanted, **binds},
                    f"create the {target}",
                ),
            ),
        )
        return
    row = existing[0]
    changed = {k: v for k, v in wanted.items() if (row.get(k) or None) != (v or None)}
    if str(row.get("_enreach_callbacklistid_value") or "").lower() != list_id:
        changed["enreach_CallbackListId@odata.bind"] = binds["enreach_CallbackListId@odata.bind"]
    if str(row.get("_enreach_queueid_value") or "").lower() != queue_id:
        changed["enreach_QueueId@odata.bind"] = binds["enreach_QueueId@odata.bind"]
    if not changed:
        plan.add("callback_profiles", "unchanged", target)
        return
    names = ", ".join(sorted(k.split("@")[0] for k in changed))
    plan.add(
        "callback_profiles",
        "update",
        target,
        names,
        (
            rq.update(
                "enreach_callbackprofiles",
                str(row["enreach_callbackprofileid"]),
                changed,
                f"update the {target}",
            ),
        ),
    )
