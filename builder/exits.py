"""The exit codes of every command, the one function that decides a run's exit code, and the
one JSON object a run that ends before its own report prints under --json.

A command says what happened in its run (`exit_code(failed=..., refused=...)`); the code,
and which of two outcomes wins, is decided here only. A `BuildError` carries the exit code
its raiser chose from this table, and the CLI exits with it. docs/limits.md, the README and
docs/deploy.md list the same table (tests/codebase/test_exits.py holds them together).
Nothing is imported here: the console script's start (and its cached --help) stays fast.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads the name)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Protocol

    class _Reported(Protocol):  # a Diagnostic (errors/), without importing it here
        def to_json(self) -> dict[str, Any]: ...


OK, FAILED, USAGE, REFUSED, RUNNING, INTERNAL = 0, 1, 2, 3, 4, 70
SIGNALLED = 128  # a run ended by signal N exits 128 + N, as shells report it

# exit code -> (the status word deploy's and fleet's JSON reports give, its meaning)
EXIT_CODES: dict[int, tuple[str, str]] = {
    OK: ("done", "ok"),
    FAILED: ("failed", "errors or failure"),
    USAGE: ("usage", "usage"),
    REFUSED: ("refused", "refused by the plan"),
    RUNNING: ("running", "still running"),
    INTERNAL: ("internal error", "internal error"),
}
STATUS = {code: status for code, (status, _) in EXIT_CODES.items()}


def status_word(code: int) -> str:
    """The status word a JSON report gives for an exit code: the table's, "interrupted" for a
    run a signal ended, "failed" for a code outside the table."""
    return STATUS.get(code) or ("interrupted" if code > SIGNALLED else "failed")


def exit_code(
    *,
    failed: bool = False,
    usage: bool = False,
    refused: bool = False,
    running: bool = False,
    internal: bool = False,
    signal: int = 0,
) -> int:
    """The exit code of a run from what happened in it; the gravest wins: a signal, then an
    internal error, a usage error, a failure, a refusal by the plan, still running; else 0."""
    if signal:
        return SIGNALLED + signal
    ranked = ((internal, INTERNAL), (usage, USAGE), (failed, FAILED), (refused, REFUSED))
    return next((code for happened, code in (*ranked, (running, RUNNING)) if happened), OK)


def json_requested(args: list[str]) -> bool:
    """Whether a command line asks for JSON output (`--json`, `--format json`)."""
    pairs = zip(args, args[1:], strict=False)
    return (
        "--json" in args
        or "--format=json" in args
        or any(a == "--format" and b == "json" for a, b in pairs)
    )


def json_failure(code: int, message: str, diagnostics: Iterable[_Reported] = ()) -> str:
    """What a run that fails (or is stopped) before printing its own report prints under
    --json: still one JSON object."""
    import json

    report = {
        "ok": False,
        "exit_code": code,
        "error": message,
        "diagnostics": [d.to_json() for d in diagnostics],
    }
    return json.dumps(report, indent=2)
