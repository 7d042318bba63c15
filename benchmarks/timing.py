"""Timing helpers shared by the benchmarks: medians of repeated runs, whole processes.

The machine is shared, so every figure is the median of several runs, shown with its spread
(min-max), and every ratio is taken to a floor measured in the same run.
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tests/big_project.py: the generated solution


class Timing:
    """Wall times of repeated runs of one piece of work."""

    def __init__(self, times: Sequence[float]) -> None:
        self.times = sorted(times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def spread(self) -> str:
        return f"{self.times[0] * 1000:.0f}-{self.times[-1] * 1000:.0f}"

    def line(self, label: str, floor: Timing | None = None) -> str:
        ratio = f"  {self.median / floor.median:5.2f} x floor" if floor else ""
        return (f"  {label:<40}{self.median * 1000:9.1f} ms  (spread {self.spread()} ms, "
                f"n={len(self.times)}){ratio}")


def timed(repeats: int, work: Callable[[], T]) -> tuple[Timing, T]:
    """Run `work` `repeats` times; the timings and the last result."""
    times: list[float] = []
    result: T
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return Timing(times), result


def interleaved(repeats: int, *works: Callable[[], object]) -> list[Timing]:
    """Time several pieces of work in turns (a, b, a, b, ...), so that load from the other
    users of the machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeats):
        for slot, work in zip(times, works, strict=True):
            start = time.perf_counter()
            work()
            slot.append(time.perf_counter() - start)
    return [Timing(t) for t in times]


def process(args: Sequence[str], **kwargs: object) -> Callable[[], object]:
    """Work that runs a whole process (start-up included) and checks it succeeded."""
    return lambda: subprocess.run(list(args), check=True, capture_output=True,
                                  **kwargs)  # type: ignore[call-overload]


def exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """Least-squares slope of log(time) over log(size): 1.0 is linear."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)
