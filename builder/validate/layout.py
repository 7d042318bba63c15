"""What a path is (sources, a solution, a package, configuration data) and its files.

A zip is read with `archive.read_zip`; a folder is read the same way file by file, within the
same limits and never following a link out of the folder. Either way a target is a mapping
{relative path: bytes}, so a solution zip and an unzipped solution folder are checked alike.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..archive.package_layout import find_import_config
from ..archive.safezip import read_zip
from ..dataverse.solution_parts import CONTENT_TYPES
from ..errors import BuildError, Diagnostic, diagnostic
from ..fsio import read_tree

Kind = Literal["source", "solution", "unpacked", "package", "configdata", "unknown"]


@dataclass
class Target:
    kind: Kind
    label: str  # how files are named in diagnostics: "dist/x.zip" or "dist/folder"
    entries: dict[str, bytes] = field(default_factory=dict)
    is_zip: bool = False
    data: bytes = b""  # the zip itself, for readers that take one
    inside: str = ""  # the folder of the zip the entries come from ("VoiceForD365Package/")

    def name(self, entry: str) -> str:
        """The diagnostic file name of one entry."""
        return f"{self.label}!{self.inside}{entry}" if self.is_zip else f"{self.label}/{entry}"


def kind_of_entries(entries: dict[str, bytes]) -> Kind:
    names = {n.lower() for n in entries}
    if "importconfig.xml" in names:
        return "package"
    if "data.xml" in names or "data_schema.xml" in names:
        return "configdata"
    if "other/solution.xml" in names:
        return "unpacked"
    return "solution"


def kind_of_folder(path: Path) -> Kind:
    def has(*parts: str) -> bool:
        return path.joinpath(*parts).is_file()

    if has("ImportConfig.xml"):
        return "package"
    if has("solution.xml") or has("customizations.xml") or has(CONTENT_TYPES):
        return "solution"
    if has("Other", "Solution.xml"):
        return "unpacked"
    if has("data.xml") or has("data_schema.xml"):
        return "configdata"
    if not has("project.xml") and any(path.glob("*.zip")):
        return "unknown"  # a build output folder (dist/): it holds things to validate
    return "source"


def open_target(path: Path) -> tuple[Target | None, list[Diagnostic]]:
    """The target at `path`, or None with the diagnostics that stopped it."""
    label = str(path)
    if not path.exists():
        return None, [
            diagnostic(
                "VAL001",
                "no such file or folder",
                file=label,
                hint="pass a solution_src folder, a solution or a package",
            )
        ]
    if path.is_dir():
        kind = kind_of_folder(path)
        if kind == "source":
            return Target("source", label), []
        if kind == "unknown":
            return None, [_not_a_target(path, label)]
        return _folder_target(path, kind, label)
    try:
        entries = read_zip(path, label)  # streamed from the file, within the limits
    except BuildError as error:
        return None, error.diagnostics
    return zip_target(label, entries, b""), []


def zip_target(label: str, entries: dict[str, bytes], data: bytes) -> Target:
    folder = _package_folder(entries, label)
    if folder:  # a package zip as Package Deployer lays it out: the package folder inside
        inner = {p[len(folder) :]: d for p, d in entries.items() if p.startswith(folder)}
        return Target("package", label, inner, is_zip=True, data=data, inside=folder)
    return Target(kind_of_entries(entries), label, entries, is_zip=True, data=data)


def _package_folder(entries: dict[str, bytes], label: str) -> str:
    """ "<folder>/" when the zip holds the package folder (ImportConfig.xml inside it); else
    "" (ImportConfig.xml at the root, or none)."""
    config = find_import_config(entries, label)
    folder = posixpath.dirname(config) if config else ""
    return f"{folder}/" if folder else ""


def _not_a_target(path: Path, label: str) -> Diagnostic:
    inside = sorted(p.name for p in path.iterdir() if p.suffix == ".zip" or p.is_dir())
    return diagnostic(
        "VAL005",
        "not a solution_src, solution or package folder",
        file=label,
        hint=f"validate one of what it holds: {', '.join(inside[:6])}",
    )


def _folder_target(path: Path, kind: Kind, label: str) -> tuple[Target | None, list[Diagnostic]]:
    try:
        return Target(kind, label, read_folder(path, label)), []
    except BuildError as error:
        return None, error.diagnostics


def read_folder(root: Path, label: str) -> dict[str, bytes]:
    """Every file under `root` as {relative path: bytes}, within the zip limits; links that
    lead out of the folder, FIFOs, devices and unreadable files are refused."""
    return read_tree(root, label)


def find_entry(entries: dict[str, bytes], name: str) -> str | None:
    """The entry called `name`, compared without case (Windows tools vary the casing)."""
    wanted = name.lower()
    return next((n for n in entries if n.lower() == wanted), None)
