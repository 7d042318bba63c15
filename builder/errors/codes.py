"""Every diagnostic code voicepkg reports, in one table: its default severity, a one-line
title, and the docs page (with the anchor of its code table) that explains it.

A call site names its code as a short literal (`diagnostic("VAL013", ...)`); `diagnostic()`
takes the severity from here unless the call says otherwise (a rule that is only a warning for
another publisher's solution). tests/test_codes.py fails on a code used in builder/ that is
not listed here, on an entry no code uses, and on a code its docs page does not list.
"""

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]

VALIDATE = "docs/validate.md#codes"
SOURCES = "docs/source-format.md#diagnostics"
LIMITS = "docs/limits.md#diagnostic-codes-of-this-layer"
DEPLOY = "docs/deploy.md#diagnostic-codes"
CONFIGURE = "docs/configure.md#diagnostic-codes"
FLEET = "docs/fleet.md#diagnostic-codes"


class Code(NamedTuple):
    """A diagnostic code's title, the docs table that lists it, and its severity."""

    title: str
    docs: str  # the docs page and anchor of the table that lists the code
    severity: Severity = "error"


CODES: dict[str, Code] = {
    # docs/validate.md: reading and checking zips, packages and the Dataverse rules
    "DV000": Code("a rule crashed (a bug in voicepkg: please report it)", VALIDATE),
    "DV101": Code("publisher prefix follows Dataverse's rules", VALIDATE),
    "DV102": Code("option value prefix within 10000..99999", VALIDATE),
    "DV103": Code("custom names carry the publisher prefix", VALIDATE),
    "DV104": Code("schema names use letters, digits and underscores only", VALIDATE),
    "DV105": Code("schema names within Dataverse's length limits", VALIDATE),
    "DV106": Code("names are unique per kind", VALIDATE),
    "DV107": Code("ids are unique across the solution", VALIDATE),
    "DV108": Code("components name a declared solution", VALIDATE),
    "DV109": Code("the project declares a publisher and at least one solution", VALIDATE),
    "DV110": Code("custom option values lie in the publisher's option value range", VALIDATE),
    "DV111": Code("option values are unique within a choice", VALIDATE),
    "DV112": Code("a choice column has options or names a known global choice", VALIDATE),
    "DV113": Code("a choice's default value is one of its options", VALIDATE),
    "DV114": Code("status reasons belong to a valid state", VALIDATE),
    "DV115": Code("lookups target tables that exist", VALIDATE),
    "DV116": Code("text lengths are within Dataverse's limits", VALIDATE),
    "DV117": Code("number ranges are ordered and within the type's limits", VALIDATE),
    "DV118": Code("a new table has exactly one primary name column, of type text", VALIDATE),
    "DV119": Code("alternate keys name columns of their table", VALIDATE),
    "DV120": Code(
        "a virtual table's data source URL comes from a declared environment variable", VALIDATE
    ),
    "DV121": Code("forms name tables and columns that exist", VALIDATE),
    "DV122": Code(
        "form subgrids and quick views name views, lookups and forms that exist", VALIDATE
    ),
    "DV123": Code("form scripts are web resources of the solution", VALIDATE),
    "DV124": Code("views name tables and columns that exist", VALIDATE),
    "DV125": Code("the site map names tables, views and web resources that exist", VALIDATE),
    "DV126": Code("commands name tables, apps and web resources that exist", VALIDATE),
    "DV127": Code("apps include forms, views, roles, tables and an icon that exist", VALIDATE),
    "DV128": Code("form and view names are unique per table", VALIDATE),
    "DV129": Code("a new table is owned by a user or by the organization", VALIDATE),
    "DV130": Code("roles name privileges Dataverse has", VALIDATE),
    "DV131": Code("privilege depths are valid for their table", VALIDATE),
    "DV132": Code("no Assign or Share privileges on organization-owned tables", VALIDATE),
    "DV140": Code("each setting's default parses as its declared type", VALIDATE),
    "DV141": Code("MultipleMatchPhoneCallStatus names an Open phone call status reason", VALIDATE),
    "DV142": Code("the presence mapping covers the five Omnichannel states", VALIDATE),
    "DV144": Code("the package ships every setting the product guide lists", VALIDATE),
    "DV150": Code("environment variable defaults agree with their type", VALIDATE),
    "DV151": Code("web resource names use only the characters Dataverse allows", VALIDATE),
    "DV152": Code("web resource names start with the publisher prefix", VALIDATE),
    "DV153": Code("web resources have content", VALIDATE),
    "DV154": Code("web resource names end in an extension that fits their type", VALIDATE),
    "DV155": Code(
        "custom APIs are bound to tables that exist and use known parameter types", VALIDATE
    ),
    "DV160": Code("channel provider URLs are https", VALIDATE),
    "DV161": Code("channel order and API versions are values Dataverse accepts", VALIDATE),
    "DV162": Code("session templates name tab templates and tables that exist", VALIDATE),
    "DV163": Code("session and tab templates use only declared parameters", VALIDATE),
    "DV164": Code("notification templates use only the parameters they declare", VALIDATE),
    "DV165": Code("application tab templates use a known page type", VALIDATE),
    "DV166": Code("notification timeouts are 0..500 seconds", VALIDATE),
    "DV167": Code("our templates carry every label, title and parameter value", VALIDATE),
    "DV170": Code("the version has four numeric parts", VALIDATE),
    "DV171": Code("the version is higher than the baseline's", VALIDATE),
    "DV172": Code("the version is numeric", VALIDATE),
    "DV180": Code("raw customizations.xml parts are well-formed XML", VALIDATE),
    "RD001": Code("a solution zip lacks solution.xml or customizations.xml", VALIDATE),
    "RD002": Code("solution.xml has no SolutionManifest", VALIDATE),
    "RD010": Code("not a solution folder (no solution.xml)", VALIDATE),
    "RD020": Code("no ImportConfig.xml in the package", VALIDATE),
    "RD021": Code("ImportConfig.xml names a file the package lacks", VALIDATE),
    "RD022": Code("the package names no solution", VALIDATE),
    "RD023": Code("a record id in the configuration data is not a GUID", VALIDATE),
    "RD100": Code("a table is kept as exported when unpacked", VALIDATE, "warning"),
    "RD101": Code("a component is kept as exported when unpacked", VALIDATE, "warning"),
    "RD102": Code("the application ribbon is kept as exported", VALIDATE, "warning"),
    "SCH001": Code("solution.xml does not match our schema", VALIDATE),
    "SCH002": Code("ImportConfig.xml does not match our schema", VALIDATE),
    "SCH003": Code("data.xml does not match our schema", VALIDATE),
    "SCH004": Code("data_schema.xml does not match our schema", VALIDATE),
    "SCH005": Code("[Content_Types].xml does not match our schema", VALIDATE),
    "SCH100": Code(
        "Microsoft's schemas not found: customizations.xml NOT checked", VALIDATE, "warning"
    ),
    "SCH101": Code("customizations.xml does not match Microsoft's schema", VALIDATE),
    "SCH201": Code("known drift of newer exports vs the 2018 schema", VALIDATE, "warning"),
    "VAL001": Code("no such file or folder", VALIDATE),
    "VAL005": Code("a folder of build outputs (zips), not one thing to validate", VALIDATE),
    "VAL010": Code("solution.xml missing", VALIDATE),
    "VAL011": Code("customizations.xml missing", VALIDATE),
    "VAL012": Code("[Content_Types].xml missing", VALIDATE),
    "VAL013": Code("an extension in the zip has no content type", VALIDATE, "warning"),
    "VAL014": Code(
        "a part without an extension has no `Override` content type", VALIDATE, "warning"
    ),
    "VAL020": Code("ImportConfig.xml names a file the package lacks", VALIDATE),
    "VAL021": Code("a file ImportConfig.xml names is not the kind of zip it should be", VALIDATE),
    "VAL024": Code("a zip in the package that ImportConfig.xml does not name", VALIDATE, "warning"),
    "VAL025": Code("the package's solutions have different versions", VALIDATE, "warning"),
    "VAL026": Code("data.xml or data_schema.xml missing from the configuration data zip", VALIDATE),
    "VAL027": Code("data.xml has an entity or field data_schema.xml does not declare", VALIDATE),
    "VAL028": Code("a record id appears twice in data.xml", VALIDATE),
    "VAL031": Code("reading the model crashed (a bug in voicepkg: please report it)", VALIDATE),
    "VAL040": Code("the baseline's version cannot be read", VALIDATE),
    "XML001": Code("malformed XML", VALIDATE),
    "XML002": Code("bytes not valid in the declared encoding, unknown encoding", VALIDATE),
    "XML003": Code("DOCTYPE or ENTITY declaration (refused)", VALIDATE),
    "XML004": Code(
        "XML file over 64 MiB, one value over 10 MB, or nested over 256 deep (docs/limits.md)",
        VALIDATE,
    ),
    "XML005": Code(
        "byte order mark contradicts the declared encoding, or UTF-16 without one", VALIDATE
    ),
    "ZIP002": Code("not a zip, truncated or corrupt", VALIDATE),
    "ZIP003": Code("too many entries", VALIDATE),
    "ZIP004": Code("entry path escapes the archive (`../`, absolute, drive)", VALIDATE),
    "ZIP005": Code("zip bomb (size, ratio or total over the limits)", VALIDATE),
    "ZIP006": Code("two entries of one name, also when they differ only by case", VALIDATE),
    "ZIP007": Code("encrypted entry", VALIDATE),
    "ZIP009": Code(
        "entry name no file system can hold",
        VALIDATE,
    ),
    # docs/source-format.md: loading the sources, building them, unpacking into them
    "BLD001": Code("`--version` is not a version or release tag", SOURCES),
    "BLD002": Code("the sources declare no solution", SOURCES),
    "BLD003": Code("build cannot write its outputs", SOURCES),
    "BLD010": Code("`SOURCE_DATE_EPOCH` is not an integer", SOURCES),
    "BLD101": Code("no solution of that name in the sources", SOURCES),
    "BLD102": Code("two components write the same zip entry", SOURCES),
    "BLD201": Code("a custom API parameter has an unknown type", SOURCES),
    "BLD202": Code("an application tab template has an unknown page type", SOURCES),
    "BLD301": Code("settings are declared but their table is not", SOURCES),
    "BLD302": Code("a setting names an option its column lacks", SOURCES),
    "BLD401": Code("the package lacks a declared solution's zip", SOURCES),
    "CZ001": Code("no solution of that name in the project", SOURCES),
    "CZ002": Code("a component names a view its table lacks", SOURCES),
    "CZ003": Code("a component names a form its table lacks", SOURCES),
    "CZ004": Code("a component names a web resource that is not declared", SOURCES),
    "CZ010": Code("a column's format is not one its type allows", SOURCES),
    "CZ011": Code("a lookup column has no target table", SOURCES),
    "CZ012": Code("a choice column has neither options nor a global choice", SOURCES),
    "CZ020": Code("a form names a column its table lacks", SOURCES),
    "CZ021": Code("a quick view names a column that is not a lookup of the form's table", SOURCES),
    "CZ030": Code("a new activity table (not supported)", SOURCES),
    "CZ031": Code("a table has no primary name column", SOURCES),
    "CZ032": Code("a virtual table with alternate keys", SOURCES),
    "CZ040": Code("a raw part names an unknown customizations.xml section", SOURCES),
    "CZ041": Code("a raw part is not UTF-8", SOURCES),
    "CZ050": Code(
        "a command limited to an app uses a script that does not define its enable function",
        SOURCES,
    ),
    "SRC001": Code("unknown or misplaced element (also: unknown root element)", SOURCES),
    "SRC002": Code(
        'a value of the wrong type or outside its allowed set (`max-length="abc"`)', SOURCES
    ),
    "SRC003": Code("unknown attribute (the hint suggests the closest allowed one)", SOURCES),
    "SRC004": Code("a required attribute or element is missing", SOURCES),
    "SRC005": Code("another schema error", SOURCES),
    "SRC010": Code("a file in `raw/` outside the two allowed layouts", SOURCES),
    "SRC011": Code("no source folder, or no `project.xml`", SOURCES),
    "SRC012": Code("the version is not four numeric parts", SOURCES),
    "SRC020": Code(
        "a component declared twice (same table, form, view, role, setting, ... name)", SOURCES
    ),
    "SRC021": Code(
        "a reference the loader must resolve does not exist",
        SOURCES,
    ),
    "SRC022": Code("a web resource payload file is missing", SOURCES),
    "UNP001": Code("unpack: the output folder is not empty", SOURCES),
    "UNP003": Code("unpack: a path outside the output folder (a hostile solution)", SOURCES),
    "UNP010": Code("unpack: a component is kept as exported", SOURCES, "warning"),
    "UNP011": Code(
        "unpack: columns the sources do not hold are kept from the export", SOURCES, "warning"
    ),
    "UNP012": Code(
        "unpack: the build adds something the export lacks (cannot round-trip)", SOURCES, "warning"
    ),
    # docs/limits.md: files, outputs, the command line and its configuration
    "CFG001": Code(
        "a configuration file cannot be read (TOML syntax, or configure's file)", LIMITS
    ),
    "CFG002": Code(
        "a bad value in `[tool.voicepkg]`, or `--ignore` names no code of ours",
        LIMITS,
    ),
    "CLI001": Code(
        "a usage error click reports (bad option or argument), in the JSON output", LIMITS
    ),
    "DIF001": Code("diff: a side names no file or folder", LIMITS),
    "DIF002": Code("diff: git cannot be run", LIMITS),
    "DIF003": Code("diff: a git command failed (unknown revision, or a shallow clone)", LIMITS),
    "DIF004": Code("diff: `git:` names something that is not a revision", LIMITS),
    "IO001": Code("a file or folder cannot be read (permissions)", LIMITS),
    "IO002": Code(
        "not a regular file (FIFO, device, socket) or not what was expected (a folder)", LIMITS
    ),
    "IO003": Code("no such file or folder", LIMITS),
    "IO004": Code("over a size, count or depth limit", LIMITS),
    "IO005": Code("a link out of the tree, or a link to a folder", LIMITS),
    "IO006": Code("refusing to write to this output path", LIMITS),
    "IO007": Code("a path too long for the file system", LIMITS),
    "IO008": Code("an output cannot be written", LIMITS),
    "UNP004": Code("unpack cannot write the sources", LIMITS),
    "UNP005": Code("unpack: the solution version is not two to four numbers", LIMITS),
    # docs/deploy.md: deploy, doctor and settings
    "DEP001": Code("package not found", DEPLOY),
    "DEP002": Code("no ImportConfig.xml in the package", DEPLOY),
    "DEP003": Code("the package names no solutions", DEPLOY),
    "DEP004": Code("ImportConfig.xml names a file the package lacks", DEPLOY),
    "DEP005": Code("a solution zip without solution.xml or its SolutionManifest", DEPLOY),
    "DEP006": Code("a solution version Dataverse does not accept", DEPLOY),
    "DEP007": Code("a solution unique name Dataverse does not accept", DEPLOY),
    "DEP008": Code("the package lists a solution twice", DEPLOY),
    "DEP009": Code("the configuration data zip lacks data.xml or data_schema.xml", DEPLOY),
    "DEP010": Code("a bad `--env` URL", DEPLOY),
    "DEP011": Code("a usage error, in the JSON report", DEPLOY),
    "DEP020": Code("a settings file that is not a UTF-8 JSON settings object", DEPLOY),
    "DEP021": Code("a `${NAME}` in the settings file is not set in the environment", DEPLOY),
    "DEP023": Code("settings template: the output exists (pass --merge or --force)", DEPLOY),
    "DEP030": Code("no credentials found for the Web API", DEPLOY),
    "DEP031": Code("`--auth` lacks the variables it needs", DEPLOY),
    "DEP032": Code("GitHub refused or did not give the OIDC token", DEPLOY),
    "DEP033": Code("the token service failed or refused", DEPLOY),
    "DEP034": Code("a token or token URL with characters it cannot have", DEPLOY),
    "DEP035": Code("a certificate or federated token file that cannot be read", DEPLOY),
    "DEP036": Code(
        "GitHub gave the job no OIDC token (`permissions: id-token: write` missing)", DEPLOY
    ),
    "DEP037": Code("`SYSTEM_ACCESSTOKEN` not mapped into the Azure DevOps step", DEPLOY),
    "DEP040": Code("an import still running at `--timeout` (exit 4)", DEPLOY),
    "DEP041": Code("an import failed", DEPLOY),
    "DEP042": Code("an earlier import of the solution failed", DEPLOY, "warning"),
    "DEP044": Code("a write of a change set failed (the batch was rolled back)", DEPLOY),
    "DEP050": Code("pac failed", DEPLOY),
    "DEP051": Code("`--via pac` with credentials pac cannot use", DEPLOY),
    "DEP052": Code("pac not found, or a warning from a pac run", DEPLOY),
    "DEP060": Code("the plan is refused (exit 3)", DEPLOY),
    "DEP061": Code("a warning of the plan", DEPLOY, "warning"),
    "DEP080": Code("an after-install check fails", DEPLOY),
    "DEP100": Code("the Web API answered an error", DEPLOY),
    "DEP101": Code("the environment cannot be reached (host name, TLS)", DEPLOY),
    "DEP102": Code("the connection is refused or keeps failing", DEPLOY),
    "DEP103": Code("an answer that is not the Web API's (a redirect, not JSON, too large)", DEPLOY),
    "DEP104": Code("the environment stops answering", DEPLOY),
    "DEP105": Code("the request cannot be built (stray characters in the credentials)", DEPLOY),
    "DEP106": Code("the environment refused the token (HTTP 401)", DEPLOY),
    "DEP999": Code("internal error: a bug in voicepkg (exit 70)", DEPLOY),
    "DV143": Code("DefaultCrmAssignee has no value", DEPLOY),
    "PKG001": Code("a package file differs from SHA256SUMS (changed after the build)", DEPLOY),
    "PKG002": Code("a package file SHA256SUMS does not list", DEPLOY),
    "PKG003": Code("more than one package in one zip or folder", DEPLOY),
    # docs/configure.md: configure and onboard
    "ONB001": Code("several app registrations of that name", CONFIGURE),
    "ONB002": Code("the certificate file holds a private key", CONFIGURE),
    "ONB003": Code("not an X.509 certificate", CONFIGURE),
    "ONB004": Code("the app registration has other certificates", CONFIGURE),
    "ONB100": Code("Microsoft Graph refused a request", CONFIGURE),
    # docs/fleet.md: many environments
    "FLT001": Code("fleet file not found", FLEET),
    "FLT002": Code("the fleet file is not TOML", FLEET),
    "FLT010": Code("an unknown table or key in the fleet file", FLEET),
    "FLT011": Code("no `[[environment]]` entries", FLEET),
    "FLT012": Code("two environments of the same name", FLEET),
    "FLT013": Code("a bad `[rings]` table", FLEET),
    "FLT014": Code("a bad `[fleet]` table (jobs, halt)", FLEET),
    "FLT015": Code("an environment that is not a table, or has an unknown key", FLEET),
    "FLT016": Code("an environment name that is not a name", FLEET),
    "FLT017": Code("an unknown ring", FLEET),
    "FLT018": Code("an unknown scenario", FLEET),
    "FLT019": Code("a bad `excluded` or `tags`", FLEET),
    "FLT020": Code("a key or value that looks like a secret", FLEET),
    "FLT021": Code("a URL that is not an environment URL", FLEET),
    "FLT022": Code("a settings file that is not a path, or does not exist", FLEET),
    "FLT023": Code("a maintenance window not understood", FLEET),
    "FLT024": Code("a bad `auth` table", FLEET),
    "FLT025": Code("a variable name that is not a name", FLEET),
    "FLT026": Code("`auth` without tenant_id and client_id, or not GUIDs", FLEET),
    "FLT030": Code("an environment variable the environment needs is not set", FLEET),
    "FLT040": Code("not a report of deploy, fleet deploy, status or plan", FLEET),
    "FLT050": Code("an environment skipped", FLEET, "warning"),
    "FLT051": Code("an environment not started (the rollout halted)", FLEET, "warning"),
    "FLT099": Code("internal error in one environment's run: a bug in voicepkg (exit 70)", FLEET),
}


def default_severity(code: str) -> Severity:
    """The severity a diagnostic of `code` has unless its call says otherwise ("error" for a
    code the table does not know: tests make up their own)."""
    known = CODES.get(code)
    return known.severity if known else "error"
