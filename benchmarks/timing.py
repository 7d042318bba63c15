"""Timing helpers shared by the benchmarks: medians of repeated runs, whole processes.

The machine is shared, so every figure is the median of several runs, shown with its spread
(min-max), and every ratio is taken to a floor measured in the same run. Beside the wall
time each line gives the CPU time (this process and the processes it waited for), which
the other users of the machine disturb much less: on a busy machine, trust that ratio.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tests/support/big_project.py: the generated solution


class Timing:
    """Wall and CPU times of repeated runs of one piece of work."""

    def __init__(self, times: Sequence[float], cpu: Sequence[float] = ()) -> None:
        self.times = sorted(times)
        self.cpu = sorted(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else math.nan

    def spread(self) -> str:
        return f"{self.times[0] * 1000:.0f}-{self.times[-1] * 1000:.0f}"

    def line(self, label: str, floor: Timing | None = None) -> str:
        ratio = f"  {self.median / floor.median:5.2f} x floor" if floor else ""
        cpu = f"; cpu {self.cpu_median * 1000:.1f} ms" if self.cpu else ""
        if floor and self.cpu and floor.cpu:
            cpu += f" = {self.cpu_median / floor.cpu_median:.2f} x floor"
        return (
            f"  {label:<40}{self.median * 1000:9.1f} ms  (spread {self.spread()} ms, "
            f"n={len(self.times)}){ratio}{cpu}"
        )


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(repeats: int, work: Callable[[], T]) -> tuple[Timing, T]:
    """Run `work` `repeats` times; the timings and the last result."""
    times: list[float] = []
    cpu: list[float] = []
    result: T
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), _cpu()
        result = work()
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - start_cpu)
    return Timing(times, cpu), result


def settle() -> None:
    """Have the C allocator finish with what was freed before. glibc keeps freed small
    blocks aside and merges them only at the next allocation of a large one: freeing two
    parsed 17 MB XML trees leaves ~90 ms of merging, which fell on whatever was timed
    next (the floor's on the work timed after it, which is why the diff measured 2.3x
    here and 1.7x settled). A 4 KB buffer is such an allocation (Python hands anything
    over 512 bytes to malloc)."""
    bytearray(4096)


def interleaved(repeats: int, *works: Callable[[], object]) -> list[Timing]:
    """Time several pieces of work in turns (a, b, a, b, ...), so that load from the other
    users of the machine falls on all of them alike. Each starts on a settled allocator
    (`settle`, untimed), as in a process of its own: it pays for what it frees only when
    it allocates again after that, as such a process would; the floor's own time is
    the same either way."""
    times: list[list[float]] = [[] for _ in works]
    cpu: list[list[float]] = [[] for _ in works]
    for _ in range(repeats):
        for slot, cpu_slot, work in zip(times, cpu, works, strict=True):
            settle()
            start, start_cpu = time.perf_counter(), _cpu()
            work()
            slot.append(time.perf_counter() - start)
            cpu_slot.append(_cpu() - start_cpu)
    return [Timing(t, c) for t, c in zip(times, cpu, strict=True)]


def process(args: Sequence[str], **kwargs: object) -> Callable[[], object]:
    """Work that runs a whole process (start-up included) and checks it succeeded.

    The process runs with Python's default bytecode caching, as an installed voicepkg does
    (pip compiles a wheel's modules when it installs them): with PYTHONDONTWRITEBYTECODE set
    (a development shell may set it) every run would compile each imported module of an
    editable install anew, which no user's run does. The first run writes the cache; the
    benchmarks make a warm-up run before timing."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return lambda: subprocess.run(list(args), check=True, capture_output=True, env=env, **kwargs)  # type: ignore[call-overload]


def exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """Least-squares slope of log(time) over log(size): 1.0 is linear."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
