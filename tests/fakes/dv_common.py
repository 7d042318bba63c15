"""Small shared pieces of the fake Dataverse."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any


class HttpError(Exception):
    """An error answer: status, Dataverse error code, message, extra headers."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def b64_zip(text: Any) -> bytes:
    if not isinstance(text, str):
        raise HttpError(400, "0x80048d19", "CustomizationFile must be a base64 string")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise HttpError(400, "0x80048d19", "CustomizationFile is not valid base64") from None
