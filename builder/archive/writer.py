"""Archive entries -> deterministic zip bytes, and atomic writes of build output.

Same entries, same bytes: entries sorted by path, every ZipInfo built by hand with a fixed
date (SOURCE_DATE_EPOCH, clamped to the zip format's 1980 floor), fixed create_system and
permissions, deflate at a fixed level.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import BuildError
from ..fsio import check_output_file
from ..interrupts import deferred

Entries = Mapping[str, bytes]  # archive path (forward slashes) -> content

DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest date a zip can hold
_ZIP_FLOOR = (1980, 1, 1, 0, 0, 0)


def build_date(environ: Mapping[str, str] | None = None) -> tuple[int, int, int, int, int, int]:
    """The timestamp stamped on every entry: SOURCE_DATE_EPOCH or 1980-01-01."""
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "")
    try:
        epoch = int(raw) if raw else DEFAULT_EPOCH
    except ValueError:
        raise BuildError.at(
            "BLD010",
            f"SOURCE_DATE_EPOCH is not an integer: {raw!r}",
            hint="set it to seconds since 1970, e.g. $(git log -1 --format=%ct)",
        ) from None
    stamp = time.gmtime(max(epoch, DEFAULT_EPOCH))[:6]
    return max(stamp, _ZIP_FLOOR)


def zip_bytes(entries: Entries, date: tuple[int, int, int, int, int, int] | None = None) -> bytes:
    """Deterministic zip of `entries`, sorted by path."""
    stamp = date or build_date()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(entries):
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # MS-DOS: what Windows tools write, identical on every OS
            info.external_attr = 0x20  # the DOS "archive" attribute, no unix permissions
            archive.writestr(
                info, entries[path], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6
            )
    return buffer.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temp file in the same folder, then os.replace; a
    path that is a device, FIFO or link is refused, never replaced."""
    check_output_file(path)
    try:
        _replace_with(path, data)
    except OSError as exc:
        raise BuildError.at(
            "IO008",
            f"cannot write: {exc.strerror or exc}",
            file=exc.filename or str(path),
            hint="choose a place you can write to",
        ) from None


def _replace_with(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = ""
    try:
        with deferred():  # a signal is raised only once `tmp` is known, inside the try
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:  # also Ctrl-C and SIGTERM
        with deferred():
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
        raise


def write_outputs(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write several output files so that a failure leaves `out_dir` as it was.

    Everything is written to temp files first; only when all of them are on disk are they
    moved into place. Subfolders in the names (a package folder) are created as needed. An
    existing output that is a device, FIFO or link is refused before anything is written.
    """
    for name in sorted(files):
        check_output_file(out_dir / name)
    staged: list[tuple[str, Path]] = []
    try:
        for name in sorted(files):
            data = files[name]
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with deferred():  # registered as soon as it exists, so it is always cleaned up
                fd, tmp = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
                )
                staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
        with deferred():
            for tmp, target in staged:
                os.replace(tmp, target)
    except BaseException:  # also Ctrl-C and SIGTERM
        with deferred():
            for tmp, _ in staged:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        raise
