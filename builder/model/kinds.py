"""A `Project` and the component kinds it holds, each described once: where it is declared.

Each collection field of `Project` is one kind, declared with `kind(...)`: the label reports
give it, its identity key, whether its components belong to one solution, how
`solution_src/` declares it, and what removing one from an environment takes. `KINDS` reads
them back, in the fields' order, completed by each field's name and the class it holds. Load,
read, unpack, diff, validate and the docs (docs/source-format.md, checked by a test) take the
list of kinds from `KINDS`: a new kind is one field here.
"""

import typing
from collections.abc import Callable, Iterator
from dataclasses import field, fields, replace
from typing import Any, Generic, ParamSpec, TypeVar

from . import (
    ApplicationTabTemplate,
    AppModule,
    Cif1Provider,
    Cif2Provider,
    Command,
    CustomApi,
    EnvironmentVariable,
    Form,
    GlobalChoice,
    NotificationTemplate,
    Publisher,
    RawPart,
    Role,
    SessionTemplate,
    Setting,
    SolutionDef,
    SolutionPackaging,
    Table,
    View,
    WebResource,
)
from .frozen import frozen

P = ParamSpec("P")


@frozen
class SourceFile:
    """How `solution_src/` declares a kind: the root element of its files (which names the
    source schema `builder/sources/schemas/<schema>.xsd`) and where `unpack` writes them."""

    root: str  # <table>
    schema: str  # table -> builder/sources/schemas/table.xsd
    path: str  # tables/<logicalname>.xml (docs/source-format.md, "Layout")


def _never(_: Any) -> bool:
    return False


def _always(_: Any) -> bool:
    return True


@frozen
class Kind:
    """One kind of component: how it is named, sorted and declared, and what removing it means."""

    label: str  # what `diff` and the messages call one
    name: Callable[[Any], str]  # the name a report shows for one
    solution_aware: bool  # each component names the solution it belongs to
    source: SourceFile | None  # None: not declared by its own source files
    # Removing a component: only an upgrade takes it out (an update leaves it behind) ...
    removal_needs_upgrade: bool = True
    # ... and whether that loses data already in an environment or breaks its callers.
    removal_breaks: Callable[[Any], bool] = _never
    # The fields whose change may not fit what an environment already holds (its rows, or
    # the callers of an API): `diff` marks such a change breaking.
    breaking_fields: tuple[str, ...] = ()
    # Dataverse knows a component of this kind by its id (formid, savedqueryid, roleid): a
    # rename keeps the component. Else its name key is its identity.
    by_id: bool = False
    # A solution exports it inside its table's <Entity>: `unpack` keeps it as exported
    # together with that table (forms, views, command bar buttons).
    within_table: bool = False
    # A solution holds each as data-shaped rows in zip entries of its own (not an element of
    # customizations.xml): `unpack` can keep the columns its sources lack as those rows.
    zip_rows: bool = False
    # Its names compare case-insensitively (unique names, schema names): the name key folds them.
    folded: bool = False
    # The name key when the name alone does not tell two components apart (a form's table,
    # type and name); else the key is the name, folded when the kind says so.
    compound_key: Callable[[Any], tuple[str, ...]] | None = None
    # Filled from the `Project` field declaring the kind: its name, and the class it holds.
    field: str = ""
    model: type[Any] = object

    def key(self, component: Any) -> tuple[str, ...]:
        """The name key: what sources refer to a component by. Two components of one name
        key clash (declared twice when loaded); collections are sorted by it."""
        if self.compound_key is not None:
            return self.compound_key(component)
        name = self.name(component)
        return (name.lower(),) if self.folded else (name,)


def _declared(make: Callable[P, Kind]) -> Callable[P, Any]:
    def declare(*args: P.args, **kwargs: P.kwargs) -> Any:
        return field(default=(), metadata={_KIND: make(*args, **kwargs)})

    return declare


_KIND = "voicepkg.kind"  # the field metadata entry holding the kind
# `kind("table", name=..., ...)`: a `Project` field holding the components of one kind, with
# what `Kind` says of them (its fields, type-checked) in the field's metadata.
kind = _declared(Kind)


# --- the whole project ---------------------------------------------------------------------


@frozen
class Project:
    """Everything `solution_src/` declares. Each component names its solution. Each
    collection after `solutions` is one kind of component, declared by `kind(...)`."""

    version: str  # four numeric parts
    publisher: Publisher
    solutions: tuple[SolutionDef, ...]
    tables: tuple[Table, ...] = kind(
        "table",
        name=lambda t: t.logical_name,
        solution_aware=True,
        source=SourceFile("table", "table", "tables/<logicalname>.xml"),
        # our table's rows, or our columns on a system table, are deleted with it
        removal_breaks=lambda t: bool(t.columns) or not t.existing,
        breaking_fields=("ownership", "virtual"),
    )
    global_choices: tuple[GlobalChoice, ...] = kind(
        "global choice",
        name=lambda c: c.name,
        folded=True,
        solution_aware=True,
        source=SourceFile("global-choice", "globalchoice", "globalchoices/<name>.xml"),
        removal_breaks=_always,
    )
    forms: tuple[Form, ...] = kind(
        "form",
        name=lambda f: f"{f.table}/{f.type}/{f.name}",
        compound_key=lambda f: (f.table, f.type, f.name),
        solution_aware=True,
        source=SourceFile("form", "form", "forms/<table>/<slug>.xml"),
        by_id=True,
        within_table=True,
    )
    views: tuple[View, ...] = kind(
        "view",
        name=lambda v: f"{v.table}/{v.name}",
        compound_key=lambda v: (v.table, v.name),
        solution_aware=True,
        source=SourceFile("views", "views", "views/<table>.xml"),
        by_id=True,
        within_table=True,
    )
    roles: tuple[Role, ...] = kind(
        "role",
        name=lambda r: r.name,
        solution_aware=True,
        source=SourceFile("role", "role", "roles/<slug>.xml"),
        by_id=True,
    )
    apps: tuple[AppModule, ...] = kind(
        "app",
        name=lambda a: a.unique_name,
        folded=True,
        solution_aware=True,
        source=SourceFile("app", "app", "apps/<uniquename>.xml"),
    )
    commands: tuple[Command, ...] = kind(
        "command",
        name=lambda c: c.id,
        solution_aware=True,
        source=SourceFile("command", "command", "commands/<slug>.xml"),
        within_table=True,
    )
    web_resources: tuple[WebResource, ...] = kind(
        "web resource",
        name=lambda w: w.name,
        folded=True,
        solution_aware=True,
        source=SourceFile("web-resources", "webresources", "webresources/webresources.xml"),
        breaking_fields=("type",),
    )
    custom_apis: tuple[CustomApi, ...] = kind(
        "custom api",
        name=lambda a: a.unique_name,
        folded=True,
        solution_aware=True,
        source=SourceFile("custom-api", "customapi", "customapis/<uniquename>.xml"),
        removal_breaks=_always,  # every caller of the API fails
        zip_rows=True,
        breaking_fields=("binding", "bound_table", "is_function"),
    )
    environment_variables: tuple[EnvironmentVariable, ...] = kind(
        "environment variable",
        name=lambda v: v.schema_name,
        folded=True,
        solution_aware=True,
        source=SourceFile(
            "environment-variables", "environmentvariables", "environmentvariables.xml"
        ),
        zip_rows=True,
        breaking_fields=("type",),
    )
    cif1_providers: tuple[Cif1Provider, ...] = kind(
        "channel provider (CIF 1.0)",
        name=lambda p: p.name,
        solution_aware=False,  # a configuration data record of the package
        source=SourceFile("cif1-provider", "cif1provider", "channels/cif1.xml"),
    )
    cif2_providers: tuple[Cif2Provider, ...] = kind(
        "channel provider (CIF 2.0)",
        name=lambda p: p.unique_name,
        folded=True,
        solution_aware=True,
        source=SourceFile("cif2-provider", "cif2provider", "channels/cif2.xml"),
        zip_rows=True,
    )
    tab_templates: tuple[ApplicationTabTemplate, ...] = kind(
        "tab template",
        name=lambda t: t.unique_name,
        folded=True,
        solution_aware=True,
        source=SourceFile("tab-template", "tabtemplate", "multisession/<uniquename>.xml"),
        zip_rows=True,
    )
    session_templates: tuple[SessionTemplate, ...] = kind(
        "session template",
        name=lambda t: t.unique_name,
        folded=True,
        solution_aware=True,
        source=SourceFile("session-template", "sessiontemplate", "multisession/<uniquename>.xml"),
        zip_rows=True,
    )
    notification_templates: tuple[NotificationTemplate, ...] = kind(
        "notification template",
        name=lambda t: t.unique_name,
        folded=True,
        solution_aware=True,
        source=SourceFile(
            "notification-template", "notificationtemplate", "multisession/<uniquename>.xml"
        ),
        zip_rows=True,
    )
    settings: tuple[Setting, ...] = kind(
        "setting",
        name=lambda s: s.name,
        folded=True,
        solution_aware=False,  # default enreach_setting rows: configuration data
        source=SourceFile("settings", "settings", "settings/<category>.xml"),
        removal_needs_upgrade=False,  # the import leaves the row in place
        breaking_fields=("datatype",),
    )
    raw_parts: tuple[RawPart, ...] = kind(
        "kept-as-is part",
        name=lambda r: r.path,
        compound_key=lambda r: (r.solution, r.section, r.path),
        solution_aware=True,
        source=None,  # raw/<Solution>/entries/... and raw/<Solution>/sections/..., verbatim
    )
    packaging: tuple[SolutionPackaging, ...] = kind(
        "solution packaging",
        name=lambda p: p.solution,
        solution_aware=True,
        source=None,  # read from zips only; sources derive it when built
        removal_needs_upgrade=False,
    )
    root: str = field(default="", compare=False)  # source folder (for messages only)
    # sources unpack wrote from a built solution: they lack what no zip carries (diff/scope)
    unpacked: bool = field(default=False, compare=False)

    def table(self, logical_name: str) -> Table | None:
        return next((t for t in self.tables if t.logical_name == logical_name), None)

    def solution(self, unique_name: str) -> SolutionDef | None:
        return next((s for s in self.solutions if s.unique_name == unique_name), None)

    def in_solution(self, unique_name: str) -> "Project":
        """The components that belong to one solution (data records stay with the project)."""

        def keep(items: tuple) -> tuple:  # type: ignore[type-arg]
            return tuple(i for i in items if getattr(i, "solution", unique_name) == unique_name)

        kept: dict[str, Any] = {name: keep(getattr(self, name)) for name in SOLUTION_FIELDS}
        solutions = tuple(s for s in self.solutions if s.unique_name == unique_name)
        return replace(self, solutions=solutions, **kept)


def _kinds() -> tuple[Kind, ...]:
    """The kinds `Project`'s fields declare, in their order."""
    return tuple(
        replace(f.metadata[_KIND], field=f.name, model=typing.get_args(f.type)[0])
        for f in fields(Project)
        if _KIND in f.metadata
    )


KINDS: tuple[Kind, ...] = _kinds()
BY_FIELD: dict[str, Kind] = {k.field: k for k in KINDS}
BY_MODEL: dict[type[Any], Kind] = {k.model: k for k in KINDS}
BY_ROOT: dict[str, Kind] = {k.source.root: k for k in KINDS if k.source}
SOLUTION_FIELDS: tuple[str, ...] = tuple(k.field for k in KINDS if k.solution_aware)

Step = TypeVar("Step", bound=Callable[..., Any])


class PerKind(Generic[Step]):
    """A stage's own step for some kinds (load's parser, diff's comparer), registered beside
    the step by the kind's model class (`@registry.register(Role)`); the other kinds take the
    stage's default step. The model cannot name these steps itself: they live in later stages."""

    def __init__(self) -> None:
        self._steps: dict[type[Any], Step] = {}

    def register(self, model: type[Any]) -> Callable[[Step], Step]:
        def add(step: Step) -> Step:
            self._steps[model] = step
            return step

        return add

    def of(self, kind: Kind) -> Step | None:
        return self._steps.get(kind.model)

    def __iter__(self) -> Iterator[type[Any]]:
        return iter(self._steps)


def kind_of(item: Any) -> Kind:
    """The kind of a component (of a subclass too: a variant of a kind's class is that kind)."""
    return next(BY_MODEL[c] for c in type(item).__mro__ if c in BY_MODEL)


def owner_key(component: Any) -> tuple[str, str]:
    """The component `read` and `unpack` keep as exported when this one cannot be written
    as sources: (kind label, name); its table's for the kinds exported within a table, and
    ("", "") for package data, which no solution holds."""
    kind = kind_of(component)
    if not kind.solution_aware:
        return ("", "")
    if kind.within_table:
        return (BY_FIELD["tables"].label, component.table)
    return (kind.label, kind.name(component))


def identity(component: Any) -> tuple[str, ...]:
    """What makes a component itself (the same one on both sides of a diff): its id for the
    kinds Dataverse knows by id, else its name key."""
    kind = kind_of(component)
    return (str(component.id),) if kind.by_id else kind.key(component)


def sort_components(kind: Kind, items: Any) -> tuple[Any, ...]:
    """`items` in the kind's order (by identity key): the order every stage keeps."""
    return tuple(sorted(items, key=kind.key))
