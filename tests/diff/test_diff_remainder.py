"""What `read` leaves unread of a component is that component's remainder (model/remainder.py),
and `voicepkg diff` compares it: two exports that differ only in a column the model does not
hold are different; the stamp columns Dataverse writes on every save are not a difference;
unpack and build carry the remainder through (compared with `==`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from support.common import CORPUS2, SOURCES, need_shared, run_cli
from support.zipsame import zip_entries

from builder.archive.writer import zip_bytes
from builder.build import build_solutions
from builder.diff.projects import diff_projects
from builder.model import Project
from builder.model.kinds import KINDS
from builder.model.remainder import Remainder, Unread, holds_remainder
from builder.read.package_project import with_config_data
from builder.read.solution import read_solution_zip
from builder.sources.load import load_project

DCCP = "DCCPChannelIntegrationFramework_1_0_0_6.zip"
NOTIFICATION = "msdyn_notificationtemplates/extn_voice_notification/msdyn_notificationtemplate.xml"
PARAMETER = "msdyn_templateparameters/extn_case_tab_data/msdyn_templateparameter.xml"
THEME = b"<msdyn_theme>509180000</msdyn_theme>"


def _export(
    tmp: Path, name: str, edits: list[tuple[str, bytes, bytes]], export: str = DCCP
) -> Path:
    """A real export (DCCP unless said) with `edits` ((entry, text, replacement)) made."""
    entries = zip_entries(need_shared(CORPUS2 / "zips" / export).read_bytes())
    for path, old, new in edits:
        assert entries[path].count(old) == 1, (path, old)
        entries[path] = entries[path].replace(old, new)
    out = tmp / name
    out.write_bytes(zip_bytes(entries))
    return out


def _diff(old: Path, new: Path) -> tuple[int, list[dict[str, str]]]:
    result = run_cli("diff", str(old), str(new), "--format", "json")
    return result.exit_code, json.loads(result.output)["changes"]


def test_two_exports_differing_only_in_an_unread_column_differ(tmp_path: Path) -> None:
    old = _export(tmp_path, "old.zip", [])
    new = _export(tmp_path, "new.zip", [(NOTIFICATION, THEME, THEME.replace(b"0<", b"1<"))])
    assert _diff(old, old) == (0, [])
    code, changes = _diff(old, new)
    assert code == 1
    assert [(c["kind"], c["name"], c["action"]) for c in changes] == [
        ("notification template", "extn_voice_notification", "changed")
    ]
    where = "msdyn_notificationtemplate extn_voice_notification/msdyn_theme"
    assert changes[0]["detail"] == f"unread {where} '509180000' -> '509180001'"


def test_an_unread_column_of_a_row_the_component_owns_is_the_component_s(tmp_path: Path) -> None:
    """A template parameter's row belongs to its tab template; a column added to it (one
    no export has yet) shows on the template."""
    old = _export(tmp_path, "old.zip", [])
    added = b"<statecode>0</statecode>\n  <msdyn_newcolumn>x</msdyn_newcolumn>"
    new = _export(tmp_path, "new.zip", [(PARAMETER, b"<statecode>0</statecode>", added)])
    code, changes = _diff(old, new)
    assert code == 1
    assert [(c["kind"], c["name"], c["detail"]) for c in changes] == [
        (
            "tab template",
            "extn_case_tab",
            "unread msdyn_templateparameter extn_case_tab_data/msdyn_newcolumn none -> 'x'",
        )
    ]


CLS = "ColumnLevelSecuritySampleSolution.zip"
ROLE = "Column-level security sample role"


def test_an_unread_element_or_attribute_of_a_role_is_a_difference(tmp_path: Path) -> None:
    """Element readers record what they consume the same way (`read/unread.Reading`): a role's
    child element and a privilege's attribute the model has no field for show in diff."""
    old = _export(tmp_path, "old.zip", [], CLS)
    new = _export(
        tmp_path,
        "new.zip",
        [
            ("customizations.xml", b"<IsAutoAssigned>0<", b"<IsAutoAssigned>1<"),
            (
                "customizations.xml",
                b'name="prvReadPluginType" level="Global"',
                b'name="prvReadPluginType" level="Global" isinherited="1"',
            ),
        ],
        CLS,
    )
    code, changes = _diff(old, new)
    assert code == 1
    assert [(c["kind"], c["name"], c["detail"]) for c in changes] == [
        (
            "role",
            ROLE,
            "unread IsAutoAssigned '0' -> '1'; "
            "RolePrivileges/RolePrivilege[prvReadPluginType]/@isinherited none -> '1'",
        )
    ]


def test_an_unread_element_of_a_web_resource_is_a_difference(tmp_path: Path) -> None:
    old = _export(tmp_path, "old.zip", [])
    tail = b"</IsHidden>\r\n      <FileName>/WebResources/extn_samplevnb_cif_signalr_html"
    edit = ("customizations.xml", b"<IsHidden>0" + tail, b"<IsHidden>1" + tail)
    code, changes = _diff(old, _export(tmp_path, "new.zip", [edit]))
    assert code == 1
    assert [(c["kind"], c["name"], c["detail"]) for c in changes] == [
        ("web resource", "extn_sample/vnb_cif_signalr_html", "unread IsHidden '0' -> '1'")
    ]


def test_an_unread_element_of_a_global_choice_is_a_difference(tmp_path: Path) -> None:
    export = "UseronbaordingAgent_1_0_0_14_managed.zip"
    head = b'<optionset Name="cr472_requeststaus" localizedName="RequestStaus">\r\n'
    head += b"      <OptionSetType>picklist</OptionSetType>\r\n      <IsGlobal>1</IsGlobal>\r\n"
    version = b"      <IntroducedVersion>1.0.0.6<"
    edit = ("customizations.xml", head + version, head + version.replace(b"6<", b"7<"))
    old = _export(tmp_path, "old.zip", [], export)
    code, changes = _diff(old, _export(tmp_path, "new.zip", [edit], export))
    assert code == 1
    assert [(c["kind"], c["name"], c["detail"]) for c in changes] == [
        ("global choice", "cr472_requeststaus", "unread IntroducedVersion '1.0.0.6' -> '1.0.0.7'")
    ]


def test_unread_parts_of_an_app_and_its_site_map_are_a_difference(tmp_path: Path) -> None:
    export = "SalesOrderProcessingAutomation_1_0_0_6_managed.zip"
    edits = [
        ("customizations.xml", b"<FormFactor>1<", b"<FormFactor>2<"),
        ("customizations.xml", b"<ShowPinned>True<", b"<ShowPinned>False<"),
    ]
    old = _export(tmp_path, "old.zip", [], export)
    code, changes = _diff(old, _export(tmp_path, "new.zip", edits, export))
    assert code == 1
    assert [(c["kind"], c["name"], c["detail"]) for c in changes] == [
        (
            "app",
            "aipod_SalesOrderAgentApp",
            "unread AppModuleSiteMap/ShowPinned 'True' -> 'False'; FormFactor '1' -> '2'",
        )
    ]


COMMAND = "enreach.systemuser.UpdateEnreachUserIds"


def _built_export(tmp: Path, name: str, edits: list[tuple[bytes, bytes]]) -> Path:
    """Our Voice solution built managed (the corpora hold no command nor any table of ours)
    as an export, with `edits` ((text, replacement), each found once) made to its
    customizations.xml."""
    zips = build_solutions(SOURCES, managed=True, unmanaged=False)
    built = next(data for name, data in zips.items() if "Multisession" not in name)
    entries = zip_entries(built)
    for old, new in edits:
        assert entries["customizations.xml"].count(old) == 1, old
        entries["customizations.xml"] = entries["customizations.xml"].replace(old, new)
    out = tmp / name
    out.write_bytes(zip_bytes(entries))
    return out


def test_unread_parts_of_a_command_are_a_difference(tmp_path: Path) -> None:
    """A command is read from four ribbon elements (its CustomAction, CommandDefinition,
    enable rule and LocLabels): a part of them its reader skips shows in diff."""
    edits = [
        (b'TemplateAlias="o1"', b'TemplateAlias="o2"'),
        (
            b'<CrmParameter Value="SelectedControl" />',
            b'<CrmParameter Value="SelectedControlAll" />',
        ),
        (
            b'FunctionName="Enreach.UserCommands.isCurrentApp" Default="false"',
            b'FunctionName="Enreach.UserCommands.isCurrentApp" Default="true"',
        ),
    ]
    old = _built_export(tmp_path, "old.zip", [])
    code, changes = _diff(old, _built_export(tmp_path, "new.zip", edits))
    assert code == 1
    parameter = "CommandDefinition/Actions/JavaScriptFunction/CrmParameter"
    assert [(c["kind"], c["name"], c["detail"]) for c in changes] == [
        (
            "command",
            COMMAND,
            f"unread {parameter} '<CrmParameter Value=\"SelectedControl\"></CrmParameter>' -> "
            "'<CrmParameter Value=\"SelectedControlAll\"></CrmParameter>'; "
            "CustomAction/CommandUIDefinition/Button/@TemplateAlias 'o1' -> 'o2'; "
            "EnableRule/CustomRule/@Default 'false' -> 'true'",
        )
    ]


def test_unpack_and_build_carry_a_command_s_remainder_through(tmp_path: Path) -> None:
    """The render does not write the edited button, so unpack keeps its entity as exported
    (UNP010) and the rebuilt zip reads back with the same remainder."""
    export = _built_export(tmp_path, "export.zip", [(b'TemplateAlias="o1"', b'TemplateAlias="o2"')])
    assert run_cli("unpack", str(export), "--out", str(tmp_path / "src")).exit_code == 0
    built = run_cli(
        "build", "solution", "--src", str(tmp_path / "src"), "--managed", "--out", str(tmp_path)
    )
    assert built.exit_code == 0, built.output
    [rebuilt] = [p for p in tmp_path.glob("*.zip") if p.name != "export.zip"]
    before, after = read_solution_zip(export), read_solution_zip(rebuilt)
    [command] = before.commands
    alias = Unread("CustomAction/CommandUIDefinition/Button/@TemplateAlias", "o2")
    assert alias in command.remainder.parts
    assert _remainders(before) == _remainders(after)
    assert not diff_projects(before, after).different


def test_stamp_columns_are_no_difference(tmp_path: Path) -> None:
    old = _export(tmp_path, "old.zip", [])
    stamped = (
        THEME + b"<modifiedon>2024-06-04T00:17:00Z</modifiedon><versionnumber>9</versionnumber>"
    )
    new = _export(tmp_path, "new.zip", [(NOTIFICATION, THEME, stamped)])
    assert _diff(old, new) == (0, [])


def test_sources_against_a_zip_leave_remainders_out(tmp_path: Path) -> None:
    """Sources hold no remainder: compared with a zip, only what the model holds counts."""
    zips = build_solutions(SOURCES, managed=True, unmanaged=False)
    built = next(data for name, data in zips.items() if "Multisession" not in name)
    entries = zip_entries(built)
    row = (
        "environmentvariabledefinitions/enreach_EnreachApiBaseUrl/environmentvariabledefinition.xml"
    )
    assert entries[row].count(b"<secretstore>0</secretstore>") == 1
    entries[row] = entries[row].replace(b"<secretstore>0<", b"<secretstore>1<")
    (tmp_path / "built.zip").write_bytes(built)
    (tmp_path / "edited.zip").write_bytes(zip_bytes(entries))
    code, changes = _diff(tmp_path / "built.zip", tmp_path / "edited.zip")
    assert (code, [c["name"] for c in changes]) == (1, ["enreach_EnreachApiBaseUrl"])
    result = run_cli("diff", str(SOURCES), str(tmp_path / "edited.zip"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "nor what voicepkg does not read of a component" in result.output


def _remainders(project: Project) -> dict[tuple[str, str], Remainder]:
    return {
        (kind.label, kind.name(c)): c.remainder
        for kind in KINDS
        if holds_remainder(kind.model)
        for c in getattr(project, kind.field)
    }


def test_unpack_and_build_carry_the_remainder_through(tmp_path: Path) -> None:
    edits = [
        (
            NOTIFICATION,
            THEME,
            THEME.replace(b"0<", b"1<") + b"<msdyn_newcolumn>x</msdyn_newcolumn>",
        ),
        (PARAMETER, b"<statecode>0</statecode>", b"<statecode>1</statecode>"),
    ]
    export = _export(tmp_path, "export.zip", edits)
    assert run_cli("unpack", str(export), "--out", str(tmp_path / "src")).exit_code == 0
    built = run_cli(
        "build", "solution", "--src", str(tmp_path / "src"), "--unmanaged", "--out", str(tmp_path)
    )
    assert built.exit_code == 0, built.output
    [rebuilt] = [p for p in tmp_path.glob("*.zip") if p.name != "export.zip"]
    before, after = read_solution_zip(export), read_solution_zip(rebuilt)
    assert _remainders(before) == _remainders(after)
    assert any(r for r in _remainders(before).values())
    assert not diff_projects(before, after).different


DATA = b"""<entities><entity name="enreach_setting"><records>
<record id="e5be7a8a-9ddd-5d75-afb9-c19b0bcaabe1">
<field name="enreach_name" value="CallbackRequestDefaultSubject"/>
<field name="enreach_category" value="105230001"/><field name="enreach_datatype" value="105230000"/>
<field name="enreach_defaultvalue" value="Callback request"/><field name="enreach_value" value="x"/>
<field name="enreach_settingid" value="e5be7a8a-9ddd-5d75-afb9-c19b0bcaabe1"/>
<field name="statecode" value="0"/>%s
</record></records></entity></entities>"""


def test_configuration_data_rows_keep_what_read_leaves_unread() -> None:
    project = load_project(SOURCES)

    def read(extra: bytes) -> Project:
        return with_config_data(project, {"data.xml": DATA % extra})

    plain = read(b"")
    [setting] = plain.settings
    assert [(u.where.rsplit("/", 1)[1], u.content) for u in setting.remainder.parts] == [
        ("statecode", "0")
    ]
    assert not diff_projects(plain, read(b'<field name="modifiedon" value="2024-01-01"/>')).changes
    [change] = diff_projects(plain, read(b'<field name="enreach_new" value="1"/>')).changes
    assert (change.kind, change.name) == ("setting", "CallbackRequestDefaultSubject")
    assert change.detail.endswith("/enreach_new none -> '1'")


# --- tables, forms and views: their remainders are found when diff asks (read/kept.py) ---

SAVED_QUERY = b"{aee13740-692d-4a11-b824-b54e23ff7b37}</savedqueryid>"
CARD_CELL = b'id="{38f4f8eb-539b-4efe-914e-5102854751a4}"'
NAME_COLUMN = b'<attribute PhysicalName="sample_Name">'


def _after(anchor: bytes, old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    """An edit of customizations.xml: the first `old` after `anchor` (found once) made `new`."""

    def edit(data: bytes) -> bytes:
        assert data.count(anchor) == 1, anchor
        at = data.index(old, data.index(anchor))
        return data[:at] + new + data[at + len(old) :]

    return edit


def _cls(tmp: Path, name: str, *edits: Callable[[bytes], bytes]) -> Path:
    """The column-level security sample (a table with forms and views) with `edits` made."""
    entries = zip_entries(need_shared(CORPUS2 / "zips" / CLS).read_bytes())
    for edit in edits:
        entries["customizations.xml"] = edit(entries["customizations.xml"])
    out = tmp / name
    out.write_bytes(zip_bytes(entries))
    return out


def _changes(tmp: Path, *edits: Callable[[bytes], bytes]) -> list[tuple[str, str, str]]:
    code, changes = _diff(_cls(tmp, "old.zip"), _cls(tmp, "new.zip", *edits))
    assert code == (1 if changes else 0)
    return [(c["kind"], c["name"], c["detail"]) for c in changes]


COLUMN = "EntityInfo/entity/attributes/attribute[sample_Name]"


def test_an_unread_element_of_a_table_or_of_its_column_is_a_difference(tmp_path: Path) -> None:
    """A column's element the reader skips, alone (the other columns and the rest of the
    entity the same bytes) and beside a change of the entity's own."""
    column = _after(NAME_COLUMN, b"<ImeMode>auto<", b"<ImeMode>active<")
    entity = _after(b"<EntityHelpUrlEnabled>", b">0<", b">1<")
    assert _changes(tmp_path, column) == [
        ("table", "sample_example", f"unread {COLUMN}/ImeMode 'auto' -> 'active'")
    ]
    assert _changes(tmp_path, column, entity) == [
        (
            "table",
            "sample_example",
            "unread EntityInfo/entity/EntityHelpUrlEnabled '0' -> '1'; "
            f"{COLUMN}/ImeMode 'auto' -> 'active'",
        )
    ]


def test_what_the_table_reader_reads_is_no_unread_difference(tmp_path: Path) -> None:
    """A column's MaxLength is the model's (max_length): diff says so once, as a field."""
    edit = _after(NAME_COLUMN, b"<MaxLength>100<", b"<MaxLength>90<")
    [(kind, name, detail)] = _changes(tmp_path, edit)
    assert (kind, name) == ("column", "sample_name")
    assert "unread" not in detail and "100 -> 90" in detail


def test_an_unread_attribute_of_a_form_is_a_difference(tmp_path: Path) -> None:
    edit = _after(CARD_CELL, b'locklevel="0"', b'locklevel="1"')
    cell = (
        "form/tabs/tab[general]/columns/column[2]/sections/section[CardHeader]/rows/row/"
        "cell[{38f4f8eb-539b-4efe-914e-5102854751a4}]"
    )
    assert _changes(tmp_path, edit) == [
        ("form", "sample_example/card/Information", f"unread {cell}/@locklevel '0' -> '1'")
    ]


def test_unread_parts_of_a_view_are_a_difference(tmp_path: Path) -> None:
    """The grid's own attributes and the fetch's attribute list: the model holds neither."""
    edits = [
        _after(SAVED_QUERY, b'preview="1"', b'preview="0"'),
        _after(SAVED_QUERY, b'<attribute name="createdon" />', b'<attribute name="ownerid" />'),
    ]
    entity = "fetchxml/fetch/entity"
    assert _changes(tmp_path, *edits) == [
        (
            "view",
            "sample_example/Active Example table records",
            f"unread {entity}/attribute[createdon]/@name 'createdon' -> none; "
            f"{entity}/attribute[ownerid]/@name none -> 'ownerid'; "
            "layoutxml/grid/@preview '1' -> '0'",
        )
    ]
