"""Time validation: the Voice sources and package, and a generated 20 MB customizations.xml.

Run by hand: python benchmarks/validate_voice.py [tables] [repeats]
The big solution is the 200-table generator of build_200_tables.py scaled to ~20 MB of
customizations.xml (240 tables by default). Each stage is shown beside its floor: the bare
lxml parse of the same bytes, with no safety checks, no schema and no rules.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_200_tables import SOLUTION, best, big_project  # noqa: E402

from builder.build import build_package, build_solutions  # noqa: E402
from builder.package import write_outputs, zip_bytes  # noqa: E402
from builder.render import render_solution  # noqa: E402
from builder.validate import check_project, validate_path  # noqa: E402
from builder.validate.msschema import (  # noqa: E402
    _ms_schema,
    check_customizations,
    fast_schema,
    ms_schema_path,
)
from builder.xmlsafe import parse_xml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def line(label: str, seconds: float, floor: float | None = None) -> None:
    ratio = f"   {seconds / floor:6.1f} x floor" if floor else ""
    print(f"  {label:<44}{seconds * 1000:9.0f} ms{ratio}")


def voice(repeats: int) -> None:
    from builder.load import load_project

    sources = ROOT / "solution_src"
    t_load, project = best(repeats, lambda: load_project(sources))
    t_rules, found = best(repeats, lambda: check_project(project))
    t_all, _ = best(repeats, lambda: validate_path(sources))
    print(f"Voice sources ({len(found)} finding(s) of the rules)")
    line("load (floor: safe XML + source XSDs + model)", t_load)
    line("rules only (check_project)", t_rules)
    line("validate_path(solution_src)", t_all, t_load)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_outputs(out, {**build_solutions(sources), **build_package(sources)})
        zipped = next(out.glob("VoiceForD365_*_managed.zip"))
        t_zip, _ = best(repeats, lambda: validate_path(zipped))
        t_pkg, _ = best(repeats, lambda: validate_path(out / "VoiceForD365Package"))
    line("validate_path(VoiceForD365 managed zip)", t_zip)
    line("validate_path(package folder)", t_pkg)


def compile_times() -> None:
    path = str(ms_schema_path())
    for label, compile_ in (("lxml gate (patched in memory)", fast_schema),
                            ("xmlschema (exact findings)", _ms_schema)):
        compile_.cache_clear()
        start = time.perf_counter()
        compile_(path)
        line(f"compile Microsoft XSD: {label}", time.perf_counter() - start)


def with_drift(data: bytes) -> bytes:
    """What a newer export writes: IsSearchable in every attribute (a SCH201 warning each)."""
    tag = b"</IsCustomizable>\n"
    return data.replace(tag, b"</IsCustomizable><IsSearchable>1</IsSearchable>\n")


def big(tables: int, repeats: int) -> None:
    entries = render_solution(big_project(tables), SOLUTION, True)
    data = entries["customizations.xml"]
    t_floor, _ = best(repeats, lambda: etree.fromstring(data))
    t_safe, root = best(repeats, lambda: parse_xml(data, "customizations.xml"))
    print(f"Generated solution: {tables} tables, customizations.xml {len(data) / 1e6:.1f} MB, "
          f"best of {repeats}")
    compile_times()
    t_xsd, found = best(repeats, lambda: check_customizations(root, "customizations.xml"))
    line("floor: bare lxml parse", t_floor)
    line("xmlsafe.parse_xml (encoding, DTD checks)", t_safe, t_floor)
    line(f"Microsoft XSD, valid file ({len(found)} findings)", t_xsd, t_floor)
    drifted = parse_xml(with_drift(data), "customizations.xml")
    t_drift, warned = best(1, lambda: check_customizations(drifted, "customizations.xml"))
    line(f"Microsoft XSD, with drift ({len(warned)} warnings)", t_drift, t_floor)
    broken = parse_xml(data.replace(b"<Entity>", b"<Entity bogus=\"1\">", 1), "c.xml")
    t_error, errors = best(1, lambda: check_customizations(broken, "customizations.xml"))
    line(f"Microsoft XSD, one real error ({len(errors)} found; xmlschema)", t_error, t_floor)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.zip"
        path.write_bytes(zip_bytes(entries))
        t_all, result = best(repeats, lambda: validate_path(path))
    errors = sum(d.severity == "error" for d in result)
    line(f"validate_path(zip): all layers ({errors} errors)", t_all, t_floor)


def main() -> None:
    tables = int(sys.argv[1]) if len(sys.argv) > 1 else 240
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    voice(repeats)
    big(tables, repeats)


if __name__ == "__main__":
    main()
