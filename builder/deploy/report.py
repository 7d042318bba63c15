"""What deploy tells people and pipelines: the plan before anything changes, a summary after,
and with --json one JSON object (stable keys) for machines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..errors import Diagnostic
from ..exits import REFUSED, RUNNING, status_word
from .apply import Outcome
from .checks import Finding
from .package_contents import Package
from .plan import Plan, SolutionStep
from .settings import SettingsPlan
from .virtual import SOURCE_NAME, VirtualPlan, shown_uri

REPORT_VERSION = 1
ARROW = "->"


def plan_lines(plan: Plan) -> list[str]:
    lines = [f"Plan for {plan.environment.split('/api/data/')[0]} (scenario {plan.scenario}):"]
    for step in plan.steps:
        versions = f"{step.from_version or '-'} {ARROW} {step.to_version}"
        lines.append(f"  {step.unique_name:<28} {step.action:<8} {versions:<24} {step.reason}")
    s = plan.settings
    lines.append(
        f"  settings: {len(s.create)} to create, {len(s.update)} new defaults, "
        f"{len(s.kept)} changed by an administrator kept, {len(s.unchanged)} unchanged"
        + (f", from the settings file: {', '.join(s.assigned)}" if s.assign else "")
    )
    if plan.provider is not None:
        lines.append("  CIF 1.0 provider record: write (apps and roles left alone)")
    if plan.virtual is not None:
        lines.append(f"  virtual tables: {_virtual_plan(plan.virtual)}")
    for solution, values in sorted(plan.env_values.items()):
        if values:
            lines.append(f"  {solution}: environment variables {', '.join(sorted(values))}")
    if plan.env_writes:
        lines.append(
            "  environment variables set without an import (same version installed): "
            + ", ".join(schema for schema, _ in plan.env_writes)
        )
    lines += [f"  refused: {r}" for r in plan.refusals]
    return lines


def summary_lines(outcome: Outcome) -> list[str]:
    lines = []
    for step, status in outcome.steps:
        lines.append(
            f"{step.unique_name}: {step.action} {step.from_version or '-'} {ARROW} "
            f"{step.to_version}: {status}"
        )
    if outcome.plan is not None:
        s = outcome.plan.settings
        counts = f"{len(s.create)} created, {len(s.kept)} kept, {len(s.update)} updated"
        writes = s.create or s.update
        lines.append(
            f"settings: {counts}"
            if outcome.records_written or not writes
            else f"settings: not written (planned: {counts})"
        )
        if outcome.plan.env_writes:
            done = "set" if outcome.records_written else "not set (planned)"
            lines.append(
                f"environment variables {done} without an import: "
                + ", ".join(schema for schema, _ in outcome.plan.env_writes)
            )
        if outcome.plan.virtual is not None:
            lines.append(f"virtual tables: {_virtual_done(outcome.plan.virtual, outcome)}")
    for item in outcome.diagnostics:
        if item.severity == "warning":
            lines.append(f"warning: {item.message}" + (f". {item.hint}" if item.hint else ""))
        else:
            lines.append(f"error: {item}")
    lines.append(_verdict(outcome))
    return lines


def _verdict(outcome: Outcome) -> str:
    if outcome.exit_code == REFUSED:
        return "Refused: nothing was changed."
    if outcome.exit_code == RUNNING:
        return "Still running at the timeout: run the same command again to follow it."
    if outcome.exit_code:
        return "Failed."
    plan = outcome.plan
    if (
        plan is not None
        and plan.nothing_to_do
        and all(st in ("skipped", "planned", "dry-run") for _, st in outcome.steps)
    ):
        return "Nothing to do: the environment already has this package."
    return (
        "Dry run: nothing was changed."
        if any(st == "dry-run" for _, st in outcome.steps)
        else "Done."
    )


@dataclass(frozen=True)
class RunInfo:
    """What every deploy and doctor report says about the run itself."""

    command: str  # "deploy" | "doctor"
    environment: str
    started: float  # wall-clock seconds since 1970
    finished: float
    package: Package | None = None
    dry_run: bool = False


def envelope(run: RunInfo, exit_code: int, diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """The keys deploy and doctor reports share (docs/deploy.md, "The JSON report")."""
    package = run.package
    items = [_diagnostic_json(d, run.command) for d in diagnostics]
    return {
        "report": run.command,
        "report_version": REPORT_VERSION,
        "tool": {"name": "voicepkg", "version": tool_version()},
        "environment": run.environment,
        "package": {
            "name": package.name,
            "version": package.version,
            "sha256": package.sha256 or None,
            "source": package.label,
        }
        if package
        else None,
        "started_at": iso_time(run.started),
        "finished_at": iso_time(run.finished),
        "duration_seconds": round(max(0.0, run.finished - run.started), 3),
        "dry_run": run.dry_run,
        "status": status_word(exit_code),
        "exit_code": exit_code,
        "diagnostics": items,
        "counts": {
            "errors": sum(d["severity"] == "error" for d in items),
            "warnings": sum(d["severity"] == "warning" for d in items),
        },
    }


def json_report(outcome: Outcome, run: RunInfo) -> dict[str, Any]:
    plan = outcome.plan
    settings = plan.settings if plan else SettingsPlan()
    written = settings.writes if outcome.records_written else 0
    out = envelope(run, outcome.exit_code, outcome.diagnostics)
    out |= {
        "scenario": plan.scenario if plan else None,
        "solutions": [
            _solution_json(index, step, status, outcome)
            for index, (step, status) in enumerate(outcome.steps)
        ],
        "settings": {
            "created": [r.name for r in settings.create],
            "updated": [r.name for _, r in settings.update],
            "kept": list(settings.kept),
            "assigned": list(settings.assigned),
            "unchanged": len(settings.unchanged),
            "written": written,
        },
        "environment_variables": {
            "with_import": sorted(
                {k for v in (plan.env_values.values() if plan else ()) for k in v}
            ),
            "set_directly": [schema for schema, _ in plan.env_writes] if plan else [],
            "written": outcome.records_written > 0 and bool(plan and plan.env_writes),
        },
        "cif1_provider": (
            "unchanged"
            if not (plan and plan.provider)
            else "written"
            if outcome.records_written
            else "not written"
        ),
        "virtual_tables": _virtual_json(plan.virtual, outcome) if plan and plan.virtual else None,
        "checks": [finding_json(f) for f in outcome.checks],
    }
    return out


def _solution_json(index: int, step: SolutionStep, status: str, outcome: Outcome) -> dict[str, Any]:
    handles = outcome.handles.get(index)
    seconds = outcome.seconds.get(index)
    return {
        "uniquename": step.unique_name,
        "from": step.from_version,
        "to": step.to_version,
        "action": step.action,
        "status": status,
        "reason": step.reason,
        "import_job_key": (handles.import_job_key or None) if handles else None,
        "async_operation_id": (handles.async_operation_id or None) if handles else None,
        "duration_seconds": round(seconds, 3) if seconds is not None else None,
        "removed": [
            {"type": r.kind, "name": r.name, "holds_data": r.holds_data} for r in step.removed
        ],
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "name": finding.name,
        "ok": finding.ok,
        "message": finding.detail(),
        "instruction": finding.instruction,
    }


def _diagnostic_json(item: Diagnostic, command: str) -> dict[str, Any]:
    data = item.to_json()
    if data["file"] == "deploy":  # deploy's library names no file; say which command it was
        data["file"] = command
    return data


def tool_version() -> str:
    try:
        return version("voicepkg")
    except PackageNotFoundError:
        return "unknown"


def iso_time(seconds: float) -> str:
    return (
        datetime.fromtimestamp(seconds, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def _virtual_plan(virtual: VirtualPlan) -> str:
    if virtual.skipped:
        return f"skip ({virtual.skipped})"
    said = {"link": "to link", "linked": "already linked"}
    tables = ", ".join(f"{name} {said.get(action, action)}" for name, action in virtual.tables)
    return (
        f'data source "{SOURCE_NAME}" {virtual.source_action} ({shown_uri(virtual.uri)}); {tables}'
    )


def _virtual_done(virtual: VirtualPlan, outcome: Outcome) -> str:
    if virtual.skipped:
        return f"skipped: {virtual.skipped}"
    if virtual.writes and not outcome.virtual_written:
        return f"not written (planned: {_virtual_plan(virtual)})"
    done = {"create": "created", "update": "URL updated", "unchanged": "unchanged"}
    tables = ", ".join(
        f"{name} {'linked' if name in outcome.virtual_linked else 'already linked'}"
        for name, _ in virtual.tables
    )
    return f"data source {done.get(virtual.source_action, virtual.source_action)}; {tables}"


def _virtual_json(virtual: VirtualPlan, outcome: Outcome) -> dict[str, Any]:
    return {
        "data_source": {
            "name": SOURCE_NAME,
            "id": virtual.source_id,
            "uri": shown_uri(virtual.uri),
            "action": virtual.source_action,
        },
        "tables": {name: action for name, action in virtual.tables},
        "linked": list(outcome.virtual_linked),
        "skipped": virtual.skipped,
        "written": outcome.virtual_written,
    }
