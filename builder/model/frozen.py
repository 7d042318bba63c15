"""`@frozen`: a frozen dataclass whose `__hash__` and `__repr__` are made from the field list
instead of from generated source.

`dataclass(frozen=True)` writes six methods of source per class and compiles each one
(`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`); for the model's
classes that was a fifth of a build's instructions. Here dataclasses still makes `__init__`,
`__eq__` (compiled, it is the fastest comparison, and `diff` compares components by the
thousand) and the frozen `__setattr__`/`__delattr__`. `__hash__` and `__repr__` are closures
over the field names, and give what dataclasses' own give: the hash of the tuple of the
hashed fields, and `Name(field=value, ...)` of the fields with `repr=True`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import itemgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
Values = Callable[[dict[str, Any]], tuple[Any, ...]]


def _values(names: list[str]) -> Values:
    """The named fields, read from an instance's `__dict__` (where a dataclass's `__init__`
    puts them), as a tuple (`itemgetter` gives a bare value for one name)."""
    if len(names) > 1:
        return itemgetter(*names)
    if names:
        one = itemgetter(names[0])
        return lambda values: (one(values),)
    return lambda values: ()


def _hashed(f: Field[Any]) -> bool:
    return f.compare if f.hash is None else f.hash


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def frozen(cls: type[T]) -> type[T]:
    hashed: Values = _values([])  # the fields are known once dataclasses has made the class

    def __hash__(self: Any) -> int:
        return hash(hashed(self.__dict__))

    # A class's own __hash__ is kept by dataclasses, which then compiles none.
    cls.__hash__ = __hash__  # type: ignore[method-assign]
    made = dataclass(frozen=True, repr=False)(cls)
    made_fields = fields(made)  # type: ignore[arg-type]
    hashed = _values([f.name for f in made_fields if _hashed(f)])
    shown = [f.name for f in made_fields if f.repr]

    def __repr__(self: Any) -> str:
        said = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({said})"

    made.__repr__ = __repr__  # type: ignore[method-assign]
    for method in (__hash__, __repr__):
        method.__qualname__ = f"{made.__qualname__}.{method.__name__}"
    return made
