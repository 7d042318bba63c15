"""`unpack`: a built solution or package back into sources that build the same thing; safe
and all-or-nothing writing; parts the model does not cover kept, with a warning."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.zipsame import differences, zip_entries

from builder.archive.writer import write_outputs, zip_bytes
from builder.build import build_package, build_solutions
from builder.cli import cli
from builder.errors import BuildError
from builder.model import Project
from builder.read.package_project import read_package
from builder.read.solution import read_solution, read_solution_zip
from builder.sources.load import load_project
from builder.unpack.run import unpack_path


@pytest.fixture(scope="module")
def base_zip(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zips")
    write_outputs(out, build_solutions(sources))
    return next(out.glob("VoiceForD365_*_managed.zip"))


def test_an_unpacked_solution_builds_to_the_same_solution(base_zip: Path, tmp_path: Path) -> None:
    result = unpack_path(base_zip, tmp_path / "src")
    # The virtual table too (its URL variable is named by the data source our build writes),
    # and so the app that shows its views.
    assert result.kept_whole == [] and result.warnings == []
    assert not any(name.startswith("raw/") for name in result.files)  # no frame either
    assert "tables/enreach_setting.xml" in result.files
    assert rebuilt(tmp_path / "src") == read_solution_zip(base_zip)


def test_the_build_of_an_unpacked_tree_reads_back_as_the_zip(
    base_zip: Path, tmp_path: Path
) -> None:
    unpack_path(base_zip, tmp_path / "src")
    rebuilt = build_solutions(tmp_path / "src")[base_zip.name]
    assert differences(zip_entries(base_zip.read_bytes()), zip_entries(rebuilt)) == []
    assert read_solution_zip(rebuilt) == read_solution_zip(base_zip)


def test_an_unpacked_package_builds_to_the_same_package(sources: Path, tmp_path: Path) -> None:
    write_outputs(tmp_path / "dist", build_package(sources))
    package = next((tmp_path / "dist").glob("VoiceForD365Package_*.zip"))
    unpack_path(package, tmp_path / "src")
    assert (tmp_path / "src" / "settings").is_dir()
    write_outputs(tmp_path / "again", build_package(tmp_path / "src"))
    rebuilt = next((tmp_path / "again").glob("VoiceForD365Package_*.zip"))
    assert read_package(rebuilt) == read_package(package)
    assert {s.unique_name for s in load_project(tmp_path / "src").solutions} == {
        "VoiceForD365",
        "VoiceForD365Multisession",
    }


def rebuilt(src: Path, solution: str = "VoiceForD365") -> Project:
    """What `build` makes of an unpacked tree, read back."""
    built = build_solutions(src)
    name = next(n for n in built if n.startswith(f"{solution}_") and n.endswith("_managed.zip"))
    return read_solution_zip(built[name])


def _with_extras(zip_path: Path) -> bytes:
    """Our zip plus a flow (a whole entry) and a workflow row in customizations.xml."""
    with zipfile.ZipFile(zip_path) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    flow = (
        b'<Workflow WorkflowId="{11111111-2222-3333-4444-555555555555}" Name="Sync">'
        b"<JsonFileName>/Workflows/Sync-1.json</JsonFileName></Workflow>"
    )
    entries["customizations.xml"] = entries["customizations.xml"].replace(
        b"<Workflows />", b"<Workflows>" + flow + b"</Workflows>"
    )
    entries["Workflows/Sync-1.json"] = b'{"definition": {}}'
    if b'Extension="json"' not in entries["[Content_Types].xml"]:  # as an export types it
        entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Default Extension="json" ContentType="application/octet-stream" /></Types>',
        )
    return zip_bytes(entries)


def test_parts_the_model_does_not_cover_are_kept_and_rebuilt(
    base_zip: Path, tmp_path: Path
) -> None:
    data = _with_extras(base_zip)
    (tmp_path / "in.zip").write_bytes(data)
    result = unpack_path(tmp_path / "in.zip", tmp_path / "src")
    raw = tmp_path / "src" / "raw" / "VoiceForD365"
    assert (raw / "entries" / "Workflows" / "Sync-1.json").read_bytes() == b'{"definition": {}}'
    assert list((raw / "sections" / "Workflows").glob("*.xml"))
    assert rebuilt(tmp_path / "src") == read_solution_zip(data)
    assert result.files  # and it said nothing was dropped: no error, raw parts written


def test_a_table_the_model_holds_only_in_part_is_kept_as_exported(
    base_zip: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(base_zip) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    custom = entries["customizations.xml"]
    entries["customizations.xml"] = custom.replace(  # an autonumber column: not modelled
        b"<PhysicalName>", b"<PhysicalName>", 1
    ).replace(
        b'<attribute PhysicalName="enreach_EnreachCallId">',
        b'<attribute PhysicalName="enreach_EnreachCallId"><AutoNumberFormat>CALL-{SEQNUM:6}'
        b"</AutoNumberFormat>",
        1,
    )
    (tmp_path / "in.zip").write_bytes(zip_bytes(entries))
    result = unpack_path(tmp_path / "in.zip", tmp_path / "src")
    assert ("table", "phonecall") in [(f.kind, f.key) for f in result.kept_whole]
    assert any(w.code == "RD100" and "phonecall" in w.message for w in result.warnings)
    assert (tmp_path / "src/raw/VoiceForD365/sections/Entities/PhoneCall.xml").is_file()
    assert not (tmp_path / "src/tables/phonecall.xml").exists()
    assert rebuilt(tmp_path / "src") == read_solution(tmp_path / "in.zip").project


def test_a_folder_that_is_not_empty_is_refused_unless_forced(
    base_zip: Path, tmp_path: Path
) -> None:
    out = tmp_path / "src"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(BuildError) as refused:
        unpack_path(base_zip, out)
    assert refused.value.diagnostics[0].code == "UNP001"
    assert (out / "mine.txt").read_text() == "keep me"
    unpack_path(base_zip, out, force=True)
    assert not (out / "mine.txt").exists() and (out / "project.xml").is_file()


def test_a_failed_unpack_leaves_no_folder_and_no_temporary_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(BuildError):
        unpack_path(bad, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip"]


def test_a_zip_with_an_escaping_path_is_refused_before_anything_is_written(
    base_zip: Path, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, zipfile.ZipFile(base_zip) as good:
        for name in good.namelist():
            archive.writestr(name, good.read(name))
        archive.writestr("../evil.txt", b"x")
    (tmp_path / "evil.zip").write_bytes(buffer.getvalue())
    result = CliRunner().invoke(
        cli, ["unpack", str(tmp_path / "evil.zip"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1 and "ZIP004" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_the_unpack_command_reports_what_it_wrote(base_zip: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["unpack", str(base_zip), "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "unpacked" in result.output and "0 component(s) kept as exported" in result.output
    assert "warning" not in result.output
