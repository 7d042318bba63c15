"""Time, behind a small interface, so tests run deploy's waits and timeouts instantly."""

from __future__ import annotations

import os
import random
import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def wall(self) -> float: ...  # seconds since 1970, for HTTP-date Retry-After

    def sleep(self, seconds: float) -> None: ...

    def jitter(self) -> float: ...  # a random factor in [0.5, 1.0)


class SystemClock:
    """The real clock."""

    def __init__(self) -> None:
        self._random = random.Random()

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def jitter(self) -> float:
        return 0.5 + self._random.random() / 2


def poll_interval(default: float = 5.0) -> float:
    """Seconds between polls of a running import (VOICEPKG_POLL_INTERVAL overrides)."""
    raw = os.environ.get("VOICEPKG_POLL_INTERVAL", "")
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        return default


def default_clock() -> Clock:
    return SystemClock()
