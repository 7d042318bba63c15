"""The field mapping (`model/mapping.py`) at work: a source element -> a model component
(`load`), and back (`write`). Per-kind modules call these and add only their hooks: values
from elsewhere (`given`), extra attributes, children they shape themselves.

Writing leaves out what the model's default already says (and empty values), so unpacked
files read like hand-written ones; ids are always written, so a component keeps its id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import MISSING
from typing import Any, TypeAlias, TypeVar

from lxml import etree

from ..model import stable_id
from ..model.mapping import Slot, slots
from .elements import Context, Source, children, solution, src, text

Element: TypeAlias = etree._Element
T = TypeVar("T")


# --- element -> model --------------------------------------------------------------------


def load(cls: type[T], source: Source, el: Element, ctx: Context, **given: Any) -> T:
    """`cls` from `el` by its mapping; `given` fields come from the caller's hooks."""
    values: dict[str, Any] = {}
    ids = []
    for slot in slots(cls):
        if slot.field in given:
            continue
        if slot.shape == "id":
            ids.append(slot)
            continue
        value = _read(slot, source, el, ctx)
        if value is not MISSING:
            values[slot.field] = value
    values.update(given)
    for slot in ids:  # derived from the other values, so last
        values[slot.field] = _id(slot, el, values)
    return cls(**values)


def _read(slot: Slot, source: Source, el: Element, ctx: Context) -> Any:
    if slot.shape == "src":
        return src(source, el)
    if slot.shape == "children":
        return _children(slot, source, el, ctx)
    if slot.shape == "child":
        found = children(el, slot.tags[0][0])
        return load(slot.tags[0][1], source, found[0], ctx) if found else None
    if slot.shape == "pair":
        return tuple(text(el, n, d) for n, d in zip(slot.attrs, slot.default, strict=True))
    if slot.spec.inherited:
        return solution(el, ctx)
    raw = el.get(slot.attrs[0])
    if raw is None:
        return _absent(slot)
    return _convert(slot, str(raw))


def _absent(slot: Slot) -> Any:
    """An attribute that is not there: the default, else the empty value of its shape."""
    if slot.default is not MISSING:
        return slot.default
    return {"text": "", "flag": False, "words": ()}.get(slot.shape, MISSING)


def _convert(slot: Slot, raw: str) -> Any:
    shape = slot.shape
    if shape == "text":
        return raw
    if shape == "flag":
        return raw.strip() in ("true", "1")
    if shape in ("int", "int?"):
        return int(raw)
    if shape == "float?":
        return float(raw)
    if shape == "words":
        return tuple(raw.split())
    raise AssertionError(f"no conversion for shape {shape}")


def _children(slot: Slot, source: Source, el: Element, ctx: Context) -> tuple[Any, ...]:
    tags = dict(slot.tags)
    parents = children(el, slot.spec.wrapper) if slot.spec.wrapper else [el]
    found: tuple[Any, ...] = tuple(
        load(tags[str(c.tag)], source, c, ctx)
        for parent in parents
        for c in parent
        if isinstance(c.tag, str) and c.tag in tags
    )
    return tuple(sorted(found, key=slot.spec.sort)) if slot.spec.sort else found


def _id(slot: Slot, el: Element, values: dict[str, Any]) -> Any:
    raw = el.get(slot.attrs[0])
    if raw:
        return uuid.UUID(raw.strip("{}"))
    if slot.spec.derive:
        kind, *names = slot.spec.derive
        return stable_id(kind, *(str(values[n]) for n in names))
    return slot.default


# --- model -> element --------------------------------------------------------------------


def write(
    item: Any,
    tag: str,
    parent: Element | None = None,
    *,
    skip: Iterable[str] = (),
    extra: Iterable[tuple[str, Any]] = (),
) -> Element:
    """The element of `item` by its mapping: its id, its other attributes, then its child
    elements, in field order. `skip` leaves fields out (the caller writes them elsewhere);
    `extra` adds attributes after the mapped ones."""
    left_out = set(skip)
    mapped = [s for s in slots(type(item)) if s.field not in left_out]
    # the id leads (it names the component), what is written even when empty comes last
    leading = sorted(mapped, key=lambda s: (s.shape != "id", s.spec.always))
    attrs = [a for s in leading for a in _attributes(s, _as_given(item, s.field))]
    el = _new(tag, [*attrs, *((k, _text(v)) for k, v in extra if _present(v))], parent)
    for slot in mapped:
        value = getattr(item, slot.field)
        if slot.shape == "child" and value is not None:
            write(value, slot.tags[0][0], el)
        elif slot.shape == "children" and value:
            _write_children(slot, value, el)
    return el


def _as_given(item: Any, name: str) -> Any:
    """A field as a source would say it: a class that fills open values with defaults of its
    own (a column's type defaults) says which through `given` (None: its default)."""
    given = getattr(item, "given", None)
    return given(name) if given is not None else getattr(item, name)


def _attributes(slot: Slot, value: Any) -> list[tuple[str, str]]:
    """What `slot` writes: always an id and what is declared `always`, else what is neither
    the default nor empty."""
    if slot.shape in ("child", "children", "src"):
        return []
    if slot.shape == "id" or slot.spec.always:
        return [(slot.attrs[0], _text(value))]
    if slot.shape == "pair":
        pairs = zip(slot.attrs, value, slot.default, strict=True)
        return [(name, _text(v)) for name, v, d in pairs if v != d and _present(v)]
    return [(slot.attrs[0], _text(value))] if value != slot.default and _present(value) else []


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != ()


def _write_children(slot: Slot, items: tuple[Any, ...], parent: Element) -> None:
    holder = element(slot.spec.wrapper, (), parent) if slot.spec.wrapper else parent
    for item in items:
        tag = next(tag for tag, kind in slot.tags if isinstance(item, kind))
        write(item, tag, holder)


def element(
    tag: str, attrs: Iterable[tuple[str, Any]] = (), parent: Element | None = None
) -> Element:
    """An element with the attributes whose value is not None, "" or ()."""
    return _new(tag, [(k, _text(v)) for k, v in attrs if _present(v)], parent)


def _new(tag: str, attrs: list[tuple[str, str]], parent: Element | None) -> Element:
    found = dict(attrs)
    return etree.SubElement(parent, tag, found) if parent is not None else etree.Element(tag, found)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)
