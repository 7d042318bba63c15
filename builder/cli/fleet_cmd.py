"""`voicepkg fleet status|plan|deploy|matrix|report`: thin click commands over builder.fleet."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..archive.writer import write_atomic
from ..config import load_config
from ..deploy import clock as clocks
from ..deploy.plan import MODES, Options
from ..deploy.secrets import mask
from ..exits import exit_code
from ..fleet.fleetfile import Environment, Fleet, Halt, load_fleet
from ..fleet.matrix import ENGINES, job_matrix, matrix_markdown, matrix_text
from ..fleet.page import html_page
from ..fleet.preview import fleet_plan
from ..fleet.report import (
    FORMATS,
    json_report,
    junit_report,
    markdown_report,
    text_report,
)
from ..fleet.rollout import Rollout, fleet_exit_code, roll_out
from ..fleet.rows import Row, ordered, read_rows, to_row
from ..fleet.status import fleet_status
from .deploy_cmd import load_package, package_options, timeout_option
from .output import format_option

RENDER: dict[str, Callable[[list[Row]], str]] = {
    "text": text_report,
    "markdown": markdown_report,
    "json": json_report,
    "junit": junit_report,
    "html": html_page,
}


def fleet_path(given: Path | None) -> Path:
    """--fleet, else `fleet` of the project configuration ([tool.voicepkg] in pyproject.toml
    or voicepkg.toml), else ./fleet.toml."""
    return given or load_config().fleet or Path("fleet.toml")


def common(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(
        [
            click.option(
                "--fleet",
                "fleet_file",
                type=click.Path(path_type=Path),
                default=None,
                help="The fleet file (default: [tool.voicepkg] fleet, else fleet.toml).",
            ),
            click.option("--ring", type=int, default=None, help="Only this ring."),
            click.option(
                "--jobs",
                type=click.IntRange(1, 256),
                default=None,
                help="Environments at a time (default: the fleet file's jobs).",
            ),
        ]
    ):
        command = option(command)
    return command


def upgrade_options(command: Callable[..., None]) -> Callable[..., None]:
    """`--mode` and `--allow-data-loss`, as deploy has them (fleet plan and fleet deploy)."""
    for option in reversed(
        [
            click.option(
                "--mode",
                type=click.Choice(MODES),
                default="auto",
                show_default=True,
                help="How each environment gets a newer version (as deploy --mode).",
            ),
            click.option(
                "--allow-data-loss",
                is_flag=True,
                help="Let upgrades delete tables and columns the package no longer has, "
                "with their data (otherwise such an environment is refused).",
            ),
        ]
    ):
        command = option(command)
    return command


def output_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the output here (atomically) instead of stdout.",
    )(command)
    return format_option(*FORMATS)(command)


def _select(fleet: Fleet, ring: int | None) -> list[Environment]:
    if ring is not None and ring not in fleet.rings:
        raise click.BadParameter(
            f"ring {ring} is not in the fleet file ({', '.join(map(str, sorted(fleet.rings)))})",
            param_hint="--ring",
        )
    return [e for e in fleet.environments if (ring is None or e.ring == ring) and not e.excluded]


def _emit(rows: list[Row], raw: dict[str, Any] | None, fmt: str, out: Path | None) -> None:
    """Secrets are masked in the values, before rendering, so no markup is ever cut."""
    text = (
        mask(json.dumps(raw, indent=2)) + "\n"
        if fmt == "json" and raw is not None
        else RENDER[fmt]([masked(r) for r in rows])
    )
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text.encode("utf-8"))
        click.echo(f"wrote {out}", err=True)


def masked(row: Row) -> Row:
    def each(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(mask(i) for i in items)

    return replace(
        row,
        name=mask(row.name),
        url=mask(row.url),
        summary=mask(row.summary),
        errors=each(row.errors),
        warnings=each(row.warnings),
        drift=each(row.drift),
        layers=each(row.layers),
    )


def _progress(label: str) -> Callable[[dict[str, Any]], None]:
    def said(item: dict[str, Any]) -> None:
        key = item.get("fleet") or item
        click.echo(
            mask(f"{label} ring {key.get('ring')} {key.get('name')}: {item.get('status')}"),
            err=True,
        )

    return said


def _collect(
    rows: Iterable[dict[str, Any]],
    said: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        said(row)
        out.append(row)
    return sorted(out, key=lambda r: (r.get("ring", 0), r.get("name", "")))


@click.group("fleet")
def fleet() -> None:
    """Many environments: status, plan, deploy by rings, CI matrices, one report."""


@fleet.command("status")
@common
@package_options
@timeout_option(300.0, "Seconds per environment before its row fails.")
@output_options
def status(
    fleet_file: Path | None,
    ring: int | None,
    jobs: int | None,
    package: Path | None,
    from_source: bool,
    src: Path,
    timeout: float,
    fmt: str,
    out: Path | None,
) -> None:
    """Read every environment (GET only): versions, leftovers, checks, drift, layers."""
    fleet_ = load_fleet(fleet_path(fleet_file))
    envs = _select(fleet_, ring)
    reference = load_package(package, from_source, src)
    found = _collect(
        fleet_status(
            envs, reference, dict(os.environ), clocks.default_clock(), jobs or fleet_.jobs, timeout
        ),
        _progress("status"),
    )
    rows = ordered([to_row(r, fleet_, r["name"]) for r in found])
    _emit(rows, {"kind": "fleet status", "environments": found}, fmt, out)
    code = exit_code(failed=any(r["status"] == "failed" for r in found))
    if code:
        sys.exit(code)


@fleet.command("plan")
@click.argument("package", type=click.Path(path_type=Path))
@common
@upgrade_options
@timeout_option(300.0, "Seconds per environment before its row fails.")
@output_options
def plan(
    package: Path,
    fleet_file: Path | None,
    ring: int | None,
    jobs: int | None,
    mode: str,
    allow_data_loss: bool,
    timeout: float,
    fmt: str,
    out: Path | None,
) -> None:
    """What deploy would do in each environment; nothing is changed."""
    fleet_ = load_fleet(fleet_path(fleet_file))
    envs = _select(fleet_, ring)
    reference = load_package(package, False, Path())
    found = _collect(
        fleet_plan(
            envs,
            reference,
            dict(os.environ),
            clocks.default_clock(),
            jobs or fleet_.jobs,
            timeout,
            Options("auto", mode, allow_data_loss),
        ),
        _progress("plan"),
    )
    rows = ordered([to_row(r, fleet_, r["name"]) for r in found])
    _emit(rows, {"kind": "fleet plan", "environments": found}, fmt, out)
    statuses = {r["status"] for r in found}
    sys.exit(exit_code(failed="failed" in statuses, refused="refused" in statuses))


@fleet.command("deploy")
@click.argument("package", type=click.Path(path_type=Path))
@common
@upgrade_options
@click.option(
    "--max-failures",
    type=click.IntRange(min=0),
    default=None,
    help="Halt when more than N environments of a ring fail.",
)
@click.option(
    "--max-share",
    type=click.FloatRange(0, 1, max_open=True),
    default=None,
    help="Halt when more than this share of a ring fails (0.2 = 20%).",
)
@click.option(
    "--reports",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fleet-reports"),
    show_default=True,
    help="One JSON report per environment; a rerun continues from them.",
)
@timeout_option(3600.0, "Seconds per environment, as deploy's --timeout.")
@output_options
def deploy(
    package: Path,
    fleet_file: Path | None,
    ring: int | None,
    jobs: int | None,
    mode: str,
    allow_data_loss: bool,
    max_failures: int | None,
    max_share: float | None,
    reports: Path,
    timeout: float,
    fmt: str,
    out: Path | None,
) -> None:
    """Deploy ring by ring; halt on failures; skip closed maintenance windows."""
    fleet_ = load_fleet(fleet_path(fleet_file))
    _select(fleet_, ring)
    halt = (
        Halt(max_failures, max_share)
        if max_failures is not None or max_share is not None
        else fleet_.halt
    )
    options = Rollout(
        halt,
        jobs or fleet_.jobs,
        timeout,
        clocks.poll_interval(),
        ring,
        mode,
        allow_data_loss,
        reports,
    )
    found = roll_out(
        fleet_,
        load_package(package, False, Path()),
        dict(os.environ),
        clocks.default_clock(),
        options,
        _progress("deploy"),
    )
    rows = ordered([to_row(r, fleet_, r["fleet"]["name"]) for r in found])
    _emit(rows, {"kind": "fleet deploy", "environments": found}, fmt, out)
    code = fleet_exit_code(found)
    if code:
        sys.exit(code)


@fleet.command("matrix")
@click.option(
    "--engine", type=click.Choice(ENGINES), required=True, help="Which CI the matrix is for."
)
@common
@format_option("text", "json", "markdown", default="json")
def matrix(
    engine: str, fleet_file: Path | None, ring: int | None, jobs: int | None, fmt: str
) -> None:
    """The CI job matrix (one job per environment): by default one JSON object on one line,
    for the engine; text and markdown list the jobs for people."""
    path = fleet_path(fleet_file)
    fleet_ = load_fleet(path)
    _select(fleet_, ring)
    data, left = job_matrix(fleet_, engine, ring, clocks.default_clock().wall(), path.parent, jobs)
    if fmt != "json":
        shown = matrix_text if fmt == "text" else matrix_markdown
        click.echo(shown(data, left), nl=False)
        return
    for reason in left:
        click.echo(f"no job: {reason}", err=True)
    click.echo(json.dumps(data, separators=(",", ":")))


@fleet.command("report")
@click.argument(
    "reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--fleet",
    "fleet_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Names and rings for plain deploy reports (matched by URL), and the halt "
    "rule (default: [tool.voicepkg] fleet, else fleet.toml when present).",
)
@click.option(
    "--halt",
    "by_halt",
    is_flag=True,
    help="Exit 1 only when a ring failed beyond the halt rule (the gate for the "
    "next ring); without it any failed environment exits 1.",
)
@click.option(
    "--max-failures",
    type=click.IntRange(min=0),
    default=None,
    help="The halt rule: more than N failed environments in a ring.",
)
@click.option(
    "--max-share",
    type=click.FloatRange(0, 1, max_open=True),
    default=None,
    help="The halt rule: more than this share of a ring failed.",
)
@output_options
def report(
    reports: tuple[Path, ...],
    fleet_file: Path | None,
    by_halt: bool,
    max_failures: int | None,
    max_share: float | None,
    fmt: str,
    out: Path | None,
) -> None:
    """One status table from per-environment reports (and fleet status output)."""
    path = fleet_path(fleet_file)
    fleet_ = load_fleet(path) if fleet_file is not None or path.is_file() else None
    rows = read_rows(list(reports), fleet_)
    _emit(rows, None, fmt, out)
    if not by_halt:
        code = exit_code(failed=any(r.failing for r in rows))
        if code:
            sys.exit(code)
        return
    halt = (
        Halt(max_failures, max_share)
        if max_failures is not None or max_share is not None
        else fleet_.halt
        if fleet_
        else Halt()
    )
    halted = rings_over(rows, halt)
    for line in halted:
        click.echo(line, err=True)
    if halted:
        sys.exit(exit_code(failed=True))


def rings_over(rows: list[Row], halt: Halt) -> list[str]:
    """The rings whose failures exceed the halt rule, said plainly."""
    out = []
    for ring in sorted({r.ring for r in rows}, key=lambda x: -1 if x is None else x):
        members = [r for r in rows if r.ring == ring and r.status not in ("skipped", "halted")]
        failed = sum(r.status in ("failed", "refused") for r in members)
        if halt.exceeded(failed, len(members)):
            out.append(
                f"ring {ring} halts the rollout: {failed} of {len(members)} failed "
                f"(halt at {halt.describe()})"
            )
    return out
