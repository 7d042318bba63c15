"""`fleet matrix`: the job matrix for the CI engine, one job per environment, so a fleet
larger than one machine deploys on the engine's own runners.

GitHub Actions: `strategy.matrix` from JSON (`fromJSON`), an `include` list, with
`max-parallel`. Azure DevOps: `strategy.matrix` from a runtime expression, a mapping of leg
names (letters, digits, `_`) to variables, with `maxParallel`. Excluded environments, and
those outside their maintenance window at `now`, get no job (their reasons are returned).
Only names of secrets travel in the matrix, never a secret.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..report.markdown import cell
from .fleetfile import Environment, Fleet

ENGINES = ("github", "azure-devops")


def leg(env: Environment, base: Path) -> dict[str, Any]:
    settings = ""
    if env.settings is not None:
        try:
            settings = str(env.settings.relative_to(base))
        except ValueError:
            settings = str(env.settings)
    return {
        "env_name": env.name,
        "env_url": env.url,
        "ring": env.ring,
        "settings": settings,
        "scenario": env.scenario,
        "tenant_id": env.auth.tenant_id,
        "client_id": env.auth.client_id,
        "secret_env": env.auth.secret_env,
        "federated": env.auth.federated,
    }


def pick(fleet: Fleet, ring: int | None, now: float) -> tuple[list[Environment], list[str]]:
    chosen, left = [], []
    for env in fleet.environments:
        if ring is not None and env.ring != ring:
            continue
        if env.excluded:
            left.append(f"{env.name}: excluded in the fleet file")
        elif env.maintenance is not None and not env.maintenance.is_open(now):
            left.append(f"{env.name}: outside its maintenance window ({env.maintenance.text})")
        else:
            chosen.append(env)
    return chosen, left


def job_matrix(
    fleet: Fleet, engine: str, ring: int | None, now: float, base: Path, jobs: int | None = None
) -> tuple[dict[str, Any], list[str]]:
    envs, left = pick(fleet, ring, now)
    parallel = jobs or fleet.jobs
    legs = [leg(e, base) for e in envs]
    if engine == "github":
        return {"matrix": {"include": legs}, "max-parallel": parallel}, left
    return {
        "matrix": {name: item for name, item in zip(leg_names(envs), legs, strict=True)},
        "maxParallel": parallel,
    }, left


def leg_names(envs: list[Environment]) -> list[str]:
    """Azure DevOps leg names: letters, digits and '_', starting with a letter, unique."""
    out: list[str] = []
    for env in envs:
        name = re.sub(r"[^A-Za-z0-9_]", "_", env.name)
        name = name if name[:1].isalpha() else "env_" + name
        while name in out:
            name += "_"
        out.append(name)
    return out


def matrix_jobs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The jobs of either engine's matrix, in order."""
    legs = data["matrix"]
    return list(legs["include"] if "include" in legs else legs.values())


def matrix_text(data: dict[str, Any], left: list[str]) -> str:
    lines = [
        f"ring {job['ring']}  {job['env_name']}  {job['env_url']}"
        + (f"  settings {job['settings']}" if job["settings"] else "")
        for job in matrix_jobs(data)
    ]
    lines += [f"no job: {reason}" for reason in left]
    parallel = data.get("max-parallel", data.get("maxParallel"))
    lines.append(f"{len(matrix_jobs(data))} job(s), at most {parallel} at once")
    return "\n".join(lines) + "\n"


def matrix_markdown(data: dict[str, Any], left: list[str]) -> str:
    jobs = matrix_jobs(data)
    parallel = data.get("max-parallel", data.get("maxParallel"))
    lines = [
        f"### Fleet matrix: {len(jobs)} job(s), at most {parallel} at once",
        "",
        "| ring | environment | URL | settings | scenario |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {j['ring']} | {cell(j['env_name'])} | {cell(j['env_url'])} | "
        f"{cell(j['settings'])} | {cell(j['scenario'])} |"
        for j in jobs
    ]
    if left:
        lines += ["", "No job:", ""] + [f"- {cell(reason)}" for reason in left]
    return "\n".join(lines) + "\n"
