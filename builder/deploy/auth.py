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

import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from ..errors import BuildError
from .secrets import mask, register

KINDS = (
    "auto",
    "token",
    "secret",
    "certificate",
    "workload-identity",
    "github",
    "azure-devops",
    "azure-cli",
    "default",
)
GITHUB_AUDIENCE = "api://AzureADTokenExchange"
TOKEN_SECONDS = 20.0  # connect and read deadline of each token service request
TOKEN_RETRIES = 1  # azure-identity's own retries of a failing token service


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
    oidc_request_uri: str = ""  # Azure DevOps: SYSTEM_OIDCREQUESTURI

    def who(self) -> str:
        """The identity, for messages: never a secret."""
        if self.kind == "token":
            return "DATAVERSE_TOKEN"
        if self.client_id or self.tenant_id:
            return f"client id {self.client_id or '?'} in tenant {self.tenant_id or '?'}"
        return f"--auth {self.kind}"


def choose_auth(environ: Mapping[str, str], requested: str = "auto") -> AuthSpec:
    """The credential to use, from the environment; a clear error naming what is missing."""
    env = {k: v for k, v in environ.items() if v}
    kind = requested if requested != "auto" else _detect(env)
    spec = _spec(kind, env)
    for secret in (spec.secret, spec.certificate_password, spec.token, spec.request_token):
        register(secret)
    _check_pipeline(spec, env)
    _check(spec)
    _check_values(spec)
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
    if env.get("GITHUB_ACTIONS") == "true" and "AZURE_CLIENT_ID" in env:
        return "github"  # a federated app in a job that got no OIDC token: say why (below)
    if env.get("TF_BUILD", "").lower() == "true" and (
        "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID" in env
    ):
        return "azure-devops"  # SYSTEM_ACCESSTOKEN not mapped into the step: say so (below)
    raise BuildError.at(
        "DEP030",
        "no credentials found for the Dataverse Web API",
        file="deploy",
        hint="set DATAVERSE_TOKEN, or AZURE_CLIENT_ID + AZURE_TENANT_ID with "
        "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or run in GitHub Actions "
        "(permissions: id-token: write) or Azure DevOps with a workload identity service "
        "connection (see docs/deploy.md)",
        exit_code=2,
    )


def _spec(kind: str, env: Mapping[str, str]) -> AuthSpec:
    client = env.get("AZURE_CLIENT_ID") or env.get("AZURESUBSCRIPTION_CLIENT_ID", "")
    tenant = env.get("AZURE_TENANT_ID") or env.get("AZURESUBSCRIPTION_TENANT_ID", "")
    return AuthSpec(
        kind=kind,
        tenant_id=tenant,
        client_id=client,
        secret=env.get("AZURE_CLIENT_SECRET", ""),
        certificate_path=env.get("AZURE_CLIENT_CERTIFICATE_PATH", ""),
        certificate_password=env.get("AZURE_CLIENT_CERTIFICATE_PASSWORD", ""),
        token=env.get("DATAVERSE_TOKEN", ""),
        federated_token_file=env.get("AZURE_FEDERATED_TOKEN_FILE", ""),
        request_url=env.get("ACTIONS_ID_TOKEN_REQUEST_URL", ""),
        request_token=env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
        or env.get("SYSTEM_ACCESSTOKEN", ""),
        service_connection_id=env.get("AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", ""),
        oidc_request_uri=env.get("SYSTEM_OIDCREQUESTURI", ""),
    )


NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "token": (("token", "DATAVERSE_TOKEN"),),
    "secret": (
        ("client_id", "AZURE_CLIENT_ID"),
        ("tenant_id", "AZURE_TENANT_ID"),
        ("secret", "AZURE_CLIENT_SECRET"),
    ),
    "certificate": (
        ("client_id", "AZURE_CLIENT_ID"),
        ("tenant_id", "AZURE_TENANT_ID"),
        ("certificate_path", "AZURE_CLIENT_CERTIFICATE_PATH"),
    ),
    "workload-identity": (
        ("client_id", "AZURE_CLIENT_ID"),
        ("tenant_id", "AZURE_TENANT_ID"),
        ("federated_token_file", "AZURE_FEDERATED_TOKEN_FILE"),
    ),
    "github": (
        ("client_id", "AZURE_CLIENT_ID"),
        ("tenant_id", "AZURE_TENANT_ID"),
        ("request_url", "ACTIONS_ID_TOKEN_REQUEST_URL"),
        ("request_token", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
    ),
    "azure-devops": (
        ("client_id", "AZURE_CLIENT_ID or AZURESUBSCRIPTION_CLIENT_ID"),
        ("tenant_id", "AZURE_TENANT_ID or AZURESUBSCRIPTION_TENANT_ID"),
        ("service_connection_id", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"),
        ("request_token", "SYSTEM_ACCESSTOKEN"),
        ("oidc_request_uri", "SYSTEM_OIDCREQUESTURI"),
    ),
}
FILES = (
    ("certificate_path", "AZURE_CLIENT_CERTIFICATE_PATH"),
    ("federated_token_file", "AZURE_FEDERATED_TOKEN_FILE"),
)
HINTS = {
    "github": "the job needs 'permissions: id-token: write', and the app registration a "
    "federated credential with issuer https://token.actions.githubusercontent.com "
    "and the subject of this job (e.g. repo:ORG/REPO:environment:NAME)",
    "azure-devops": "use an AzureCLI@2 task with a workload identity service connection, "
    "and map SYSTEM_ACCESSTOKEN: $(System.AccessToken) into the step's env",
}


def _check(spec: AuthSpec) -> None:
    missing = [variable for attr, variable in NEEDS.get(spec.kind, ()) if not getattr(spec, attr)]
    if spec.kind not in KINDS[1:]:
        missing = [f"a known --auth kind ({', '.join(KINDS)})"]
    if missing:
        raise BuildError.at(
            "DEP031",
            f"--auth {spec.kind} needs {', '.join(missing)}",
            file="deploy",
            hint=HINTS.get(spec.kind, "set those variables"),
            exit_code=2,
        )


def _check_pipeline(spec: AuthSpec, env: Mapping[str, str]) -> None:
    """A pipeline that withholds the federated token: a failure of the job's set-up (exit 1)
    named as such, not a missing-variable usage error."""
    if spec.kind == "github" and env.get("GITHUB_ACTIONS") == "true" and not spec.request_url:
        raise BuildError.at(
            "DEP036",
            "GitHub gave this job no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not "
            "set): the workflow or job lacks 'permissions: id-token: write'",
            file="ACTIONS_ID_TOKEN_REQUEST_URL",
            hint=HINTS["github"],
        )
    if (
        spec.kind == "azure-devops"
        and env.get("TF_BUILD", "").lower() == "true"
        and (not spec.request_token)
    ):
        raise BuildError.at(
            "DEP037",
            "SYSTEM_ACCESSTOKEN is not set in this step: Azure DevOps maps it only "
            "when the step asks for it",
            file="SYSTEM_ACCESSTOKEN",
            hint=HINTS["azure-devops"],
        )


def _check_values(spec: AuthSpec) -> None:
    """Values that cannot work, refused before any request (usage errors, exit 2)."""
    for attr, variable in (
        ("token", "DATAVERSE_TOKEN"),
        ("request_token", "ACTIONS_ID_TOKEN_REQUEST_TOKEN or SYSTEM_ACCESSTOKEN"),
    ):
        value = getattr(spec, attr)
        if value and not (
            value.isascii() and value.isprintable() and value.strip() == value and " " not in value
        ):
            raise BuildError.at(
                "DEP034",
                f"{variable.split(' ')[0]} holds characters a token cannot have "
                "(whitespace, a trailing newline, control or non-ASCII characters)",
                file=variable.split(" ")[0],
                hint="set the token alone, e.g. "
                'DATAVERSE_TOKEN="$(az account get-access-token ... --query accessToken -o tsv)"',
                exit_code=2,
            )
    for attr, variable in FILES:
        path = getattr(spec, attr)
        if path and spec.kind in ("certificate", "workload-identity"):
            _check_file(path, variable)
    if spec.kind == "github" and spec.request_url:
        parts = urlsplit(spec.request_url)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.username:
            raise BuildError.at(
                "DEP034",
                "ACTIONS_ID_TOKEN_REQUEST_URL is not an http(s) URL",
                file="ACTIONS_ID_TOKEN_REQUEST_URL",
                hint=HINTS["github"],
                exit_code=2,
            )


def _check_file(path: str, variable: str) -> None:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise BuildError.at(
            "DEP035",
            f"{variable} names {path}, which cannot be read ({exc.strerror})",
            file=variable,
            hint="point it at the file the pipeline wrote",
            exit_code=2,
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise BuildError.at(
            "DEP035",
            f"{variable} names {path}, which is not a regular file",
            file=variable,
            hint="point it at the file itself",
            exit_code=2,
        )


def make_credential(spec: AuthSpec) -> Any:
    """The azure-identity credential for `spec` (nothing is fetched until a token is asked).
    Its requests to the token service have connect and read deadlines and one retry."""
    import azure.identity as identity

    bounds: dict[str, Any] = {
        "connection_timeout": TOKEN_SECONDS,
        "read_timeout": TOKEN_SECONDS,
        "retry_total": TOKEN_RETRIES,
    }
    if spec.kind == "secret":
        return identity.ClientSecretCredential(
            spec.tenant_id, spec.client_id, spec.secret, **bounds
        )
    if spec.kind == "certificate":
        return identity.CertificateCredential(
            spec.tenant_id,
            spec.client_id,
            spec.certificate_path,
            password=spec.certificate_password or None,
            **bounds,
        )
    if spec.kind == "workload-identity":
        return identity.WorkloadIdentityCredential(
            tenant_id=spec.tenant_id,
            client_id=spec.client_id,
            token_file_path=spec.federated_token_file,
            **bounds,
        )
    if spec.kind == "github":
        return identity.ClientAssertionCredential(
            spec.tenant_id, spec.client_id, lambda: github_oidc_token(spec), **bounds
        )
    if spec.kind == "azure-devops":
        return identity.AzurePipelinesCredential(
            tenant_id=spec.tenant_id,
            client_id=spec.client_id,
            service_connection_id=spec.service_connection_id,
            system_access_token=spec.request_token,
            **bounds,
        )
    if spec.kind == "azure-cli":
        return identity.AzureCliCredential()
    return identity.DefaultAzureCredential()


def github_request_url(request_url: str) -> str:
    """ACTIONS_ID_TOKEN_REQUEST_URL with the audience added to the query it already has
    (`...?api-version=2.0`), as GitHub's own toolkit does (`&audience=`)."""
    joiner = "&" if urlsplit(request_url).query else ("" if request_url.endswith("?") else "?")
    return f"{request_url}{joiner}audience={quote(GITHUB_AUDIENCE, safe='')}"


def github_oidc_token(spec: AuthSpec) -> str:
    """The GitHub Actions OIDC token for Entra ID's token exchange audience."""
    host = urlsplit(spec.request_url).hostname or "?"
    try:
        response = httpx.get(
            github_request_url(spec.request_url),
            headers={"Authorization": f"bearer {spec.request_token}"},
            timeout=httpx.Timeout(TOKEN_SECONDS),
            follow_redirects=False,
        )
        value = response.json().get("value") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        raise BuildError.at(
            "DEP032",
            f"could not get the GitHub OIDC token from {host}: {type(exc).__name__}",
            file="ACTIONS_ID_TOKEN_REQUEST_URL",
            hint=HINTS["github"],
        ) from None
    if not isinstance(value, str) or not value:
        raise BuildError.at(
            "DEP032",
            f"GitHub refused the OIDC token (HTTP {response.status_code} from {host})",
            file="ACTIONS_ID_TOKEN_REQUEST_URL",
            hint=HINTS["github"],
        )
    register(value)
    return value


class TokenProvider:
    """Bearer tokens for one environment: `provider()` returns a valid one."""

    def __init__(self, spec: AuthSpec, env_url: str, clock_wall: Any = None) -> None:
        self.spec, self.scope = spec, env_url.rstrip("/") + "/.default"
        self._credential: Any = None
        self._token, self._expires = "", 0.0
        self._wall = clock_wall

    @property
    def refreshable(self) -> bool:
        """A fixed DATAVERSE_TOKEN cannot be renewed; every other kind can."""
        return self.spec.kind != "token"

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
        from azure.core.exceptions import AzureError

        _quiet_azure_logs()
        try:
            if self._credential is None:
                self._credential = make_credential(self.spec)
            access = self._credential.get_token(self.scope)
        except BuildError:
            raise
        except (AzureError, ValueError, OSError, TypeError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BuildError.at(
                "DEP033",
                f"could not get a token for {self.scope} ({self.spec.who()}): {mask(first[:500])}",
                file=f"--auth {self.spec.kind}",
                hint=HINTS.get(
                    self.spec.kind,
                    "check the app registration, its secret or "
                    "certificate, the tenant, and that the token service "
                    "(login.microsoftonline.com, or AZURE_AUTHORITY_HOST) is "
                    "reachable",
                ),
            ) from None
        register(access.token)
        self._token, self._expires = access.token, float(access.expires_on)

    def _now(self) -> float:
        import time

        return self._wall() if self._wall else time.time()


def _quiet_azure_logs() -> None:
    """azure-identity logs each failure as a warning; deploy reports it once, as a diagnostic."""
    logger = logging.getLogger("azure")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.propagate = False
