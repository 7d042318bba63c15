"""Put parsed components together into a `Project`: group them by kind, refuse duplicates,
sort them so file order never matters, check solution names and resolve app references."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from typing import Any

from ..model import AppModule, Project, Publisher, SolutionDef, Src
from ..model.kinds import BY_MODEL, Kind
from .elements import Context
from .ui import AppRefs

Ids = dict[tuple[str, ...], uuid.UUID]


def assemble(
    header: tuple[Publisher, tuple[SolutionDef, ...], str],
    parts: list[object],
    root: str,
    ctx: Context,
) -> Project:
    publisher, solutions, version = header
    refs = [p for p in parts if isinstance(p, AppRefs)]
    fields: dict[str, Any] = {
        kind.field: _unique(items, kind, ctx) for kind, items in _grouped(parts)
    }
    _check_solutions(fields, {s.unique_name for s in solutions}, ctx)
    fields["apps"] = tuple(_resolve_app(a, refs, fields, ctx) for a in fields.get("apps", ()))
    return Project(version=version, publisher=publisher, solutions=solutions, root=root, **fields)


def _grouped(parts: list[object]) -> list[tuple[Kind, list[Any]]]:
    groups: dict[Kind, list[Any]] = defaultdict(list)
    for part in parts:
        if type(part) in BY_MODEL:
            groups[BY_MODEL[type(part)]].append(part)
    return list(groups.items())


def _unique(items: list[Any], kind: Kind, ctx: Context) -> tuple[Any, ...]:
    """Sorted by key (then declaring file), with every duplicate after the first reported."""
    key = kind.key
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
