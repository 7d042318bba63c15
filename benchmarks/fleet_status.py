"""`fleet status` over many fake environments, each answering every request after a fixed
latency: wall time against the ideal (environments / jobs x one environment's time, measured
in the same run), and memory against the size of the fleet.

Run by hand: python benchmarks/fleet_status.py [environments] [jobs] [latency_seconds]
The fake servers run in a child process (tests/fakes, one loopback server each), so the
measured process holds only the fleet's side: its threads, connections and rows. Memory is
tracemalloc's peak of the status run, in a second run without timing: the working memory
(peak minus the rows kept) should not grow with the fleet, the rows may.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.fleet_fixtures import CURRENT, spec  # noqa: E402
from fakes.packages import write_package  # noqa: E402

from builder.deploy.clock import SystemClock  # noqa: E402
from builder.deploy.package_contents import Package, read_package_contents  # noqa: E402
from builder.fleet.fleetfile import Environment, Fleet, load_fleet  # noqa: E402
from builder.fleet.status import fleet_status  # noqa: E402

SERVE = """
import json, sys
sys.path.insert(0, {tests!r})
from fakes.fleet_fixtures import fleet_of
kinds = [(k, 1) for k in ("current", "behind", "drift", "layer") * {count}][:{count}]
with fleet_of(kinds, latency={latency}) as envs:
    print(json.dumps([[e.name, e.url, e.token, e.variable] for e in envs]), flush=True)
    sys.stdin.read()
"""


def serve(count: int, latency: float) -> tuple[subprocess.Popen[str], list[list[str]]]:
    code = SERVE.format(tests=str(ROOT / "tests"), count=count, latency=latency)
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    return child, json.loads(child.stdout.readline())


def write_fleet(folder: Path, envs: list[list[str]], jobs: int) -> Fleet:
    lines = ["[fleet]", f"jobs = {jobs}", ""]
    for name, url, _, variable in envs:
        lines += [
            "[[environment]]",
            f'name = "{name}"',
            f'url = "{url}"',
            "ring = 1",
            f'auth = {{ token_env = "{variable}" }}',
            "",
        ]
    (folder / "fleet.toml").write_text("\n".join(lines))
    return load_fleet(folder / "fleet.toml")


def status(
    envs: list[Environment], package: Package, environ: dict[str, str], jobs: int
) -> tuple[float, list[dict[str, object]]]:
    start = time.perf_counter()
    rows = list(fleet_status(envs, package, environ, SystemClock(), jobs, 120.0))
    seconds = time.perf_counter() - start
    failed = [r for r in rows if r["status"] == "failed"]
    assert not failed, failed[0]
    return seconds, rows


def measure_memory(
    envs: list[Environment], package: Package, environ: dict[str, str], jobs: int
) -> tuple[int, int]:
    """(peak bytes during the run, bytes the rows keep afterwards)."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    rows = list(fleet_status(envs, package, environ, SystemClock(), jobs, 120.0))
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(rows) == len(envs)
    return peak - base, kept - base


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    latency = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    child, served = serve(count, latency)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            fleet = write_fleet(folder, served, jobs)
            package = read_package_contents(write_package(folder, spec(CURRENT)))
            environ = {variable: token for _, _, token, variable in served} | dict(os.environ)
            envs = list(fleet.environments)
            one = min(status(envs[:1], package, environ, 1)[0] for _ in range(3))
            whole, rows = status(envs, package, environ, jobs)
            ideal = math.ceil(count / jobs) * one
            print(f"environments {count}, jobs {jobs}, latency {latency * 1000:.0f} ms per request")
            print(f"one environment alone   {one:7.2f} s")
            print(f"fleet status            {whole:7.2f} s")
            print(f"ideal (ceil(n/jobs) x one) {ideal:4.2f} s   ratio {whole / ideal:.2f}")
            print(
                f"rows: {len(rows)}, "
                f"{sum(len(json.dumps(r)) for r in rows) / len(rows):.0f} bytes of JSON each"
            )
            for size in sorted({max(jobs, count // 4), count}):
                peak, kept = measure_memory(envs[:size], package, environ, jobs)
                print(
                    f"memory, {size:4d} environments: peak {peak / 1e6:6.2f} MB, rows kept "
                    f"{kept / 1e6:5.2f} MB, working (peak - rows) {(peak - kept) / 1e6:5.2f} MB"
                )
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=60)


if __name__ == "__main__":
    main()
