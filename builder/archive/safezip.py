"""Read zips safely: solution zips, package zips, configuration data zips.

A zip from elsewhere may be truncated, not a zip at all, hold `../` or absolute paths, or be
a bomb; a path named as a zip may be a FIFO or a device. `read_zip` refuses all of these with
a located `BuildError` and never writes to disk. Names are checked before any entry is read:
entries that differ only by case (Windows and Dataverse would see one), a file beside a
folder of the same name, and names no file system can hold (too long, too deep) are refused,
so validate, unpack and deploy agree. Sizes are checked from the headers first and again
while reading (headers can lie); the limits are `fsio.Limits` (docs/limits.md).
"""

from __future__ import annotations

import io
import os
import posixpath
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from ..errors import BuildError
from ..fsio import Limits, current_limits, folder_clash, name_problem, open_regular, too_large


def safe_member_name(name: str) -> str | None:
    """The normalised relative path of a zip member, or None when it would escape."""
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        return None
    normal = posixpath.normpath(cleaned)
    if normal == ".." or normal.startswith("../") or "\x00" in normal:
        return None
    return normal


def _handle(source: Path | bytes, label: str, limits: Limits) -> BinaryIO:
    """The zip's bytes, in memory or straight from the file (never read whole); a path must
    name a regular file within the input size limit."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    handle = os.fdopen(open_regular(source, label), "rb")
    size = os.fstat(handle.fileno()).st_size
    if size > limits.input_file_bytes:
        handle.close()
        raise too_large(label, size, limits.input_file_bytes, "the zip")
    return handle


def _open(handle: BinaryIO, label: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, struct.error) as exc:
        raise BuildError.at(
            "ZIP002",
            f"not a readable zip file ({exc})",
            file=label,
            hint="the file is truncated or is not a zip; build or download it again",
        ) from None


def read_zip(
    source: Path | bytes,
    label: str = "",
    limits: Limits | None = None,
) -> dict[str, bytes]:
    """All file entries of a zip as {relative path: bytes}, checked against `limits`."""
    limits = limits or current_limits()
    label = label or (str(source) if not isinstance(source, bytes) else "<zip>")
    with _handle(source, label, limits) as handle, _open(handle, label) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        _check_names(infos, label, limits)
        return {
            safe_member_name(i.filename) or "": _read_member(
                archive, i, limits, f"{label}!{i.filename}"
            )
            for i in _checked_sizes(infos, label, limits)
        }


def _check_names(infos: list[zipfile.ZipInfo], label: str, limits: Limits) -> None:
    """Refuse entries a file system could not hold as named, before anything is read."""
    if len(infos) > limits.zip_entries:
        raise BuildError.at(
            "ZIP003",
            f"{len(infos)} entries, over the limit of {limits.zip_entries}",
            file=label,
            hint="this is not a solution zip",
        )
    seen: dict[str, str] = {}
    for info in infos:
        name = safe_member_name(info.filename)
        where = f"{label}!{info.filename[:200]}"
        if name is None:
            raise BuildError.at(
                "ZIP004",
                "entry path escapes the archive (absolute or '..')",
                file=where,
                hint="refusing a hostile or broken zip",
            )
        if problem := name_problem(name, limits):
            raise BuildError.at(
                "ZIP009",
                f"entry name cannot be unpacked: {problem}",
                file=where,
                hint="refusing a hostile or broken zip",
            )
        if name.lower() in seen:
            same = seen[name.lower()] == name
            raise BuildError.at(
                "ZIP006",
                f"duplicate entry {name}"
                if same
                else f"entries {seen[name.lower()]} and {name} differ only by case",
                file=label,
                hint="a zip with two entries of one name is ambiguous (Windows and Dataverse "
                "compare names without case)",
            )
        seen[name.lower()] = name
    if clash := folder_clash(seen.values()):
        raise BuildError.at(
            "ZIP009",
            f"entry {clash[0]} is a file, but {clash[1]} needs a folder of that name",
            file=label,
            hint="refusing a hostile or broken zip",
        )


def _checked_sizes(
    infos: list[zipfile.ZipInfo],
    label: str,
    limits: Limits,
) -> list[zipfile.ZipInfo]:
    """The entries, refused when a declared size or ratio is over the limits."""
    total = 0
    for info in infos:
        where = f"{label}!{info.filename}"
        if info.file_size > limits.zip_entry_bytes or (
            info.compress_size
            and info.file_size / info.compress_size > limits.zip_ratio
            and info.file_size > 1024 * 1024
        ):
            raise BuildError.at(
                "ZIP005",
                f"entry expands to {info.file_size} bytes from {info.compress_size} (a zip bomb?)",
                file=where,
                hint="refusing to unpack it (docs/limits.md)",
            )
        total += info.file_size
        if total > limits.zip_total_bytes:
            raise BuildError.at(
                "ZIP005",
                f"archive expands to over {limits.zip_total_bytes} bytes (a zip bomb?)",
                file=label,
                hint="refusing to unpack it (docs/limits.md)",
            )
    return infos


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, where: str
) -> bytes:
    """Read one entry, never more than its declared size (headers can lie)."""
    try:
        with archive.open(info) as handle:
            data = handle.read(min(info.file_size, limits.zip_entry_bytes) + 1)
    except RuntimeError as exc:  # zipfile's way to say "encrypted, password required"
        raise BuildError.at(
            "ZIP007",
            f"entry cannot be read ({exc})",
            file=where,
            hint="solution zips are never encrypted; export it again",
        ) from None
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        NotImplementedError,
        zlib.error,
        ValueError,
        struct.error,
    ) as exc:
        raise BuildError.at(
            "ZIP002",
            f"corrupt entry ({exc})",
            file=where,
            hint="the zip is damaged; build or download it again",
        ) from None
    if len(data) > info.file_size:
        raise BuildError.at(
            "ZIP005",
            "entry is larger than its header says",
            file=where,
            hint="refusing a forged zip",
        )
    return data
