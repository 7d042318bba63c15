"""Secrets never reach output: every message deploy prints passes through `mask`.

Known secrets (tokens, client secrets, certificate passwords, and their base64 forms, which
is how pac is handed a secret) are registered as they are read, then replaced by `***`.
"""

from __future__ import annotations

import base64
import re

_SECRETS: set[str] = set()
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
_DATA_URL = re.compile(r"data:text/plain;base64,[A-Za-z0-9+/=]+")


MIN_LENGTH = 8  # shorter "secrets" are test values, and masking them garbles every output


def register(secret: str | None) -> None:
    """Remember a secret (and its base64 form) so `mask` hides it. Real ones (client secrets,
    tokens, passwords) are long; a very short value would be replaced inside ordinary words
    of every later output (a secret "syst" would turn `<system-out>` into `<***em-out>`)."""
    if secret and len(secret) >= MIN_LENGTH:
        _SECRETS.add(secret)
        _SECRETS.add(base64.b64encode(secret.encode("utf-8")).decode("ascii"))


def mask(text: str) -> str:
    """`text` with every registered secret, bearer token and data: secret replaced."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _DATA_URL.sub("data:text/plain;base64,***", text)
    return _BEARER.sub(r"\1***", text)


def mask_argv(argv: list[str]) -> list[str]:
    return [mask(a) for a in argv]
