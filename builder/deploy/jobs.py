"""Run one solution operation through the Web API and see it to the end, whatever happens.

- An import is followed by the handle the service's answer gives: `ImportJobKey` (the import
  job) and `AsyncOperationId`. No ImportJobId is sent: Microsoft documents ImportJobKey as the
  handle, and its own client strips ImportJobId from async imports as unsupported.
- "Another import is running" (the customization lock) is waited out, within the deadline;
  then deploy follows any import of the solution still running and re-reads the installed
  version before it posts again.
- A lost answer (dropped connection, 5xx) is not a failure: deploy looks for an import job of
  the solution that did not exist before its request, and follows it; when there is none and
  the version is not installed, it posts again.
- The async operation and the import job are polled until they end; the import job's `data`
  log is read even when the operation says Succeeded (it can hold failures).
- When the deadline comes first, `StillRunning` says which job to follow next time.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import BuildError, diagnostic
from ..exits import RUNNING
from ..xmlio.safe import parse_xml
from .clock import Clock
from .secrets import mask
from .transport import Ambiguous, Busy, DataverseError, Deadline, Transport
from .webapi import (
    Request,
    delete_and_promote_async,
    get_async_operation,
    get_import_job,
    is_lock_error,
    query_import_jobs,
    query_running_imports,
    query_solutions,
)

MAX_ATTEMPTS = 6  # fresh attempts after lost answers or jobs that died on the lock
LOCK_WAIT, LOCK_WAIT_CAP = 15.0, 120.0


class Progress(Protocol):
    def progress(self, label: str, percent: float) -> None: ...

    def note(self, text: str) -> None: ...


class StillRunning(BuildError):
    """The deadline came while the server was still working; exit code 4."""

    def __init__(self, what: str, job_id: str = "") -> None:
        self.job_id = job_id
        where = f" (import job {job_id})" if job_id else ""
        super().__init__(
            diagnostic(
                "DEP040",
                f"{what} is still running on the server{where} at the end of --timeout",
                file="deploy",
                hint="run the same deploy again: it follows the running job and "
                "does not start a second import",
            ),
            exit_code=RUNNING,
        )


class ImportFailed(BuildError):
    def __init__(self, what: str, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            [
                diagnostic(
                    "DEP041",
                    mask(f"{what} failed: {r}"),
                    file="deploy",
                    hint="see Solution History in the environment",
                )
                for r in reasons or ["no details"]
            ]
        )


@dataclass
class Handles:
    """How the service names one solution's operation: what the report shows per solution."""

    import_job_key: str = ""
    async_operation_id: str = ""


@dataclass
class Runner:
    transport: Transport
    clock: Clock
    deadline: float
    interval: float
    ui: Progress
    new_id: Callable[[], str] = lambda: str(uuid.uuid4())
    lock_waits: int = 0
    handles: dict[str, Handles] = field(default_factory=dict)  # solution -> its last operation

    # --- imports ------------------------------------------------------------------------
    def run_import(self, build: Callable[[], Request], name: str, target: str) -> None:
        """Start an import (`build()` makes the request) and follow it to the end, by the
        handle the service gives (ImportJobKey, AsyncOperationId). After a lost answer or a
        wait for the lock, first find what the service is doing, and re-read the installed
        version, before posting anything again."""
        attempts = 0
        while True:
            attempts += 1
            known = self._job_ids(name)
            try:
                payload = dict(self.transport.send(build()).payload or {})
            except Busy:
                self.wait_for_lock(name)
                if self.reconcile(name, target):
                    return
                continue
            except Ambiguous:
                found = self._new_job(name, known)
                if found is None:
                    if self.installed_version(name) == target:
                        return
                    self._check_attempts(attempts, name, "the answer was lost")
                    continue
                payload = {"ImportJobKey": found}  # it did start: follow that job
            except Deadline:
                raise StillRunning(f"waiting to import {name}") from None
            if not payload.get("ImportJobKey"):  # not in the answer: the job it created
                payload["ImportJobKey"] = self._new_job(name, known) or ""
            if self._follow_or_retry(payload, name):
                return
            if self.reconcile(name, target):
                return
            self._check_attempts(attempts, name, "the job met the customization lock")

    def reconcile(self, name: str, target: str) -> bool:
        """After a wait: follow any import of `name` the service is running (someone else's,
        or ours whose answer was lost), then say whether `target` is installed now."""
        for row in self.transport.get_all(query_running_imports([name, name + "_Upgrade"])):
            with contextlib.suppress(ImportFailed, Busy):  # it failed: ours is posted again
                self.follow(str(row["importjobid"]), "", name)
        return self.installed_version(name) == target

    def _follow_or_retry(self, payload: dict[str, Any], name: str) -> bool:
        operation = str(payload.get("AsyncOperationId") or "")
        key = str(payload.get("ImportJobKey") or "")
        self.handles[name] = Handles(key, operation)
        if not key and not operation:
            return False  # nothing to follow: the caller looks at what the service is doing
        try:
            self.follow(key, operation, name)
        except Busy:  # the job itself died on the lock: wait, then look again
            self.wait_for_lock(name)
            return False
        return True

    def _job_ids(self, name: str) -> set[str]:
        rows = self.transport.get_all(query_import_jobs([name, name + "_Upgrade"]))
        return {str(r.get("importjobid") or "").lower() for r in rows}

    def _new_job(self, name: str, known: set[str]) -> str | None:
        """The import job of `name` that did not exist before our request (the newest)."""
        self.clock.sleep(self.interval)  # the job record can lag its operation a little
        rows = [
            r
            for r in self.transport.get_all(query_import_jobs([name, name + "_Upgrade"]))
            if str(r.get("importjobid") or "").lower() not in known
        ]
        rows.sort(key=lambda r: str(r.get("createdon") or ""))
        return str(rows[-1]["importjobid"]) if rows else None

    def _check_attempts(self, attempts: int, name: str, why: str) -> None:
        if attempts >= MAX_ATTEMPTS:
            raise ImportFailed(f"import of {name}", [f"gave up after {attempts} attempts ({why})"])

    def wait_for_lock(self, name: str) -> None:
        """Locks last minutes: wait 15 s, 30 s, 60 s, then 2 minutes at a time (with jitter)."""
        self.lock_waits += 1
        self.ui.note(f"{name}: another solution operation holds the environment; waiting")
        seconds = min(LOCK_WAIT_CAP, LOCK_WAIT * 2 ** (self.lock_waits - 1)) * self.clock.jitter()
        if self.clock.monotonic() + seconds > self.deadline:
            raise StillRunning(f"another solution operation (before {name})")
        self.clock.sleep(seconds)

    # --- following ------------------------------------------------------------------------
    def follow(self, job_id: str, operation_id: str, name: str) -> None:
        """Poll until the job ends; raise ImportFailed / Busy / StillRunning as it ends."""
        while True:
            state, message = self._operation(operation_id)
            job = self._job(job_id)
            if job is not None:
                self.ui.progress(name, float(job.get("progress") or 0))
            if state == "failed" or (job is not None and job.get("completedon")):
                break
            if state == "succeeded" and job is None:
                break
            self._sleep_or_give_up(name, job_id)
        if state == "running":  # the job ended between the two reads: read the operation again
            state, message = self._operation(operation_id)
        self._judge(job_id, name, state, message)

    def _operation(self, operation_id: str) -> tuple[str, str]:
        if not operation_id:
            return "", ""
        row = self.transport.send(get_async_operation(operation_id)).payload
        if int(row.get("statecode") or 0) != 3:
            return "running", ""
        status = int(row.get("statuscode") or 0)
        message = str(row.get("friendlymessage") or row.get("message") or "")
        return ("succeeded" if status == 30 else "failed"), message

    def _job(self, job_id: str, with_data: bool = False) -> dict[str, Any] | None:
        if not job_id:
            return None
        try:
            return dict(self.transport.send(get_import_job(job_id, with_data)).payload)
        except DataverseError as error:
            if error.status == 404:
                return None
            raise

    def _sleep_or_give_up(self, name: str, job_id: str) -> None:
        if self.clock.monotonic() + self.interval > self.deadline:
            raise StillRunning(f"the import of {name}", job_id)
        self.clock.sleep(self.interval)

    def _judge(self, job_id: str, name: str, state: str, message: str) -> None:
        job = self._job(job_id, with_data=True)
        failures = import_failures(str((job or {}).get("data") or ""), f"importjob {job_id}")
        if any(
            is_lock_error("", text) for text in [message if state == "failed" else ""] + failures
        ):
            raise Busy(
                Request("POST", "ImportSolutionAsync", label=f"import {name}"),
                message or failures[0],
            )
        if state == "failed":
            raise ImportFailed(f"import of {name}", [message or "the operation failed"] + failures)
        if failures:
            raise ImportFailed(f"import of {name} (the operation said it succeeded)", failures)

    # --- upgrades applied from a holding solution ------------------------------------------
    def promote(self, name: str, target: str) -> None:
        """Apply a holding solution. A resumed promote first looks at what the service did:
        the target installed with no holding left means an earlier promote (of a killed
        deploy) finished; one still running refuses ours with the lock, which is waited out
        and looked at again, never posted over."""
        attempts = 0
        while True:
            attempts += 1
            if self.installed_version(name) == target and not self._holding(name):
                return
            try:
                answer = self.transport.send(delete_and_promote_async(name))
            except Busy:
                self.wait_for_lock(name)
                continue
            except Ambiguous:
                if self._promoted(name, target):
                    return
                self._check_attempts(attempts, name, "the answer was lost")
                continue
            operation = str(answer.payload.get("AsyncOperationId", ""))
            self.handles[name] = Handles("", operation)
            try:
                self._follow_operation(operation, name)
            except ImportFailed:
                if self.installed_version(name) == target and not self._holding(name):
                    return  # another promote (a killed deploy's) applied it first
                raise
            return

    def _follow_operation(self, operation_id: str, name: str) -> None:
        while True:
            state, message = self._operation(operation_id)
            if state == "failed":
                raise ImportFailed(f"applying the upgrade of {name}", [message])
            if state == "succeeded":
                return
            self._sleep_or_give_up(f"applying the upgrade of {name}", "")

    def _promoted(self, name: str, target: str) -> bool:
        self.clock.sleep(self.interval)
        return self.installed_version(name) == target and not self._holding(name)

    def _holding(self, name: str) -> bool:
        rows = self.transport.get_all(query_solutions([name + "_Upgrade"]))
        return bool(rows)

    def installed_version(self, name: str) -> str | None:
        rows = self.transport.get_all(query_solutions([name]))
        return str(rows[0]["version"]) if rows else None


def import_failures(data: str, label: str) -> list[str]:
    """Failure results in an import job's `data` log (`<result result="failure" .../>`), and
    a failure said only on the root (`succeeded="failure"`, which Microsoft's own client
    judges by)."""
    if not data.strip():
        return []
    root = parse_xml(data.encode("utf-8"), label)
    out = []
    if root.get("succeeded") == "failure":
        out.append(f"the import log says it failed (status {root.get('status') or '?'})")
    for result in root.iter("result"):
        if result.get("result") != "failure":
            continue
        owner = result.getparent()
        what = owner.tag if owner is not None else "import"
        name = (
            (owner.get("name") or owner.get("id") or owner.findtext("UniqueName") or "")
            if owner is not None
            else ""
        )
        code = result.get("errorcode", "")
        out.append(
            f"{what} {name}: {result.get('errortext', '')}".strip() + (f" ({code})" if code else "")
        )
    return out
