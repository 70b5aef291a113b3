"""What every request passes through: a body-size cap, a per-client rate limit, and one
structured log line plus metrics when it is done.

The log line holds a request id, the route, the status, the latency and (for answers) the
answer's status. It holds no question text and no IP address unless
``PLANWIJZER_LOG_QUESTIONS`` turns that on: residents' questions can be personal.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
import uuid

from limits import parse as parse_limit
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from planwijzer.service.metrics import ServiceMetrics
from planwijzer.settings import Settings

access_log = logging.getLogger("planwijzer.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The routes that cost real work; health checks, metrics and static files are never limited.
LIMITED_PREFIXES = ("/v1/",)


async def _send_error(send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": code, "message": message}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(name.encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """413 for a request body over ``max_bytes``, whether it declares its length or not.

    The body (small, by this very limit) is read here first and handed on whole: an error
    raised while the app itself reads it would be taken for a malformed body.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; let the app see it
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        await _send_error(send, 413, "too_large", f"the request body is over {self.max_bytes} bytes")


class RateLimit:
    """At most ``limit`` (e.g. "60/minute") requests per client on the API routes; 429 with
    Retry-After beyond it. Clients are told apart by address, kept in memory only."""

    def __init__(self, app: ASGIApp, limit: str) -> None:
        self.app = app
        self.item = parse_limit(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.limiter.hit(self.item, client):
            await self.app(scope, receive, send)
            return
        reset_at, _remaining = self.limiter.get_window_stats(self.item, client)
        retry_after = max(1, math.ceil(reset_at - time.time()))
        message = f"too many requests; try again in {retry_after} s"
        await _send_error(send, 429, "rate_limited", message, {"retry-after": str(retry_after)})


class Observe:
    """Request id in and out, one JSON log line and the metrics per request."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics, settings: Settings) -> None:
        self.app = app
        self.metrics = metrics
        self.log_questions = settings.log_questions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            state = scope.get("state", {})
            fields = {
                "request_id": request_id,
                "method": scope["method"],
                "route": route,
                "status": status,
                "latency_ms": round(elapsed * 1000, 2),
            }
            if "answer_status" in state:
                fields["answer_status"] = state["answer_status"]
            if self.log_questions:
                fields["question"] = state.get("question")
                fields["client"] = (scope.get("client") or ("", 0))[0]
            access_log.info("request", extra=fields)
