"""One environment's credentials and Web API transport, from its fleet entry.

The fleet file names where each secret is (an environment variable filled from CI secrets or
a vault, or the CI engine's federated credential); here those are turned into the variables
deploy's own credential chooser reads, for that environment alone, so one tenant's secret is
never offered to another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import httpx

from ..deploy.auth import AuthSpec, TokenProvider, choose_auth
from ..deploy.clock import Clock
from ..deploy.transport import CONNECT_SECONDS, RetryPolicy, Transport, answer_seconds
from ..errors import BuildError
from .fleetfile import Environment

CREDENTIAL_VARIABLES = (
    "DATAVERSE_TOKEN",
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURESUBSCRIPTION_CLIENT_ID",
    "AZURESUBSCRIPTION_TENANT_ID",
)
FEDERATED_KINDS = {
    "github": "github",
    "azure-devops": "azure-devops",
    "workload-identity": "workload-identity",
}
READ_POLICY = RetryPolicy(attempts=3, cap=10.0)  # status and plan: a down environment fails fast


def environ_for(env: Environment, environ: Mapping[str, str]) -> tuple[dict[str, str], str]:
    """(the variables for this environment, the credential kind); a clear error when the
    variable the fleet file names is not set."""
    auth = env.auth
    if not (auth.secret_env or auth.certificate_env or auth.token_env or auth.federated):
        return dict(environ), "auto"  # no auth in the fleet file: as `voicepkg deploy` does
    out = {k: v for k, v in environ.items() if k not in CREDENTIAL_VARIABLES}
    out.update(AZURE_TENANT_ID=auth.tenant_id, AZURE_CLIENT_ID=auth.client_id)
    if auth.federated:
        keep = {"workload-identity": ("AZURE_FEDERATED_TOKEN_FILE",)}.get(auth.federated, ())
        out.update({k: environ[k] for k in keep if k in environ})
        return out, FEDERATED_KINDS[auth.federated]
    name, target, kind = next(
        (n, t, k)
        for n, t, k in (
            (auth.token_env, "DATAVERSE_TOKEN", "token"),
            (auth.secret_env, "AZURE_CLIENT_SECRET", "secret"),
            (auth.certificate_env, "AZURE_CLIENT_CERTIFICATE_PATH", "certificate"),
        )
        if n
    )
    if not environ.get(name):
        raise BuildError.at(
            "FLT030",
            f"{env.name}: the environment variable {name} is not set",
            file="fleet",
            hint="map the CI secret (or vault entry) of this environment to that variable",
            exit_code=2,
        )
    out[target] = environ[name]
    return out, kind


def credentials(env: Environment, environ: Mapping[str, str]) -> tuple[AuthSpec, dict[str, str]]:
    variables, kind = environ_for(env, environ)
    return choose_auth(variables, kind), variables


@contextmanager
def shared_client(jobs: int) -> Iterator[httpx.Client]:
    """One HTTP client for a whole fleet run (thread-safe; its pool keeps one origin's
    connections apart from another's): made once, since each client costs a TLS context."""
    client = httpx.Client(
        timeout=httpx.Timeout(answer_seconds(), connect=CONNECT_SECONDS),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=max(1, jobs)),
    )
    try:
        yield client
    finally:
        client.close()


def open_transport(
    env: Environment,
    spec: AuthSpec,
    clock: Clock,
    timeout: float,
    client: httpx.Client,
    policy: RetryPolicy | None = None,
) -> Transport:
    """The environment's transport over the run's shared client (nothing to close)."""
    who = f"app {spec.client_id} in tenant {spec.tenant_id}" if spec.client_id else ""
    return Transport(
        env.url,
        TokenProvider(spec, env.url),
        clock,
        client=client,
        policy=policy,
        deadline=clock.monotonic() + timeout,
        who=who,
    )
