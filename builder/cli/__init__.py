"""The `voicepkg` command line: a thin click layer over the library API.

Subcommands live in their own modules and are imported only when run, so `voicepkg --help`
starts fast. `BuildError` becomes its diagnostics on stderr and the error's exit code (1 by
default); usage errors stay click's exit 2; anything else is a bug, shown in full only with
`--debug`. The global options (`--debug`, `-q`, `-v`, `--ci`) are accepted anywhere on the
line (`output.hoist_global_options`); the project configuration is read once, here.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from .. import interrupts
from ..exits import exit_code, json_failure, json_requested

if TYPE_CHECKING:  # imported on first use: `voicepkg --help` needs neither (nor dataclasses)
    from ..errors import BuildError, Diagnostic
from .output import CI_CHOICES, Session, annotate, hoist_global_options, session

F = TypeVar("F", bound=Callable[..., object])

# command name -> (module, attribute, one-line help shown by --help without importing it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("builder.cli.build_cmd", "build", "Build the solution zips or the whole package."),
    "validate": ("builder.cli.validate_cmd", "validate", "Check sources, a zip or a package."),
    "deploy": ("builder.cli.deploy_cmd", "deploy", "Install, update or upgrade an environment."),
    "settings": ("builder.cli.deploy_cmd", "settings", "Deployment settings files."),
    "doctor": ("builder.cli.doctor_cmd", "doctor", "Check an installed environment (read only)."),
    "fleet": ("builder.cli.fleet_cmd", "fleet", "Many environments: status, plan, rings."),
    "configure": (
        "builder.cli.configure_cmd",
        "configure",
        "Do the configuration guide's steps (1.4-1.5.6) in an environment.",
    ),
    "onboard": (
        "builder.cli.configure_cmd",
        "onboard",
        "Register the app for Enreach in the customer's tenant (guide 1.2).",
    ),
    "diff": ("builder.cli.diff_cmd", "diff", "What changed between two versions."),
    "unpack": ("builder.cli.diff_cmd", "unpack", "Turn a solution zip into solution_src sources."),
}


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        """Every command's BuildError becomes its diagnostics and exit code, here, once."""
        args = ctx.meta.get("voicepkg.argv", [])
        try:
            return super().invoke(ctx)
        except build_error() as error:
            error.diagnostics = _named_for(error.diagnostics, ctx.invoked_subcommand or "")
            print_diagnostics(error)
            if json_requested(args):
                click.echo(
                    json_failure(
                        error.exit_code,
                        str(error.errors[0] if error.errors else error),
                        error.diagnostics,
                    )
                )
            ctx.exit(error.exit_code)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["voicepkg.argv"] = list(args)  # to know, on failure, whether JSON was asked
        return super().parse_args(ctx, hoist_global_options(args))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="voicepkg", prog_name="voicepkg")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only results and errors; no progress lines.")
@click.option("-v", "--verbose", is_flag=True, help="More detail (every warning, each step).")
@click.option(
    "--ci",
    type=click.Choice(CI_CHOICES),
    default="auto",
    show_default=True,
    help="CI-native output (annotations, step summary): auto means on under "
    "GITHUB_ACTIONS or TF_BUILD.",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool, verbose: bool, ci: str) -> None:
    """voicepkg: build, validate, diff and deploy Voice for Dynamics 365.

    Global options work before or after the command. Exit codes: 0 ok, 1 errors or failure,
    2 usage, 3 refused by the plan, 4 still running, 70 internal error.
    """
    from ..config import load_config
    from ..report.ci import detect_ci

    if quiet and verbose:
        raise click.UsageError("-q and -v contradict each other")
    ctx.obj = Session(debug, -1 if quiet else int(verbose), detect_ci(ci, os.environ))
    ctx.obj.config = load_config()


def build_error() -> type[BuildError]:
    """BuildError, imported when an exception is matched against it (never on --help)."""
    from ..errors import BuildError

    return BuildError


def src_option(help: str) -> Callable[[F], F]:
    """`--src`, the solution_src folder: what build reads, and deploy with --from-source."""
    return click.option(
        "--src",
        type=click.Path(path_type=Path),
        default=Path("solution_src"),
        show_default=True,
        help=help,
    )


def _named_for(items: list[Diagnostic], command: str) -> list[Diagnostic]:
    """The deploy library (shared by deploy, doctor, fleet and configure) locates its
    diagnostics at "deploy"; the command actually run is named instead."""
    from dataclasses import replace

    if not command or command == "deploy":
        return items
    return [replace(d, file=command) if d.file == "deploy" else d for d in items]


def print_diagnostics(error: BuildError) -> None:
    for item in error.diagnostics:
        click.echo(str(item), err=True)
    annotate(error.diagnostics)


def configured(value: Path, option: str, name: str) -> Path:
    """An option's value, or the project configuration's when the option was not given."""
    ctx = click.get_current_context()
    if ctx.get_parameter_source(option) != click.core.ParameterSource.DEFAULT:
        return value
    return getattr(session().config, name) or value


def _fail(code: int, message: str, args: list[str], diagnostics: Iterable[Diagnostic] = ()) -> None:
    """End a failed run: the message on stderr and, under --json, one JSON object on stdout
    (a command that failed before printing its own report still prints one)."""
    click.echo(message, err=True)
    if json_requested(args):
        click.echo(json_failure(code, message, diagnostics))
    sys.exit(code)


def _signal_inside(error: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM an exception carries as its cause: Python 3.11 wraps one that
    lands while a class is being made (`__set_name__`, a lazily imported module) in a
    RuntimeError, which is an interrupted run, not a bug."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _interrupted(stop: KeyboardInterrupt, args: list[str]) -> None:
    """Ctrl-C or SIGTERM: temporary files are already gone; exit 128 + the signal."""
    _fail(interrupts.exit_code(stop), interrupts.said(stop), args)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script and __main__ exit with it)."""
    args = argv if argv is not None else sys.argv[1:]
    debug = "--debug" in args
    interrupts.install()
    try:
        # standalone_mode=False hands back ctx.exit(code) as the return value
        result = cli.main(args=argv, prog_name="voicepkg", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except build_error() as error:
        print_diagnostics(error)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:  # a usage error: click's message, and under
        error.show()  # --json still one JSON object on stdout
        if json_requested(args):
            from ..errors import diagnostic

            usage = diagnostic(
                "CLI001",
                error.format_message(),
                hint="voicepkg COMMAND --help lists the options",
            )
            click.echo(json_failure(error.exit_code, error.format_message(), [usage]))
        sys.exit(error.exit_code)
    except click.exceptions.Abort as abort:  # click's name for Ctrl-C (and SIGTERM)
        cause = abort.__cause__ or abort.__context__
        _interrupted(cause if isinstance(cause, KeyboardInterrupt) else KeyboardInterrupt(), args)
    except KeyboardInterrupt as stop:
        _interrupted(stop, args)
    except Exception as error:  # a bug: say so plainly, unless it wraps a signal
        wrapped = _signal_inside(error)
        if wrapped is not None:
            _interrupted(wrapped, args)
        if debug:
            raise
        _fail(
            exit_code(internal=True),
            f"internal error: {type(error).__name__}: {error} (run with --debug for "
            "the traceback, and please report it)",
            args,
        )
    return exit_code(internal=True)  # not reached: every branch above exits
