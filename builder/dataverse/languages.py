"""Language codes (LCIDs) as solution files carry them (`languagecode="1033"`, `LCID="1033"`).

Dataverse names a language by its Windows locale id; 1033 is English (United States), the base
language of every real export in ../shared/reference/corpus and the one our labels are written
in (https://learn.microsoft.com/openspecs/windows_protocols/ms-lcid).
"""

from __future__ import annotations

ENGLISH = 1033
