"""Time the build of the generated 200-table solution beside its floor, and its scaling.

Run by hand: python benchmarks/build_200_tables.py [tables] [repeats]
The project is tests/support/big_project.py: N custom tables of ten columns each, a main form and
two views per table, one role over all of them. The floor is zipping the very entries the
render produced, with no rendering. Build and floor run in turns; medians. Then the build is
timed at 50, 100, 200 and 400 tables and the exponent of time over size printed (1 = linear).
"""

from __future__ import annotations

import sys

from timing import exponent, interleaved

from support.big_project import SOLUTION, big_project  # isort: skip (found through timing's path)
from builder.archive.writer import zip_bytes  # noqa: E402
from builder.render import render_solution  # noqa: E402


def build(project: object) -> bytes:
    return zip_bytes(render_solution(project, SOLUTION, True))  # type: ignore[arg-type]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    project = big_project(count)
    entries = render_solution(project, SOLUTION, True)
    data = zip_bytes(entries)
    t_build, t_floor = interleaved(repeats, lambda: build(project), lambda: zip_bytes(entries))
    size = sum(len(v) for v in entries.values())
    print(
        f"{count} tables: customizations.xml {len(entries['customizations.xml']) / 1e6:.1f} MB,"
        f" {size / 1e6:.1f} MB rendered, zip {len(data) / 1e6:.2f} MB"
    )
    print(t_floor.line("floor: zip the rendered entries"))
    print(t_build.line("build: render + zip", t_floor))
    sizes = (50, 100, 200, 400)
    medians = []
    for n in sizes:
        bigger = big_project(n)
        (timing,) = interleaved(max(3, repeats // 2), lambda p=bigger: build(p))
        medians.append(timing.median)
        print(timing.line(f"build at {n} tables"))
    print(f"  scaling exponent 50-400 tables: {exponent(sizes, medians):.2f} (1.00 is linear)")


if __name__ == "__main__":
    main()
