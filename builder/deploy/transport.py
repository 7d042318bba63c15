"""The one sender of Web API requests: headers, retries, errors that keep Dataverse's code.

Retries: 429 waits for Retry-After (seconds or an HTTP-date; exponential backoff with jitter
when absent) and is retried for any request, since the server did not act on it; 5xx and
lost connections are retried for idempotent requests with bounded backoff; a request that
is not idempotent (an import) raises `Ambiguous` instead, and the caller reconciles (did the
job start?). The customization lock ("another import is running") raises `Busy`. Every wait
respects the deadline. 401 gets one retry with a fresh token.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import BuildError, diagnostic
from .clock import Clock
from .secrets import mask
from .webapi import API_PATH, Request, error_code, is_lock_error

TokenSource = Callable[[], str]
RETRY_STATUS = frozenset({408, 425, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 10  # for 5xx and lost connections (about 4 minutes of backoff)
    throttled_attempts: int = 100  # for 429 (service protection asks to keep waiting)
    base: float = 1.0
    cap: float = 60.0
    max_retry_after: float = 300.0


@dataclass
class Response:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""


class DataverseError(BuildError):
    """A request that failed for good; carries Dataverse's code and the request id."""

    kind = "failed"
    exit_status = 1

    def __init__(self, request: Request, message: str, *, status: int = 0, code: str = "",
                 request_id: str = "") -> None:
        self.request, self.status, self.code, self.request_id = request, status, code, request_id
        detail = f"{request.describe()}: {message}"
        if status:
            detail += f" (HTTP {status}{', ' + code if code else ''}"
            detail += f", request id {request_id})" if request_id else ")"
        super().__init__(diagnostic("DEP100", mask(detail), file="deploy",
                                    hint=self.hint()), exit_code=self.exit_status)

    def hint(self) -> str:
        if self.status == 401:
            return "check the credentials and that an application user exists for them"
        if self.status == 403:
            return "the application user needs the System Administrator or Customizer role"
        return "see the message from Dataverse"


class Busy(DataverseError):
    """The environment's customization lock is held (another import, publish or uninstall)."""

    kind = "busy"


class Ambiguous(DataverseError):
    """A non-idempotent request whose outcome is unknown (lost answer, 5xx)."""

    kind = "ambiguous"


class Deadline(DataverseError):
    """The time budget ran out while waiting to retry: exit 4, run again to go on."""

    kind = "deadline"
    exit_status = 4

    def hint(self) -> str:
        return "the environment is throttling or busy; run the same deploy again later"


class Transport:
    def __init__(self, env_url: str, token: TokenSource, clock: Clock, *,
                 client: httpx.Client | None = None, policy: RetryPolicy | None = None,
                 deadline: float | None = None) -> None:
        self.api_root = env_url.rstrip("/") + "/" + API_PATH
        self.token, self.clock = token, clock
        self.client = client or httpx.Client(timeout=httpx.Timeout(120.0, connect=30.0))
        self.policy = policy or RetryPolicy()
        self.deadline = deadline
        self.sent = 0  # HTTP requests put on the wire (benchmarks and tests count them)

    def close(self) -> None:
        self.client.close()

    def send(self, request: Request) -> Response:
        failures = throttled = 0
        refreshed = False
        while True:
            try:
                response = self._once(request)
            except httpx.TransportError as exc:
                failures += 1
                self._after_lost(request, exc, failures)
                continue
            if response.status == 401 and not refreshed:
                refreshed = True
                getattr(self.token, "refresh", lambda: None)()  # a token that expired mid-run
                continue
            if response.status < 400:
                return response
            code, message = error_code(response.payload)
            if is_lock_error(code, message):
                raise self._error(Busy, request, response)
            if response.status == 429:
                throttled += 1
                self._after_throttled(request, response, throttled)
                continue
            if response.status in RETRY_STATUS:
                failures += 1
                self._after_server_error(request, response, failures)
                continue
            raise self._error(DataverseError, request, response)

    def get_all(self, request: Request) -> list[dict[str, Any]]:
        """Every row of a query, following @odata.nextLink."""
        rows: list[dict[str, Any]] = []
        response = self.send(request)
        while True:
            rows += list(response.payload.get("value", []))
            link = response.payload.get("@odata.nextLink")
            if not link:
                return rows
            response = self.send(Request("GET", str(link).removeprefix(self.api_root),
                                         headers=request.headers, label=request.label))

    def _once(self, request: Request) -> Response:
        headers = {"Authorization": f"Bearer {self.token()}", "OData-Version": "4.0",
                   "OData-MaxVersion": "4.0", "Accept": "application/json"}
        headers.update(dict(request.headers))
        content = request.body
        if request.json is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            content = json.dumps(request.json).encode("utf-8")
        self.sent += 1
        raw = self.client.request(request.method, self.api_root + request.path,
                                  params=list(request.params) or None,  # keep a nextLink's query
                                  headers=headers, content=content)
        return Response(raw.status_code, _json(raw), dict(raw.headers), raw.content)

    def _after_lost(self, request: Request, exc: httpx.TransportError, failures: int) -> None:
        unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
        if not (request.idempotent or unsent):
            raise Ambiguous(request, f"the connection was lost ({type(exc).__name__}); "
                            "the server may have acted on it") from None
        if failures >= self.policy.attempts:
            raise DataverseError(request, f"gave up after {failures} lost connections "
                                 f"({type(exc).__name__}: {exc})") from None
        self._wait(request, self._backoff(failures))

    def _after_throttled(self, request: Request, response: Response, count: int) -> None:
        if count >= self.policy.throttled_attempts:
            raise self._error(DataverseError, request, response)
        delay = self._retry_after(response.headers.get("retry-after", ""))
        self._wait(request, self._backoff(count) if delay is None else delay)

    def _after_server_error(self, request: Request, response: Response, failures: int) -> None:
        if not request.idempotent:
            raise self._error(Ambiguous, request, response)
        if failures >= self.policy.attempts:
            raise self._error(DataverseError, request, response)
        self._wait(request, self._backoff(failures))

    def _backoff(self, attempt: int) -> float:
        delay = min(self.policy.cap, self.policy.base * 2.0 ** (attempt - 1))
        return float(delay * self.clock.jitter())

    def _retry_after(self, value: str) -> float | None:
        """Retry-After as seconds: an integer, or an HTTP-date measured from now."""
        value = value.strip()
        if not value:
            return None
        if value.isdigit():
            return min(float(value), self.policy.max_retry_after)
        try:
            when = email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return None
        return min(max(0.0, when - self.clock.wall()), self.policy.max_retry_after)

    def _wait(self, request: Request, seconds: float) -> None:
        if self.deadline is not None and self.clock.monotonic() + seconds > self.deadline:
            raise Deadline(request, "the time budget (--timeout) ran out while retrying")
        self.clock.sleep(seconds)

    def _error(self, kind: type[DataverseError], request: Request,
               response: Response) -> DataverseError:
        code, message = error_code(response.payload)
        text = message or response.content[:300].decode("utf-8", "replace") or "no details"
        request_id = response.headers.get("x-ms-service-request-id", "") or response.headers.get(
            "req_id", "")
        return kind(request, text, status=response.status, code=code, request_id=request_id)


def _json(raw: httpx.Response) -> Any:
    if not raw.content or "json" not in raw.headers.get("content-type", ""):
        return None
    try:
        return raw.json()
    except ValueError:
        return None
