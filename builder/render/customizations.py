"""`render_customizations(project, solution, managed)`: the complete customizations.xml of
one solution, valid against Microsoft's 9.0 CustomizationsSolution.xsd.

Sections follow the schema's sequence; unused ones are written empty (`<Roles />`) as
exports do, except `AppModules`, which the schema requires to hold at least one app, and
sections only raw parts use. `RawPart`s with a `section` are appended verbatim at the end
of that section. The view models come from the `cz_*` modules; plain Python writers lay
them out (here, xmlentity.py and xmlwrite.py: one line at a time, at its final
indentation), except app modules and site maps (templates/customizations/apps.xml.j2).

Elements newer than the 9.0 schema that exports carry are deliberately not written (the
platform defaults them on import): attribute IsSearchable/IsFilterable/IsRetrievable/
IsLocalizable/AutoNumberFormat, entity IsRetrieveAuditEnabled/IsRetrieveMultipleAudit
Enabled/IsSolutionAware, relationship CascadeArchive, Role/@isinherited, app module
statecode/NavigationType/EventHandlers, site map EnableCollapsibleGroups/ShowHome/...
No exception to the schema is needed.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup

from ..errors import BuildError
from ..model import GlobalChoice, Project, RawPart, Role
from . import templating, xmlentity, xmlwrite
from .cz_apps import AppVM, app_model
from .cz_attributes import OptionSetVM, OptionVM
from .cz_common import OUR_VERSION, ManagedPolicy, ProjectIndex, fail
from .cz_datasource import DataSourceVM, data_sources
from .cz_entities import EntityVM, TableParts, entity_model
from .cz_relationships import RelationshipVM, lookup_relationships, system_relationships
from .cz_webresources import WebResourceVM, web_resource_model
from .multisession import intersect_sets
from .templating import LCID, braced
from .xmlwrite import bit, esc

# Top-level sections in the schema's order, and whether they are written when empty.
SECTIONS: tuple[tuple[str, bool], ...] = (
    ("Entities", True),
    ("Roles", True),
    ("Workflows", True),
    ("FieldSecurityProfiles", True),
    ("Templates", True),
    ("RibbonDiffXml", True),
    ("IsvConfig", False),
    ("RelationshipRoles", False),
    ("ConnectionRoles", False),
    ("SiteMap", False),
    ("EntityMaps", True),
    ("EntityRelationships", True),
    ("OrganizationSettings", True),
    ("optionsets", True),
    ("Reports", False),
    ("RoutingRules", False),
    ("ChannelPropertyGroups", False),
    ("ConvertRules", False),
    ("MobileOfflineProfiles", False),
    ("Slas", False),
    ("ChannelAccessProfiles", False),
    ("ChannelAccessProfileRules", False),
    ("Dashboards", False),
    ("InteractionCentricDashboards", False),
    ("Dialogs", False),
    ("WebResources", True),
    ("CustomControls", True),
    ("SolutionPluginAssemblies", False),
    ("SdkMessageProcessingSteps", False),
    ("ServiceEndpoints", False),
    ("AppModuleSiteMaps", True),
    ("AppModules", False),
    ("EntityDataProviders", True),
    ("EntityDataSources", False),
    ("connectionreferences", False),
    ("Languages", True),
)


_LINE_START = re.compile(r"\n(?=[^\n])")  # a line break before a non-empty line


def indent(value: str, width: int = 4, first: bool = False) -> Markup:
    """jinja2's `indent` for already-safe macro output: every non-empty line after the
    first (and the first with `first`) gets `width` spaces, in one regex pass."""
    text = str(value if isinstance(value, Markup) else Markup.escape(value))
    pad = " " * width
    out = _LINE_START.sub("\n" + pad, text)
    return Markup(pad + out if first and text[:1] not in ("", "\n") else out)


@cache
def environment() -> jinja2.Environment:
    """The project's template environment (templating.py: StrictUndefined, XML autoescape,
    trim/lstrip blocks, loaded from templates/) with this render's own filters and globals.
    An overlay with copied dicts, so the shared environment is left as it is."""
    env = templating.environment().overlay()
    env.filters = {**env.filters, "indent": indent}
    env.globals = {**env.globals, "lang": LCID, "labels_xml": xmlwrite.labels_xml}
    return env


class RoleVM(NamedTuple):
    id: str
    name: str
    privileges: tuple[tuple[str, str], ...]


def _table_parts(project: Project, index: ProjectIndex) -> list[TableParts]:
    """Tables of the solution, then tables that only carry our forms, views or commands."""
    parts = {t.logical_name: TableParts(t, t.logical_name, [], [], []) for t in project.tables}

    def part(logical: str) -> TableParts:
        return parts.setdefault(logical, TableParts(None, logical, [], [], []))

    for form in project.forms:
        part(form.table).forms.append(form)
    for view in project.views:
        part(view.table).views.append(view)
    for command in project.commands:
        part(command.table).commands.append(command)
    return sorted(parts.values(), key=lambda p: p.logical_name)


def _relationships(project: Project, index: ProjectIndex) -> list[RelationshipVM]:
    prefix = project.publisher.prefix
    rows = [r for t in project.tables for r in system_relationships(t)]
    rows += [r for t in project.tables for r in lookup_relationships(t, prefix, index)]
    return sorted(rows, key=lambda r: r.name.lower())


def _global_choice(choice: GlobalChoice) -> OptionSetVM:
    options = tuple(OptionVM(o.value, o.label, o.description) for o in choice.options)
    return OptionSetVM(
        choice.name, "picklist", choice.display_name, choice.description, options, is_global=True
    )


def _role(role: Role) -> RoleVM:
    return RoleVM(braced(role.id), role.name, tuple((p.name, p.depth) for p in role.privileges))


def _raw_sections(parts: tuple[RawPart, ...]) -> dict[str, list[Markup]]:
    known = {name for name, _ in SECTIONS}
    framed = any(p.path == "customizations.xml" and not p.section for p in parts)
    out: dict[str, list[Markup]] = defaultdict(list)
    for part in parts:
        if not part.section or part.section not in known and framed:
            continue  # an exported solution's own sections are placed by its frame
        if part.section not in known:
            raise fail(
                "CZ040",
                f"raw part {part.path}: unknown customizations.xml section {part.section!r}",
                part.src,
                f"use one of {sorted(known)}",
            )
        out[part.section].append(Markup(_raw_text(part)))
    return out


def _raw_text(part: RawPart) -> str:
    try:
        text = part.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail("CZ041", f"raw part {part.path} is not UTF-8", part.src) from None
    if text.lstrip().startswith("<?xml"):
        text = text.split("?>", 1)[1]
    return text.strip()


class Document(NamedTuple):
    entities: tuple[EntityVM, ...]
    roles: tuple[RoleVM, ...]
    relationships: tuple[RelationshipVM, ...]
    optionsets: tuple[OptionSetVM, ...]
    web_resources: tuple[WebResourceVM, ...]
    apps: tuple[AppVM, ...]
    raw: dict[str, list[Markup]]
    intersect_sets: tuple[Markup, ...] = ()  # msdyn_ N:N sets, written before <Languages>
    data_sources: tuple[DataSourceVM, ...] = ()  # of the virtual tables
    version: str = OUR_VERSION

    def sections(self) -> list[str]:
        return [
            name
            for name, always in SECTIONS
            if always
            or name in self.raw
            or (name == "AppModules" and self.apps)
            or (name == "EntityDataSources" and self.data_sources)
        ]


def build_document(project: Project, solution: str, managed: bool) -> Document:
    if project.solution(solution) is None:
        raise BuildError.at(
            "CZ001",
            f"no solution {solution!r} in the project",
            hint=f"one of {[s.unique_name for s in project.solutions]}",
        )
    index = ProjectIndex(project)
    ours = project.in_solution(solution)
    policy = ManagedPolicy(managed)
    prefix = project.publisher.prefix
    return Document(
        entities=tuple(entity_model(p, prefix, policy, index) for p in _table_parts(ours, index)),
        roles=tuple(_role(r) for r in sorted(ours.roles, key=lambda r: r.name.lower())),
        relationships=tuple(_relationships(ours, index)),
        optionsets=tuple(
            _global_choice(c) for c in sorted(ours.global_choices, key=lambda c: c.name)
        ),
        web_resources=tuple(
            web_resource_model(w, policy.web_resource_customizable)
            for w in sorted(ours.web_resources, key=lambda w: w.name)
        ),
        apps=tuple(app_model(a, index) for a in sorted(ours.apps, key=lambda a: a.unique_name)),
        raw=_raw_sections(ours.raw_parts),
        intersect_sets=tuple(Markup(text) for text in intersect_sets(ours)),
        data_sources=data_sources(ours),
    )


def render_customizations(project: Project, solution: str, managed: bool) -> bytes:
    """customizations.xml of `solution` (UTF-8, `\\n` line ends, identical for identical input).

    The frame and the sections are written here in Python, each line once at its final
    indentation (the entities make nearly all of a large file: render/xmlentity.py); app
    modules and site maps stay jinja2 macros (templates/customizations/apps.xml.j2)."""
    doc = build_document(project, solution, managed)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    for name in doc.sections():
        lines: list[str] = []
        _SECTION_WRITERS.get(name, _plain)(lines, name, doc)
        if name == "Languages" and doc.intersect_sets:  # the N:N sets, written before it
            lines[0] = "".join(doc.intersect_sets) + lines[0]
        out += lines
    out.append("</ImportExportXml>\n")
    return "\n".join(out).encode("utf-8")


# Each section at indentation 2: `<Name>`, its items, the raw parts of the section verbatim
# (not re-indented), `</Name>`; `<Name />` when it has neither.


def _frame(out: list[str], name: str, doc: Document, items: Sequence[str]) -> None:
    raw = doc.raw.get(name)
    if not items and raw is None:
        out.append(f"  <{name} />")
        return
    out.append(f"  <{name}>")
    out += items
    if raw is not None:
        out.append("\n".join(raw))
    out.append(f"  </{name}>")


def _plain(out: list[str], name: str, doc: Document) -> None:
    _frame(out, name, doc, [])


def _entities(out: list[str], name: str, doc: Document) -> None:
    items: list[str] = []
    for e in doc.entities:
        xmlentity.entity(items, "    ", e)
    _frame(out, name, doc, items)


def _relationship_section(out: list[str], name: str, doc: Document) -> None:
    items: list[str] = []
    for r in doc.relationships:
        xmlentity.relationship(items, "    ", r)
    _frame(out, name, doc, items)


def _ribbon(out: list[str], name: str, doc: Document) -> None:
    """The solution-level RibbonDiffXml: raw when the solution carries one, else empty."""
    _frame(out, name, doc, [] if name in doc.raw else [xmlentity.empty_ribbon_body(4)])


def _roles(out: list[str], name: str, doc: Document) -> None:
    items: list[str] = []
    for role in doc.roles:
        items += [
            f'    <Role id="{esc(role.id)}" name="{esc(role.name)}">',
            "      <IsCustomizable>1</IsCustomizable>",
            f"      <IntroducedVersion>{esc(doc.version)}</IntroducedVersion>",
            "      <RolePrivileges>",
        ]
        items += [
            f'        <RolePrivilege name="{esc(n)}" level="{esc(level)}" />'
            for n, level in role.privileges
        ]
        items += ["      </RolePrivileges>", "    </Role>"]
    _frame(out, name, doc, items)


def _optionsets(out: list[str], name: str, doc: Document) -> None:
    items: list[str] = []
    for os in doc.optionsets:
        xmlwrite.optionset(items, "    ", os, f' localizedName="{xmlwrite.esc(os.display_name)}"')
    _frame(out, name, doc, items)


def _web_resources(out: list[str], name: str, doc: Document) -> None:
    items: list[str] = []
    for w in doc.web_resources:
        items += [
            "    <WebResource>",
            f"      <WebResourceId>{esc(w.id)}</WebResourceId>",
            f"      <Name>{esc(w.name)}</Name>",
            f"      <DisplayName>{esc(w.display_name)}</DisplayName>",
        ]
        if w.description:
            items.append(f"      <Description>{esc(w.description)}</Description>")
        items += [
            f"      <WebResourceType>{esc(w.type_code)}</WebResourceType>",
            f"      <IntroducedVersion>{esc(w.version)}</IntroducedVersion>",
            "      <IsEnabledForMobileClient>0</IsEnabledForMobileClient>",
            "      <IsAvailableForMobileOffline>0</IsAvailableForMobileOffline>",
            f"      <IsCustomizable>{bit(w.customizable)}</IsCustomizable>",
            "      <CanBeDeleted>1</CanBeDeleted>",
            "      <IsHidden>0</IsHidden>",
            f"      <FileName>{esc(w.file_name)}</FileName>",
            "    </WebResource>",
        ]
    _frame(out, name, doc, items)


def _app_macros(doc: Document) -> list[Any]:
    """apps.xml.j2's macros, loaded only for a solution with apps."""
    return [environment().get_template("customizations/apps.xml.j2").module] if doc.apps else []


def _site_maps(out: list[str], name: str, doc: Document) -> None:
    items = [indent(m.sitemap(app), 4, True) for m in _app_macros(doc) for app in doc.apps]
    _frame(out, name, doc, items)


def _app_modules(out: list[str], name: str, doc: Document) -> None:
    items = [
        indent(m.appmodule(app, doc.version), 4, True) for m in _app_macros(doc) for app in doc.apps
    ]
    _frame(out, name, doc, items)


def _data_sources(out: list[str], name: str, doc: Document) -> None:
    items: list[str] = []
    for d in doc.data_sources:
        items += [
            f'    <EntityDataSource EntityDataSourceId="{esc(d.id)}">',
            f"      <Name>{esc(d.name)}</Name>",
            f"      <ConnectionDefinition>{esc(d.connection)}</ConnectionDefinition>",
            f"      <EntityDataProviderId>{esc(d.provider_id)}</EntityDataProviderId>",
            "      <IsCustomizable>1</IsCustomizable>",
            "    </EntityDataSource>",
        ]
    _frame(out, name, doc, items)


def _languages(out: list[str], name: str, doc: Document) -> None:
    out += ["  <Languages>", f"    <Language>{LCID}</Language>"]
    if name in doc.raw:
        out.append("\n".join(doc.raw[name]))
    out.append("  </Languages>")


_SECTION_WRITERS: dict[str, Callable[[list[str], str, Document], None]] = {
    "Entities": _entities,
    "Roles": _roles,
    "RibbonDiffXml": _ribbon,
    "EntityRelationships": _relationship_section,
    "optionsets": _optionsets,
    "WebResources": _web_resources,
    "AppModuleSiteMaps": _site_maps,
    "AppModules": _app_modules,
    "EntityDataSources": _data_sources,
    "Languages": _languages,
}
