"""Security roles: privileges Dataverse has, at depths it allows."""

from __future__ import annotations

from collections.abc import Iterable

from ...dataverse import standard_tables as standard
from ...model import PRIVILEGE_VERBS, Privilege
from .base import Context, Finding, first_src, rule

DEPTHS = ("Basic", "Local", "Deep", "Global")
# Longest first, so "AppendTo" wins over "Append".
_VERBS = sorted(PRIVILEGE_VERBS, key=len, reverse=True)


def split_privilege(name: str) -> tuple[str, str] | None:
    """('Read', 'enreach_setting') for 'prvReadenreach_setting'; None when not prv<Verb>..."""
    if not name.startswith("prv"):
        return None
    rest = name[3:]
    verb = next((v for v in _VERBS if rest.startswith(v) and len(rest) > len(v)), None)
    return (verb, rest[len(verb) :]) if verb else None


def privilege_table(ctx: Context, entity: str) -> str | None:
    """The logical name of the table a privilege's entity part names, or None."""
    lowered = entity.lower()
    if lowered in ctx.tables and not ctx.tables[lowered].existing:
        return lowered
    raw = ctx.raw_table(lowered)
    if raw is not None and (raw.new or lowered not in standard.STANDARD_TABLES):
        return lowered  # kept as exported; a standard table's privileges keep their names
    matches = [t for t, p in standard.STANDARD_TABLES.items() if p.lower() == lowered]
    return matches[0] if matches else None


def _privilege_problem(ctx: Context, privilege: Privilege) -> str:
    if privilege.name in standard.MISC_PRIVILEGES:
        return ""
    parts = split_privilege(privilege.name)
    if parts is None:
        verbs = ", ".join(PRIVILEGE_VERBS)
        return f"privilege {privilege.name!r} is not prv<Verb><table> with a verb of {verbs}"
    if privilege_table(ctx, parts[1]) is None:
        return f"privilege {privilege.name!r} names unknown table {parts[1]!r}"
    return ""


@rule(
    "DV130",
    foreign=None,
    hint="custom tables: prv<Verb><logical name>; standard tables use Dataverse's names "
    "(phone call: prvReadActivity, user: prvReadUser)",
)
def privilege_names(ctx: Context) -> Iterable[Finding]:
    for role in ctx.project.roles:
        for privilege in role.privileges:
            problem = _privilege_problem(ctx, privilege)
            if problem:
                yield Finding(first_src(privilege.src, role.src), f"role {role.name!r}: {problem}")


def _organization_owned(ctx: Context, entity: str) -> bool:
    table = privilege_table(ctx, entity)
    if table is None:
        return False
    ours = ctx.tables.get(table)
    if ours is not None and not ours.existing:
        return ours.ownership == "organization"
    raw = ctx.raw_table(table)
    if raw is not None:
        return raw.organization_owned or table in standard.ORGANIZATION_OWNED
    return table in standard.ORGANIZATION_OWNED


@rule(
    "DV131",
    hint="depths are Basic, Local, Deep or Global; organization-owned tables only Global",
)
def privilege_depths(ctx: Context) -> Iterable[Finding]:
    for role in ctx.project.roles:
        for privilege in role.privileges:
            src = first_src(privilege.src, role.src)
            parts = split_privilege(privilege.name)
            if privilege.depth not in DEPTHS:
                yield Finding(
                    src, f"role {role.name!r}: {privilege.name} has depth {privilege.depth!r}"
                )
            elif parts and privilege.depth != "Global" and _organization_owned(ctx, parts[1]):
                yield Finding(
                    src,
                    f"role {role.name!r}: {privilege.name} is at depth "
                    f"{privilege.depth}, but the table is organization-owned",
                )


@rule(
    "DV132",
    hint="organization-owned records have no owner: drop the privilege",
)
def owner_privileges(ctx: Context) -> Iterable[Finding]:
    for role in ctx.project.roles:
        for privilege in role.privileges:
            parts = split_privilege(privilege.name)
            if parts and parts[0] in ("Assign", "Share") and _organization_owned(ctx, parts[1]):
                yield Finding(
                    first_src(privilege.src, role.src),
                    f"role {role.name!r}: {privilege.name} on an organization-owned table",
                )
