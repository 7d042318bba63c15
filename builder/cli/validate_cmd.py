"""`voicepkg validate [PATH] [--format text|json|markdown|sarif] [--strict] [--baseline OLD]`.

PATH is a `solution_src` folder (the default, or `src` of the project configuration), a
solution zip or folder, or a package zip or folder. Text: every error on a line of its own,
warnings one line per code with how many there are (each on its own line with -v), then a
summary on stderr; json: one object with every diagnostic; markdown: a summary table; sarif: a
SARIF 2.1.0 log for code scanning. Exit 0 when clean, 1 on errors (warnings too with --strict),
2 on usage. Nothing is written anywhere (except GitHub's step summary in a GitHub run).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..config import parse_codes
from ..errors import Diagnostic
from ..exits import exit_code
from . import configured
from .output import annotate, format_option, info, session, step_summary


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("solution_src"))
@format_option("text", "json", "markdown", "sarif")
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option(
    "--baseline",
    metavar="OLD",
    help="The previous release (zip, package, sources or git:REF): the version must be higher.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODE[,CODE]",
    help="Never report these codes (repeatable; adds to the configuration's).",
)
@click.option(
    "--ms-schemas",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Folder of Microsoft's CustomizationsSolution.xsd (default: "
    "$VOICEPKG_MS_SCHEMAS, the configuration, ../shared).",
)
def validate(
    path: Path,
    fmt: str,
    strict: bool,
    baseline: str | None,
    ignore: tuple[str, ...],
    ms_schemas: Path | None,
) -> None:
    """Check sources, a solution or a package: XML, schemas and Dataverse rules."""
    from ..fsio import check_input
    from ..validate import validate_path

    config = session().config
    path = configured(path, "path", "src")
    check_input(path, want="either")  # missing: exit 2; a FIFO or device is refused at once
    if baseline and not baseline.startswith("git:"):
        check_input(Path(baseline), want="either")
    found = validate_path(
        path,
        strict=strict,
        baseline=baseline,
        ms_schemas=ms_schemas or config.ms_schemas,
        ignore=config.ignore | parse_codes(ignore),
    )
    _print(found, path, fmt)
    code = exit_code(failed=any(d.severity == "error" for d in found))
    if code:
        sys.exit(code)


def _print(found: list[Diagnostic], path: Path, fmt: str) -> None:
    from ..report.markdown import validate_markdown

    markdown = validate_markdown(str(path), found)
    if fmt == "json":
        click.echo(json.dumps(as_dict(found, path), indent=2))
    elif fmt == "sarif":
        from ..report.sarif import sarif_log

        click.echo(json.dumps(sarif_log(found), indent=2))
    elif fmt == "markdown":
        click.echo(markdown, nl=False)
    else:
        for line in text_lines(found, verbose=session().verbosity > 0):
            click.echo(line)
        info(summary(found, path))
    annotate(found)
    step_summary(markdown)


def as_dict(found: list[Diagnostic], path: Path) -> dict[str, object]:
    errors = sum(d.severity == "error" for d in found)
    return {
        "path": str(path),
        "valid": not errors,
        "errors": errors,
        "warnings": len(found) - errors,
        "diagnostics": [d.to_json() for d in found],
    }


def text_lines(found: list[Diagnostic], *, verbose: bool = False) -> list[str]:
    """Errors one per line; warnings too when verbose, else the first of each code with the
    count of the rest (a real export carries hundreds of one kind of schema drift)."""
    if verbose:
        return [str(d) for d in found]
    lines = [str(d) for d in found if d.severity == "error"]
    by_code: dict[str, list[Diagnostic]] = {}
    for item in found:
        if item.severity != "error":
            by_code.setdefault(item.code, []).append(item)
    for code, items in sorted(by_code.items()):
        lines.append(str(items[0]))
        if len(items) > 1:
            lines.append(
                f"  ... and {len(items) - 1} more {code} warning"
                f"{'s' * (len(items) > 2)} (--verbose lists each)"
            )
    return lines


def summary(found: list[Diagnostic], path: Path) -> str:
    errors = sum(d.severity == "error" for d in found)
    warnings = len(found) - errors
    if not found:
        return f"{path}: valid"
    return f"{path}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
