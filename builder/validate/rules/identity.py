"""The version: four numeric parts, and higher than the version it replaces."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .base import Context, Finding, project_src, rule

_VERSION = re.compile(r"[0-9]{1,9}(\.[0-9]{1,9}){1,3}")


def version_key(version: str) -> tuple[int, ...] | None:
    """(1, 2, 3, 4) for '1.2.3.4', padded with zeros; None when it is not a version."""
    if not _VERSION.fullmatch(version.strip()):
        return None
    parts = [int(p) for p in version.strip().split(".")]
    return tuple(parts + [0] * (4 - len(parts)))


@rule(
    "DV170",
    foreign="warning",
    hint="write the version as major.minor.build.revision, e.g. 1.2.0.0",
)
def four_parts(ctx: Context) -> Iterable[Finding]:
    version = ctx.project.version
    if version_key(version) is not None and version.count(".") != 3:
        yield Finding(
            project_src(ctx.project),
            f"version {version!r} has {version.count('.') + 1} parts, not four",
        )


@rule(
    "DV172",
    hint="write the version as major.minor.build.revision, e.g. 1.2.0.0",
)
def numeric(ctx: Context) -> Iterable[Finding]:
    if version_key(ctx.project.version) is None:
        yield Finding(
            project_src(ctx.project),
            f"version {ctx.project.version!r} is not a "
            "version Dataverse accepts (two to four numbers)",
        )


@rule(
    "DV171",
    hint="raise the version: Dataverse refuses to update a solution with a lower or equal one",
)
def above_baseline(ctx: Context) -> Iterable[Finding]:
    if ctx.baseline_version is None:
        return
    new, old = version_key(ctx.project.version), version_key(ctx.baseline_version)
    if new is not None and old is not None and new <= old:
        yield Finding(
            project_src(ctx.project),
            f"version {ctx.project.version} is not higher "
            f"than {ctx.baseline_version} of {ctx.baseline_label or 'the baseline'}",
        )
