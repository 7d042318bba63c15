"""Put parsed components together into a `Project`: group them by kind, refuse duplicates,
sort them so file order never matters, check solution names and resolve app references."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ..model import (
    ApplicationTabTemplate,
    AppModule,
    Cif1Provider,
    Cif2Provider,
    Command,
    CustomApi,
    EnvironmentVariable,
    Form,
    GlobalChoice,
    NotificationTemplate,
    Project,
    Publisher,
    RawPart,
    Role,
    SessionTemplate,
    Setting,
    SolutionDef,
    Src,
    Table,
    View,
    WebResource,
)
from .elements import Context
from .ui import AppRefs

Ids = dict[tuple[str, ...], uuid.UUID]

# component class -> (Project field, identity key: two components with one key clash)
COLLECTIONS: dict[type, tuple[str, Callable[[Any], tuple[str, ...]]]] = {
    Table: ("tables", lambda t: (t.logical_name,)),
    GlobalChoice: ("global_choices", lambda c: (c.name.lower(),)),
    Form: ("forms", lambda f: (f.table, f.type, f.name)),
    View: ("views", lambda v: (v.table, v.name)),
    Role: ("roles", lambda r: (r.name,)),
    AppModule: ("apps", lambda a: (a.unique_name.lower(),)),
    Command: ("commands", lambda c: (c.id,)),
    WebResource: ("web_resources", lambda w: (w.name.lower(),)),
    CustomApi: ("custom_apis", lambda c: (c.unique_name.lower(),)),
    EnvironmentVariable: ("environment_variables", lambda v: (v.schema_name.lower(),)),
    Cif1Provider: ("cif1_providers", lambda p: (p.name,)),
    Cif2Provider: ("cif2_providers", lambda p: (p.unique_name.lower(),)),
    ApplicationTabTemplate: ("tab_templates", lambda t: (t.unique_name.lower(),)),
    SessionTemplate: ("session_templates", lambda t: (t.unique_name.lower(),)),
    NotificationTemplate: ("notification_templates", lambda t: (t.unique_name.lower(),)),
    Setting: ("settings", lambda s: (s.name.lower(),)),
    RawPart: ("raw_parts", lambda r: (r.solution, r.section, r.path)),
}


def assemble(
    header: tuple[Publisher, tuple[SolutionDef, ...], str],
    parts: list[object],
    root: str,
    ctx: Context,
) -> Project:
    publisher, solutions, version = header
    refs = [p for p in parts if isinstance(p, AppRefs)]
    fields = {name: _unique(items, key, ctx) for name, key, items in _grouped(parts)}
    _check_solutions(fields, {s.unique_name for s in solutions}, ctx)
    fields["apps"] = tuple(_resolve_app(a, refs, fields, ctx) for a in fields.get("apps", ()))
    return Project(version=version, publisher=publisher, solutions=solutions, root=root, **fields)


def _grouped(parts: list[object]) -> list[tuple[str, Callable[[Any], tuple[str, ...]], list[Any]]]:
    groups: dict[type, list[Any]] = defaultdict(list)
    for part in parts:
        if type(part) in COLLECTIONS:
            groups[type(part)].append(part)
    return [(COLLECTIONS[kind][0], COLLECTIONS[kind][1], items) for kind, items in groups.items()]


def _unique(
    items: list[Any], key: Callable[[Any], tuple[str, ...]], ctx: Context
) -> tuple[Any, ...]:
    """Sorted by key (then declaring file), with every duplicate after the first reported."""
    ordered = sorted(items, key=lambda i: (key(i), i.src.file, i.src.line))
    kept: list[Any] = []
    for item in ordered:
        if kept and key(kept[-1]) == key(item):
            first = kept[-1].src
            ctx.error(
                "SRC020",
                f"{type(item).__name__} {' / '.join(key(item))} is declared twice",
                item.src,
                hint=f"the first is at {first.file}:{first.line}; remove one",
            )
            continue
        kept.append(item)
    return tuple(kept)


def _check_solutions(fields: dict[str, tuple[Any, ...]], known: set[str], ctx: Context) -> None:
    for items in fields.values():
        for item in items:
            name = getattr(item, "solution", None)
            if name is not None and name not in known:
                ctx.error(
                    "SRC021",
                    f"unknown solution '{name}'",
                    item.src,
                    hint="use a solution unique name from project.xml: " + ", ".join(sorted(known)),
                )


def _resolve_app(
    app: AppModule, all_refs: list[AppRefs], fields: dict[str, tuple[Any, ...]], ctx: Context
) -> AppModule:
    refs = next((r for r in all_refs if r.app == app.unique_name), None)
    if refs is None:
        return app
    roles: Ids = {(r.name,): r.id for r in fields.get("roles", ())}
    forms: Ids = {(f.table, f.name): f.id for f in fields.get("forms", ())}
    views: Ids = {(v.table, v.name): v.id for v in fields.get("views", ())}
    return dataclasses.replace(
        app,
        roles=_ids([((n,), w) for n, w in refs.roles], roles, "role", ctx),
        forms=_ids([((t, n), w) for t, n, w in refs.forms], forms, "form", ctx),
        views=_ids([((t, n), w) for t, n, w in refs.views], views, "view", ctx),
    )


def _ids(
    wanted: list[tuple[tuple[str, ...], Src]],
    known: dict[tuple[str, ...], uuid.UUID],
    kind: str,
    ctx: Context,
) -> tuple[uuid.UUID, ...]:
    found = []
    for key, where in wanted:
        if key in known:
            found.append(known[key])
        else:
            ctx.error(
                "SRC021",
                f"the app names a {kind} that no source declares: {' / '.join(key)}",
                where,
                hint=f"check the table and the exact name of the {kind}",
            )
    return tuple(sorted(set(found), key=str))
