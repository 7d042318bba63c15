"""Web resource metadata (`WebResources/WebResource`) and the name of each payload entry.

Exported zips store a web resource's content at `WebResources/<name without characters
other than letters, digits and _><GUID in upper case>` and point `FileName` at that entry
(JRSasing `WebResources/*.data.xml`: `/WebResources/ract_getFormNameADF97FD9-...`).
The solution render (solution.py) writes the payload entries with
`web_resource_entry_path` too, so the metadata and the entries agree.
"""

import re
from typing import NamedTuple

from ..model import WEB_RESOURCE_TYPES, WebResource
from .cz_common import OUR_VERSION
from .templating import braced


def web_resource_file_name(wr: WebResource) -> str:
    """`FileName` as customizations.xml writes it: `/WebResources/<name><GUID>`."""
    return "/WebResources/" + re.sub(r"[^A-Za-z0-9_]", "", wr.name) + str(wr.id).upper()


def web_resource_entry_path(wr: WebResource) -> str:
    """The zip entry that holds the content: the FileName without its leading slash."""
    return web_resource_file_name(wr).lstrip("/")


class WebResourceVM(NamedTuple):
    id: str
    name: str
    display_name: str
    description: str
    type_code: int
    version: str
    customizable: bool
    file_name: str


def web_resource_model(wr: WebResource, customizable: bool) -> WebResourceVM:
    return WebResourceVM(
        braced(wr.id),
        wr.name,
        wr.display_name,
        wr.description,
        WEB_RESOURCE_TYPES[wr.type],
        OUR_VERSION,
        customizable,
        web_resource_file_name(wr),
    )
