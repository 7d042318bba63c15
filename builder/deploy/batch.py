"""OData `$batch` bodies: many writes in one HTTP request, one change set per batch.

Format (OData 4.0 "Batch Requests", Dataverse's "Execute batch operations using the Web API"):
a `multipart/mixed` body with a `batch_` boundary holding one `multipart/mixed` change set
(`changeset_` boundary); each operation is an `application/http` part with
`Content-Transfer-Encoding: binary` and a `Content-ID`, holding a whole HTTP request.
A change set is atomic: one failed operation rolls back the others. Lines end with CRLF.
At most 1000 operations per batch (Dataverse's limit).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .webapi import Request

MAX_OPERATIONS = 1000
CRLF = "\r\n"


@dataclass(frozen=True)
class BatchPart:
    status: int
    content_id: str
    payload: Any  # the JSON body of that operation's answer, or None


def chunks(requests: Sequence[Request], size: int = MAX_OPERATIONS) -> Iterator[list[Request]]:
    for start in range(0, len(requests), size):
        yield list(requests[start : start + size])


def build_batch(
    requests: Sequence[Request],
    api_root: str,
    batch_id: str,
) -> tuple[str, bytes]:
    """(Content-Type, body) of a $batch holding `requests` in one change set."""
    if not 0 < len(requests) <= MAX_OPERATIONS:
        raise ValueError(f"a batch holds 1..{MAX_OPERATIONS} operations, not {len(requests)}")
    batch, changeset = f"batch_{batch_id}", f"changeset_{batch_id}"
    lines = [f"--{batch}", f"Content-Type: multipart/mixed; boundary={changeset}", ""]
    for number, request in enumerate(requests, start=1):
        lines += [
            f"--{changeset}",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            f"Content-ID: {number}",
            "",
        ]
        lines += _inner_request(request, api_root)
    lines += [f"--{changeset}--", "", f"--{batch}--", ""]
    return f"multipart/mixed; boundary={batch}", CRLF.join(lines).encode("utf-8")


def _inner_request(request: Request, api_root: str) -> list[str]:
    if request.method == "GET" or request.json is None:
        raise ValueError("a change set holds writes with JSON bodies only")
    head = [
        f"{request.method} {api_root}{request.path} HTTP/1.1",
        "Content-Type: application/json; type=entry",
    ]
    head += [f"{name}: {value}" for name, value in request.headers]
    return head + ["", json.dumps(request.json, ensure_ascii=False, sort_keys=True)]


def boundary_of(content_type: str) -> str:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise ValueError(f"no boundary in Content-Type {content_type!r}")
    return match.group(1)


def parse_batch_response(content_type: str, body: bytes) -> list[BatchPart]:
    """The answers of a $batch response, change sets flattened, in order."""
    out: list[BatchPart] = []
    for headers, content in split_multipart(body.decode("utf-8"), boundary_of(content_type)):
        inner_type = headers.get("content-type", "")
        if inner_type.startswith("multipart/mixed"):
            out += parse_batch_response(inner_type, content.encode("utf-8"))
        else:
            out.append(_parse_http_part(headers.get("content-id", ""), content))
    return out


def split_multipart(text: str, boundary: str) -> list[tuple[dict[str, str], str]]:
    """The parts between `--boundary` lines: (lower-cased headers, content)."""
    parts = []
    for chunk in text.split(f"--{boundary}")[1:]:
        if chunk.startswith("--"):
            break
        head, _, content = chunk.lstrip("\r\n").partition(CRLF + CRLF)
        parts.append((_headers(head), content.rstrip("\r\n")))
    return parts


def _headers(block: str) -> dict[str, str]:
    out = {}
    for line in block.split(CRLF):
        name, sep, value = line.partition(":")
        if sep:
            out[name.strip().lower()] = value.strip()
    return out


def _parse_http_part(content_id: str, content: str) -> BatchPart:
    status_line, _, rest = content.partition(CRLF)
    fields = status_line.split(" ", 2)
    status = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else 0
    _, _, body = rest.partition(CRLF + CRLF)
    body = body.strip()
    payload = json.loads(body) if body.startswith(("{", "[")) else None
    return BatchPart(status, content_id, payload)
