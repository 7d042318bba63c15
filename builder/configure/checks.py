"""`voicepkg doctor --config ENV.toml`: each configure step's result, as doctor findings.

A step is healthy when configure would change nothing for it (read only: the plan is made
from a fresh read and never applied). A step waiting for an Enreach id, or naming something
the environment lacks, fails with what to do.
"""

from __future__ import annotations

from ..deploy.checks import Finding
from ..deploy.transport import Transport
from .env_config import Config
from .plan import SECTIONS, plan_configure
from .snapshot import read_snapshot

NAMES = {
    "application_user": "application user (configured)",
    "cif1": "CIF 1.0 apps and roles",
    "cif2": "app profiles and users",
    "phone_call_forms": "Phone Call forms in apps",
    "click_to_dial": "click-to-dial",
    "users": "Enreach e-mails",
    "call_sync": "call sync fallback",
    "callback_profiles": "callback profiles",
}


def config_findings(transport: Transport, config: Config) -> list[Finding]:
    plan = plan_configure(config, read_snapshot(transport, config))
    out = []
    for step in NAMES:
        if not getattr(config, step):
            continue
        name = NAMES[step]
        fix = f"run voicepkg configure --config {config.path} (guide {SECTIONS[step]})"
        problems = [p.split(": ", 1)[1] for p in plan.problems if p.startswith(step + ":")]
        todo = [
            f"{c.action} {c.target}"
            for c in plan.changes
            if c.step == step and c.action != "unchanged" and not c.target.startswith("publish ")
        ]  # publishing follows an edit
        if problems:
            out.append(
                Finding(
                    name,
                    False,
                    "; ".join(problems),
                    f"fix {config.path} or the environment (guide {SECTIONS[step]})",
                )
            )
        elif todo:
            out.append(Finding(name, False, f"{len(todo)} change(s) to make", fix, tuple(todo)))
        else:
            out.append(Finding(name, True, f"as {config.path} says"))
    return out
