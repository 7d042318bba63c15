"""Write a tree of source files all at once: into a temporary folder beside the target, then
renamed into place, so a failure or a signal leaves nothing half-written and no temporary
folder behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import BuildError
from ..exits import USAGE
from ..fsio import check_output_folder
from ..interrupts import deferred


def write_tree(
    out: Path, files: dict[str, bytes], force: bool, inputs: tuple[Path, ...] = ()
) -> None:
    """Write `files` under `out` all at once: into a temp folder, then renamed into place."""
    check_output_folder(out, inputs=inputs, force=force)
    if out.exists() and any(out.iterdir()) and not force:
        raise BuildError.at(
            "UNP001",
            "the output folder is not empty",
            file=str(out),
            hint="choose an empty folder, or pass --force to replace it",
            exit_code=USAGE,
        )
    try:
        _write_staged(out.absolute(), files)
    except OSError as exc:
        raise BuildError.at(
            "UNP004",
            f"cannot write the sources: {exc.strerror or exc}",
            file=exc.filename or str(out),
            hint="choose an output folder you can write to",
        ) from None


def _write_staged(out: Path, files: dict[str, bytes]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging: Path | None = None
    try:
        with deferred():  # a signal is raised only once `staging` is known, inside the try
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        for rel, data in sorted(files.items()):
            target = _inside(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        with deferred():  # a signal now would leave the old tree half-removed
            _swap_in(staging, out)
    except BaseException:  # also Ctrl-C and SIGTERM: no temporary folder outlives the run
        with deferred():
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
        raise


def _inside(root: Path, rel: str) -> Path:
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()) or rel.startswith("/"):
        raise BuildError.at(
            "UNP003",
            f"refusing to write outside the output folder: {rel}",
            hint="the solution holds a hostile path",
        )
    return target


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    os.replace(out, old / "tree")
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)
