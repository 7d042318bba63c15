"""An organization for configure tests: what a customer's environment holds after
`voicepkg deploy` (roles, the Voice forms, settings, the channel providers) plus its own apps,
users, teams, forms, queues and app profiles."""

from __future__ import annotations

from pathlib import Path

from .dv_config import ConfigDataverse
from .fixtures import installed
from .packages import PROVIDER_ID, Spec

APP_ID = "5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
VOICE_FORMS = {
    2: "Voice for D365 – Phone Call",
    7: "Voice for D365 – Phone Call Quick Create",
    6: "Voice for D365 – Phone Call Quick View",
}


def form_xml(*fields: str, described: dict[str, str] | None = None) -> str:
    """A main form with one tab; `described` gives a field a code component already."""
    cells = "".join(
        f'<cell id="{{c{i}}}"><control id="{f}" classid="{{4273EDBD-AC1D-40D3-9FB2-095C621B552D}}"'
        f' datafieldname="{f}"'
        + (f' uniqueid="{{u{i}}}"' if f in (described or {}) else "")
        + " /></cell>"
        for i, f in enumerate(fields)
    )
    descriptions = "".join(
        f'<controlDescription forControl="{{u{fields.index(f)}}}"><customControl formFactor="0" '
        f'name="{name}"><parameters><value>{f}</value></parameters></customControl>'
        f"</controlDescription>"
        for f, name in (described or {}).items()
    )
    return (
        '<form><tabs><tab name="general"><columns><column width="100%"><sections><section '
        f'name="s"><rows><row>{cells}</row></rows></section></sections></column></columns>'
        f"</tab></tabs>"
        + (f"<controlDescriptions>{descriptions}</controlDescriptions>" if descriptions else "")
        + "</form>"
    )


def organization(
    fake: ConfigDataverse, tmp: Path, scenario: str = "cif2", deployed: bool = False
) -> None:
    """The package installed (by `voicepkg deploy` when `deployed`, else put in place as if),
    and the customer's own things around it."""
    if not deployed:
        fake.add_tables("msdyn_ciprovider" if scenario == "cif1" else "msdyn_channelprovider")
        if scenario == "cif2-omnichannel":
            fake.add_tables("msdyn_liveworkstream")
        installed(fake, Spec(), tmp)
        fake.add_setting("DefaultCrmAssignee", "", "")
        fake.add_setting("CallDurationLimit", "10", "10")
    fake.add_tables(
        "enreach_setting",
        "enreach_callbackprofile",
        "enreach_callbacklist",
        "msdyn_appconfiguration",
    )
    if scenario == "cif1":
        fake.records["msdyn_ciproviders"][PROVIDER_ID] = {
            "msdyn_ciproviderid": PROVIDER_ID,
            "msdyn_name": "Voice for Dynamics 365",
            "msdyn_appselector": None,
            "msdyn_roleselector": None,
        }
    for role in (
        "Voice ApiUser",
        "Voice User",
        "Voice Administrator",
        "Customer Service Representative",
    ):
        fake.add_role(role)
    for kind, name in VOICE_FORMS.items():
        fake.add_form("phonecall", name, kind)
    fake.add_form("phonecall", "Phone Call", 2)
    fake.add_form("contact", "Contact", 2, form_xml("fullname", "telephone1", "mobilephone"))
    fake.add_form("account", "Account", 2, form_xml("name", "telephone1"))
    fake.add_app("msdyn_CustomerServiceHub", "Customer Service Hub")
    fake.add_app("msdyn_SalesHub", "Sales Hub")
    fake.add_app_profile("Voice agents")
    fake.add_user("Ann Agent", "ann@contoso.example", ("Voice User",))
    fake.add_user("Bob Agent", "bob@contoso.example", ("Voice User",))
    fake.add_user("Cid Lead", "cid@contoso.example", ("Customer Service Representative",))
    fake.add_team("Support team", ["cid@contoso.example"])
    fake.add_queue("Support")
    fake.add_callback_list("Support callbacks")
    fake.tenant_apps.add(APP_ID)
    fake.enreach_directory.update(
        {
            "ann@enreach.example": "enr-ann",
            "bob@contoso.example": "enr-bob",
            "api@enreach.example": "enr-api",
        }
    )


FULL_CIF2 = f"""
[application_user]
application_id = "{APP_ID}"

[cif2]
app_profiles = ["Voice agents"]
users = ["ann@contoso.example"]
teams = ["Support team"]
roles = ["Voice User"]

[phone_call_forms]
apps = ["Customer Service Hub"]

[click_to_dial]
forms = [{{table = "contact", form = "Contact"}}, {{table = "account", form = "Account"}}]

[users]
emails = {{"ann@contoso.example" = "ann@enreach.example", application_user = "api@enreach.example"}}

[call_sync]
technical_user = "application_user"

[[callback_profiles]]
name = "Support"
callback_list = "Support callbacks"
queue = "Support"
age_unit = "minutes"
age = 5
subject = "Callback request"
"""
