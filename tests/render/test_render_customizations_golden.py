"""A small table rendered against a reviewed golden customizations.xml.

The golden file (tests/cases/render_golden_table/customizations.xml) was read line by line
against JRSasing's exported `ract_Alerts/Entity.xml` and Tactec's customizations.xml: same
system columns, masks, flags, relationships and form/view shapes, limited to the 9.0 schema.
After a deliberate change of output, regenerate with VOICEPKG_UPDATE_GOLDEN=1 and review the
diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

from support.samples import name_column

from builder.model import (
    Column,
    Form,
    FormField,
    FormSection,
    FormTab,
    Project,
    Publisher,
    SolutionDef,
    Table,
    View,
    ViewColumn,
    stable_id,
)
from builder.render.customizations import render_customizations

GOLDEN = Path(__file__).parents[1] / "cases" / "render_golden_table" / "customizations.xml"


def golden_project() -> Project:
    table = Table(
        "enreach_Tag",
        "Tag",
        "Tags",
        "A label for calls",
        solution="S",
        ownership="organization",
        columns=(
            name_column(),
            Column("enreach_Important", "boolean", "Important"),
        ),
    )
    form = Form(
        stable_id("form", "tag"),
        "enreach_tag",
        "main",
        "Tag",
        solution="S",
        tabs=(
            FormTab(
                "general",
                "General",
                (
                    FormSection(
                        "main", "Main", (FormField("enreach_name"), FormField("enreach_important"))
                    ),
                ),
            ),
        ),
    )
    view = View(
        stable_id("view", "tags"),
        "enreach_tag",
        "Active Tags",
        is_default=True,
        columns=(ViewColumn("enreach_name", 300),),
        solution="S",
    )
    return Project(
        "1.0.0.0",
        Publisher("enreach", "Enreach", "enreach", 10523),
        (SolutionDef("S", "S", "", "base", 1),),
        tables=(table,),
        forms=(form,),
        views=(view,),
    )


def test_small_table_matches_the_reviewed_golden_file() -> None:
    xml = render_customizations(golden_project(), "S", managed=True)
    if os.environ.get("VOICEPKG_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(xml)
    assert xml.decode("utf-8") == GOLDEN.read_text(encoding="utf-8")
