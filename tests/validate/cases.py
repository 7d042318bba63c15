"""The bad-input corpus, as a table: each case is a minimal break of the real sources, the
real built solution zip or the real built package, with the code, file and line validate
must report. The inputs are made fresh in a temporary folder by `make_case`."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.archive.writer import zip_bytes

Entries = dict[str, bytes]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "source", "solution" (a zip) or "package" (a folder)
    mutate: Callable[[Path], None]  # changes the copy (the source folder, zip or package folder)
    code: str
    file: str  # the diagnostic's file ends with this ("" = the target itself)
    line: int | str | None = None  # a line, a text whose line in `file` is meant, or unchecked
    args: tuple[str, ...] = ()


# --- sources ------------------------------------------------------------------------------


def edit(file: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace `old` (which must be there) by `new` in one source file."""

    def mutate(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"case is stale: {old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def write(file: str, data: bytes) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_bytes(data)

    return mutate


def remove(file: str) -> Callable[[Path], None]:
    return lambda root: (root / file).unlink()


def recode(file: str, codec: str, bom: bytes = b"") -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / file
        path.write_bytes(bom + path.read_text(encoding="utf-8").encode(codec))

    return mutate


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        for step in steps:
            step(root)

    return mutate


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    b']>\n<views table="enreach_setting">&lol3;</views>\n'
)
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE views [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<views table="enreach_setting">&x;</views>\n'
)
NET_DTD = (
    b'<?xml version="1.0"?>\n<!DOCTYPE views SYSTEM "http://example.com/evil.dtd">\n'
    b'<views table="enreach_setting"/>\n'
)

PHONE, SETTING = "tables/phonecall.xml", "tables/enreach_setting.xml"
PROFILE, LIST = "tables/enreach_callbackprofile.xml", "tables/enreach_callbacklist.xml"
PC_FORM, APP = "forms/phonecall/voice-phone-call.xml", "apps/enreach_VoiceConfigurator.xml"
USER_FORM = "forms/systemuser/voice-user.xml"
VIEWS, USER_ROLE = "views/enreach_setting.xml", "roles/voice-user.xml"
SYNC, PRESENCE = "settings/phone-call-sync.xml", "settings/presence.xml"
WEB, ENV = "webresources/webresources.xml", "environmentvariables.xml"
SESSION, NOTE = (
    "multisession/enreach_incomingcallsession.xml",
    "multisession/enreach_incomingcall.xml",
)
CALL_ID = '<column schema-name="enreach_EnreachCallId" type="text"'

SOURCE_CASES = [
    Case(
        "malformed-xml",
        "source",
        edit(PHONE, 'label="Multiple matches" state="0"/>', 'label="Multiple matches" state="0">'),
        "XML001",
        PHONE,
    ),
    Case(
        "stray-ampersand",
        "source",
        edit(PHONE, 'display-name="Call Type"', 'display-name="Call & Type"'),
        "XML001",
        PHONE,
        "Call & Type",
    ),
    Case(
        "wrong-encoding",
        "source",
        both(edit(PHONE, 'Direct"', 'Diréct"'), recode(PHONE, "latin-1")),
        "XML002",
        PHONE,
        "Diréct",
    ),
    Case(
        "unknown-encoding",
        "source",
        edit(PHONE, 'encoding="utf-8"', 'encoding="klingon"'),
        "XML002",
        PHONE,
        1,
    ),
    Case(
        "bom-contradicts-declaration",
        "source",
        recode(PHONE, "utf-16-le", b"\xff\xfe"),
        "XML005",
        PHONE,
        1,
    ),
    Case(
        "utf16-without-bom",
        "source",
        both(edit(PHONE, 'encoding="utf-8"', 'encoding="utf-16"'), recode(PHONE, "utf-16-le")),
        "XML005",
        PHONE,
        1,
    ),
    Case("billion-laughs", "source", write(VIEWS, LAUGHS), "XML003", VIEWS, 2),
    Case("external-entity", "source", write(VIEWS, XXE), "XML003", VIEWS, 2),
    Case("dtd-on-the-network", "source", write(VIEWS, NET_DTD), "XML003", VIEWS, 2),
    Case(
        "unknown-element",
        "source",
        edit(PHONE, "<status-reason", "<colour/>\n  <status-reason"),
        "SRC001",
        PHONE,
        "<colour/>",
    ),
    Case(
        "wrong-type",
        "source",
        edit(PHONE, 'max-length="100"\n', 'max-length="many"\n'),
        "SRC002",
        PHONE,
        'max-length="many"',
    ),
    Case(
        "unknown-source-kind",
        "source",
        write("extra/thing.xml", b"<gadget/>"),
        "SRC001",
        "extra/thing.xml",
        1,
    ),
    Case("missing-project-xml", "source", remove("project.xml"), "SRC011", "project.xml"),
    Case(
        "version-three-parts",
        "source",
        edit("project.xml", 'version="1.0.0.0"', 'version="1.0.0"'),
        "SRC012",
        "project.xml",
    ),
    Case(
        "duplicate-table-names",
        "source",
        lambda root: shutil.copy(root / LIST, root / "tables/copy-of-list.xml"),
        "SRC020",
        LIST,
        "<table",
    ),
    Case(
        "duplicate-column-names",
        "source",
        edit(PHONE, 'schema-name="enreach_QueueNumber"', 'schema-name="enreach_EnreachCallId"'),
        "DV106",
        PHONE,
        'schema-name="enreach_EnreachCallId" type="text" display-name="Queue',
    ),
    # one case per Dataverse rule (DV...), each on the real sources
    Case(
        "DV103-column-without-prefix",
        "source",
        edit(PHONE, 'schema-name="enreach_QueueNumber"', 'schema-name="new_QueueNumber"'),
        "DV103",
        PHONE,
        "new_QueueNumber",
    ),
    Case(
        "DV105-name-too-long",
        "source",
        edit(PHONE, 'schema-name="enreach_QueueNumber"', 'schema-name="enreach_' + "Q" * 50 + '"'),
        "DV105",
        PHONE,
        "enreach_QQQ",
    ),
    Case(
        "DV107-duplicate-ids",
        "source",
        both(
            edit(PC_FORM, 'type="main"', 'type="main" id="1a2b3c4d-0000-4000-8000-000000000001"'),
            edit(
                "forms/systemuser/voice-user.xml",
                'type="main"',
                'type="main" id="1a2b3c4d-0000-4000-8000-000000000001"',
            ),
        ),
        "DV107",
        "",
        None,
    ),
    Case(
        "DV110-option-outside-range",
        "source",
        edit(PHONE, 'value="105230002" label="Callback"', 'value="100000002" label="Callback"'),
        "DV110",
        PHONE,
        'value="100000002"',
    ),
    Case(
        "DV111-duplicate-option-value",
        "source",
        edit(PHONE, 'value="105230002" label="Callback"', 'value="105230001" label="Callback"'),
        "DV111",
        PHONE,
        'label="Callback"',
    ),
    Case(
        "DV113-default-not-an-option",
        "source",
        edit(SETTING, 'default-option="105230003"', 'default-option="105230009"'),
        "DV113",
        SETTING,
        "enreach_Category",
    ),
    Case(
        "DV114-status-reason-state",
        "source",
        edit(PHONE, 'state="0"', 'state="5"'),
        "DV114",
        PHONE,
        "<status-reason",
    ),
    Case(
        "DV115-lookup-unknown-table",
        "source",
        edit(PROFILE, 'targets="queue"', 'targets="queues"'),
        "DV115",
        PROFILE,
        "enreach_QueueId",
    ),
    Case(
        "DV116-text-too-long",
        "source",
        edit(PHONE, 'max-length="100"\n', 'max-length="5000"\n'),
        "DV116",
        PHONE,
        CALL_ID,
    ),
    Case(
        "DV118-two-primary-names",
        "source",
        edit(
            SETTING,
            'display-name="Value" max-length="4000"',
            'display-name="Value" max-length="4000" is-primary-name="true"',
        ),
        "DV118",
        SETTING,
    ),
    Case(
        "DV129-table-owned-by-no-one",
        "source",
        edit(SETTING, 'ownership="organization"', 'ownership="none"'),
        "DV129",
        SETTING,
        'ownership="none"',
    ),
    Case(
        "DV119-key-unknown-column",
        "source",
        edit(SETTING, 'columns="enreach_name"', 'columns="enreach_title"'),
        "DV119",
        SETTING,
        "<key",
    ),
    Case(
        "DV120-virtual-url-variable",
        "source",
        edit(LIST, 'url-variable="enreach_EnreachApiBaseUrl"', 'url-variable="enreach_NoSuchUrl"'),
        "DV120",
        LIST,
        "<virtual",
    ),
    Case(
        "DV121-form-unknown-column",
        "source",
        edit(PC_FORM, '<field column="phonenumber"/>', '<field column="phonenumbr"/>'),
        "DV121",
        PC_FORM,
        "phonenumbr",
    ),
    Case(
        "DV122-subgrid-unknown-view",
        "source",
        edit(PC_FORM, 'view="Voice – Bundled Phone Calls"', 'view="No Such View"'),
        "DV122",
        PC_FORM,
        "<subgrid",
    ),
    Case(
        "DV124-view-unknown-column",
        "source",
        edit(
            VIEWS,
            '<column name="enreach_value" width="300"/>',
            '<column name="enreach_valu" width="300"/>',
        ),
        "DV124",
        VIEWS,
        "enreach_valu",
    ),
    Case(
        "duplicate-view-names",
        "source",
        edit(VIEWS, 'name="Phone Call Sync Settings"', 'name="Active Voice Settings"'),
        "SRC020",
        VIEWS,
        'name="Active Voice Settings" type="public" description',
    ),
    Case(
        "DV130-privilege-unknown-table",
        "source",
        edit(USER_ROLE, 'on="enreach_callbacklist"', 'on="enreach_callbacklists"'),
        "DV130",
        USER_ROLE,
        "enreach_callbacklists",
    ),
    Case(
        "DV131-depth-on-org-owned",
        "source",
        edit(
            USER_ROLE,
            '<privileges on="enreach_setting" read="Global"/>',
            '<privileges on="enreach_setting" read="Basic"/>',
        ),
        "DV131",
        USER_ROLE,
        'on="enreach_setting"',
    ),
    Case(
        "DV132-assign-on-org-owned",
        "source",
        edit(
            USER_ROLE,
            '<privileges on="enreach_setting" read="Global"/>',
            '<privileges on="enreach_setting" read="Global" assign="Global"/>',
        ),
        "DV132",
        USER_ROLE,
        'on="enreach_setting"',
    ),
    Case(
        "DV140-setting-wrong-type",
        "source",
        edit(SYNC, 'datatype="Integer" default="60"', 'datatype="Integer" default="sixty"'),
        "DV140",
        SYNC,
        "sixty",
    ),
    Case(
        "DV140-boolean-not-true-false",
        "source",
        edit(SYNC, 'datatype="Boolean" default="False"', 'datatype="Boolean" default="no"'),
        "DV140",
        SYNC,
        'default="no"',
    ),
    Case(
        "DV141-multiple-match-status",
        "source",
        edit(PHONE, 'value="105230000" label="Multiple', 'value="105230005" label="Multiple'),
        "DV141",
        SYNC,
        "MultipleMatchPhoneCallStatus",
    ),
    Case(
        "DV142-presence-mapping",
        "source",
        edit(PRESENCE, '"AWAY":5', '"AWAY":4'),
        "DV142",
        PRESENCE,
        "PresenceMapping",
    ),
    Case(
        "DV121-standard-column-unlisted-strict",  # a warning: --strict makes it fail
        "source",
        edit(
            USER_FORM,
            '<field column="mobilephone"/>',
            '<field column="mobilephone"/><field column="voicepagernumber"/>',
        ),
        "DV121",
        USER_FORM,
        "voicepagernumber",
        ("--strict",),
    ),
    Case(
        "DV144-catalogue-setting-missing",
        "source",
        edit(SYNC, 'name="CallStartMargin"', 'name="CallStartMarginSeconds"'),
        "DV144",
        "",
    ),
    Case(
        "DV150-env-var-default-type",
        "source",
        edit(
            ENV,
            'type="string" required="true"\n                        description="Base URL',
            'type="number" default-value="fast" required="true"\n'
            '                        description="Base URL',
        ),
        "DV150",
        ENV,
        "enreach_EnreachApiBaseUrl",
    ),
    Case(
        "web-resource-name-without-prefix",
        "source",
        both(
            edit(WEB, 'name="enreach_/icons/voice.svg"', 'name="voice/icons/voice.svg"'),
            edit(APP, 'icon="enreach_/icons/voice.svg"', 'icon="voice/icons/voice.svg"'),
            edit(
                "commands/update-enreach-user-ids.xml",
                'icon="enreach_/icons/voice.svg"',
                'icon="voice/icons/voice.svg"',
            ),
        ),
        "SRC002",
        WEB,
        "voice/icons/voice.svg",
    ),
    Case(
        "DV153-web-resource-empty",
        "source",
        write("webresources/icons/voice.svg", b""),
        "DV153",
        WEB,
        "enreach_/icons/voice.svg",
    ),
    Case(
        "DV154-web-resource-type",
        "source",
        edit(WEB, 'file="icons/voice.svg"', 'file="icons/voice.svg" type="png"'),
        "DV154",
        WEB,
        "enreach_/icons/voice.svg",
    ),
    Case(
        "DV155-custom-api-bound-table",
        "source",
        edit(
            "customapis/enreach_UpdateEnreachUserIds.xml",
            'binding="global"',
            'binding="entity" bound-table="nosuchtable"',
        ),
        "DV155",
        "customapis/enreach_UpdateEnreachUserIds.xml",
        "<custom-api",
    ),
    Case(
        "DV160-channel-url-not-https",
        "source",
        edit("channels/cif2.xml", 'channel-url="https://', 'channel-url="http://'),
        "DV160",
        "channels/cif2.xml",
        "<cif2-provider",
    ),
    Case(
        "DV160-landing-url-not-https",
        "source",
        edit("channels/cif1.xml", 'landing-url="https://', 'landing-url="http://'),
        "DV160",
        "channels/cif1.xml",
        "<cif1-provider",
    ),
    Case(
        "DV162-session-anchor-tab",
        "source",
        edit(SESSION, 'anchor-tab="enreach_customerrecordtab"', 'anchor-tab="enreach_nosuchtab"'),
        "DV162",
        SESSION,
        "<session-template",
    ),
    Case(
        "DV163-session-undeclared-parameter",
        "source",
        edit(SESSION, 'title="{customerName}"', 'title="{callerName}"'),
        "DV163",
        SESSION,
        "<session-template",
    ),
    Case(
        "DV164-notification-undeclared-parameter",
        "source",
        edit(
            NOTE,
            'parameters="customerName phoneNumber queueName"',
            'parameters="customerName phoneNumber"',
        ),
        "DV164",
        NOTE,
        "{queueName}",
    ),
]


SOURCE_CASES += [
    Case(
        "DV112-choice-without-options",
        "source",
        edit(
            PHONE,
            '    <option value="105230000" label="Direct"/>\n    <option value="105230001" '
            'label="Service"/>\n    <option value="105230002" label="Callback"/>\n',
            "",
        ),
        "DV112",
        PHONE,
        "enreach_CallType",
    ),
    Case(
        "DV117-min-above-max",
        "source",
        edit(
            PROFILE,
            'min-value="1"\n          max-value="2147483647"',
            'min-value="10"\n          max-value="5"',
        ),
        "DV117",
        PROFILE,
        "enreach_CallbackAge",
    ),
    Case(
        "DV123-form-script-unknown",
        "source",
        edit(
            "forms/enreach_callbackprofile/callback-profile.xml",
            'libraries="enreach_/scripts/callbackprofile.js"',
            'libraries="enreach_/scripts/callbackprofile.js enreach_/scripts/gone.js"',
        ),
        "DV123",
        "forms/enreach_callbackprofile/callback-profile.xml",
        "<form",
    ),
    Case(
        "DV125-site-map-unknown-view",
        "source",
        edit(APP, 'view="Presence Settings"', 'view="Presense Settings"'),
        "DV125",
        APP,
        "Presense Settings",
    ),
    Case(
        "DV126-command-library-unknown",
        "source",
        edit(
            "commands/update-enreach-user-ids.xml",
            'library="enreach_/scripts/updateenreachuserids.js"',
            'library="enreach_/scripts/updateuserids.js"',
        ),
        "DV126",
        "commands/update-enreach-user-ids.xml",
        "<command",
    ),
    Case(
        "DV171-version-not-above-baseline",
        "source",
        lambda root: None,
        "DV171",
        "project.xml",
        "<publisher",
        ("--baseline", str(Path(__file__).resolve().parents[2] / "solution_src")),
    ),
]


def make_source(root: Path, sources: Path, case: Case) -> Path:
    target = root / "solution_src"
    shutil.copytree(sources, target)
    case.mutate(target)
    return target


# --- a built solution zip -------------------------------------------------------------------


def zip_of(entries: Entries) -> bytes:
    return zip_bytes(entries)


def rezip(change: Callable[[Entries], Entries | bytes]) -> Callable[[Path], None]:
    """Read the zip at the path, change its entries (or return raw bytes), write it back."""

    def mutate(path: Path) -> None:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            entries = {i.filename: archive.read(i) for i in archive.infolist()}
        result = change(entries)
        path.write_bytes(result if isinstance(result, bytes) else zip_of(result))

    return mutate


def raw(change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(change(path.read_bytes()))


def without(name: str) -> Callable[[Entries], Entries]:
    return lambda entries: {k: v for k, v in entries.items() if k != name}


def plus(name: str, data: bytes) -> Callable[[Entries], Entries]:
    return lambda entries: {**entries, name: data}


def replaced(name: str, old: bytes, new: bytes) -> Callable[[Entries], Entries]:
    def change(entries: Entries) -> Entries:
        assert old in entries[name], f"case is stale: {old!r} not in {name}"
        return {**entries, name: entries[name].replace(old, new, 1)}

    return change


def _unsafe_zip(name: str) -> Callable[[Entries], bytes]:
    """A zip with an entry path zip_bytes would never write (written by hand)."""

    def change(entries: Entries) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for key, data in entries.items():
                archive.writestr(key, data)
            archive.writestr(name, b"<evil/>")
        return buffer.getvalue()

    return change


def _bomb(entries: Entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, data in entries.items():
            archive.writestr(key, data)
        archive.writestr("WebResources/bomb", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


def _corrupt(data: bytes) -> bytes:
    changed = bytearray(data)
    start = data.find(b"customizations.xml") + len("customizations.xml")
    changed[start : start + 64] = b"\xff" * 64
    return bytes(changed)


CZ, SOL = "customizations.xml", "solution.xml"
SOLUTION_CASES = [
    Case("truncated-zip", "solution", raw(lambda d: d[: len(d) // 2]), "ZIP002", ""),
    Case("not-a-zip", "solution", raw(lambda d: b"<ImportExportXml/>"), "ZIP002", ""),
    Case("empty-file", "solution", raw(lambda d: b""), "ZIP002", ""),
    Case(
        "entry-with-dotdot", "solution", rezip(_unsafe_zip("../evil.xml")), "ZIP004", "!../evil.xml"
    ),
    Case(
        "entry-with-absolute-path",
        "solution",
        rezip(_unsafe_zip("/tmp/evil.xml")),
        "ZIP004",
        "!/tmp/evil.xml",
    ),
    Case("zip-bomb", "solution", rezip(_bomb), "ZIP005", "!WebResources/bomb"),
    Case("corrupt-entry", "solution", raw(_corrupt), "ZIP002", "!customizations.xml"),
    Case("missing-solution-xml", "solution", rezip(without(SOL)), "VAL010", "!solution.xml"),
    Case(
        "missing-customizations-xml",
        "solution",
        rezip(without(CZ)),
        "VAL011",
        "!customizations.xml",
    ),
    Case(
        "missing-content-types",
        "solution",
        rezip(without("[Content_Types].xml")),
        "VAL012",
        "![Content_Types].xml",
    ),
    Case(
        "content-type-missing-extension-strict",
        "solution",
        rezip(plus("Assets/readme.txt", b"hello")),
        "VAL013",
        "![Content_Types].xml",
        1,
        ("--strict",),
    ),
    Case(
        "manifest-managed-7",
        "solution",
        rezip(replaced(SOL, b"<Managed>1</Managed>", b"<Managed>7</Managed>")),
        "SCH001",
        "!solution.xml",
        "<Managed>",
    ),
    Case(
        "manifest-version-text",
        "solution",
        rezip(replaced(SOL, b"<Version>1.0.0.0</Version>", b"<Version>one</Version>")),
        "SCH001",
        "!solution.xml",
        "<Version>",
    ),
    Case(
        "manifest-unknown-element",
        "solution",
        rezip(replaced(SOL, b"<Managed>", b"<Colour>red</Colour>\n    <Managed>")),
        "SCH001",
        "!solution.xml",
        "<Colour>",
    ),
    Case(
        "customizations-unknown-element",
        "solution",
        rezip(replaced(CZ, b"<Roles>", b"<Gadgets />\n  <Roles>")),
        "SCH101",
        "!customizations.xml",
        "<Gadgets",
    ),
    Case(
        "customizations-malformed",
        "solution",
        rezip(replaced(CZ, b"</Roles>", b"</Role>")),
        "XML001",
        "!customizations.xml",
    ),
    Case(
        "customizations-doctype",
        "solution",
        rezip(
            replaced(
                CZ,
                b"<ImportExportXml",
                b'<!DOCTYPE x SYSTEM "http://example.com/x.dtd">\n<ImportExportXml',
            )
        ),
        "XML003",
        "!customizations.xml",
        "<!DOCTYPE",
    ),
    Case(
        "customizations-wrong-encoding",
        "solution",
        rezip(replaced(CZ, b"<Roles>", b"<!-- caf\xe9 -->\n<Roles>")),
        "XML002",
        "!customizations.xml",
        "<!-- caf",
    ),
    Case(
        "customizations-bom-mismatch",
        "solution",
        rezip(lambda e: {**e, CZ: b"\xff\xfe" + e[CZ].decode("utf-8-sig").encode("utf-16-le")}),
        "XML005",
        "!customizations.xml",
        1,
    ),
    Case(
        "manifest-prefix-invalid",
        "solution",
        rezip(replaced(SOL, b"<CustomizationPrefix>enreach<", b"<CustomizationPrefix>e<")),
        "SCH001",
        "!solution.xml",
        "<CustomizationPrefix>",
    ),
]


# --- a built package folder -----------------------------------------------------------------


def in_package(file: str, change: Callable[[Entries], Entries | bytes]) -> Callable[[Path], None]:
    return lambda folder: rezip(change)(folder / file)


def package_text(file: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-16")
        assert old in text, f"case is stale: {old!r} not in {file}"
        path.write_bytes(text.replace(old, new, 1).encode("utf-16"))

    return mutate


CONFIG, DATA = "ImportConfig.xml", "VoiceForD365ConfigData.zip"
PACKAGE_CASES = [
    Case(
        "package-names-missing-zip",
        "package",
        lambda folder: next(folder.glob("VoiceForD365Multisession_*.zip")).unlink(),
        "VAL020",
        CONFIG,
        "VoiceForD365Multisession_",
    ),
    Case(
        "package-importconfig-schema",
        "package",
        package_text(CONFIG, 'installsampledata="false"', 'installsampledata="perhaps"'),
        "SCH002",
        CONFIG,
        "<configdatastorage",
    ),
    Case(
        "package-nested-zip-truncated",
        "package",
        lambda folder: (lambda p: p.write_bytes(p.read_bytes()[:500]))(
            next(folder.glob("VoiceForD365_*.zip"))
        ),
        "ZIP002",
        "",
    ),
    Case(
        "package-data-missing-schema",
        "package",
        in_package(DATA, without("data_schema.xml")),
        "VAL026",
        DATA + "!data_schema.xml",
    ),
    Case(
        "package-data-undeclared-field",
        "package",
        in_package(
            DATA,
            replaced(
                "data.xml",
                b'<field name="enreach_name"',
                b'<field name="enreach_colour" value="red" />\n        <field name="enreach_name"',
            ),
        ),
        "VAL027",
        DATA + "!data.xml",
        "enreach_colour",
    ),
    Case(
        "package-data-schema-bad-type",
        "package",
        in_package(DATA, replaced("data_schema.xml", b'type="string"', b'type="text"')),
        "SCH004",
        DATA + "!data_schema.xml",
        'type="text"',
    ),
    Case(
        "package-solution-versions-differ-strict",
        "package",
        lambda folder: rezip(
            replaced(SOL, b"<Version>1.0.0.0</Version>", b"<Version>0.9.0.0</Version>")
        )(next(folder.glob("VoiceForD365Multisession_*.zip"))),
        "VAL025",
        CONFIG,
        None,
        ("--strict",),
    ),
    Case(
        "package-config-data-not-a-zip",
        "package",
        lambda folder: (folder / DATA).write_bytes(b"not a zip"),
        "ZIP002",
        DATA,
    ),
]

ALL_CASES = SOURCE_CASES + SOLUTION_CASES + PACKAGE_CASES
