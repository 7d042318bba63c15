"""The output folder after a build: no stale file in a package folder, and `SHA256SUMS`.

`SHA256SUMS` sits beside the outputs in `sha256sum` form (`<hex>  <path>`, paths relative to
the folder, so `sha256sum -c SHA256SUMS` checks them there). A later build into the same folder
updates the lines of what it wrote and drops lines of files that are gone. `verify_against_sums`
checks a zip or package folder against the SHA256SUMS beside it (deploy runs it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from ..errors import BuildError, Diagnostic, diagnostic
from .writer import write_atomic

SUMS = "SHA256SUMS"


def stale_files(out: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Regular files in the folders a build writes (the package folder) that it did not write:
    what an earlier version left there."""
    folders = {name.split("/", 1)[0] for name in files if "/" in name}
    written = {out / name for name in files}
    stale = []
    for folder in sorted(folders):
        root = out / folder
        if root.is_dir() and not root.is_symlink():
            stale += [
                p
                for p in sorted(root.rglob("*"))
                if p.is_file() and not p.is_symlink() and p not in written
            ]
    return stale


def remove_stale(out: Path, files: Mapping[str, bytes]) -> list[Path]:
    stale = stale_files(out, files)
    for path in stale:
        path.unlink()
    return stale


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_sums(path: Path) -> dict[str, str]:
    """{relative path: hex digest} of a SHA256SUMS file (empty when there is none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    sums = {}
    for line in text.splitlines():
        value, _, name = line.partition("  ")
        if len(value) == 64 and name:
            sums[name.lstrip("*")] = value.lower()
    return sums


def write_sums(out: Path, files: Mapping[str, bytes]) -> Path:
    """Update `out/SHA256SUMS` with `files`; keep other lines whose file still exists."""
    target = out / SUMS
    sums = {
        name: value
        for name, value in read_sums(target).items()
        if (out / name).is_file() and name not in files
    }
    sums.update({name: digest(data) for name, data in files.items()})
    text = "".join(f"{sums[name]}  {name}\n" for name in sorted(sums))
    write_atomic(target, text.encode("utf-8"))
    return target


def verify_against_sums(package: Path) -> list[Diagnostic]:
    """Errors for each file of `package` (a zip, or a folder's files) whose sha256 differs
    from the SHA256SUMS beside it. Nothing to check (no SHA256SUMS, or it does not list the
    package) is no error."""
    sums = read_sums(package.parent / SUMS)
    if package.is_dir():
        names = {
            f"{package.name}/{p.relative_to(package).as_posix()}": p
            for p in sorted(package.rglob("*"))
            if p.is_file()
        }
    else:
        names = {package.name: package}
    listed = {name: path for name, path in names.items() if name in sums}
    found = [
        _mismatch(path, sums[name], package.parent / SUMS)
        for name, path in listed.items()
        if _sha256(path) != sums[name]
    ]
    if package.is_dir() and listed:
        found += [
            diagnostic(
                "PKG002",
                "not listed in SHA256SUMS: not part of the build",
                file=str(path),
                hint="rebuild the package, or remove the file",
            )
            for name, path in names.items()
            if name not in sums
        ]
    return found


def _sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _mismatch(path: Path, expected: str, sums: Path) -> Diagnostic:
    return diagnostic(
        "PKG001",
        f"sha256 differs from {sums}: the file changed after the build (expected {expected[:12]}…)",
        file=str(path),
        hint="rebuild the package, or deploy the file the build wrote",
    )


def check_against_sums(package: Path) -> None:
    """Raise when `package` does not match its SHA256SUMS."""
    found = verify_against_sums(package)
    if found:
        raise BuildError(found)
