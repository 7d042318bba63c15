"""The real Voice sources (solution_src/) render to schema-valid customizations.xml."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from support.msschema import schema_errors

from builder.render.customizations import render_customizations
from builder.validate.drift import is_intersect_set, without_drift
from builder.xmlio.safe import parse_xml


@pytest.mark.parametrize("solution", ["VoiceForD365", "VoiceForD365Multisession"])
def test_voice_solutions_validate_against_the_microsoft_schema(
    project,
    ms_schemas: Path,
    solution: str,
) -> None:
    """Valid but for one justified exception: the msdyn_ N:N intersect sets, which the 2018
    schema does not know and every real export writes there (test_real_shapes.py)."""
    xml = render_customizations(project, solution, managed=True)
    root = parse_xml(xml, "customizations.xml")
    sets = [c.tag for c in root if is_intersect_set(c)]
    assert bool(sets) == (solution == "VoiceForD365Multisession")
    checked, drift = without_drift(root, "customizations.xml")
    assert drift == []  # the sets are left out silently: they are the shape, not drift
    assert schema_errors(ms_schemas, etree.tostring(checked)) == []


def test_voice_base_solution_carries_the_catalogue_tables(project) -> None:
    root = parse_xml(render_customizations(project, "VoiceForD365", True), "customizations.xml")
    names = set(root.xpath("/ImportExportXml/Entities/Entity/Name/text()"))
    assert {"enreach_Setting", "enreach_CallbackProfile", "PhoneCall", "SystemUser"} <= names
    labels = root.xpath(
        "//entity[@Name='PhoneCall']//attribute[LogicalName='statuscode']"
        "//status/labels/label/@description"
    )
    assert "Multiple matches" in labels
