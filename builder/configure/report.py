"""What configure prints: the plan as lines (stderr with --format json) and the result, as
text or as one JSON object."""

from __future__ import annotations

from typing import Any

from ..exits import status_word
from .apply import Outcome
from .plan import Plan


def plan_lines(plan: Plan) -> list[str]:
    lines = ["plan:"]
    for change in plan.changes:
        detail = f" ({change.detail})" if change.detail else ""
        lines.append(f"  [{change.section}] {change.step}: {change.action} {change.target}{detail}")
    if not plan.changes:
        lines.append("  nothing to do")
    lines += [f"problem: {p}" for p in plan.problems]
    return lines


def summary_lines(outcome: Outcome, dry_run: bool) -> list[str]:
    lines = []
    for done in outcome.results:
        if done.status in ("done", "failed"):
            lines.append(
                f"{done.status}: {done.change.step}: {done.change.action} {done.change.target}"
            )
    if outcome.update_ids_message:
        lines.append(f"Update Enreach User Ids: {outcome.update_ids_message}")
    if outcome.users_without_id:
        lines.append(
            f"still without an Enreach User Id ({len(outcome.users_without_id)}): "
            f"{', '.join(outcome.users_without_id)} (guide 1.5.2.1: fill in their "
            "Enreach User Email)"
        )
    lines += [f"warning: {n}" for n in outcome.notes]
    lines += [f"error: {e}" for e in outcome.errors]
    writes = sum(len(d.change.requests) for d in outcome.results if d.status == "done")
    if outcome.plan.problems:
        lines.append("refused: nothing was changed; fix the names above and run again")
    elif dry_run:
        lines.append(
            f"dry run: {sum(1 for d in outcome.results if d.status == 'planned')} "
            "change(s) planned, nothing written"
        )
    elif not outcome.errors:
        lines.append(
            f"configured: {writes} write(s)"
            if writes
            else "nothing to change: the environment is configured"
        )
    return lines


def json_report(
    outcome: Outcome,
    url: str,
    config: str,
    dry_run: bool,
    code: int,
) -> dict[str, Any]:
    return {
        "environment": url,
        "config": config,
        "dry_run": dry_run,
        "status": "planned" if dry_run and not code else status_word(code),
        "exit_code": code,
        "changes": [
            {
                "step": d.change.step,
                "section": d.change.section,
                "action": d.change.action,
                "target": d.change.target,
                "detail": d.change.detail,
                "status": d.status,
                "requests": [r.describe() for r in d.change.requests],
            }
            for d in outcome.results
        ],
        "writes": sum(len(d.change.requests) for d in outcome.results if d.status == "done"),
        "users_without_id": outcome.users_without_id,
        "update_ids": outcome.update_ids_message,
        "problems": list(outcome.plan.problems),
        "warnings": outcome.notes,
        "errors": outcome.errors,
    }
