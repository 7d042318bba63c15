"""`voicepkg validate [PATH] [--format text|json] [--strict] [--baseline OLD]`.

PATH is a `solution_src` folder (the default), a solution zip or folder, or a package zip or
folder. Text: every error on a line of its own, warnings one line per code with how many
there are (each on its own line with --verbose), then a summary on stderr. JSON: the list of
every diagnostic, for pipelines. Exit 0 when clean, 1 on errors (warnings too with
--strict), 2 on usage. Nothing is written anywhere.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import Diagnostic


@click.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True), default=Path("solution_src"))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--verbose", "-v", is_flag=True, help="Every warning on a line of its own.")
@click.option("--baseline", type=click.Path(path_type=Path, exists=True), metavar="OLD",
              help="The previous release (zip, package or sources): the version must be higher.")
def validate(path: Path, fmt: str, strict: bool, verbose: bool, baseline: Path | None) -> None:
    """Check sources, a solution or a package: XML, schemas and Dataverse rules."""
    from ..fsio import check_input
    from ..validate import validate_path

    for given in (path, baseline):
        if given is not None:
            check_input(given, want="either")  # a FIFO or device is refused at once (exit 2)
    found = validate_path(path, strict=strict, baseline=baseline)
    if fmt == "json":
        click.echo(json.dumps([d.to_json() for d in found], indent=2))
    else:
        for line in text_lines(found, verbose=verbose):
            click.echo(line)
        click.echo(summary(found, path), err=True)
    if any(d.severity == "error" for d in found):
        sys.exit(1)


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
            lines.append(f"  ... and {len(items) - 1} more {code} warning"
                         f"{'s' * (len(items) > 2)} (--verbose lists each)")
    return lines


def summary(found: list[Diagnostic], path: Path) -> str:
    errors = sum(d.severity == "error" for d in found)
    warnings = len(found) - errors
    if not found:
        return f"{path}: valid"
    return f"{path}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
