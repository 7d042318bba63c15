"""Where the parts of a Package Deployer package sit among its files: the one reader of the
layout, for `read` (a package as one project) and `deploy` (the package it installs).

A package is a folder, or a zip of that folder, holding `ImportConfig.xml`, which names the
solution zips in import order (`<solutions><configsolutionfile solutionpackagefilename=..>`)
and the configuration data zip (`crmmigdataimportfile`), both beside it ("ImportConfig
reference", https://learn.microsoft.com/power-platform/alm/importconfig-reference; our schema:
builder/validate/schemas). Package Deployer's zips hold the package folder; older
builds' zips held its files at the root: `ImportConfig.xml` is looked for nearest the root,
whatever its case (Windows tools vary it). Files are given as {relative path: bytes}, a
folder's or a zip's alike; nothing here touches disk.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import BuildError
from ..xmlio.exported import kids
from ..xmlio.safe import parse_xml

IMPORT_CONFIG = "ImportConfig.xml"


@dataclass(frozen=True)
class PackageLayout:
    config: str  # the path of ImportConfig.xml among the files
    solutions: tuple[str, ...]  # the solution zips' names, in import order, as listed
    config_data: str = ""  # the configuration data zip's name ("" when it names none)

    @property
    def folder(self) -> str:
        """The package folder: where ImportConfig.xml sits ("" at the root)."""
        return posixpath.dirname(self.config)

    def path(self, name: str) -> str:
        """The path among the files of a part ImportConfig.xml names."""
        return posixpath.join(self.folder, name) if self.folder else name


def find_import_config(paths: Iterable[str], label: str = "") -> str | None:
    """The ImportConfig.xml nearest the root. Two as near (two packages in one zip or folder)
    are refused: which one to install is not ours to guess (PKG003)."""
    found = sorted(
        (p for p in paths if posixpath.basename(p).lower() == IMPORT_CONFIG.lower()),
        key=lambda p: (p.count("/"), p),
    )
    nearest = [p for p in found if p.count("/") == found[0].count("/")] if found else []
    if len(nearest) > 1:
        raise BuildError.at(
            "PKG003",
            f"more than one package here: {', '.join(nearest)}",
            file=label or "the package",
            hint="give one package's zip or folder",
        )
    return found[0] if found else None


def package_folder(files: Mapping[str, bytes], label: str = "") -> dict[str, bytes]:
    """The files of the package folder, by their path inside it (all files when none holds
    ImportConfig.xml, or it sits at the root)."""
    config = find_import_config(files, label)
    folder = posixpath.dirname(config) if config else ""
    if not folder:
        return dict(files)
    prefix = folder + "/"
    return {p[len(prefix) :]: d for p, d in files.items() if p.startswith(prefix)}


def read_layout(files: Mapping[str, bytes], label: str) -> PackageLayout | None:
    """The package's layout, or None when no ImportConfig.xml is among `files`. `label`
    names the package in a diagnostic of an unparsable ImportConfig.xml."""
    config = find_import_config(files, label)
    if config is None:
        return None
    root = parse_xml(files[config], f"{label}!{config}")
    listed = kids(root.find("solutions"), "configsolutionfile")
    return PackageLayout(
        config,
        tuple(str(f.get("solutionpackagefilename", "")) for f in listed),
        str(root.get("crmmigdataimportfile", "") or ""),
    )
