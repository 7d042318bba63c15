"""`voicepkg onboard` end to end: the real CLI against a fake Microsoft Graph on loopback."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.fixtures import invoke
from fakes.graph import FakeGraph

from builder.configure.graph import DYNAMICS_CRM, USER_IMPERSONATION

ISSUER = "https://login.enreach.example/"
SUBJECT = "voice-backend-contoso"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    server = FakeGraph().start()
    yield server
    server.stop()


def onboard(graph: FakeGraph, *args: str):  # noqa: ANN201
    return invoke(
        ["onboard", "--graph-url", graph.url, *args],
        {"GRAPH_TOKEN": graph.token, "DATAVERSE_TOKEN": None},
    )


def certificate(tmp: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Enreach Voice")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    path = tmp / "enreach.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_a_federated_credential_onboards_without_any_secret(graph) -> None:
    result = onboard(graph, "--federated-issuer", ISSUER, "--federated-subject", SUBJECT)
    assert result.exit_code == 0, result.output
    [app] = graph.apps
    assert app["displayName"] == "Voice for Dynamics 365"
    assert app["requiredResourceAccess"] == [
        {
            "resourceAppId": DYNAMICS_CRM,
            "resourceAccess": [{"id": USER_IMPERSONATION, "type": "Scope"}],
        }
    ]
    assert [s["appId"] for s in graph.service_principals] == [app["appId"]]
    [federated] = graph.federated[app["id"]]
    assert (federated["issuer"], federated["subject"]) == (ISSUER, SUBJECT)
    assert f"application (client) id: {app['appId']}" in result.stdout
    assert f"directory (tenant) id: {graph.tenant}" in result.stdout
    assert graph.secrets == [] and "secret" not in result.stdout


def test_onboarding_twice_changes_nothing(graph) -> None:
    args = ("--federated-issuer", ISSUER, "--federated-subject", SUBJECT)
    assert onboard(graph, *args).exit_code == 0
    graph.log.clear()
    result = onboard(graph, *args)
    assert result.exit_code == 0 and graph.writes() == []
    assert "nothing to change" in result.stderr


def test_a_certificate_is_uploaded_once_with_its_thumbprint(graph, tmp_path) -> None:
    path = certificate(tmp_path)
    result = onboard(graph, "--certificate", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["credential"]["kind"] == "certificate"
    assert data["credential"]["expires"].startswith("2027-01-01")
    assert len(graph.apps[0]["keyCredentials"]) == 1
    graph.log.clear()
    assert onboard(graph, "--certificate", str(path)).exit_code == 0
    assert graph.writes() == []


def test_a_private_key_is_refused(graph, tmp_path) -> None:
    path = tmp_path / "key.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
    result = onboard(graph, "--certificate", str(path))
    assert result.exit_code == 2 and "private key" in result.stderr
    assert graph.writes() == []


def test_a_client_secret_only_when_asked_shown_once_with_its_expiry(graph) -> None:
    result = onboard(graph, "--client-secret", "--secret-days", "90")
    assert result.exit_code == 0, result.output
    [secret] = graph.secrets
    assert result.stdout.count(secret) == 1 and secret not in result.stderr
    expires = graph.apps[0]["passwordCredentials"][0]["endDateTime"]
    assert f"expires: {expires}" in result.stdout
    again = onboard(graph, "--client-secret")
    assert again.exit_code == 0 and len(graph.secrets) == 1
    assert "cannot be shown again" in again.stdout
    assert onboard(graph, "--client-secret", "--rotate-secret").exit_code == 0
    assert len(graph.secrets) == 2


MS_GRAPH, USER_READ = "00000003-0000-0000-c000-000000000000", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"


def test_an_existing_app_keeps_its_permissions_and_gains_ours(graph) -> None:
    graph.apps.append(
        {
            "id": "0b1c2d3e-0000-4000-8000-000000000001",
            "appId": "0b1c2d3e-0000-4000-8000-000000000002",
            "displayName": "Voice for Dynamics 365",
            "signInAudience": "AzureADMyOrg",
            "requiredResourceAccess": [
                {"resourceAppId": MS_GRAPH, "resourceAccess": [{"id": USER_READ, "type": "Scope"}]}
            ],
            "keyCredentials": [],
            "passwordCredentials": [],
        }
    )
    graph.federated["0b1c2d3e-0000-4000-8000-000000000001"] = []
    assert (
        onboard(graph, "--federated-issuer", ISSUER, "--federated-subject", SUBJECT).exit_code == 0
    )
    apis = [a["resourceAppId"] for a in graph.apps[0]["requiredResourceAccess"]]
    assert apis == [MS_GRAPH, DYNAMICS_CRM]


def test_dry_run_writes_nothing(graph) -> None:
    result = onboard(graph, "--client-secret", "--dry-run")
    assert result.exit_code == 0, result.output
    assert graph.writes() == [] and "would register the application" in result.stderr
    assert "would add the secret credential" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--client-secret", "--federated-issuer", ISSUER, "--federated-subject", SUBJECT),
        ("--federated-issuer", ISSUER),
    ],
)
def test_exactly_one_credential_is_a_usage_rule(graph, args) -> None:
    result = onboard(graph, *args)
    assert result.exit_code == 2
    assert graph.log == []


def test_a_refused_token_fails_clearly_and_writes_nothing(graph) -> None:
    result = invoke(
        ["onboard", "--graph-url", graph.url, "--client-secret"],
        {"GRAPH_TOKEN": "not-the-token", "DATAVERSE_TOKEN": None},
    )
    assert result.exit_code == 1
    assert "read the tenant: InvalidAuthenticationToken" in result.stderr
    assert "not-the-token" not in result.output
    assert graph.writes() == []
