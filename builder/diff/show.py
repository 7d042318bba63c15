"""Show a `DiffReport`: plain text for a terminal, Markdown for release notes and pull request
comments, JSON for pipelines. Pure functions: a report in, a string out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from .core import Change, DiffReport

# Which heading each kind of change is listed under, in the order the headings appear.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Solutions", ("publisher", "solution")),
    ("Tables", ("table", "column", "choice value", "alternate key", "status reason")),
    ("Relationships", ("relationship",)),
    ("Choices", ("global choice",)),
    (
        "Forms",
        (
            "form",
            "form tab",
            "form section",
            "form field",
            "header field",
            "form subgrid",
            "form quick view",
            "form event",
        ),
    ),
    ("Views", ("view", "view column", "view filter", "view sort")),
    ("Security roles", ("role", "privilege")),
    (
        "Apps and site map",
        ("app", "app table", "app form", "app view", "app role", "site map entry"),
    ),
    ("Commands", ("command",)),
    ("Web resources", ("web resource",)),
    ("Custom APIs", ("custom api", "custom api parameter")),
    ("Environment variables", ("environment variable",)),
    ("Channel providers", ("channel provider (CIF 1.0)", "channel provider (CIF 2.0)")),
    (
        "Multisession templates",
        (
            "session template",
            "tab template",
            "template parameter",
            "notification template",
            "notification field",
        ),
    ),
    ("Default settings", ("setting",)),
    ("Kept as-is parts", ("kept-as-is part",)),
)
_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def grouped(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    """Changes under their section headings; kinds no section names go under 'Other'."""
    by_kind: dict[str, list[Change]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, []).append(change)
    out = []
    for title, kinds in SECTIONS:
        items = [c for kind in kinds for c in by_kind.pop(kind, [])]
        if items:
            out.append((title, items))
    rest = [c for kind in sorted(by_kind) for c in by_kind[kind]]
    if rest:
        out.append(("Other", rest))
    return out


def _flags(change: Change) -> str:
    flags = [
        f for f, on in (("upgrade", change.needs_upgrade), ("BREAKING", change.breaking)) if on
    ]
    return f" [{', '.join(flags)}]" if flags else ""


def summary_line(report: DiffReport) -> str:
    if not report.different:
        return "No differences."
    return (
        f"{len(report.changes)} change(s): {report.count('added')} added, "
        f"{report.count('removed')} removed, {report.count('changed')} changed. "
        f"Needs an upgrade: {'yes' if report.needs_upgrade else 'no'}. "
        f"Breaking for existing data: {'yes' if report.breaking else 'no'}."
    )


def render_text(report: DiffReport) -> str:
    lines = [
        f"{report.old.label} ({report.old.version}) -> {report.new.label} ({report.new.version})"
    ]
    for title, changes in grouped(report.changes):
        lines.append(f"\n{title}:")
        for c in changes:
            lines.append(f"  {_SIGN[c.action]} {c.kind} {c.path}: {c.detail}{_flags(c)}")
    lines.append("")
    lines.extend(f"warning: {p}" for p in report.version_problems)
    lines.extend(f"note: {n}" for n in report.notes)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Cell text that cannot break a Markdown table."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_markdown(report: DiffReport) -> str:
    lines = [
        f"## Changes from {_md(report.old.version)} to {_md(report.new.version)}",
        "",
        f"`{_md(report.old.label)}` → `{_md(report.new.label)}`",
        "",
        f"**{summary_line(report)}**",
        "",
    ]
    for problem in report.version_problems:
        lines += [f"> :warning: **Version:** {_md(problem)}", ""]
    for note in report.notes:
        lines += [f"> Note: {_md(note)}", ""]
    for title, changes in grouped(report.changes):
        lines += [
            f"### {title}",
            "",
            "| | Kind | Component | Change | Upgrade | Breaking |",
            "|---|---|---|---|---|---|",
        ]
        for c in changes:
            lines.append(
                f"| {_SIGN[c.action]} | {_md(c.kind)} | `{_md(c.path)}` | "
                f"{_md(c.detail)} | {'yes' if c.needs_upgrade else ''} | "
                f"{'**yes**' if c.breaking else ''} |"
            )
        lines.append("")
    return "\n".join(lines)


def report_data(report: DiffReport) -> dict[str, Any]:
    return {
        "old": asdict(report.old),
        "new": asdict(report.new),
        "different": report.different,
        "needs_upgrade": report.needs_upgrade,
        "breaking": report.breaking,
        "version_ok": not report.version_problems,
        "version_problems": list(report.version_problems),
        "notes": list(report.notes),
        "summary": {a: report.count(a) for a in ("added", "removed", "changed")},
        "changes": [asdict(c) for c in report.changes],
    }


def render_json(report: DiffReport) -> str:
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
