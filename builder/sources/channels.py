"""Parse the channel providers, the multisession templates and the default settings.

All follow their field mapping (`model/mapping.py`); a settings file names the category of
all its settings once, on its root."""

from __future__ import annotations

from ..model import (
    ApplicationTabTemplate,
    Cif1Provider,
    Cif2Provider,
    NotificationTemplate,
    SessionTemplate,
    Setting,
)
from .elements import Context, Source, children, text
from .mapped import load


def parse_cif1(source: Source, ctx: Context) -> list[object]:
    return [load(Cif1Provider, source, source.root, ctx)]


def parse_cif2(source: Source, ctx: Context) -> list[object]:
    return [load(Cif2Provider, source, source.root, ctx)]


def parse_tab_template(source: Source, ctx: Context) -> list[object]:
    return [load(ApplicationTabTemplate, source, source.root, ctx)]


def parse_session_template(source: Source, ctx: Context) -> list[object]:
    return [load(SessionTemplate, source, source.root, ctx)]


def parse_notification_template(source: Source, ctx: Context) -> list[object]:
    return [load(NotificationTemplate, source, source.root, ctx)]


def parse_settings(source: Source, ctx: Context) -> list[object]:
    category = text(source.root, "category")
    return [
        load(Setting, source, s, ctx, category=category) for s in children(source.root, "setting")
    ]
