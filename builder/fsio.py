"""The file system at the edges: what a path is, checked before it is read or replaced.

Inputs: a file is opened without blocking (a FIFO named `x.zip` cannot hang a run), checked
to be a regular file, and read only up to its limit (a device like /dev/zero cannot fill
memory). A source tree is walked without skipping anything: an unreadable folder or file, a
FIFO or device, or a link that leads out of the tree is an error with its path.

Outputs: a path is replaced only when it is absent or a regular file (or, for folders, a
folder): never a device, a FIFO, a socket or a link; `--force` never removes the working
folder, an input, a repository, or a folder holding any of them.

The limits are in `Limits` (docs/limits.md); each may be lowered or raised through the
environment variable `VOICEPKG_LIMIT_<NAME>` (e.g. `VOICEPKG_LIMIT_ZIP_TOTAL_BYTES`).

Codes: IO001 cannot read, IO002 not a regular file / not a folder, IO003 no such file,
IO004 over a size limit, IO005 a link out of the tree, IO006 refused output path,
IO007 a name the file system cannot hold, IO008 cannot write.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import BuildError

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of each input voicepkg reads before refusing it."""

    input_file_bytes: int = 512 * MiB  # a solution zip or package zip on disk
    zip_entries: int = 20_000
    zip_entry_bytes: int = 128 * MiB  # Dataverse's own per-request limit
    zip_total_bytes: int = 512 * MiB
    zip_ratio: int = 200  # uncompressed / compressed per entry, above 1 MiB
    xml_bytes: int = 64 * MiB  # a customizations.xml of a large solution is ~20 MB
    json_bytes: int = 16 * MiB  # a deployment settings file
    json_depth: int = 64
    tree_files: int = 20_000  # files in a source, solution or package folder
    tree_depth: int = 32  # folders deep
    name_bytes: int = 255  # one path component (NAME_MAX on Linux, NTFS allows 255 too)
    path_chars: int = 1024  # a whole relative path inside a zip or tree


def current_limits() -> Limits:
    """The limits, each possibly overridden by VOICEPKG_LIMIT_<NAME> in the environment."""
    values = {}
    for item in fields(Limits):
        raw = os.environ.get(f"VOICEPKG_LIMIT_{item.name.upper()}", "")
        if raw.strip().isdigit() and int(raw) > 0:
            values[item.name] = int(raw)
    return Limits(**values)


# --- inputs ---------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def os_error(exc: OSError, label: str, exit_code: int = 1) -> BuildError:
    """An OSError as a located diagnostic."""
    if exc.errno == errno.ENOENT:
        return BuildError.at(
            "IO003",
            "no such file or folder",
            file=label,
            exit_code=exit_code,
            hint="check the path",
        )
    if exc.errno == errno.ENAMETOOLONG:
        return BuildError.at(
            "IO007", "the path is too long for the file system", file=label, exit_code=exit_code
        )
    return BuildError.at(
        "IO001",
        f"cannot read: {exc.strerror or exc}",
        file=label,
        exit_code=exit_code,
        hint="check the permissions",
    )


def open_regular(path: Path | str, label: str = "", exit_code: int = 1) -> int:
    """A read-only descriptor of `path`, which must be a regular file (a FIFO is refused
    without blocking on it)."""
    label = label or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket
            raise BuildError.at(
                "IO002", "a socket, not a regular file", file=label, exit_code=exit_code
            ) from None
        raise os_error(exc, label, exit_code) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise BuildError.at(
            "IO002",
            f"{_kind(mode)}, not a regular file",
            file=label,
            exit_code=exit_code,
            hint="name a regular file",
        )
    os.set_blocking(fd, True)
    return fd


def too_large(label: str, size: int | str, limit: int, what: str) -> BuildError:
    return BuildError.at(
        "IO004",
        f"{what} is {size} bytes, over the limit of {limit} bytes",
        file=label,
        hint="this is not what Dataverse exports; check the path (docs/limits.md lists the limits)",
    )


def read_regular(
    path: Path | str, limit: int, label: str = "", what: str = "the file", exit_code: int = 1
) -> bytes:
    """The bytes of the regular file `path`, refused over `limit` bytes (read no further)."""
    label = label or str(path)
    fd = open_regular(path, label, exit_code)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise too_large(label, size, limit, what)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise os_error(exc, label, exit_code) from None
    if len(data) > limit:
        raise too_large(label, f"over {limit}", limit, what)
    return data


def check_input(path: Path, *, want: str, label: str = "") -> None:
    """A command's input argument must exist and be what is expected: "file" (regular),
    "dir", or "either" (a folder or a regular file). Wrong kinds are usage errors (exit 2)."""
    label = label or str(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise os_error(exc, label, exit_code=2) from None
    if stat.S_ISDIR(mode) and want in ("dir", "either"):
        return
    if stat.S_ISREG(mode) and want in ("file", "either"):
        return
    expected = {"file": "a file", "dir": "a folder", "either": "a file or a folder"}[want]
    raise BuildError.at(
        "IO002", f"{_kind(mode)}, not {expected}", file=label, exit_code=2, hint=f"name {expected}"
    )


def walk_files(
    root: Path, label: str = "", limits: Limits | None = None, skip_hidden: bool = False
) -> list[Path]:
    """Every regular file under `root`, sorted. Nothing else is skipped (but names starting
    with "." when `skip_hidden`): an unreadable folder, a FIFO or device, a link out of
    `root`, or a tree over the limits is an error."""
    limits = limits or current_limits()
    base = root.resolve()
    found: list[Path] = []
    pending = [(root, 0)]
    while pending:
        folder, depth = pending.pop()
        if depth > limits.tree_depth:
            raise BuildError.at(
                "IO004",
                f"folders nested over {limits.tree_depth} deep",
                file=_shown(folder, root, label),
                hint="check the folder",
            )
        for entry in _scan(folder, root, label):
            if skip_hidden and entry.name.startswith("."):
                continue
            path = Path(entry.path)
            shown = _shown(path, root, label)
            if entry.is_symlink():
                _check_link(path, base, shown)
            info = _stat(path, shown)
            if stat.S_ISDIR(info.st_mode):
                if not entry.is_symlink():
                    pending.append((path, depth + 1))
                    continue
                raise BuildError.at(
                    "IO005",
                    "a linked folder (links to folders are not followed)",
                    file=shown,
                    hint="replace the link by the folder itself",
                )
            if not stat.S_ISREG(info.st_mode):
                raise BuildError.at(
                    "IO002",
                    f"{_kind(info.st_mode)} in the tree",
                    file=shown,
                    hint="remove it; only regular files are read",
                )
            found.append(path)
            if len(found) > limits.tree_files:
                raise BuildError.at(
                    "IO004", f"over {limits.tree_files} files", file=label, hint="check the folder"
                )
    return sorted(found)


def _shown(path: Path, root: Path, label: str) -> str:
    rel = path.relative_to(root).as_posix()
    if rel == ".":
        return label
    return f"{label.rstrip('/')}/{rel}" if label else rel


def _scan(folder: Path, root: Path, label: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        raise os_error(exc, _shown(folder, root, label)) from None


def _stat(path: Path, shown: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        raise os_error(exc, shown) from None


def _check_link(path: Path, base: Path, shown: str) -> None:
    target = path.resolve()
    if not target.is_relative_to(base):
        raise BuildError.at(
            "IO005",
            f"a link that leads out of the tree (to {target})",
            file=shown,
            hint="copy the file into the tree instead of linking it",
        )


# --- names ----------------------------------------------------------------------------------


def name_problem(name: str, limits: Limits) -> str:
    """Why a relative path (of a zip entry) could not be written to a file system, or ""."""
    parts = name.split("/")
    if len(name) > limits.path_chars:
        return f"the path is {len(name)} characters, over {limits.path_chars}"
    if len(parts) > limits.tree_depth:
        return f"the path is {len(parts)} folders deep, over {limits.tree_depth}"
    longest = max(parts, key=lambda p: len(p.encode("utf-8")))
    if len(longest.encode("utf-8")) > limits.name_bytes:
        return f"a name is {len(longest.encode('utf-8'))} bytes, over {limits.name_bytes}"
    return ""


def folder_clash(names: Iterable[str]) -> tuple[str, str] | None:
    """Two entries where one needs a folder of the other's name (`Other/x`, `Other/x/y`),
    compared without case as Windows and Dataverse do; the first such pair, or None."""
    files = {n.lower(): n for n in names}
    for name in sorted(files.values()):
        parts = name.lower().split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix in files:
                return files[prefix], name
    return None


# --- outputs --------------------------------------------------------------------------------


def _replaceable(path: Path, label: str) -> os.stat_result | None:
    """What stands at `path` (None when nothing does), refusing a link: replacing one would
    write where it points."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _refused(label, f"cannot inspect it ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise _refused(label, "it is a link; replacing it would write where it points")
    return info


def check_output_file(path: Path, label: str = "") -> None:
    """`path` may be written (replaced): absent, or a regular file that is not a link."""
    label = label or str(path)
    info = _replaceable(path, label)
    if info is None:
        return
    if not stat.S_ISREG(info.st_mode):
        raise _refused(label, f"it is {_kind(info.st_mode)}; only a regular file is replaced")


def check_output_folder(out: Path, *, inputs: Iterable[Path] = (), force: bool = False) -> None:
    """`out` may be replaced as a folder: absent, or a real folder (not a link) that holds
    neither the working folder, an input, nor a repository (unless it is empty)."""
    label = str(out)
    info = _replaceable(out, label)
    if info is None:
        return
    if not stat.S_ISDIR(info.st_mode):
        raise _refused(label, f"it is {_kind(info.st_mode)}, not a folder")
    if not force:
        return
    target = out.resolve()
    protected = [(Path.cwd().resolve(), "the working folder")]
    protected += [(p.resolve(), f"the input {p}") for p in inputs]
    for path, what in protected:
        if path == target or path.is_relative_to(target):
            raise _refused(label, f"--force would remove {what}")
    for marker in (".git", ".hg", ".svn"):
        if (target / marker).exists():
            raise _refused(label, f"--force would remove a repository ({marker})")


def _refused(label: str, why: str) -> BuildError:
    return BuildError.at(
        "IO006",
        f"refusing to write here: {why}",
        file=label,
        exit_code=2,
        hint="choose another output path",
    )


def read_tree(root: Path, label: str = "", skip_hidden: bool = False) -> dict[str, bytes]:
    """Every file under `root` as {relative path: bytes}, within the zip limits (a folder is
    read as the zip it stands for)."""
    limits = current_limits()
    label = label or str(root)
    out: dict[str, bytes] = {}
    total = 0
    for path in walk_files(root, label, limits, skip_hidden):
        name = path.relative_to(root).as_posix()
        shown = f"{label.rstrip('/')}/{name}"
        data = read_regular(path, limits.zip_entry_bytes, shown)
        total += len(data)
        if total > limits.zip_total_bytes:
            raise too_large(
                label, f"over {limits.zip_total_bytes}", limits.zip_total_bytes, "the folder"
            )
        out[name] = data
    return out
