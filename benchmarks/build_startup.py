"""How long `voicepkg --help` and `voicepkg build --help` take, and what they import.

Run by hand: python benchmarks/build_startup.py [repeats]
The console script `voicepkg` and `python -c pass` run in turns; medians.
Start-up should stay lean: subcommands are imported only when run, and `build` imports the
loader and renderers only inside the command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from timing import interleaved, process

HEAVY = (
    "jinja2",
    "lxml",
    "xmlschema",
    "httpx",
    "azure",
    "rich",
    "builder.render",
    "builder.sources.load",
    "builder.validate",
)


def imported(code: str) -> list[str]:
    """Heavy modules that running `code` imports (from python -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    return sorted(n for n in names if n.split(".")[0] in HEAVY or n in HEAVY)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    voicepkg = os.environ.get("VOICEPKG") or str(Path(sys.executable).with_name("voicepkg"))
    runs = (
        process([sys.executable, "-c", "pass"]),
        process([voicepkg, "--help"]),
        process([voicepkg, "build", "--help"]),
    )
    for run in runs:
        run()  # warm-up: a first run writes the bytecode and help caches
    bare, top, build = interleaved(repeats, *runs)
    print(bare.line("floor: python -c pass"))
    print(top.line("voicepkg --help", bare))
    print(build.line("voicepkg build --help", bare))
    for code in (
        "from builder.cli import main; main(['--help'])",
        "from builder.cli import main; main(['build', '--help'])",
    ):
        print(f"  {code}: heavy imports: {', '.join(imported(code)) or 'none'}")


if __name__ == "__main__":
    main()
