"""After install: the administrator's checks of the configuration guide (1.4–1.5), reported
with the guide's instruction when something is missing. They warn; they do not fail a deploy."""

from __future__ import annotations

from collections.abc import Callable

from .package import Package
from .plan import Plan
from .settings import final_value
from .state import EnvState
from .transport import DataverseError, Transport
from .webapi import query_app_users, query_channel_provider

API_ROLE = "Voice ApiUser"
GUIDE_APP_USER = (
    f"no enabled application user holds the {API_ROLE} role. Guide 1.4: in the Power Platform "
    "admin center open the environment, Settings > Users + permissions > Application users > "
    "New app user, add the app registration of guide 1.2, choose the root business unit, and "
    f"give it the {API_ROLE} security role")
GUIDE_ASSIGNEE = (
    "DefaultCrmAssignee is empty, and phone call sync does not work without it. Guide 1.5.3: in "
    "the Voice Configurator app open User Settings, find the API user, set its Enreach Cloud "
    "User Email, save, and put the Enreach User Id that appears into the DefaultCrmAssignee "
    "setting (General Settings > Phone Call Sync Settings)")
GUIDE_PROFILE = (
    "the channel provider {name} is in no app profile. Guide 1.5.1.2: in the Power Apps portal "
    "open Omnichannel for Customer Service or Customer Service workspace > App profile manager, "
    "open (or create) an app profile, Channels > Add channel providers, search \"voice\" and "
    "select Voice for Dynamics 365 by Enreach; then assign users to the profile (1.5.2.2)")


def post_install_checks(transport: Transport, plan: Plan, package: Package,
                        state: EnvState) -> list[str]:
    checks: list[Callable[[], list[str]]] = [
        lambda: _app_user(transport),
        lambda: _assignee(plan, package, state),
    ]
    if plan.scenario in ("cif2", "cif2-omnichannel"):
        checks.append(lambda: _profiles(transport, package))
    out: list[str] = []
    for check in checks:
        try:
            out += check()
        except DataverseError as error:
            out.append(f"could not run a post-install check: {error}")
    return out


def _app_user(transport: Transport) -> list[str]:
    for user in transport.get_all(query_app_users()):
        roles = {r.get("name") for r in user.get("systemuserroles_association") or []}
        if API_ROLE in roles and not user.get("isdisabled"):
            return []
    return [GUIDE_APP_USER]


def _assignee(plan: Plan, package: Package, state: EnvState) -> list[str]:
    if not any(s.name == "DefaultCrmAssignee" for s in package.settings):
        return []
    value = final_value(plan.settings, state.settings, package.settings, "DefaultCrmAssignee")
    return [] if (value or "").strip() else [GUIDE_ASSIGNEE]


def _profiles(transport: Transport, package: Package) -> list[str]:
    out = []
    for solution in package.solutions:
        for name in solution.channel_providers:
            rows = transport.get_all(query_channel_provider(name))
            if not rows or not rows[0].get("msdyn_appconfig_msdyn_channelprovider"):
                out.append(GUIDE_PROFILE.format(name=name))
    return out
