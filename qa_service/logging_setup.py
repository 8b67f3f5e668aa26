"""Structured logs: with `QA_LOG_JSON=true`, one JSON object per line, plus one access line per request.

Fields: time, level, logger, message, and for access lines request_id (set by BodyLimitMiddleware in
`scope["state"]`), method, path, status, duration_ms. What is never logged: API keys (headers are
not logged; configured keys are masked wherever they appear), query strings (they may carry keys or
text), request and document bodies. uvicorn's own loggers are switched to the same format and its
plain-text access log is turned off (this one replaces it).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import IO, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "qa_service.access"
_FIELDS = ("request_id", "method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if len(s) >= 4]

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        line = json.dumps(entry, ensure_ascii=False, default=str)
        for secret in self.secrets:
            line = line.replace(secret, "***")
        return line


class AccessLogMiddleware:
    """One INFO line per HTTP request, after the response (or the failure) is known."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            state = scope.get("state") or {}
            extra = {
                "request_id": state.get("request_id"), "method": scope.get("method"), "path": scope.get("path"),
                "status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            self.log.info("%s %s %s", extra["method"], extra["path"], status, extra=extra)


def configure_logging(level: str = "INFO", json_lines: bool = False, secrets: list[str] | None = None,
                      stream: IO[str] | None = None) -> None:
    """Root logger (and uvicorn's) to one stderr handler; JSON lines when asked."""
    if not json_lines:
        return  # plain text: uvicorn's (or the caller's) logging configuration stays as it is
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(secrets))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers = []
        lg.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers = []
    access.propagate = False
    access.disabled = True  # replaced by qa_service.access, which knows the request id


def setup_logging(app: Any, settings: Any, stream: IO[str] | None = None) -> None:
    """Called once by `create_app`, after BodyLimitMiddleware is added (so the access log wraps it and
    sees the request id it sets)."""
    configure_logging(settings.log_level, settings.log_json, list(settings.api_key_scopes()), stream)
    if settings.log_json:
        app.add_middleware(AccessLogMiddleware)
