"""customizations.xml against Microsoft's schema: the fast lxml gate agrees with xmlschema,
drift of newer exports is a warning, and a real violation is a located error."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from builder.validate.drift import without_drift
from builder.validate.msschema import _ms_schema, check_customizations, fast_schema
from builder.xmlio.safe import read_xml


def _customizations(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("[Cc]ustomizations.xml"))


def test_the_fast_gate_compiles(ms_schemas: Path) -> None:
    assert fast_schema(str(ms_schemas / "CustomizationsSolution.xsd")) is not None


def test_fast_and_exact_validators_agree_on_real_exports(ms_schemas: Path, corpus: Path) -> None:
    path = str(ms_schemas / "CustomizationsSolution.xsd")
    fast, exact = fast_schema(path), _ms_schema(path)
    assert fast is not None
    for file in _customizations(corpus):
        root = etree.parse(str(file)).getroot()
        assert fast.validate(root) == exact.is_valid(root), file


def test_drift_is_a_warning_and_a_real_violation_an_error(ms_schemas: Path, corpus: Path) -> None:
    file = corpus / "Tactec-Inc+dev-powerapps" / "XML_1_1" / "customizations.xml"
    found = check_customizations(read_xml(str(file)), "c.xml")
    assert found and {(d.code, d.severity) for d in found} == {("SCH201", "warning")}
    broken = read_xml(str(file))
    broken.find("Entities/Entity/EntityInfo/entity").set("bogus", "1")
    errors = [d for d in check_customizations(broken, "c.xml") if d.severity == "error"]
    assert [d.code for d in errors] == ["SCH101"] and errors[0].line > 1


@pytest.mark.parametrize("name", ["VoiceForD365", "VoiceForD365Multisession"])
def test_our_customizations_pass_the_fast_gate(
    ms_schemas: Path, built: dict[str, bytes], name: str
) -> None:
    import io
    import zipfile

    data = built[f"{name}_1_0_0_0_managed.zip"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("customizations.xml"))
    checked, drift = without_drift(root, "customizations.xml")  # the SCF N:N sets
    assert drift == []
    fast = fast_schema(str(ms_schemas / "CustomizationsSolution.xsd"))
    assert fast is not None and fast.validate(checked), fast.error_log if fast else None


def test_drift_is_known_only_where_real_exports_put_it(ms_schemas: Path, corpus: Path) -> None:
    """<CascadeArchive> is drift inside an EntityRelationship (corpus2), not on an entity;
    an SCF intersect set is drift as a child of ImportExportXml only."""
    file = corpus / "Tactec-Inc+dev-powerapps" / "XML_1_1" / "customizations.xml"
    root = read_xml(str(file))
    etree.SubElement(root.find("Entities/Entity/EntityInfo/entity"), "CascadeArchive")
    etree.SubElement(root.find("Entities/Entity/EntityInfo/entity"), "x_a_bset")
    root.insert(len(root) - 1, etree.Element("msdyn_a_bset"))
    errors = [d.message for d in check_customizations(root, "c.xml") if d.severity == "error"]
    assert len(errors) == 2 and any("CascadeArchive" in e for e in errors), errors
    drift = [d.message for d in check_customizations(root, "c.xml") if d.code == "SCH201"]
    assert not any("msdyn_a_bset" in m for m in drift)  # the SCF shape, accepted silently
