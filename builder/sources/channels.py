"""Parse the default settings: a settings file names the category of all its settings once,
on its root. (The channel providers and the multisession templates need no parser of their
own: each file is one, by its field mapping, `parsers.py`.)"""

from __future__ import annotations

from ..model import Setting
from .elements import Context, Source, children, text
from .mapped import load
from .parsers import parses


@parses(Setting)
def parse_settings(source: Source, ctx: Context) -> list[object]:
    category = text(source.root, "category")
    return [
        load(Setting, source, s, ctx, category=category) for s in children(source.root, "setting")
    ]
