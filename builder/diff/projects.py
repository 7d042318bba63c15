"""What changed between two versions of the project, by component rather than by XML line.

`diff_projects(old, new)` is pure: two `Project`s in, a `DiffReport` out. Where the two sides
come from (sources, a built zip, a package, a git revision) is the CLI's business
(`builder/cli/diff_cmd.py`); how a report is shown is `builder/diff_render.py`'s.
"""

from __future__ import annotations

from ..model import Project
from ..model.kinds import identity
from .core import Change, Collector, DiffReport, Side
from .misc import (
    diff_custom_apis,
    diff_keyed,
    diff_notification_templates,
    diff_raw_parts,
    diff_roles,
    diff_settings,
    diff_solutions,
    diff_tab_templates,
    diff_web_resources,
)
from .packaging import diff_packaging
from .scope import canonical
from .tables import diff_global_choices, diff_tables
from .ui import diff_apps, diff_commands, diff_forms, diff_views

__all__ = ["Change", "DiffReport", "Side", "diff_projects", "parse_version", "version_problems"]


def diff_projects(
    old: Project,
    new: Project,
    old_label: str = "old",
    new_label: str = "new",
    notes: tuple[str, ...] = (),
) -> DiffReport:
    """Every difference between two versions; `notes` say what was left out and why."""
    old, new = canonical(old), canonical(new)
    out = Collector()
    diff_solutions(out, old, new)
    diff_tables(out, old.tables, new.tables)
    diff_global_choices(out, old.global_choices, new.global_choices)
    diff_forms(out, old.forms, new.forms)
    diff_views(out, old.views, new.views)
    diff_roles(out, old.roles, new.roles)
    diff_apps(out, old.apps, new.apps)
    diff_commands(out, old.commands, new.commands)
    diff_web_resources(out, old.web_resources, new.web_resources)
    diff_custom_apis(out, old.custom_apis, new.custom_apis)
    _diff_configuration(out, old, new)
    diff_settings(out, old.settings, new.settings)
    diff_raw_parts(out, old.raw_parts, new.raw_parts)
    diff_packaging(out, old.packaging, new.packaging)
    changes = tuple(out.changes)
    return DiffReport(
        old=Side(old_label, old.version),
        new=Side(new_label, new.version),
        changes=changes,
        version_problems=tuple(version_problems(old.version, new.version, changes)),
        notes=notes,
    )


def _diff_configuration(out: Collector, old: Project, new: Project) -> None:
    """Environment variables, channel providers and the multisession templates."""
    diff_keyed(
        out,
        "environment variable",
        old.environment_variables,
        new.environment_variables,
        lambda v: v.schema_name,
        breaking_fields=("type",),
        key=identity,
    )
    diff_keyed(
        out,
        "channel provider (CIF 1.0)",
        old.cif1_providers,
        new.cif1_providers,
        lambda p: p.name,
        key=identity,
    )
    diff_keyed(
        out,
        "channel provider (CIF 2.0)",
        old.cif2_providers,
        new.cif2_providers,
        lambda p: p.unique_name,
        key=identity,
    )
    diff_tab_templates(out, old.tab_templates, new.tab_templates)
    diff_keyed(
        out,
        "session template",
        old.session_templates,
        new.session_templates,
        lambda t: t.unique_name,
        key=identity,
    )
    diff_notification_templates(out, old.notification_templates, new.notification_templates)


def parse_version(text: str) -> tuple[int, ...] | None:
    """'1.2.3.4' -> (1, 2, 3, 4), padded to four parts; None when it is not a version."""
    parts = text.strip().split(".")
    if not 2 <= len(parts) <= 4 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts) + (0,) * (4 - len(parts))


def version_problems(old: str, new: str, changes: tuple[Change, ...]) -> list[str]:
    """Why the version bump does not fit the changes, if it does not."""
    before, after = parse_version(old), parse_version(new)
    if before is None or after is None:
        bad = old if before is None else new
        return [f"version {bad!r} is not of the form major.minor.build.revision"]
    if not changes:
        return []
    if after <= before:
        return [
            f"the version did not increase ({old} -> {new}) although the content changed: "
            "Dataverse refuses to import a managed solution over the same or a higher "
            "version"
        ]
    upgrades = sum(1 for c in changes if c.needs_upgrade)
    if upgrades and after[:2] == before[:2]:
        bump = "revision" if after[:3] == before[:3] else "build"
        return [
            f"{upgrades} change(s) need an upgrade (a component removed) under a "
            f"{bump}-only bump ({old} -> {new}): raise the major or minor version"
        ]
    return []
