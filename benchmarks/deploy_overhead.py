"""Deploy's own cost beside the server's import time, and HTTP requests for 1,000 settings.

Run by hand: python benchmarks/deploy_overhead.py [import_seconds] [poll_interval]
A fake Dataverse on loopback (tests/fakes) takes `import_seconds` of wall time per import.
The deploy runs through the real CLI with the real clock. Overhead = deploy wall time minus
the server's import time (a poll interval of slack is the price of polling). The request
counts show what $batch saves: one request per 1,000 records instead of one per record.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.dataverse import FakeDataverse  # noqa: E402
from fakes.fixtures import TOKEN, settings_file  # noqa: E402
from fakes.packages import Spec, write_package  # noqa: E402

from builder.cli import main  # noqa: E402


def run(fake: FakeDataverse, package: Path, settings: Path) -> tuple[int, float]:
    argv = [
        "deploy",
        "--env",
        fake.url,
        "--package",
        str(package),
        "--settings",
        str(settings),
        "--json",
    ]
    start = time.perf_counter()
    devnull = open(os.devnull, "w")  # noqa: SIM115
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = devnull
    try:
        code = main(argv)
    except SystemExit as done:
        code = done.code
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        devnull.close()
    return int(code or 0), time.perf_counter() - start


def deploy_once(folder: Path, spec: Spec, import_seconds: float) -> tuple[float, Counter[str], int]:
    fake = FakeDataverse(TOKEN).start()
    try:
        fake.add_tables("msdyn_ciprovider")
        fake.import_seconds, fake.polls_to_finish = import_seconds, 1
        package = write_package(folder, spec)
        settings = settings_file(folder, {"enreach_EnreachApiBaseUrl": "https://api.example"})
        code, seconds = run(fake, package, settings)
        assert code == 0, f"deploy failed with exit code {code}"
        kinds = Counter(f"{r.method} {r.path.split('(')[0].split('?')[0]}" for r in fake.log)
        operations = sum(r.operations for r in fake.log)
        return seconds, kinds, operations
    finally:
        fake.stop()


def main_bench() -> None:
    import_seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    interval = sys.argv[2] if len(sys.argv) > 2 else "0.25"
    os.environ.update(DATAVERSE_TOKEN=TOKEN, VOICEPKG_POLL_INTERVAL=interval)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, kinds, _ = deploy_once(Path(tmp), Spec(), import_seconds)
        print(f"server import time      {import_seconds:6.2f} s")
        print(f"deploy wall time        {seconds:6.2f} s")
        print(
            f"deploy overhead         {seconds - import_seconds:6.2f} s "
            f"(poll interval {interval} s)"
        )
        print(f"HTTP requests           {sum(kinds.values()):6d}  {dict(sorted(kinds.items()))}")
        big = Path(tmp) / "big"
        big.mkdir()
        spec = Spec(settings={f"Setting{i:04}": str(i) for i in range(1000)})
        seconds, kinds, operations = deploy_once(big, spec, 0.0)
        batches = kinds.get("POST $batch", 0)
        print(
            f"1,000 settings: {sum(kinds.values())} HTTP requests in all, {batches} $batch "
            f"request(s) carrying {operations} writes (1,000 settings and the CIF 1.0 "
            f"provider; one request per record would be {operations}); deploy {seconds:.2f} s"
        )


if __name__ == "__main__":
    main_bench()
