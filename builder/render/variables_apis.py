"""Environment variable definitions and custom APIs as solution files.

Shapes: environment variable definitions as exported (JRSasing corpus, research 2.1) with no
value file, values come from the deployment settings at import; custom APIs as Microsoft's
"Create a custom API with solution files" describes them, request parameters and response
properties in folders under the API's own folder.
"""

from __future__ import annotations

from ..dataverse.choice_values import (
    CUSTOM_API_BINDING_TYPES,
    CUSTOM_API_PARAMETER_TYPES,
    CUSTOM_API_STEP_TYPES,
)
from ..errors import BuildError
from ..model import ENV_VAR_TYPES, CustomApi, CustomApiParameter, EnvironmentVariable, Project
from .cz_common import OUR_VERSION
from .records import Field, Record, flag, label, optional, record, render_record, text

_BINDING, _STEP_TYPE = CUSTOM_API_BINDING_TYPES, CUSTOM_API_STEP_TYPES
PARAMETER_TYPES = CUSTOM_API_PARAMETER_TYPES


def _env_var_path(schema_name: str) -> str:
    return f"environmentvariabledefinitions/{schema_name}/environmentvariabledefinition.xml"


def environment_variable_files(part: Project) -> dict[str, bytes]:
    return {
        _env_var_path(v.schema_name): render_record(_env_var_row(v, OUR_VERSION))
        for v in part.environment_variables
    }


def _env_var_row(var: EnvironmentVariable, version: str) -> Record:
    return record(
        "environmentvariabledefinition",
        "schemaname",
        var.schema_name,
        [
            optional(text("defaultvalue", var.default_value)),
            optional(label("description", var.description)),
            label("displayname", var.display_name),
            text("introducedversion", version),
            flag("iscustomizable", True),
            flag("isrequired", var.required),
            text("secretstore", 0),
            text("type", ENV_VAR_TYPES[var.type]),
        ],
    )


def custom_api_files(part: Project) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for api in part.custom_apis:
        folder = f"customapis/{api.unique_name}"
        files[f"{folder}/customapi.xml"] = render_record(_api_row(api))
        for p in api.request:
            files[
                f"{folder}/customapirequestparameters/{p.unique_name}/customapirequestparameter.xml"
            ] = render_record(_parameter_row(api, p, True))
        for p in api.response:
            files[
                f"{folder}/customapiresponseproperties/{p.unique_name}/"
                "customapiresponseproperty.xml"
            ] = render_record(_parameter_row(api, p, False))
    return files


def _api_row(api: CustomApi) -> Record:
    return record(
        "customapi",
        "uniquename",
        api.unique_name,
        [
            text("allowedcustomprocessingsteptype", _STEP_TYPE[api.allowed_step_type]),
            text("bindingtype", _BINDING[api.binding]),
            text("boundentitylogicalname", api.bound_table),
            optional(label("description", api.description)),
            label("displayname", api.display_name),
            text("executeprivilegename", api.execute_privilege),
            flag("iscustomizable", False),  # the API's contract is ours; nobody edits it in place
            flag("isfunction", api.is_function),
            flag("isprivate", api.is_private),
            text("name", api.unique_name),
            _plugin_type(api),
        ],
    )


def _plugin_type(api: CustomApi) -> Field:
    """Empty, or the implementing plug-in type by its export key (Microsoft's advice)."""
    if not api.plugin_type:
        return text("plugintypeid", "")
    return Field("plugintypeid", api.plugin_type, "lookup", key="plugintypeexportkey")


def _parameter_row(api: CustomApi, param: CustomApiParameter, request: bool) -> Record:
    element = "customapirequestparameter" if request else "customapiresponseproperty"
    return record(
        element,
        "uniquename",
        param.unique_name,
        [
            optional(label("description", param.description)),
            label("displayname", param.display_name),
            flag("iscustomizable", False),
            # isoptional exists on request parameters only: import rejects it on a response.
            flag("isoptional", param.optional) if request else None,
            text("logicalentityname", ""),
            text("name", f"{api.unique_name}.{param.unique_name}"),
            text("type", _parameter_type(param)),
        ],
    )


def _parameter_type(param: CustomApiParameter) -> int:
    if param.type not in PARAMETER_TYPES:
        raise BuildError.at(
            "BLD201",
            f"custom API parameter {param.unique_name}: unknown type {param.type!r}",
            file=param.src.file,
            line=param.src.line,
            hint="use one of " + ", ".join(PARAMETER_TYPES),
        )
    return PARAMETER_TYPES[param.type]
