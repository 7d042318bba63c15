"""Deploy, start to end: read the environment, plan, print the plan, apply it, check.

Only `deploy()` sequences the stages; each stage lives in its own module. A running import
found at the start (a deploy killed or timed out earlier) is followed first, then the
environment is read again and planned again, so a rerun completes without a second import.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Protocol

from ..errors import BuildError, Diagnostic, diagnostic
from .auth import AuthSpec
from .backends import Backend, PacBackend, WebApiBackend, refused
from .batch import BatchPart, build_batch, chunks, parse_batch_response
from .checks import Finding, post_install_checks
from .jobs import Handles, ImportFailed, Runner, StillRunning
from .pac_cli import PacRunner, pac_session
from .package_contents import Package
from .plan import Options, Plan, SolutionStep, plan_deploy
from .secrets import mask
from .settings import DeploymentSettings
from .state import EnvState, read_state
from .transport import Busy, DataverseError, Transport
from .virtual_io import apply_virtual
from .webapi import Request, error_code, publish_all, set_env_value, upsert

MAX_ROUNDS = 4  # waits on earlier imports, each followed by a fresh read and plan


class Ui(Protocol):
    def plan(self, plan: Plan) -> None: ...

    def progress(self, label: str, percent: float) -> None: ...

    def note(self, text: str) -> None: ...


@dataclass
class Deployment:
    package: Package
    options: Options
    settings: DeploymentSettings
    via: str = "webapi"
    dry_run: bool = False
    auth: AuthSpec | None = None  # pac needs the service principal
    environ: Mapping[str, str] = field(default_factory=dict)
    pac_runner: PacRunner | None = None


@dataclass
class Outcome:
    plan: Plan | None = None
    steps: list[tuple[SolutionStep, str]] = field(default_factory=list)  # (step, status)
    checks: list[Finding] = field(default_factory=list)  # after-install checks
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings and errors
    exit_code: int = 0
    records_written: int = 0  # settings and provider records written by this run
    virtual_written: bool = False  # the data source and table links were written
    virtual_linked: list[str] = field(default_factory=list)  # tables pointed at the source
    handles: dict[int, Handles] = field(default_factory=dict)  # step index -> job key, op id
    seconds: dict[int, float] = field(default_factory=dict)  # step index -> time it took

    def warn(self, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(
            diagnostic(code, mask(message), file="deploy", hint=hint, severity="warning")
        )

    def fail(self, error: BuildError) -> None:
        self.diagnostics += [masked(d) for d in error.diagnostics]
        self.exit_code = error.exit_code


def masked(item: Diagnostic) -> Diagnostic:
    return Diagnostic(
        item.file,
        item.line,
        item.column,
        item.code,
        mask(item.message),
        mask(item.hint),
        item.severity,
    )


def deploy(job: Deployment, runner: Runner, ui: Ui) -> Outcome:
    """Run a deployment; every failure lands in the outcome with its exit code."""
    outcome = Outcome()
    try:
        _deploy(job, runner, ui, outcome)
    except BuildError as error:
        outcome.fail(error)
        _mark_unfinished(outcome, "running" if isinstance(error, StillRunning) else "failed")
    return outcome


def _deploy(job: Deployment, runner: Runner, ui: Ui, outcome: Outcome) -> None:
    state = read_state(runner.transport, job.package)
    plan = plan_deploy(state, job.package, job.options, job.settings)
    outcome.plan = plan
    for text in plan.warnings:
        outcome.warn("DEP061", text)
    ui.plan(plan)
    outcome.steps = [(s, "planned") for s in plan.steps]
    if plan.refused:
        outcome.steps = [(s, "refused" if s.action == "refuse" else "not run") for s in plan.steps]
        raise refused(plan.refusals)
    if job.dry_run:
        outcome.steps = [(s, "dry-run") for s in plan.steps]
        return
    state, plan = _finish_earlier_imports(job, runner, ui, state, plan, outcome)
    with _backend(job, runner, ui) as backend:
        _run_steps(job.package, plan, backend, outcome, runner)
        if isinstance(backend, PacBackend):
            for text in backend.warnings:
                outcome.warn("DEP052", text)
    outcome.records_written = write_records(runner.transport, plan, runner.new_id(), state.env_ids)
    if plan.virtual is not None and plan.virtual.writes:
        outcome.virtual_linked = apply_virtual(runner, plan.virtual)
        outcome.virtual_written = True
    if job.via != "pac":  # pac publishes with --publish-changes itself
        _publish_if_unmanaged(runner, job.package, plan)
    outcome.plan = plan
    outcome.checks = post_install_checks(runner.transport, plan, job.package, state)
    for finding in outcome.checks:
        if not finding.ok:
            outcome.warn(finding.code, f"{finding.name}: {finding.detail()}", finding.instruction)


def _finish_earlier_imports(
    job: Deployment, runner: Runner, ui: Ui, state: EnvState, plan: Plan, outcome: Outcome
) -> tuple[EnvState, Plan]:
    for _ in range(MAX_ROUNDS):
        waits = [s for s in plan.steps if s.action == "wait"]
        if not waits:
            return state, plan
        for step in waits:
            ui.note(f"{step.unique_name}: following import job {step.job_id} started earlier")
            try:
                runner.follow(step.job_id, "", step.unique_name)
            except (ImportFailed, Busy) as error:  # that earlier attempt failed: plan again
                outcome.warn("DEP042", f"an earlier import of {step.unique_name} failed: {error}")
        state = read_state(runner.transport, job.package)
        plan = plan_deploy(state, job.package, job.options, job.settings)
        if plan.refused:
            raise refused(plan.refusals)
        earlier = [(s, "done") for s in waits]
        outcome.steps = earlier + [
            (s, "planned") for s in plan.steps if not (s.action == "skip" and _waited(s, waits))
        ]
        outcome.handles = {i: Handles(s.job_id, "") for i, s in enumerate(waits)}
    raise StillRunning("imports started by earlier deploys")


def _waited(step: SolutionStep, waits: list[SolutionStep]) -> bool:
    return any(w.unique_name == step.unique_name for w in waits)


@contextmanager
def _backend(job: Deployment, runner: Runner, ui: Ui) -> Iterator[Backend]:
    if job.via != "pac":
        yield WebApiBackend(runner)
        return
    assert job.auth is not None and job.pac_runner is not None
    env_url = runner.transport.api_root.split("/api/data/")[0]
    with (
        tempfile.TemporaryDirectory(prefix="voicepkg-deploy-") as workdir,
        pac_session(job.pac_runner, job.auth, env_url, job.environ, ui.note) as session,
    ):
        yield PacBackend(session, runner, workdir)


def _run_steps(
    package: Package, plan: Plan, backend: Backend, outcome: Outcome, runner: Runner
) -> None:
    solutions = {s.unique_name: s for s in package.solutions}
    for index, (step, status) in enumerate(outcome.steps):
        if status != "planned":
            continue
        if step.action == "skip":
            outcome.steps[index] = (step, "skipped")
            continue
        outcome.steps[index] = (step, "running")
        started = runner.clock.monotonic()
        runner.handles.pop(step.unique_name, None)
        try:
            backend.apply(step, solutions[step.unique_name], plan)
        finally:
            outcome.seconds[index] = runner.clock.monotonic() - started
            if step.unique_name in runner.handles:
                outcome.handles[index] = runner.handles[step.unique_name]
        outcome.steps[index] = (step, "done")


def _mark_unfinished(outcome: Outcome, status: str) -> None:
    after = {"running": status, "planned": "not run"}
    outcome.steps = [(s, after.get(st, st)) for s, st in outcome.steps]


def write_records(
    transport: Transport,
    plan: Plan,
    batch_id: str,
    ids: Mapping[str, tuple[str, str]] | None = None,
) -> int:
    """Settings and the CIF 1.0 provider, in $batch change sets of at most 1000 writes.
    Creates carry If-None-Match: * (a row with that id already there is refused, never
    overwritten); updates If-Match: *."""
    ids = ids or {}
    requests = [
        replace(
            upsert("enreach_settings", row.id, row.fields(), must_not_exist=True),
            label=f"setting {row.name}",
        )
        for row in plan.settings.create
    ]
    requests += [
        replace(
            upsert(
                "enreach_settings",
                record_id,
                {"enreach_value": row.default, "enreach_defaultvalue": row.default},
                must_exist=True,
            ),
            label=f"setting {row.name}",
        )
        for record_id, row in plan.settings.update
    ]
    requests += [
        replace(
            upsert("enreach_settings", record_id, {"enreach_value": value}, must_exist=True),
            label=f"setting {name}",
        )
        for record_id, name, value in plan.settings.assign
    ]
    requests += [
        set_env_value(
            schema,
            value,
            *ids.get(schema, ("", "")),
            new_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{batch_id}/{schema}")),
        )
        for schema, value in plan.env_writes
    ]
    if plan.provider is not None:
        requests.append(
            replace(
                upsert("msdyn_ciproviders", plan.provider.id, dict(plan.provider.fields)),
                label="the CIF 1.0 provider record",
            )
        )
    for number, chunk in enumerate(chunks(requests)):
        send_batch(transport, chunk, f"{batch_id}_{number}")
    return len(requests)


def send_batch(transport: Transport, requests: list[Request], batch_id: str) -> None:
    content_type, body = build_batch(requests, transport.api_root, batch_id)
    response = transport.send(
        Request(
            "POST",
            "$batch",
            headers=(("Content-Type", content_type),),
            body=body,
            label=f"write {len(requests)} record(s)",
            multipart_errors=True,
        )
    )
    parts = parse_batch_response(response.headers.get("content-type", ""), response.content)
    failed = [p for p in parts if p.status >= 400 or p.status == 0]
    if failed:
        raise BuildError([_part_error(p, requests) for p in failed])
    if response.status >= 400 or len(parts) != len(requests):
        raise ImportFailed(
            "writing the settings",
            [f"HTTP {response.status}: {len(parts)} answers to {len(requests)} writes"],
        )


def _part_error(part: BatchPart, requests: list[Request]) -> Diagnostic:
    """One failed write of a change set: which record, which column, the service's message
    and code. The change set is atomic, so none of its writes were kept."""
    code, message = error_code(part.payload)
    index = int(part.content_id) - 1 if part.content_id.isdigit() else -1
    request = requests[index] if 0 <= index < len(requests) else None
    fields = dict(request.json or {}) if request else {}
    column = next(
        (name for name in sorted(fields, key=len, reverse=True) if name and name in message), ""
    )
    record = request.path if request else f"operation {part.content_id or '?'}"
    name = request.label if request else ""
    text = (
        f"{record}{f' ({name})' if name else ''}"
        f"{f', column {column}' if column else ''}: {message or 'failed'} "
        f"(HTTP {part.status}{f', {code}' if code else ''})"
    )
    return diagnostic(
        "DEP044",
        mask(text),
        file=record,
        hint="the whole change set was rolled back: nothing of this batch was "
        "written; fix the cause and run deploy again",
    )


def _publish_if_unmanaged(runner: Runner, package: Package, plan: Plan) -> None:
    """Managed imports arrive published; only an unmanaged import needs PublishAllXml."""
    imported = {s.unique_name for s in plan.steps if s.action in ("install", "update", "upgrade")}
    if not any(not s.managed and s.unique_name in imported for s in package.solutions):
        return
    while True:
        try:
            runner.transport.send(publish_all())
            return
        except Busy:
            runner.wait_for_lock("publish")


def new_runner(
    transport: Transport,
    clock: object,
    deadline: float,
    interval: float,
    ui: Ui,
    new_id: Callable[[], str] | None = None,
) -> Runner:
    return Runner(
        transport,
        clock,  # type: ignore[arg-type]
        deadline,
        interval,
        ui,
        new_id or (lambda: str(uuid.uuid4())),
    )


__all__ = ["DataverseError", "Deployment", "Outcome", "deploy", "new_runner", "write_records"]
