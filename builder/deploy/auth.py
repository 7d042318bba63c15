"""Entra ID tokens for the Dataverse Web API, chosen from the standard CI variables.

`--auth auto` picks, in order:
- `DATAVERSE_TOKEN`: a bearer token obtained elsewhere (used as is);
- `AZURE_CLIENT_SECRET` (+ `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`): client secret;
- `AZURE_CLIENT_CERTIFICATE_PATH` [+ `AZURE_CLIENT_CERTIFICATE_PASSWORD`]: certificate;
- `AZURE_FEDERATED_TOKEN_FILE`: workload identity (Kubernetes and the like);
- `ACTIONS_ID_TOKEN_REQUEST_URL` + `ACTIONS_ID_TOKEN_REQUEST_TOKEN`: GitHub Actions OIDC
  (the job needs `permissions: id-token: write`), federated with the app registration;
- `SYSTEM_ACCESSTOKEN` + `AZURESUBSCRIPTION_SERVICE_CONNECTION_ID`: Azure DevOps workload
  identity federation through a service connection (AzurePipelinesCredential).
The scope is always `<environment URL>/.default`. Tokens are cached until 5 minutes before
they expire, so imports that run for hours re-acquire them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import BuildError
from .secrets import mask, register

KINDS = ("auto", "token", "secret", "certificate", "workload-identity", "github",
         "azure-devops", "azure-cli", "default")
GITHUB_AUDIENCE = "api://AzureADTokenExchange"


@dataclass(frozen=True)
class AuthSpec:
    kind: str
    tenant_id: str = ""
    client_id: str = ""
    secret: str = field(default="", repr=False)
    certificate_path: str = ""
    certificate_password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)
    federated_token_file: str = ""
    request_url: str = ""  # GitHub: ACTIONS_ID_TOKEN_REQUEST_URL
    request_token: str = field(default="", repr=False)  # GitHub or Azure DevOps
    service_connection_id: str = ""


def choose_auth(environ: Mapping[str, str], requested: str = "auto") -> AuthSpec:
    """The credential to use, from the environment; a clear error naming what is missing."""
    env = {k: v for k, v in environ.items() if v}
    kind = requested if requested != "auto" else _detect(env)
    spec = _spec(kind, env)
    for secret in (spec.secret, spec.certificate_password, spec.token, spec.request_token):
        register(secret)
    _check(spec)
    return spec


def _detect(env: Mapping[str, str]) -> str:
    if "DATAVERSE_TOKEN" in env:
        return "token"
    if "AZURE_CLIENT_SECRET" in env:
        return "secret"
    if "AZURE_CLIENT_CERTIFICATE_PATH" in env:
        return "certificate"
    if "AZURE_FEDERATED_TOKEN_FILE" in env:
        return "workload-identity"
    if "ACTIONS_ID_TOKEN_REQUEST_URL" in env and "ACTIONS_ID_TOKEN_REQUEST_TOKEN" in env:
        return "github"
    if "SYSTEM_ACCESSTOKEN" in env and "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID" in env:
        return "azure-devops"
    raise BuildError.at(
        "DEP030", "no credentials found for the Dataverse Web API", file="deploy",
        hint="set DATAVERSE_TOKEN, or AZURE_CLIENT_ID + AZURE_TENANT_ID with "
             "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or run in GitHub Actions "
             "(permissions: id-token: write) or Azure DevOps with a workload identity service "
             "connection (see docs/deploy.md)", exit_code=2)


def _spec(kind: str, env: Mapping[str, str]) -> AuthSpec:
    client = env.get("AZURE_CLIENT_ID") or env.get("AZURESUBSCRIPTION_CLIENT_ID", "")
    tenant = env.get("AZURE_TENANT_ID") or env.get("AZURESUBSCRIPTION_TENANT_ID", "")
    return AuthSpec(
        kind=kind, tenant_id=tenant, client_id=client,
        secret=env.get("AZURE_CLIENT_SECRET", ""),
        certificate_path=env.get("AZURE_CLIENT_CERTIFICATE_PATH", ""),
        certificate_password=env.get("AZURE_CLIENT_CERTIFICATE_PASSWORD", ""),
        token=env.get("DATAVERSE_TOKEN", ""),
        federated_token_file=env.get("AZURE_FEDERATED_TOKEN_FILE", ""),
        request_url=env.get("ACTIONS_ID_TOKEN_REQUEST_URL", ""),
        request_token=env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN") or env.get(
            "SYSTEM_ACCESSTOKEN", ""),
        service_connection_id=env.get("AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", ""),
    )


NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "token": (("token", "DATAVERSE_TOKEN"),),
    "secret": (("client_id", "AZURE_CLIENT_ID"), ("tenant_id", "AZURE_TENANT_ID"),
               ("secret", "AZURE_CLIENT_SECRET")),
    "certificate": (("client_id", "AZURE_CLIENT_ID"), ("tenant_id", "AZURE_TENANT_ID"),
                    ("certificate_path", "AZURE_CLIENT_CERTIFICATE_PATH")),
    "workload-identity": (("client_id", "AZURE_CLIENT_ID"), ("tenant_id", "AZURE_TENANT_ID"),
                          ("federated_token_file", "AZURE_FEDERATED_TOKEN_FILE")),
    "github": (("client_id", "AZURE_CLIENT_ID"), ("tenant_id", "AZURE_TENANT_ID"),
               ("request_url", "ACTIONS_ID_TOKEN_REQUEST_URL"),
               ("request_token", "ACTIONS_ID_TOKEN_REQUEST_TOKEN")),
    "azure-devops": (("client_id", "AZURE_CLIENT_ID or AZURESUBSCRIPTION_CLIENT_ID"),
                     ("tenant_id", "AZURE_TENANT_ID or AZURESUBSCRIPTION_TENANT_ID"),
                     ("service_connection_id", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"),
                     ("request_token", "SYSTEM_ACCESSTOKEN")),
}
HINTS = {
    "github": "the job needs 'permissions: id-token: write', and the app registration a "
              "federated credential with issuer https://token.actions.githubusercontent.com "
              "and the subject of this job (e.g. repo:ORG/REPO:environment:NAME)",
    "azure-devops": "use an AzureCLI@2 task with a workload identity service connection, "
                    "and map SYSTEM_ACCESSTOKEN: $(System.AccessToken) into the step's env",
}


def _check(spec: AuthSpec) -> None:
    missing = [variable for attr, variable in NEEDS.get(spec.kind, ())
               if not getattr(spec, attr)]
    if spec.kind not in KINDS[1:]:
        missing = [f"a known --auth kind ({', '.join(KINDS)})"]
    if missing:
        raise BuildError.at("DEP031", f"--auth {spec.kind} needs {', '.join(missing)}",
                            file="deploy", hint=HINTS.get(spec.kind, "set those variables"),
                            exit_code=2)


def make_credential(spec: AuthSpec) -> Any:
    """The azure-identity credential for `spec` (nothing is fetched until a token is asked)."""
    import azure.identity as identity

    if spec.kind == "secret":
        return identity.ClientSecretCredential(spec.tenant_id, spec.client_id, spec.secret)
    if spec.kind == "certificate":
        return identity.CertificateCredential(spec.tenant_id, spec.client_id,
                                              spec.certificate_path,
                                              password=spec.certificate_password or None)
    if spec.kind == "workload-identity":
        return identity.WorkloadIdentityCredential(tenant_id=spec.tenant_id,
                                                   client_id=spec.client_id,
                                                   token_file_path=spec.federated_token_file)
    if spec.kind == "github":
        return identity.ClientAssertionCredential(spec.tenant_id, spec.client_id,
                                                  lambda: github_oidc_token(spec))
    if spec.kind == "azure-devops":
        return identity.AzurePipelinesCredential(
            tenant_id=spec.tenant_id, client_id=spec.client_id,
            service_connection_id=spec.service_connection_id,
            system_access_token=spec.request_token)
    if spec.kind == "azure-cli":
        return identity.AzureCliCredential()
    return identity.DefaultAzureCredential()


def github_oidc_token(spec: AuthSpec) -> str:
    """The GitHub Actions OIDC token for Entra ID's token exchange audience."""
    response = httpx.get(spec.request_url, params={"audience": GITHUB_AUDIENCE},
                         headers={"Authorization": f"bearer {spec.request_token}"}, timeout=30)
    if response.status_code != 200:
        raise BuildError.at("DEP032", f"GitHub refused the OIDC token ({response.status_code})",
                            file="deploy", hint=HINTS["github"])
    token = str(response.json()["value"])
    register(token)
    return token


class TokenProvider:
    """Bearer tokens for one environment: `provider()` returns a valid one."""

    def __init__(self, spec: AuthSpec, env_url: str, clock_wall: Any = None) -> None:
        self.spec, self.scope = spec, env_url.rstrip("/") + "/.default"
        self._credential: Any = None
        self._token, self._expires = "", 0.0
        self._wall = clock_wall

    def __call__(self) -> str:
        if self.spec.kind == "token":
            return self.spec.token
        if not self._token or self._expires - self._now() < 300:
            self._acquire()
        return self._token

    def refresh(self) -> None:
        """Forget the cached token (after a 401)."""
        self._credential, self._token = None, ""

    def _acquire(self) -> None:
        from azure.core.exceptions import ClientAuthenticationError

        if self._credential is None:
            self._credential = make_credential(self.spec)
        try:
            access = self._credential.get_token(self.scope)
        except ClientAuthenticationError as exc:
            raise BuildError.at("DEP033", f"could not get a token for {self.scope}: "
                                f"{mask(str(exc).splitlines()[0] if str(exc) else '')}",
                                file="deploy", hint=HINTS.get(
                                    self.spec.kind, "check the app registration, its secret "
                                    "or certificate, and the tenant")) from None
        register(access.token)
        self._token, self._expires = access.token, float(access.expires_on)

    def _now(self) -> float:
        import time

        return self._wall() if self._wall else time.time()
