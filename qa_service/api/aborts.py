"""Requests whose client went away before the answer: "499 client closed request" (nginx's code), not a
server error. Inside the metrics middleware, so they are counted as 4xx (no false 5xx alerts), and logged
in one line rather than with a traceback."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)
CLIENT_CLOSED = 499


class AbortedRequestMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gone = started = False

        async def watch_receive() -> Message:
            nonlocal gone
            message = await receive()
            gone = gone or message["type"] == "http.disconnect"
            return message

        async def watch_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, watch_receive, watch_send)
        except Exception as exc:
            if not gone or started:
                raise
            log.info("client closed %s %s before its answer (%s)", scope["method"], scope["path"], type(exc).__name__)
            # The server drops what is sent to a closed connection; the status is for the metrics.
            await send({"type": "http.response.start", "status": CLIENT_CLOSED, "headers": []})
            await send({"type": "http.response.body", "body": b""})
