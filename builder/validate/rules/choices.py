"""Choices: option values inside the publisher's range, unique, defaults that exist."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...dataverse.options import OPTION_VALUES_PER_PREFIX
from ...model import ChoiceOption, Project, Src
from .base import Context, Finding, fix_or_keep, rule
from .naming import is_system_column


def option_sets(project: Project) -> Iterator[tuple[str, Src, tuple[ChoiceOption, ...]]]:
    """(what, src, options) of every custom choice: global choices and local ones."""
    for choice in project.global_choices:
        yield f"choice {choice.name}", choice.src, choice.options
    for table in project.tables:
        for column in table.columns:
            if column.type == "choice" and not is_system_column(table, column.logical_name):
                yield (
                    f"column {table.logical_name}.{column.logical_name}",
                    column.src,
                    column.options,
                )


def custom_values(project: Project) -> Iterator[tuple[str, int, Src]]:
    for what, _src, options in option_sets(project):
        yield from ((what, o.value, o.src) for o in options)
    for table in project.tables:
        for reason in table.status_reasons:
            yield (
                f"status reason {reason.label!r} of {table.logical_name}",
                reason.value,
                reason.src,
            )


@rule(
    "DV110",
    foreign="warning",
    hint="number custom options from the publisher's option value prefix x 10000",
)
def values_in_range(ctx: Context) -> Iterable[Finding]:
    low = ctx.project.publisher.option_value_prefix * OPTION_VALUES_PER_PREFIX
    high = low + OPTION_VALUES_PER_PREFIX - 1
    for what, value, src in custom_values(ctx.project):
        if not low <= value <= high:
            yield Finding(
                src,
                f"{what}: value {value} is outside {low}..{high}",
                fix_or_keep(
                    ctx,
                    f"number custom options {low}, {low + 1}, ... "
                    "(publisher option value prefix x 10000)",
                    "value",
                ),
            )


@rule("DV111", hint="give each option its own value")
def values_unique(ctx: Context) -> Iterable[Finding]:
    for what, _src, options in option_sets(ctx.project):
        seen: set[int] = set()
        for option in options:
            if option.value in seen:
                yield Finding(option.src, f"{what}: option value {option.value} is used twice")
            seen.add(option.value)
    for table in ctx.project.tables:
        reasons = [r.value for r in table.status_reasons]
        for value in {v for v in reasons if reasons.count(v) > 1}:
            src = next(r.src for r in table.status_reasons if r.value == value)
            yield Finding(src, f"{table.logical_name}: status reason value {value} is used twice")


@rule(
    "DV112",
    hint="give the column options, or name a global choice the project declares",
)
def choice_has_options(ctx: Context) -> Iterable[Finding]:
    declared = {c.name.lower() for c in ctx.project.global_choices} | ctx.raw.choices
    for table in ctx.project.tables:
        for col in table.columns:
            if col.type != "choice" or is_system_column(table, col.logical_name):
                continue
            bound = col.global_choice.lower()
            if col.options and bound:
                yield Finding(
                    col.src,
                    f"{col.logical_name} has both options and global choice {col.global_choice!r}",
                )
            elif not col.options and not bound:
                yield Finding(col.src, f"{col.logical_name} is a choice without options")
            elif bound.startswith(ctx.prefix + "_") and bound not in declared:
                # another solution of the publisher may declare it (a real export can
                # depend on one): certain only for our own sources
                yield Finding(
                    col.src,
                    f"{col.logical_name} names global choice "
                    f"{col.global_choice!r}, which the project does not declare",
                    at_most=None if ctx.house else "warning",
                )


@rule(
    "DV113",
    hint="set the default to one of the option values",
)
def default_option_exists(ctx: Context) -> Iterable[Finding]:
    choices = {c.name.lower(): c.options for c in ctx.project.global_choices}
    for table in ctx.project.tables:
        for col in table.columns:
            if col.type != "choice" or col.default_option is None:
                continue
            options = col.options or choices.get(col.global_choice.lower(), ())
            if options and col.default_option not in {o.value for o in options}:
                yield Finding(
                    col.src,
                    f"{col.logical_name}: default {col.default_option} is not one of its options",
                )


# Highest statecode of the standard tables we know (activities: Open, Completed, Canceled,
# Scheduled); a custom table has Active (0) and Inactive (1), a custom activity table the
# activity states.
_STATES = {"phonecall": 2, "task": 2, "email": 3, "letter": 2, "fax": 2, "appointment": 3}


@rule(
    "DV114",
    hint="a status reason sits under a state of its table (phone call: 0 Open, 1 Completed, "
    "2 Canceled)",
)
def status_reason_states(ctx: Context) -> Iterable[Finding]:
    for table in ctx.project.tables:
        top = _STATES.get(
            table.logical_name, 3 if table.is_activity else 1 if not table.existing else 99
        )
        for reason in table.status_reasons:
            if not 0 <= reason.state <= top:
                yield Finding(
                    reason.src,
                    f"status reason {reason.label!r} of "
                    f"{table.logical_name} names state {reason.state}",
                )
