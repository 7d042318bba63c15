"""`voicepkg build solution|package`: build, then write every output atomically.

Nothing is written unless the whole build succeeded, and then all files are moved into place
together (`package.write_outputs`), so a failed build leaves `--out` as it was. Then files an
earlier build left in the package folder are removed and `SHA256SUMS` is updated
(`builder.archive.sums`). One line per written file: path, size, sha256 (`--format json`: one object
`{ok, files, diagnostics}`, also when the build fails).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import click

from ..archive.sums import digest, remove_stale, write_sums
from ..config import parse_codes
from ..errors import BuildError, Diagnostic
from . import configured, print_diagnostics, src_option
from .output import annotate, format_option, info, session

SRC = src_option("Source folder.")
VERSION = click.option(
    "--version",
    "version",
    metavar="VERSION",
    help="Version to stamp: 1.2.3.4, or a release tag (1.2.3 and v1.2.3 "
    "mean 1.2.3.0). Default: the one in the sources.",
)
OUT = click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("dist"),
    show_default=True,
    help="Output folder.",
)
IGNORE = click.option(
    "--ignore",
    multiple=True,
    metavar="CODE[,CODE]",
    help="Never report these codes (repeatable; adds to the configuration's).",
)
FORMAT = format_option("text", "json")


@click.group()
def build() -> None:
    """Build the solution zips or the whole package."""


@build.command("solution")
@SRC
@VERSION
@click.option("--managed", is_flag=True, help="Managed zips (the default when no kind is given).")
@click.option("--unmanaged", is_flag=True, help="Unmanaged zips.")
@click.option("--both", is_flag=True, help="Managed and unmanaged (same as both flags).")
@OUT
@IGNORE
@FORMAT
def solution(
    src: Path,
    version: str | None,
    managed: bool,
    unmanaged: bool,
    both: bool,
    out: Path,
    ignore: tuple[str, ...],
    fmt: str,
) -> None:
    """Build the solution zips (managed by default)."""
    from ..build import build_solutions

    managed = managed or both or not unmanaged
    unmanaged = unmanaged or both
    src, out, codes = _inputs(src, out, ignore)
    _run(
        lambda warn: build_solutions(
            src,
            version=version,
            managed=managed,
            unmanaged=unmanaged,
            on_warning=warn,
            ignore=codes,
        ),
        out,
        fmt,
    )


@build.command("package")
@SRC
@VERSION
@OUT
@IGNORE
@FORMAT
def package(src: Path, version: str | None, out: Path, ignore: tuple[str, ...], fmt: str) -> None:
    """Build the Package Deployer package: folder and zip."""
    from ..build import build_package

    src, out, codes = _inputs(src, out, ignore)
    _run(lambda warn: build_package(src, version=version, on_warning=warn, ignore=codes), out, fmt)


def _inputs(src: Path, out: Path, ignore: tuple[str, ...]) -> tuple[Path, Path, frozenset[str]]:
    """--src, --out and --ignore with the project configuration; a missing --src is usage."""
    from ..fsio import check_input

    src, out = configured(src, "src", "src"), configured(out, "out", "out")
    check_input(src, want="dir")  # missing or not a folder: a usage error (exit 2)
    return src, out, session().config.ignore | parse_codes(ignore)


Make = Callable[[Callable[[Diagnostic], None]], Mapping[str, bytes]]


def _run(make: Make, out: Path, fmt: str) -> None:
    """Build, write all outputs or none, clean the package folder, update SHA256SUMS, report."""
    from ..archive.writer import write_outputs

    warnings: list[Diagnostic] = []

    def warn(finding: Diagnostic) -> None:
        warnings.append(finding)
        click.echo(str(finding), err=True)
        annotate([finding])

    try:
        files = make(warn)
        try:
            write_outputs(out, files)
            removed = remove_stale(out, files)
            sums = write_sums(out, files)
        except OSError as error:
            raise BuildError.at(
                "BLD003",
                f"cannot write output: {error}",
                file=str(out),
                hint="check that the output folder is writable",
            ) from None
    except BuildError as error:
        if fmt != "json":
            raise
        click.echo(
            json.dumps(
                {
                    "ok": False,
                    "exit_code": error.exit_code,
                    "files": [],
                    "diagnostics": [d.to_json() for d in [*warnings, *error.diagnostics]],
                },
                indent=2,
            )
        )
        print_diagnostics(error)  # stderr (and a CI's annotations): stdout stays one object
        sys.exit(error.exit_code)
    for path in removed:
        info(f"removed {path} (left by an earlier build)")
    _report(out, files, sums, warnings, fmt)


def summary(out: Path, files: Mapping[str, bytes]) -> list[dict[str, object]]:
    return [
        {"path": str(out / name), "size": len(data), "sha256": digest(data)}
        for name, data in sorted(files.items())
    ]


def _report(
    out: Path, files: Mapping[str, bytes], sums: Path, warnings: list[Diagnostic], fmt: str
) -> None:
    rows = summary(out, files)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "ok": True,
                    "files": rows,
                    "checksums": str(sums),
                    "diagnostics": [d.to_json() for d in warnings],
                },
                indent=2,
            )
        )
        return
    width = max((len(str(r["path"])) for r in rows), default=0)
    for row in rows:
        click.echo(f"{row['path']:<{width}}  {row['size']:>9} bytes  sha256 {row['sha256']}")
    info(f"checksums in {sums}")
