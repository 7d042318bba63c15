"""The two ways to run a solution step, behind one interface: the Web API (default) and pac.

Both are checked the same way afterwards: the installed version must be the step's target.
pac's exit code alone decides nothing; running imports it left are followed through the
Web API.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Protocol

from ..errors import BuildError, diagnostic
from ..exits import REFUSED
from .jobs import ImportFailed, Runner
from .pac_cli import PacError, PacSession, import_args, upgrade_args
from .package_contents import PackageSolution
from .plan import Plan, SolutionStep
from .secrets import mask
from .state import HOLDING_SUFFIX
from .webapi import (
    component_parameters,
    import_solution_async,
    query_running_imports,
    stage_and_upgrade_async,
)


class Backend(Protocol):
    def apply(self, step: SolutionStep, solution: PackageSolution, plan: Plan) -> None: ...


class WebApiBackend:
    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def apply(self, step: SolutionStep, solution: PackageSolution, plan: Plan) -> None:
        name = solution.unique_name
        params = component_parameters(plan.env_values.get(name, {}), plan.connections.get(name, ()))
        if step.action == "resume":
            self.runner.promote(name, step.to_version)
        elif step.action == "upgrade":
            self.runner.run_import(
                lambda: stage_and_upgrade_async(solution.content, params, name),
                name,
                step.to_version,
            )
        else:
            self.runner.run_import(
                lambda: import_solution_async(solution.content, params, name), name, step.to_version
            )
        verify_installed(self.runner, name, step.to_version)


class PacBackend:
    def __init__(self, session: PacSession, runner: Runner, workdir: str) -> None:
        self.session, self.runner, self.workdir = session, runner, workdir
        self.warnings: list[str] = []

    def apply(self, step: SolutionStep, solution: PackageSolution, plan: Plan) -> None:
        name = solution.unique_name
        seconds = max(60.0, self.runner.deadline - self.runner.clock.monotonic())
        if step.action == "resume":
            argv = upgrade_args(name, self.env_url(), seconds)
        else:
            argv = import_args(
                self._zip(solution),
                self.env_url(),
                seconds,
                upgrade=step.action == "upgrade",
                settings_file=self._settings_file(solution, plan),
                publish=not solution.managed,
            )
        result = self.session.run(argv, timeout=seconds + 120)
        self._follow_leftovers(name)
        try:
            verify_installed(self.runner, name, step.to_version)
        except ImportFailed:
            raise PacError(
                argv,
                result,
                f"pac did not leave {name} {step.to_version} "
                "installed" + (" although it exited 0" if result.code == 0 else ""),
            ) from None
        if result.code != 0:
            self.warnings.append(
                f"pac exited {result.code} for {name}, but the environment "
                f"has {step.to_version} installed: done"
            )

    def env_url(self) -> str:
        return self.runner.transport.api_root.split("/api/data/")[0]

    def _follow_leftovers(self, name: str) -> None:
        """An import pac stopped waiting for (--max-async-wait-time) is followed, not redone."""
        for row in self.runner.transport.get_all(
            query_running_imports([name, name + HOLDING_SUFFIX])
        ):
            self.runner.follow(str(row["importjobid"]), "", name)

    def _zip(self, solution: PackageSolution) -> str:
        path = os.path.join(self.workdir, solution.file_name)
        with open(path, "wb") as handle:
            handle.write(solution.content)
        return path

    def _settings_file(self, solution: PackageSolution, plan: Plan) -> str:
        values = plan.env_values.get(solution.unique_name, {})
        connections = plan.connections.get(solution.unique_name, ())
        if not values and not connections:
            return ""
        data = {
            "EnvironmentVariables": [
                {"SchemaName": k, "Value": v} for k, v in sorted(values.items())
            ],
            "ConnectionReferences": list(connections),
        }
        fd, path = tempfile.mkstemp(prefix="settings-", suffix=".json", dir=self.workdir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:  # mkstemp: mode 0600
            json.dump(data, handle, indent=2)
        return path


def verify_installed(runner: Runner, name: str, target: str) -> None:
    """The installed version must be the target, with no holding solution left behind."""
    version = runner.installed_version(name)
    holding = runner.installed_version(name + HOLDING_SUFFIX)
    if version != target or holding:
        detail = f"{name} is {version or 'not installed'} after the import, not {target}"
        detail += f"; {name}{HOLDING_SUFFIX} {holding} is left" if holding else ""
        raise ImportFailed(f"deploying {name}", [detail])


def refused(reasons: list[str] | tuple[str, ...]) -> BuildError:
    return BuildError(
        [diagnostic("DEP060", mask(r), file="deploy", hint="nothing was changed") for r in reasons],
        exit_code=REFUSED,
    )
