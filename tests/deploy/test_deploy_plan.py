"""The deploy plan is a pure function of (state, package, options, settings): unit tests."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.deploy.configdata_rows import ProviderRow, SettingRow
from builder.deploy.package_contents import EnvVarDef, Package, PackageSolution
from builder.deploy.plan import Options, compare, plan_deploy
from builder.deploy.settings import DeploymentSettings
from builder.deploy.state import (
    EnvSetting,
    EnvState,
    InstalledSolution,
    ProviderState,
    RunningImport,
)

BASE, MULTI = "VoiceForD365", "VoiceForD365Multisession"
CIF1 = frozenset({"msdyn_ciprovider"})
CIF2 = frozenset({"msdyn_channelprovider"})
KEYS = frozenset(
    {(1, "enreach_setting"), (2, "phonecall.enreach_calltype"), (61, "enreach_/profile.js")}
)
ROWS = (
    {"msdyn_componenttype": 1, "msdyn_schemaname": "enreach_Setting"},
    {
        "msdyn_componenttype": 2,
        "msdyn_schemaname": "enreach_calltype",
        "msdyn_primaryentityname": "phonecall",
    },
    {
        "msdyn_componenttype": 2,
        "msdyn_schemaname": "createdon",
        "msdyn_primaryentityname": "enreach_setting",
    },  # not the publisher's: not compared
    {"msdyn_componenttype": 61, "msdyn_schemaname": "enreach_/profile.js"},
)
API_URL = EnvVarDef("enreach_EnreachApiBaseUrl", 100000000, required=True)
PROVIDER = ProviderRow(
    "11111111-1111-1111-1111-111111111111",
    (("msdyn_label", "Voice"), ("msdyn_name", "Voice for Dynamics 365")),
)


def solution(version: str = "1.0.0.0", name: str = BASE, **kw) -> PackageSolution:  # noqa: ANN003
    kw.setdefault("components", KEYS if name == BASE else frozenset())
    kw.setdefault("channel_providers", ("enreach_voice",) if name == MULTI else ())
    return PackageSolution(
        name, version, kw.pop("managed", True), f"{name}.zip", b"", prefix="enreach", **kw
    )


def package(version: str = "1.0.0.0", **kw) -> Package:  # noqa: ANN003
    return Package(
        "test",
        (solution(version, env_vars=kw.pop("env_vars", ())), solution(version, MULTI)),
        kw.pop("settings", ()),
        kw.pop("provider", PROVIDER),
    )


def state(*installed: tuple[str, str], tables: frozenset[str] = CIF1, **kw) -> EnvState:  # noqa: ANN003
    solutions = tuple(
        InstalledSolution(n, v, kw.get("managed", True), f"id-{n}") for n, v in installed
    )
    components = kw.pop("components", {n: ROWS for n, _ in installed})
    kw.pop("managed", None)
    return EnvState("https://org.example/api/data/v9.2/", solutions, components, tables, **kw)


def steps(plan) -> list[tuple[str, str, str | None, str]]:  # noqa: ANN001
    return [(s.unique_name, s.action, s.from_version, s.to_version) for s in plan.steps]


def base_action(st_: EnvState, pkg: Package | None = None, mode: str = "auto") -> str:
    return plan_deploy(st_, pkg or package("1.1.0.0"), Options(mode=mode)).steps[0].action


# --- per solution ------------------------------------------------------------------------------


def test_not_installed_is_installed_in_every_mode() -> None:
    for mode in ("auto", "install", "update", "upgrade"):
        assert base_action(state(), mode=mode) == "install"


def test_same_version_is_skipped() -> None:
    plan = plan_deploy(state((BASE, "1.0.0.0")), package("1.0.0.0"), Options())
    assert steps(plan)[0] == (BASE, "skip", "1.0.0.0", "1.0.0.0")
    assert plan.refused is False


def test_higher_version_removing_nothing_is_an_update() -> None:
    assert base_action(state((BASE, "1.0.0.0"))) == "update"


def test_a_dropped_column_makes_an_upgrade_and_names_it() -> None:
    kept = KEYS - {(2, "phonecall.enreach_calltype")}
    pkg = Package("t", (solution("1.1.0.0", components=kept),))
    plan = plan_deploy(state((BASE, "1.0.0.0")), pkg, Options(allow_data_loss=True))
    assert plan.steps[0].action == "upgrade" and not plan.refused
    assert "column phonecall.enreach_calltype" in plan.steps[0].reason


def test_a_dropped_column_is_refused_without_consent_and_named_with_its_data() -> None:
    kept = KEYS - {(2, "phonecall.enreach_calltype")}
    pkg = Package("t", (solution("1.1.0.0", components=kept),))
    for mode in ("auto", "upgrade"):
        plan = plan_deploy(state((BASE, "1.0.0.0")), pkg, Options(mode=mode))
        assert plan.steps[0].action == "refuse" and plan.refused
        assert [str(r) for r in plan.steps[0].removed] == [
            "column phonecall.enreach_calltype (holds data)"
        ]
    kept_by_update = plan_deploy(state((BASE, "1.0.0.0")), pkg, Options(mode="update"))
    assert kept_by_update.steps[0].action == "update"  # an update deletes nothing


def test_components_that_cannot_be_listed_mean_upgrade_unless_told_update() -> None:
    unknown = state((BASE, "1.0.0.0"), components={BASE: None})
    assert base_action(unknown) == "upgrade"
    assert base_action(unknown, mode="update") == "update"


def test_mode_upgrade_and_mode_update_choose_for_an_installed_lower_version() -> None:
    assert base_action(state((BASE, "1.0.0.0")), mode="upgrade") == "upgrade"
    pkg = Package("t", (solution("1.1.0.0", components=frozenset()),))
    plan = plan_deploy(state((BASE, "1.0.0.0")), pkg, Options(mode="update"))
    assert plan.steps[0].action == "update" and "stay" in plan.steps[0].reason


def test_mode_upgrade_on_the_same_version_is_still_a_skip() -> None:
    assert base_action(state((BASE, "1.1.0.0")), mode="upgrade") == "skip"


def test_downgrade_is_refused() -> None:
    plan = plan_deploy(state((BASE, "2.0.0.0")), package("1.0.0.0"), Options())
    assert plan.steps[0].action == "refuse" and plan.refused
    assert "no downgrade" in plan.refusals[0]


def test_mode_install_refuses_an_installed_solution() -> None:
    assert base_action(state((BASE, "1.0.0.0")), mode="install") == "refuse"


@pytest.mark.parametrize("installed_managed, package_managed", [(False, True), (True, False)])
def test_managed_and_unmanaged_do_not_mix(installed_managed: bool, package_managed: bool) -> None:
    pkg = Package("t", (solution("1.1.0.0", managed=package_managed),))
    plan = plan_deploy(state((BASE, "1.0.0.0"), managed=installed_managed), pkg, Options())
    assert plan.steps[0].action == "refuse"
    assert ("unmanaged" if package_managed else "managed") in plan.steps[0].reason


def test_holding_solution_of_the_package_version_is_resumed() -> None:
    plan = plan_deploy(
        state((BASE, "1.0.0.0"), (BASE + "_Upgrade", "1.1.0.0")), package("1.1.0.0"), Options()
    )
    assert steps(plan)[0] == (BASE, "resume", "1.0.0.0", "1.1.0.0")
    assert [s.unique_name for s in plan.steps].count(BASE) == 1


def test_older_holding_solution_is_resumed_then_updated() -> None:
    plan = plan_deploy(
        state((BASE, "1.0.0.0"), (BASE + "_Upgrade", "1.1.0.0")), package("1.2.0.0"), Options()
    )
    assert steps(plan)[:2] == [
        (BASE, "resume", "1.0.0.0", "1.1.0.0"),
        (BASE, "update", "1.1.0.0", "1.2.0.0"),
    ]


def test_newer_holding_solution_or_one_without_base_is_refused() -> None:
    newer = state((BASE, "1.0.0.0"), (BASE + "_Upgrade", "3.0.0.0"))
    assert base_action(newer, package("1.1.0.0")) == "refuse"
    orphan = state((BASE + "_Upgrade", "1.1.0.0"))
    assert base_action(orphan, package("1.1.0.0")) == "refuse"


@pytest.mark.parametrize("job_solution", [BASE, BASE + "_Upgrade"])
def test_a_running_import_is_followed_not_restarted(job_solution: str) -> None:
    running = state((BASE, "1.0.0.0"), running=(RunningImport("job-1", job_solution, 40.0),))
    plan = plan_deploy(running, package("1.1.0.0"), Options())
    assert plan.steps[0].action == "wait" and plan.steps[0].job_id == "job-1"


def test_multisession_only_for_cif2_scenarios() -> None:
    cif1 = plan_deploy(state(), package(), Options())
    cif2 = plan_deploy(state(tables=CIF2), package(), Options())
    assert [s.action for s in cif1.steps] == ["install", "skip"]
    assert [s.action for s in cif2.steps] == ["install", "install"]


# --- scenario ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tables, expected",
    [
        ({"msdyn_ciprovider"}, "cif1"),
        ({"msdyn_channelprovider"}, "cif2"),
        ({"msdyn_channelprovider", "msdyn_liveworkstream"}, "cif2-omnichannel"),
        ({"msdyn_ciprovider", "msdyn_channelprovider"}, "cif2"),
    ],
)
def test_scenario_follows_the_msdyn_tables(tables: set[str], expected: str) -> None:
    assert plan_deploy(state(tables=frozenset(tables)), package(), Options()).scenario == expected


def test_both_frameworks_warn_and_an_explicit_scenario_wins() -> None:
    both = state(tables=CIF1 | CIF2)
    assert any("--scenario cif1" in w for w in plan_deploy(both, package(), Options()).warnings)
    assert plan_deploy(both, package(), Options(scenario="cif1")).scenario == "cif1"


def test_scenario_continues_what_an_earlier_deploy_chose() -> None:
    multisession = state((BASE, "1.0.0.0"), (MULTI, "1.0.0.0"), tables=CIF1 | CIF2)
    assert plan_deploy(multisession, package(), Options()).scenario == "cif2"
    provider = state((BASE, "1.0.0.0"), tables=CIF1 | CIF2, provider=ProviderState(True))
    assert plan_deploy(provider, package(), Options()).scenario == "cif1"


def test_no_framework_or_a_missing_prerequisite_is_refused() -> None:
    none = plan_deploy(state(tables=frozenset()), package(), Options())
    assert none.refused and "guide 1.1" in none.refusals[0]
    omni = plan_deploy(state(tables=CIF2), package(), Options(scenario="cif2-omnichannel"))
    assert omni.refused and "msdyn_liveworkstream" in omni.refusals[0]


# --- values, settings, provider ---------------------------------------------------------------


def test_required_variable_without_a_value_is_refused() -> None:
    plan = plan_deploy(state(), package(env_vars=(API_URL,)), Options())
    assert plan.refused and "enreach_EnreachApiBaseUrl" in plan.refusals[0]


@pytest.mark.parametrize(
    "definition, current, given",
    [
        (API_URL, {}, {"enreach_EnreachApiBaseUrl": "https://a"}),
        (API_URL, {"enreach_EnreachApiBaseUrl": "https://current"}, {}),
        (replace(API_URL, default_value="https://default"), {}, {}),
        (replace(API_URL, required=False), {}, {}),
        (replace(API_URL, packaged_value=True), {}, {}),
    ],
)
def test_a_value_from_the_file_the_environment_or_the_package_satisfies_it(
    definition: EnvVarDef, current: dict[str, str], given: dict[str, str]
) -> None:
    plan = plan_deploy(
        state(env_values=current),
        package(env_vars=(definition,)),
        Options(),
        DeploymentSettings(given),
    )
    assert not plan.refused
    assert plan.env_values[BASE] == given


def test_values_go_only_to_imports_and_unknown_entries_warn() -> None:
    given = DeploymentSettings(
        {"enreach_EnreachApiBaseUrl": "https://a", "other_Var": "x"}, source="prod.json"
    )
    same = plan_deploy(state((BASE, "1.0.0.0")), package(env_vars=(API_URL,)), Options(), given)
    assert same.env_values == {}
    assert any("other_Var is not in the package" in w for w in same.warnings)


def test_settings_merge_is_part_of_the_plan() -> None:
    rows = (SettingRow("1", "A", "1", "1"), SettingRow("2", "B", "2", "2"))
    current = (EnvSetting("x", "A", "changed", "0"),)
    plan = plan_deploy(state(settings=current), package(settings=rows), Options())
    assert [r.name for r in plan.settings.create] == ["B"] and plan.settings.kept == ("A",)


def test_provider_is_written_when_missing_or_different_and_only_for_cif1() -> None:
    assert plan_deploy(state(), package(), Options()).provider == PROVIDER
    same = ProviderState(True, "apps", "roles", dict(PROVIDER.fields))
    assert plan_deploy(state(provider=same), package(), Options()).provider is None
    older = ProviderState(True, "", "", {"msdyn_label": "Old", "msdyn_name": "x"})
    assert plan_deploy(state(provider=older), package(), Options()).provider == PROVIDER
    assert plan_deploy(state(tables=CIF2), package(), Options()).provider is None


def test_nothing_to_do_when_everything_is_in_place() -> None:
    rows = (SettingRow("1", "A", "1", "1"),)
    current = state(
        (BASE, "1.0.0.0"),
        settings=(EnvSetting("1", "A", "1", "1"),),
        provider=ProviderState(True, fields=dict(PROVIDER.fields)),
    )
    assert plan_deploy(current, package(settings=rows), Options()).nothing_to_do


# --- properties -------------------------------------------------------------------------------

versions = st.tuples(*[st.integers(0, 3)] * 4).map(lambda t: ".".join(map(str, t)))


@given(installed=versions, shipped=versions)
def test_version_order_decides_refuse_skip_or_change(installed: str, shipped: str) -> None:
    action = base_action(state((BASE, installed)), package(shipped))
    order = compare(shipped, installed)
    assert action == ("refuse" if order < 0 else "skip" if order == 0 else "update")


def test_compare_pads_short_versions() -> None:
    assert compare("1.2", "1.2.0.0") == 0 and compare("1.10", "1.9.9.9") == 1
