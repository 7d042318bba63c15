"""The rule machinery: a registry of Dataverse rules and the context they read.

A rule is a function of a `Context` that yields `Finding`s; `@rule` registers it with a
stable code and a severity. Rules run against the project's own publisher, so they apply
to foreign solutions (other prefixes) as well as to ours. `house` marks the Voice project
itself: a few rules hold only for it (four-part versions, the settings of the product
guide), and some are only warnings for a solution someone else exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from functools import cached_property

from ...dataverse import standard_tables as standard
from ...dataverse.system_columns import (
    ACTIVITY_COLUMNS,
    AUDIT_COLUMNS,
    CURRENCY_COLUMNS,
    ORGANIZATION_COLUMNS,
    OWNER_COLUMNS,
    STANDARD_ACTIVITY_EXTRA,
)
from ...errors import Diagnostic, Severity, diagnostic
from ...errors.codes import CODES
from ...model import Column, Project, Src, Table
from ...model.frozen import frozen
from ..rawindex import RawIndex, RawTable, raw_index

HOUSE_PUBLISHER = "enreach"  # the Voice publisher's unique name


@frozen
class Finding:
    """One problem a rule found, where it is and how to fix it."""

    src: Src
    message: str
    hint: str = ""
    # "warning" where the rule cannot be sure (a name missing from an incomplete list)
    at_most: Severity | None = None


@frozen
class Context:
    """What the rules look at: the project and indexes over it."""

    project: Project
    house: bool = True
    baseline_version: str | None = None
    baseline_label: str = ""
    read_back: bool = False  # the model was read from a built zip, not loaded from sources

    @property
    def prefix(self) -> str:
        return self.project.publisher.prefix.lower()

    @cached_property
    def tables(self) -> dict[str, Table]:
        return {t.logical_name: t for t in self.project.tables}

    @cached_property
    def raw(self) -> RawIndex:
        """What the components kept verbatim declare (parsed once per check)."""
        return raw_index(self.project.raw_parts)

    def raw_table(self, logical_name: str) -> RawTable | None:
        """A table kept as exported (not one the model holds)."""
        name = logical_name.lower()
        return None if name in self.tables else self.raw.tables.get(name)

    def has_table(self, logical_name: str) -> bool:
        name = logical_name.lower()
        return name in self.tables or name in standard.STANDARD_TABLES or name in self.raw.tables

    def columns(self, logical_name: str) -> frozenset[str] | None:
        """Every column a table has, or None when that cannot be known (a standard table
        this validator has no column list for). Worked out once per table: each form
        field and view column asks."""
        name = logical_name.lower()
        if name not in self._columns:
            self._columns[name] = self._table_columns(logical_name)
        return self._columns[name]

    @cached_property
    def _columns(self) -> dict[str, frozenset[str] | None]:
        return {}

    def _table_columns(self, logical_name: str) -> frozenset[str] | None:
        table = self.tables.get(logical_name.lower())
        known = standard.standard_columns(logical_name.lower())
        raw = self.raw_table(logical_name)
        if raw is not None:
            return _raw_columns(raw, known)
        if table is None:
            return known
        ours = {c.logical_name for c in table.columns}
        if table.existing:
            return None if known is None else known | ours
        return frozenset(ours | _system_columns(table))

    def columns_complete(self, logical_name: str) -> bool:
        """Whether `columns()` lists every column: true for tables the solution creates,
        false for standard tables, whose lists here are samples of the common columns."""
        name = logical_name.lower()
        table = self.tables.get(name)
        if table is not None:
            return not table.existing
        raw = self.raw_table(name)
        return raw is not None and raw.new

    def lookup(self, table: str, column: str) -> Column | None:
        owner = self.tables.get(table.lower())
        return owner.column(column.lower()) if owner else None

    @cached_property
    def web_resources(self) -> frozenset[str]:
        ours = {w.name.lower() for w in self.project.web_resources}
        return frozenset(ours | self.raw.web_resources)


def _raw_columns(raw: RawTable, known: frozenset[str] | None) -> frozenset[str] | None:
    """A new table's export lists every column; an extended one's only those it adds."""
    listed = frozenset(raw.columns)
    if raw.new:
        owner = ORGANIZATION_COLUMNS if raw.organization_owned else OWNER_COLUMNS
        return listed | AUDIT_COLUMNS | owner
    return None if known is None else known | listed


def _system_columns(table: Table) -> frozenset[str]:
    base = AUDIT_COLUMNS | {table.primary_id}
    if table.is_activity:
        base |= ACTIVITY_COLUMNS | STANDARD_ACTIVITY_EXTRA
    if any(c.type == "money" for c in table.columns):
        base |= CURRENCY_COLUMNS
    if table.ownership == "organization":
        return base | ORGANIZATION_COLUMNS
    return base | OWNER_COLUMNS


Check = Callable[[Context], Iterable[Finding]]


@frozen
class Rule:
    """A Dataverse rule: its code, title, check and severities."""

    code: str
    title: str
    check: Check = field(repr=False)
    severity: Severity = "error"
    foreign: Severity | None = "error"  # severity for other publishers' solutions; None: skip
    hint: str = ""
    source_only: bool = False  # needs what only sources declare (a zip cannot carry it)

    def run(self, ctx: Context) -> Iterator[Diagnostic]:
        severity = self.severity if ctx.house else self.foreign
        if severity is None or (self.source_only and ctx.read_back):
            return
        for item in self.check(ctx):
            level = "warning" if item.at_most == "warning" else severity
            yield diagnostic(
                self.code,
                item.message,
                file=item.src.file,
                line=item.src.line,
                hint=item.hint or self.hint,
                severity=level,
            )


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    *,
    severity: Severity | None = None,
    foreign: Severity | None = "error",
    hint: str = "",
    source_only: bool = False,
) -> Callable[[Check], Check]:
    """Register a rule under a stable code; its title, and its severity unless given, are the
    code's in the table of codes (builder/errors/codes.py)."""

    def register(check: Check) -> Check:
        assert code not in RULES, f"duplicate rule code {code}"
        known = CODES[code]
        level = severity or known.severity
        RULES[code] = Rule(code, known.title, check, level, foreign, hint, source_only)
        return check

    return register


def fix_or_keep(ctx: Context, fix: str, what: str = "name") -> str:
    """The hint of a naming rule: the fix for our own sources; for a solution someone else
    exported, that the component keeps its {what} (Dataverse cannot change it once created,
    and it may belong to another publisher), and what a new component would do instead."""
    if ctx.house:
        return fix
    return (
        f"nothing to fix: an existing component keeps its {what} (Dataverse cannot "
        f"change it, and it may belong to another publisher); for a new one: {fix}"
    )


def first_src(*candidates: Src) -> Src:
    """The first location that names a file (model objects may lack one)."""
    return next((s for s in candidates if s.file), candidates[-1])


def project_src(project: Project) -> Src:
    """Where project-wide facts (version, publisher) were declared."""
    return project.publisher.src
