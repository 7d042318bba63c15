"""Solution component type codes (`solutioncomponent.componenttype`, the `type` of a
`<RootComponent>` in solution.xml, `msdyn_componenttype` of the component summaries, and
`appmodulecomponent.componenttype`): one global choice, "Component Type"
(https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/solutioncomponent).

183 (the data source of a virtual table) is not among that choice's documented values; it is the
type Microsoft's exported OData v4 virtual table gives that root (corpus2
VirtualEntityRecordSource; ../shared/research/real-exports.md).
"""

from __future__ import annotations

ENTITY = 1
ATTRIBUTE = 2
OPTION_SET = 9
ROLE = 20
SAVED_QUERY = 26
WORKFLOW = 29
SYSTEM_FORM = 60
WEB_RESOURCE = 61
SITE_MAP = 62
FIELD_SECURITY_PROFILE = 70
APP_MODULE = 80
PLUGIN_ASSEMBLY = 91
SDK_MESSAGE_PROCESSING_STEP = 92
ENTITY_DATA_SOURCE = 183
CANVAS_APP = 300
ENVIRONMENT_VARIABLE_DEFINITION = 380

# What a reader calls the types people meet most (the rest go by their number).
NAMES: dict[int, str] = {
    ENTITY: "table",
    ATTRIBUTE: "column",
    OPTION_SET: "global choice",
    ROLE: "role",
    SAVED_QUERY: "view",
    WORKFLOW: "process",
    SYSTEM_FORM: "form",
    WEB_RESOURCE: "web resource",
    SITE_MAP: "site map",
    FIELD_SECURITY_PROFILE: "field security profile",
    APP_MODULE: "app",
    PLUGIN_ASSEMBLY: "plug-in assembly",
    SDK_MESSAGE_PROCESSING_STEP: "plug-in step",
    CANVAS_APP: "canvas app",
    ENVIRONMENT_VARIABLE_DEFINITION: "environment variable",
}

# The table that holds components of a type, as `msdyn_componentlayers` names them
# (`msdyn_solutioncomponentname`).
TABLES: dict[int, str] = {
    SYSTEM_FORM: "SystemForm",
    SAVED_QUERY: "SavedQuery",
    SITE_MAP: "SiteMap",
    APP_MODULE: "AppModule",
    WEB_RESOURCE: "WebResource",
}

# `<RootComponent behavior=..>`: the whole component with its subcomponents, or only its
# shell (an existing table we add columns or forms to).
INCLUDE_SUBCOMPONENTS, SHELL_ONLY = 0, 2
