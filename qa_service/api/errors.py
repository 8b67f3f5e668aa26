"""One place maps every error to `{"error": {"code", "message"}}`, in wording the widget can show.

Responses get it from the exception handlers; a stream whose headers are already sent gets it from
`failure`, which each streaming route writes as its wire's error event.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa_service.turn import Failed
from vectorstore.errors import QAError

log = logging.getLogger(__name__)
INTERNAL_MESSAGE = "Đã xảy ra lỗi máy chủ. Vui lòng thử lại sau."

_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    408: "timeout", 413: "too_large", 415: "unsupported_type", 422: "invalid_request", 429: "rate_limited",
    500: "internal_error", 503: "unavailable", 504: "timeout",
}
# The framework's own errors carry only the English reason phrase: users see these instead.
_HTTP_MESSAGES = {
    404: "Không có đường dẫn này.",
    405: "Đường dẫn này không nhận phương thức đó.",
}


def timeout_error() -> QAError:
    return QAError("Quá thời gian xử lý câu hỏi, vui lòng thử lại.", code="timeout", status_code=504)


def failure(exc: Exception) -> Failed:
    """A streamed turn's error event: its deadline passed, a domain error, or a bug (logged here)."""
    if isinstance(exc, TimeoutError):
        exc = timeout_error()
    if isinstance(exc, QAError):
        return Failed(exc.code, exc.message)
    log.error("chat stream failed", exc_info=exc)
    return Failed("internal_error", INTERNAL_MESSAGE)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    return {"error": {"code": code, "message": message, **(details or {})}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, details: dict[str, Any] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{loc or 'body'}: {err.get('msg', 'invalid')}")
    return "Yêu cầu không hợp lệ — " + "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QAError)
    async def _qa_error(request: Request, exc: QAError) -> JSONResponse:
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry else None
        # Details an error carries for the caller to act on (a conflict's existing doc_id) join the object.
        return error_response(exc.status_code, exc.code, exc.message, headers, getattr(exc, "details", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = str(exc.detail)
        if message == HTTPStatus(exc.status_code).phrase:
            message = _HTTP_MESSAGES.get(exc.status_code, message)
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(500, "internal_error", INTERNAL_MESSAGE)
