"""One jinja2 environment for every template under `templates/`.

StrictUndefined turns a misspelt variable into an error instead of an empty string, and XML
autoescaping makes every `{{ value }}` safe in text and in attribute values. Templates only
lay out what the render code prepared: sorting and value mapping happen in Python.

Templates are compiled once per installation, not once per run: the compiled code is kept in
the user's cache folder (`$VOICEPKG_CACHE_DIR`, else `$XDG_CACHE_HOME/voicepkg`, else
`~/.cache/voicepkg`), in a folder named after the jinja2 and Python versions and the
environment's options, one file per template name and source hash. A cache that cannot be
read or written is skipped: the templates are then compiled in memory, as before. An empty
`VOICEPKG_CACHE_DIR` turns the cache off.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup, escape

from ..cache import cache_root, own_folder, write_quietly
from ..dataverse.languages import ENGLISH

# The repo's templates/ in a checkout (editable install); a wheel carries them as
# builder/_templates (see pyproject.toml).
_PACKAGED = Path(__file__).resolve().parents[1] / "_templates"
TEMPLATES = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[2] / "templates"
# The language every label of our solution files is written in.
LCID = ENGLISH


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


# The options that change what a template compiles to (part of the cache folder's name).
OPTIONS: dict[str, Any] = {
    "autoescape": True,  # every template here is XML
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


class CompiledTemplates(BytecodeCache):
    """jinja2's compiled template code in a folder, one file per template name and source
    hash. Unreadable, corrupt or unwritable files count as a miss, never as an error."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        checksum = self.get_source_checksum(source)
        key = hashlib.sha256(f"{name}\0{checksum}".encode()).hexdigest()[:32]
        bucket = Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket

    def _file(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.j2c"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._file(bucket), "rb") as handle:
                bucket.load_bytecode(handle)
        except Exception:  # missing, unreadable or corrupt (pickle, marshal): compile anew
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """A read-only or full cache leaves the compiled code in memory only."""
        write_quietly(self._file(bucket), bucket.bytecode_to_string())


def template_cache(root: Path | None) -> CompiledTemplates | None:
    """The compiled-template cache under `root`, or None when the folder cannot be made
    or is not the user's own (then every run compiles in memory)."""
    if root is None:
        return None
    stamp = repr(
        (
            jinja2.__version__,
            sys.version_info[:2],
            sorted(OPTIONS.items()),
            keep_line_breaks.__qualname__,
        )
    )
    folder = root / f"templates-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}"
    return CompiledTemplates(folder) if own_folder(folder) else None


def make_environment(cache_folder: Path | None) -> jinja2.Environment:
    """The template environment, with compiled templates kept under `cache_folder`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        finalize=keep_line_breaks,
        bytecode_cache=template_cache(cache_folder),
        **OPTIONS,
    )
    env.filters["bit"] = bit
    env.filters["braced"] = braced
    return env


@cache
def environment() -> jinja2.Environment:
    return make_environment(cache_root())


def render_text(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def render_xml(name: str, **context: Any) -> bytes:
    """Render a template to UTF-8 bytes with `\\n` line ends."""
    return render_text(name, **context).encode("utf-8")
