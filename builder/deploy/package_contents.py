"""Read the package that deploy installs: a package zip, a package folder, or built entries.

The layout (written by `build`, read by `archive.package_layout`, as `read` reads it):
`ImportConfig.xml` (UTF-16) naming the solution zips in import order and the configuration data
zip (`data.xml`, `data_schema.xml`), next to those zips, in the package folder; a package zip
holds that folder, as Package Deployer's zips do (and older builds' zips held its files at the
root: both are read). A bare solution zip is accepted too (one solution, no configuration data).
Everything is read with `archive.read_zip` and `xmlsafe.parse_xml`; nothing touches disk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..archive.package_layout import IMPORT_CONFIG, package_folder, read_layout
from ..archive.safezip import read_zip
from ..errors import BuildError
from ..fsio import current_limits, read_regular
from ..xmlio.safe import parse_xml
from .component_keys import solution_components
from .configdata_rows import ProviderRow, SettingRow, read_config_data
from .virtual import VirtualTable, virtual_tables

UNIQUE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
PACKAGE_FOLDER = "VoiceForD365Package"


@dataclass(frozen=True)
class EnvVarDef:
    """An environment variable definition shipped in a solution zip."""

    schema_name: str
    type: int
    default_value: str = ""
    required: bool = False  # <isrequired>1</isrequired>
    packaged_value: bool = False  # environmentvariablevalues.json ships a value

    @property
    def needs_value(self) -> bool:
        """A deployment must give a value: required, with nothing shipped to fall back on."""
        return self.required and not self.packaged_value and not self.default_value


@dataclass(frozen=True)
class ConnectionRefDef:
    logical_name: str
    connector_id: str = ""


@dataclass(frozen=True)
class PackageSolution:
    unique_name: str
    version: str
    managed: bool
    file_name: str
    content: bytes = field(repr=False, compare=False)
    components: frozenset[tuple[int, str]] = frozenset()
    env_vars: tuple[EnvVarDef, ...] = ()
    connection_refs: tuple[ConnectionRefDef, ...] = ()
    channel_providers: tuple[str, ...] = ()  # msdyn_channelprovider unique names it ships
    prefix: str = ""  # the publisher's customization prefix
    virtual_tables: tuple[VirtualTable, ...] = ()  # tables with a DataProviderId

    @property
    def multisession(self) -> bool:
        """Carries the CIF 2.0 channel provider: imported for CIF2 scenarios only."""
        return bool(self.channel_providers)


@dataclass(frozen=True)
class Package:
    label: str
    solutions: tuple[PackageSolution, ...]
    settings: tuple[SettingRow, ...] = ()
    cif1_provider: ProviderRow | None = None
    sha256: str = ""  # of the package zip (of a folder: of its sorted "sha256  name" lines)

    @property
    def name(self) -> str:
        """The package's name: the package folder's, or a bare solution's unique name."""
        return (
            PACKAGE_FOLDER
            if len(self.solutions) != 1 or self.settings
            else (self.solutions[0].unique_name)
        )

    @property
    def version(self) -> str:
        return self.solutions[0].version if self.solutions else ""

    def env_vars(self) -> tuple[EnvVarDef, ...]:
        return tuple(v for s in self.solutions for v in s.env_vars)

    def connection_refs(self) -> tuple[ConnectionRefDef, ...]:
        return tuple(c for s in self.solutions for c in s.connection_refs)

    def virtual_tables(self) -> tuple[VirtualTable, ...]:
        return tuple(t for s in self.solutions for t in s.virtual_tables)


def read_package_contents(path: Path) -> Package:
    """A package zip, a package folder (or a dist/ folder holding one), or a solution zip."""
    if path.is_dir():
        folder = path / PACKAGE_FOLDER if (path / PACKAGE_FOLDER).is_dir() else path
        limit = current_limits().input_file_bytes
        entries = {
            p.name: read_regular(p, limit) for p in sorted(folder.iterdir()) if not p.is_dir()
        }
        return replace(package_from_entries(entries, str(folder)), sha256=folder_digest(entries))
    if not path.exists() and not path.is_symlink():
        raise BuildError.at(
            "DEP001",
            "package not found",
            file=str(path),
            hint="build it first: voicepkg build, or pass --from-source",
        )
    entries = read_zip(path, str(path))
    data = read_regular(path, current_limits().input_file_bytes, str(path), "the zip")
    digest = hashlib.sha256(data).hexdigest()
    if "solution.xml" in entries:
        return Package(str(path), (read_solution(data, path.name, str(path)),), sha256=digest)
    inner = package_folder(entries, str(path))
    return replace(package_from_entries(inner, str(path)), sha256=digest)


def folder_digest(entries: Mapping[str, bytes]) -> str:
    """A package folder's identity: the sha256 of its SHA256SUMS-style listing."""
    lines = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(entries.items())
    )
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def package_from_build(outputs: Mapping[str, bytes], label: str) -> Package:
    """The package out of `build_package` outputs (relative path -> bytes)."""
    prefix = PACKAGE_FOLDER + "/"
    entries = {
        k[len(prefix) :]: v
        for k, v in outputs.items()
        if k.startswith(prefix) and "/" not in k[len(prefix) :]
    }
    if IMPORT_CONFIG not in entries:
        zips = [k for k in outputs if k.startswith(PACKAGE_FOLDER + "_") and k.endswith(".zip")]
        if zips:
            inner = package_folder(read_zip(outputs[zips[0]], zips[0]))
            return replace(
                package_from_entries(inner, label),
                sha256=hashlib.sha256(outputs[zips[0]]).hexdigest(),
            )
    return replace(package_from_entries(entries, label), sha256=folder_digest(entries))


def package_from_entries(entries: Mapping[str, bytes], label: str) -> Package:
    """The package out of its files: ImportConfig.xml, solution zips, data zip."""
    layout = read_layout(entries, label)
    if layout is None:
        raise BuildError.at(
            "DEP002",
            f"no {IMPORT_CONFIG} in the package",
            file=label,
            hint="pass the package zip or folder that voicepkg build wrote",
        )
    config = f"{label}!{layout.config}"
    order = layout.solutions
    twice = sorted({n for n in order if order.count(n) > 1})
    if twice:
        raise BuildError.at(
            "DEP008",
            f"ImportConfig.xml lists {', '.join(twice)} more than once",
            file=config,
            hint="rebuild the package",
        )
    solutions = tuple(
        read_solution(
            _entry(entries, layout.path(name), label), name, f"{label}!{layout.path(name)}"
        )
        for name in order
    )
    if not solutions:
        raise BuildError.at("DEP003", "the package names no solutions", file=label)
    names = [s.unique_name.lower() for s in solutions]
    if len(set(names)) != len(names):
        raise BuildError.at(
            "DEP008",
            "the package holds the same solution twice",
            file=config,
            hint="rebuild the package",
        )
    settings: tuple[SettingRow, ...] = ()
    provider = None
    if layout.config_data:
        data_zip = layout.path(layout.config_data)
        data = read_zip(_entry(entries, data_zip, label), f"{label}!{data_zip}")
        settings, provider = read_config_data(data, f"{label}!{data_zip}")
    return Package(label, solutions, settings, provider)


def _entry(entries: Mapping[str, bytes], name: str, label: str) -> bytes:
    if name not in entries:
        raise BuildError.at(
            "DEP004",
            f"ImportConfig.xml names {name}, which the package lacks",
            file=label,
            hint="rebuild the package",
        )
    return entries[name]


def read_solution(content: bytes, file_name: str, label: str = "") -> PackageSolution:
    """One solution zip: its manifest, the components it holds, env vars, connection refs."""
    label = label or file_name
    entries = read_zip(content, label)
    if "solution.xml" not in entries:
        raise BuildError.at("DEP005", "not a solution zip: no solution.xml", file=label)
    manifest = parse_xml(entries["solution.xml"], f"{label}!solution.xml")
    head = manifest.find("SolutionManifest")
    if head is None:
        raise BuildError.at(
            "DEP005", "solution.xml has no SolutionManifest", file=f"{label}!solution.xml"
        )
    unique = (head.findtext("UniqueName") or "").strip()
    version = (head.findtext("Version") or "").strip()
    _check_unique_name(unique, f"{label}!solution.xml")
    _check_version(version, f"{label}!solution.xml")
    return PackageSolution(
        unique_name=unique,
        version=version,
        managed=(head.findtext("Managed") or "0").strip() == "1",
        file_name=file_name,
        content=content,
        components=solution_components(manifest, entries, label),
        env_vars=_env_vars(entries, label),
        connection_refs=_connection_refs(entries, label),
        channel_providers=tuple(
            sorted({k.split("/")[1] for k in entries if k.startswith("msdyn_channelproviders/")})
        ),
        prefix=(head.findtext("Publisher/CustomizationPrefix") or "").strip().lower(),
        virtual_tables=virtual_tables(
            entries.get("customizations.xml"), f"{label}!customizations.xml"
        ),
    )


def _check_version(version: str, where: str) -> None:
    """validate's rule (DV172): two to four numbers of at most nine digits each."""
    from ..validate.rules.identity import version_key  # validate's rules load on use

    if version_key(version) is None:
        raise BuildError.at(
            "DEP006",
            f"solution version {version[:40]!r} is not a version "
            "Dataverse accepts (two to four numbers of at most nine digits)",
            file=where,
            hint="versions are major.minor.build.revision, e.g. "
            "1.2.0.0; rebuild the package with a valid --version",
        )


def _check_unique_name(name: str, where: str) -> None:
    """validate's naming rule: a letter, then letters, digits and underscores (at most 128);
    nothing else ever reaches the environment (not `../x`, not an empty name)."""
    if not UNIQUE_NAME.fullmatch(name) or len(name) > 128:
        raise BuildError.at(
            "DEP007",
            f"solution unique name {name[:60]!r} is not one "
            "Dataverse accepts (a letter, then letters, digits, underscores)",
            file=where,
            hint="rebuild the package from its sources",
        )


def _env_vars(entries: Mapping[str, bytes], label: str) -> tuple[EnvVarDef, ...]:
    out = []
    for name in sorted(entries):
        parts = name.split("/")
        if len(parts) != 3 or parts[0] != "environmentvariabledefinitions":
            continue
        if parts[2] != "environmentvariabledefinition.xml":
            continue
        root = parse_xml(entries[name], f"{label}!{name}")
        values = f"environmentvariabledefinitions/{parts[1]}/environmentvariablevalues.json"
        out.append(
            EnvVarDef(
                schema_name=str(root.get("schemaname", parts[1])),
                type=int((root.findtext("type") or "100000000").strip() or 100000000),
                default_value=(root.findtext("defaultvalue") or ""),
                required=(root.findtext("isrequired") or "0").strip() == "1",
                packaged_value=values in entries,
            )
        )
    return tuple(out)


def _connection_refs(entries: Mapping[str, bytes], label: str) -> tuple[ConnectionRefDef, ...]:
    data = entries.get("customizations.xml")
    if data is None or b"connectionreference" not in data:
        return ()
    root = parse_xml(data, f"{label}!customizations.xml")
    return tuple(
        ConnectionRefDef(
            str(e.get("connectionreferencelogicalname", "")),
            (e.findtext("connectorid") or "").strip(),
        )
        for e in root.iter("connectionreference")
        if e.get("connectionreferencelogicalname")
    )
