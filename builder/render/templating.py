"""One jinja2 environment for every template under `templates/`.

StrictUndefined turns a misspelt variable into an error instead of an empty string, and XML
autoescaping makes every `{{ value }}` safe in text and in attribute values. Templates only
lay out what the render code prepared: sorting and value mapping happen in Python.
"""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

# The repo's templates/ in a checkout (editable install); a wheel carries them as
# builder/_templates (see pyproject.toml).
_PACKAGED = Path(__file__).resolve().parents[1] / "_templates"
TEMPLATES = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[2] / "templates"
# The language every label of our solution files is written in (English).
LCID = 1033


def bit(value: bool) -> str:
    """Dataverse writes booleans in solution files as 0/1."""
    return "1" if value else "0"


def braced(value: uuid.UUID) -> str:
    """A GUID the way solution.xml and customizations.xml write ids: {lower-case}."""
    return "{" + str(value) + "}"


def keep_line_breaks(value: Any) -> Any:
    """Escape line breaks as character references: an XML parser turns a raw newline inside
    an attribute value into a space, so a multi-line description would lose its lines."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    if "\n" not in value and "\r" not in value:
        return value
    text = str(escape(value))  # plain str: Markup.replace would escape the references
    return Markup(text.replace("\r", "&#13;").replace("\n", "&#10;"))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # every template here is XML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=keep_line_breaks,
    )
    env.filters["bit"] = bit
    env.filters["braced"] = braced
    return env


def render_text(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def render_xml(name: str, **context: Any) -> bytes:
    """Render a template to UTF-8 bytes with `\\n` line ends."""
    return render_text(name, **context).encode("utf-8")
