"""API keys with scopes, and a per-key token-bucket rate limit."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from qa_service.settings import Settings
from vectorstore.errors import QAError


@dataclass(frozen=True)
class Principal:
    key_id: str  # a hash prefix: keys themselves are never logged or stored
    scopes: frozenset[str]

    @property
    def keyed(self) -> bool:
        """Identified by a configured key (not an open server's or public chat's client address)."""
        return self.key_id.startswith("key:")


def _key_from(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-api-key") or None


def authenticate(request: Request, settings: Settings, scope: str) -> Principal:
    keys = settings.api_key_scopes()
    client = request.client.host if request.client else "anonymous"
    if not keys or (scope == "chat" and settings.public_chat and _key_from(request) is None):
        return Principal(key_id=f"ip:{client}", scopes=frozenset({"chat", "admin"} if not keys else {"chat"}))
    key = _key_from(request)
    if key is None:
        raise QAError("Thiếu khoá API (Authorization: Bearer KEY hoặc X-API-Key).", code="unauthorized", status_code=401)
    scopes = keys.get(key)
    if scopes is None:
        raise QAError("Khoá API không hợp lệ.", code="unauthorized", status_code=401)
    if scope not in scopes:
        raise QAError(f"Khoá API không có quyền '{scope}'.", code="forbidden", status_code=403)
    return Principal(key_id="key:" + hashlib.sha256(key.encode()).hexdigest()[:12], scopes=frozenset(scopes))


class RateLimiter:
    """Token bucket per principal: `per_minute` requests, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(max(per_minute, 1))
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                retry = max(1, math.ceil((1.0 - tokens) / self.rate))
                self._buckets[key] = (tokens, now)
                raise RateLimitedError(retry)
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:  # bound memory under a flood of distinct clients
                self._buckets.clear()


def bucket_key(headers: Headers, client: str, keys: dict[str, set[str]]) -> str:
    """Configured keys get their own bucket; everything else (no key, unknown keys) shares its
    client address's, so inventing keys does not buy more requests."""
    auth = headers.get("authorization", "")
    key = auth[7:].strip() if auth.lower().startswith("bearer ") else headers.get("x-api-key")
    if key and key in keys:
        return "key:" + hashlib.sha256(key.encode()).hexdigest()[:12]
    return f"ip:{client}"


class RateLimitMiddleware:
    """The per-key rate limit, checked before the body is read or parsed: a flood is turned away
    for the cost of a dictionary lookup, so in-quota clients keep their latency."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, settings: Settings) -> None:
        self.app = app
        self.limiter = limiter
        self.keys = settings.api_key_scopes()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/") and scope.get("method") != "OPTIONS":
            client = scope["client"][0] if scope.get("client") else "anonymous"
            try:
                self.limiter.check(bucket_key(Headers(scope=scope), client, self.keys))
            except RateLimitedError as exc:
                body = {"error": {"code": exc.code, "message": exc.message}}
                response = JSONResponse(body, status_code=429, headers={"Retry-After": str(exc.retry_after)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RateLimitedError(QAError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Quá nhiều yêu cầu. Vui lòng thử lại sau {retry_after} giây.")
        self.retry_after = retry_after
