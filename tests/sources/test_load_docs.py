"""docs/source-format.md stays true: its examples load, and it names every attribute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from builder.model.kinds import KINDS
from builder.sources import schema as load_xsd
from builder.xmlio.safe import parse_xml

DOC = Path(__file__).resolve().parents[2] / "docs" / "source-format.md"
EXAMPLES = re.findall(r"```xml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
KIND_OF = {"project": "project", **{k.source.root: k.source.schema for k in KINDS if k.source}}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.split()[0].lstrip("<"))
def test_every_example_is_a_valid_source(example: str) -> None:
    root = parse_xml(example.encode(), "docs/source-format.md")
    assert [str(d) for d in load_xsd.validate(root, KIND_OF[str(root.tag)], "doc")] == []


def test_every_source_kind_has_an_example() -> None:
    shown = {str(parse_xml(e.encode(), "doc").tag) for e in EXAMPLES}
    assert shown == set(KIND_OF)


def test_every_attribute_of_every_schema_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    attributes = {
        str(a.get("name"))
        for xsd in load_xsd.SCHEMA_DIR.glob("*.xsd")
        for a in etree.parse(str(xsd)).iter(f"{load_xsd.XS}attribute")
    }
    missing = sorted(a for a in attributes if not re.search(rf"(?<![\w-]){a}(?![\w-])", doc))
    assert missing == []
