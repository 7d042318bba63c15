"""Compare security roles, web resources, custom APIs, environment variables, channel
providers, multisession templates, default settings, kept-as-is parts and the solutions.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
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
from ..model.kinds import identity
from .core import Collector, fmt, pair_up, short_hash

_DEPTHS = {"Basic": 1, "Local": 2, "Deep": 3, "Global": 4}


def diff_roles(out: Collector, old: tuple[Role, ...], new: tuple[Role, ...]) -> None:
    added, removed, kept = pair_up(old, new, identity)
    for role in added:
        out.added("role", "", role.name, f"new role, {len(role.privileges)} privileges")
    for role in removed:
        out.removed("role", "", role.name)
    for before, after in kept:
        out.scalar_fields("role", "", after.name, before, after, skip=("privileges",))
        _diff_privileges(out, after.name, before, after)


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


def diff_web_resources(
    out: Collector, old: tuple[WebResource, ...], new: tuple[WebResource, ...]
) -> None:
    added, removed, kept = pair_up(old, new, identity)
    for res in added:
        out.added("web resource", "", res.name, f"new {res.type}, sha256:{short_hash(res.content)}")
    for res in removed:
        out.removed("web resource", "", res.name)
    for before, after in kept:
        # `file` is where the source lives, not what ships: a move is no change.
        out.scalar_fields(
            "web resource",
            "",
            before.name,
            before,
            after,
            skip=("file",),
            breaking=before.type != after.type,
        )


def diff_custom_apis(
    out: Collector, old: tuple[CustomApi, ...], new: tuple[CustomApi, ...]
) -> None:
    added, removed, kept = pair_up(old, new, identity)
    for api in added:
        out.added(
            "custom api",
            "",
            api.unique_name,
            f"new {api.binding} {'function' if api.is_function else 'action'}",
        )
    for api in removed:
        out.removed("custom api", "", api.unique_name, breaking=True)
    for before, after in kept:
        name = before.unique_name
        out.scalar_fields(
            "custom api",
            "",
            name,
            before,
            after,
            skip=("request", "response"),
            breaking=(before.binding, before.bound_table, before.is_function)
            != (after.binding, after.bound_table, after.is_function),
        )
        _diff_parameters(out, f"{name} request", before.request, after.request)
        _diff_parameters(out, f"{name} response", before.response, after.response)


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
    nested: tuple[str, ...] = (),
    breaking_fields: tuple[str, ...] = (),
    owner: str = "",
    key: Callable[[Any], Hashable] | None = None,
) -> None:
    """Added / removed / changed for components (or the rows of `owner`) paired by `key`
    (their `name` when none), shown by `name`, compared field by field, `nested` fields
    aside; a change to a `breaking_fields` one breaks."""
    added, removed, kept = pair_up(old, new, key or name)
    for item in added:
        out.added(kind, owner, name(item))
    for item in removed:
        out.removed(kind, owner, name(item))
    for before, after in kept:
        breaks = any(getattr(before, f) != getattr(after, f) for f in breaking_fields)
        out.scalar_fields(kind, owner, name(before), before, after, skip=nested, breaking=breaks)


def diff_tab_templates(
    out: Collector, old: tuple[ApplicationTabTemplate, ...], new: tuple[ApplicationTabTemplate, ...]
) -> None:
    _diff_templates(out, "tab template", old, new, "parameters", "template parameter", "name")


def diff_notification_templates(
    out: Collector, old: tuple[NotificationTemplate, ...], new: tuple[NotificationTemplate, ...]
) -> None:
    _diff_templates(
        out, "notification template", old, new, "fields", "notification field", "unique_name"
    )


def _diff_templates(
    out: Collector,
    kind: str,
    old: Sequence[Any],
    new: Sequence[Any],
    rows: str,
    row_kind: str,
    row_key: str,
) -> None:
    """Templates by unique name, then the rows each one holds (`rows`) by `row_key`."""
    diff_keyed(out, kind, old, new, lambda t: t.unique_name, nested=(rows,), key=identity)
    _, _, kept = pair_up(old, new, identity)
    for before, after in kept:
        diff_keyed(
            out,
            row_kind,
            getattr(before, rows),
            getattr(after, rows),
            lambda r: getattr(r, row_key),
            owner=before.unique_name,
        )


def diff_settings(out: Collector, old: tuple[Setting, ...], new: tuple[Setting, ...]) -> None:
    """Default `enreach_setting` rows: data, so a removal never needs an upgrade."""
    added, removed, kept = pair_up(old, new, identity)
    for setting in added:
        out.added(
            "setting",
            setting.category,
            setting.name,
            f"new {setting.datatype} setting, default {fmt(setting.default)}",
        )
    for setting in removed:
        out.removed(
            "setting",
            setting.category,
            setting.name,
            "no longer shipped (import leaves the row in place)",
            upgrade=False,
        )
    for before, after in kept:
        out.scalar_fields(
            "setting",
            after.category,
            before.name,
            before,
            after,
            breaking=before.datatype != after.datatype,
        )


def diff_raw_parts(out: Collector, old: tuple[RawPart, ...], new: tuple[RawPart, ...]) -> None:
    added, removed, kept = pair_up(old, new, identity)
    for part in added:
        out.added(
            "kept-as-is part", part.section, part.path, f"new, sha256:{short_hash(part.content)}"
        )
    for part in removed:
        out.removed("kept-as-is part", part.section, part.path)
    for before, after in kept:
        if before.content != after.content:
            out.add(
                "kept-as-is part",
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
