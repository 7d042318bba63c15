"""The real Voice sources (solution_src/) render to schema-valid customizations.xml."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_sample import schema_errors

from builder.render.customizations import render_customizations
from builder.xmlsafe import parse_xml


@pytest.mark.parametrize("solution", ["VoiceForD365", "VoiceForD365Multisession"])
def test_voice_solutions_validate_against_the_microsoft_schema(
    project,
    ms_schemas: Path,  # type: ignore[no-untyped-def]
    solution: str,
) -> None:
    xml = render_customizations(project, solution, managed=True)
    assert schema_errors(ms_schemas, xml) == []


def test_voice_base_solution_carries_the_catalogue_tables(project) -> None:  # type: ignore[no-untyped-def]
    root = parse_xml(render_customizations(project, "VoiceForD365", True), "customizations.xml")
    names = set(root.xpath("/ImportExportXml/Entities/Entity/Name/text()"))
    assert {"enreach_Setting", "enreach_CallbackProfile", "PhoneCall", "SystemUser"} <= names
    labels = root.xpath(
        "//entity[@Name='PhoneCall']//attribute[LogicalName='statuscode']"
        "//status/labels/label/@description"
    )
    assert "Multiple matches" in labels
