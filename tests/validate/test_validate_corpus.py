"""Real exports from ../shared/reference/corpus: validate reports no errors on any of them
(rules run with each solution's own publisher; what cannot be judged is a warning), and our
output schemas accept the real solution.xml, ImportConfig.xml and CMT schema files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from builder.archive.writer import zip_bytes
from builder.validate import validate_path
from builder.validate.outschema import check_ours
from builder.xmlio.safe import read_xml

SOLUTIONS = [
    "Tactec-Inc+dev-powerapps/XML_1_1",
    "JRSasing+crm-dynamics-365/solution",
    "microsoft+Dynamics365-Apps-Samples/customer-service/omnichannel/alm-template-pipeline/"
    "solutions/boilerplate/Solution",
    "microsoft+Dynamics365-Apps-Samples/customer-service/omnichannel/alm-template-pipeline/"
    "solutions/boilerplate/Anchor",
    "MadhaviChidaraboyina+CRM.Omnichannel.ProductivityTools/solutions/AgentscriptComponent/"
    "Solution",
]


@pytest.mark.parametrize("folder", SOLUTIONS)
def test_a_real_solution_has_no_errors(corpus: Path, folder: str) -> None:
    errors = [str(d) for d in validate_path(corpus / folder) if d.severity == "error"]
    assert errors == []


def test_a_real_export_zipped_has_no_errors_and_known_drift_is_a_warning(
    corpus: Path, tmp_path: Path
) -> None:
    folder = corpus / SOLUTIONS[0]
    archive = tmp_path / "XML_1_1.zip"
    archive.write_bytes(zip_bytes({p.name: p.read_bytes() for p in folder.iterdir()}))
    found = validate_path(archive)
    assert [d for d in found if d.severity == "error"] == []
    drift = [d for d in found if d.code == "SCH201"]
    assert len(drift) == 119 and all(d.severity == "warning" for d in drift)
    assert any(d.code == "DV170" and d.severity == "warning" for d in found)  # version 1.1


def _files(corpus: Path, pattern: str) -> list[Path]:
    return sorted(corpus.rglob(pattern))


@pytest.mark.parametrize(
    ("pattern", "schema"),
    [
        ("[Ss]olution.xml", "solution"),
        ("ImportConfig.xml", "importconfig"),
        ("CMT*.xml", "cmt_data_schema"),
        ("voice-*-sample*.xml", "cmt_data_schema"),
        ("[[]Content_Types[]].xml", "content_types"),
    ],
)
def test_our_output_schemas_accept_the_real_files(corpus: Path, pattern: str, schema: str) -> None:
    files = _files(corpus, pattern)
    assert files, pattern
    for path in files:
        assert check_ours(read_xml(str(path)), schema, str(path)) == [], path


def test_json_of_a_corpus_run_is_serialisable(corpus: Path) -> None:
    found = validate_path(corpus / SOLUTIONS[1])
    assert json.loads(json.dumps([d.to_json() for d in found]))


def _corpus2_solutions(corpus2: Path) -> list[Path]:
    zips = sorted((corpus2 / "zips").glob("*.zip"))
    return [*zips, corpus2 / "unpacked-HigherEducationAccelerator"]


def test_every_real_export_of_corpus2_has_no_errors_zipped_or_unzipped(
    corpus2: Path, tmp_path: Path
) -> None:
    """They all imported into Dataverse: whatever validate does not know is a warning."""
    targets = _corpus2_solutions(corpus2)
    for archive in targets[:-1]:
        folder = tmp_path / archive.stem
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(folder)
        targets.append(folder)
    errors = {t.name: [str(d) for d in validate_path(t) if d.severity == "error"] for t in targets}
    assert {name: found for name, found in errors.items() if found} == {}
    assert len(errors) == 2 * len(_corpus2_solutions(corpus2)) - 1


def test_a_foreign_export_gets_advice_that_fits_a_component_it_cannot_rename(
    corpus2: Path,
) -> None:
    found = validate_path(corpus2 / "zips" / "DCCPChannelIntegrationFramework_1_0_0_6.zip")
    dv103 = [d for d in found if d.code == "DV103"]
    assert any("'msdyn_omnichannel'" in d.message for d in dv103)
    assert all(d.severity == "warning" and d.hint.startswith("nothing to fix") for d in dv103)
