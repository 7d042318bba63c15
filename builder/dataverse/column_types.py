"""Column types: the names exports give them, their value ranges, default and largest lengths.

Ranges and lengths are Microsoft's ("Types of columns",
https://learn.microsoft.com/power-apps/maker/data-platform/types-of-fields, and
https://learn.microsoft.com/training/modules/create-manage-fields-within-entity/2-field-types):
whole number -2,147,483,648..2,147,483,647, decimal -100,000,000,000..100,000,000,000, currency
-922,337,203,685,477..922,337,203,685,477; single line of text up to 4,000 characters (100 by
default), multiple lines up to 1,048,576 (2,000 by default). Real exports write the same
`MinValue`/`MaxValue` (../shared/reference/corpus: 86 `<MaxValue>2147483647`, 12
`<MaxValue>922337203685477`, 4 `<MaxValue>100000000000`).

Keys are the model's column types (`Column.type`): text, memo, integer, decimal, money,
boolean, choice, lookup, datetime.
"""

from __future__ import annotations

# customizations.xml `<attribute><Type>` -> the model's column type
EXPORTED_TYPES: dict[str, str] = {
    "nvarchar": "text",
    "ntext": "memo",
    "int": "integer",
    "decimal": "decimal",
    "money": "money",
    "bit": "boolean",
    "picklist": "choice",
    "lookup": "lookup",
    "datetime": "datetime",
}

# (lowest, highest) value a number column takes when its column leaves the range open
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "integer": (-2147483648, 2147483647),
    "decimal": (-100000000000, 100000000000),
    "money": (-922337203685477, 922337203685477),
}
# the length of a text column that says none
DEFAULT_LENGTHS: dict[str, int] = {"text": 100, "memo": 2000}
# the longest a text column may be
MAX_LENGTHS: dict[str, int] = {"text": 4000, "memo": 1048576}
# decimal places of a decimal or currency column that says none (the maker's default)
DEFAULT_PRECISION = 2
