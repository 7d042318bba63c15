"""Time the Voice build beside its floor (zipping the same entries with no rendering).

Run by hand: python benchmarks/build_voice.py [solution_src] [repeats]
Prints best-of-N times for load, render, zip and the whole package build, and the ratio of
the build to the floor.
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_200_tables import best

from builder.build import load_checked, package_files
from builder.package import zip_bytes
from builder.render import render_config_data, render_solution

ROOT = Path(__file__).resolve().parent.parent


def render_all(project) -> list[dict[str, bytes]]:  # type: ignore[no-untyped-def]
    parts = [render_solution(project, s.unique_name, True) for s in project.solutions]
    return [*parts, render_config_data(project)]


def floor(entries: list[dict[str, bytes]]) -> bytes:
    """The zipping a package build does, over already-rendered entries: the lower bound."""
    inner = {f"{i}.zip": zip_bytes(e) for i, e in enumerate(entries)}
    return zip_bytes(inner)


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "solution_src"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    t_load, project = best(repeats, lambda: load_checked(src))
    t_render, entries = best(repeats, lambda: render_all(project))
    t_floor, _ = best(repeats, lambda: floor(entries))
    t_build, files = best(repeats, lambda: package_files(project))
    size = sum(len(v) for e in entries for v in e.values())
    print(f"Voice: {len(project.tables)} tables, {sum(len(e) for e in entries)} entries, "
          f"{size / 1024:.0f} KiB rendered, {len(files)} output files (best of {repeats})")
    print(f"  load + check          {t_load * 1000:8.1f} ms")
    print(f"  render (all entries)  {t_render * 1000:8.1f} ms")
    print(f"  floor: zip only       {t_floor * 1000:8.1f} ms")
    print(f"  package from model    {t_build * 1000:8.1f} ms   "
          f"{t_build / t_floor:5.1f} x floor")
    print(f"  load + package        {(t_load + t_build) * 1000:8.1f} ms   "
          f"{(t_load + t_build) / t_floor:5.1f} x floor")


if __name__ == "__main__":
    main()
