"""Small Voice for D365 packages for deploy tests, in the layout `build` writes.

`make_package(Spec(...))` returns the package zip bytes: ImportConfig.xml (UTF-16 LE with BOM),
the base and multisession solution zips, and the configuration data zip with settings and
the CIF 1.0 provider record. Each knob of `Spec` exercises one deploy behaviour.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from builder.archive.writer import zip_bytes

BASE, MULTI = "VoiceForD365", "VoiceForD365Multisession"
NS = uuid.UUID("3d0b8f0e-6c55-4f8e-8f3a-5a5f1f1e7a10")
PROVIDER_ID = str(uuid.uuid5(NS, "ciprovider"))
API_USER_ROLE = str(uuid.uuid5(NS, "role/voice apiuser"))
CHANNEL_PROVIDER = "enreach_voicechannelprovider"

DEFAULT_SETTINGS = {
    "CallDurationLimit": "10",
    "DefaultCrmAssignee": "",
    "EnableAudit": "False",
    "ExecutionInterval": "5",
    "IncomingDirectCallSubject": "Incoming call",
}
DEFAULT_COLUMNS = {
    "enreach_setting": [
        "enreach_settingid",
        "enreach_name",
        "enreach_value",
        "enreach_defaultvalue",
        "enreach_category",
        "enreach_datatype",
        "enreach_description",
        "createdon",
        "ownerid",
    ],
    "phonecall": ["enreach_enreachcallid", "enreach_apiaudit", "enreach_calltype"],
    "enreach_callbacklist": ["enreach_callbacklistid", "enreach_name", "enreach_queuenumber"],
}
PLACEHOLDER_PROVIDER = "7015a531-cc0d-4537-b5f2-c882a1eb65ad"  # what `build` emits
DEFAULT_VIRTUAL = {"enreach_callbacklist": "CallbackLists"}  # table -> external name
DEFAULT_ENV_VARS = {
    "enreach_EnreachApiBaseUrl": "",
    "enreach_VoiceWidgetUrl": "https://widget.example.invalid",
    "enreach_UserIdSyncUrl": "https://sync.example.invalid",
}


@dataclass
class Spec:
    version: str = "1.0.0.0"
    managed: bool = True
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    columns: dict[str, list[str]] = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_COLUMNS.items()}
    )
    web_resources: list[str] = field(default_factory=lambda: ["enreach_/scripts/profile.js"])
    env_vars: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ENV_VARS))
    required_env_vars: tuple[str, ...] = ("enreach_EnreachApiBaseUrl",)
    connection_refs: dict[str, str] = field(default_factory=dict)  # logical name -> connector
    provider: bool = True
    multisession: bool = True
    virtual_tables: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_VIRTUAL))
    forms: dict[str, str] = field(default_factory=dict)  # form id -> its table (main forms)


def setting_id(name: str) -> str:
    return str(uuid.uuid5(NS, "setting/" + name.lower()))


def solution_xml(unique: str, version: str, managed: bool, roots: list[str]) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml version="9.2.24012.178" SolutionPackageVersion="9.2" languagecode="1033"
  generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SolutionManifest>
    <UniqueName>{unique}</UniqueName>
    <LocalizedNames><LocalizedName description="{unique}" languagecode="1033" /></LocalizedNames>
    <Descriptions />
    <Version>{version}</Version>
    <Managed>{1 if managed else 0}</Managed>
    <Publisher>
      <UniqueName>enreach</UniqueName>
      <LocalizedNames><LocalizedName description="Enreach" languagecode="1033" /></LocalizedNames>
      <Descriptions />
      <CustomizationPrefix>enreach</CustomizationPrefix>
      <CustomizationOptionValuePrefix>10523</CustomizationOptionValuePrefix>
    </Publisher>
    <RootComponents>
      {"".join(roots)}
    </RootComponents>
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>
""".encode()


def customizations_xml(
    columns: dict[str, list[str]],
    connection_refs: dict[str, str],
    virtual: dict[str, str] | None = None,
    forms: dict[str, str] | None = None,
) -> bytes:
    entities = "".join(
        f"<Entity><Name>{table}</Name><EntityInfo><entity Name={quoteattr(table)}><attributes>"
        + "".join(
            f'<attribute PhysicalName="{c}"><LogicalName>{c}</LogicalName></attribute>'
            for c in cols
        )
        + "</attributes>"
        + _virtual_xml((virtual or {}).get(table))
        + "</entity></EntityInfo>"
        + _forms_xml([f for f, t in (forms or {}).items() if t == table])
        + "</Entity>"
        for table, cols in sorted(columns.items())
    )
    refs = "".join(
        f'<connectionreference connectionreferencelogicalname="{name}">'
        f"<connectorid>{connector}</connectorid></connectionreference>"
        for name, connector in sorted(connection_refs.items())
    )
    refs = f"<connectionreferences>{refs}</connectionreferences>" if refs else ""
    return (
        f'<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<Entities>{entities}</Entities><Roles /><Workflows />{refs}"
        f"<Languages><Language>1033</Language></Languages></ImportExportXml>"
    ).encode()


def _forms_xml(form_ids: list[str]) -> str:
    if not form_ids:
        return ""
    return (
        '<FormXml><forms type="main">'
        + "".join(f"<systemform><formid>{{{f}}}</formid></systemform>" for f in sorted(form_ids))
        + "</forms></FormXml>"
    )


def _virtual_xml(external: str | None) -> str:
    """A virtual table as build writes it: the placeholder provider, no data source."""
    if external is None:
        return ""
    return (
        f"<DataProviderId>{{{PLACEHOLDER_PROVIDER}}}</DataProviderId>"
        f"<ExternalName>{external}</ExternalName>"
        f"<ExternalCollectionName>{external}</ExternalCollectionName>"
    )


def env_var_xml(schema: str, default: str, required: bool) -> bytes:
    default_xml = f"<defaultvalue>{default}</defaultvalue>" if default else ""
    return (
        f'<environmentvariabledefinition schemaname="{schema}">{default_xml}'
        f'<displayname default="{schema}"><label description="{schema}" '
        f'languagecode="1033" /></displayname><introducedversion>1.0</introducedversion>'
        f"<iscustomizable>1</iscustomizable><isrequired>{int(required)}</isrequired>"
        f"<secretstore>0</secretstore><type>100000000</type>"
        f"</environmentvariabledefinition>"
    ).encode()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
    b'ContentType="application/octet-stream" /></Types>'
)


def base_zip(spec: Spec) -> bytes:
    roots = [
        f'<RootComponent type="1" schemaName="{t}" behavior="{2 if t == "phonecall" else 0}" />'
        for t in sorted(spec.columns)
    ]
    roots += [
        f'<RootComponent type="61" schemaName="{w}" behavior="0" />' for w in spec.web_resources
    ]
    roots += [f'<RootComponent type="20" id="{{{API_USER_ROLE}}}" behavior="0" />']
    roots += [
        f'<RootComponent type="380" schemaName="{v}" behavior="0" />' for v in sorted(spec.env_vars)
    ]
    entries = {
        "[Content_Types].xml": CONTENT_TYPES,
        "solution.xml": solution_xml(BASE, spec.version, spec.managed, roots),
        "customizations.xml": customizations_xml(
            spec.columns, spec.connection_refs, spec.virtual_tables, spec.forms
        ),
    }
    for name, default in spec.env_vars.items():
        entries[f"environmentvariabledefinitions/{name}/environmentvariabledefinition.xml"] = (
            env_var_xml(name, default, name in spec.required_env_vars)
        )
    return zip_bytes(entries)


def multisession_zip(spec: Spec) -> bytes:
    provider = (
        f'<msdyn_channelprovider msdyn_uniquename="{CHANNEL_PROVIDER}"><msdyn_name>'
        f"Voice for Dynamics 365 by Enreach</msdyn_name></msdyn_channelprovider>"
    ).encode()
    entries = {
        "[Content_Types].xml": CONTENT_TYPES,
        "solution.xml": solution_xml(MULTI, spec.version, spec.managed, []),
        "customizations.xml": customizations_xml({}, {}),
        f"msdyn_channelproviders/{CHANNEL_PROVIDER}/msdyn_channelprovider.xml": provider,
    }
    return zip_bytes(entries)


def config_data_zip(spec: Spec) -> bytes:
    records = "".join(
        f'<record id="{setting_id(n)}"><field name="enreach_settingid" value="{setting_id(n)}" />'
        f'<field name="enreach_name" value="{n}" /><field name="enreach_value" value="{v}" />'
        f'<field name="enreach_defaultvalue" value="{v}" />'
        f'<field name="enreach_category" value="105230000" />'
        f'<field name="enreach_datatype" value="105230000" />'
        f'<field name="enreach_description" value="About {n}" /></record>'
        for n, v in sorted(spec.settings.items())
    )
    provider = (
        (
            f'<entity name="msdyn_ciprovider" displayname="Channel Integration Framework v1.0'
            f' Provider"><records><record id="{PROVIDER_ID}">'
            f'<field name="msdyn_ciproviderid" value="{PROVIDER_ID}" />'
            f'<field name="msdyn_name" value="Voice for Dynamics 365" />'
            f'<field name="msdyn_label" value="Voice" />'
            f'<field name="msdyn_landingurl" value="https://voice.example.invalid/" />'
            f'<field name="msdyn_clicktoact" value="True" />'
            f'<field name="msdyn_sortorder" value="0" />'
            f'<field name="msdyn_ciproviderapiversion" value="0" />'
            f"</record></records></entity>"
        )
        if spec.provider
        else ""
    )
    data = (
        f'<entities timestamp="2024-01-01T00:00:00.0000000Z"><entity name="enreach_setting" '
        f'displayname="Voice Setting"><records>{records}</records></entity>{provider}'
        f"</entities>"
    ).encode()
    schema = (
        b'<entities><entity name="enreach_setting" primaryidfield="enreach_settingid">'
        b'<fields><field name="enreach_settingid" type="guid" primaryKey="true" />'
        b'<field name="enreach_name" type="string" />'
        b'<field name="enreach_value" type="string" />'
        b'<field name="enreach_defaultvalue" type="string" />'
        b'<field name="enreach_category" type="optionsetvalue" />'
        b'<field name="enreach_datatype" type="optionsetvalue" />'
        b'<field name="enreach_description" type="string" /></fields></entity>'
        b'<entity name="msdyn_ciprovider" primaryidfield="msdyn_ciproviderid"><fields>'
        b'<field name="msdyn_ciproviderid" type="guid" primaryKey="true" />'
        b'<field name="msdyn_name" type="string" /><field name="msdyn_label" type="string" />'
        b'<field name="msdyn_landingurl" type="string" />'
        b'<field name="msdyn_clicktoact" type="bool" />'
        b'<field name="msdyn_sortorder" type="number" />'
        b'<field name="msdyn_ciproviderapiversion" type="optionsetvalue" />'
        b"</fields></entity></entities>"
    )
    return zip_bytes(
        {"data.xml": data, "data_schema.xml": schema, "[Content_Types].xml": CONTENT_TYPES}
    )


def file_name(unique: str, version: str) -> str:
    return f"{unique}_{version.replace('.', '_')}_managed.zip"


def import_config(names: list[str]) -> bytes:
    solutions = "".join(
        f'<configsolutionfile solutionpackagefilename="{n}" overwriteunmanagedcustomizations='
        f'"false" publishworkflowsandactivateplugins="true" />'
        for n in names
    )
    text = (
        f'<?xml version="1.0" encoding="utf-16"?>\r\n<configdatastorage installsampledata='
        f'"false" waitforsampledatatoinstall="false" crmmigdataimportfile='
        f'"VoiceForD365ConfigData.zip"><solutions>{solutions}</solutions></configdatastorage>'
    )
    return b"\xff\xfe" + text.encode("utf-16-le")


def package_entries(spec: Spec) -> dict[str, bytes]:
    entries = {file_name(BASE, spec.version): base_zip(spec)}
    if spec.multisession:
        entries[file_name(MULTI, spec.version)] = multisession_zip(spec)
    entries["ImportConfig.xml"] = import_config(list(entries))
    entries["VoiceForD365ConfigData.zip"] = config_data_zip(spec)
    return entries


def make_package(spec: Spec | None = None) -> bytes:
    return zip_bytes(package_entries(spec or Spec()))


def write_package(folder: Path, spec: Spec | None = None) -> Path:
    spec = spec or Spec()
    path = folder / f"VoiceForD365Package_{spec.version.replace('.', '_')}.zip"
    path.write_bytes(make_package(spec))
    return path
