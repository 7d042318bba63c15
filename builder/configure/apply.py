"""Carry out a plan: send each change's requests in order, stop at the first failure.

Two steps depend on what the environment does in between: after `Update Enreach User Ids`
runs, the users still without an Enreach id are read back and listed; and a DefaultCrmAssignee
waiting for the technical user's id (`pending`) is set once that id exists, or reported plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..deploy.transport import DataverseError, Transport
from ..exits import exit_code
from . import requests as rq
from .env_config import APP_USER, Config
from .plan import Change, Plan, assignee_change
from .snapshot import USER_NAMES, Row, Snapshot, find, read_users, user_keys


@dataclass
class Done:
    change: Change
    status: str  # done | planned | failed | skipped (an earlier change failed)


@dataclass
class Outcome:
    plan: Plan
    results: list[Done] = field(default_factory=list)
    users_without_id: list[str] = field(default_factory=list)
    update_ids_message: str = ""
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code(refused=bool(self.plan.problems), failed=bool(self.errors))


def apply_plan(
    transport: Transport, config: Config, snap: Snapshot, plan: Plan, dry_run: bool
) -> Outcome:
    outcome = Outcome(plan, notes=list(plan.notes))
    if plan.problems:
        outcome.results = [Done(c, "skipped") for c in plan.changes]
        return outcome
    for change in plan.changes:
        if outcome.errors:
            outcome.results.append(Done(change, "skipped"))
        elif dry_run or not (change.requests or change.action == "pending"):
            outcome.results.append(Done(change, "planned" if change.requests else change.action))
        else:
            outcome.results.append(_apply(transport, config, snap, change, outcome))
    if config.users and not dry_run and not outcome.errors:
        outcome.users_without_id = _without_id(transport, config, snap)
    return outcome


def _apply(
    transport: Transport, config: Config, snap: Snapshot, change: Change, outcome: Outcome
) -> Done:
    if change.action == "pending":
        change = _resolve_assignee(transport, config, snap, outcome)
    try:
        for request in change.requests:
            response = transport.send(request)
            if request.path == rq.UPDATE_IDS_API and isinstance(response.payload, dict):
                outcome.update_ids_message = _summary(response.payload)
    except DataverseError as error:
        outcome.errors.append(str(error.diagnostics[0]))
        return Done(change, "failed")
    return Done(change, "done" if change.requests else change.action)


def _summary(payload: dict[str, Any]) -> str:
    count, message = payload.get("UpdatedCount"), str(payload.get("Message") or "")
    return f"{count} user(s) updated" + (f": {message}" if message else "")


def _resolve_assignee(
    transport: Transport, config: Config, snap: Snapshot, outcome: Outcome
) -> Change:
    """DefaultCrmAssignee after Update Enreach User Ids: set it, or say why not."""
    assert config.call_sync is not None and snap.assignee is not None
    who = config.call_sync.technical_user
    user = _read_user(transport, config, who)
    enreach_id = str((user or {}).get("enreach_enreachuserid") or "").strip()
    if not enreach_id:
        outcome.notes.append(
            f"{rq.ASSIGNEE} is not set: {who} still has no Enreach User Id "
            "(check its Enreach e-mail, then run configure again; guide 1.5.3)"
        )
        return Change(
            "call_sync", "waiting", f"{rq.ASSIGNEE} setting", f"{who} has no Enreach User Id yet"
        )
    return assignee_change(snap.assignee, enreach_id, config.call_sync.replace, who)


def _read_user(transport: Transport, config: Config, key: str) -> Row | None:
    if key == APP_USER:
        assert config.application_user is not None
        rows = transport.get_all(rq.query_app_user(config.application_user.application_id))
        return rows[0] if rows else None
    found = find(read_users(transport, [key]), key, USER_NAMES)
    return found[0] if found else None


def _without_id(transport: Transport, config: Config, snap: Snapshot) -> list[str]:
    """The mapped users (and the technical user) still without an Enreach User Id."""
    rows = read_users(transport, user_keys(config))
    if config.application_user:
        rows += transport.get_all(rq.query_app_user(config.application_user.application_id))
    assert config.users is not None
    wanted = {k.lower() for k, _ in config.users.emails}
    out = []
    for row in rows:
        names = {str(row.get(c) or "").lower() for c in USER_NAMES}
        mapped = bool(names & wanted) or (APP_USER in wanted and row.get("applicationid"))
        if mapped and not str(row.get("enreach_enreachuserid") or "").strip():
            out.append(str(row.get("fullname") or row.get("domainname") or row["systemuserid"]))
    return sorted(set(out))
