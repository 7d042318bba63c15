"""Credentials from the CI environment, tokens that are re-acquired, and secrets masked."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import azure.identity as identity
import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError

import builder.deploy.auth as auth
from builder.deploy.auth import TokenProvider, choose_auth, github_oidc_token, make_credential
from builder.deploy.secrets import mask, mask_argv, register
from builder.errors import BuildError

SPN = {"AZURE_CLIENT_ID": "app", "AZURE_TENANT_ID": "tenant"}
# the shapes the services hand out (GitHub: the runner's token URL carries api-version already)
GITHUB_URL = (
    "https://pipelinesghubeus2.actions.githubusercontent.com/abc123/00000000-0000-0000"
    "-0000-000000000000/_apis/distributedtask/hubs/build/plans/1111/jobs/2222/idtoken"
    "?api-version=2.0"
)
ADO_OIDC = (
    "https://dev.azure.com/contoso/00000000-0000-0000-0000-000000000001/_apis/"
    "distributedtask/hubs/build/plans/0000/jobs/1111/oidctoken"
)


@pytest.mark.parametrize(
    "environ, kind",
    [
        ({"DATAVERSE_TOKEN": "t0k3n-value", **SPN, "AZURE_CLIENT_SECRET": "s"}, "token"),
        ({**SPN, "AZURE_CLIENT_SECRET": "s3cret"}, "secret"),
        ({**SPN, "AZURE_CLIENT_CERTIFICATE_PATH": __file__}, "certificate"),
        ({**SPN, "AZURE_FEDERATED_TOKEN_FILE": __file__}, "workload-identity"),
        (
            {
                **SPN,
                "ACTIONS_ID_TOKEN_REQUEST_URL": "https://x",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "r",
            },
            "github",
        ),
        (
            {
                **SPN,
                "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "sc",
                "SYSTEM_ACCESSTOKEN": "sys",
                "SYSTEM_OIDCREQUESTURI": ADO_OIDC,
            },
            "azure-devops",
        ),
    ],
)
def test_auto_picks_the_credential_the_environment_offers(
    environ: dict[str, str], kind: str
) -> None:
    assert choose_auth(environ).kind == kind


def test_empty_variables_count_as_unset() -> None:
    assert choose_auth({"DATAVERSE_TOKEN": "", **SPN, "AZURE_CLIENT_SECRET": "x1y2"}).kind == (
        "secret"
    )


@pytest.mark.parametrize(
    "kind, environ, missing",
    [
        ("secret", {"AZURE_CLIENT_SECRET": "abcd"}, "AZURE_CLIENT_ID, AZURE_TENANT_ID"),
        ("certificate", SPN, "AZURE_CLIENT_CERTIFICATE_PATH"),
        (
            "azure-devops",
            {**SPN, "SYSTEM_ACCESSTOKEN": "abcd"},
            "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
        ),
    ],
)
def test_an_explicit_kind_names_every_missing_variable(
    kind: str, environ: dict[str, str], missing: str
) -> None:
    with pytest.raises(BuildError) as caught:
        choose_auth(environ, kind)
    assert missing in str(caught.value) and caught.value.exit_code == 2


def test_credentials_are_the_azure_identity_ones() -> None:
    def make(environ: dict[str, str], kind: str = "auto") -> Any:
        return make_credential(choose_auth(environ, kind))

    assert isinstance(make({**SPN, "AZURE_CLIENT_SECRET": "s3cr"}), identity.ClientSecretCredential)
    assert isinstance(
        make(
            {
                **SPN,
                "ACTIONS_ID_TOKEN_REQUEST_URL": "https://x",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "reqt",
            }
        ),
        identity.ClientAssertionCredential,
    )
    assert isinstance(
        make(
            {
                **SPN,
                "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "sc",
                "SYSTEM_ACCESSTOKEN": "syst",
                "SYSTEM_OIDCREQUESTURI": ADO_OIDC,
            }
        ),
        identity.AzurePipelinesCredential,
    )


class FakeCredential:
    def __init__(self, lifetime: float = 3600) -> None:
        self.calls, self.lifetime = 0, lifetime

    def get_token(self, scope: str) -> AccessToken:
        self.calls += 1
        assert scope == "https://org.crm.dynamics.com/.default"
        return AccessToken(f"token-number-{self.calls}", int(1_000_000 + self.lifetime))


def test_tokens_are_cached_and_re_acquired_before_they_expire(monkeypatch) -> None:  # noqa: ANN001
    credential = FakeCredential()
    monkeypatch.setattr(auth, "make_credential", lambda spec: credential)
    now = [1_000_000.0]
    provider = TokenProvider(
        choose_auth({**SPN, "AZURE_CLIENT_SECRET": "s3cr"}),
        "https://org.crm.dynamics.com/",
        lambda: now[0],
    )
    assert provider() == provider() == "token-number-1"
    now[0] += 3400  # within five minutes of the end
    assert provider() == "token-number-2"
    provider.refresh()
    assert provider() == "token-number-3"
    assert "token-number-3" not in mask("Authorization: token-number-3")


def test_a_refused_credential_is_a_clear_error_without_the_secret(monkeypatch) -> None:  # noqa: ANN001
    class Refusing:
        def get_token(self, scope: str) -> AccessToken:
            raise ClientAuthenticationError("AADSTS7000215: Invalid client secret s3cr3t-v4lue")

    monkeypatch.setattr(auth, "make_credential", lambda spec: Refusing())
    provider = TokenProvider(
        choose_auth({**SPN, "AZURE_CLIENT_SECRET": "s3cr3t-v4lue"}), "https://org.crm.dynamics.com"
    )
    with pytest.raises(BuildError) as caught:
        provider()
    assert "AADSTS7000215" in str(caught.value) and "s3cr3t-v4lue" not in str(caught.value)


def test_github_oidc_token_keeps_the_api_version_and_adds_the_audience(monkeypatch) -> None:  # noqa: ANN001
    seen: dict[str, Any] = {}

    class Answer:
        status_code = 200

        def json(self) -> dict[str, str]:
            return {"value": "the-github-jwt"}

    def get(url: str, headers: dict[str, str], **options: Any) -> Answer:
        seen.update(url=url, headers=headers, options=options)
        return Answer()

    monkeypatch.setattr(auth.httpx, "get", get)
    spec = choose_auth(
        {
            **SPN,
            "ACTIONS_ID_TOKEN_REQUEST_URL": GITHUB_URL,
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "req-token",
        }
    )
    assert github_oidc_token(spec) == "the-github-jwt"
    query = parse_qs(urlsplit(seen["url"]).query)
    assert query == {"api-version": ["2.0"], "audience": ["api://AzureADTokenExchange"]}
    assert seen["url"].startswith(GITHUB_URL + "&audience=")
    assert seen["headers"] == {"Authorization": "bearer req-token"}
    assert seen["options"]["timeout"] is not None


def test_mask_hides_registered_secrets_their_base64_bearer_tokens_and_data_urls() -> None:
    register("p@ss-word-1")
    text = (
        "secret p@ss-word-1 b64 cEBzcy13b3JkLTE= Authorization: Bearer eyJabc.def.ghi "
        "--clientSecret data:text/plain;base64,AAAABBBB"
    )
    masked = mask(text)
    assert "p@ss-word-1" not in masked and "cEBzcy13b3JkLTE=" not in masked
    assert "eyJabc" not in masked and "AAAABBBB" not in masked
    assert mask_argv(["--clientSecret", "p@ss-word-1"]) == ["--clientSecret", "***"]
