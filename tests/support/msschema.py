"""Microsoft's customizations schema (../shared/reference/ms-schemas) as the render tests use it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema


@cache
def _schema(folder: Path) -> xmlschema.XMLSchema10:
    """Microsoft's CustomizationsSolution.xsd, compiled once per test session (~1 s)."""
    return xmlschema.XMLSchema10(str(folder / "CustomizationsSolution.xsd"))


def schema_errors(folder: Path, xml: bytes) -> list[str]:
    """Every schema error of `xml`, as `path: reason` lines (empty when valid)."""
    return [f"{e.path}: {e.reason}" for e in _schema(folder).iter_errors(xml.decode("utf-8"))]
