"""Read zips safely: solution zips, package zips, configuration data zips.

A zip from elsewhere may be truncated, not a zip at all, hold `../` or absolute paths, or be
a bomb. `read_zip` refuses all of these with a located `BuildError` and never writes to disk.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 20_000
    max_entry_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, per entry (XML deflates ~10-30x)


DEFAULT_LIMITS = ZipLimits()


def safe_member_name(name: str) -> str | None:
    """The normalised relative path of a zip member, or None when it would escape."""
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        return None
    normal = posixpath.normpath(cleaned)
    if normal == ".." or normal.startswith("../") or "\x00" in normal:
        return None
    return normal


def _open(source: Path | bytes, label: str) -> zipfile.ZipFile:
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise BuildError.at("ZIP001", f"cannot read: {exc.strerror}", file=label) from None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, struct.error) as exc:
        raise BuildError.at(
            "ZIP002",
            f"not a readable zip file ({exc})",
            file=label,
            hint="the file is truncated or is not a zip; build or download it again",
        ) from None


def read_zip(source: Path | bytes, label: str = "", limits: ZipLimits = DEFAULT_LIMITS,
             ) -> dict[str, bytes]:
    """All file entries of a zip as {relative path: bytes}, checked against `limits`."""
    label = label or (str(source) if not isinstance(source, bytes) else "<zip>")
    archive = _open(source, label)
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > limits.max_entries:
        raise BuildError.at("ZIP003", f"{len(infos)} entries, over the limit of "
                            f"{limits.max_entries}", file=label, hint="this is not a solution zip")
    total = 0
    out: dict[str, bytes] = {}
    for info in infos:
        name = safe_member_name(info.filename)
        where = f"{label}!{info.filename}"
        if name is None:
            raise BuildError.at("ZIP004", "entry path escapes the archive (absolute or '..')",
                                file=where, hint="refusing a hostile or broken zip")
        if info.file_size > limits.max_entry_bytes or (
            info.compress_size and info.file_size / info.compress_size > limits.max_ratio
            and info.file_size > 1024 * 1024
        ):
            raise BuildError.at("ZIP005", f"entry expands to {info.file_size} bytes "
                                f"from {info.compress_size} (a zip bomb?)", file=where,
                                hint="refusing to unpack it")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BuildError.at("ZIP005", f"archive expands to over {limits.max_total_bytes} "
                                "bytes (a zip bomb?)", file=label, hint="refusing to unpack it")
        if name in out:
            raise BuildError.at("ZIP006", f"duplicate entry {name}", file=label,
                                hint="a zip with two entries of one name is ambiguous")
        out[name] = _read_member(archive, info, limits, where)
    return out


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits,
                 where: str) -> bytes:
    """Read one entry, never more than its declared size (headers can lie)."""
    try:
        with archive.open(info) as handle:
            data = handle.read(min(info.file_size, limits.max_entry_bytes) + 1)
    except RuntimeError as exc:  # zipfile's way to say "encrypted, password required"
        raise BuildError.at("ZIP007", f"entry cannot be read ({exc})", file=where,
                            hint="solution zips are never encrypted; export it again") from None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error,
            ValueError, struct.error) as exc:
        raise BuildError.at("ZIP002", f"corrupt entry ({exc})", file=where,
                            hint="the zip is damaged; build or download it again") from None
    if len(data) > info.file_size:
        raise BuildError.at("ZIP005", "entry is larger than its header says", file=where,
                            hint="refusing a forged zip")
    return data
