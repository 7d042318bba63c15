"""`fleet report`: one status table from the rows, as text, Markdown (a CI step summary),
JSON, or JUnit XML (one test case per environment, one suite per ring). HTML is page.py."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from .rows import Row, counts, spread

FORMATS = ("text", "json", "markdown", "junit", "html")


def headline(rows: list[Row]) -> str:
    found = ", ".join(f"{n} {s}" for s, n in counts(rows).items())
    return f"{len(rows)} environment(s): {found or 'none'}"


def text_report(rows: list[Row]) -> str:
    lines = [headline(rows), "versions: " + ", ".join(f"{v} ({n})" for v, n in spread(rows)), ""]
    width = max([len(r.name) for r in rows] + [11])
    lines.append(f"{'ring':<5} {'environment':<{width}} {'status':<13} {'version':<18} summary")
    for row in rows:
        ring = "-" if row.ring is None else str(row.ring)
        lines.append(
            f"{ring:<5} {row.name:<{width}} {row.status:<13} {row.version:<18} {row.summary}"
        )
    for row in rows:
        details = _details(row)
        if details:
            lines += ["", f"{row.name} ({row.status}):"] + [f"  {d}" for d in details]
    return "\n".join(lines) + "\n"


def _details(row: Row) -> list[str]:
    return (
        [f"error: {e}" for e in row.errors]
        + [f"warning: {w}" for w in row.warnings]
        + ([f"settings changed by an administrator: {', '.join(row.drift)}"] if row.drift else [])
        + [f"unmanaged layer over {x}" for x in row.layers]
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_report(rows: list[Row]) -> str:
    lines = [
        "## Fleet",
        "",
        headline(rows),
        "",
        "Versions: " + ", ".join(f"`{v}` ({n})" for v, n in spread(rows)),
        "",
        "| ring | environment | status | version | summary |",
        "|---:|---|---|---|---|",
    ]
    for row in rows:
        ring = "" if row.ring is None else str(row.ring)
        lines.append(
            f"| {ring} | {_cell(row.name)} | **{row.status}** | {_cell(row.version)} | "
            f"{_cell(row.summary)} |"
        )
    detailed = [r for r in rows if _details(r)]
    if detailed:
        lines += ["", "### Diagnostics", ""]
        for row in detailed:
            lines.append(f"- **{_cell(row.name)}** ({row.status})")
            lines += [f"  - {_cell(d)}" for d in _details(row)]
    return "\n".join(lines) + "\n"


def json_report(rows: list[Row]) -> str:
    return (
        json.dumps(
            {
                "summary": {
                    "environments": len(rows),
                    "status": counts(rows),
                    "versions": dict(spread(rows)),
                },
                "environments": [r.to_json() for r in rows],
            },
            indent=2,
        )
        + "\n"
    )


def junit_report(rows: list[Row]) -> str:
    suites = ET.Element(
        "testsuites",
        name="voicepkg fleet",
        tests=str(len(rows)),
        failures=str(sum(r.failing for r in rows)),
    )
    for ring in sorted({r.ring for r in rows}, key=lambda x: -1 if x is None else x):
        members = [r for r in rows if r.ring == ring]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"ring {ring}",
            tests=str(len(members)),
            failures=str(sum(r.failing for r in members)),
            skipped=str(sum(r.status in ("skipped", "running") for r in members)),
        )
        for row in members:
            case = ET.SubElement(suite, "testcase", name=row.name, classname=f"fleet.ring{ring}")
            if row.failing:
                failure = ET.SubElement(
                    case, "failure", message=(row.errors or (row.summary,))[0], type=row.status
                )
                failure.text = "\n".join(_details(row))
            elif row.status in ("skipped", "running"):
                ET.SubElement(case, "skipped", message=row.summary or row.status)
            if row.warnings or row.drift or row.layers:
                ET.SubElement(case, "system-out").text = "\n".join(_details(row))
    text = ET.tostring(suites, encoding="unicode", xml_declaration=True)
    return _NOT_XML.sub("\ufffd", text) + "\n"


# Characters XML 1.0 cannot carry, even escaped (ElementTree writes them through as they are);
# a server's message may hold one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
