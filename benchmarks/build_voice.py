"""Time `voicepkg build solution --both` and `voicepkg build package` of the Voice sources,
whole processes, beside the floor process: a fresh Python writing the same files from
already-rendered entries with zipfile alone (benchmarks/zip_floor.py).

Run by hand: python benchmarks/build_voice.py [repeats]
Each command and its floor run in turns; medians. The first build after a change of
templates pays for compiling them once (the compiled-template cache), so one warm-up run
of each command comes first.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from timing import ROOT, interleaved, process

from builder.build import load_checked
from builder.render import render_config_data, render_import_config, render_solution
from builder.render.names import (
    config_data_name,
    ordered_solutions,
    package_name,
    package_zip_name,
    solution_zip_name,
)

SOURCES = ROOT / "solution_src"
# the console script; VOICEPKG names another (e.g. an older checkout's) to compare with
VOICEPKG = os.environ.get("VOICEPKG") or str(Path(sys.executable).with_name("voicepkg"))


def solution_spec(project: Any, kinds: tuple[bool, ...]) -> dict[str, Any]:
    return {
        solution_zip_name(s, project.version, managed): render_solution(
            project, s.unique_name, managed
        )
        for s in ordered_solutions(project)
        for managed in kinds
    }


def package_spec(project: Any) -> dict[str, Any]:
    zips = solution_spec(project, (True,))
    names = {s.unique_name: solution_zip_name(s, project.version, True) for s in project.solutions}
    config = config_data_name(project)
    inner = {
        "ImportConfig.xml": render_import_config(project, names, config),
        config: render_config_data(project),
        **zips,
    }
    folder = package_name(project)
    return {**{f"{folder}/{k}": v for k, v in inner.items()}, package_zip_name(project): inner}


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    project = load_checked(SOURCES)
    floor = str(ROOT / "benchmarks" / "zip_floor.py")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        both = solution_spec(project, (True, False))
        for label, args, spec in (
            ("build solution --both", ["solution", "--both"], both),
            ("build package", ["package"], package_spec(project)),
        ):
            pickled = work / "spec.pickle"
            pickled.write_bytes(pickle.dumps(spec))
            out = work / "out"
            command = process([VOICEPKG, "build", *args, "--src", str(SOURCES), "--out", str(out)])
            command()  # warm-up: a first run may compile the templates into the cache
            floor_run = process([sys.executable, floor, str(pickled), str(work / "floor")])
            t_cmd, t_floor = interleaved(repeats, command, floor_run)
            print(f"voicepkg {label} ({len(spec)} files)")
            print(t_floor.line("floor process: zipfile writes the files"))
            print(t_cmd.line(f"voicepkg {label}", t_floor))
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
