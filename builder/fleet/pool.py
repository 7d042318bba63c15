"""Run one function over many environments, at most `jobs` at a time, results as they come.

Threads: each environment waits on the network, not the CPU. Work is handed out lazily, so
only `jobs` environments are open at once whatever the fleet's size, and `stop()` (the halt
rule) is asked before each new one starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def bounded(
    items: Iterable[T], work: Callable[[T], R], jobs: int, stop: Callable[[], bool] = lambda: False
) -> Iterator[tuple[T, R]]:
    """(item, result) pairs in the order they finish; items not started when `stop()` turns
    true are left out (the caller sees which)."""
    pending = iter(items)
    running: dict[Future[R], T] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="fleet") as pool:
        while True:
            while len(running) < jobs and not stop():
                item = next(pending, None)
                if item is None:
                    break
                running[pool.submit(work, item)] = item
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), future.result()
