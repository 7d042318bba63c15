"""Where in the text an element or attribute is.

libxml2 gives an element the line where its start tag *ends*; for a start tag over several
lines that is not where the element, or the attribute at fault, is written. These find the
line (and column, 1-based) of the `<tag` that opens the element and of `name=` inside it,
from the file's text lines, falling back to what libxml2 said.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Every `<name` or `<prefix:name` of a start tag, the name captured: one pattern for all
# tags (a pattern per tag cost a compile for each kind of element a source holds).
_OPENING = re.compile(r"<(?:[\w.-]+:)?([\w.-]+)(?=[\s/>]|$)")


@lru_cache(maxsize=256)
def _attribute(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.:-]){re.escape(name)}\s*=")


def element_start(lines: list[str], end_line: int, tag: str) -> tuple[int, int]:
    """(line, column) of `<tag` opening the element whose start tag ends on `end_line`."""
    if not 0 < end_line <= len(lines):
        return end_line, 0
    local = tag.rsplit("}", 1)[-1]
    for number in range(end_line, max(0, end_line - 200), -1):
        found = [m.start() for m in _OPENING.finditer(lines[number - 1]) if m[1] == local]
        if found:
            return number, (found[0] if number == end_line else found[-1]) + 1
    return end_line, 0


def attribute_start(lines: list[str], end_line: int, tag: str, name: str) -> tuple[int, int]:
    """(line, column) of `name=` in the start tag of `tag` that ends on `end_line`; the
    element's own position when the attribute is not written there."""
    first, column = element_start(lines, end_line, tag)
    if column == 0:
        return end_line, 0
    pattern = _attribute(name)
    for number in range(first, end_line + 1):
        text = lines[number - 1]
        match = pattern.search(text, column if number == first else 0)
        if match:
            return number, match.start() + 1
    return first, column
