"""The drift scan and the schema findings of customizations.xml, against their references:
the C-speed scan finds exactly what a walk over every element finds, taking drift out of the
tree for the check puts every byte back, the patched lxml schema agrees with xmlschema on
every real export, and lxml's findings name the lines xmlschema names."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from support.big_project import SOLUTION, big_project

from builder.render import render_solution
from builder.validate.drift import _findings, _stripped, drift_findings, drift_removed
from builder.validate.msschema import (
    _lxml_findings,
    _ms_finding,
    _ms_schema,
    check_customizations,
    fast_schema,
)
from builder.xmlio.safe import parse_xml

XML_1_1 = Path("Tactec-Inc+dev-powerapps") / "XML_1_1" / "customizations.xml"
ENTITY = "Entities/Entity/EntityInfo/entity"


def real_exports(*folders: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every customizations.xml of the corpora, loose or in a zip."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("[Cc]ustomizations.xml")):
            found.append((str(path), path.read_bytes()))
        for path in sorted(folder.rglob("*.zip")):
            with zipfile.ZipFile(path) as archive:
                found += [
                    (f"{path}!{n}", archive.read(n))
                    for n in archive.namelist()
                    if n.lower() == "customizations.xml"
                ]
    return found


def with_drift(data: bytes) -> bytes:
    """Our generated output with drift of every kind the scan looks for."""
    searchable = b"</IsCustomizable><IsSearchable>1</IsSearchable>\n"
    data = data.replace(b"</IsCustomizable>\n", searchable)
    data = data.replace(b"<form>", b'<form headerdensity="High">')
    data = data.replace(b"<AppModules />", b"<AppModules></AppModules>")
    intersect = b"<msdyn_a_bset><x/></msdyn_a_bset></ImportExportXml>"
    return data.replace(b"</ImportExportXml>", intersect)


@pytest.fixture(scope="module")
def documents(corpus: Path, corpus2: Path) -> list[tuple[str, bytes]]:
    generated = render_solution(big_project(3), SOLUTION, True)["customizations.xml"]
    return [
        *real_exports(corpus, corpus2),
        ("generated", generated),
        ("generated with drift", with_drift(generated)),
    ]


def as_found(items: list[tuple[etree._Element, str, bool]]) -> list[tuple[int, str, bool]]:
    return [(e.sourceline, what, whole) for e, what, whole in items]


def test_the_fast_scan_finds_what_the_walk_over_every_element_finds(
    documents: list[tuple[str, bytes]],
) -> None:
    assert len(documents) >= 10
    drifted = 0
    for name, data in documents:
        root = parse_xml(data, name)
        expected = as_found(list(_findings(root)))
        assert as_found(drift_findings(root, data)) == expected, name
        assert as_found(drift_findings(root)) == expected, name
        drifted += bool(expected)
    assert drifted >= 3  # the comparison covers real drift, not only clean files


def test_drift_is_taken_out_for_the_check_and_put_back_byte_for_byte(
    documents: list[tuple[str, bytes]],
) -> None:
    for name, data in documents:
        root = parse_xml(data, name)
        before = etree.tostring(root)
        marked = drift_findings(root, data)
        with drift_removed(marked):
            assert etree.tostring(root) == etree.tostring(_stripped(parse_xml(data, name))), name
        assert etree.tostring(root) == before, name


def test_the_lxml_gate_agrees_with_xmlschema_on_every_real_export(
    ms_schemas: Path, documents: list[tuple[str, bytes]]
) -> None:
    path = str(ms_schemas / "CustomizationsSolution.xsd")
    fast, exact = fast_schema(path), _ms_schema(path)
    assert fast is not None
    for name, data in documents:
        root = parse_xml(data, name)
        with drift_removed(drift_findings(root, data)):
            assert fast.validate(root) == exact.is_valid(root), name


def _unexpected_pair(root: etree._Element) -> None:
    etree.SubElement(root.find(ENTITY), "Foo")
    etree.SubElement(root.find(ENTITY), "Bar")


def _missing_attributes(root: etree._Element) -> None:
    entity = root.find(ENTITY)
    entity.remove(entity.find("attributes"))


def _text(path: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        root.find(path).text = value

    return change


def _bogus_everywhere(root: etree._Element) -> None:
    for attribute in root.iter("attribute"):
        attribute.set("bogus", "1")


SEEDED = {
    "a bogus attribute": lambda root: root.find(ENTITY).set("bogus", "1"),
    "two unexpected children of one element": _unexpected_pair,
    "a missing child": _missing_attributes,
    "a value outside an enumeration": _text(f"{ENTITY}/attributes/attribute/Type", "wrong"),
    "a bad boolean": _text(f"{ENTITY}/attributes/attribute/IsCustomizable", "maybe"),
    "many errors": _bogus_everywhere,
}


@pytest.mark.parametrize("case", sorted(SEEDED))
def test_lxml_names_the_lines_xmlschema_names(ms_schemas: Path, corpus: Path, case: str) -> None:
    root = parse_xml((corpus / XML_1_1).read_bytes(), "c.xml")
    SEEDED[case](root)
    root = parse_xml(etree.tostring(root), "c.xml")  # every element with its own line
    path = str(ms_schemas / "CustomizationsSolution.xsd")
    fast = fast_schema(path)
    assert fast is not None
    with drift_removed(drift_findings(root)):
        ours = _lxml_findings(fast, root, "c.xml")
        exact = [_ms_finding(e, "c.xml") for e in _ms_schema(path).iter_errors(root)]
    assert ours and exact
    assert sorted(d.line for d in ours) == sorted(d.line for d in exact)
    assert {d.code for d in ours} == {"SCH101"}


def test_the_checked_tree_is_left_as_it_was(ms_schemas: Path, corpus: Path) -> None:
    data = (corpus / XML_1_1).read_bytes()
    root = parse_xml(data, "c.xml")
    root.find(ENTITY).set("bogus", "1")
    etree.SubElement(root.find(ENTITY), "Foo")
    before = etree.tostring(root)
    found = check_customizations(root, "c.xml", data)
    assert {d.code for d in found} == {"SCH101", "SCH201"}
    assert etree.tostring(root) == before


def test_xmlschema_still_says_what_is_wrong_when_lxml_cannot(
    ms_schemas: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.validate.msschema as msschema

    monkeypatch.setattr(msschema, "fast_schema", lambda path: None)  # lxml cannot compile it
    root = parse_xml((corpus / XML_1_1).read_bytes(), "c.xml")
    root.find(ENTITY).set("bogus", "1")
    errors = [d for d in check_customizations(root, "c.xml") if d.severity == "error"]
    assert [d.code for d in errors] == ["SCH101"] and "bogus" in errors[0].message
