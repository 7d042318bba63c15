"""Form control class ids: which control a form cell shows (`<control classid=..>`).

The platform's standard controls, spelled as real exports spell them (mixed case, braced;
../shared/reference/corpus/JRSasing+crm-dynamics-365/solution/Entities/*/FormXml): one per
column kind, the subgrid, the quick view form, and controls that show no column. Compare
them case-insensitively (exports vary in case).
"""

from __future__ import annotations

TEXT = "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}"
CLASS_IDS: dict[str, str] = {
    "text": TEXT,
    "email": "{ADA2203E-B4CD-49be-9DDF-234642B43B52}",
    "url": "{71716B6C-711E-476c-8AB8-5D11542BFB47}",
    "phone": TEXT,
    "textarea": "{E0DECE4B-6FC8-4a8f-A065-082708572369}",
    "memo": "{E0DECE4B-6FC8-4a8f-A065-082708572369}",
    "integer": "{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}",
    "duration": "{AA987274-CE4E-4271-A803-66164311A958}",
    "decimal": "{C3EFE0C3-0EC6-42be-8349-CBD9079DFD8E}",
    "money": "{533B9E00-756B-4312-95A0-DC888637AC78}",
    "boolean": "{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}",
    "choice": "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
    "lookup": "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
    "datetime": "{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}",
    "status": "{5D68B988-0661-4db2-BC3E-17598AD3BE6C}",
    "partylist": "{CBFB742C-14E7-4a17-96BB-1A13F7F64AA2}",
}
SUBGRID = "{E7A81278-8635-4d9e-8D4D-59480B391C5B}"
QUICK_VIEW = "{5C5600E0-1D6E-4205-A272-BE80DA87FD42}"
# Controls that show something other than a column or a subgrid.
OTHER_CONTROLS: dict[str, str] = {
    "{9FDF5F91-88B1-47f4-AD53-C11EFC01A01D}": "web resource",
    "{FD2A7985-3187-444e-908D-6624B21F69C0}": "iframe",
    "{06375649-C143-495E-A496-C962E5B4488E}": "timeline",
    "{5546E6CD-394C-4bee-94A8-4425E17EF6C6}": "spacer",
}
