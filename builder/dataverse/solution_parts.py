"""Fixed part names of a solution zip.

Every real export carries `[Content_Types].xml` (../shared/reference/corpus2: 64 of 64 zips),
the Open Packaging Conventions list of each part's content type, beside `solution.xml` and
`customizations.xml`.
"""

from __future__ import annotations

CONTENT_TYPES = "[Content_Types].xml"
