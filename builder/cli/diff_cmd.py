"""`voicepkg diff OLD NEW` and `voicepkg unpack ZIP --out DIR`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import BuildError
from ..exits import exit_code, json_failure
from . import print_diagnostics
from .output import annotate, format_option, session, step_summary

if TYPE_CHECKING:  # imported on use: `voicepkg diff --help` needs no unpack code
    from ..diff.core import DiffReport
    from ..unpack.run import Unpacked


@click.command("diff")
@click.argument("old")
@click.argument("new")
@format_option("text", "json", "markdown")
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 when the sides differ too (release notes under set -e).",
)
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, fmt: str, exit_zero: bool) -> None:
    """What changed from OLD to NEW, by component.

    OLD and NEW are each a solution zip or folder, a package (folder or zip), a
    solution_src folder, or git:<revision> of this repository's sources. Exit code 0 when
    they do not differ, 1 when they do (0 with --exit-zero), 2 on errors.
    """
    from ..diff.show import RENDERERS
    from ..read.solution import no_cycle_collection

    # two models made, compared and dropped: the cyclic collector would only walk them
    with no_cycle_collection():
        report, _held = _compare(ctx, old, new, fmt)
    click.echo(RENDERERS[fmt](report), nl=False)
    step_summary(RENDERERS["markdown"](report))
    # the sides (`_held`, with the XML they were read from) go only now, on exit: freed
    # before the report is written, their million blocks would be merged for its text
    ctx.exit(exit_code(failed=report.different and not exit_zero))


def _compare(
    ctx: click.Context, old: str, new: str, fmt: str
) -> tuple[DiffReport, tuple[object, ...]]:
    from ..diff.projects import diff_projects
    from ..diff.scope import comparable
    from ..diff.sides import aligned, read_sides

    try:
        before, after = aligned(*read_sides(old, new))
    except BuildError as error:
        code = exit_code(usage=True)  # 1 means "different", so errors say 2
        if fmt == "json":
            click.echo(json_failure(code, str(error.diagnostics[0]), error.diagnostics))
        print_diagnostics(error)
        ctx.exit(code)
    old_p, new_p, notes = comparable(before.project, before.kind, after.project, after.kind)
    return diff_projects(old_p, new_p, old, new, tuple(notes)), (before, after)


@click.command("unpack")
@click.argument("source", metavar="ZIP", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="The solution_src folder to write (must be empty).",
)
@click.option("--force", is_flag=True, help="Replace a folder that is not empty.")
@format_option("text", "json")
def unpack(source: Path, out: Path, force: bool, fmt: str) -> None:
    """Turn a solution zip (ours or exported from Dataverse) or a package into sources.

    Parts the source format does not model are kept as exported under raw/, with a
    warning; nothing is dropped. -v names every file written; -q leaves out the summary
    line. --format json: one object (files, components kept as exported, diagnostics).
    """
    from ..fsio import check_input
    from ..unpack.run import unpack_path

    check_input(source, want="either")  # a FIFO or device is refused at once (exit 2)
    result = unpack_path(source, out, force=force)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    annotate(result.warnings)
    kept = [{"kind": f.kind, "name": f.key} for f in result.kept_whole]
    if fmt == "json":
        click.echo(
            json.dumps(unpack_json(source, out, sorted(result.files), kept, result), indent=2)
        )
        return
    if session().verbosity > 0:
        for name in sorted(result.files):
            click.echo(str(out / name))
    if session().verbosity >= 0:
        click.echo(
            f"unpacked {len(result.files)} files to {out} "
            f"({len(kept)} component(s) kept as exported under raw/)"
        )


def unpack_json(
    source: Path, out: Path, files: list[str], kept: list[dict[str, str]], result: Unpacked
) -> dict[str, Any]:
    return {
        "ok": True,
        "exit_code": 0,
        "source": str(source),
        "out": str(out),
        "files": files,
        "kept_as_exported": kept,
        "warnings": len(result.warnings),
        "diagnostics": [d.to_json() for d in result.warnings],
    }
