"""The FastAPI app factory. Nothing loads at import: the lifespan opens the index and the model."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from prometheus_fastapi_instrumentator import Instrumentator
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa_service.api.aborts import AbortedRequestMiddleware
from qa_service.api.deps import metrics_access
from qa_service.api.docs import install_docs
from qa_service.api.errors import error_response, install_error_handlers
from qa_service.api.ownership import TOKEN_HEADER
from qa_service.api.routes import chat, conversations, documents, feedback, health, openai_compat, tasks
from qa_service.api.security import RateLimiter, RateLimitMiddleware
from qa_service.api.writer import WriteQueue
from qa_service.logging_setup import setup_logging
from qa_service.service import QAService, build_service
from qa_service.settings import Settings, get_settings
from qa_service.web import mount_web

log = logging.getLogger("qa_service.api")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

DESCRIPTION = """
Dịch vụ hỏi đáp văn bản tiếng Việt: trả lời **chỉ** từ các chỉ thị, kế hoạch, bài viết đã nạp,
trích dẫn chính xác đoạn văn (`[n]` ↔ `citations`), và nói rõ khi văn bản không có câu trả lời
(`abstained: true`).
"""


class _BodyTooLarge(HTTPException):
    """An HTTPException so that body parsing re-raises it as is (any other error becomes a 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


class BodyLimitMiddleware:
    """413 for bodies over the limit, whether declared (`Content-Length`) or streamed chunked:
    the body is counted as it is received, so a client cannot skip the check by omitting the
    header. Also tags every response with an `X-Request-ID`."""

    def __init__(self, app: ASGIApp, json_limit: int, upload_limit: int) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.upload_limit if scope["path"].startswith("/v1/documents") else self.json_limit
        message = f"Yêu cầu quá lớn (tối đa {limit // 1024} KB)."
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "bad_request", "Content-Length không hợp lệ.")(scope, receive, send)
                return
            if int(declared) > limit:
                await error_response(413, "too_large", message)(scope, receive, send)
                return
        # A client's id is echoed (and logged) only when it looks like one: bounded, no odd characters.
        sent = headers.get("x-request-id", "")
        request_id = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(message)
            return msg

        async def tagged_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
                msg = {**msg, "headers": [*msg.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(msg)

        try:
            await self.app(scope, counted_receive, tagged_send)
        except _BodyTooLarge:
            if not started:
                await error_response(413, "too_large", message)(scope, receive, send)


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service is not None:
            app.state.service = service
        else:
            app.state.service = await run_in_threadpool(build_service, settings)
        log.info("ready: %d chunks", app.state.service.store.chunk_count())
        app.state.writer = WriteQueue(settings.write_queue, settings.write_wait)  # uploads, deletes: one thread
        yield
        await run_in_threadpool(app.state.writer.close)  # the running write finishes (it is bounded)
        if service is None:
            app.state.service.close()

    # The API's own documentation maps every route for a visitor: served when asked for, and by
    # default only on an open server (no keys), where there is nothing to hide behind them anyway.
    docs = settings.serve_api_docs()
    app = FastAPI(
        title="Hỏi đáp văn bản (Vietnamese document QA)", version="1.0.0", description=DESCRIPTION, lifespan=lifespan,
        # Swagger UI from the installed package (`install_docs`); ReDoc would load from a CDN.
        openapi_url="/openapi.json" if docs else None, docs_url=None, redoc_url=None,
        # No 307 to the slash-less path: the metrics library labels such requests by their raw path,
        # so distinct "/v1/documents/x{i}/" would each grow /metrics. Unknown paths are one 404 label.
        redirect_slashes=False,
    )
    app.state.settings = settings
    install_docs(app, serve_ui=docs)
    app.state.service = None
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    install_error_handlers(app)
    app.add_middleware(
        BodyLimitMiddleware, json_limit=settings.max_body_kb * 1024, upload_limit=settings.max_upload_mb * 1024 * 1024
    )
    app.add_middleware(RateLimitMiddleware, limiter=app.state.rate_limiter, settings=settings)
    setup_logging(app, settings)  # after BodyLimitMiddleware: the access log wraps it and sees the request id
    origins = settings.cors_origin_list()
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "X-Request-ID", TOKEN_HEADER], max_age=600,
            expose_headers=["Retry-After", "X-Request-ID", TOKEN_HEADER],  # the widget on another origin reads them
        )
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(openai_compat.router)
    app.include_router(conversations.router)
    app.include_router(documents.router)
    app.include_router(feedback.router)
    app.include_router(tasks.router)
    mount_web(app, connect_src=origins)
    app.add_middleware(AbortedRequestMiddleware)  # inside the instrumentator: it sees 499, not 500
    Instrumentator(excluded_handlers=["/metrics"]).instrument(app).expose(
        app, include_in_schema=False, dependencies=[Depends(metrics_access)]
    )
    return app
