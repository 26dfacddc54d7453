"""ASGI guards that run before any route: request id, body size, media type.

Pure ASGI (not BaseHTTPMiddleware) so the body is read once and the same code runs under uvicorn and under
Mangum in Lambda.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

from shared.api.problems import PROBLEM_JSON
from shared.observability import get_logger
from shared.workflow import UploadRule

__all__ = ["RequestGuards"]

# No route's path is longer; ids in paths become DynamoDB keys (at most 2048 bytes) and audit targets.
MAX_PATH_BYTES = 512
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BODY_METHODS = {b"POST", b"PUT", b"PATCH"}
JSON_TYPES = ("application/json",)


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _request_id(scope: dict[str, Any]) -> str:
    event = scope.get("aws.event") or {}
    from_gateway = (event.get("requestContext") or {}).get("requestId")
    if from_gateway and _REQUEST_ID.match(from_gateway):
        return str(from_gateway)
    supplied = _header(scope, b"x-request-id")
    if supplied and _REQUEST_ID.match(supplied):
        return supplied
    return str(uuid.uuid4())


async def _send_problem(send: Any, status: int, code: str, title: str, detail: str, request_id: str,
                        with_id: bool = True) -> None:
    body = json.dumps(
        {"type": f"urn:choju:problem:{code}", "title": title, "status": status, "code": code,
         "detail": detail, "request_id": request_id},
        ensure_ascii=False,
    ).encode()
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    if with_id:
        headers.append((b"x-request-id", request_id.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestGuards:
    """Give every request an id, refuse oversized or non-JSON bodies, tag logs with the request id."""

    def __init__(self, app: Any, max_body_bytes: int, uploads: tuple[UploadRule, ...] = ()) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.uploads = uploads

    def _rule(self, path: str) -> tuple[tuple[str, ...], int]:
        for rule in self.uploads:
            if rule.matches(path):
                return rule.media_types, rule.max_bytes
        return JSON_TYPES, self.max_body_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id

        started = time.perf_counter()
        response_started = False

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
                # One access line per request; the path may carry anything a client typed, so it goes
                # through the same redaction as every other log line.
                get_logger().info("request", extra={
                    "method": scope.get("method"), "path": scope.get("path"), "status": message["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            await send(message)

        with get_logger().append_context_keys(request_id=request_id):
            if len(scope.get("path", "").encode("utf-8")) > MAX_PATH_BYTES:
                await _send_problem(send, 414, "uri-too-long", "URI too long",
                                    f"the path exceeds {MAX_PATH_BYTES} bytes", request_id)
                return
            if scope.get("method", "").encode() in _BODY_METHODS:
                accepted, limit = self._rule(scope.get("path", ""))
                body = await self._read_body(receive, limit)
                if body is None:
                    await _send_problem(send, 413, "payload-too-large", "Payload too large",
                                        f"the request body exceeds {limit} bytes", request_id)
                    return
                if body and _media_type(scope) not in accepted:
                    await _send_problem(send, 415, "unsupported-media-type", "Unsupported media type",
                                        f"send the body as {' or '.join(accepted)}", request_id)
                    return
                receive = _replay(body, receive)
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                # A fault, not bad input: log it (redacted) and answer 500 without internals.
                get_logger().exception("unhandled error", extra={"path": scope.get("path")})
                if response_started:
                    raise
                await _send_problem(send_with_id, 500, "internal-error", "Internal error",
                                    "The request could not be completed. Quote the request id when you report it.",
                                    request_id, with_id=False)

    async def _read_body(self, receive: Any, limit: int) -> bytes | None:
        """The whole body, or None as soon as it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _media_type(scope: dict[str, Any]) -> str:
    return (_header(scope, b"content-type") or "").split(";")[0].strip().lower()


def _replay(body: bytes, original: Any) -> Any:
    """Hand the buffered body to the app once, then pass through (so disconnects are still seen)."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return await original()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
