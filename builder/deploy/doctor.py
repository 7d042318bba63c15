"""`voicepkg doctor`: a read-only health report of an installed environment, the checks an
administrator does by hand after installing (guide 1.4–1.5). Reads with deploy's state reader
and shares deploy's checks (checks.py); it sends GET requests only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import checks
from .checks import Finding
from .package_contents import Package
from .plan import choose_scenario, compare
from .state import HOLDING_SUFFIX, EnvState, read_state
from .transport import Transport
from .virtual import PROVIDER_NAME, SOURCE_NAME
from .webapi import Request

VOICE_ROLE = "Voice User"
GUIDE_DEPLOY = "run voicepkg deploy with the package to install it (guide 1.3)"
GUIDE_BEHIND = "run voicepkg deploy with the package to bring the environment up to its version"
GUIDE_HOLDING = (
    "a failed upgrade left {name}; run voicepkg deploy again, which applies it "
    "(DeleteAndPromoteAsync), or apply the upgrade in Power Apps > Solutions"
)
GUIDE_PROVIDER = (
    "Guide 1.5.1.1: open the Channel Integration Framework app, open the Voice channel provider "
    "record, and select which Apps and User Roles have access to it"
)
GUIDE_USER_ID = (
    "Guide 1.5.2.1: in the Voice Configurator app open Users Settings and choose Update Enreach "
    "User Ids; for a user still without one, fill in Enreach User Email on the user record with "
    "the user's Enreach Cloud email"
)
GUIDE_ENV_VARS = (
    "give them a value in the deployment settings file and run voicepkg deploy "
    "again, or set them in Power Apps > Solutions > Environment variables"
)
GUIDE_CALLBACK = (
    "Guide 1.5.4: the Callback List needs its data source; run voicepkg deploy with "
    f"enreach_EnreachApiBaseUrl set, which creates the {SOURCE_NAME} data source ({PROVIDER_NAME}) "
    "and links the table"
)


@dataclass(frozen=True)
class Report:
    environment: str
    scenario: str
    solutions: tuple[dict[str, Any], ...]
    findings: tuple[Finding, ...]

    @property
    def healthy(self) -> bool:
        return all(f.ok for f in self.findings)


def diagnose(
    transport: Transport, package: Package, requested: str, url: str, state: EnvState | None = None
) -> Report:
    """The checks; `state` when the caller has already read it (fleet status)."""
    state = state or read_state(transport, package)
    scenario, _, refusals = choose_scenario(state, package, requested)
    installed = tuple(
        {"uniquename": s.unique_name, "version": s.version, "managed": s.managed}
        for s in state.solutions
    )
    found = checks.run_checks("doctor", _checks(transport, package, state, scenario))
    found += [
        Finding("scenario", False, why.split(": ")[0], why.split(": ", 1)[-1]) for why in refusals
    ]
    return Report(url, scenario, installed, tuple(found))


def _checks(
    transport: Transport,
    package: Package,
    state: EnvState,
    scenario: str,
) -> list[Callable[[], list[Finding]]]:
    out: list[Callable[[], list[Finding]]] = [
        lambda: solutions(package, state, scenario),
        lambda: [checks.app_user(transport)],
        lambda: checks.assignee(package, _setting(state, checks.ASSIGNEE)),
        lambda: env_vars(package, state),
        lambda: callback_list(state),
    ]
    if scenario in ("cif2", "cif2-omnichannel"):
        out.append(lambda: checks.profiles(transport, package))
    if scenario == "cif1" and package.cif1_provider is not None:
        out.append(lambda: [provider(state)])
    if package.solutions and state.solution(package.solutions[0].unique_name):
        out.append(lambda: [voice_users(transport)])
    return out


def solutions(package: Package, state: EnvState, scenario: str) -> list[Finding]:
    out = []
    for solution in package.solutions:
        if solution.multisession and not scenario.startswith("cif2"):
            continue
        name = solution.unique_name
        got = state.solution(name)
        if got is None:
            out.append(Finding(f"solution {name}", False, f"{name} is not installed", GUIDE_DEPLOY))
        elif compare(got.version, solution.version) < 0:  # the environment is behind
            out.append(
                Finding(
                    f"solution {name}",
                    False,
                    f"{name} {got.version} is installed, behind the package's {solution.version}",
                    GUIDE_BEHIND,
                )
            )
        else:
            out.append(
                Finding(
                    f"solution {name}",
                    True,
                    f"{name} {got.version} is installed ("
                    f"{'managed' if got.managed else 'unmanaged'})",
                )
            )
        if state.solution(name + HOLDING_SUFFIX):
            out.append(
                Finding(
                    f"solution {name}",
                    False,
                    f"{name}{HOLDING_SUFFIX} is left over",
                    GUIDE_HOLDING.format(name=name + HOLDING_SUFFIX),
                )
            )
    return out


def _setting(state: EnvState, name: str) -> str | None:
    return next((s.value for s in state.settings or () if s.name == name), None)


def provider(state: EnvState) -> Finding:
    """The CIF 1.0 provider record with apps and roles chosen (guide 1.5.1.1)."""
    row = state.provider
    if row is None or not row.exists:
        return Finding(
            "channel provider", False, "the CIF 1.0 provider record is missing", GUIDE_DEPLOY
        )
    empty = [
        n for n, v in (("apps", row.app_selector), ("roles", row.role_selector)) if not v.strip()
    ]
    if empty:
        return Finding(
            "channel provider",
            False,
            f"the CIF 1.0 provider has no {' and '.join(empty)} selected",
            GUIDE_PROVIDER,
        )
    return Finding("channel provider", True, "the CIF 1.0 provider has apps and roles selected")


def env_vars(package: Package, state: EnvState) -> list[Finding]:
    """Every environment variable of the package has a value (set, or its default)."""
    if not package.env_vars():
        return []
    empty = sorted(
        v.schema_name
        for v in package.env_vars()
        if v.schema_name not in state.env_values and not v.default_value
    )
    if empty:
        return [
            Finding("environment variables", False, f"no value: {', '.join(empty)}", GUIDE_ENV_VARS)
        ]
    return [Finding("environment variables", True, "every environment variable has a value")]


def callback_list(state: EnvState) -> list[Finding]:
    """The virtual tables point at our data source (when the environment can tell)."""
    virtual = state.virtual
    if virtual is None:
        return []
    unlinked = sorted(
        name
        for name, link in virtual.links.items()
        if not (
            virtual.source
            and link
            and link[0]
            and link[1]
            and link[1].lower() == virtual.source.id.lower()
        )
    )
    if not virtual.source_table:
        return [Finding("callback list", False, f"no {PROVIDER_NAME} here", GUIDE_CALLBACK)]
    if unlinked:
        return [
            Finding(
                "callback list",
                False,
                f"not linked to the {SOURCE_NAME} data source: {', '.join(unlinked)}",
                GUIDE_CALLBACK,
            )
        ]
    return [Finding("callback list", True, "linked to its data source")]


def query_voice_users() -> Request:
    # every enabled interactive user with its roles; the role is picked here (few hundred rows)
    return Request(
        "GET",
        "systemusers",
        (
            ("$select", "fullname,enreach_enreachuserid"),
            ("$filter", "isdisabled eq false and applicationid eq null"),
            ("$expand", "systemuserroles_association($select=name)"),
        ),
        label="read users",
    )


def voice_users(transport: Transport) -> Finding:
    missing = sorted(
        str(u.get("fullname") or "?")
        for u in transport.get_all(query_voice_users())
        if VOICE_ROLE in {r.get("name") for r in u.get("systemuserroles_association") or []}
        and not str(u.get("enreach_enreachuserid") or "").strip()
    )
    if missing:
        return Finding(
            "enreach user ids",
            False,
            f"{len(missing)} {VOICE_ROLE} user(s) without an Enreach User Id",
            GUIDE_USER_ID,
            tuple(missing),
        )
    return Finding("enreach user ids", True, f"every {VOICE_ROLE} has an Enreach User Id")
