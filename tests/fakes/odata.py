"""A strict little OData query reader for the fake Dataverse: $filter, $select, $expand.

It understands what the Web API understands for the queries deploy makes: `col eq value`,
`col ne value` (strings in quotes, GUIDs bare, numbers, null, true/false), `and`, `or`,
`not`-free parentheses. Anything else is a 400, as Dataverse would answer a malformed query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_TOKEN = re.compile(r"\s*(\(|\)|'(?:[^']|'')*'|" + _GUID + r"|[A-Za-z_][A-Za-z0-9_]*|-?\d+)")


class QueryError(ValueError):
    """A query the fake refuses (and so would Dataverse)."""


def tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            if text[pos:].strip() == "":
                break
            raise QueryError(f"syntax error in $filter at position {pos}: {text[pos : pos + 20]!r}")
        tokens.append(match.group(1))
        pos = match.end()
    return tokens


def parse_filter(text: str, columns: frozenset[str]) -> Predicate:
    tokens = tokenize(text)
    predicate, rest = _or(tokens, columns)
    if rest:
        raise QueryError(f"unexpected {rest[0]!r} in $filter")
    return predicate


def _or(tokens: list[str], columns: frozenset[str]) -> tuple[Predicate, list[str]]:
    left, tokens = _and(tokens, columns)
    while tokens and tokens[0] == "or":
        right, tokens = _and(tokens[1:], columns)
        left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
    return left, tokens


def _and(tokens: list[str], columns: frozenset[str]) -> tuple[Predicate, list[str]]:
    left, tokens = _term(tokens, columns)
    while tokens and tokens[0] == "and":
        right, tokens = _term(tokens[1:], columns)
        left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
    return left, tokens


def _term(tokens: list[str], columns: frozenset[str]) -> tuple[Predicate, list[str]]:
    if not tokens:
        raise QueryError("$filter ends too early")
    if tokens[0] == "(":
        inner, rest = _or(tokens[1:], columns)
        if not rest or rest[0] != ")":
            raise QueryError("unbalanced parentheses in $filter")
        return inner, rest[1:]
    if len(tokens) < 3 or tokens[1] not in ("eq", "ne"):
        raise QueryError(f"only 'column eq|ne value' is supported, got {' '.join(tokens[:3])!r}")
    column, op, raw = tokens[0], tokens[1], tokens[2]
    if column not in columns:
        raise QueryError(f"Could not find a property named '{column}'")
    value = literal(raw)
    if op == "eq":
        return (lambda r: same(r.get(column), value)), tokens[3:]
    return (lambda r: not same(r.get(column), value)), tokens[3:]


def literal(raw: str) -> Any:
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    if raw == "null":
        return None
    if raw in ("true", "false"):
        return raw == "true"
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if re.fullmatch(_GUID, raw):
        return raw.lower()
    raise QueryError(f"not a literal: {raw!r} (strings need quotes)")


def same(actual: Any, expected: Any) -> bool:
    if expected is None or actual is None:
        return actual is expected
    if isinstance(expected, str):
        return str(actual).lower() == expected.lower()
    return bool(actual == expected)


def parse_select(text: str, columns: frozenset[str]) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if name not in columns:
            raise QueryError(f"Could not find a property named '{name}' on the entity type")
    return names


def parse_expand(text: str) -> tuple[str, list[str]]:
    """`nav($select=a,b)` -> ("nav", ["a", "b"])."""
    match = re.fullmatch(r"([A-Za-z0-9_]+)(?:\(\$select=([A-Za-z0-9_,]+)\))?", text.strip())
    if not match:
        raise QueryError(f"unsupported $expand {text!r}")
    return match.group(1), [c for c in (match.group(2) or "").split(",") if c]
