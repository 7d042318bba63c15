"""Time the build of a generated 200-table solution beside its floor.

Run by hand: python benchmarks/build_200_tables.py [tables] [repeats]
The project is tests/big_project.py: N custom tables of ten columns each, a main form and
two views per table, one role over all of them. The floor is zipping the very entries
the render produced, with no rendering.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from big_project import SOLUTION, big_project  # noqa: E402  (the generator, shared with tests)

from builder.package import zip_bytes  # noqa: E402
from builder.render import render_solution  # noqa: E402

T = TypeVar("T")


def best(repeats: int, work: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of `repeats` runs, and the last result."""
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    project = big_project(count)
    t_render, entries = best(repeats, lambda: render_solution(project, SOLUTION, True))
    t_floor, data = best(repeats, lambda: zip_bytes(entries))
    t_build, _ = best(repeats, lambda: zip_bytes(render_solution(project, SOLUTION, True)))
    size = sum(len(v) for v in entries.values())
    print(f"{count} tables: customizations.xml {len(entries['customizations.xml']) / 1e6:.1f} MB, "
          f"{size / 1e6:.1f} MB rendered, zip {len(data) / 1e6:.2f} MB (best of {repeats})")
    print(f"  render                {t_render * 1000:8.0f} ms")
    print(f"  floor: zip only       {t_floor * 1000:8.0f} ms")
    print(f"  render + zip          {t_build * 1000:8.0f} ms   {t_build / t_floor:5.1f} x floor")


if __name__ == "__main__":
    main()
