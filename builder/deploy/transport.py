"""The one sender of Web API requests: headers, retries, errors that keep Dataverse's code.

Retries: 429 waits for Retry-After (seconds or an HTTP-date; exponential backoff with jitter
when absent) and is retried for any request, since the server did not act on it; 5xx and
lost connections are retried for idempotent requests with bounded backoff; a request that
is not idempotent (an import) raises `Ambiguous` instead, and the caller reconciles (did the
job start?). The customization lock ("another import is running") raises `Busy`. Every wait
respects the deadline. 401 gets one retry with a fresh token.

Bounds (docs/deploy.md, "Deadlines and limits"): every request has a connect deadline
(`CONNECT_SECONDS`) and a deadline for its whole answer, headers and body (`ANSWER_SECONDS`, or
`LONG_ANSWER_SECONDS` for synchronous publishing), cut short by the run's overall deadline
(`--timeout`, plus `GRACE_SECONDS` for the last reads); an answer is read up to `MAX_BODY`
bytes. A server that drips its answer, never answers, redirects, or answers 200 with something
that is not JSON is a located diagnostic with exit 1, never a hang or an internal error.
Failures that cannot heal by waiting (the host name does not resolve, TLS fails, the port is
closed before anything answered) fail at once, with their cause named.
"""

from __future__ import annotations

import email.utils
import json
import os
import queue
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import BuildError, diagnostic
from ..exits import FAILED, RUNNING
from .clock import Clock
from .secrets import mask
from .webapi import API_PATH, Request, error_code, is_lock_error

TokenSource = Callable[[], str]
RETRY_STATUS = frozenset({408, 425, 500, 502, 503, 504})
CONNECT_SECONDS = 10.0
ANSWER_SECONDS = 120.0  # the whole answer of one request: headers and body
LONG_ANSWER_SECONDS = 900.0  # PublishAllXml, PublishXml, a table definition PUT: synchronous
GRACE_SECONDS = 5.0  # a request started at or after the run's deadline still gets this long
MAX_BODY = 64 * 1024 * 1024  # bytes of one answer
LONG_PATHS = ("PublishAllXml", "PublishXml", "EntityDefinitions(")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 10  # for 5xx and lost connections (about 4 minutes of backoff)
    throttled_attempts: int = 100  # for 429 (service protection asks to keep waiting)
    base: float = 1.0
    cap: float = 60.0
    unreached_attempts: int = 3  # connection refused before anything answered: fail soon
    timeouts: int = 2  # requests whose answer did not come in time


@dataclass
class Response:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""


class DataverseError(BuildError):
    """A request that failed for good; carries Dataverse's code and the request id."""

    kind = "failed"
    exit_status = FAILED

    def __init__(
        self,
        request: Request,
        message: str,
        *,
        status: int = 0,
        code: str = "",
        request_id: str = "",
    ) -> None:
        self.request, self.status, self.code, self.request_id = request, status, code, request_id
        detail = f"{request.describe()}: {message}"
        if status:
            detail += f" (HTTP {status}{', ' + code if code else ''}"
            detail += f", request id {request_id})" if request_id else ")"
        super().__init__(
            diagnostic("DEP100", mask(detail), file="deploy", hint=self.hint()),
            exit_code=self.exit_status,
        )

    def hint(self) -> str:
        if self.status == 401:
            return "check the credentials and that an application user exists for them"
        if self.status == 403:
            return "the application user needs the System Administrator or Customizer role"
        return "see the message from Dataverse"


class Unreachable(DataverseError):
    """The environment could not be reached or did not answer properly (exit 1): the cause is
    named (DNS, refused connection, TLS, no answer in time, redirect, not JSON, too large)."""

    def __init__(self, request: Request, message: str, hint: str, code: str = "DEP101") -> None:
        self._hint = hint
        super().__init__(request, message)
        self.diagnostics = [
            diagnostic(code, d.message, file=d.file, hint=hint) for d in self.diagnostics
        ]

    def hint(self) -> str:
        return getattr(self, "_hint", "")


class TokenExpired(DataverseError):
    """A fixed DATAVERSE_TOKEN stopped working mid-run: rerun with a fresh one (exit 4)."""

    exit_status = RUNNING

    def hint(self) -> str:
        return (
            "DATAVERSE_TOKEN expired during the run; get a fresh token and run the same "
            "command again: it follows a running import instead of starting another"
        )


class Busy(DataverseError):
    """The environment's customization lock is held (another import, publish or uninstall)."""

    kind = "busy"


class Ambiguous(DataverseError):
    """A non-idempotent request whose outcome is unknown (lost answer, 5xx)."""

    kind = "ambiguous"


class Deadline(DataverseError):
    """The time budget ran out while waiting to retry: exit 4, run again to go on."""

    kind = "deadline"
    exit_status = RUNNING

    def hint(self) -> str:
        return "the environment is throttling or busy; run the same deploy again later"


class Transport:
    def __init__(
        self,
        env_url: str,
        token: TokenSource,
        clock: Clock,
        *,
        client: httpx.Client | None = None,
        policy: RetryPolicy | None = None,
        deadline: float | None = None,
        who: str = "",
    ) -> None:
        self.env_url = env_url.rstrip("/")
        self.api_root = self.env_url + "/" + API_PATH
        self.token, self.clock = token, clock
        self.client = client or new_client()
        self.policy = policy or RetryPolicy()
        self.deadline = deadline
        self.who = who  # the identity used, for 401 messages ("app X in tenant Y")
        self.sent = 0  # HTTP requests put on the wire (benchmarks and tests count them)
        self.answered = 0  # answers received (before the first, a refused port is final)

    def close(self) -> None:
        self.client.close()

    def send(self, request: Request) -> Response:
        failures = throttled = timeouts = 0
        refreshed = False
        while True:
            try:
                response = self._once(request)
            except _Cut as cut:
                timeouts += 1
                self._after_cut(request, cut, timeouts)
                continue
            except httpx.TransportError as exc:
                failures += 1
                self._after_lost(request, exc, failures)
                continue
            self.answered += 1
            if response.status == 401:
                if refreshed or not self._refreshable():
                    raise self._unauthorized(request, response)
                refreshed = True
                self.token.refresh()  # type: ignore[attr-defined]  # expired mid-run
                continue
            if 300 <= response.status < 400:
                raise self._redirected(request, response)
            if response.status < 400:
                return self._checked(request, response)
            if (
                request.multipart_errors
                and response.status == 400
                and "multipart/" in (response.headers.get("content-type", ""))
            ):
                return response  # a failed change set: its parts say which write and why
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
            response = self.send(
                Request(
                    "GET",
                    str(link).removeprefix(self.api_root),
                    headers=request.headers,
                    label=request.label,
                )
            )

    def _once(self, request: Request) -> Response:
        headers = {
            "Authorization": f"Bearer {self.token()}",
            "OData-Version": "4.0",
            "OData-MaxVersion": "4.0",
            "Accept": "application/json",
        }
        if request.method == "GET":  # documented: may otherwise be served from a cache
            headers["If-None-Match"] = "null"
        headers.update(dict(request.headers))
        content = request.body
        if request.json is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            content = json.dumps(request.json).encode("utf-8")
        self.sent += 1
        try:
            raw = self.client.build_request(
                request.method,
                self.api_root + request.path,
                params=list(request.params) or None,  # nextLinks
                headers=headers,
                content=content,
            )
        except httpx.LocalProtocolError as exc:  # e.g. a header value httpx refuses
            raise Unreachable(
                request,
                f"the request could not be built ({exc})",
                "check DATAVERSE_TOKEN and the other credentials for stray "
                "characters (a trailing newline, non-ASCII)",
                "DEP105",
            ) from None
        seconds = self._budget(request)
        client = self.client
        try:
            return _bounded(lambda: _exchange(client, raw, time.monotonic() + seconds), seconds)
        except _Cut:
            self.client = new_client()  # the old one is busy with the abandoned answer
            raise
        except (_TooLarge, httpx.DecodingError) as exc:
            raise Unreachable(
                request,
                f"{self.env_url} sent {exc}",
                "answers are read up to "
                f"{MAX_BODY // 2**20} MiB; is this a Dataverse environment URL?",
                "DEP103",
            ) from None

    def _budget(self, request: Request) -> float:
        """Seconds the whole answer may take: the request's own bound, cut by --timeout."""
        own = answer_seconds(request.path.startswith(LONG_PATHS))
        if self.deadline is None:
            return own
        return min(own, max(self.deadline - self.clock.monotonic(), GRACE_SECONDS))

    def _after_cut(self, request: Request, cut: _Cut, timeouts: int) -> None:
        what = "no complete answer within"  # silent, or dripping its answer a byte at a time
        if not request.idempotent:
            raise Ambiguous(
                request, f"{what} {cut.seconds:.0f} s; the server may have acted on it"
            ) from None
        if timeouts >= self.policy.timeouts or (
            self.deadline is not None and self.clock.monotonic() >= self.deadline
        ):
            raise Unreachable(
                request,
                f"{what} {cut.seconds:.0f} s from {self.env_url}",
                "the environment or a proxy in between is not answering; check "
                "the URL and try again (--timeout bounds the whole run)",
                "DEP104",
            ) from None
        self._wait(request, self._backoff(timeouts), unreachable=True)

    def _after_lost(self, request: Request, exc: httpx.TransportError, failures: int) -> None:
        cause, hint = classify(exc, self.env_url)
        if cause in FINAL:
            raise Unreachable(request, f"{cause}: {self.env_url}", hint, FINAL[cause]) from None
        unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
        if not (request.idempotent or unsent):
            raise Ambiguous(
                request,
                f"the connection was lost ({type(exc).__name__}); the server may have acted on it",
            ) from None
        limit = self.policy.attempts if self.answered else self.policy.unreached_attempts
        if failures >= limit:
            raise Unreachable(
                request,
                f"{cause}: {self.env_url} (gave up after {failures} attempts)",
                hint,
                "DEP102",
            ) from None
        self._wait(
            request, self._backoff(failures) if self.answered else 0.5 * failures, unreachable=True
        )

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
        """Retry-After as seconds, honoured in full (the service asks for exactly that long;
        sending earlier extends the penalty): an integer, or an HTTP-date measured from now."""
        value = value.strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when - self.clock.wall())

    def _wait(self, request: Request, seconds: float, unreachable: bool = False) -> None:
        if self.deadline is not None and self.clock.monotonic() + seconds > self.deadline:
            if unreachable:
                raise Unreachable(
                    request,
                    f"{self.env_url} kept failing until the time budget (--timeout) ran out",
                    "check the network and the "
                    "environment's health; if an import was started, running "
                    "the same command again follows it",
                    "DEP102",
                )
            raise Deadline(request, "the time budget (--timeout) ran out while retrying")
        self.clock.sleep(seconds)

    def _refreshable(self) -> bool:
        return bool(getattr(self.token, "refreshable", hasattr(self.token, "refresh")))

    def _unauthorized(self, request: Request, response: Response) -> DataverseError:
        if not self._refreshable() and self.answered > 1:
            return self._error(TokenExpired, request, response)
        error = self._error(DataverseError, request, response)
        who = f" for {self.who}" if self.who else ""
        error.diagnostics = [
            diagnostic(
                "DEP106",
                f"{d.message}: the environment refused the token{who}",
                file=d.file,
                hint="check that the app registration has an application user in this "
                "environment, that the token is for this environment's URL, and that it has "
                "not expired",
            )
            for d in error.diagnostics
        ]
        return error

    def _redirected(self, request: Request, response: Response) -> DataverseError:
        target = shown(response.headers.get("location", ""))
        return Unreachable(
            request,
            f"{self.env_url} answered HTTP {response.status}, a redirect"
            f" to {target or 'nowhere'}; the Web API never redirects",
            "pass the environment URL itself (https://<org>.crm.dynamics.com, as "
            "shown in the Power Platform admin center)",
            "DEP103",
        )

    def _checked(self, request: Request, response: Response) -> Response:
        """A 200 answer to a request that expects JSON must be a JSON object."""
        expects_json = response.status == 200 and request.path != "$batch"
        if expects_json and not isinstance(response.payload, dict):
            kind = response.headers.get("content-type", "") or "no content type"
            raise Unreachable(
                request,
                f"{self.env_url} answered HTTP 200 with something that is "
                f"not a JSON object ({kind}, {len(response.content)} bytes)",
                "is this a Dataverse environment URL? A proxy or login page may "
                "be answering instead",
                "DEP103",
            )
        return response

    def _error(
        self, kind: type[DataverseError], request: Request, response: Response
    ) -> DataverseError:
        code, message = error_code(response.payload)
        text = message or response.content[:300].decode("utf-8", "replace") or "no details"
        request_id = response.headers.get("x-ms-service-request-id", "") or response.headers.get(
            "req_id", ""
        )
        return kind(request, text, status=response.status, code=code, request_id=request_id)


def answer_seconds(long: bool = False) -> float:
    """The bound of one answer; VOICEPKG_REQUEST_TIMEOUT (seconds) overrides it (a slow proxy;
    tests)."""
    raw = os.environ.get("VOICEPKG_REQUEST_TIMEOUT", "")
    try:
        value = float(raw) if raw else 0.0
    except ValueError:
        value = 0.0
    if value > 0:
        return value
    return LONG_ANSWER_SECONDS if long else ANSWER_SECONDS


def new_client() -> httpx.Client:
    timeout = httpx.Timeout(answer_seconds(), connect=CONNECT_SECONDS)
    return httpx.Client(timeout=timeout, follow_redirects=False)


class _Cut(Exception):
    """The answer did not come (or did not finish) within the request's budget."""

    def __init__(self, seconds: float, partial: bool = False) -> None:
        super().__init__(f"cut after {seconds:.0f} s")
        self.seconds, self.partial = seconds, partial


class _TooLarge(Exception):
    pass


def _exchange(client: httpx.Client, request: httpx.Request, cut_at: float) -> Response:
    """Send, then read the answer in chunks, up to MAX_BODY bytes and until `cut_at`."""
    raw = client.send(request, stream=True)
    try:
        chunks, size = [], 0
        for chunk in raw.iter_bytes():  # decoded: the cap holds for compressed answers too
            size += len(chunk)
            if size > MAX_BODY:
                raise _TooLarge(f"an answer too large (over {MAX_BODY // 2**20} MiB)")
            if time.monotonic() > cut_at:
                raise _Cut(cut_at, partial=True)
            chunks.append(chunk)
    finally:
        raw.close()
    content = b"".join(chunks)
    return Response(raw.status_code, _json(raw.headers, content), dict(raw.headers), content)


def _bounded(work: Callable[[], Response], seconds: float) -> Response:
    """`work()` in a daemon thread, given at most `seconds`: a server that drips its answer a
    byte at a time passes every per-read timeout, so the whole answer has a deadline too."""
    box: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            box.put((True, work()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box.put((False, exc))

    threading.Thread(target=run, daemon=True, name="voicepkg-request").start()
    try:
        ok, value = box.get(timeout=seconds)
    except queue.Empty:
        raise _Cut(seconds) from None
    if ok:
        return value  # type: ignore[no-any-return]
    if isinstance(value, _Cut):
        raise _Cut(seconds, partial=True) from None
    raise value


def _json(headers: httpx.Headers, content: bytes) -> Any:
    if not content or "json" not in headers.get("content-type", ""):
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


FINAL = {"the host name does not resolve": "DEP101", "TLS failed": "DEP101"}


def classify(exc: httpx.TransportError, env_url: str) -> tuple[str, str]:
    """(cause, hint) of a transport failure, from the exception and what caused it."""
    chain: list[BaseException] = []
    cursor: BaseException | None = exc
    while cursor is not None and len(chain) < 10:
        chain.append(cursor)
        cursor = cursor.__cause__ or cursor.__context__
    text = " ".join(f"{type(e).__name__}: {e}" for e in chain).lower()
    if (
        "name or service not known" in text
        or "nodename nor servname" in text
        or ("gaierror" in text)
        or "no address associated" in text
        or ("temporary failure in name resolution" in text)
    ):
        return "the host name does not resolve", (
            "check the environment URL for typos (Power Platform admin center > environment > URL)"
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text or ("certificate" in text):
        return "TLS failed", (
            "the server's certificate is not trusted or it does not speak "
            "TLS; check the URL and any TLS-inspecting proxy (SSL_CERT_FILE)"
        )
    if "refused" in text:
        return "connection refused", "nothing listens there; check the URL and its port"
    if isinstance(exc, httpx.ConnectTimeout):
        return "no connection within the connect deadline", (
            "check the URL, the network, and any proxy (HTTPS_PROXY)"
        )
    return f"the connection failed ({type(exc).__name__})", (
        "check the network; reads are retried, so this kept happening"
    )


def shown(url: str) -> str:
    """scheme://host of a URL, never its user part, path or query (they can carry secrets)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return ""
    return f"{parsed.scheme}://{parsed.host}" if parsed.host else ""
