"""`voicepkg onboard`: the app registration of guide 1.2, done through Microsoft Graph.

Finds the app registration by name (or registers it), makes sure it asks for the Dynamics CRM
`user_impersonation` permission, gives it a service principal, and one credential for the
Enreach back end: a certificate (Enreach's public certificate; the private key never leaves
Enreach), a federated credential (no secret at all), or, only when asked, a client secret with
a bounded lifetime. Running it again changes nothing that is already there.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import BuildError
from . import graph as g

SECRET_NAME = "Voice for Dynamics 365 (Enreach)"
FEDERATED_NAME = "voice-for-dynamics-365-enreach"
MAX_SECRET_DAYS = 730  # what the Entra admin center offers at most (24 months)


@dataclass(frozen=True)
class Wanted:
    name: str
    kind: str  # certificate | federated | secret
    certificate: bytes = b""  # PEM or DER
    issuer: str = ""
    subject: str = ""
    secret_days: int = 180
    rotate_secret: bool = False


@dataclass
class Onboarded:
    tenant_id: str = ""
    app_id: str = ""
    object_id: str = ""
    actions: list[str] = field(default_factory=list)
    credential: dict[str, str] = field(default_factory=dict)
    secret: str = field(default="", repr=False)  # new secret's value: shown once


def onboard(
    client: g.GraphClient, wanted: Wanted, dry_run: bool, now: datetime | None = None
) -> Onboarded:
    now = now or datetime.now(UTC)
    if wanted.kind == "certificate":
        read_certificate(wanted.certificate)  # a bad file stops us before anything is written
    done = Onboarded()
    orgs = client.send(g.get_organization()).get("value", [])
    done.tenant_id = str(orgs[0]["id"]) if orgs else ""
    app = _application(client, wanted.name, done, dry_run)
    if app is None:  # a dry run of a first registration: the rest follows it
        done.actions += [
            "would create the service principal",
            f"would add the {wanted.kind} credential",
        ]
        done.credential = {"kind": wanted.kind}
        return done
    done.app_id, done.object_id = str(app["appId"]), str(app["id"])
    _permission(client, app, done, dry_run)
    if not client.send(g.find_service_principal(done.app_id)).get("value"):
        _do(client, g.create_service_principal(done.app_id), done, dry_run)
    {"certificate": _certificate, "federated": _federated, "secret": _secret}[wanted.kind](
        client, app, wanted, done, dry_run, now
    )
    return done


def _do(client: g.GraphClient, call: g.Call, done: Onboarded, dry_run: bool) -> Any:
    done.actions.append(("would " if dry_run else "") + call.label)
    return None if dry_run else client.send(call)


def _application(
    client: g.GraphClient,
    name: str,
    done: Onboarded,
    dry_run: bool,
) -> dict[str, Any] | None:
    found = client.send(g.find_application(name)).get("value", [])
    if len(found) > 1:
        raise BuildError.at(
            "ONB001",
            f"{len(found)} app registrations are named {name!r}",
            file="graph",
            hint="pass --name with a name only one of them has",
        )
    if found:
        return dict(found[0])
    created = _do(client, g.create_application(name), done, dry_run)
    return dict(created) if created else None


def _permission(client: g.GraphClient, app: dict[str, Any], done: Onboarded, dry_run: bool) -> None:
    access = [dict(a) for a in app.get("requiredResourceAccess") or []]
    crm = next((a for a in access if a.get("resourceAppId") == g.DYNAMICS_CRM), None)
    if crm and any(r.get("id") == g.USER_IMPERSONATION for r in crm.get("resourceAccess", [])):
        return
    if crm:  # keep the app's other permissions, add ours
        crm["resourceAccess"] = [
            *crm.get("resourceAccess", []),
            {"id": g.USER_IMPERSONATION, "type": "Scope"},
        ]
    else:
        access.append(g.dynamics_permission())
    _do(client, g.update_permissions(str(app["id"]), access), done, dry_run)


def read_certificate(data: bytes) -> tuple[bytes, str, str]:
    """(DER bytes, SHA-1 thumbprint, expiry) of a PEM or DER certificate (public part only)."""
    from cryptography import x509

    text = data.decode("ascii", "replace")
    if "PRIVATE KEY" in text:
        raise BuildError.at(
            "ONB002",
            "the file holds a private key; pass only the public certificate Enreach sent",
            file="--certificate",
            exit_code=2,
        )
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if "BEGIN CERTIFICATE" in text
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as exc:
        raise BuildError.at(
            "ONB003", f"not an X.509 certificate: {exc}", file="--certificate", exit_code=2
        ) from None
    from cryptography.hazmat.primitives.serialization import Encoding

    der = cert.public_bytes(Encoding.DER)
    return der, hashlib.sha1(der).hexdigest().upper(), cert.not_valid_after_utc.isoformat()


def _certificate(
    client: g.GraphClient,
    app: dict[str, Any],
    wanted: Wanted,
    done: Onboarded,
    dry_run: bool,
    now: datetime,
) -> None:
    der, thumbprint, expiry = read_certificate(wanted.certificate)
    done.credential = {"kind": "certificate", "thumbprint": thumbprint, "expires": expiry}
    ours = base64.b64encode(bytes.fromhex(thumbprint)).decode("ascii")
    keys = app.get("keyCredentials") or []
    if any(k.get("customKeyIdentifier") == ours for k in keys):
        return
    if keys:
        raise BuildError.at(
            "ONB004",
            "the app registration has other certificates; Graph "
            "replaces them all when one is added without a proof of possession",
            file="graph",
            hint="upload the certificate in the Entra admin "
            "center (Certificates & secrets), or onboard a new app name",
        )
    _do(
        client,
        g.add_certificate(
            str(app["id"]), base64.b64encode(der).decode("ascii"), f"Enreach {thumbprint[:8]}"
        ),
        done,
        dry_run,
    )


def _federated(
    client: g.GraphClient,
    app: dict[str, Any],
    wanted: Wanted,
    done: Onboarded,
    dry_run: bool,
    now: datetime,
) -> None:
    done.credential = {"kind": "federated", "issuer": wanted.issuer, "subject": wanted.subject}
    have = client.send(g.list_federated(str(app["id"]))).get("value", [])
    if any(f.get("issuer") == wanted.issuer and f.get("subject") == wanted.subject for f in have):
        return
    taken = {f.get("name") for f in have}
    name = next(
        f"{FEDERATED_NAME}{'' if i == 0 else f'-{i}'}"
        for i in range(len(taken) + 1)
        if f"{FEDERATED_NAME}{'' if i == 0 else f'-{i}'}" not in taken
    )
    _do(client, g.add_federated(str(app["id"]), name, wanted.issuer, wanted.subject), done, dry_run)


def _secret(
    client: g.GraphClient,
    app: dict[str, Any],
    wanted: Wanted,
    done: Onboarded,
    dry_run: bool,
    now: datetime,
) -> None:
    live = [
        p
        for p in app.get("passwordCredentials") or []
        if p.get("displayName") == SECRET_NAME and _after(p.get("endDateTime"), now)
    ]
    if live and not wanted.rotate_secret:
        done.credential = {
            "kind": "secret",
            "expires": str(live[0]["endDateTime"]),
            "note": "a secret exists; its value cannot be shown again "
            "(--rotate-secret adds a new one)",
        }
        return
    end = (now + timedelta(days=wanted.secret_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = _do(client, g.add_password(str(app["id"]), SECRET_NAME, end), done, dry_run)
    done.credential = {"kind": "secret", "expires": str((made or {}).get("endDateTime", end))}
    done.secret = str((made or {}).get("secretText") or "")


def _after(value: Any, now: datetime) -> bool:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) > now
    except ValueError:
        return False
