"""Microsoft Graph (v1.0) for `voicepkg onboard`: requests as data, one small client.

The documented shapes (learn.microsoft.com/graph/api):
- `GET /organization` (the tenant id);
- `GET /applications?$filter=displayName eq '...'`, `POST /applications` ("Create
  application": displayName, signInAudience, requiredResourceAccess),
  `PATCH /applications/{id}` ("Update application": requiredResourceAccess, keyCredentials);
- `POST /servicePrincipals` with the appId ("Create servicePrincipal"): the app's identity in
  the tenant, which Dataverse needs for an application user;
- `GET|POST /applications/{id}/federatedIdentityCredentials` ("Create
  federatedIdentityCredential": name, issuer, subject, audiences `api://AzureADTokenExchange`);
- `POST /applications/{id}/addPassword` ("application: addPassword": passwordCredential with
  displayName and endDateTime; the answer's secretText is shown once and never again);
- a certificate goes into `keyCredentials` (type `AsymmetricX509Cert`, usage `Verify`, key:
  the DER certificate in base64) with PATCH, which replaces the collection: done only while the
  app has no certificate (adding to existing ones needs `addKey` with a proof of possession).
The Dynamics CRM API is the app 00000007-0000-0000-c000-000000000000; its delegated
permission `user_impersonation` is 78ce3f0f-a1ce-49c2-8cde-64b5c0896db4.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from ..deploy.secrets import mask
from ..errors import BuildError

GRAPH_ROOT = "https://graph.microsoft.com/v1.0"
DYNAMICS_CRM = "00000007-0000-0000-c000-000000000000"
USER_IMPERSONATION = "78ce3f0f-a1ce-49c2-8cde-64b5c0896db4"
TOKEN_EXCHANGE = "api://AzureADTokenExchange"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    label: str = ""


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def get_organization() -> Call:
    return Call("GET", "/organization?$select=id,displayName", label="read the tenant")


def find_application(name: str) -> Call:
    return Call(
        "GET",
        f"/applications?$filter=displayName eq {quote(name)}",
        label=f"look for the app registration {name}",
    )


def dynamics_permission() -> dict[str, Any]:
    return {
        "resourceAppId": DYNAMICS_CRM,
        "resourceAccess": [{"id": USER_IMPERSONATION, "type": "Scope"}],
    }


def create_application(name: str) -> Call:
    return Call(
        "POST",
        "/applications",
        {
            "displayName": name,
            "signInAudience": "AzureADMyOrg",
            "requiredResourceAccess": [dynamics_permission()],
        },
        label=f"register the application {name}",
    )


def update_permissions(object_id: str, access: list[dict[str, Any]]) -> Call:
    return Call(
        "PATCH",
        f"/applications/{object_id}",
        {"requiredResourceAccess": access},
        label="add the Dynamics CRM user_impersonation permission",
    )


def add_certificate(object_id: str, der_base64: str, name: str) -> Call:
    return Call(
        "PATCH",
        f"/applications/{object_id}",
        {
            "keyCredentials": [
                {
                    "type": "AsymmetricX509Cert",
                    "usage": "Verify",
                    "key": der_base64,
                    "displayName": name,
                }
            ]
        },
        label="upload the certificate",
    )


def find_service_principal(app_id: str) -> Call:
    return Call(
        "GET",
        f"/servicePrincipals?$filter=appId eq {quote(app_id)}",
        label="look for the service principal",
    )


def create_service_principal(app_id: str) -> Call:
    return Call(
        "POST", "/servicePrincipals", {"appId": app_id}, label="create the service principal"
    )


def list_federated(object_id: str) -> Call:
    return Call(
        "GET",
        f"/applications/{object_id}/federatedIdentityCredentials",
        label="read the federated credentials",
    )


def add_federated(object_id: str, name: str, issuer: str, subject: str) -> Call:
    return Call(
        "POST",
        f"/applications/{object_id}/federatedIdentityCredentials",
        {
            "name": name,
            "issuer": issuer,
            "subject": subject,
            "audiences": [TOKEN_EXCHANGE],
            "description": "Voice for Dynamics 365 (Enreach back end)",
        },
        label="add the federated credential",
    )


def add_password(object_id: str, name: str, end: str) -> Call:
    return Call(
        "POST",
        f"/applications/{object_id}/addPassword",
        {"passwordCredential": {"displayName": name, "endDateTime": end}},
        label="add a client secret",
    )


class GraphClient:
    def __init__(self, root: str, token: Any, client: httpx.Client | None = None) -> None:
        self.root, self.token = root.rstrip("/"), token
        self.client = client or httpx.Client(timeout=httpx.Timeout(60.0, connect=30.0))
        self.sent: list[Call] = []

    def close(self) -> None:
        self.client.close()

    def send(self, call: Call) -> Any:
        self.sent.append(call)
        headers = {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"}
        content = None
        if call.json is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(call.json).encode("utf-8")
        try:
            raw = self.client.request(
                call.method, self.root + call.path, headers=headers, content=content
            )
        except httpx.TransportError as exc:
            raise _error(call, f"Microsoft Graph did not answer ({type(exc).__name__})") from None
        if raw.status_code >= 400:
            raise _error(call, _message(raw), raw.status_code)
        return raw.json() if raw.content else None


def _message(raw: httpx.Response) -> str:
    try:
        error = raw.json().get("error", {})
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    except (ValueError, AttributeError):
        return raw.text[:300]


def _error(call: Call, message: str, status: int = 0) -> BuildError:
    hint = (
        "the signed-in account needs the Application Administrator (or Cloud Application "
        "Administrator) role"
        if status == 403
        else "see the message from Microsoft Graph"
    )
    where = f" (HTTP {status})" if status else ""
    return BuildError.at(
        "ONB100", mask(f"{call.label or call.path}: {message}{where}"), file="graph", hint=hint
    )
