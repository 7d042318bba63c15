"""Which parser reads the source files of each kind: the one registered for its class
(`@parses(Role)` beside it), else the kind's field mapping over the file's root element,
which is all most kinds need (`model/mapping.py`).

`load` finds a file's kind by its root element (`model.kinds.BY_ROOT`), then its parser here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ..model.kinds import Kind, PerKind
from .elements import Context, Source
from .mapped import load

Parser = Callable[[Source, Context], list[object]]

PARSERS: PerKind[Parser] = PerKind()  # the kinds with a parser of their own
parses = PARSERS.register  # @parses(Role) beside the parser


def parser_of(kind: Kind) -> Parser:
    return PARSERS.of(kind) or partial(_parse_root, kind.model)


def _parse_root(model: type[Any], source: Source, ctx: Context) -> list[object]:
    """One component: the file's root element, by the kind's field mapping."""
    return [load(model, source, source.root, ctx)]
