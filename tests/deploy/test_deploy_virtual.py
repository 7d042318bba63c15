"""The Callback List virtual table gets its OData v4 data source and link after the import:
the real CLI against the fake Dataverse, plus the pure plan."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fakes.dv_metadata import ODATA_PROVIDER_ID, PLACEHOLDER
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import FakeClock, cif2, deploy, report, settings_file, warnings
from fakes.packages import Spec, write_package

from builder.deploy.virtual import (
    SOURCE_ID,
    SOURCE_NAME,
    SourceRow,
    VirtualState,
    VirtualTable,
    pick_provider,
    pick_source,
    plan_virtual,
    shown_uri,
    virtual_tables,
)
from builder.model import stable_id

TABLE = "enreach_callbacklist"
URL = "https://api.example.invalid"  # what fakes.fixtures.deploy puts in the settings file
SOURCES = "msdyn_odatav4ds"


def sources(fake) -> dict:  # noqa: ANN001
    return fake.records[SOURCES]


def link(fake) -> tuple:  # noqa: ANN001
    definition = fake.definitions[TABLE]
    return definition["DataProviderId"], definition["DataSourceId"]


def writes(fake, since: int = 0) -> list:  # noqa: ANN001
    return [
        (c.method, c.path)
        for c in fake.log[since:]
        if c.method != "GET" and "Import" not in c.path and c.path != "$batch"
    ]


def with_url(tmp: Path, url: str, name: str) -> Path:
    return settings_file(tmp, {"enreach_EnreachApiBaseUrl": url}, name)


# --- through the CLI --------------------------------------------------------------------


def test_fresh_install_creates_the_data_source_and_links_the_table(fake, package, clock) -> None:
    cif2(fake)
    result = deploy(fake, package, "--json")
    assert result.exit_code == 0, result.output
    row = sources(fake)[SOURCE_ID]
    assert (row["msdyn_name"], row["msdyn_uri"], row["msdyn_timeout"]) == (SOURCE_NAME, URL, 30)
    assert link(fake) == (ODATA_PROVIDER_ID, SOURCE_ID)
    assert fake.published == [[TABLE]] and fake.unpublished == set()
    data = report(result)["virtual_tables"]
    assert data["data_source"]["action"] == "create" and data["tables"] == {TABLE: "link"}
    assert data["linked"] == [TABLE] and data["written"] is True
    assert list(sources(fake)) == [str(stable_id("msdyn_odatav4ds", SOURCE_NAME))]


def test_the_put_sends_the_whole_definition_back_and_keeps_other_languages(
    fake, package, clock
) -> None:
    cif2(fake)
    assert deploy(fake, package).exit_code == 0
    put = fake.calls("PUT")[0]
    assert put.headers["mscrm.mergelabels"] == "true"
    assert (
        fake.calls("GET", f"EntityDefinitions(LogicalName='{TABLE}')")[0].headers["consistency"]
        == "Strong"
    )
    assert put.json["@odata.type"] == "Microsoft.Dynamics.CRM.EntityMetadata"
    languages = {
        label["LanguageCode"] for label in fake.definitions[TABLE]["DisplayName"]["LocalizedLabels"]
    }
    assert languages == {1033, 1031}
    assert fake.definitions[TABLE]["ExternalName"] == "CallbackLists"


def test_the_provider_is_looked_up_in_the_environment_not_assumed(fake, package, clock) -> None:
    cif2(fake)
    other = str(uuid.uuid4())
    for provider in fake.data_providers:
        if provider["entitydataproviderid"] == ODATA_PROVIDER_ID:
            provider["entitydataproviderid"] = other
    assert deploy(fake, package).exit_code == 0
    assert link(fake) == (other, SOURCE_ID)


def test_rerun_is_a_no_op(fake, package, clock) -> None:
    cif2(fake)
    assert deploy(fake, package).exit_code == 0
    before = len(fake.log)
    again = deploy(fake, package, "--json")
    assert again.exit_code == 0, again.output
    assert writes(fake, before) == []
    data = report(again)["virtual_tables"]
    assert data["data_source"]["action"] == "unchanged" and data["tables"] == {TABLE: "linked"}
    assert data["written"] is False
    human = deploy(fake, package)
    assert "Nothing to do" in human.stdout and "already linked" in human.stdout


def test_a_changed_url_updates_only_the_uri_and_keeps_what_an_admin_set(
    fake, tmp_path, clock
) -> None:
    cif2(fake)
    first = write_package(tmp_path, Spec(version="1.0.0.0"))
    assert deploy(fake, first, settings=with_url(tmp_path, URL, "a.json")).exit_code == 0
    sources(fake)[SOURCE_ID].update(
        msdyn_timeout=90,
        msdyn_parameter1name="x-api-key",
        msdyn_parameter1value="secret",
        msdyn_isparameter1header=True,
    )
    before = len(fake.log)
    new_url = "https://api2.example.invalid/odata/"
    result = deploy(
        fake,
        write_package(tmp_path, Spec(version="1.1.0.0")),
        "--json",
        settings=with_url(tmp_path, new_url, "b.json"),
    )
    assert result.exit_code == 0, result.output
    patch = [c for c in fake.calls("PATCH", SOURCES) if fake.log.index(c) >= before]
    assert [c.json for c in patch] == [{"msdyn_uri": new_url}]
    assert patch[0].headers["if-match"] == "*"
    row = sources(fake)[SOURCE_ID]
    assert (row["msdyn_uri"], row["msdyn_timeout"], row["msdyn_parameter1value"]) == (
        new_url,
        90,
        "secret",
    )
    assert fake.calls("PUT")[1:] == [] and link(fake) == (ODATA_PROVIDER_ID, SOURCE_ID)
    assert report(result)["virtual_tables"]["data_source"]["action"] == "update"


def test_an_environment_variable_changed_in_the_environment_moves_the_uri(
    fake, package, clock
) -> None:
    cif2(fake)
    assert deploy(fake, package).exit_code == 0
    fake.env_values["enreach_EnreachApiBaseUrl"] = "https://moved.example.invalid"
    # same version, and a settings file without the variable: the environment's value stands
    result = deploy(
        fake, package, "--json", settings=settings_file(package.parent, {}, "without-url.json")
    )
    assert result.exit_code == 0, result.output
    assert sources(fake)[SOURCE_ID]["msdyn_uri"] == "https://moved.example.invalid"


def test_no_url_value_warns_and_exits_0_without_touching_the_table(fake, tmp_path, clock) -> None:
    cif2(fake)
    package = write_package(tmp_path, Spec(required_env_vars=()))
    result = deploy(fake, package, "--json", settings=settings_file(tmp_path, {}, "none.json"))
    assert result.exit_code == 0, result.output
    data = report(result)
    assert any("enreach_EnreachApiBaseUrl has no value" in w for w in warnings(data))
    assert data["virtual_tables"]["skipped"] and data["virtual_tables"]["written"] is False
    assert sources(fake) == {} and fake.calls("PUT") == []
    assert link(fake) == (PLACEHOLDER, None)


def test_an_environment_without_the_odata_provider_is_warned_about(fake, package, clock) -> None:
    cif2(fake)
    fake.without_odata_provider()
    result = deploy(fake, package, "--json")
    assert result.exit_code == 0, result.output
    assert any("msdyn_odatav4ds" in w for w in warnings(report(result)))
    assert fake.calls("GET", SOURCES) == [] and fake.calls("PUT") == []


def test_a_data_source_an_admin_made_with_our_name_is_reused_not_duplicated(
    fake, package, clock
) -> None:
    cif2(fake)
    theirs = str(uuid.uuid4())
    sources(fake)[theirs] = {
        "msdyn_odatav4dsid": theirs,
        "msdyn_name": SOURCE_NAME,
        "msdyn_uri": "https://old.example.invalid",
        "msdyn_timeout": 15,
    }
    assert deploy(fake, package).exit_code == 0
    assert list(sources(fake)) == [theirs]
    assert (
        sources(fake)[theirs]["msdyn_uri"] == URL and sources(fake)[theirs]["msdyn_timeout"] == 15
    )
    assert link(fake) == (ODATA_PROVIDER_ID, theirs)


def test_dry_run_plans_the_data_source_and_writes_nothing(fake, package, clock) -> None:
    cif2(fake)
    result = deploy(fake, package, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f'data source "{SOURCE_NAME}" create ({URL}); {TABLE} to link' in result.output
    assert "virtual tables: not written" in result.stdout
    assert writes(fake) == []


def test_the_link_waits_out_the_customization_lock(fake, package, clock: FakeClock) -> None:
    cif2(fake)
    fake.fault("lock", "PUT", "EntityDefinitions", times=2)
    result = deploy(fake, package)
    assert result.exit_code == 0, result.output
    assert len(fake.calls("PUT")) == 3 and link(fake) == (ODATA_PROVIDER_ID, SOURCE_ID)


# --- the pure part ----------------------------------------------------------------------

TABLES = (VirtualTable(TABLE, "CallbackLists"),)
READY = VirtualState(True, "p1", None, {TABLE: None})


def test_plan_creates_with_defaults_and_links_a_table_that_is_not_there_yet() -> None:
    plan = plan_virtual(READY, TABLES, URL, True)
    assert plan is not None and plan.source_action == "create" and plan.to_link == (TABLE,)
    fields = dict(plan.fields)
    assert fields["msdyn_uri"] == URL and fields["msdyn_name"] == SOURCE_NAME
    assert not any(k.startswith("msdyn_parameter") for k in fields)  # the admin's


@pytest.mark.parametrize(
    "state, uri, known, reason",
    [
        (READY, URL, False, "defines no environment variable"),
        (VirtualState(False), URL, True, "no msdyn_odatav4ds table"),
        (VirtualState(True, "", None, {}), URL, True, "no OData v4 Data Provider"),
        (READY, "", True, "has no value"),
        (READY, "not a url", True, "not an http(s) URL"),
    ],
)
def test_plan_skips_with_a_reason(state: VirtualState, uri: str, known: bool, reason: str) -> None:
    plan = plan_virtual(state, TABLES, uri, known)
    assert plan is not None and reason in plan.skipped and not plan.writes


def test_plan_of_a_linked_table_with_the_same_uri_writes_nothing() -> None:
    state = VirtualState(True, "P1", SourceRow("s1", SOURCE_NAME, URL), {TABLE: ("p1", "{S1}")})
    plan = plan_virtual(state, TABLES, URL, True)
    assert plan is not None and not plan.writes and plan.tables == ((TABLE, "linked"),)


def test_a_package_without_virtual_tables_plans_nothing() -> None:
    assert (
        plan_virtual(READY, (), URL, True) is None and plan_virtual(None, TABLES, URL, True) is None
    )


def test_provider_and_source_are_picked_by_documented_columns() -> None:
    rows = [
        {"entitydataproviderid": "B", "name": "Other", "datasourcelogicalname": SOURCES},
        {
            "entitydataproviderid": "A",
            "name": "Virtual Connector Provider",
            "datasourcelogicalname": "msdyn_connectordatasource",
        },
        {
            "entitydataproviderid": "C",
            "name": "OData v4 Data Provider",
            "datasourcelogicalname": SOURCES,
        },
    ]
    assert pick_provider(rows) == "c" and pick_provider(rows[:2]) == "b"
    assert pick_provider([]) == "" and pick_source([]) is None
    found = pick_source(
        [{"msdyn_odatav4dsid": "X", "msdyn_name": SOURCE_NAME.upper(), "msdyn_uri": URL}]
    )
    assert found == SourceRow("x", SOURCE_NAME.upper(), URL)


def test_logs_show_the_url_without_query_or_user() -> None:
    assert shown_uri("https://u:p@fn.example.net:8443/api/odata?code=KEY") == (
        "https://fn.example.net:8443/api/odata"
    )


def test_virtual_tables_are_read_from_customizations_xml() -> None:
    xml = (
        b"<ImportExportXml><Entities><Entity><EntityInfo><entity Name='enreach_CallbackList'>"
        b"<DataProviderId>{x}</DataProviderId><ExternalName>CallbackLists</ExternalName>"
        b"</entity></EntityInfo></Entity><Entity><EntityInfo><entity Name='phonecall'/>"
        b"</EntityInfo></Entity></Entities></ImportExportXml>"
    )
    assert virtual_tables(xml, "c.xml") == (VirtualTable(TABLE, "CallbackLists"),)
    assert virtual_tables(None, "c.xml") == ()
