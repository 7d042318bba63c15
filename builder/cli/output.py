"""The one output grammar of every command, in one place.

- `--format text|json|markdown|sarif|junit` where each applies (`format_option`), with
  `--json` kept as an alias of `--format json`; json prints exactly one object on stdout.
- Global options, accepted before or after the command (`GLOBAL_FLAGS`, moved to the front by
  the command group): `--debug`, `-q/--quiet`, `-v/--verbose`, `--ci auto|github|azure|none`.
- CI-native output (`builder.report.ci`): annotations on stderr for every diagnostic, and the
  command's Markdown appended to GitHub's step summary.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:  # imported on first use: `voicepkg --help` needs neither
    from ..config import Config
    from ..errors import Diagnostic

F = TypeVar("F", bound=Callable[..., Any])

GLOBAL_FLAGS = frozenset({"--debug", "-q", "--quiet", "-v", "--verbose"})
GLOBAL_VALUED = frozenset({"--ci"})
CI_CHOICES = ("auto", "github", "azure", "none")  # builder.report.ci.detect_ci


class Session:
    """What the global options and the project configuration say, for every command."""

    def __init__(
        self,
        debug: bool = False,
        verbosity: int = 0,
        ci: str | None = None,
        config: Config | None = None,
    ) -> None:
        self.debug = debug
        self.verbosity = verbosity  # -1 quiet, 0 normal, 1 verbose
        self.ci = ci  # "github", "azure" or None
        self._config = config

    @property
    def config(self) -> Config:
        if self._config is None:
            from ..config import Config

            self._config = Config()
        return self._config

    @config.setter
    def config(self, value: Config) -> None:
        self._config = value


def session() -> Session:
    ctx = click.get_current_context(silent=True)
    found = ctx.find_root().obj if ctx is not None else None
    return found if isinstance(found, Session) else Session()


def hoist_global_options(args: list[str]) -> list[str]:
    """Global options anywhere before `--` moved to the front, where the group reads them."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        name = arg.split("=", 1)[0]
        if arg in GLOBAL_FLAGS or (name in GLOBAL_VALUED and "=" in arg):
            front.append(arg)
        elif arg in GLOBAL_VALUED and index + 1 < len(args):
            front += args[index : index + 2]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """`--format` with `choices`, and `--json` as its alias; the command gets `fmt`."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def run(*args: Any, as_json: bool, fmt: str, **kwargs: Any) -> Any:
            if as_json and fmt not in (default, "json"):
                raise click.UsageError(f"--json and --format {fmt} contradict each other")
            return command(*args, fmt="json" if as_json else fmt, **kwargs)

        run = click.option(
            "--json",
            "as_json",
            is_flag=True,
            help="Same as --format json (one JSON object on stdout).",
        )(run)
        run = click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(run)
        return run  # type: ignore[return-value]

    return decorate


def info(message: str) -> None:
    """A progress or summary line on stderr; -q silences it."""
    if session().verbosity >= 0:
        click.echo(message, err=True)


def annotate(diagnostics: Iterable[Diagnostic]) -> None:
    """In a CI, each diagnostic also as the CI's own error or warning line (on stderr, so
    machine output on stdout stays intact; both CIs read workflow commands from either)."""
    ci = session().ci
    if ci is None:
        return
    from ..report.ci import annotation

    for item in diagnostics:
        click.echo(annotation(item, ci), err=True)


def step_summary(markdown: str) -> None:
    """Append `markdown` to the job's summary: GitHub's step summary file, or on Azure DevOps
    a file in the agent's temp folder attached with `##vso[task.uploadsummary]`."""
    ci = session().ci
    if ci == "github":
        from ..report.ci import append_step_summary

        append_step_summary(markdown, os.environ)
    elif ci == "azure":
        from ..report.ci import azure_summary

        ctx = click.get_current_context(silent=True)
        command = ctx.info_name if ctx is not None and ctx.info_name else "voicepkg"
        attach = azure_summary(markdown, os.environ, command)
        if attach is not None:
            click.echo(attach, err=True)


def render_report(report: dict[str, Any], fmt: str) -> str:
    """deploy's or doctor's report dict (their `--format json` object, keyed by "report")
    as `fmt`."""
    from ..report import junit, markdown

    doctor = report.get("report") == "doctor"
    if fmt == "json":
        return json.dumps(report, indent=2) + "\n"
    if fmt == "markdown":
        return markdown.doctor_markdown(report) if doctor else markdown.deploy_markdown(report)
    cases = junit.doctor_cases(report) if doctor else junit.deploy_cases(report)
    return junit.junit_xml(f"voicepkg {report.get('report', 'deploy')}", cases)
