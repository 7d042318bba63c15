"""The Dataverse rules over a `Project`: `check_project` runs every registered rule."""

from __future__ import annotations

from ...errors import Diagnostic, diagnostic
from ...model import Project
from . import (
    channels,
    choices,
    columns,
    identity,
    naming,
    rawparts,
    references,
    resources,
    security,
)
from . import settings as settings_rules
from .base import HOUSE_PUBLISHER, RULES, Context, Rule

__all__ = ["RULES", "Rule", "check_project"]
_MODULES = (
    channels,
    choices,
    columns,
    identity,
    naming,
    rawparts,
    references,
    resources,
    security,
    settings_rules,
)  # imported for their @rule registrations


def check_project(
    project: Project,
    *,
    house: bool | None = None,
    baseline_version: str | None = None,
    baseline_label: str = "",
    read_back: bool = False,
) -> list[Diagnostic]:
    """Every rule's findings on `project`, sorted by file and line.

    `house` (default: the publisher is Enreach) applies the rules that hold only for the
    Voice project; other publishers' solutions get those as warnings or not at all.
    `read_back`: the project was read from a zip, so source-only declarations are absent.
    """
    if house is None:
        house = project.publisher.unique_name.lower() == HOUSE_PUBLISHER
    ctx = Context(project, house, baseline_version, baseline_label, read_back)
    found: list[Diagnostic] = []
    for code in sorted(RULES):
        found.extend(_run(RULES[code], ctx))
    return sorted(found)


def _run(rule: Rule, ctx: Context) -> list[Diagnostic]:
    """One rule's findings; a rule that crashes is reported, not allowed to stop the rest."""
    try:
        return list(rule.run(ctx))
    except Exception as exc:  # a bug in a rule must not hide every other finding
        return [
            diagnostic(
                "DV000",
                f"rule {rule.code} failed: {type(exc).__name__}: {exc}",
                hint="this is a bug in voicepkg; please report it",
            )
        ]
