"""How long `voicepkg --help` and `voicepkg build --help` take, and what they import.

Run by hand: python benchmarks/build_startup.py [repeats]
Start-up should stay lean: subcommands are imported only when run, and `build` imports the
loader and renderers only inside the command.
"""

from __future__ import annotations

import subprocess
import sys
import time

HEAVY = ("jinja2", "lxml", "xmlschema", "httpx", "azure", "rich", "builder.render",
         "builder.load", "builder.validate")


def timed(args: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def imported(code: str) -> list[str]:
    """Heavy modules that running `code` imports (from python -X importtime)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                          capture_output=True, text=True, check=True)
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    return sorted(n for n in names if n.split(".")[0] in HEAVY or n in HEAVY)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    bare = timed([sys.executable, "-c", "pass"], repeats)
    cli = "from builder.cli import main; main(['--help'])"
    build = "from builder.cli import main; main(['build', '--help'])"
    for label, code in (("voicepkg --help", cli), ("voicepkg build --help", build)):
        took = timed([sys.executable, "-c", code], repeats)
        print(f"{label:24} {took * 1000:6.0f} ms  (python alone {bare * 1000:.0f} ms, "
              f"best of {repeats})")
        print(f"{'':24} heavy imports: {', '.join(imported(code)) or 'none'}")


if __name__ == "__main__":
    main()
