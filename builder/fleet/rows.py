"""One row per environment, from whatever describes it: a `fleet deploy` report, a plain
`voicepkg deploy --json` report (matched to the fleet file by URL), or `fleet status` /
`fleet plan` output. Pure; report.py and page.py render the rows."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import BuildError
from .fleetfile import Fleet

# worst first: the order a release manager reads them in
SEVERITY = (
    "failed",
    "refused",
    "halted",
    "running",
    "warning",
    "changes",
    "skipped",
    "nothing to do",
    "ok",
    "done",
)
FAILING = frozenset({"failed", "refused", "halted"})
MAX_REPORT_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    name: str
    ring: int | None
    url: str
    status: str
    versions: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    drift: tuple[str, ...] = ()  # settings an administrator changed (from fleet status)
    layers: tuple[str, ...] = ()  # unmanaged layers over our components
    kind: str = "deploy"  # what it came from: deploy, status or plan
    read: bool = False  # the environment was read (its versions are known, maybe none)

    @property
    def failing(self) -> bool:
        return self.status in FAILING

    @property
    def version(self) -> str:
        shown = sorted(set(self.versions.values()))
        if shown:
            return " / ".join(shown)
        return "not installed" if self.read else "unknown"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ring": self.ring,
            "url": self.url,
            "status": self.status,
            "versions": self.versions,
            "summary": self.summary,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "changed_settings": list(self.drift),
            "layers": list(self.layers),
        }


def read_rows(paths: list[Path], fleet: Fleet | None) -> list[Row]:
    """One row per environment. For an environment in several files, a deploy report's
    status wins over status or plan output (else the later file's), and warnings, drift and
    layers add up."""
    rows: dict[str, Row] = {}
    for path in paths:
        for item in _items(path):
            row = to_row(item, fleet, path.stem)
            rows[row.name] = combine(rows[row.name], row) if row.name in rows else row
    return ordered(list(rows.values()))


def combine(earlier: Row, later: Row) -> Row:
    def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a + b))

    first, second = (later, earlier) if earlier.kind == "deploy" != later.kind else (earlier, later)
    return replace(
        second,
        ring=second.ring if second.ring is not None else first.ring,
        versions=second.versions or first.versions,
        read=first.read or second.read,
        warnings=union(first.warnings, second.warnings),
        drift=union(first.drift, second.drift),
        layers=union(first.layers, second.layers),
    )


def _items(path: Path) -> list[dict[str, Any]]:
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise ValueError(f"larger than {MAX_REPORT_BYTES} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BuildError.at(
            "FLT040",
            f"not a report: {error}",
            file=str(path),
            hint="pass the JSON reports of deploy --json, fleet deploy, "
            "or fleet status/plan --format json",
        ) from None
    if isinstance(data, dict) and isinstance(data.get("environments"), list):
        return [e for e in data["environments"] if isinstance(e, dict)]
    if isinstance(data, dict) and ("environment" in data or "kind" in data):
        return [data]
    raise BuildError.at(
        "FLT040", "not a report of deploy, fleet deploy, status or plan", file=str(path)
    )


def to_row(item: dict[str, Any], fleet: Fleet | None, fallback: str) -> Row:
    if item.get("kind") in ("status", "plan"):
        return _fleet_row(item)
    return _deploy_row(item, fleet, fallback)


def _fleet_row(item: dict[str, Any]) -> Row:
    layers = tuple(
        f"{x.get('solution')} {x.get('kind')} {x.get('component')}"
        for x in item.get("layers") or []
    )
    if item["kind"] == "plan":
        summary = "; ".join(
            f"{s['uniquename']} {s['action']} {s.get('from') or '-'} -> {s['to']}"
            for s in item.get("steps") or []
        )
        extra = [f"data loss: {d}" for d in item.get("data_loss") or []] + [
            f"missing value: {m}" for m in item.get("missing_settings") or []
        ]
    else:
        summary = f"scenario {item.get('scenario')}" + (
            ", behind the package" if item.get("behind") else ""
        )
        extra = []
    return Row(
        str(item["name"]),
        item.get("ring"),
        str(item.get("url", "")),
        str(item.get("status", "failed")),
        _installed(item.get("installed") or {}),
        summary,
        tuple(item.get("errors") or ()),
        tuple(extra + list(item.get("warnings") or ())),
        tuple(item.get("changed_settings") or ()),
        layers,
        str(item["kind"]),
        item.get("status") != "failed",
    )


def _deploy_row(item: dict[str, Any], fleet: Fleet | None, fallback: str) -> Row:
    found = item.get("fleet")
    key: dict[str, Any] = found if isinstance(found, dict) else {}
    url = str(item.get("environment") or "")
    env = next((e for e in fleet.environments if e.url == url), None) if fleet else None
    name = str(key.get("name") or (env.name if env else fallback))
    ring = key.get("ring", env.ring if env else None)
    status = str(item.get("status") or "failed")
    status = "failed" if status == "usage" else status
    solutions = [s for s in item.get("solutions") or [] if isinstance(s, dict)]
    versions = {
        str(s.get("uniquename")): str(
            s.get("to") if s.get("status") in ("done", "skipped") else s.get("from") or ""
        )
        for s in solutions
    }
    summary = str(
        key.get("reason")
        or "; ".join(
            f"{s.get('uniquename')} {s.get('action')} {s.get('from') or '-'} -> {s.get('to')}: "
            f"{s.get('status')}"
            for s in solutions
        )
    )
    if key.get("earlier"):
        summary = "done in an earlier run; " + summary
    diagnostics = [d for d in item.get("diagnostics") or () if isinstance(d, dict)]
    errors = tuple(_said(d) for d in diagnostics if d.get("severity") == "error")
    warnings = tuple(
        _said(d)
        for d in diagnostics
        if d.get("severity") != "error" and d.get("message") != key.get("reason")
    )
    return Row(
        name,
        ring,
        url,
        status,
        {k: v for k, v in versions.items() if v},
        summary,
        errors,
        warnings,
        read=bool(solutions),
    )


def _said(item: dict[str, Any]) -> str:
    """A diagnostic of a report as one line: code, message, hint."""
    text = f"{item.get('code', '')}: {item.get('message', '')}".lstrip(": ")
    return f"{text} (hint: {item['hint']})" if item.get("hint") else text


def _installed(installed: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in installed.items() if not k.endswith("_Upgrade")}


def ordered(rows: list[Row]) -> list[Row]:
    """Failures first, then by ring and name."""

    def rank(row: Row) -> tuple[int, int, str]:
        severity = SEVERITY.index(row.status) if row.status in SEVERITY else 0
        return severity, row.ring if row.ring is not None else 99, row.name

    return sorted(rows, key=rank)


def spread(rows: list[Row]) -> list[tuple[str, int]]:
    """How many environments run each version, most common first."""
    return Counter(r.version for r in rows).most_common()


def counts(rows: list[Row]) -> dict[str, int]:
    found = Counter(r.status for r in rows)
    return {s: found[s] for s in SEVERITY if found[s]} | {
        s: n for s, n in found.items() if s not in SEVERITY
    }
