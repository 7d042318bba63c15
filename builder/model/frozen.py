"""`@frozen`: a frozen dataclass whose `__eq__`, `__hash__` and `__repr__` are made from the
field list instead of from generated source.

`dataclass(frozen=True)` writes six methods of source per class and compiles each one
(`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`); for the model's
classes that was a third of a build's own start-up. Here dataclasses still makes `__init__`
and the frozen `__setattr__`/`__delattr__`; the other three are closures over the compared
and shown field names, and behave as dataclasses' own do: equal when of the same class with
equal compared fields (the tuples compared, so an object is equal to itself), the hash of the
tuple of hashed fields, and `Name(field=value, ...)` of the fields with `repr=True`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The named fields of an object as a tuple (attrgetter gives a bare value for one)."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names) if names else lambda obj: ()


def _hashed(f: Field[Any]) -> bool:
    return f.compare if f.hash is None else f.hash


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def frozen(cls: type[T]) -> type[T]:
    made = dataclass(frozen=True, eq=False, repr=False)(cls)
    made_fields = fields(made)  # type: ignore[arg-type]
    compared = _values([f.name for f in made_fields if f.compare])
    hashed = _values([f.name for f in made_fields if _hashed(f)])
    shown = [f.name for f in made_fields if f.repr]

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    def __repr__(self: Any) -> str:
        said = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({said})"

    for method in (__eq__, __hash__, __repr__):
        method.__qualname__ = f"{made.__qualname__}.{method.__name__}"
        setattr(made, method.__name__, method)
    return made
