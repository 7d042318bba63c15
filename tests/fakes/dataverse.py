"""A fake Dataverse Web API: a real HTTP server on 127.0.0.1, run in a thread by the tests.

Strict about the contract deploy relies on (research/deploy.md §2, §3): `Authorization:
Bearer`, `OData-Version`/`OData-MaxVersion: 4.0` and `Accept: application/json` on every
request, JSON bodies with `Content-Type: application/json`, the exact action parameter names
(an unknown one is a 400, as in Dataverse), known columns only in `$select` and in writes,
`$batch` in its multipart form with at most 1000 operations, 404 for any other route.
Async operations and import jobs progress when polled. Faults are injected per route:
429 with or without Retry-After, 503, dropped connections (before or after acting), the
customization lock.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import dv_batch, dv_engine
from .dv_common import HttpError
from .loopback import LoopbackServer
from .odata import QueryError, parse_expand, parse_filter, parse_select

API = "/api/data/v9.2/"
LOCK_MESSAGE = (
    "Cannot start another [Import] because there is a previous [Import] running at "
    "this moment. Use Solution History for more details."
)


@dataclass
class Fault:
    kind: str  # "429" | "503" | "drop_before" | "drop_after" | "lock"
    method: str = ""  # empty: any
    path: str = ""  # a prefix of the path after the API root; empty: any
    times: int = 1
    retry_after: str | None = None  # for "429"

    def matches(self, method: str, path: str) -> bool:
        return (not self.method or self.method == method) and path.startswith(self.path)


@dataclass
class Logged:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    operations: int = 0  # $batch: how many operations it held


class FakeDataverse(dv_engine.Engine, LoopbackServer):
    def __init__(self, token: str = "test-token") -> None:
        super().__init__()
        self.token = token
        self.faults: list[Fault] = []
        self.log: list[Logged] = []
        # tokens expire: after a request matching (method, path prefix) the token in force is
        # refused (401) from then on, and `next_token` (if any) is the one accepted
        self.expire_after: tuple[str, str] | None = None
        self.next_token = ""

    # --- running ---------------------------------------------------------------------
    def start(self) -> FakeDataverse:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self.serve(Handler)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- test helpers ----------------------------------------------------------------
    def fault(
        self,
        kind: str,
        method: str = "",
        path: str = "",
        times: int = 1,
        retry_after: str | None = None,
    ) -> None:
        self.faults.append(Fault(kind, method, path, times, retry_after))

    def calls(self, method: str, path: str = "") -> list[Logged]:
        return [r for r in self.log if r.method == method and r.path.startswith(path)]

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(method, path):
                    fault.times -= 1
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_fake: FakeDataverse

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def setup(self) -> None:
        super().setup()  # headers and body go in separate writes: no Nagle delay between
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PUT(self) -> None:
        self._handle("PUT")

    # --- one request -------------------------------------------------------------------
    def _handle(self, method: str) -> None:
        fake = self.server_fake
        split = urlsplit(self.path)
        path = (
            unquote(split.path[len(API) :]) if split.path.startswith(API) else ("\x00" + split.path)
        )
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        fault = fake.take_fault(method, path)
        if fault and fault.kind == "drop_before":
            return self._drop()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        entry = Logged(method, path, params, {k.lower(): v for k, v in self.headers.items()})
        fake.log.append(entry)
        try:
            self._check_fault(fault)
            self._check_headers(method, path)
            status, payload, headers = self._route(method, path, params, body, entry)
        except HttpError as exc:
            status, payload, headers = (
                exc.status,
                {"error": {"code": exc.code, "message": exc.message}},
                exc.headers,
            )
        except QueryError as exc:
            status, payload, headers = (
                400,
                {"error": {"code": "0x80060888", "message": str(exc)}},
                {},
            )
        if fault and fault.kind == "drop_after":
            return self._drop()
        if fake.expire_after and fake.expire_after == (method, path[: len(fake.expire_after[1])]):
            fake.expire_after, fake.token = None, fake.next_token or "expired"
        self._reply(status, payload, headers)

    def _check_fault(self, fault: Fault | None) -> None:
        if fault is None:
            return
        if fault.kind == "429":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            raise HttpError(
                429,
                "0x80072322",
                "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
                headers,
            )
        if fault.kind == "503":
            raise HttpError(503, "0x80040216", "Service Unavailable")
        if fault.kind == "lock":
            raise HttpError(429, "0x80071151", LOCK_MESSAGE)

    def _check_headers(self, method: str, path: str) -> None:
        fake = self.server_fake
        if path.startswith("\x00"):
            raise HttpError(404, "0x80060888", f"No route for {path[1:]}")
        if self.headers.get("Authorization") != f"Bearer {fake.token}":
            raise HttpError(
                401,
                "0x80072560",
                "The user is not authenticated (bad, expired "
                "or missing Authorization: Bearer token).",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        for name in ("OData-Version", "OData-MaxVersion"):
            if self.headers.get(name) != "4.0":
                raise HttpError(400, "0x80048d19", f"{name}: 4.0 is required")
        if "application/json" not in (self.headers.get("Accept") or ""):
            raise HttpError(406, "0x80048d19", "Accept: application/json is required")
        content_type = self.headers.get("Content-Type") or ""
        if (
            method in ("POST", "PATCH", "PUT")
            and path != "$batch"
            and not content_type.startswith("application/json")
        ):
            raise HttpError(415, "0x80048d19", "Content-Type: application/json is required")

    def _route(
        self, method: str, path: str, params: dict[str, str], body: bytes, entry: Logged
    ) -> tuple[int, Any, dict[str, str]]:
        fake = self.server_fake
        if method == "POST" and path == "$batch":
            status, content_type, answer, count = dv_batch.run_batch(
                fake, self.headers.get("Content-Type") or "", body
            )
            entry.operations = count
            return status, ("raw", content_type, answer), {}
        if method in ("POST", "PATCH", "PUT"):
            entry.json = _json_body(body)
        routed = fake.extra_route(method, path, params, entry.json, dict(self.headers.items()))
        if routed is not None:  # tables and actions of the fake's extensions (dv_config.py)
            return routed
        definition = re.fullmatch(r"EntityDefinitions\(LogicalName='([a-z0-9_]+)'\)", path)
        if definition and method in ("GET", "PUT"):
            return self._definition(method, definition.group(1), params, entry)
        if method == "POST":
            answer = fake.action(path, entry.json)
            return (204 if answer is None else 200), answer, {}
        if method == "PATCH":
            entity_set, record_id = _keyed(path)
            fake.write(entity_set, record_id, entry.json, dict(self.headers.items()))
            return 204, None, {}
        if method == "GET":
            return 200, self._query(path, params), {}
        raise HttpError(405, "0x80060888", f"{method} is not supported here")

    def _definition(
        self, method: str, logical: str, params: dict[str, str], entry: Logged
    ) -> tuple[int, Any, dict[str, str]]:
        fake = self.server_fake
        with fake.lock:
            if method == "GET":
                return 200, fake.get_definition(logical, params), {}
            fake.put_definition(logical, entry.json, dict(self.headers.items()))
            return 204, None, {}

    def _query(self, path: str, params: dict[str, str]) -> Any:
        fake = self.server_fake
        unknown = [
            k
            for k in params
            if k.startswith("$")
            and k not in ("$select", "$filter", "$expand", "$skiptoken", "$top")
        ]
        if unknown:
            raise QueryError(f"unsupported query option {unknown[0]}")
        keyed = re.fullmatch(r"([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)", path)
        if keyed:
            row = fake.get(keyed.group(1), keyed.group(2).lower())
            return _shape([row], fake.columns(keyed.group(1)), params)[0]
        rows = fake.rows(path, params)
        shaped = _shape(rows, fake.columns(path), params)
        return fake.page(path, params, shaped, self.headers.get("Prefer") or "")

    # --- replies -----------------------------------------------------------------------
    def _reply(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        if isinstance(payload, tuple) and payload and payload[0] == "raw":
            content_type, data = payload[1], payload[2]
        elif payload is None:
            content_type, data = "", b""
        else:
            content_type = "application/json; odata.metadata=minimal"
            data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("OData-Version", "4.0")
        self.send_header("x-ms-service-request-id", str(uuid.uuid4()))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HttpError(400, "0x80048d19", "the request body is not JSON") from None


def _keyed(path: str) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)", path)
    if not match:
        raise HttpError(404, "0x80060888", f"Resource not found for the segment '{path}'.")
    return match.group(1), match.group(2).lower()


def _shape(
    rows: list[dict[str, Any]], columns: frozenset[str], params: dict[str, str]
) -> list[dict[str, Any]]:
    if "$filter" in params:
        keep = parse_filter(params["$filter"], columns)
        rows = [r for r in rows if keep(r)]
    select = parse_select(params["$select"], columns) if "$select" in params else sorted(columns)
    expand = parse_expand(params["$expand"]) if "$expand" in params else None
    out = []
    for row in rows:
        shaped = {name: row.get(name) for name in select}
        if expand:
            nav, nav_columns = expand
            if nav not in row:
                raise QueryError(f"Could not find a navigation property named '{nav}'")
            shaped[nav] = [{c: item.get(c) for c in nav_columns} for item in row[nav]]
        out.append(shaped)
    return out


__all__ = ["FakeDataverse", "Fault", "HttpError"]
