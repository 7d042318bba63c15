"""Time validation of the Voice sources, managed zip and package folder (medians).

Run by hand: python benchmarks/validate_voice.py [repeats]
The 20 MB case is benchmarks/validate_big.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from timing import Timing, timed

from builder.archive.writer import write_outputs
from builder.build import build_package, build_solutions
from builder.validate import check_project, validate_path

ROOT = Path(__file__).resolve().parents[1]


def line(label: str, timing: Timing, floor: Timing | None = None) -> None:
    print(timing.line(label, floor))


def voice(repeats: int) -> None:
    from builder.sources.load import load_project

    sources = ROOT / "solution_src"
    t_load, project = timed(repeats, lambda: load_project(sources))
    t_rules, found = timed(repeats, lambda: check_project(project))
    t_all, _ = timed(repeats, lambda: validate_path(sources))
    print(f"Voice sources ({len(found)} finding(s) of the rules)")
    line("load (floor: safe XML + source XSDs + model)", t_load)
    line("rules only (check_project)", t_rules)
    line("validate_path(solution_src)", t_all, t_load)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_outputs(out, {**build_solutions(sources), **build_package(sources)})
        zipped = next(out.glob("VoiceForD365_*_managed.zip"))
        t_zip, _ = timed(repeats, lambda: validate_path(zipped))
        t_pkg, _ = timed(repeats, lambda: validate_path(out / "VoiceForD365Package"))
    line("validate_path(VoiceForD365 managed zip)", t_zip)
    line("validate_path(package folder)", t_pkg)


def main() -> None:
    voice(int(sys.argv[1]) if len(sys.argv) > 1 else 5)


if __name__ == "__main__":
    main()
