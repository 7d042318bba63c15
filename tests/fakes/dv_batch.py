"""`$batch` for the fake Dataverse, parsed with the standard library's MIME parser (an
implementation independent of the client's), strict about the OData multipart form."""

from __future__ import annotations

import copy
import email
import email.policy
import json
import re
import uuid
from typing import TYPE_CHECKING, Any

from .dv_common import HttpError

if TYPE_CHECKING:
    from .dataverse import FakeDataverse

MAX_OPERATIONS = 1000


def run_batch(
    fake: FakeDataverse,
    content_type: str,
    body: bytes,
) -> tuple[int, str, bytes, int]:
    """(status, content type, body, operations). A failed change set makes the whole answer
    HTTP 400 with a multipart body holding the failed operation's answer: "When an error
    occurs for a request within a batch, the error for that request will be returned for the
    batch request" (learn.microsoft.com/power-apps/developer/data-platform/webapi/
    execute-batch-operations-using-web-api, whose example answers HTTP/1.1 400 BadRequest)."""
    if not re.match(r"multipart/mixed;\s*boundary=\"?batch_", content_type):
        raise HttpError(
            400, "0x80048d19", "a $batch needs Content-Type multipart/mixed with a batch_ boundary"
        )
    if b"\r\n" not in body or re.search(rb"[^\r]\n", body):
        raise HttpError(400, "0x80048d19", "$batch lines must end with CRLF")
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    if message.defects or not message.is_multipart():
        raise HttpError(400, "0x80048d19", f"malformed $batch body: {message.defects}")
    changesets = list(message.iter_parts())
    operations = [_operations(part) for part in changesets]
    count = sum(len(ops) for ops in operations)
    if count > MAX_OPERATIONS:
        raise HttpError(
            400,
            "0x80048d19",
            f"The number of requests in batch is {count}, over the limit of {MAX_OPERATIONS}.",
        )
    answers = [_run_changeset(fake, ops) for ops in operations]
    boundary = f"batchresponse_{uuid.uuid4()}"
    text = "".join(f"--{boundary}\r\n{answer}" for answer, _ in answers) + f"--{boundary}--\r\n"
    status = 400 if any(failed for _, failed in answers) else 200
    return status, f"multipart/mixed; boundary={boundary}", text.encode("utf-8"), count


def _operations(part: Any) -> list[tuple[str, str, str, dict[str, str], Any]]:
    if part.get_content_type() != "multipart/mixed" or "changeset_" not in (
        part.get_param("boundary") or ""
    ):
        raise HttpError(400, "0x80048d19", "each $batch part here must be a change set")
    out = []
    for operation in part.iter_parts():
        if (
            operation.get_content_type() != "application/http"
            or operation.get("Content-Transfer-Encoding", "").strip() != "binary"
        ):
            raise HttpError(
                400,
                "0x80048d19",
                "an operation needs Content-Type application/http"
                " and Content-Transfer-Encoding binary",
            )
        if not operation.get("Content-ID"):
            raise HttpError(400, "0x80048d19", "an operation in a change set needs a Content-ID")
        out.append(_inner(operation.get("Content-ID").strip(), operation.get_payload()))
    return out


def _inner(content_id: str, text: str) -> tuple[str, str, str, dict[str, str], Any]:
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    match = re.fullmatch(r"(PATCH|POST|DELETE) (\S+) HTTP/1\.1", lines[0])
    if not match:
        raise HttpError(400, "0x80048d19", f"bad request line in $batch: {lines[0]!r}")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    if not headers.get("Content-Type", "").startswith("application/json"):
        raise HttpError(400, "0x80048d19", "operations need Content-Type: application/json")
    path = re.sub(r"^(https?://[^/]+)?/api/data/v9\.2/", "", match.group(2))
    if path == match.group(2):
        raise HttpError(400, "0x80048d19", f"operation URL outside the API: {path}")
    return content_id, match.group(1), path, headers, json.loads(body.strip())


def _run_changeset(
    fake: FakeDataverse,
    ops: list[tuple[str, str, str, dict[str, str], Any]],
) -> tuple[str, bool]:
    boundary = f"changesetresponse_{uuid.uuid4()}"
    with fake.lock:
        saved = copy.deepcopy(fake.records)
        fake.key_index = fake.name_index() if "enreach_setting" in fake.tables else {}
        parts = []
        for content_id, method, path, headers, body in ops:
            try:
                _apply(fake, method, path, headers, body)
            except HttpError as exc:
                fake.records, fake.key_index = saved, None  # a change set is atomic
                error = json.dumps({"error": {"code": exc.code, "message": exc.message}})
                return (
                    f"Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
                    f"Content-ID: {content_id}\r\n\r\nHTTP/1.1 {exc.status} Error\r\n"
                    f"Content-Type: application/json; odata.metadata=minimal\r\n\r\n"
                    f"{error}\r\n"
                ), True
            parts.append(
                f"--{boundary}\r\nContent-Type: application/http\r\n"
                f"Content-Transfer-Encoding: binary\r\nContent-ID: {content_id}\r\n\r\n"
                f"HTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\n\r\n\r\n"
            )
        fake.key_index = None
    return (
        f"Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n"
        + "".join(parts)
        + f"--{boundary}--\r\n"
    ), False


def _apply(fake: FakeDataverse, method: str, path: str, headers: dict[str, str], body: Any) -> None:
    if method != "PATCH":
        raise HttpError(405, "0x80060888", "the fake accepts PATCH (upsert) in change sets")
    match = re.fullmatch(r"([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)", path)
    if not match:
        raise HttpError(404, "0x80060888", f"Resource not found for the segment '{path}'.")
    fake.write(match.group(1), match.group(2).lower(), body, headers)
