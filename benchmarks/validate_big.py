"""Time `validate` of a generated ~20 MB customizations.xml in a zip, beside its floor, and
measure its peak memory.

Run by hand: python benchmarks/validate_big.py [tables] [repeats]
The solution is tests/support/big_project.py at 240 tables (~20 MB of customizations.xml). The floor
is what any validation must do: unzip, parse with lxml, validate with lxml against the same
Microsoft schema (compiled before timing, as validate's is after its first use). Three
files: clean, with known drift (IsSearchable in every column: a SCH201 warning each) and
with one real schema error. Memory: peak RSS (VmHWM) of a fresh process running
validate_path, minus its RSS just before (imports done, schemas compiled on a small file),
over the XML's size.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from lxml import etree
from timing import interleaved

from support.big_project import SOLUTION, big_project  # isort: skip (found through timing's path)
from builder.archive.safezip import read_zip
from builder.archive.writer import zip_bytes
from builder.render import render_solution
from builder.validate import validate_path
from builder.validate.msschema import fast_schema, ms_schema_path

# The peak is the process's own high-water mark (VmHWM, kept per address space): Linux
# carries ru_maxrss over fork and exec, so a child's ru_maxrss is at least what its parent
# (this benchmark, holding the rendered solution) had resident when it started the child.
MEMORY = """
import resource, sys
from pathlib import Path
from builder.validate import validate_path
validate_path(Path(sys.argv[2]))  # warm: imports, schemas compiled
before = int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize()
validate_path(Path(sys.argv[1]))
status = open('/proc/self/status').read()
peak = int(status.split('VmHWM:')[1].split()[0]) * 1024
print(before, peak)
"""


def with_drift(data: bytes) -> bytes:
    """IsSearchable in every column (<attribute>), where 9.1+ exports write it."""
    tag = b"</IsSecured>\n"
    return data.replace(tag, b"</IsSecured><IsSearchable>1</IsSearchable>\n")


def with_error(data: bytes) -> bytes:
    return data.replace(b"<Entity>", b'<Entity bogus="1">', 1)


def main() -> None:
    tables = int(sys.argv[1]) if len(sys.argv) > 1 else 240
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    entries = render_solution(big_project(tables), SOLUTION, True)
    xml = entries["customizations.xml"]
    schema = fast_schema(str(ms_schema_path()))
    assert schema is not None

    def floor(path: Path) -> bool:
        xml = read_zip(path.read_bytes())["customizations.xml"]
        return bool(schema.validate(etree.fromstring(xml)))

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for label, data in (("clean", xml), ("drift", with_drift(xml)), ("error", with_error(xml))):
            files[label] = Path(tmp) / f"{label}.zip"
            files[label].write_bytes(zip_bytes({**entries, "customizations.xml": data}))
        small = Path(tmp) / "small.zip"
        small.write_bytes(zip_bytes(render_solution(big_project(2), SOLUTION, True)))
        found = {k: validate_path(p) for k, p in files.items()}  # warm-up: compiles
        print(
            f"{tables} tables: customizations.xml {len(xml) / 1e6:.1f} MB; findings: "
            + ", ".join(
                f"{k} {sum(d.severity == 'error' for d in v)} errors "
                f"{sum(d.severity == 'warning' for d in v)} warnings"
                for k, v in found.items()
            )
        )
        t_floor, t_clean, t_drift, t_error = interleaved(
            repeats,
            lambda: floor(files["clean"]),
            lambda: validate_path(files["clean"]),
            lambda: validate_path(files["drift"]),
            lambda: validate_path(files["error"]),
        )
        print(t_floor.line("floor: unzip + lxml parse + lxml XSD"))
        print(t_clean.line("validate clean zip", t_floor))
        print(t_drift.line("validate zip with drift", t_floor))
        print(t_error.line("validate zip with one schema error", t_floor))
        print(f"  schema error / clean: {t_error.median / t_clean.median:.2f} x")
        peaks = []
        for _ in range(3):
            done = subprocess.run(
                [sys.executable, "-c", MEMORY, str(files["clean"]), str(small)],
                capture_output=True,
                text=True,
                check=True,
            )
            before, peak = map(int, done.stdout.split())
            peaks.append(peak - before)
        growth = sorted(peaks)[1]
        print(
            f"  peak memory of validate (clean): +{growth / 1e6:.0f} MB over the process "
            f"before it = {growth / len(xml):.1f} x the XML size (median of 3)"
        )


if __name__ == "__main__":
    main()
