"""Channel providers and the multisession templates (CIF 1.0 and 2.0)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from ...dataverse.choice_values import APP_TAB_PAGE_TYPES
from ...model import Project, Src
from .base import Context, Finding, first_src, rule

_SLUG = re.compile(r"\{([^{}]*)\}")
# Slugs the app profile manager fills in itself: {anchor.<column>} and the customer/case
# context of the session.
BUILTIN_SLUGS = frozenset(
    {
        "customername",
        "customerentityname",
        "customerrecordid",
        "caseid",
        "casetitle",
        "entityname",
        "entityid",
    }
)
TAB_PAGE_TYPES = frozenset(APP_TAB_PAGE_TYPES)
CIF2_API_VERSIONS = (162450000,)


def url_problem(url: str) -> str:
    """Why `url` is not an https URL with a host; empty when it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a URL"
    if parts.scheme.lower() != "https":
        return "is not https"
    return "" if parts.hostname else "has no host"


def provider_urls(project: Project) -> Iterator[tuple[str, str, Src]]:
    for p1 in project.cif1_providers:
        yield f"CIF 1.0 provider {p1.name!r} landing URL", p1.landing_url, p1.src
        if "://" in p1.trusted_domain:
            yield f"CIF 1.0 provider {p1.name!r} trusted domain", p1.trusted_domain, p1.src
    for p2 in project.cif2_providers:
        yield f"channel provider {p2.unique_name} channel URL", p2.channel_url, p2.src
        if "://" in p2.trusted_domain:
            yield f"channel provider {p2.unique_name} trusted domain", p2.trusted_domain, p2.src


@rule(
    "DV160",
    hint="the channel is framed inside Dynamics 365, which serves only https",
)
def https_urls(ctx: Context) -> Iterable[Finding]:
    for what, url, src in provider_urls(ctx.project):
        problem = url_problem(url)
        if problem:
            yield Finding(src, f"{what} {url!r} {problem}")


@rule(
    "DV161",
    hint="channel order 0..1000; CIF 1.0 API version 0 (1.0) or 1 (2.0); CIF 2.0: 162450000",
)
def provider_numbers(ctx: Context) -> Iterable[Finding]:
    for p1 in ctx.project.cif1_providers:
        if not 0 <= p1.sort_order <= 1000 or p1.api_version not in (0, 1):
            yield Finding(
                p1.src,
                f"CIF 1.0 provider {p1.name!r}: channel order "
                f"{p1.sort_order} / API version {p1.api_version} out of range",
            )
    for p2 in ctx.project.cif2_providers:
        if not 0 <= p2.sort_order <= 1000 or p2.api_version not in CIF2_API_VERSIONS:
            yield Finding(
                p2.src,
                f"channel provider {p2.unique_name}: channel order "
                f"{p2.sort_order} / API version {p2.api_version} out of range",
            )


@rule(
    "DV162",
    hint="name a tab template and table the project declares",
)
def session_references(ctx: Context) -> Iterable[Finding]:
    tabs = {t.unique_name.lower() for t in ctx.project.tab_templates}
    tabs |= ctx.raw.entry_names("msdyn_applicationtabtemplates")
    for session in ctx.project.session_templates:
        for tab in (session.anchor_tab, *session.additional_tabs):
            if tab and tab.lower() not in tabs:
                yield Finding(
                    session.src,
                    f"session template {session.unique_name} names "
                    f"unknown application tab template {tab!r}",
                )
        if session.session_type == "entity" and not ctx.has_table(session.entity or "-"):
            yield Finding(
                session.src,
                f"entity session template {session.unique_name} names "
                f"unknown table {session.entity!r}",
            )
        if not session.anchor_tab and ctx.house and not ctx.read_back:
            # our modelling choice, not Dataverse's: Contoso's entity session has no anchor tab
            yield Finding(
                session.src,
                f"session template {session.unique_name} has no anchor tab",
                "every Voice session opens with its anchor tab",
            )


def declared_parameters(project: Project) -> frozenset[str]:
    """The template parameters the widget passes (declared on notification templates)."""
    names = {p.lower() for n in project.notification_templates for p in n.parameters}
    return frozenset(names | BUILTIN_SLUGS)


def undeclared(text: str, declared: frozenset[str]) -> list[str]:
    slugs = (s.strip() for s in _SLUG.findall(text))
    return [
        s for s in slugs if not s.lower().startswith(("anchor.", "$")) and s.lower() not in declared
    ]


@rule(
    "DV163",
    source_only=True,
    foreign="warning",  # declared parameters are our sources' notion, not Dataverse's
    hint="declare the parameter on the notification templates (parameters=...) or use a "
    "built-in slug",
)
def session_slugs(ctx: Context) -> Iterable[Finding]:
    declared = declared_parameters(ctx.project)
    texts = [
        (f"session template {s.unique_name} title", s.title, s.src)
        for s in ctx.project.session_templates
    ]
    texts += [
        (f"tab template {t.unique_name} title", t.title, t.src) for t in ctx.project.tab_templates
    ]
    texts += [
        (f"tab template {t.unique_name} parameter {p.name}", p.value, first_src(p.src, t.src))
        for t in ctx.project.tab_templates
        for p in t.parameters
    ]
    for what, text, src in texts:
        for slug in undeclared(text, declared):
            yield Finding(src, f"{what} uses undeclared parameter {{{slug}}}")


@rule(
    "DV164",
    source_only=True,
    foreign="warning",
    hint="add the parameter to the template's parameters, or fix the slug",
)
def notification_slugs(ctx: Context) -> Iterable[Finding]:
    for template in ctx.project.notification_templates:
        declared = frozenset(p.lower() for p in template.parameters) | BUILTIN_SLUGS
        texts = [("title", template.title, template.src)]
        texts += [
            (f"field {f.unique_name}", f.value, first_src(f.src, template.src))
            for f in template.fields
        ]
        for what, text, src in texts:
            for slug in undeclared(text, declared):
                yield Finding(
                    src,
                    f"notification template {template.unique_name} {what} uses "
                    f"undeclared parameter {{{slug}}}",
                )


@rule(
    "DV167",
    foreign=None,
    source_only=True,
    hint="Dataverse exports may leave them out, our sources say them: add the attribute",
)
def complete_templates(ctx: Context) -> Iterable[Finding]:
    for provider in ctx.project.cif2_providers:
        if not provider.label:
            yield Finding(provider.src, f"channel provider {provider.unique_name} has no label")
    for tab in ctx.project.tab_templates:
        if not tab.title:
            yield Finding(tab.src, f"tab template {tab.unique_name} has no title")
        for p in tab.parameters:
            if not p.value:
                yield Finding(
                    p.src, f"parameter {p.name} of tab template {tab.unique_name} has no value"
                )


@rule(
    "DV166",
    hint="Dataverse accepts a notification timeout from 0 to 500 seconds",
)
def notification_timeouts(ctx: Context) -> Iterable[Finding]:
    for template in ctx.project.notification_templates:
        if not 0 <= template.timeout <= 500:
            yield Finding(
                template.src,
                f"notification template {template.unique_name}: "
                f"timeout {template.timeout} is outside 0..500 seconds",
            )


@rule(
    "DV165",
    foreign="warning",
    hint=f"page types: {', '.join(sorted(TAB_PAGE_TYPES))}",
)
def tab_page_types(ctx: Context) -> Iterable[Finding]:
    for tab in ctx.project.tab_templates:
        if tab.page_type.lower() not in TAB_PAGE_TYPES:
            yield Finding(
                tab.src, f"tab template {tab.unique_name} has unknown page type {tab.page_type!r}"
            )
