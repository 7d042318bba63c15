"""Components kept verbatim (`raw/`): what the build appends to customizations.xml as is."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Src
from .base import Context, Finding, rule


@rule(
    "DV180",
    hint="fix the XML of the file under raw/<Solution>/sections/, or export it again",
)
def raw_parts_parse(ctx: Context) -> Iterable[Finding]:
    for part, problem in ctx.raw.problems:
        where = Src(problem.file, problem.line) if problem.file else part.src
        yield Finding(where, f"raw part {part.section}/{part.path}: {problem.message}")
