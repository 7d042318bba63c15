"""The `voicepkg` console script: `voicepkg --help` answered from the cache, all else by the
click CLI (`builder.cli.main`).

At exit the cyclic collector is frozen: the interpreter's last collections would otherwise
walk every object still alive (each module, class, the model and the outputs), all of which
die with the process anyway (~4 % of a build's instructions). Files are closed, and objects
that need finalizing use `weakref.finalize` or `atexit`, neither of which waits for it.

Importing click costs more than starting Python. The top-level help changes only with the
CLI's code, click and the terminal width, so it is rendered by click once, kept in the
user's cache folder (builder/cache.py) under a key made of those, and printed from there
afterwards, byte for byte what click prints. Without a usable cache, click answers.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import io
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path

from . import interrupts
from .cache import cache_root, own_folder, write_quietly
from .exits import json_failure, json_requested

HELP = (["--help"], ["-h"])


def main() -> int:
    interrupts.install()
    try:
        if sys.argv[1:] in HELP:
            text = cached_help()
            if text is not None:
                sys.stdout.write(text)
                return 0
        with interrupts.deferred():  # a signal mid-import is raised once the import is whole
            from .cli import main as run
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM while starting: nothing to clean
        return stopped(stop)
    atexit.register(gc.freeze)
    return run()


def stopped(stop: KeyboardInterrupt) -> int:
    """A run a signal ended while it started: said as the CLI says it (and, under --json,
    still one JSON object on stdout); 128 + the signal."""
    code = interrupts.exit_code(stop)
    sys.stderr.write(interrupts.said(stop) + "\n")
    if json_requested(sys.argv[1:]):
        sys.stdout.write(json_failure(code, interrupts.said(stop)) + "\n")
    return code


def _width() -> int:
    """The terminal width click wraps its help to (it reads COLUMNS, then the terminal)."""
    try:
        return int(os.environ.get("COLUMNS") or 0) or os.get_terminal_size(1).columns
    except (OSError, ValueError):
        return 0


def help_key() -> str | None:
    """What the help text depends on: the CLI's code (every module of builder/cli), click's
    (its files' sizes and times), the terminal width."""
    import importlib.util

    spec = importlib.util.find_spec("click")
    if spec is None or not spec.origin:
        return None
    digest = hashlib.sha256(f"{_width()}".encode())
    for path in sorted((Path(__file__).parent / "cli").glob("*.py")):
        digest.update(path.read_bytes())
    for path in sorted(Path(spec.origin).parent.glob("*.py")):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def cached_help() -> str | None:
    """The top-level help from the cache, rendered by click and stored on a miss; None
    when there is no cache to use."""
    root = cache_root()
    try:
        key = help_key()
    except OSError:
        return None
    if root is None or key is None:
        return None
    path = root / f"help-{key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = rendered_help()
    if text is not None and own_folder(root):
        write_quietly(path, text.encode("utf-8"))
    return text


def rendered_help() -> str | None:
    """What click prints for `voicepkg --help`."""
    from .cli import cli

    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(args=["--help"], prog_name="voicepkg", standalone_mode=False)
    return out.getvalue() if code in (0, None) else None
