"""Commands as an entity's `RibbonDiffXml`: one CustomAction + Button, one CommandDefinition
calling the script function (`JavaScriptFunction Library="$webresource:..."`), LocLabels for
the label and tooltip, and rules where the command needs them.

Locations are the Unified Interface command bar groups of the table:
grid -> `Mscrm.HomepageGrid.<t>.MainTab.Management.Controls._children`,
form -> `Mscrm.Form.<t>.MainTab.Save.Controls._children`,
subgrid -> `Mscrm.SubGrid.<t>.MainTab.Management.Controls._children`.

A command limited to one app (`Command.app`) gets an EnableRule with a CustomRule that calls
`<namespace>.isCurrentApp` of the same library with the app unique name as parameter: the
9.0 ribbon schema has no declarative app rule, so the command script must define that
function (it returns whether `getGlobalContext().getCurrentAppName()` resolves to that app).
When the library does not define it the build stops (CZ050): a rule calling a missing function
would disable the button everywhere, and dropping the rule would show it in every app.
"""

from typing import NamedTuple

from ..errors import BuildError
from ..model import Command, WebResource
from .cz_common import ProjectIndex

LOCATIONS = {
    "grid": "Mscrm.HomepageGrid.{t}.MainTab.Management.Controls._children",
    "form": "Mscrm.Form.{t}.MainTab.Save.Controls._children",
    "subgrid": "Mscrm.SubGrid.{t}.MainTab.Management.Controls._children",
}
# What the function receives: the grid for list commands, the form context on forms.
PARAMETERS = {"grid": "SelectedControl", "form": "PrimaryControl", "subgrid": "SelectedControl"}


class CommandVM(NamedTuple):
    id: str
    location: str
    sequence: int
    label: str
    tooltip: str
    library: str
    function: str
    parameter: str
    icon: str  # "$webresource:..." or ""
    app_rule: str  # EnableRule id, or "" when the command shows in every app
    app: str
    app_function: str


def _namespace(function: str) -> str:
    return function.rsplit(".", 1)[0] + "." if "." in function else ""


def _app_rule(command: Command, library: WebResource) -> str:
    if not command.app:
        return ""
    function = _namespace(command.function) + "isCurrentApp"
    if b"isCurrentApp" not in library.content:
        raise BuildError.at(
            "CZ050",
            f"command {command.id} is limited to app {command.app}, but {library.name} "
            f"does not define {function}",
            file=command.src.file,
            line=command.src.line,
            hint=f"add {function}(appUniqueName) to the script (resolving to true inside that "
            "app), or drop app= from the command",
        )
    return f"{command.id}.EnableRule.App"


def command_model(command: Command, index: ProjectIndex) -> CommandVM:
    library = index.web_resource(command.library, command.src)
    icon = ""
    if command.icon:
        icon = "$webresource:" + index.web_resource(command.icon, command.src).name
    return CommandVM(
        id=command.id,
        location=LOCATIONS[command.location].format(t=command.table),
        sequence=command.sequence,
        label=command.label,
        tooltip=command.tooltip or command.label,
        library="$webresource:" + command.library,
        function=command.function,
        parameter=PARAMETERS[command.location],
        icon=icon,
        app_rule=_app_rule(command, library),
        app=command.app,
        app_function=_namespace(command.function) + "isCurrentApp",
    )
