"""What deploy tells people and pipelines: the plan before anything changes, a summary after,
and with --json one JSON object (stable keys) for machines."""

from __future__ import annotations

from typing import Any

from .apply import Outcome
from .plan import Plan
from .virtual import SOURCE_NAME, VirtualPlan, shown_uri

STATUS = {0: "done", 1: "failed", 2: "usage", 3: "refused", 4: "running"}
ARROW = "->"


def plan_lines(plan: Plan) -> list[str]:
    lines = [f"Plan for {plan.environment.split('/api/data/')[0]} (scenario {plan.scenario}):"]
    for step in plan.steps:
        versions = f"{step.from_version or '-'} {ARROW} {step.to_version}"
        lines.append(f"  {step.unique_name:<28} {step.action:<8} {versions:<24} {step.reason}")
    s = plan.settings
    lines.append(f"  settings: {len(s.create)} to create, {len(s.update)} new defaults, "
                 f"{len(s.kept)} changed by an administrator kept, {len(s.unchanged)} unchanged")
    if plan.provider is not None:
        lines.append("  CIF 1.0 provider record: write (apps and roles left alone)")
    if plan.virtual is not None:
        lines.append(f"  virtual tables: {_virtual_plan(plan.virtual)}")
    for solution, values in sorted(plan.env_values.items()):
        if values:
            lines.append(f"  {solution}: environment variables {', '.join(sorted(values))}")
    lines += [f"  refused: {r}" for r in plan.refusals]
    return lines


def summary_lines(outcome: Outcome) -> list[str]:
    lines = []
    for step, status in outcome.steps:
        lines.append(f"{step.unique_name}: {step.action} {step.from_version or '-'} {ARROW} "
                     f"{step.to_version}: {status}")
    if outcome.plan is not None:
        s = outcome.plan.settings
        counts = (f"{len(s.create)} created, {len(s.kept)} kept, {len(s.update)} updated")
        writes = s.create or s.update
        lines.append(f"settings: {counts}" if outcome.records_written or not writes
                     else f"settings: not written (planned: {counts})")
        if outcome.plan.virtual is not None:
            lines.append(f"virtual tables: {_virtual_done(outcome.plan.virtual, outcome)}")
    lines += [f"warning: {w}" for w in outcome.warnings + outcome.checks]
    lines += [f"error: {e}" for e in outcome.errors]
    lines.append(_verdict(outcome))
    return lines


def _verdict(outcome: Outcome) -> str:
    if outcome.exit_code == 3:
        return "Refused: nothing was changed."
    if outcome.exit_code == 4:
        return "Still running at the timeout: run the same command again to follow it."
    if outcome.exit_code:
        return "Failed."
    plan = outcome.plan
    if plan is not None and plan.nothing_to_do and all(
            st in ("skipped", "planned", "dry-run") for _, st in outcome.steps):
        return "Nothing to do: the environment already has this package."
    return "Dry run: nothing was changed." if any(
        st == "dry-run" for _, st in outcome.steps) else "Done."


def json_report(outcome: Outcome, environment: str, dry_run: bool) -> dict[str, Any]:
    plan = outcome.plan
    settings = plan.settings if plan else None
    return {
        "environment": environment,
        "scenario": plan.scenario if plan else None,
        "dry_run": dry_run,
        "status": STATUS.get(outcome.exit_code, "failed"),
        "exit_code": outcome.exit_code,
        "solutions": [{"uniquename": s.unique_name, "from": s.from_version,
                       "to": s.to_version, "action": s.action, "status": status,
                       "reason": s.reason} for s, status in outcome.steps],
        "settings": {
            "created": [r.name for r in settings.create] if settings else [],
            "kept": list(settings.kept) if settings else [],
            "updated": [r.name for _, r in settings.update] if settings else [],
            "unchanged": len(settings.unchanged) if settings else 0,
            "written": outcome.records_written,
        },
        "cif1_provider": "written" if plan and plan.provider else "unchanged",
        "virtual_tables": _virtual_json(plan.virtual, outcome) if plan and plan.virtual else None,
        "checks": outcome.checks,
        "warnings": outcome.warnings + outcome.checks,
        "errors": outcome.errors,
    }


def _virtual_plan(virtual: VirtualPlan) -> str:
    if virtual.skipped:
        return f"skip ({virtual.skipped})"
    said = {"link": "to link", "linked": "already linked"}
    tables = ", ".join(f"{name} {said.get(action, action)}" for name, action in virtual.tables)
    return (f"data source \"{SOURCE_NAME}\" {virtual.source_action} "
            f"({shown_uri(virtual.uri)}); {tables}")


def _virtual_done(virtual: VirtualPlan, outcome: Outcome) -> str:
    if virtual.skipped:
        return f"skipped: {virtual.skipped}"
    if virtual.writes and not outcome.virtual_written:
        return f"not written (planned: {_virtual_plan(virtual)})"
    done = {"create": "created", "update": "URL updated", "unchanged": "unchanged"}
    tables = ", ".join(f"{name} {'linked' if name in outcome.virtual_linked else 'already linked'}"
                       for name, _ in virtual.tables)
    return f"data source {done.get(virtual.source_action, virtual.source_action)}; {tables}"


def _virtual_json(virtual: VirtualPlan, outcome: Outcome) -> dict[str, Any]:
    return {
        "data_source": {"name": SOURCE_NAME, "id": virtual.source_id,
                        "uri": shown_uri(virtual.uri), "action": virtual.source_action},
        "tables": {name: action for name, action in virtual.tables},
        "linked": list(outcome.virtual_linked),
        "skipped": virtual.skipped,
        "written": outcome.virtual_written,
    }
