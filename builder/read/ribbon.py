"""An entity's `RibbonDiffXml` as model `Command`s: each CustomAction with one Button whose
command runs one JavaScriptFunction of a web resource, its label and tooltip from LocLabels,
optionally limited to one app by a CustomRule. Anything else a ribbon can hold (hidden
actions, other rules or actions, tabs, groups) is named in the reasons.

A command's remainder (read/unread.py) is what its reader leaves unread of the four elements
it reads: its CustomAction, its CommandDefinition, the EnableRule that limits it to an app,
and its two LocLabels (label and tooltip).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from ..model import Command
from ..xmlio.exported import Element, child, kids, pick_label, to_int
from .unread import Reading, keep_unread

Location = Literal["grid", "form", "subgrid"]
_LOCATIONS: dict[str, Location] = {"HomepageGrid": "grid", "Form": "form", "SubGrid": "subgrid"}
_WEBRESOURCE = "$webresource:"
_LABELS = ("LabelText", "ToolTip")


@dataclass(frozen=True)
class _Ribbon:
    """A ribbon's LocLabels, CommandDefinitions and EnableRules, each by its Id."""

    labels: dict[str, Element]
    definitions: dict[str, Element]
    rules: dict[str, Element]


def read_commands(
    ribbon: Element | None, table: str, solution: str
) -> tuple[list[Command], list[str]]:
    if ribbon is None:
        return [], []
    index = _Ribbon(
        labels=_by_id(kids(child(ribbon, "LocLabels"), "LocLabel")),
        definitions=_by_id(kids(child(ribbon, "CommandDefinitions"), "CommandDefinition")),
        rules=_by_id(kids(child(child(ribbon, "RuleDefinitions"), "EnableRules"), "EnableRule")),
    )
    commands, reasons = [], _extra_parts(ribbon)
    for action in kids(child(ribbon, "CustomActions"), "CustomAction"):
        command = _command(action, index, table, solution, reasons)
        if command is not None:
            commands.append(command)
    return sorted(commands, key=lambda c: c.id), reasons


def _by_id(elements: list[Element]) -> dict[str, Element]:
    return {e.get("Id", ""): e for e in elements}


# the parts of a ribbon the model holds no command for; compiled once (every table has a ribbon)
_EXTRA_PARTS = etree.XPath(
    "./*[not(self::CustomActions or self::Templates or "
    "self::CommandDefinitions or self::RuleDefinitions or "
    "self::LocLabels)]/* | ./Templates/RibbonTemplates/* | "
    "./RuleDefinitions/TabDisplayRules/* | ./RuleDefinitions/DisplayRules/*"
)


def _extra_parts(ribbon: Element) -> list[str]:
    extra = _EXTRA_PARTS(ribbon)
    return [f"ribbon part <{e.tag}>" for e in extra if isinstance(e.tag, str)]


def _command(
    action: Element, index: _Ribbon, table: str, solution: str, reasons: list[str]
) -> Command | None:
    action_el = Reading(action, "CustomAction")
    ui = action_el.child("CommandUIDefinition")
    button = ui.child("Button") if ui is not None else None
    command_id = button.get("Command") if button is not None else ""
    location = _location(action_el.get("Location"), table)
    found = index.definitions.get(command_id) if button is not None else None
    definition = Reading(found, "CommandDefinition") if found is not None else None
    actions = definition.child("Actions") if definition is not None else None
    script = actions.child("JavaScriptFunction") if actions is not None else None
    if (
        button is None
        or location is None
        or definition is None
        or actions is None
        or script is None
        or len(actions.el) != 1
    ):
        reasons.append(f"ribbon action {action.get('Id', '')}")
        return None
    definition.get("Id")  # the command's id, as the button names it
    read = [action_el, definition]
    labels = {suffix: _label(index, f"{command_id}.{suffix}", read) for suffix in _LABELS}
    command = Command(
        id=command_id,
        table=table,
        location=location,
        label=labels["LabelText"],
        library=script.get("Library").removeprefix(_WEBRESOURCE),
        function=script.get("FunctionName"),
        tooltip="" if labels["ToolTip"] == labels["LabelText"] else labels["ToolTip"],
        icon=button.get("Image16by16").removeprefix(_WEBRESOURCE),
        sequence=to_int(action_el.get("Sequence"), 100),
        app=_app(definition, index.rules, reasons, read),
        solution=solution,
    )
    return keep_unread(command, *read)


def _label(index: _Ribbon, label_id: str, read: list[Reading]) -> str:
    """The text of the LocLabel `label_id` (its English title), "" when there is none."""
    found = index.labels.get(label_id)
    if found is None:
        return ""
    label = Reading(found, f"LocLabel[{label_id.rsplit('.', 1)[1]}]")
    read.append(label)
    label.get("Id")
    return pick_label(kids(label.whole("Titles"), "Title"))


def _location(location: str, table: str) -> Location | None:
    parts = location.split(".")
    if len(parts) < 3 or parts[0] != "Mscrm" or parts[2] != table:
        return None
    return _LOCATIONS.get(parts[1])


def _app(
    definition: Reading, rules: dict[str, Element], reasons: list[str], read: list[Reading]
) -> str:
    """The app a command is limited to: its one enable rule, a CustomRule naming the app."""
    listed = definition.child("EnableRules")
    wanted = listed.kids("EnableRule", "Id") if listed is not None else []
    if definition.el.findall("DisplayRules/DisplayRule") or len(wanted) > 1:
        reasons.append(f"rules on command {definition.el.get('Id', '')}")
    for ref in wanted[:1]:
        found = rules.get(ref.get("Id"))
        rule = Reading(found, "EnableRule") if found is not None else None
        custom = rule.child("CustomRule") if rule is not None else None
        value = custom.child("StringParameter") if custom is not None else None
        if rule is None or value is None:
            reasons.append(f"enable rule {ref.get('Id')}")
            return ""
        rule.get("Id")
        read.append(rule)
        return value.get("Value")
    return ""
