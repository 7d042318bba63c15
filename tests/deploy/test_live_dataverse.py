"""The `live` tier: the assumptions the documentation leaves open, checked against a real,
throwaway Dataverse environment. Skipped unless DATAVERSE_URL and credentials are set
(docs/deploy.md, "The live test tier"). It imports a small test solution and writes test rows:
never point it at an environment that matters.

Each test answers one open question of research/webapi-contract.md ("To verify on a live
environment"); the fake (tests/fakes) follows the answers assumed there, so a failure here
means the fake and deploy must change.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from fakes.packages import BASE, Spec, base_zip

from builder.deploy.apply import send_batch
from builder.deploy.auth import TokenProvider, choose_auth
from builder.deploy.clock import SystemClock
from builder.deploy.component_keys import NAMED_TYPES
from builder.deploy.jobs import Runner
from builder.deploy.transport import DataverseError, Transport
from builder.deploy.webapi import (
    Request,
    get_import_job,
    import_solution_async,
    query_components,
    query_solutions,
    upsert,
)
from builder.errors import BuildError

URL = os.environ.get("DATAVERSE_URL", "").rstrip("/")
pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not URL, reason="live tier: set DATAVERSE_URL and credentials (docs/deploy.md)"
    ),
]


class Quiet:
    def progress(self, label: str, percent: float) -> None:
        return

    def note(self, text: str) -> None:
        return


@pytest.fixture(scope="module")
def transport() -> Iterator[Transport]:
    try:
        spec = choose_auth(dict(os.environ))
    except BuildError as error:
        pytest.skip(f"live tier: no usable credentials ({error})")
    clock = SystemClock()
    sender = Transport(
        URL, TokenProvider(spec, URL), clock, deadline=clock.monotonic() + 3600, who=spec.who()
    )
    yield sender
    sender.close()


@pytest.fixture(scope="module")
def imported(transport: Transport) -> dict[str, str]:
    """Import the test solution once, sending an ImportJobId of our own, and follow it by the
    ImportJobKey of the answer."""
    ours = str(uuid.uuid4())
    request = import_solution_async(base_zip(Spec(version="1.0.0.1")), [], BASE)
    request = Request(
        request.method,
        request.path,
        json={**request.json, "ImportJobId": ours},
        idempotent=False,
        label=request.label,
    )
    answer = dict(transport.send(request).payload)
    runner = Runner(transport, transport.clock, transport.deadline or 0.0, 10.0, Quiet())
    runner.follow(str(answer.get("ImportJobKey") or ""), str(answer["AsyncOperationId"]), BASE)
    return {"ours": ours, "key": str(answer.get("ImportJobKey") or "")}


def test_open_question_1_the_import_job_is_found_by_import_job_key(
    transport: Transport, imported: dict[str, str]
) -> None:
    """Deploy follows ImportJobKey and sends no ImportJobId; the fake ignores a client's id."""
    assert imported["key"], "ImportSolutionAsync answered without ImportJobKey"
    job = transport.send(get_import_job(imported["key"])).payload
    assert job["solutionname"] == BASE
    if imported["key"].lower() != imported["ours"].lower():
        with pytest.raises(DataverseError) as caught:
            transport.send(get_import_job(imported["ours"]))
        assert caught.value.status == 404  # the client's id names no job (the fake's rule)


def test_open_question_2_a_failed_change_set_is_http_400_with_a_multipart_body(
    transport: Transport,
) -> None:
    """Deploy parses a failed $batch (400 + multipart) into one diagnostic per write."""
    missing = str(uuid.uuid4())
    write = upsert("solutions", missing, {"friendlyname": "never"}, must_exist=True)
    with pytest.raises(BuildError) as caught:
        send_batch(transport, [write], f"live_{uuid.uuid4().hex}")
    codes = [d.code for d in caught.value.diagnostics]
    assert codes == ["DEP044"], caught.value  # parsed per operation, not a raw HTTP error


def test_open_question_3_component_summaries_name_each_component_type(
    transport: Transport, imported: dict[str, str]
) -> None:
    """Deploy names components by msdyn_schemaname (named types) or msdyn_objectid."""
    solution = transport.get_all(query_solutions([BASE]))[0]
    rows = transport.get_all(query_components(str(solution["solutionid"])))
    named = [r for r in rows if int(r.get("msdyn_componenttype") or 0) in NAMED_TYPES]
    assert named, "no named components listed for the test solution"
    unnamed = [r for r in named if not r.get("msdyn_schemaname")]
    assert not unnamed, f"named types without msdyn_schemaname: {unnamed[:3]}"


def test_open_question_4_create_only_upsert_is_refused_when_the_row_exists(
    transport: Transport, imported: dict[str, str]
) -> None:
    """If-None-Match: * on an existing row is 412, as documented for upsert."""
    solution = transport.get_all(query_solutions([BASE]))[0]
    with pytest.raises(DataverseError) as caught:
        transport.send(
            upsert(
                "solutions",
                str(solution["solutionid"]),
                {"friendlyname": str(solution["friendlyname"])},
                must_not_exist=True,
            )
        )
    assert caught.value.status == 412
