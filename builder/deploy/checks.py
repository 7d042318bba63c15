"""After install: the administrator's checks of the configuration guide (1.4–1.5), each a
`Finding` carrying the guide's instruction when something is missing. Deploy runs a few of them
as warnings (they do not fail a deploy); `voicepkg doctor` runs them all (doctor.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .package_contents import Package
from .plan import Plan
from .settings import final_value
from .state import EnvState
from .transport import DataverseError, Transport
from .webapi import query_app_users, query_channel_provider

API_ROLE = "Voice ApiUser"
ASSIGNEE = "DefaultCrmAssignee"
ASSIGNEE_CODE = "DV143"  # empty in the shipped package on purpose, so deploy and doctor say it
GUIDE_APP_USER = (
    "Guide 1.4: in the Power Platform admin center open the environment, Settings > Users + "
    "permissions > Application users > New app user, add the app registration of guide 1.2, "
    f"choose the root business unit, and give it the {API_ROLE} security role"
)
GUIDE_ASSIGNEE = (
    "Guide 1.5.3: in the Voice Configurator app open User Settings, find the API user, set its "
    "Enreach Cloud User Email, save, and put the Enreach User Id that appears into the "
    "DefaultCrmAssignee setting (General Settings > Phone Call Sync Settings)"
)
GUIDE_PROFILE = (
    "Guide 1.5.1.2: in the Power Apps portal open Omnichannel for Customer Service or Customer "
    "Service workspace > App profile manager, open (or create) an app profile, Channels > Add "
    'channel providers, search "voice" and select Voice for Dynamics 365 by Enreach; then '
    "assign users to the profile (1.5.2.2)"
)


@dataclass(frozen=True)
class Finding:
    """One check: `instruction` says how to fix it (the guide's words) when not `ok`."""

    name: str
    ok: bool
    message: str
    instruction: str = ""
    items: tuple[str, ...] = ()  # what is wrong, one by one (e.g. user names)
    code: str = "DEP080"  # the diagnostic a failing check becomes in the report

    def detail(self, cap: int | None = None) -> str:
        """The message with its items, at most `cap` of them named."""
        if not self.items:
            return self.message
        shown = self.items if cap is None else self.items[:cap]
        more = len(self.items) - len(shown)
        return f"{self.message}: {', '.join(shown)}" + (f" and {more} more" if more else "")

    def warning(self) -> str:
        return f"{self.message}. {self.instruction}" if self.instruction else self.message


def post_install_checks(
    transport: Transport, plan: Plan, package: Package, state: EnvState
) -> list[Finding]:
    """Deploy's after-install findings (a failing one is a warning, never a failed deploy)."""
    checks: list[Callable[[], list[Finding]]] = [
        lambda: [app_user(transport)],
        lambda: assignee(
            package, final_value(plan.settings, state.settings, package.settings, ASSIGNEE)
        ),
    ]
    if plan.scenario in ("cif2", "cif2-omnichannel"):
        checks.append(lambda: profiles(transport, package))
    return run_checks("post-install", checks)


def run_checks(name: str, checks: list[Callable[[], list[Finding]]]) -> list[Finding]:
    """Run each check; one the environment cannot answer becomes a failing finding."""
    out: list[Finding] = []
    for check in checks:
        try:
            out += check()
        except DataverseError as error:
            out.append(Finding(name, False, f"could not run a {name} check: {error}"))
    return out


def app_user(transport: Transport) -> Finding:
    for user in transport.get_all(query_app_users()):
        roles = {r.get("name") for r in user.get("systemuserroles_association") or []}
        if API_ROLE in roles and not user.get("isdisabled"):
            return Finding(
                "application user",
                True,
                f"application user {user.get('fullname') or '?'} holds {API_ROLE}",
            )
    return Finding(
        "application user",
        False,
        f"no enabled application user holds the {API_ROLE} role",
        GUIDE_APP_USER,
    )


def assignee(package: Package, value: str | None) -> list[Finding]:
    """DefaultCrmAssignee filled in (only when the package ships that setting)."""
    if not any(s.name == ASSIGNEE for s in package.settings):
        return []
    if (value or "").strip():
        return [Finding(ASSIGNEE, True, f"{ASSIGNEE} is set")]
    return [
        Finding(
            ASSIGNEE,
            False,
            f"{ASSIGNEE} is empty, and phone call sync does not work without it",
            GUIDE_ASSIGNEE,
            code=ASSIGNEE_CODE,
        )
    ]


def profiles(transport: Transport, package: Package) -> list[Finding]:
    out = []
    for solution in package.solutions:
        for name in solution.channel_providers:
            rows = transport.get_all(query_channel_provider(name))
            profile = rows[0].get("msdyn_appconfig_msdyn_channelprovider") if rows else None
            out.append(
                Finding("app profile", True, f"the channel provider {name} is in an app profile")
                if profile
                else Finding(
                    "app profile",
                    False,
                    f"the channel provider {name} is in no app profile",
                    GUIDE_PROFILE,
                )
            )
    return out
