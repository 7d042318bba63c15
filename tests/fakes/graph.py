"""A fake Microsoft Graph (v1.0) on 127.0.0.1 for `voicepkg onboard` tests.

Strict about what Graph documents for the calls onboard makes (learn.microsoft.com/graph/api:
"Create application", "Update application", "application: addPassword", "Create
federatedIdentityCredential", "Create servicePrincipal", "List applications" with $filter):
a bearer token on every request, JSON bodies, known properties only, `signInAudience` one of
the documented values, `audiences` of a federated credential exactly
`["api://AzureADTokenExchange"]`, at most 20 federated credentials per app, names unique per
app, a `keyCredentials` entry with type/usage/key (base64 DER), `addPassword` answering
`secretText` once (GET never returns it: `secretText` is null and `hint` holds 3 characters).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .loopback import LoopbackServer

ROOT = "/v1.0"
APP_PROPERTIES = {"displayName", "signInAudience", "requiredResourceAccess", "keyCredentials"}
AUDIENCES = {
    "AzureADMyOrg",
    "AzureADMultipleOrgs",
    "AzureADandPersonalMicrosoftAccount",
    "PersonalMicrosoftAccount",
}


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class FakeGraph(LoopbackServer):
    def __init__(self, token: str = "graph-token") -> None:
        self.token = token
        self.tenant = str(uuid.uuid4())
        self.apps: list[dict[str, Any]] = []
        self.service_principals: list[dict[str, Any]] = []
        self.federated: dict[str, list[dict[str, Any]]] = {}
        self.secrets: list[str] = []  # every secretText handed out
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def start(self) -> FakeGraph:
        fake = self

        class Handler(_Handler):
            graph = fake

        self.serve(Handler)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{ROOT}"

    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.log if m != "GET"]

    # --- routes --------------------------------------------------------------------------
    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if path == "/organization" and method == "GET":
            return 200, {"value": [{"id": self.tenant, "displayName": "Contoso"}]}
        if path == "/applications":
            return self._applications(method, query, body)
        if path == "/servicePrincipals":
            return self._service_principals(method, query, body)
        match = re.fullmatch(r"/applications/([0-9a-f-]{36})(/[A-Za-z]+)?", path)
        if match:
            app = self._app(match.group(1))
            return self._on_app(method, app, match.group(2) or "", body)
        raise GraphError(404, "Request_ResourceNotFound", f"no route {method} {path}")

    def _applications(self, method: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if method == "GET":
            return 200, {"value": [_public(a) for a in _filter(self.apps, query)]}
        if method != "POST":
            raise GraphError(405, "Request_BadRequest", "method not allowed")
        _check_app(body, creating=True)
        app = {
            "id": str(uuid.uuid4()),
            "appId": str(uuid.uuid4()),
            "displayName": body["displayName"],
            "signInAudience": body.get("signInAudience", "AzureADMyOrg"),
            "requiredResourceAccess": body.get("requiredResourceAccess", []),
            "keyCredentials": [],
            "passwordCredentials": [],
        }
        self.apps.append(app)
        self.federated[app["id"]] = []
        return 201, _public(app)

    def _service_principals(
        self,
        method: str,
        query: dict[str, str],
        body: Any,
    ) -> tuple[int, Any]:
        if method == "GET":
            return 200, {"value": _filter(self.service_principals, query)}
        if not isinstance(body, dict) or set(body) != {"appId"}:
            raise GraphError(400, "Request_BadRequest", "a servicePrincipal needs appId")
        if not any(a["appId"] == body["appId"] for a in self.apps):
            raise GraphError(400, "Request_BadRequest", "no application with that appId")
        if any(s["appId"] == body["appId"] for s in self.service_principals):
            raise GraphError(
                409, "Request_MultipleObjectsWithSameKeyValue", "the service principal exists"
            )
        sp = {"id": str(uuid.uuid4()), "appId": body["appId"]}
        self.service_principals.append(sp)
        return 201, sp

    def _on_app(
        self,
        method: str,
        app: dict[str, Any],
        tail: str,
        body: Any,
    ) -> tuple[int, Any]:
        if tail == "" and method == "PATCH":
            _check_app(body, creating=False)
            if "keyCredentials" in body:
                app["keyCredentials"] = [_key(k) for k in body["keyCredentials"]]
            if "requiredResourceAccess" in body:
                app["requiredResourceAccess"] = body["requiredResourceAccess"]
            return 204, None
        if tail == "/addPassword" and method == "POST":
            return 200, self._add_password(app, body)
        if tail == "/federatedIdentityCredentials":
            items = self.federated[app["id"]]
            if method == "GET":
                return 200, {"value": items}
            return 201, _add_federated(items, body)
        raise GraphError(404, "Request_ResourceNotFound", f"no route {method} {tail}")

    def _add_password(self, app: dict[str, Any], body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or set(body) != {"passwordCredential"}:
            raise GraphError(400, "Request_BadRequest", "addPassword takes passwordCredential")
        wanted = body["passwordCredential"]
        if set(wanted) - {"displayName", "endDateTime", "startDateTime"}:
            raise GraphError(400, "Request_BadRequest", "unknown passwordCredential property")
        secret = base64.b64encode(uuid.uuid4().bytes).decode()[:40]
        self.secrets.append(secret)
        credential = {
            "keyId": str(uuid.uuid4()),
            "displayName": wanted.get("displayName"),
            "endDateTime": wanted.get("endDateTime"),
            "hint": secret[:3],
            "secretText": None,
        }
        app["passwordCredentials"].append(credential)
        return dict(credential, secretText=secret)

    def _app(self, object_id: str) -> dict[str, Any]:
        for app in self.apps:
            if app["id"] == object_id:
                return app
        raise GraphError(404, "Request_ResourceNotFound", f"no application {object_id}")


def _public(app: dict[str, Any]) -> dict[str, Any]:
    """What GET returns: never a key's bytes or a secret's text."""
    return dict(
        app,
        keyCredentials=[dict(k, key=None) for k in app["keyCredentials"]],
        passwordCredentials=[dict(p, secretText=None) for p in app["passwordCredentials"]],
    )


def _filter(rows: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
    text = query.get("$filter")
    if text is None:
        return list(rows)
    match = re.fullmatch(r"(displayName|appId) eq '((?:[^']|'')*)'", text)
    if not match:
        raise GraphError(400, "Request_UnsupportedQuery", f"unsupported $filter {text!r}")
    value = match.group(2).replace("''", "'")
    return [r for r in rows if r.get(match.group(1)) == value]


def _check_app(body: Any, creating: bool) -> None:
    if not isinstance(body, dict):
        raise GraphError(400, "Request_BadRequest", "the body must be a JSON object")
    unknown = set(body) - APP_PROPERTIES
    if unknown:
        raise GraphError(
            400,
            "Request_BadRequest",
            f"Property '{sorted(unknown)[0]}' does not exist on type 'microsoft.graph.application'",
        )
    if creating and not body.get("displayName"):
        raise GraphError(400, "Request_BadRequest", "displayName is required")
    if "signInAudience" in body and body["signInAudience"] not in AUDIENCES:
        raise GraphError(400, "Request_BadRequest", "invalid signInAudience")
    for access in body.get("requiredResourceAccess", []):
        if set(access) != {"resourceAppId", "resourceAccess"} or not all(
            set(r) == {"id", "type"} and r["type"] in ("Scope", "Role")
            for r in access["resourceAccess"]
        ):
            raise GraphError(400, "Request_BadRequest", f"bad requiredResourceAccess {access}")


def _key(item: dict[str, Any]) -> dict[str, Any]:
    if item.get("type") != "AsymmetricX509Cert" or item.get("usage") != "Verify":
        raise GraphError(400, "Request_BadRequest", "a certificate is AsymmetricX509Cert/Verify")
    try:
        der = base64.b64decode(item["key"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise GraphError(400, "Request_BadRequest", "key must be the base64 certificate") from None
    thumb = base64.b64encode(hashlib.sha1(der).digest()).decode()
    return {
        "keyId": str(uuid.uuid4()),
        "type": "AsymmetricX509Cert",
        "usage": "Verify",
        "displayName": item.get("displayName"),
        "customKeyIdentifier": thumb,
        "key": None,
    }


def _add_federated(items: list[dict[str, Any]], body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not {"name", "issuer", "subject", "audiences"} <= set(body):
        raise GraphError(
            400, "Request_BadRequest", "name, issuer, subject and audiences are required"
        )
    if body["audiences"] != ["api://AzureADTokenExchange"]:
        raise GraphError(400, "Request_BadRequest", "audiences must be api://AzureADTokenExchange")
    if any(i["name"] == body["name"] for i in items) or len(items) >= 20:
        raise GraphError(400, "Request_BadRequest", "name taken, or 20 credentials already")
    item = dict(body, id=str(uuid.uuid4()))
    items.append(item)
    return item


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    graph: FakeGraph

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        graph = self.graph
        try:
            if not path.startswith(ROOT):
                raise GraphError(404, "Request_ResourceNotFound", path)
            if self.headers.get("Authorization") != f"Bearer {graph.token}":
                raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.")
            body = json.loads(raw) if raw else None
            if raw and "application/json" not in (self.headers.get("Content-Type") or ""):
                raise GraphError(415, "Request_BadRequest", "Content-Type must be JSON")
            with graph.lock:
                graph.log.append((method, path[len(ROOT) :]))
                status, payload = graph.route(method, path[len(ROOT) :], query, body)
        except GraphError as exc:
            status, payload = exc.status, {"error": {"code": exc.code, "message": exc.message}}
        except json.JSONDecodeError:
            status, payload = 400, {"error": {"code": "BadRequest", "message": "not JSON"}}
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
