"""Compare security roles, web resources, custom APIs, environment variables, channel
providers, multisession templates, default settings, kept-as-is parts and the solutions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..model import (
    ApplicationTabTemplate,
    CustomApi,
    CustomApiParameter,
    NotificationTemplate,
    Project,
    RawPart,
    Role,
    Setting,
    WebResource,
)
from ..model.kinds import Kind, identity
from .comparers import breaks, compares, diff_kind
from .core import Collector, fmt, pair_up, short_hash

_DEPTHS = {"Basic": 1, "Local": 2, "Deep": 3, "Global": 4}


@compares(Role)
def diff_roles(out: Collector, kind: Kind, old: Sequence[Role], new: Sequence[Role]) -> None:
    diff_kind(
        out,
        kind,
        old,
        new,
        summary=lambda r: f"new role, {len(r.privileges)} privileges",
        inner=_diff_privileges,
    )


def _diff_privileges(out: Collector, role: str, old: Role, new: Role) -> None:
    added, removed, kept = pair_up(old.privileges, new.privileges, lambda p: p.name)
    for privilege in added:
        out.added("privilege", role, privilege.name, f"granted at {privilege.depth}")
    for privilege in removed:
        # A plain update leaves a removed privilege granted: only an upgrade takes it away.
        out.removed("privilege", role, privilege.name, f"no longer granted (was {privilege.depth})")
    for before, after in kept:
        if before.depth != after.depth:
            way = "widened" if _DEPTHS[after.depth] > _DEPTHS[before.depth] else "narrowed"
            out.add(
                "privilege",
                role,
                before.name,
                f"depth {before.depth} -> {after.depth} ({way})",
                "changed",
            )


@compares(WebResource)
def diff_web_resources(
    out: Collector, kind: Kind, old: Sequence[WebResource], new: Sequence[WebResource]
) -> None:
    # `file` is where the source lives, not what ships: a move is no change.
    diff_kind(
        out,
        kind,
        old,
        new,
        summary=lambda w: f"new {w.type}, sha256:{short_hash(w.content)}",
        skip=("file",),
    )


@compares(CustomApi)
def diff_custom_apis(
    out: Collector, kind: Kind, old: Sequence[CustomApi], new: Sequence[CustomApi]
) -> None:
    diff_kind(
        out,
        kind,
        old,
        new,
        summary=lambda a: f"new {a.binding} {'function' if a.is_function else 'action'}",
        inner=_diff_request_response,
    )


def _diff_request_response(out: Collector, name: str, old: CustomApi, new: CustomApi) -> None:
    _diff_parameters(out, f"{name} request", old.request, new.request)
    _diff_parameters(out, f"{name} response", old.response, new.response)


def _diff_parameters(
    out: Collector,
    owner: str,
    old: tuple[CustomApiParameter, ...],
    new: tuple[CustomApiParameter, ...],
) -> None:
    added, removed, kept = pair_up(old, new, lambda p: p.unique_name)
    request = owner.endswith("request")
    for param in added:
        # A new required request parameter breaks every caller that does not send it.
        out.add(
            "custom api parameter",
            owner,
            param.unique_name,
            f"new {param.type}{'' if param.optional else ', required'}",
            "added",
            breaking=not param.optional and request,
        )
    for param in removed:
        out.removed("custom api parameter", owner, param.unique_name, breaking=True)
    for before, after in kept:
        # Callers that do not send a parameter made required fail from now on.
        now_required = request and before.optional and not after.optional
        out.scalar_fields(
            "custom api parameter",
            owner,
            before.unique_name,
            before,
            after,
            breaking=before.type != after.type or now_required,
        )


def diff_keyed(
    out: Collector,
    kind: str,
    old: Sequence[Any],
    new: Sequence[Any],
    name: Callable[[Any], str],
    owner: str = "",
) -> None:
    """Added / removed / changed for things (or the rows of `owner`) paired and shown by
    `name`, compared field by field."""
    added, removed, kept = pair_up(old, new, name)
    for item in added:
        out.added(kind, owner, name(item))
    for item in removed:
        out.removed(kind, owner, name(item))
    for before, after in kept:
        out.scalar_fields(kind, owner, name(before), before, after)


@compares(ApplicationTabTemplate)
def diff_tab_templates(
    out: Collector,
    kind: Kind,
    old: Sequence[ApplicationTabTemplate],
    new: Sequence[ApplicationTabTemplate],
) -> None:
    _diff_templates(out, kind, old, new, "parameters", "template parameter", "name")


@compares(NotificationTemplate)
def diff_notification_templates(
    out: Collector,
    kind: Kind,
    old: Sequence[NotificationTemplate],
    new: Sequence[NotificationTemplate],
) -> None:
    _diff_templates(out, kind, old, new, "fields", "notification field", "unique_name")


def _diff_templates(
    out: Collector,
    kind: Kind,
    old: Sequence[Any],
    new: Sequence[Any],
    rows: str,
    row_kind: str,
    row_key: str,
) -> None:
    """Templates, then the rows each one holds (`rows`) by `row_key`."""
    diff_kind(out, kind, old, new)
    _, _, kept = pair_up(old, new, identity)
    for before, after in kept:
        diff_keyed(
            out,
            row_kind,
            getattr(before, rows),
            getattr(after, rows),
            lambda r: getattr(r, row_key),
            owner=kind.name(before),
        )


@compares(Setting)
def diff_settings(
    out: Collector, kind: Kind, old: Sequence[Setting], new: Sequence[Setting]
) -> None:
    """Default `enreach_setting` rows, each under its category: data, so a removal never
    needs an upgrade."""
    added, removed, kept = pair_up(old, new, identity)
    for setting in added:
        out.added(
            kind.label,
            setting.category,
            setting.name,
            f"new {setting.datatype} setting, default {fmt(setting.default)}",
        )
    for setting in removed:
        out.removed(
            kind.label,
            setting.category,
            setting.name,
            "no longer shipped (import leaves the row in place)",
            upgrade=kind.removal_needs_upgrade,
        )
    for before, after in kept:
        out.scalar_fields(
            kind.label,
            after.category,
            before.name,
            before,
            after,
            breaking=breaks(kind, before, after),
        )


@compares(RawPart)
def diff_raw_parts(
    out: Collector, kind: Kind, old: Sequence[RawPart], new: Sequence[RawPart]
) -> None:
    """Parts kept verbatim, under their section: compared by content."""
    added, removed, kept = pair_up(old, new, identity)
    for part in added:
        out.added(kind.label, part.section, part.path, f"new, sha256:{short_hash(part.content)}")
    for part in removed:
        out.removed(kind.label, part.section, part.path)
    for before, after in kept:
        if before.content != after.content:
            out.add(
                kind.label,
                before.section,
                before.path,
                f"content sha256:{short_hash(before.content)} -> "
                f"sha256:{short_hash(after.content)}",
                "changed",
            )


def diff_solutions(out: Collector, old: Project, new: Project) -> None:
    out.scalar_fields(
        "publisher",
        "",
        old.publisher.unique_name,
        old.publisher,
        new.publisher,
        breaking=(old.publisher.prefix, old.publisher.option_value_prefix)
        != (new.publisher.prefix, new.publisher.option_value_prefix),
    )
    diff_keyed(out, "solution", old.solutions, new.solutions, lambda s: s.unique_name)
