"""`voicepkg build solution|package`: build, then write every output atomically.

Nothing is written unless the whole build succeeded, and then all files are moved into place
together (`package.write_outputs`), so a failed build leaves `--out` as it was. One line per
written file: path, size, sha256 (`--json`: the same as a JSON list).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import click

from ..errors import BuildError
from . import src_option

SRC = src_option("Source folder.")
VERSION = click.option("--version", "version", metavar="A.B.C.D",
                       help="Version to stamp (default: the one in the sources).")
OUT = click.option("--out", type=click.Path(path_type=Path), default=Path("dist"),
                   show_default=True, help="Output folder.")
JSON = click.option("--json", "as_json", is_flag=True, help="Print the written files as JSON.")


@click.group()
def build() -> None:
    """Build the solution zips or the whole package."""


@build.command("solution")
@SRC
@VERSION
@click.option("--managed", "kind", flag_value="managed", default=True, help="Managed (default).")
@click.option("--unmanaged", "kind", flag_value="unmanaged", help="Unmanaged only.")
@click.option("--both", "kind", flag_value="both", help="Managed and unmanaged.")
@OUT
@JSON
def solution(src: Path, version: str | None, kind: str, out: Path, as_json: bool) -> None:
    """Build the solution zips (managed by default)."""
    from ..build import build_solutions

    managed, unmanaged = kind in ("managed", "both"), kind in ("unmanaged", "both")
    _run(lambda: build_solutions(src, version=version, managed=managed, unmanaged=unmanaged,
                                 on_warning=_warn), out, as_json)


@build.command("package")
@SRC
@VERSION
@OUT
@JSON
def package(src: Path, version: str | None, out: Path, as_json: bool) -> None:
    """Build the Package Deployer package: folder and zip."""
    from ..build import build_package

    _run(lambda: build_package(src, version=version, on_warning=_warn), out, as_json)


def _warn(finding: object) -> None:
    click.echo(str(finding), err=True)


def _run(make: Callable[[], Mapping[str, bytes]], out: Path, as_json: bool) -> None:
    """Build, write all outputs or none, report."""
    from ..package import write_outputs

    files = make()
    try:
        write_outputs(out, files)
    except OSError as error:
        raise BuildError.at("BLD003", f"cannot write output: {error}", file=str(out),
                            hint="check that the output folder is writable") from None
    _report(out, files, as_json)


def summary(out: Path, files: Mapping[str, bytes]) -> list[dict[str, object]]:
    return [
        {"path": str(out / name), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    ]


def _report(out: Path, files: Mapping[str, bytes], as_json: bool) -> None:
    rows = summary(out, files)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(str(r["path"])) for r in rows), default=0)
    for row in rows:
        click.echo(f"{row['path']:<{width}}  {row['size']:>9} bytes  sha256 {row['sha256']}")
