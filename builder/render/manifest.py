"""solution.xml: the SolutionManifest, in the shape of a real CrmLive export.

RootComponents follow what Dataverse exports: custom tables with their subcomponents
(behavior 0), extended system tables as shells (behavior 2; their new columns and forms are
subcomponents, not roots), roles by id, global choices, web resources, the app with its site
map. Environment variables are not listed: no real export that has them does (0 of 8 in
corpus2, among them DCCP's four); their folders are what carries them. Custom APIs and SCF
rows (multisession templates) are not listed either: Microsoft's "custom API with solution
files" recipe and the exported Omnichannel solutions carry them as folders only, and their
component type is the table's ObjectTypeCode, which differs per environment.
"""

from typing import NamedTuple

from ..dataverse.component_types import (
    APP_MODULE,
    ENTITY,
    ENTITY_DATA_SOURCE,
    INCLUDE_SUBCOMPONENTS,
    OPTION_SET,
    ROLE,
    SHELL_ONLY,
    SITE_MAP,
    WEB_RESOURCE,
)
from ..model import Project, SolutionDef
from .cz_datasource import data_sources
from .templating import LCID, braced, render_xml

# The platform build of a recent CrmLive export (JRSasing corpus, 9.2); import accepts it.
PLATFORM_VERSION = "9.2.23024.174"
PACKAGE_VERSION = "9.2"


# The Address fields of a publisher, in export order; all nil but these two.
_ADDRESS_FIELDS = (
    "AddressTypeCode",
    "City",
    "County",
    "Country",
    "Fax",
    "FreightTermsCode",
    "ImportSequenceNumber",
    "Latitude",
    "Line1",
    "Line2",
    "Line3",
    "Longitude",
    "Name",
    "PostalCode",
    "PostOfficeBox",
    "PrimaryContactName",
    "ShippingMethodCode",
    "StateOrProvince",
    "Telephone1",
    "Telephone2",
    "Telephone3",
    "TimeZoneRuleVersionNumber",
    "UPSZone",
    "UTCOffset",
    "UTCConversionTimeZoneCode",
)
_ADDRESS_VALUES = {"AddressTypeCode": "1", "ShippingMethodCode": "1"}


class RootComponent(NamedTuple):
    type: int
    schema_name: str = ""
    id: str = ""
    behavior: int = INCLUDE_SUBCOMPONENTS

    def sort_key(self) -> tuple[str, str]:
        # Exports order roots by the type code as text ("1" < "20" < "380" < "61" < "9").
        return (str(self.type), (self.schema_name or self.id).lower())


def root_components(part: Project) -> list[RootComponent]:
    """The roots of one solution's components (`part` = project.in_solution(name))."""
    roots = [
        RootComponent(
            ENTITY,
            t.logical_name,
            behavior=SHELL_ONLY if t.existing else INCLUDE_SUBCOMPONENTS,
        )
        for t in part.tables
    ]
    roots += [RootComponent(OPTION_SET, c.name) for c in part.global_choices]
    roots += [RootComponent(ROLE, id=braced(r.id)) for r in part.roles]
    roots += [RootComponent(WEB_RESOURCE, w.name) for w in part.web_resources]
    for app in part.apps:  # an app's site map shares its unique name
        roots += [
            RootComponent(APP_MODULE, app.unique_name),
            RootComponent(SITE_MAP, app.unique_name),
        ]
    roots += [RootComponent(ENTITY_DATA_SOURCE, d.name, id=d.id) for d in data_sources(part)]
    return sorted(roots, key=RootComponent.sort_key)


def render_solution_xml(project: Project, solution: SolutionDef, managed: bool) -> bytes:
    part = project.in_solution(solution.unique_name)
    return render_xml(
        "solution.xml.j2",
        platform_version=PLATFORM_VERSION,
        package_version=PACKAGE_VERSION,
        lcid=LCID,
        solution=solution,
        version=project.version,
        managed=managed,
        publisher=project.publisher,
        address_fields=[(f, _ADDRESS_VALUES.get(f, "")) for f in _ADDRESS_FIELDS],
        roots=root_components(part),
    )
