"""The web resource payloads in solution_src are real, well-formed files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from builder.model import WebResource
from builder.sources.load import load_project
from builder.xmlio.safe import parse_xml


def payloads(sources: Path, kind: str) -> list[WebResource]:
    found = [w for w in load_project(sources).web_resources if w.type == kind]
    assert found, f"no {kind} web resource"
    return found


def test_svg_payloads_are_well_formed_svg(sources: Path) -> None:
    for resource in payloads(sources, "svg"):
        root = parse_xml(resource.content, resource.file)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_script_payloads_are_valid_javascript(sources: Path, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot check the JavaScript syntax")
    for resource in payloads(sources, "js"):
        script = tmp_path / Path(resource.file).name
        script.write_bytes(resource.content)
        checked = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_scripts_define_the_functions_forms_and_commands_call(sources: Path) -> None:
    project = load_project(sources)
    scripts = {w.name: w.content.decode() for w in project.web_resources if w.type == "js"}
    calls = [(e.library, e.function) for f in project.forms for e in f.events]
    calls += [(c.library, c.function) for c in project.commands]
    assert calls
    for library, function in calls:
        namespace, _, name = function.rpartition(".")
        assert f"{namespace} = " in scripts[library] and f"{name}: function" in scripts[library]
