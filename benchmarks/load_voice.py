"""Time loading solution_src, and a generated tree N times larger (run by hand).

    python benchmarks/load_voice.py [src] [--rounds 20] [--tables 200]

The first load pays for compiling the XSDs (cached per process); later loads show the
steady cost of parsing, validating and building the model. The generated tree adds N copies
of the callback profile table with its form and views, to show how the cost grows per file.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from builder.sources.load import load_project, source_files

ROOT = Path(__file__).resolve().parent.parent
COPIED = (
    "tables/enreach_callbackprofile.xml",
    "forms/enreach_callbackprofile/callback-profile.xml",
    "views/enreach_callbackprofile.xml",
)


def timed(src: Path, rounds: int) -> list[float]:
    times: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        load_project(src)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, src: Path, rounds: int) -> None:
    project = load_project(src)
    files = len(source_files(src))
    median = statistics.median(timed(src, rounds))
    print(
        f"{label}: {files} files, {len(project.tables)} tables, {len(project.forms)} forms, "
        f"{len(project.views)} views: median {median * 1000:.1f} ms over {rounds} loads, "
        f"{median / files * 1000:.2f} ms per file"
    )


def generate(src: Path, target: Path, tables: int) -> Path:
    """A copy of `src` with `tables` renamed copies of the callback profile's files."""
    shutil.copytree(src, target)
    for n in range(tables):
        for relative in COPIED:
            text = (src / relative).read_text(encoding="utf-8")
            text = text.replace("enreach_CallbackProfile", f"enreach_Gen{n:03d}")
            text = text.replace("enreach_callbackprofile", f"enreach_gen{n:03d}")
            out = target / relative.replace("enreach_callbackprofile", f"enreach_gen{n:03d}")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("src", nargs="?", type=Path, default=ROOT / "solution_src")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--tables", type=int, default=200)
    args = parser.parse_args()
    start = time.perf_counter()
    load_project(args.src)
    print(f"first load (compiles the XSDs): {(time.perf_counter() - start) * 1000:.1f} ms")
    report("solution_src", args.src, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        big = generate(args.src, Path(tmp) / "src", args.tables)
        report(f"generated (+{args.tables} tables)", big, max(3, args.rounds // 10))


if __name__ == "__main__":
    main()
