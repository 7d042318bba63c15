"""The user's voicepkg cache folder: what is worth keeping between runs (compiled templates,
the rendered `--help`). `$VOICEPKG_CACHE_DIR`, else `$XDG_CACHE_HOME/voicepkg`, else
`~/.cache/voicepkg`; an empty `VOICEPKG_CACHE_DIR` turns caching off. Nothing here may be
slow to import: `voicepkg --help` reads its answer from this folder.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path


def cache_root(environ: Mapping[str, str] | None = None) -> Path | None:
    """The user's voicepkg cache folder, or None when turned off (empty VOICEPKG_CACHE_DIR)."""
    env = os.environ if environ is None else environ
    if "VOICEPKG_CACHE_DIR" in env:
        configured = env["VOICEPKG_CACHE_DIR"]
        return Path(configured) if configured else None
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voicepkg"


def own_folder(folder: Path) -> bool:
    """Make `folder` (private to the user) if needed; False when that fails or it belongs
    to someone else (then nothing is cached there)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return not hasattr(os, "getuid") or folder.stat().st_uid == os.getuid()
    except OSError:
        return False


def write_quietly(path: Path, data: bytes) -> None:
    """Write through a temp file and os.replace (readers never see half a file); a cache
    that cannot be written is left as it is."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
