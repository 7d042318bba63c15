"""Project configuration: `[tool.voicepkg]` in `pyproject.toml`, or `voicepkg.toml`.

Read from the working directory (the repository root, where the pipelines run). Every key is
optional; a command-line option always wins over the file, the file over the built-in default:

    [tool.voicepkg]              # in voicepkg.toml the same keys sit at the top level
    src = "solution_src"         # source folder (build, validate, deploy --from-source)
    out = "dist"                 # output folder of build
    ms-schemas = "../shared/reference/ms-schemas/9.0.0.2090-patched"
    ignore = ["DV121", "SCH201"] # diagnostic codes never reported
    settings = "deploy"          # folder of the per-environment deployment settings files
    fleet = "fleet.toml"         # the fleet file (read by `voicepkg fleet`)

Relative paths are relative to the folder holding the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError
from .errors.codes import CODES

FILES = ("voicepkg.toml", "pyproject.toml")
KEYS = frozenset({"src", "out", "ms-schemas", "ignore", "settings", "fleet"})
CODE = re.compile(r"[A-Z]{2,4}\d{3}")


@dataclass(frozen=True)
class Config:
    """What the configuration file says; None where it says nothing."""

    file: str = ""
    src: Path | None = None
    out: Path | None = None
    ms_schemas: Path | None = None
    settings: Path | None = None
    fleet: Path | None = None
    ignore: frozenset[str] = field(default_factory=frozenset)


def load_config(cwd: Path | None = None) -> Config:
    """The configuration of the project in `cwd` (default: the working directory)."""
    folder = cwd or Path.cwd()
    for name in FILES:
        path = folder / name
        if path.is_file():
            table = _table(path, name)
            if table is not None:
                return _config(table, path)
    return Config()


def _table(path: Path, name: str) -> dict[str, object] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BuildError.at(
            "CFG001",
            f"cannot read the configuration: {error}",
            file=name,
            hint="fix the TOML syntax",
            exit_code=2,
        ) from None
    if name == "voicepkg.toml":
        return data
    tool = data.get("tool")
    table = tool.get("voicepkg") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _config(table: dict[str, object], path: Path) -> Config:
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise _bad(
            path, f"unknown key(s) {', '.join(unknown)}", f"the keys are {', '.join(sorted(KEYS))}"
        )
    base = path.parent
    return Config(
        file=path.name,
        src=_path(table, "src", base, path),
        out=_path(table, "out", base, path),
        ms_schemas=_path(table, "ms-schemas", base, path),
        settings=_path(table, "settings", base, path),
        fleet=_path(table, "fleet", base, path),
        ignore=parse_codes(_codes(table.get("ignore", []), path)),
    )


def _path(table: dict[str, object], key: str, base: Path, file: Path) -> Path | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise _bad(file, f"{key} must be a folder name (a string)", f'e.g. {key} = "dist"')
    path = Path(value)
    if path.is_absolute() or base.resolve() == Path.cwd().resolve():
        return path  # relative to the working directory, like every path voicepkg prints
    return base / path


def _codes(value: object, file: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    raise _bad(file, "ignore must be a list of diagnostic codes", 'e.g. ignore = ["SCH201"]')


CODE_PAGES = "docs/validate.md, source-format.md, deploy.md, configure.md, fleet.md, limits.md"


def parse_codes(values: list[str] | tuple[str, ...]) -> frozenset[str]:
    """`DV121,SCH201` (comma-separated, repeatable) as a set of codes; a usage error names
    anything that is not a code."""
    codes = {c.strip().upper() for v in values for c in v.split(",") if c.strip()}
    bad = sorted(c for c in codes if not CODE.fullmatch(c))
    if bad:
        raise BuildError.at(
            "CFG002",
            f"not a diagnostic code: {', '.join(bad)}",
            hint="codes look like DV121 or SCH201 (docs/validate.md)",
            exit_code=2,
        )
    unknown = sorted(codes - CODES.keys())
    if unknown:
        from difflib import get_close_matches  # only for this hint: off every run's start-up

        near = sorted({m for c in unknown for m in get_close_matches(c, CODES, n=2, cutoff=0.8)})
        raise BuildError.at(
            "CFG002",
            f"no such diagnostic code: {', '.join(unknown)} (a typo would ignore nothing)",
            hint=f"did you mean {', '.join(near)}?" if near else f"the codes: {CODE_PAGES}",
            exit_code=2,
        )
    return frozenset(codes)


def _bad(path: Path, message: str, hint: str) -> BuildError:
    return BuildError.at(
        "CFG002", f"configuration: {message}", file=path.name, hint=hint, exit_code=2
    )
