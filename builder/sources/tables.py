"""Parse `tables/*.xml` and `globalchoices/*.xml` into model tables and global choices.

Both follow their field mapping (`model/mapping.py`) entirely: columns, keys, options and
status reasons are sorted where the model says their order carries no meaning."""

from __future__ import annotations

from ..model import GlobalChoice, Table
from .elements import Context, Source
from .mapped import load


def parse_table(source: Source, ctx: Context) -> list[object]:
    return [load(Table, source, source.root, ctx)]


def parse_global_choice(source: Source, ctx: Context) -> list[object]:
    return [load(GlobalChoice, source, source.root, ctx)]
