"""SIGINT and SIGTERM (Ctrl-C, a CI cancel) end a run the same clean way.

`install()` turns SIGTERM into `Terminated`, a `KeyboardInterrupt`, so the `finally` and
`except BaseException` blocks that remove temporary files run for both signals. `deferred()`
holds both signals back while a few renames must happen together (an output swapped into
place): a signal that arrives meanwhile is delivered right after, never half-way.
`temporary_folder()` is a temporary folder made and removed that way.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from . import exits

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program was, like Ctrl-C's KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"terminated by signal {signum}")
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def install() -> None:
    """SIGTERM raises `Terminated` (SIGINT already raises KeyboardInterrupt)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise)


def exit_code(interrupt: KeyboardInterrupt) -> int:
    """128 + the signal number, as shells report a run ended by a signal."""
    signum = interrupt.signum if isinstance(interrupt, Terminated) else signal.SIGINT
    return exits.exit_code(signal=signum)


def said(interrupt: KeyboardInterrupt) -> str:
    """What a run ended by `interrupt` says on stderr."""
    return "Terminated." if isinstance(interrupt, Terminated) else "Interrupted."


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back inside the block; a pending one is raised after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def temporary_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder (in TMPDIR) removed however the block ends, also on Ctrl-C or
    SIGTERM: its creation and its removal cannot be cut in half by a signal."""
    folder: Path | None = None
    try:
        with deferred():
            folder = Path(tempfile.mkdtemp(prefix=prefix))
        yield folder
    finally:
        with deferred():
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
