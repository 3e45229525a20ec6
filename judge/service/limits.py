"""Request limits and access control: body cap while streaming, API keys in constant time."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """The request body passed the cap while it was being received."""


class BodyLimitMiddleware:
    """413 for bodies over `max_body` bytes, decided from Content-Length before reading anything,
    or while streaming (chunked bodies, lying headers) as soon as the count passes the cap."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                await _reply(send, 400, "invalid Content-Length")
                return
            if too_big:
                await _reply(send, 413, self._message())
                return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return msg

        async def tracked(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await _reply(send, 413, self._message())

    def _message(self) -> str:
        return f"request body larger than {self.max_body} bytes"


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The unread rest of the body would be garbage on a kept-alive connection.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def key_matches(given: str | None, keys: list[str]) -> bool:
    """Constant-time check of `given` against every configured key (no early exit)."""
    if not given:
        return False
    g = given.encode()
    ok = False
    for k in keys:
        ok |= hmac.compare_digest(g, k.encode())
    return ok


def presented_key(headers: Any) -> str | None:
    """The key from `Authorization: Bearer K` or `X-API-Key: K`."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return headers.get("x-api-key")
