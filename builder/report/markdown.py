"""Markdown for pull requests, release notes and GitHub's step summary: validate's counts and
findings, deploy's plan and result, doctor's checks, configure's changes (from their JSON
report dicts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import Diagnostic

SHOWN = 50  # findings listed in a summary; the counts always cover all


def cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def validate_markdown(label: str, diagnostics: Iterable[Diagnostic]) -> str:
    found = list(diagnostics)
    errors = sum(d.severity == "error" for d in found)
    lines = [
        f"### voicepkg validate `{label}`",
        "",
        f"**{errors} error{'s' * (errors != 1)}, {len(found) - errors} "
        f"warning{'s' * (len(found) - errors != 1)}**",
        "",
    ]
    if found:
        lines += ["| severity | code | where | message |", "|---|---|---|---|"]
        for d in found[:SHOWN]:
            where = f"{d.file}:{d.line}" if d.line else d.file
            lines.append(f"| {d.severity} | {d.code} | `{cell(where)}` | {cell(d.message)} |")
        if len(found) > SHOWN:
            lines += ["", f"… and {len(found) - SHOWN} more (`voicepkg validate` lists all)"]
    return "\n".join(lines) + "\n"


def deploy_markdown(report: dict[str, Any]) -> str:
    settings = report.get("settings") or {}
    lines = [
        f"### voicepkg deploy `{report.get('environment')}`",
        "",
        f"**{report.get('status')}** (exit code {report.get('exit_code')}, scenario "
        f"{report.get('scenario') or '-'}{', dry run' if report.get('dry_run') else ''})",
        "",
        "| solution | action | from | to | status | reason |",
        "|---|---|---|---|---|---|",
    ]
    for s in report.get("solutions", []):
        lines.append(
            f"| {cell(s.get('uniquename'))} | {s.get('action')} | {s.get('from') or '-'}"
            f" | {s.get('to')} | {s.get('status')} | {cell(s.get('reason') or '')} |"
        )
    lines += [
        "",
        f"Settings: {len(settings.get('created', []))} created, "
        f"{len(settings.get('updated', []))} updated, {len(settings.get('kept', []))} "
        f"kept (changed by an administrator), {settings.get('unchanged', 0)} unchanged.",
    ]
    lines += _items("Errors", _said(report, "error"))
    lines += _items("Warnings", _said(report, "warning"))
    return "\n".join(lines) + "\n"


def doctor_markdown(report: dict[str, Any]) -> str:
    checks = report.get("checks", [])
    failed = sum(not c.get("ok") for c in checks)
    lines = [
        f"### voicepkg doctor `{report.get('environment')}`",
        "",
        f"**{failed} of {len(checks)} checks need attention**"
        if failed
        else f"**all {len(checks)} checks pass**",
        "",
        "| check | ok | message | what to do |",
        "|---|---|---|---|",
    ]
    for c in checks:
        lines.append(
            f"| {cell(c.get('name'))} | {'yes' if c.get('ok') else '**no**'} | "
            f"{cell(c.get('message'))} | {cell(c.get('instruction') or '')} |"
        )
    if not checks:
        lines += _items("Errors", _said(report, "error"))
    return "\n".join(lines) + "\n"


def configure_markdown(report: dict[str, Any]) -> str:
    """configure's JSON report (builder/configure/report.py) as Markdown."""
    changes = report.get("changes", [])
    lines = [
        f"### voicepkg configure `{report.get('environment')}`",
        "",
        f"**{report.get('status')}** (exit code {report.get('exit_code')}, "
        f"{report.get('writes', 0)} write(s){', dry run' if report.get('dry_run') else ''})",
        "",
    ]
    if changes:
        lines += ["| step | action | target | detail | status |", "|---|---|---|---|---|"]
        lines += [
            f"| {cell(c.get('step'))} | {cell(c.get('action'))} | {cell(c.get('target'))} | "
            f"{cell(c.get('detail') or '')} | {c.get('status')} |"
            for c in changes
        ]
    else:
        lines.append("Nothing to change: the environment is configured.")
    lines += _items("Names that do not resolve (nothing was changed)", report.get("problems", []))
    lines += _items("Still without an Enreach User Id", report.get("users_without_id", []))
    lines += _items("Errors", report.get("errors", []))
    lines += _items("Warnings", report.get("warnings", []))
    return "\n".join(lines) + "\n"


def _said(report: dict[str, Any], severity: str) -> list[str]:
    return [
        f"{d.get('code')}: {d.get('message')}" + (f" (hint: {d['hint']})" if d.get("hint") else "")
        for d in report.get("diagnostics", [])
        if d.get("severity") == severity
    ]


def _items(title: str, items: list[Any]) -> list[str]:
    return ["", f"{title}:", "", *[f"- {cell(i)}" for i in items]] if items else []
