"""The OData v4 data source of the solution's virtual tables, in the shape of a real export.

Microsoft's exported OData v4 virtual table (corpus2: VirtualEntityRecordSource) carries the
OData v4 provider's id as the table's `DataProviderId`, its data source's id as
`DataSourceId`, the data source itself in `<EntityDataSources>` (a `msdyn_odatav4ds` row:
name, URL-encoded JSON of its columns, provider id) and a root component of type 183 for it.
We write the same. What differs per environment is the service URL (the environment
variable the table names); the zip carries a placeholder that resolves nowhere, and deploy
writes the variable's value into the data source row after the import
(builder/deploy/virtual.py).
"""

import json
import re
from typing import NamedTuple
from urllib.parse import quote_plus, unquote_plus

from ..dataverse.data_providers import ODATA_V4_PROVIDER_ID, ODATA_V4_PROVIDER_NAME
from ..model import Project, stable_id
from .templating import braced

# The OData v4 Data Provider, by id and by name (the name is what sources say,
# `<virtual data-provider=...>`): the render writes ODATA_PROVIDER for every virtual table, the
# reader gives back PROVIDER_NAME.
ODATA_PROVIDER, PROVIDER_NAME = ODATA_V4_PROVIDER_ID, ODATA_V4_PROVIDER_NAME
SOURCE_NAME = "Voice for Dynamics 365 - Enreach API"
SOURCE_ID = stable_id("msdyn_odatav4ds", SOURCE_NAME)
# Reserved by RFC 2606: never resolves, so an environment deploy has not reached yet fails
# plainly instead of calling somebody's service.
PLACEHOLDER_URI = "https://enreach-api.invalid/"
# The maker UI's defaults, which deploy also writes when it creates the row itself.
TIMEOUT, PAGINATION_TYPE, PAGINATION_MODE, RETURN_INLINE_COUNT = 30, 0, False, False
DESCRIPTION = "Created by voicepkg; msdyn_uri follows {variable}."


class DataSourceVM(NamedTuple):
    id: str
    name: str
    connection: str  # URL-encoded JSON
    provider_id: str


def data_sources(project: Project) -> tuple[DataSourceVM, ...]:
    """The one data source of the solution's virtual tables (none without any)."""
    variables = sorted({t.virtual.url_variable for t in project.tables if t.virtual})
    if not variables:
        return ()
    return (
        DataSourceVM(
            braced(SOURCE_ID),
            SOURCE_NAME,
            connection_definition(DESCRIPTION.format(variable=" / ".join(variables))),
            braced(ODATA_PROVIDER),
        ),
    )


def connection_definition(description: str) -> str:
    """The data source's columns as the export's `ConnectionDefinition`: indented JSON with
    CRLF line ends, form-URL-encoded (spaces as `+`)."""
    values: dict[str, object] = {
        "Name": SOURCE_NAME,
        "Uri": PLACEHOLDER_URI,
        "Timeout": TIMEOUT,
        "PaginationType": PAGINATION_TYPE,
        "PaginationMode": PAGINATION_MODE,
        "ReturnInlineCount": RETURN_INLINE_COUNT,
        "Description": description,
        "odatadatasourceId": str(SOURCE_ID),
    }
    for n in range(1, 11):
        values[f"parameter{n}name"] = None
        values[f"isparameter{n}header"] = False
    return encode_connection(values)


def encode_connection(values: dict[str, object]) -> str:
    text = json.dumps(values, indent=2, ensure_ascii=False).replace("\n", "\r\n")
    return quote_plus(text, safe="")


def url_variable(connection: str) -> str:
    """The one URL variable our `DESCRIPTION` names in a `ConnectionDefinition` ("" when it
    is not ours, names several or cannot be read)."""
    try:
        values = json.loads(unquote_plus(connection))
    except ValueError:
        return ""
    description = values.get("Description") if isinstance(values, dict) else None
    pattern = re.escape(DESCRIPTION).replace(re.escape("{variable}"), r"([A-Za-z0-9_]+)")
    found = re.fullmatch(pattern, description) if isinstance(description, str) else None
    return found.group(1) if found else ""
