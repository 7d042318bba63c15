"""The fake Dataverse is strict about the documented contract; if it were lenient, the deploy
tests would prove nothing. Raw httpx requests here, not deploy's transport."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

import httpx
import pytest
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import TOKEN
from fakes.packages import Spec, base_zip

HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "OData-Version": "4.0",
    "OData-MaxVersion": "4.0",
    "Accept": "application/json",
}


@pytest.fixture
def api(fake):  # noqa: ANN001, ANN201
    with httpx.Client(base_url=fake.url + "/api/data/v9.2/", headers=HEADERS) as client:
        yield client


def code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


def import_body(**extra: Any) -> dict[str, Any]:
    return {
        "OverwriteUnmanagedCustomizations": False,
        "PublishWorkflows": True,
        "CustomizationFile": base64.b64encode(base_zip(Spec())).decode(),
        "ImportJobId": str(uuid.uuid4()),
    } | extra


def test_the_required_headers_are_enforced(api) -> None:
    assert api.get("solutions").status_code == 200
    assert api.get("solutions", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert api.get("solutions", headers={"OData-Version": "3.0"}).status_code == 400
    assert api.get("solutions", headers={"Accept": "text/html"}).status_code == 406
    response = api.post("PublishAllXml", content=b"{}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_unknown_routes_and_the_sync_import_are_404(api, fake) -> None:
    assert api.get("nosuchtable").status_code == 404
    assert api.post("ImportSolution", json=import_body()).status_code == 404
    assert httpx.get(fake.url + "/other/path", headers=HEADERS).status_code == 404


def test_queries_accept_only_known_columns_and_supported_filters(api) -> None:
    assert api.get("solutions", params={"$select": "uniquename,nosuch"}).status_code == 400
    assert api.get("solutions", params={"$filter": "contains(uniquename,'x')"}).status_code == 400
    assert api.get("solutions", params={"$orderby": "uniquename"}).status_code == 400
    assert api.get("solutions", params={"$filter": "uniquename eq A"}).status_code == 400


def test_action_parameters_are_checked_by_name_and_type(api) -> None:
    assert code(api.post("ImportSolutionAsync", json=import_body(Overwrite=True))) == ("0x80060888")
    missing = import_body()
    del missing["PublishWorkflows"]
    assert api.post("ImportSolutionAsync", json=missing).status_code == 400
    assert (
        api.post("ImportSolutionAsync", json=import_body(HoldingSolution="yes")).status_code == 400
    )
    assert (
        api.post("StageAndUpgradeAsync", json=import_body(HoldingSolution=False)).status_code == 400
    )
    assert (
        api.post(
            "ImportSolutionAsync",
            json=import_body(ComponentParameters=[{"schemaname": "x", "value": "y"}]),
        ).status_code
        == 400
    )


def test_an_import_job_id_cannot_be_used_twice(api) -> None:
    body = import_body()
    first = api.post("ImportSolutionAsync", json=body)
    assert first.status_code == 200 and set(first.json()) >= {"AsyncOperationId", "ImportJobKey"}
    assert api.post("ImportSolutionAsync", json=body).status_code in (400, 429)


def test_the_service_names_the_import_job_and_ignores_a_client_import_job_id(api, fake) -> None:
    body = import_body()
    answer = api.post("ImportSolutionAsync", json=body)
    assert answer.status_code == 200
    key = answer.json()["ImportJobKey"]
    assert key != body["ImportJobId"] and re.fullmatch(r"[0-9a-f-]{36}", key)
    assert api.get(f"importjobs({body['ImportJobId']})").status_code == 404
    assert api.get(f"importjobs({key})").json()["solutionname"] == "VoiceForD365"
    fake.hold = True  # the first import keeps running
    again = api.post("ImportSolutionAsync", json=import_body(ImportJobId=body["ImportJobId"]))
    assert again.status_code == 429 and again.json()["error"]["code"] == "0x80071151"  # busy


def test_an_async_operation_progresses_as_it_is_polled(api, fake) -> None:
    fake.polls_to_finish = 3
    body = import_body()
    answer = api.post("ImportSolutionAsync", json=body).json()
    operation = answer["AsyncOperationId"]
    states = [api.get(f"asyncoperations({operation})").json()["statecode"] for _ in range(3)]
    assert states == [2, 2, 3]
    job = api.get(
        f"importjobs({answer['ImportJobKey']})", params={"$select": "progress,completedon,data"}
    ).json()
    assert job["completedon"] and 'result="success"' in job["data"]


def test_a_second_import_meets_the_customization_lock(api) -> None:
    api.post("ImportSolutionAsync", json=import_body())
    second = api.post("ImportSolutionAsync", json=import_body())
    assert second.status_code == 429 and code(second) == "0x80071151"
    assert "Retry-After" not in second.headers


def test_writes_accept_only_known_columns_of_the_right_type(api, fake) -> None:
    fake.add_tables("enreach_setting")
    key = str(uuid.uuid4())
    assert api.patch(f"enreach_settings({key})", json={"enreach_nosuch": "x"}).status_code == 400
    assert api.patch(f"enreach_settings({key})", json={"enreach_category": "1"}).status_code == 400
    assert (
        api.patch(
            f"enreach_settings({key})", json={"enreach_name": "A"}, headers={"If-Match": "*"}
        ).status_code
        == 404
    )
    assert api.patch(f"enreach_settings({key})", json={"enreach_name": "A"}).status_code == 204
    other = str(uuid.uuid4())
    duplicate = api.patch(f"enreach_settings({other})", json={"enreach_name": "a"})
    assert duplicate.status_code == 412


def test_a_table_that_does_not_exist_cannot_be_read_or_written(api) -> None:
    assert api.get("enreach_settings").status_code == 404
    assert api.patch(f"enreach_settings({uuid.uuid4()})", json={}).status_code == 404


def batch(body: str, boundary: str = "batch_x") -> tuple[dict[str, str], bytes]:
    return (
        {"Content-Type": f"multipart/mixed; boundary={boundary}"},
        body.replace("\n", "\r\n").encode(),
    )


OPERATION = (
    "--changeset_y\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n"
    "Content-ID: {n}\n\nPATCH /api/data/v9.2/enreach_settings({id}) HTTP/1.1\n"
    'Content-Type: application/json\n\n{{"enreach_name": "{name}"}}\n'
)


def changeset(operations: str) -> str:
    return (
        f"--batch_x\nContent-Type: multipart/mixed; boundary=changeset_y\n\n{operations}"
        "--changeset_y--\n\n--batch_x--\n"
    )


def test_batch_runs_a_change_set_atomically(api, fake) -> None:
    fake.add_tables("enreach_setting")
    ok = OPERATION.format(n=1, id=uuid.uuid4(), name="A")
    bad = OPERATION.format(n=2, id=uuid.uuid4(), name="a")  # same alternate key
    headers, body = batch(changeset(ok + bad))
    response = api.post("$batch", content=body, headers=headers)
    assert response.status_code == 400 and "412" in response.text  # as Dataverse: 400, multipart
    assert response.headers["content-type"].startswith("multipart/mixed")
    assert fake.settings() == {}
    headers, body = batch(changeset(ok))
    assert "204 No Content" in api.post("$batch", content=body, headers=headers).text
    assert set(fake.settings()) == {"A"}


def test_batch_format_is_enforced(api, fake) -> None:
    fake.add_tables("enreach_setting")
    one = changeset(OPERATION.format(n=1, id=uuid.uuid4(), name="A"))
    headers, body = batch(one)
    assert (
        api.post("$batch", content=body.replace(b"\r\n", b"\n"), headers=headers).status_code == 400
    )
    assert (
        api.post("$batch", content=body, headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    no_id = one.replace("Content-ID: 1\n", "")
    headers, body = batch(no_id)
    assert api.post("$batch", content=body, headers=headers).status_code == 400
    many = changeset(
        "".join(OPERATION.format(n=i, id=uuid.uuid4(), name=f"S{i}") for i in range(1, 1002))
    )
    headers, body = batch(many)
    assert api.post("$batch", content=body, headers=headers).status_code == 400


# --- virtual tables: definitions, data sources, PublishXml ----------------------------------

DEFINITION = "EntityDefinitions(LogicalName='enreach_callbacklist')"


@pytest.fixture
def virtual(api, fake):  # noqa: ANN001, ANN201
    """The fake with the virtual table imported, the definition read back, a data source."""
    fake.install(base_zip(Spec()))
    source = str(uuid.uuid4())
    created = api.patch(
        f"msdyn_odatav4ds({source})", json={"msdyn_name": "S", "msdyn_uri": "https://x.example"}
    )
    assert created.status_code == 204
    body = {k: v for k, v in api.get(DEFINITION).json().items() if not k.startswith("@")}
    provider = next(
        p["entitydataproviderid"]
        for p in api.get("entitydataproviders").json()["value"]
        if p["datasourcelogicalname"] == "msdyn_odatav4ds"
    )
    body |= {
        "@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata",
        "DataProviderId": provider,
        "DataSourceId": source,
    }
    return body


MERGE = {"MSCRM.MergeLabels": "true"}


def test_a_whole_definition_with_a_real_provider_and_source_is_accepted(api, virtual) -> None:
    assert api.put(DEFINITION, json=virtual, headers=MERGE).status_code == 204
    assert (
        api.get(DEFINITION, params={"$select": "DataSourceId"}).json()["DataSourceId"]
        == virtual["DataSourceId"]
    )


@pytest.mark.parametrize(
    "change, headers",
    [
        ({}, {}),  # no MSCRM.MergeLabels: other languages' labels would be lost
        ({"@odata.type": None}, MERGE),
        ({"Attributes": []}, MERGE),  # related data goes separately
        ({"LogicalName": "other"}, MERGE),
        ({"DataSourceId": str(uuid.uuid4())}, MERGE),  # no such data source
        ({"DataProviderId": str(uuid.uuid4())}, MERGE),  # no such provider
        ({"DataProviderId": "7015a531-cc0d-4537-b5f2-c882a1eb65ad"}, MERGE),  # placeholder + source
    ],
)
def test_a_wrong_definition_put_is_refused(api, virtual, change, headers) -> None:  # noqa: ANN001
    assert api.put(DEFINITION, json=virtual | change, headers=headers).status_code == 400


def test_a_put_leaving_a_property_out_is_refused(api, virtual) -> None:  # noqa: ANN001
    partial = {k: v for k, v in virtual.items() if k != "DisplayName"}
    assert api.put(DEFINITION, json=partial, headers=MERGE).status_code == 400


def test_a_standard_table_keeps_no_provider(api, fake) -> None:  # noqa: ANN001
    body = {
        k: v
        for k, v in api.get("EntityDefinitions(LogicalName='phonecall')").json().items()
        if not k.startswith("@")
    } | {"@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata"}
    assert (
        api.put("EntityDefinitions(LogicalName='phonecall')", json=body, headers=MERGE).status_code
        == 204
    )
    body["DataProviderId"] = str(uuid.uuid4())
    assert (
        api.put("EntityDefinitions(LogicalName='phonecall')", json=body, headers=MERGE).status_code
        == 400
    )


def test_data_sources_need_name_and_url_and_documented_columns(api) -> None:
    key = f"msdyn_odatav4ds({uuid.uuid4()})"
    assert api.patch(key, json={"msdyn_name": "S"}).status_code == 400
    assert (
        api.patch(
            key, json={"msdyn_name": "S", "msdyn_uri": "https://x", "msdyn_requestparameters": "x"}
        ).status_code
        == 400
    )
    assert (
        api.patch(
            key, json={"msdyn_name": "S", "msdyn_uri": "https://x", "msdyn_timeout": 500}
        ).status_code
        == 400
    )
    assert api.patch(key, json={"msdyn_name": "S", "msdyn_uri": "https://x"}).status_code == 204


def test_publish_xml_takes_one_parameter_xml_naming_tables(api, fake) -> None:  # noqa: ANN001
    good = "<importexportxml><entities><entity>phonecall</entity></entities></importexportxml>"
    assert api.post("PublishXml", json={"ParameterXml": good}).status_code == 204
    assert api.post("PublishXml", json={"Xml": good}).status_code == 400
    assert api.post("PublishXml", json={"ParameterXml": "<x/>"}).status_code == 400
    assert fake.published == [["phonecall"]]
