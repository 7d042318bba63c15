"""`fleet report --format html`: one static page a release manager opens. No script, no
outside resources: the environments by ring with their status, the version spread, failures
first with their diagnostics, settings drift and unmanaged-layer warnings. Every value from
an environment is escaped."""

from __future__ import annotations

from html import escape

from .report import headline
from .rows import Row, spread

COLOURS = {
    "failed": "#b42318",
    "refused": "#b42318",
    "halted": "#b54708",
    "running": "#175cd3",
    "warning": "#b54708",
    "changes": "#175cd3",
    "skipped": "#667085",
    "nothing to do": "#067647",
    "ok": "#067647",
    "done": "#067647",
}
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #101828; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #eaecf0;
         vertical-align: top; }
.status { color: #fff; border-radius: .6rem; padding: .05rem .55rem; white-space: nowrap; }
.bar { display: inline-block; height: .8rem; background: #175cd3; margin-right: .4rem; }
.failure { border-left: 4px solid #b42318; padding: .3rem .8rem; margin: .6rem 0;
           background: #fef3f2; }
.warn { border-left: 4px solid #b54708; padding: .3rem .8rem; margin: .6rem 0;
        background: #fffaeb; }
ul { margin: .2rem 0; }
"""


def html_page(rows: list[Row], title: str = "Voice for Dynamics 365: fleet status") -> str:
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p id='headline'>{escape(headline(rows))}</p>",
        _spread(rows),
        _failures(rows),
        _warnings(rows),
    ]
    for ring in sorted({r.ring for r in rows}, key=lambda x: 99 if x is None else x):
        parts.append(_ring(ring, [r for r in rows if r.ring == ring]))
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"


def _badge(status: str) -> str:
    colour = COLOURS.get(status, "#b42318")
    return f"<span class='status' style='background:{colour}'>{escape(status)}</span>"


def _spread(rows: list[Row]) -> str:
    most = max([n for _, n in spread(rows)] + [1])
    items = "".join(
        f"<tr><td>{escape(v)}</td><td><span class='bar' style='width:"
        f"{max(2, 240 * n // most)}px'></span>{n}</td></tr>"
        for v, n in spread(rows)
    )
    return (
        f"<h2>Version spread</h2><table id='versions'><tr><th>version</th>"
        f"<th>environments</th></tr>{items}</table>"
    )


def _failures(rows: list[Row]) -> str:
    """Each failed or refused environment with its diagnostics; those a halt kept from
    starting together, by reason."""
    failing = [r for r in rows if r.failing and r.status != "halted"]
    halted = [r for r in rows if r.status == "halted"]
    if not failing and not halted:
        return "<h2>Failures</h2><p id='failures'>None.</p>"
    blocks = "".join(
        f"<div class='failure'><strong>{escape(r.name)}</strong> (ring {escape(str(r.ring))}) "
        f"{_badge(r.status)}<ul>"
        + "".join(f"<li>{escape(e)}</li>" for e in (r.errors or (r.summary,)))
        + "</ul></div>"
        for r in failing
    )
    for reason in dict.fromkeys(r.summary for r in halted):
        names = ", ".join(r.name for r in halted if r.summary == reason)
        count = sum(r.summary == reason for r in halted)
        blocks += (
            f"<div class='failure halted'>{_badge('halted')} {count} not started: "
            f"{escape(reason)}<ul><li>{escape(names)}</li></ul></div>"
        )
    return f"<h2>Failures</h2><div id='failures'>{blocks}</div>"


def _warnings(rows: list[Row]) -> str:
    noted = [r for r in rows if r.drift or r.layers]
    if not noted:
        return ""
    blocks = "".join(
        f"<div class='warn'><strong>{escape(r.name)}</strong><ul>"
        + "".join(f"<li>unmanaged layer over {escape(x)}</li>" for x in r.layers)
        + (
            f"<li>settings changed by an administrator: {escape(', '.join(r.drift))}</li>"
            if r.drift
            else ""
        )
        + "</ul></div>"
        for r in noted
    )
    return f"<h2>Drift and layers</h2><div id='drift'>{blocks}</div>"


def _ring(ring: int | None, rows: list[Row]) -> str:
    label = "no ring" if ring is None else f"Ring {ring}"
    body = "".join(
        f"<tr><td>{escape(r.name)}</td><td>{_badge(r.status)}</td><td>{escape(r.version)}</td>"
        f"<td>{escape(r.summary)}</td></tr>"
        for r in rows
    )
    return (
        f"<h2>{escape(label)}</h2><table class='ring'><tr><th>environment</th><th>status</th>"
        f"<th>version</th><th>summary</th></tr>{body}</table>"
    )
