"""How a model field is written in a source file: the one declaration that loading
(`sources/mapped.py`: element -> model), unpack (model -> element) and `diff` (which fields a
component's change line lists) all follow.

A field needs no declaration when it follows the convention: an XML attribute named after it
with '-' for '_' (`max_length` is `max-length`), read and written by its type (str or Literal,
bool, int, int | None, float | None, tuple[str, ...] as a space-separated list, uuid.UUID,
`Src` = where the element starts). Its dataclass default is the value an absent attribute
means, so writers leave it out. Everything else says so in its metadata, xsdata-style:

- `children("column", sort=...)`: a tuple of nested components, one child element each
  (`{"field": FormField, ...}` when the tag decides the class; `wrapper` when they sit in one
  element such as `<header>`); reported on their own by `diff` (`apart`).
- `child("virtual")`: at most one nested component.
- `split("false-label", "true-label")`: a tuple held in one attribute per item.
- `inherited()`: an attribute that, when absent, is the file root's (the solution).
- `derived_id("form", "table", "name")`: a GUID attribute; when absent, `stable_id` of the kind
  and the named fields' values.
- `attribute(name=..., always=..., apart=...)`: a plain attribute with another name, written
  even when empty (after the others), or reported on its own by `diff`.
- `hook()`: not in the element at all; the loader and the writer of its kind fill it
  (references by name, payload files, values from the file root).
A field without a default says the same with `dataclasses.field(metadata=spec(...))`.
"""

import dataclasses
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any, Literal, NamedTuple, Union, get_args, get_origin

from .frozen import frozen

KEY = "voicepkg"  # the metadata entry this module reads and writes


@frozen
class Src:
    """Where something was declared: a path relative to the source root, and a line."""

    file: str = ""
    line: int = 0


Shape = Literal[
    "text", "flag", "int", "int?", "float?", "words", "id", "src", "pair", "child", "children"
]


class Spec(NamedTuple):
    """What a field's metadata says beyond the convention (all optional)."""

    name: str = ""  # attribute name, when not the field's name with '-' for '_'
    tags: tuple[tuple[str, type], ...] = ()  # child element tag -> component class
    wrapper: str = ""  # the children sit inside one element of this tag
    sort: Callable[[Any], Any] | None = None  # children sorted by this key when loaded
    names: tuple[str, ...] = ()  # split: one attribute per item
    inherited: bool = False  # absent: the file root's value, else the default solution
    derive: tuple[str, ...] = ()  # id: (kind, field, ...) the stable id is made of
    always: bool = False  # written even when empty (after the other attributes)
    apart: bool = False  # `diff` reports it on its own, not in the component's change line
    hook: bool = False  # not in the element: the kind's loader and writer fill it


def spec(**says: Any) -> dict[str, Spec]:
    """The metadata of a field without a default (`dataclasses.field(metadata=spec(...))`,
    so type checkers still see a required field); `says` are `Spec`'s fields."""
    return {KEY: Spec(**says)}


def _field(default: Any, spec: Spec, factory: Any = MISSING) -> Any:
    if factory is not MISSING:
        return dataclasses.field(default_factory=factory, metadata={KEY: spec})
    return dataclasses.field(default=default, metadata={KEY: spec})


def attribute(default: Any = MISSING, *, name: str = "", apart: bool = False) -> Any:
    return _field(default, Spec(name=name, apart=apart))


def children(
    tags: str | Mapping[str, type],
    *,
    sort: Callable[[Any], Any] | None = None,
    wrapper: str = "",
    apart: bool = True,
) -> Any:
    found = tuple(tags.items()) if isinstance(tags, Mapping) else ((tags, object),)
    return _field((), Spec(tags=found, sort=sort, wrapper=wrapper, apart=apart))


def child(tag: str, *, apart: bool = False) -> Any:
    return _field(None, Spec(tags=((tag, object),), apart=apart))


def split(*names: str, default: tuple[str, ...]) -> Any:
    return _field(default, Spec(names=names))


def inherited(default: str = "") -> Any:
    return _field(default, Spec(inherited=True))


def derived_id(kind: str, *fields: str, default_factory: Any) -> Any:
    return _field(MISSING, Spec(derive=(kind, *fields)), default_factory)


def hook(default: Any = MISSING, *, default_factory: Any = MISSING, apart: bool = False) -> Any:
    return _field(default, Spec(hook=True, apart=apart), default_factory)


# --- what the declarations mean for one class ------------------------------------------------


class Slot(NamedTuple):
    """One field of a class as a source element holds it."""

    field: str
    shape: Shape
    spec: Spec
    attrs: tuple[str, ...]  # attribute name(s): one, or one per item of a split
    default: Any  # MISSING when the field has none (the XSD requires the attribute)
    tags: tuple[tuple[str, type], ...]  # child/children: element tag -> class


_SLOTS: dict[type, tuple[Slot, ...]] = {}


def slots(cls: type) -> tuple[Slot, ...]:
    """The fields of `cls` a source element holds, in declaration order (hooks left out)."""
    found = _SLOTS.get(cls)
    if found is None:
        found = _SLOTS[cls] = _slots(cls)
    return found


def _slots(cls: type) -> tuple[Slot, ...]:
    out = []
    for f in dataclasses.fields(cls):
        spec: Spec = f.metadata.get(KEY, Spec())
        if spec.hook:
            continue
        shape, nested = _shape(_hint(cls, f), spec)
        default = f.default if f.default is not MISSING else MISSING
        if f.default_factory is not MISSING:
            default = f.default_factory()
        attrs = spec.names or (spec.name or f.name.replace("_", "-"),)
        tags = tuple((tag, nested if kind is object else kind) for tag, kind in spec.tags)
        out.append(Slot(f.name, shape, spec, attrs, default, tags))
    return tuple(out)


def _hint(cls: type, f: dataclasses.Field[Any]) -> Any:
    """A field's type: as declared (the model's modules do not postpone annotations), else
    evaluated from its text."""
    return typing.get_type_hints(cls)[f.name] if isinstance(f.type, str) else f.type


def _shape(hint: Any, spec: Spec) -> tuple[Shape, type]:
    """The shape of a field of type `hint`, and the class of its nested components, if any."""
    origin, args = get_origin(hint), get_args(hint)
    if spec.tags:
        if origin is tuple:
            return "children", _component(args[0])
        return "child", _component(hint)
    if spec.names:
        return "pair", object
    if origin is Literal:
        return ("int" if isinstance(args[0], int) else "text"), object
    if origin in (Union, types.UnionType):
        inner = next(a for a in args if a is not type(None))
        return ("int?" if inner is int else "float?"), object
    if origin is tuple:
        return "words", object
    simple: dict[Any, Shape] = {str: "text", bool: "flag", int: "int", uuid.UUID: "id"}
    if hint in simple:
        return simple[hint], object
    if hint is Src:
        return "src", object
    raise TypeError(f"no source shape for a field of type {hint!r}: declare it (model/mapping)")


def _component(hint: Any) -> type:
    """The dataclass a child element becomes (the non-None member of an optional)."""
    if get_origin(hint) in (Union, types.UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        return members[0] if len(members) == 1 else object
    return typing.cast(type, hint)


_APART: dict[type, tuple[str, ...]] = {}


def apart(cls: type) -> tuple[str, ...]:
    """The fields `diff` reports on their own rather than in `cls`'s change line."""
    found = _APART.get(cls)
    if found is None:
        fields = dataclasses.fields(cls)
        found = _APART[cls] = tuple(f.name for f in fields if f.metadata.get(KEY, Spec()).apart)
    return found
