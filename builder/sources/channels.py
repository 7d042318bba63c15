"""Parse the channel providers, the multisession templates and the default settings."""

from __future__ import annotations

from ..model import (
    ApplicationTabTemplate,
    Cif1Provider,
    Cif2Provider,
    NotificationField,
    NotificationTemplate,
    SessionTemplate,
    Setting,
    TemplateParameter,
)
from .elements import (
    Context,
    Source,
    children,
    flag,
    guid,
    integer_or,
    solution,
    src,
    text,
    words,
)


def parse_cif1(source: Source, ctx: Context) -> list[object]:
    el = source.root
    name = text(el, "name")
    return [
        Cif1Provider(
            id=guid(el, "id", "ciprovider", name),
            name=name,
            label=text(el, "label"),
            landing_url=text(el, "landing-url"),
            enable_outbound=flag(el, "enable-outbound", True),
            sort_order=integer_or(el, "sort-order", 0),
            api_version=integer_or(el, "api-version", 0),
            trusted_domain=text(el, "trusted-domain"),
            custom_params=text(el, "custom-params"),
            enable_analytics=flag(el, "enable-analytics"),
            src=src(source, el),
        )
    ]


def parse_cif2(source: Source, ctx: Context) -> list[object]:
    el = source.root
    return [
        Cif2Provider(
            unique_name=text(el, "unique-name"),
            name=text(el, "name"),
            label=text(el, "label"),
            channel_url=text(el, "channel-url"),
            enable_outbound=flag(el, "enable-outbound", True),
            sort_order=integer_or(el, "sort-order", 0),
            api_version=integer_or(el, "api-version", 162450000),
            trusted_domain=text(el, "trusted-domain"),
            custom_params=text(el, "custom-params"),
            enable_analytics=flag(el, "enable-analytics"),
            solution=solution(el, ctx),
            src=src(source, el),
        )
    ]


def parse_tab_template(source: Source, ctx: Context) -> list[object]:
    el = source.root
    parameters = (
        TemplateParameter(
            unique_name=text(p, "unique-name"),
            name=text(p, "name"),
            value=text(p, "value"),
            description=text(p, "description"),
            src=src(source, p),
        )
        for p in children(el, "parameter")
    )
    return [
        ApplicationTabTemplate(
            unique_name=text(el, "unique-name"),
            name=text(el, "name"),
            title=text(el, "title"),
            page_type=text(el, "page-type"),
            # in the declared order: msdyn_templateparameters lists them so (test_real_shapes)
            parameters=tuple(parameters),
            can_close=flag(el, "can-close"),
            description=text(el, "description"),
            solution=solution(el, ctx),
            src=src(source, el),
        )
    ]


def parse_session_template(source: Source, ctx: Context) -> list[object]:
    el = source.root
    return [
        SessionTemplate(
            unique_name=text(el, "unique-name"),
            name=text(el, "name"),
            title=text(el, "title"),
            session_type=text(el, "session-type", "entity"),  # type: ignore[arg-type]
            entity=text(el, "entity"),
            anchor_tab=text(el, "anchor-tab"),
            additional_tabs=words(el, "additional-tabs"),
            panel_state=integer_or(el, "panel-state", 162450002),
            description=text(el, "description"),
            solution=solution(el, ctx),
            src=src(source, el),
        )
    ]


def parse_notification_template(source: Source, ctx: Context) -> list[object]:
    el = source.root
    fields = (
        NotificationField(
            unique_name=text(f, "unique-name"),
            name=text(f, "name"),
            label=text(f, "label"),
            value=text(f, "value"),
            order=integer_or(f, "order", 0),
            src=src(source, f),
        )
        for f in children(el, "field")
    )
    return [
        NotificationTemplate(
            unique_name=text(el, "unique-name"),
            name=text(el, "name"),
            title=text(el, "title"),
            fields=tuple(sorted(fields, key=lambda f: (f.order, f.unique_name))),
            timeout=integer_or(el, "timeout", 120),
            show_timeout=flag(el, "show-timeout", True),
            accept_text=text(el, "accept-text", "Accept"),
            reject_text=text(el, "reject-text", "Reject"),
            show_reject=flag(el, "show-reject", True),
            auto_accept=flag(el, "auto-accept"),
            icon=text(el, "icon"),
            description=text(el, "description"),
            parameters=words(el, "parameters"),
            solution=solution(el, ctx),
            src=src(source, el),
        )
    ]


def parse_settings(source: Source, ctx: Context) -> list[object]:
    category = text(source.root, "category")
    return [
        Setting(
            name=text(s, "name"),
            category=category,  # type: ignore[arg-type]
            datatype=text(s, "datatype"),  # type: ignore[arg-type]
            default=text(s, "default"),
            description=text(s, "description"),
            required_per_environment=flag(s, "required-per-environment"),
            id=guid(s, "id", "setting", text(s, "name")),
            src=src(source, s),
        )
        for s in children(source.root, "setting")
    ]
