"""Time loading solution_src (run by hand: python benchmarks/load_voice.py [src] [rounds]).

The first load pays for compiling the XSDs (cached per process); later loads show the
steady cost of parsing, validating and building the model.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from builder.load import load_project, source_files

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "solution_src"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    start = time.perf_counter()
    project = load_project(src)
    first = time.perf_counter() - start
    times: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        load_project(src)
        times.append(time.perf_counter() - start)
    files = len(source_files(src))
    print(
        f"{src}: {files} source files, {len(project.tables)} tables, "
        f"{len(project.forms)} forms, {len(project.views)} views, {len(project.settings)} settings"
    )
    print(f"first load (compiles XSDs): {first * 1000:.1f} ms")
    median = statistics.median(times)
    print(
        f"later loads over {rounds} rounds: median {median * 1000:.1f} ms, "
        f"best {min(times) * 1000:.1f} ms, {median / files * 1000:.2f} ms per file"
    )


if __name__ == "__main__":
    main()
