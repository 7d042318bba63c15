"""Parse `tables/*.xml` and `globalchoices/*.xml` into model tables and global choices."""

from __future__ import annotations

from lxml import etree

from ..model import (
    AlternateKey,
    ChoiceOption,
    Column,
    GlobalChoice,
    StatusReason,
    Table,
    VirtualSource,
)
from .elements import (
    Context,
    Source,
    children,
    flag,
    integer,
    number,
    solution,
    src,
    text,
    words,
)


def parse_table(source: Source, ctx: Context) -> list[object]:
    el = source.root
    return [
        Table(
            schema_name=text(el, "schema-name"),
            display_name=text(el, "display-name"),
            plural_name=text(el, "plural-name"),
            description=text(el, "description"),
            solution=solution(el, ctx),
            existing=flag(el, "existing"),
            ownership=text(el, "ownership", "user"),  # type: ignore[arg-type]
            is_activity=flag(el, "is-activity"),
            virtual=_virtual(source, el),
            columns=tuple(
                sorted(
                    (_column(source, c) for c in children(el, "column")),
                    key=lambda c: c.logical_name,
                )
            ),
            keys=tuple(
                sorted((_key(source, k) for k in children(el, "key")), key=lambda k: k.logical_name)
            ),
            status_reasons=tuple(
                sorted(
                    (_status(source, s) for s in children(el, "status-reason")),
                    key=lambda s: (s.state, s.value),
                )
            ),
            src=src(source, el),
        )
    ]


def _virtual(source: Source, table: etree._Element) -> VirtualSource | None:
    found = children(table, "virtual")
    if not found:
        return None
    el = found[0]
    return VirtualSource(
        data_provider=text(el, "data-provider"),
        external_name=text(el, "external-name"),
        url_variable=text(el, "url-variable"),
        key_external_name=text(el, "key-external-name"),
        src=src(source, el),
    )


def _column(source: Source, el: etree._Element) -> Column:
    return Column(
        schema_name=text(el, "schema-name"),
        type=text(el, "type"),  # type: ignore[arg-type]
        display_name=text(el, "display-name"),
        description=text(el, "description"),
        required=text(el, "required", "none"),  # type: ignore[arg-type]
        max_length=integer(el, "max-length"),
        format=text(el, "format"),
        min_value=number(el, "min-value"),
        max_value=number(el, "max-value"),
        precision=integer(el, "precision"),
        options=options(source, el),
        global_choice=text(el, "global-choice"),
        default_option=integer(el, "default-option"),
        boolean_labels=(text(el, "false-label", "No"), text(el, "true-label", "Yes")),
        default_boolean=flag(el, "default-boolean"),
        targets=words(el, "targets"),
        relationship=text(el, "relationship"),
        is_primary_name=flag(el, "is-primary-name"),
        audit=flag(el, "audit", True),
        external_name=text(el, "external-name"),
        src=src(source, el),
    )


def options(source: Source, el: etree._Element) -> tuple[ChoiceOption, ...]:
    """The `<option>` children, by value (their order in the file carries no meaning)."""
    found = (
        ChoiceOption(
            value=int(text(o, "value")),
            label=text(o, "label"),
            description=text(o, "description"),
            src=src(source, o),
        )
        for o in children(el, "option")
    )
    return tuple(sorted(found, key=lambda o: o.value))


def _key(source: Source, el: etree._Element) -> AlternateKey:
    return AlternateKey(
        schema_name=text(el, "schema-name"),
        display_name=text(el, "display-name"),
        columns=words(el, "columns"),
        src=src(source, el),
    )


def _status(source: Source, el: etree._Element) -> StatusReason:
    return StatusReason(
        value=int(text(el, "value")),
        label=text(el, "label"),
        state=int(text(el, "state")),
        src=src(source, el),
    )


def parse_global_choice(source: Source, ctx: Context) -> list[object]:
    el = source.root
    return [
        GlobalChoice(
            name=text(el, "name"),
            display_name=text(el, "display-name"),
            options=options(source, el),
            description=text(el, "description"),
            solution=solution(el, ctx),
            src=src(source, el),
        )
    ]
