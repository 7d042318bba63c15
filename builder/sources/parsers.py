"""Which parser reads the source files of each kind: the one registered for its class
(`@parses(Role)` beside it), else the kind's field mapping over the file's root element,
which is all most kinds need (`model/mapping.py`).

`load` finds a file's kind by its root element (`model.kinds.BY_ROOT`), then its parser here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ..model.kinds import Kind
from .elements import Context, Source
from .mapped import load

Parser = Callable[[Source, Context], list[object]]

PARSERS: dict[type[Any], Parser] = {}  # a kind's model class -> its own parser


def parses(model: type[Any]) -> Callable[[Parser], Parser]:
    """Register the decorated function as the parser of the source files of `model`'s kind."""

    def register(parser: Parser) -> Parser:
        PARSERS[model] = parser
        return parser

    return register


def parser_of(kind: Kind) -> Parser:
    return PARSERS.get(kind.model) or partial(_parse_root, kind.model)


def _parse_root(model: type[Any], source: Source, ctx: Context) -> list[object]:
    """One component: the file's root element, by the kind's field mapping."""
    return [load(model, source, source.root, ctx)]
