"""A solution kept as a folder, turned back into the zip entries it stands for.

Two layouts are understood:
- raw zip contents: `solution.xml`, `customizations.xml`, ... at the folder's root;
- `pac solution unpack` (SolutionPackager) output: `Other/Solution.xml`,
  `Other/Customizations.xml` with the split-out parts in `Entities/<Table>/Entity.xml`
  (+ `FormXml/<type>/{id}.xml`, `SavedQueries/`, `RibbonDiff.xml`), `Roles/`, `OptionSets/`,
  `Workflows/*.data.xml`, `WebResources/*.data.xml`, `AppModules/`, `AppModuleSiteMaps/`,
  `Other/Relationships/*.xml`, `PluginAssemblies/`, `SdkMessageProcessingSteps/`. Those are
  folded back into customizations.xml the way `pac solution pack` does; every other file
  (environment variables, SCF rows, canvas apps, ...) is a zip entry under the same path.
A source extracted with both package types (`<Managed>2</Managed>`) packs as unmanaged: the
`{id}_managed.xml` form variants are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ..archive.safezip import safe_member_name
from ..dataverse.solution_parts import CONTENT_TYPES
from ..errors import BuildError
from ..fsio import read_tree
from ..xmlio.exported import Element, child, kids
from ..xmlio.safe import max_xml_bytes, parse_xml

Entries = dict[str, bytes]
# Folders whose XML files are folded into a customizations.xml section, and that section.
_SECTIONS = {
    "Roles": "Roles",
    "OptionSets": "optionsets",
    "SdkMessageProcessingSteps": "SdkMessageProcessingSteps",
    "Dashboards": "Dashboards",
}
_NOT_IN_ZIP = ("Other/", "Entities/", "Resources/", "AppModules/", "AppModuleSiteMaps/")


def folder_entries(folder: Path) -> Entries:
    """The zip entries a solution folder stands for (either layout)."""
    files = read_folder(folder)
    if "solution.xml" in files:
        return files
    if "Other/Solution.xml" in files:
        return pack_unpacked(files, str(folder))
    raise BuildError.at(
        "RD010",
        "not a solution folder: no solution.xml and no Other/Solution.xml",
        file=str(folder),
        hint="pass a solution zip, its extracted contents, or a `pac solution unpack` folder",
    )


def read_folder(folder: Path) -> Entries:
    """Every file under `folder` by relative path (hidden ones aside); links out of it, FIFOs,
    devices and unreadable files are refused, and the zip limits hold."""
    return read_tree(folder, str(folder), skip_hidden=True)


def pack_unpacked(files: Entries, label: str) -> Entries:
    """A `pac solution unpack` layout as the zip entries `pac solution pack` would write."""
    custom = parse_xml(files["Other/Customizations.xml"], f"{label}/Other/Customizations.xml")
    folded: set[str] = {"Other/Customizations.xml", "Other/Solution.xml"}
    entries: Entries = {}
    _entities(files, custom, folded, entries, label)
    for folder, section in _SECTIONS.items():
        _fold(files, custom, folder, section, lambda p: p.endswith(".xml"), folded, label)
    _relationships(files, custom, folded, label)
    _payload_parts(files, custom, folded, entries, label)
    _apps(files, custom, folded, label)
    for path, data in files.items():
        if (
            path not in folded
            and not path.startswith(_NOT_IN_ZIP)
            and not path.endswith((".csproj", ".cdsproj"))
        ):
            entries[path] = data
    entries["solution.xml"] = _manifest(files["Other/Solution.xml"], label)
    entries["customizations.xml"] = _serialize(custom)
    entries[CONTENT_TYPES] = content_types(entries)
    return entries


def _serialize(root: Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _manifest(data: bytes, label: str) -> bytes:
    root = parse_xml(data, f"{label}/Other/Solution.xml")
    managed = root.find("SolutionManifest/Managed")
    if managed is not None and (managed.text or "").strip() == "2":
        managed.text = "0"  # a "both" source packs as unmanaged unless told otherwise
    return _serialize(root)


def content_types(entries: Entries) -> bytes:
    """`[Content_Types].xml` as exports write it: the same rule as our build (a Default per
    extension, an Override per part without one)."""
    from ..render.solution import with_content_types

    return with_content_types(entries)[CONTENT_TYPES]


def _section(custom: Element, name: str) -> Element:
    found = child(custom, name)
    if found is None:
        found = etree.SubElement(custom, name)
        languages = child(custom, "Languages")
        if languages is not None:
            languages.addprevious(found)
    return found


def _xml(files: Entries, path: str, label: str) -> Element:
    if len(files[path]) > max_xml_bytes():
        raise BuildError.at("XML004", "file too large", file=f"{label}/{path}")
    return parse_xml(files[path], f"{label}/{path}")


def _fold(
    files: Entries,
    custom: Element,
    folder: str,
    section: str,
    wanted: Callable[[str], bool],
    folded: set[str],
    label: str,
) -> None:
    paths = [p for p in sorted(files) if p.startswith(folder + "/") and wanted(p)]
    if not paths:
        return
    target = _section(custom, section)
    for path in paths:
        target.append(_xml(files, path, label))
        folded.add(path)


def _entities(
    files: Entries, custom: Element, folded: set[str], entries: Entries, label: str
) -> None:
    target = _section(custom, "Entities")
    for path in sorted(
        p
        for p in files
        if p.startswith("Entities/") and p.count("/") == 2 and p.endswith("/Entity.xml")
    ):
        folder = path.rsplit("/", 1)[0]
        entity = _xml(files, path, label)
        _replace(entity, "FormXml", _forms(files, folder, label))
        _replace(entity, "SavedQueries", _queries(files, folder, label))
        ribbon = f"{folder}/RibbonDiff.xml"
        if ribbon in files:
            _replace(entity, "RibbonDiffXml", _xml(files, ribbon, label))
        target.append(entity)
        for extra in (p for p in files if p.startswith(folder + "/Formulas/")):
            entries["Formulas/" + extra.rsplit("/", 1)[1]] = files[extra]
    folded.update(p for p in files if p.startswith("Entities/"))


def _replace(entity: Element, tag: str, new: Element | None) -> None:
    if new is None:
        return
    old = child(entity, tag)
    if old is not None:
        old.addprevious(new)
        entity.remove(old)
    else:
        entity.append(new)


def _forms(files: Entries, folder: str, label: str) -> Element | None:
    prefix = f"{folder}/FormXml/"
    paths = [
        p
        for p in sorted(files)
        if p.startswith(prefix) and p.endswith(".xml") and not p.endswith("_managed.xml")
    ]
    if not paths:
        return None
    form_xml = etree.Element("FormXml")
    groups: dict[str, Element] = {}
    for path in paths:
        kind = path[len(prefix) :].split("/")[0]
        if kind not in groups:
            groups[kind] = etree.SubElement(form_xml, "forms", type=kind)
        groups[kind].extend(kids(_xml(files, path, label), "systemform"))
    return form_xml


def _queries(files: Entries, folder: str, label: str) -> Element | None:
    paths = [p for p in sorted(files) if p.startswith(f"{folder}/SavedQueries/")]
    if not paths:
        return None
    saved = etree.Element("SavedQueries")
    queries = etree.SubElement(saved, "savedqueries")
    for path in paths:
        queries.extend(kids(_xml(files, path, label), "savedquery"))
    return saved


def _relationships(files: Entries, custom: Element, folded: set[str], label: str) -> None:
    paths = [p for p in sorted(files) if p.startswith("Other/Relationships/")]
    target = _section(custom, "EntityRelationships")
    seen: set[str] = set()
    for path in paths:
        for rel in kids(_xml(files, path, label), "EntityRelationship"):
            if rel.get("Name") not in seen:  # an N:N sits in both tables' files
                seen.add(rel.get("Name", ""))
                target.append(rel)
        folded.add(path)
    folded.add("Other/Relationships.xml")


def _payload_parts(
    files: Entries, custom: Element, folded: set[str], entries: Entries, label: str
) -> None:
    """Web resources, workflows and plug-in assemblies: a `.data.xml` element for
    customizations.xml beside its payload file, which goes to the zip where it says."""
    kinds = (
        ("WebResources/", "WebResources", "FileName"),
        ("Workflows/", "Workflows", "XamlFileName JsonFileName"),
        ("PluginAssemblies/", "SolutionPluginAssemblies", "FileName"),
    )
    for prefix, section, file_tags in kinds:
        for path in sorted(p for p in files if p.startswith(prefix) and p.endswith(".data.xml")):
            element = _xml(files, path, label)
            _section(custom, section).append(element)
            folded.update((path, path.removesuffix(".data.xml")))
            payload = files.get(path.removesuffix(".data.xml"))
            target = next(
                (element.findtext(t) for t in file_tags.split() if element.findtext(t)), ""
            )
            name = safe_member_name(target.strip().lstrip("/")) if target else None
            if payload is not None and name:
                entries[name] = payload


def _apps(files: Entries, custom: Element, folded: set[str], label: str) -> None:
    for folder, section in (
        ("AppModuleSiteMaps", "AppModuleSiteMaps"),
        ("AppModules", "AppModules"),
    ):
        _fold(files, custom, folder, section, lambda p: p.endswith(".xml"), folded, label)
