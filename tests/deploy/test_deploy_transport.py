"""The transport against the fake over real HTTP: retries, Retry-After, lost answers, the lock,
token refresh, paging, and a storm of faults through the whole CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import TOKEN, FakeClock, cif1, deploy

from builder.deploy.transport import (
    Ambiguous,
    Busy,
    DataverseError,
    Deadline,
    RetryPolicy,
    Transport,
)
from builder.deploy.webapi import Request, publish_all, query_solutions, query_tables


class Tokens:
    def __init__(self, *tokens: str) -> None:
        self.tokens, self.refreshed = list(tokens), 0

    def __call__(self) -> str:
        return self.tokens[0]

    def refresh(self) -> None:
        self.refreshed += 1
        self.tokens.pop(0)


@pytest.fixture
def transport(fake):  # noqa: ANN001, ANN201
    sender = Transport(fake.url, lambda: TOKEN, FakeClock(), deadline=10_000.0)
    yield sender
    sender.close()


def test_429_waits_as_long_as_retry_after_says(fake, transport) -> None:
    fake.fault("429", "GET", "solutions", times=3, retry_after="7")
    assert transport.send(query_solutions(["A"])).status == 200
    assert transport.clock.sleeps == [7.0, 7.0, 7.0]


def test_429_with_an_http_date_waits_until_that_date(fake, transport) -> None:
    when = datetime.fromtimestamp(transport.clock.wall() + 42, tz=UTC)
    fake.fault("429", "GET", "solutions", retry_after=format_datetime(when, usegmt=True))
    transport.send(query_solutions(["A"]))
    assert transport.clock.sleeps == [pytest.approx(42, abs=1)]


def test_429_without_retry_after_backs_off_exponentially_up_to_a_cap(fake) -> None:
    sender = Transport(fake.url, lambda: TOKEN, FakeClock(), policy=RetryPolicy(cap=8.0))
    fake.fault("429", "GET", "solutions", times=6)
    sender.send(query_solutions(["A"]))
    assert sender.clock.sleeps == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    sender.close()


def test_even_an_import_is_resent_after_429_since_the_server_did_not_act(fake, transport) -> None:
    fake.fault("429", "POST", "PublishAllXml", retry_after="1")
    assert transport.send(publish_all()).status == 204


def test_5xx_and_dropped_connections_are_retried_for_reads(fake, transport) -> None:
    fake.fault("503", "GET", "solutions", times=2)
    fake.fault("drop_before", "GET", "solutions")
    fake.fault("drop_after", "GET", "solutions")
    assert transport.send(query_solutions(["A"])).status == 200
    assert len(transport.clock.sleeps) == 4


def test_5xx_and_lost_answers_of_an_action_are_ambiguous_not_retried(fake, transport) -> None:
    fake.fault("503", "POST", "PublishAllXml")
    with pytest.raises(Ambiguous):
        transport.send(publish_all())
    fake.fault("drop_after", "POST", "PublishAllXml")
    with pytest.raises(Ambiguous):
        transport.send(publish_all())


def test_retries_are_bounded(fake) -> None:
    sender = Transport(fake.url, lambda: TOKEN, FakeClock(), policy=RetryPolicy(attempts=3))
    fake.fault("503", "GET", "solutions", times=10)
    with pytest.raises(DataverseError) as caught:
        sender.send(query_solutions(["A"]))
    assert caught.value.status == 503 and len(sender.clock.sleeps) == 2
    sender.close()


def test_the_customization_lock_is_busy(fake, transport) -> None:
    fake.lock_refusals = 1
    with pytest.raises(Busy) as caught:
        transport.send(publish_all())
    assert caught.value.code == "0x80071151"


def test_a_wait_past_the_deadline_gives_up(fake) -> None:
    clock = FakeClock()
    sender = Transport(fake.url, lambda: TOKEN, clock, deadline=clock.now + 10)
    fake.fault("429", "GET", "solutions", retry_after="60")
    with pytest.raises(Deadline):
        sender.send(query_solutions(["A"]))
    sender.close()


def test_401_refreshes_the_token_once(fake) -> None:
    tokens = Tokens("expired-token", TOKEN)
    sender = Transport(fake.url, tokens, FakeClock())
    assert sender.send(query_solutions(["A"])).status == 200 and tokens.refreshed == 1
    sender.close()


def test_errors_carry_code_status_request_id_and_no_token(fake) -> None:
    sender = Transport(fake.url, lambda: "not-the-token-at-all", FakeClock())
    with pytest.raises(DataverseError) as caught:
        sender.send(query_solutions(["A"]))
    error = caught.value
    assert error.status == 401 and error.code == "0x80072560" and error.request_id
    assert "not-the-token-at-all" not in str(error) and "credentials" in str(error)
    sender.close()


def test_get_all_follows_next_links(fake, transport) -> None:
    fake.max_page_size = 2
    fake.add_tables("a1", "a2", "a3", "a4")
    rows = transport.get_all(query_tables(["a1", "a2", "a3", "a4", "phonecall"]))
    assert sorted(r["LogicalName"] for r in rows) == ["a1", "a2", "a3", "a4", "phonecall"]
    assert len(fake.calls("GET", "EntityDefinitions")) == 3


def test_every_request_carries_the_odata_headers(fake, transport) -> None:
    transport.send(Request("GET", "solutions"))
    headers = fake.log[-1].headers
    assert headers["odata-version"] == "4.0" and headers["odata-maxversion"] == "4.0"
    assert headers["authorization"] == f"Bearer {TOKEN}" and headers["accept"] == (
        "application/json"
    )


# --- storms through the whole CLI ---------------------------------------------------------


def test_a_storm_of_429s_503s_and_drops_still_deploys(fake, package, clock) -> None:
    cif1(fake)
    fake.fault("429", times=25, retry_after="2")
    fake.fault("503", "GET", times=4)
    fake.fault("drop_before", "GET", times=2)
    fake.fault("drop_after", "GET", times=2)
    fake.fault("503", "GET", "importjobs(", times=3)
    fake.fault("drop_after", "GET", "asyncoperations(", times=3)
    fake.fault("429", "POST", "$batch", times=3)
    result = deploy(fake, package)
    assert result.exit_code == 0, result.output
    assert all(f.times == 0 for f in fake.faults)
    assert clock.sleeps.count(2.0) >= 25
    assert len(fake.jobs) == 1 and len(fake.settings()) == 5


def test_throttling_past_the_timeout_exits_4_through_the_cli(fake, package, clock) -> None:
    cif1(fake)
    fake.fault("429", "GET", "solutions", times=100, retry_after="120")
    result = deploy(fake, package, "--timeout", "300")
    assert result.exit_code == 4 and "run the same deploy again" in result.stderr
