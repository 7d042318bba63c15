"""Read `raw/`: components the model does not cover, kept verbatim (see RawPart).

raw/<Solution>/entries/<zip path>          a whole zip entry, e.g. Workflows/x.json
raw/<Solution>/sections/<Section>/<file>   one XML element appended to that top-level
                                           section of customizations.xml
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError
from ..fsio import current_limits, read_regular, walk_files
from ..model import RawPart, Src
from .elements import Context


def load_raw(root: Path, ctx: Context) -> list[object]:
    base = root / "raw"
    if not base.is_dir():
        return []
    try:
        files = walk_files(base, "raw")
        return [part for path in files for part in _part(path, base, root, ctx)]
    except BuildError as error:
        ctx.diagnostics.extend(error.diagnostics)
        return []


def _part(path: Path, base: Path, root: Path, ctx: Context) -> list[object]:
    parts = path.relative_to(base).parts
    where = Src(path.relative_to(root).as_posix(), 0)
    if len(parts) >= 3 and parts[1] == "entries":
        return [RawPart("/".join(parts[2:]), _bytes(path, where), "", parts[0], where)]
    if len(parts) == 4 and parts[1] == "sections":
        return [RawPart(parts[3], _bytes(path, where), parts[2], parts[0], where)]
    ctx.error(
        "SRC010",
        "file in raw/ is neither raw/<Solution>/entries/<path> nor "
        "raw/<Solution>/sections/<Section>/<file>",
        where,
        hint="move it to one of those two places (see docs/source-format.md)",
    )
    return []


def _bytes(path: Path, where: Src) -> bytes:
    return read_regular(path, current_limits().zip_entry_bytes, where.file)
