"""Run the real `voicepkg` CLI as a subprocess, bounded in time, and judge it as a user would.

`Sandbox` is a private folder tree per test: `work/` is the working directory, `tmp/` is the
run's TMPDIR, `home/` its HOME. `sandbox.run(...)` starts `python -m builder ARGS` there with a
clean environment, waits at most `timeout` seconds (then kills it and says so), and measures the
program's own peak resident memory: the kernel's high-water mark (VmHWM in /proc/PID/status),
polled every few milliseconds from the moment the child runs `builder`. `check(...)` asserts
what every case must hold:

- it ended by itself within its time bound (no hang);
- the exit code is one of those expected, and never 70 (an internal error is a bug);
- no Python traceback and no "internal error" on either stream;
- under `--json`/`--format json`, stdout is exactly one JSON object;
- peak memory under the bound (`PEAK_RSS_LIMIT_MB`, the figure docs/limits.md states);
- no secret given to the case appears in any output.

`sandbox.changes()` lists every path created, removed or modified anywhere in the sandbox since
it was made (or since `mark()`), so a case can assert that nothing was written outside its
target and that no temporary file outlived the run (`tmp/` must end empty).

Every run is recorded; the suite's closing summary prints the number of runs, how many hit an
internal error or a time bound, and the worst peak memory (tests/adversarial/conftest.py).
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PEAK_RSS_LIMIT_MB = 400  # every case, whatever its input (docs/limits.md)
DEFAULT_TIMEOUT = 30.0  # seconds; a case that needs more is a hang
ADDRESS_SPACE_CAP = 6 * 1024**3  # a safety net for the shared machine, far above the bound
INTERNAL = ("Traceback (most recent call last)", "internal error")
ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "solution_src"
PACKAGE_ZIP = "VoiceForD365Package_1_0_0_0.zip"
SOLUTION_ZIP = "VoiceForD365_1_0_0_0_managed.zip"


@dataclass
class Run:
    args: list[str]
    code: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float
    timed_out: bool = False
    signalled: int = 0  # the signal the harness sent mid-run, if any

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        """stdout as the one JSON document it must be (json.loads refuses two, or trailing
        text). An object, except validate's report, a list until the one-grammar work
        gives it an object."""
        value = json.loads(self.stdout)
        if not (isinstance(value, list) and self.args and self.args[0] == "validate"):
            assert isinstance(value, dict), f"stdout is JSON but not an object: {self.stdout[:200]}"
        return value

    def __str__(self) -> str:
        return (
            f"voicepkg {' '.join(self.args)[:300]} -> exit {self.code} in {self.seconds:.1f}s, "
            f"peak {self.peak_rss_mb:.0f} MB{' (TIMED OUT)' if self.timed_out else ''}\n"
            f"--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"
        )


@dataclass
class Record:
    runs: list[Run] = field(default_factory=list)

    def summary(self) -> str:
        if not self.runs:
            return "adversarial: no runs"
        worst = max(self.runs, key=lambda r: r.peak_rss_mb)
        internal = sum(r.code == 70 or any(m in r.output for m in INTERNAL) for r in self.runs)
        hangs = sum(r.timed_out for r in self.runs)
        return (
            f"adversarial: {len(self.runs)} CLI runs, {internal} internal errors, {hangs} hangs, "
            f"worst peak RSS {worst.peak_rss_mb:.0f} MB "
            f"(voicepkg {' '.join(worst.args)[:120]}), "
            f"longest {max(r.seconds for r in self.runs):.1f}s"
        )


RECORD = Record()


def _cap_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def _as_ordinary_user() -> None:  # runs in the child before exec
    """Permissions apply even to root: drop the capabilities that let root read and write
    anything (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, so the program
    exec'd gets none (an unprivileged user is unaffected)."""
    _cap_memory()
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_voicepkg(
    args: Iterable[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = DEFAULT_TIMEOUT,
    stdin: bytes | None = None,
    interrupt: int = 0,
    interrupt_when: Callable[[], bool] | None = None,
    out_dir: Path | None = None,
    unprivileged: bool = False,
    record: bool = True,
) -> Run:
    """Run `python -m builder ARGS` and wait for it (at most `timeout` s), measuring it.

    With `interrupt` (a signal number) and `interrupt_when` (a predicate polled every few
    milliseconds), the signal is sent once the predicate holds, as a CI cancel would.
    `unprivileged` runs it as an ordinary user would be, even under root (file permissions
    hold). `record=False` keeps a deliberate hang out of the suite's counts.
    """
    argv = [str(a) for a in args]
    out_dir = out_dir or cwd
    with open(out_dir / ".stdout", "w+b") as out, open(out_dir / ".stderr", "w+b") as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "builder", *argv],
            cwd=cwd,
            env=dict(env),
            stdout=out,
            stderr=err,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            preexec_fn=_as_ordinary_user if unprivileged else _cap_memory,
        )
        if stdin is not None and proc.stdin:
            try:
                proc.stdin.write(stdin)
                proc.stdin.close()
            except BrokenPipeError:
                pass
        status, peak_mb, timed_out, sent = _wait(proc, start + timeout, interrupt, interrupt_when)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = (
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    (out_dir / ".stdout").unlink()
    (out_dir / ".stderr").unlink()
    code = os.waitstatus_to_exitcode(status)
    run = Run(argv, code, stdout, stderr, peak_mb, seconds, timed_out, sent)
    if record:
        RECORD.runs.append(run)
    return run


def _wait(
    proc: subprocess.Popen[bytes],
    deadline: float,
    interrupt: int,
    interrupt_when: Callable[[], bool] | None,
) -> tuple[int, float, bool, int]:
    """Reap exactly this child (status, its peak RSS in MB), killing it at the deadline."""
    sent = 0
    timed_out = False
    peak_kb = 0
    while True:
        peak_kb = max(peak_kb, _high_water_kb(proc.pid))
        pid, status = os.waitpid(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
            return status, peak_kb / 1024, timed_out, sent
        if (
            interrupt
            and not sent
            and (interrupt_when is None or interrupt_when())
            and _handles_signals(proc.pid)
        ):
            proc.send_signal(interrupt)
            sent = interrupt
        if time.monotonic() > deadline and not timed_out:
            timed_out = True
            proc.kill()
        time.sleep(0.003)


def _handles_signals(pid: int) -> bool:
    """Whether the child catches SIGTERM yet (bit 15 of SigCgt in /proc/PID/status): voicepkg
    installs its handler first thing, so a signal sent earlier would land in the interpreter's
    own start-up, before any code of ours runs, and test Python rather than voicepkg (under
    heavy load start-up alone can outlast the delay a test waits). Without /proc, True."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1)
    except (OSError, ValueError, IndexError):
        return True
    return True


def _high_water_kb(pid: int) -> int:
    """The kernel's high-water mark of the program's resident memory (VmHWM), read only once
    the child runs `builder` (before its exec, /proc shows the forked copy of pytest; and
    wait4's ru_maxrss would count that copy too, which is why it is not used)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            if b"builder" not in handle.read().split(b"\0")[:4]:
                return 0
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under `root` (not following links) -> (mode, size, mtime_ns); folders by
    mode only (creating and removing a temporary file inside changes a folder's times)."""
    seen: dict[str, tuple[int, int, int]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):  # a folder's times change with its temp files
                seen[os.path.relpath(path, root)] = (info.st_mode, 0, 0)
            else:
                seen[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return seen


class Sandbox:
    """A private tree for one case: work/ (cwd), tmp/ (TMPDIR), home/ (HOME)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "work"
        self.tmp = root / "tmp"
        self.home = root / "home"
        for folder in (self.work, self.tmp, self.home):
            folder.mkdir(parents=True, exist_ok=True)
        self.env: dict[str, str] = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            # the compiled-template cache is the tool's own, kept beside the sandbox
            "VOICEPKG_CACHE_DIR": str(root.parent / "voicepkg-cache"),
        }
        self._before = snapshot(self.root)

    def mark(self) -> None:
        """Forget changes so far: `changes()` reports only what happens after this."""
        self._before = snapshot(self.root)

    def run(
        self,
        *args: object,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        **options: Any,
    ) -> Run:
        merged = {**self.env, **(env or {})}
        return run_voicepkg(
            [str(a) for a in args], cwd=cwd or self.work, env=merged, out_dir=self.root, **options
        )

    def changes(self) -> set[str]:
        """Paths (relative to the sandbox) created, removed or modified since the last mark."""
        after = snapshot(self.root)
        before = self._before
        changed = {p for p in after if before.get(p) != after[p]}
        changed |= set(before) - set(after)
        return changed

    def assert_written_only(self, *allowed: Path) -> None:
        """Nothing changed in the sandbox except under `allowed` (files or folders) and the
        compiled-template cache (the one write outside a target that voicepkg documents,
        README: Build); tmp/ is empty (no temporary file outlived the run)."""
        cache = self.home / ".cache" / "voicepkg"
        prefixes = [str(p.relative_to(self.root)) for p in (*allowed, self.tmp, cache)]
        stray = sorted(
            p
            for p in self.changes()
            if not any(p == a or p.startswith(a + os.sep) for a in prefixes)
            and not any(a.startswith(p + os.sep) for a in prefixes)  # a parent folder's mtime
        )
        assert not stray, f"written outside the target: {stray[:20]}"
        leftovers = sorted(os.listdir(self.tmp))
        assert not leftovers, f"temporary files outlived the run: {leftovers[:20]}"


def check(
    run: Run,
    codes: Iterable[int] = (1,),
    *,
    json_object: bool | None = None,
    secrets: Iterable[str] = (),
    max_rss_mb: float = PEAK_RSS_LIMIT_MB,
    says: Iterable[str] = (),
) -> Run:
    """The rules every adversarial case holds; `says` are texts the output must contain (a
    diagnostic code, a path)."""
    expected = tuple(codes)
    assert not run.timed_out, f"hang: killed at its time bound\n{run}"
    for marker in INTERNAL:
        assert marker not in run.output, f"internal error\n{run}"
    assert run.code != 70, f"exit 70 (internal error)\n{run}"
    assert run.code in expected, f"exit {run.code}, expected one of {expected}\n{run}"
    as_json = (
        json_object
        if json_object is not None
        else (
            "--json" in run.args
            or any(a == "--format=json" for a in run.args)
            or any(
                a == "--format" and b == "json"
                for a, b in zip(run.args, run.args[1:], strict=False)
            )
        )
    )
    if as_json:
        try:
            run.json()
        except ValueError as exc:
            raise AssertionError(f"--json did not print one JSON object ({exc})\n{run}") from None
    assert run.peak_rss_mb <= max_rss_mb, f"peak RSS {run.peak_rss_mb:.0f} MB > {max_rss_mb}\n{run}"
    for secret in secrets:
        assert secret not in run.output, f"secret printed\n{run}"
    for text in says:
        assert text in run.output, f"output lacks {text!r}\n{run}"
    return run


def kill_signals() -> tuple[int, ...]:
    return (signal.SIGINT, signal.SIGTERM)


def make_zip(entries: Mapping[str, bytes], level: int = 6) -> bytes:
    """A zip of `entries` exactly as named (no checks: hostile names are the point)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def copy_sources(sandbox: Sandbox) -> Path:
    """A private copy of solution_src in the sandbox's working folder."""
    target = sandbox.work / "solution_src"
    shutil.copytree(SOURCES, target)
    sandbox.mark()
    return target
