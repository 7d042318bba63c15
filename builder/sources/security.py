"""Parse roles, web resource declarations and environment variables (a custom API needs no
parser of its own: `parsers.py`)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import BuildError
from ..fsio import current_limits, read_regular
from ..model import (
    PRIVILEGE_VERBS,
    EnvironmentVariable,
    Privilege,
    Role,
    Src,
    WebResource,
)
from .elements import Context, Source, children, src, text
from .mapped import load
from .parsers import parses

# `<privileges on="X" append-to="Global"/>` attribute -> the verb of prvAppendToX
_VERB_ATTRIBUTES = {("append-to" if v == "AppendTo" else v.lower()): v for v in PRIVILEGE_VERBS}


@parses(Role)
def parse_role(source: Source, ctx: Context) -> list[object]:
    el = source.root
    privileges = [
        p for child in el if isinstance(child.tag, str) for p in _privileges(source, child)
    ]
    sorted_privileges = tuple(sorted(privileges, key=lambda p: p.name))
    return [load(Role, source, el, ctx, privileges=sorted_privileges)]


def _privileges(source: Source, el: etree._Element) -> list[Privilege]:
    """One `<privilege>`, or the privileges a `<privileges on=...>` shorthand stands for."""
    where = src(source, el)
    if el.tag == "privilege":
        return [Privilege(text(el, "name"), text(el, "depth"), where)]  # type: ignore[arg-type]
    target = text(el, "on")
    return [
        Privilege(f"prv{verb}{target}", str(el.get(attr)), where)  # type: ignore[arg-type]
        for attr, verb in _VERB_ATTRIBUTES.items()
        if el.get(attr)
    ]


@parses(WebResource)
def parse_web_resources(source: Source, ctx: Context) -> list[object]:
    return [_web_resource(source, w, ctx) for w in children(source.root, "web-resource")]


def _web_resource(source: Source, el: etree._Element, ctx: Context) -> WebResource:
    where = src(source, el)
    payload = source.path.parent / text(el, "file")
    relative = _relative(payload, ctx.root)
    return load(
        WebResource,
        source,
        el,
        ctx,
        type=text(el, "type") or payload.suffix.lstrip(".").lower(),
        content=_payload(payload, relative, where, ctx),
        file=relative,
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _payload(path: Path, relative: str, where: Src, ctx: Context) -> bytes:
    if path.is_symlink() and relative.startswith(("/", "..")):
        ctx.error(
            "IO005",
            f"web resource file is a link that leads out of the source folder (to {relative})",
            where,
            hint="copy the file into the tree instead",
        )
        return b""
    if relative.startswith(("/", "..")) or not path.exists():
        ctx.error(
            "SRC022",
            f"web resource file '{relative}' does not exist under the source folder",
            where,
            hint="`file` is relative to the folder of the declaring file",
        )
        return b""
    try:
        return read_regular(path, current_limits().zip_entry_bytes, relative)
    except BuildError as error:
        ctx.diagnostics.extend(error.diagnostics)
        return b""


@parses(EnvironmentVariable)
def parse_environment_variables(source: Source, ctx: Context) -> list[object]:
    return [
        load(EnvironmentVariable, source, v, ctx)
        for v in children(source.root, "environment-variable")
    ]
