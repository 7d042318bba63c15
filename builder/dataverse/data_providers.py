"""Virtual table data providers the platform ships.

The OData v4 Data Provider: its id as Dataverse exports it in a virtual table's
`DataProviderId` (corpus2 VirtualEntityRecordSource, Microsoft's OData v4 sample; Microsoft's
docs name no id) and its name as Dataverse lists it (`entitydataprovider.name`; "OData v4 Data
Provider", https://learn.microsoft.com/power-apps/maker/data-platform/virtual-entity-odata-provider-requirements).
"""

from __future__ import annotations

import uuid

ODATA_V4_PROVIDER_ID = uuid.UUID("a17be158-e9dd-e611-80d3-00155da29216")
ODATA_V4_PROVIDER_NAME = "OData v4 Data Provider"
