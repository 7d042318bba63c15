"""Diagnostics as a SARIF 2.1.0 log (OASIS), the format code scanning reads.

File paths are URIs relative to the working directory (the repository root in a pipeline);
a diagnostic without a file has no location, one without a line no region."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import quote

from ..errors import Diagnostic
from ..errors.codes import CODES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REPOSITORY = "https://github.com/enreach/voicepkg/blob/main/"
INFO_URI = f"{REPOSITORY}docs/validate.md"


def sarif_log(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    found = list(diagnostics)
    codes = sorted({d.code for d in found})
    index = {code: i for i, code in enumerate(codes)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "voicepkg",
                        "version": tool_version(),
                        "informationUri": INFO_URI,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code]) for d in found],
            }
        ],
    }


def _rule(code: str) -> dict[str, Any]:
    """A code's rule: its title, and the docs page that explains it (from the table of codes;
    a code the table does not know points at validate's list)."""
    known = CODES.get(code)
    if known is None:
        return {"id": code, "helpUri": f"{INFO_URI}#codes"}
    return {
        "id": code,
        "shortDescription": {"text": known.title},
        "helpUri": f"{REPOSITORY}{known.docs}",
    }


def _result(item: Diagnostic, rule: int) -> dict[str, Any]:
    text = f"{item.message} (hint: {item.hint})" if item.hint else item.message
    result: dict[str, Any] = {
        "ruleId": item.code,
        "ruleIndex": rule,
        "level": item.severity,
        "message": {"text": text},
    }
    if item.file:
        location: dict[str, Any] = {"artifactLocation": {"uri": quote(item.file, safe="/!:")}}
        if item.line:
            region = {"startLine": item.line}
            if item.column:
                region["startColumn"] = item.column
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    return result


def tool_version() -> str:
    try:
        return version("voicepkg")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0"
