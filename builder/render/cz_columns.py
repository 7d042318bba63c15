"""Our columns (the model's `Column`s) as `attribute` view models, one builder per type.

Shapes follow real exports: text -> nvarchar (Format, MaxLength, Length = 2 x MaxLength),
memo -> ntext, integer -> int, boolean -> bit with a two-option `bit` option set, choice ->
picklist with its own option set or `OptionSetName` of a global one, money -> money plus
the `<name>_Base` column Dataverse keeps in base currency, datetime -> datetime with
Behavior 1 (user local).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..dataverse.column_types import DEFAULT_LENGTHS, DEFAULT_PRECISION, NUMBER_RANGES
from ..model import ChoiceOption, Column, Table
from .cz_attributes import MASK_PRIMARY_NAME, AttrVM, OptionSetVM, OptionVM
from .cz_common import ManagedPolicy, fail, local_optionset_name, number

TEXT_FORMATS = {
    "": "text",
    "text": "text",
    "email": "email",
    "url": "url",
    "phone": "phone",
    "textarea": "textarea",
}
INT_FORMATS = {"": "", "none": "", "duration": "duration"}
DATE_FORMATS = {"": "datetime", "datetime": "datetime", "date": "date"}

Fields = dict[str, Any]  # AttrVM fields by name: each column's AttrVM is made once from them
Builder = Callable[[Column, "ColumnContext"], Fields]


class ColumnContext:
    """What a column's render needs beyond the column: its table, prefix and policy."""

    def __init__(self, table: Table, prefix: str, policy: ManagedPolicy) -> None:
        self.table = table
        self.prefix = prefix
        self.policy = policy
        self.key_columns = {name for key in table.keys for name in key.columns}


def _choose(mapping: dict[str, str], column: Column) -> str:
    if column.format not in mapping:
        raise fail(
            "CZ010",
            f"column {column.schema_name}: format {column.format!r} is not one of "
            f"{sorted(k for k in mapping if k)}",
            column.src,
        )
    return mapping[column.format]


def _text(column: Column, ctx: ColumnContext) -> Fields:
    size = column.max_length or DEFAULT_LENGTHS["text"]
    return {
        "type": "nvarchar",
        "format": _choose(TEXT_FORMATS, column),
        "max_length": size,
        "length": size * 2,
    }


def _memo(column: Column, ctx: ColumnContext) -> Fields:
    size = column.max_length or DEFAULT_LENGTHS["memo"]
    return {"type": "ntext", "format": "textarea", "max_length": size}


def _bounds(column: Column) -> Fields:
    default_low, default_high = NUMBER_RANGES[column.type]
    low = default_low if column.min_value is None else column.min_value
    high = default_high if column.max_value is None else column.max_value
    return {"min_value": number(low), "max_value": number(high)}


def _integer(column: Column, ctx: ColumnContext) -> Fields:
    return {
        "type": "int",
        "format": _choose(INT_FORMATS, column),
        **_bounds(column),
    }


def _decimal(column: Column, ctx: ColumnContext) -> Fields:
    return {
        "type": "decimal",
        "accuracy": DEFAULT_PRECISION if column.precision is None else column.precision,
        **_bounds(column),
    }


def _money(column: Column, ctx: ColumnContext) -> Fields:
    return {
        "type": "money",
        "accuracy": DEFAULT_PRECISION if column.precision is None else column.precision,
        "accuracy_source": 2,
        **_bounds(column),
    }


def _datetime(column: Column, ctx: ColumnContext) -> Fields:
    return {
        "type": "datetime",
        "format": _choose(DATE_FORMATS, column),
        "datetime_behavior": 1,
        "datetime_changeable": True,
    }


def _lookup(column: Column, ctx: ColumnContext) -> Fields:
    if not column.targets:
        raise fail("CZ011", f"lookup column {column.schema_name} has no target table", column.src)
    return {"type": "lookup", "lookup_types": ()}


def _options(options: tuple[ChoiceOption, ...]) -> tuple[OptionVM, ...]:
    return tuple(OptionVM(o.value, o.label, o.description) for o in options)


def _boolean(column: Column, ctx: ColumnContext) -> Fields:
    no, yes = column.boolean_labels
    name = local_optionset_name(ctx.prefix, ctx.table.logical_name, column.logical_name)
    optionset = OptionSetVM(
        name, "bit", column.display_name, column.description, (OptionVM(0, no), OptionVM(1, yes))
    )
    return {"type": "bit", "app_default": int(column.default_boolean), "optionset": optionset}


def _choice(column: Column, ctx: ColumnContext) -> Fields:
    default = -1 if column.default_option is None else column.default_option
    typed: Fields = {"type": "picklist", "app_default": default}
    if column.global_choice:
        return {**typed, "optionset_name": column.global_choice}
    if not column.options:
        raise fail(
            "CZ012",
            f"choice column {column.schema_name} has neither options nor a global choice",
            column.src,
        )
    name = local_optionset_name(ctx.prefix, ctx.table.logical_name, column.logical_name)
    optionset = OptionSetVM(
        name, "picklist", column.display_name, column.description, _options(column.options)
    )
    return {**typed, "optionset": optionset}


BUILDERS: dict[str, Builder] = {
    "text": _text,
    "memo": _memo,
    "integer": _integer,
    "decimal": _decimal,
    "money": _money,
    "datetime": _datetime,
    "lookup": _lookup,
    "boolean": _boolean,
    "choice": _choice,
}

REQUIRED = {"none": "none", "recommended": "recommended", "required": "required"}


def _base(column: Column, ctx: ColumnContext) -> Fields:
    keyed = column.is_primary_name or column.logical_name in ctx.key_columns
    base: Fields = {
        "physical": column.schema_name,
        "type": column.type,
        "display_name": column.display_name,
        "description": column.description,
        "required": REQUIRED[column.required],
        "audit": column.audit,
        "requirement_modifiable": ctx.policy.requirement_modifiable(keyed),
    }
    if column.is_primary_name:
        base["mask"] = MASK_PRIMARY_NAME
    if ctx.table.virtual is not None and column.external_name:
        base["extra"] = {"ExternalName": column.external_name}
    return base


def column_attributes(column: Column, ctx: ColumnContext) -> list[AttrVM]:
    """The attribute(s) of one column: money adds its base-currency twin."""
    fields = _base(column, ctx) | BUILDERS[column.type](column, ctx)
    attr = AttrVM(**fields)
    if column.type != "money":
        return [attr]
    twin = AttrVM(
        **(
            fields
            | {
                "physical": f"{column.logical_name}_Base",
                "display_name": f"{column.display_name} (Base)",
                "description": f"Value of the {column.display_name} in base currency.",
                "ime": "disabled",
                "valid_update": False,
                "valid_create": False,
                "calculation_of": column.schema_name,
                "required": "none",
            }
        )
    )
    return [attr, twin]
