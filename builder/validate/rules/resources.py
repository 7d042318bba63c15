"""Environment variables, web resources and custom APIs."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Iterator

from ...dataverse.choice_values import CUSTOM_API_PARAMETER_TYPES
from ...model import WEB_RESOURCE_TYPES, CustomApiParameter, EnvironmentVariable
from .base import Context, Finding, fix_or_keep, rule

# Dataverse stores a Yes/No variable as "yes"/"no"; a secret is a Key Vault reference.
_KEY_VAULT = re.compile(
    r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
    r"Microsoft\.KeyVault/vaults/[^/]+/secrets/[^/]+",
    re.IGNORECASE,
)
_WEB_RESOURCE = re.compile(r"[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*")
# Extensions each web resource type may carry.
_EXTENSIONS = {"jpg": ("jpg", "jpeg"), "html": ("html", "htm"), "xsl": ("xsl", "xslt")}
API_TYPES = tuple(CUSTOM_API_PARAMETER_TYPES)


def env_var_problem(variable: EnvironmentVariable) -> str:
    """Why the default of `variable` does not fit its type; empty when it does."""
    value, kind = variable.default_value, variable.type
    if value == "":
        return ""
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return "is not a number"
    elif kind == "boolean" and value not in ("yes", "no"):
        return "is not yes or no (how Dataverse stores a Yes/No variable)"
    elif kind == "json":
        try:
            json.loads(value)
        except json.JSONDecodeError as exc:
            return f"is not JSON ({exc.msg})"
    elif kind == "secret" and not _KEY_VAULT.fullmatch(value):
        return "is not an Azure Key Vault secret reference"
    return ""


@rule(
    "DV150",
    hint="number: a number; boolean: yes or no; json: valid JSON; secret: a Key Vault "
    "secret reference",
)
def env_var_defaults(ctx: Context) -> Iterable[Finding]:
    for variable in ctx.project.environment_variables:
        problem = env_var_problem(variable)
        if problem:
            yield Finding(
                variable.src,
                f"environment variable {variable.schema_name}: default "
                f"{variable.default_value!r} {problem} ({variable.type})",
            )


@rule(
    "DV151",
    hint="letters, digits, '_', '-', '.' and single '/' between parts; no leading '/'",
)
def web_resource_names(ctx: Context) -> Iterable[Finding]:
    for resource in ctx.project.web_resources:
        if not _WEB_RESOURCE.fullmatch(resource.name):
            yield Finding(resource.src, f"web resource name {resource.name!r} is not valid")


@rule(
    "DV152",
    foreign="warning",
    hint="name it <prefix>_/<folder>/<file>",
)
def web_resource_prefix(ctx: Context) -> Iterable[Finding]:
    want = ctx.prefix + "_"
    for resource in ctx.project.web_resources:
        if not resource.name.lower().startswith(want):
            yield Finding(
                resource.src,
                f"web resource {resource.name!r} does not start with {want!r}",
                fix_or_keep(ctx, f"name it {want}/<folder>/<file>"),
            )


@rule(
    "DV153",
    foreign="warning",
    hint="check the web resource's file exists and is not empty",
)
def web_resource_content(ctx: Context) -> Iterable[Finding]:
    for resource in ctx.project.web_resources:
        if not resource.content:
            where = f" (file {resource.file})" if resource.file else ""
            yield Finding(resource.src, f"web resource {resource.name!r} is empty{where}")


@rule(
    "DV154",
    foreign="warning",
    hint="a js web resource ends in .js, a png in .png, ...",
)
def web_resource_types(ctx: Context) -> Iterable[Finding]:
    for resource in ctx.project.web_resources:
        if resource.type not in WEB_RESOURCE_TYPES:
            yield Finding(
                resource.src, f"web resource {resource.name!r} has unknown type {resource.type!r}"
            )
            continue
        extension = posixpath.splitext(resource.name)[1].lstrip(".").lower()
        if extension not in _EXTENSIONS.get(resource.type, (resource.type,)):
            yield Finding(
                resource.src,
                f"web resource {resource.name!r} is of type "
                f"{resource.type} but ends in {extension or 'no extension'!r}",
                fix_or_keep(ctx, "a js web resource ends in .js, a png in .png, ..."),
            )


@rule(
    "DV155",
    hint="entity-bound APIs name their table; parameter types are Dataverse's "
    "(String, Integer, Boolean, EntityReference, ...)",
)
def custom_apis(ctx: Context) -> Iterable[Finding]:
    for api in ctx.project.custom_apis:
        if api.binding != "global" and not ctx.has_table(api.bound_table or "-"):
            yield Finding(
                api.src,
                f"custom API {api.unique_name} is bound to unknown table {api.bound_table!r}",
            )
        yield from _parameters(api.unique_name, api.request)
        yield from _parameters(api.unique_name, api.response)


def _parameters(api: str, params: tuple[CustomApiParameter, ...]) -> Iterator[Finding]:
    names: set[str] = set()
    for param in params:
        if param.type not in API_TYPES:
            yield Finding(
                param.src,
                f"custom API {api}: parameter {param.unique_name} has unknown type {param.type!r}",
            )
        if param.unique_name.lower() in names:
            yield Finding(
                param.src, f"custom API {api}: parameter {param.unique_name} is declared twice"
            )
        names.add(param.unique_name.lower())
