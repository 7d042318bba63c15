"""Web API requests built as plain data, the $batch format, and reading import logs."""

from __future__ import annotations

import base64

import pytest

from builder.deploy.batch import build_batch, chunks, parse_batch_response, split_multipart
from builder.deploy.jobs import import_failures
from builder.deploy.webapi import (
    Request,
    component_parameters,
    delete_and_promote_async,
    import_solution_async,
    is_lock_error,
    query_running_imports,
    query_solutions,
    stage_and_upgrade_async,
    upsert,
)

ROOT = "https://org.example/api/data/v9.2/"


def test_solutions_query_names_each_solution_and_its_holding_solution() -> None:
    request = query_solutions(["VoiceForD365", "O'Brien_Upgrade"])
    assert request == Request(
        "GET",
        "solutions",
        (
            ("$select", "solutionid,uniquename,friendlyname,version,ismanaged"),
            ("$filter", "uniquename eq 'VoiceForD365' or uniquename eq 'O''Brien_Upgrade'"),
        ),
        label="read installed solutions",
    )


def test_running_imports_query_filters_on_completedon() -> None:
    params = dict(query_running_imports(["A"]).params)
    assert params["$filter"] == "completedon eq null and (solutionname eq 'A')"


def test_import_body_uses_the_documented_parameter_names() -> None:
    params = component_parameters(
        {"a_Url": "https://x"}, [{"LogicalName": "a_c", "ConnectionId": "c", "ConnectorId": "/p"}]
    )
    request = import_solution_async(b"zip", params, "S")
    assert request.method == "POST" and request.path == "ImportSolutionAsync"
    assert request.idempotent is False
    assert request.json == {
        "OverwriteUnmanagedCustomizations": False,
        "PublishWorkflows": True,
        "CustomizationFile": base64.b64encode(b"zip").decode(),
        "SkipProductUpdateDependencies": False,
        "HoldingSolution": False,
        "ComponentParameters": [
            {
                "@odata.type": "Microsoft.Dynamics.CRM.environmentvariablevalue",
                "schemaname": "a_Url",
                "value": "https://x",
            },
            {
                "@odata.type": "Microsoft.Dynamics.CRM.connectionreference",
                "connectionreferencelogicalname": "a_c",
                "connectorid": "/p",
                "connectionid": "c",
            },
        ],
    }


def test_stage_and_upgrade_has_no_holding_flag_and_promote_takes_the_unique_name() -> None:
    assert "HoldingSolution" not in stage_and_upgrade_async(b"z", [], "S").json
    assert "ComponentParameters" not in stage_and_upgrade_async(b"z", [], "S").json
    assert delete_and_promote_async("S").json == {"UniqueName": "S"}


def test_upsert_adds_if_match_only_for_updates() -> None:
    assert upsert("enreach_settings", "1", {"a": 1}).headers == ()
    assert upsert("enreach_settings", "1", {"a": 1}, must_exist=True).headers == (
        ("If-Match", "*"),
    )


def test_lock_errors_are_recognised_by_code_or_message() -> None:
    assert is_lock_error("0x80071151", "")
    assert is_lock_error("-2147020463", "")
    assert is_lock_error("", "Cannot start another [Import] because there is a previous ...")
    assert not is_lock_error("0x80040217", "Does Not Exist")


# --- $batch -------------------------------------------------------------------------------------


def test_batch_is_one_change_set_with_crlf_lines_and_content_ids() -> None:
    requests = [
        upsert("enreach_settings", "1", {"enreach_value": "é"}),
        upsert("enreach_settings", "2", {"enreach_value": "2"}, must_exist=True),
    ]
    content_type, body = build_batch(requests, ROOT, "b1")
    assert content_type == "multipart/mixed; boundary=batch_b1"
    text = body.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    assert text.startswith("--batch_b1\r\nContent-Type: multipart/mixed; boundary=changeset_b1")
    assert text.endswith("--changeset_b1--\r\n\r\n--batch_b1--\r\n")
    assert "Content-ID: 1\r\n" in text and "Content-ID: 2\r\n" in text
    assert f"PATCH {ROOT}enreach_settings(2) HTTP/1.1\r\n" in text
    assert "If-Match: *\r\n" in text and '{"enreach_value": "é"}' in text


def test_batch_refuses_reads_empty_and_oversized_batches() -> None:
    with pytest.raises(ValueError):
        build_batch([query_solutions(["A"])], ROOT, "x")
    with pytest.raises(ValueError):
        build_batch([], ROOT, "x")
    many = [upsert("s", str(i), {"a": i}) for i in range(1001)]
    with pytest.raises(ValueError):
        build_batch(many, ROOT, "x")
    assert [len(c) for c in chunks(many)] == [1000, 1]


def test_batch_response_with_a_change_set_and_a_failure_is_read_in_order() -> None:
    body = (
        "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2"
        "\r\n\r\n--changesetresponse_2\r\nContent-Type: application/http\r\n"
        "Content-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\nHTTP/1.1 204 No Content"
        "\r\nOData-Version: 4.0\r\n\r\n\r\n--changesetresponse_2--\r\n--batchresponse_1\r\n"
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n"
        '{"error":{"code":"0x1","message":"bad"}}\r\n--batchresponse_1--\r\n'
    )
    parts = parse_batch_response("multipart/mixed; boundary=batchresponse_1", body.encode())
    assert [(p.status, p.content_id) for p in parts] == [(204, "1"), (400, "")]
    assert parts[1].payload == {"error": {"code": "0x1", "message": "bad"}}


def test_split_multipart_ignores_the_epilogue() -> None:
    parts = split_multipart("--b\r\nA: 1\r\n\r\nx\r\n--b--\r\nepilogue", "b")
    assert parts == [({"a": "1"}, "x")]


# --- the import log -----------------------------------------------------------------------------


def test_import_log_failures_are_named_with_their_component() -> None:
    data = (
        "<importexportxml><solutionManifests><solutionManifest><UniqueName>S</UniqueName>"
        '<result result="success" errorcode="0" errortext="" /></solutionManifest>'
        '</solutionManifests><entities><entity name="phonecall"><result result="failure" '
        'errorcode="0x80048036" errortext="missing dependency" /></entity>'
        '<entity name="account"><result result="warning" errortext="w" /></entity>'
        "</entities></importexportxml>"
    )
    assert import_failures(data, "job") == ["entity phonecall: missing dependency (0x80048036)"]
    assert import_failures("", "job") == []
    root_only = (
        '<importexportxml succeeded="failure" status="Failed"><entities /></importexportxml>'
    )
    assert import_failures(root_only, "job") == ["the import log says it failed (status Failed)"]
