"""An entity's `RibbonDiffXml` as model `Command`s: each CustomAction with one Button whose
command runs one JavaScriptFunction of a web resource, its label and tooltip from LocLabels,
optionally limited to one app by a CustomRule. Anything else a ribbon can hold (hidden
actions, other rules or actions, tabs, groups) is named in the reasons.
"""

from __future__ import annotations

from typing import Literal

from lxml import etree

from ..model import Command
from ..xmlio.exported import Element, child, kids, pick_label, to_int

Location = Literal["grid", "form", "subgrid"]
_LOCATIONS: dict[str, Location] = {"HomepageGrid": "grid", "Form": "form", "SubGrid": "subgrid"}
_WEBRESOURCE = "$webresource:"


def read_commands(
    ribbon: Element | None, table: str, solution: str
) -> tuple[list[Command], list[str]]:
    if ribbon is None:
        return [], []
    labels = {
        loc.get("Id", ""): pick_label(kids(child(loc, "Titles"), "Title"))
        for loc in kids(child(ribbon, "LocLabels"), "LocLabel")
    }
    definitions = {
        d.get("Id", ""): d for d in kids(child(ribbon, "CommandDefinitions"), "CommandDefinition")
    }
    rules = {
        r.get("Id", ""): r
        for r in kids(child(child(ribbon, "RuleDefinitions"), "EnableRules"), "EnableRule")
    }
    commands, reasons = [], _extra_parts(ribbon)
    for action in kids(child(ribbon, "CustomActions"), "CustomAction"):
        command = _command(action, (labels, definitions, rules), table, solution, reasons)
        if command is not None:
            commands.append(command)
    return sorted(commands, key=lambda c: c.id), reasons


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
    action: Element,
    index: tuple[dict[str, str], dict[str, Element], dict[str, Element]],
    table: str,
    solution: str,
    reasons: list[str],
) -> Command | None:
    labels, definitions, rules = index
    button = action.find("CommandUIDefinition/Button")
    location = _location(action.get("Location", ""), table)
    definition = definitions.get(button.get("Command", "") if button is not None else "")
    script = definition.find("Actions/JavaScriptFunction") if definition is not None else None
    actions = definition.find("Actions") if definition is not None else None
    if button is None or location is None or script is None or actions is None or len(actions) != 1:
        reasons.append(f"ribbon action {action.get('Id', '')}")
        return None
    command_id = button.get("Command", "")
    label = labels.get(f"{command_id}.LabelText", "")
    tooltip = labels.get(f"{command_id}.ToolTip", "")
    return Command(
        id=command_id,
        table=table,
        location=location,
        label=label,
        library=script.get("Library", "").removeprefix(_WEBRESOURCE),
        function=script.get("FunctionName", ""),
        tooltip="" if tooltip == label else tooltip,
        icon=(button.get("Image16by16") or "").removeprefix(_WEBRESOURCE),
        sequence=to_int(action.get("Sequence"), 100),
        app=_app(definition, rules, reasons),
        solution=solution,
    )


def _location(location: str, table: str) -> Location | None:
    parts = location.split(".")
    if len(parts) < 3 or parts[0] != "Mscrm" or parts[2] != table:
        return None
    return _LOCATIONS.get(parts[1])


def _app(definition: Element, rules: dict[str, Element], reasons: list[str]) -> str:
    """The app a command is limited to: its one enable rule, a CustomRule naming the app."""
    wanted = definition.findall("EnableRules/EnableRule")
    if definition.findall("DisplayRules/DisplayRule") or len(wanted) > 1:
        reasons.append(f"rules on command {definition.get('Id', '')}")
    for ref in wanted[:1]:
        rule = rules.get(ref.get("Id", ""))
        value = rule.find("CustomRule/StringParameter") if rule is not None else None
        if value is None:
            reasons.append(f"enable rule {ref.get('Id', '')}")
            return ""
        return str(value.get("Value", ""))
    return ""
