"""`POST /v1/chat` and its Server-Sent Events twin `POST /v1/chat/stream`."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from sse_starlette.sse import EventSourceResponse

from qa_service.api.deps import CallerDep, ServiceDep, SettingsDep
from qa_service.api.errors import error_body
from qa_service.api.ownership import Caller, bind, stamp, token_headers
from qa_service.llm.chain import can_stream, stream_chat
from qa_service.metrics import record_answer
from qa_service.schemas import ChatRequest, ChatResponse
from vectorstore.errors import QAError

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["chat"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"}, 413: {"description": "Yêu cầu quá lớn"},
    422: {"description": "Yêu cầu không hợp lệ (câu hỏi trống, quá dài, vai trò lịch sử sai)"},
    429: {"description": "Vượt giới hạn tần suất"}, 504: {"description": "Quá thời gian xử lý"},
}


async def answer_with_deadline(service: ServiceDep, request: ChatRequest, timeout: float) -> ChatResponse:
    try:
        with anyio.fail_after(timeout):
            return await run_in_threadpool(service.chat, request)
    except TimeoutError as exc:
        raise QAError("Quá thời gian xử lý câu hỏi, vui lòng thử lại.", code="timeout", status_code=504) from exc


async def bind_conversation(service: ServiceDep, caller: Caller, request: ChatRequest) -> ChatRequest:
    return await run_in_threadpool(bind, service.conversations, caller, request)


@router.post("/chat", response_model=ChatResponse, responses=_ERRORS, summary="Hỏi đáp có trích dẫn")
async def chat(
    body: ChatRequest, response: Response, service: ServiceDep, settings: SettingsDep, caller: CallerDep
) -> ChatResponse:
    """Trả lời câu hỏi tiếng Việt chỉ từ các văn bản đã nạp; mỗi ý có `[n]` trỏ tới `citations`.
    `conversation_id` của người khác (khoá khác, hoặc thiếu/sai `X-Conversation-Token`) không được
    dùng: câu hỏi bắt đầu một hội thoại mới với mã mới."""
    bound = await bind_conversation(service, caller, body)
    answer = await answer_with_deadline(service, bound, settings.request_timeout)
    record_answer(answer)
    response.headers.update(token_headers(caller))
    return stamp(answer, caller)


def answer_pieces(answer: str) -> list[str]:
    """Word-sized deltas that never split a `[n]` marker."""
    return [p for p in re.split(r"(\s+)", answer) if p]


@router.post("/chat/stream", responses=_ERRORS, summary="Hỏi đáp, trả lời dạng luồng (SSE)")
async def chat_stream(
    body: ChatRequest, request: Request, service: ServiceDep, settings: SettingsDep, caller: CallerDep
) -> EventSourceResponse:
    """Sự kiện: `citations` (khi truy xuất xong), `delta` (từng đoạn trả lời), `done` (đối tượng
    phản hồi đầy đủ), `error`."""
    body = await bind_conversation(service, caller, body)

    async def events() -> AsyncIterator[dict[str, str]]:
        if can_stream(service):
            async for event in llm_events(service, body, request, settings.request_timeout, caller):
                yield event
            return
        try:
            response = await answer_with_deadline(service, body, settings.request_timeout)
        except QAError as exc:
            yield {"event": "error", "data": json.dumps(error_body(exc.code, exc.message), ensure_ascii=False)}
            return
        except Exception:  # headers are sent: report in-band rather than cutting the stream
            log.exception("chat stream failed")
            body_ = error_body("internal_error", "Đã xảy ra lỗi máy chủ. Vui lòng thử lại sau.")
            yield {"event": "error", "data": json.dumps(body_, ensure_ascii=False)}
            return
        record_answer(response)
        response = stamp(response, caller)
        citations = [c.model_dump() for c in response.citations]
        yield {"event": "citations", "data": json.dumps({"citations": citations}, ensure_ascii=False)}
        for piece in answer_pieces(response.answer):
            if await request.is_disconnected():
                return
            yield {"event": "delta", "data": json.dumps({"text": piece}, ensure_ascii=False)}
        yield {"event": "done", "data": response.model_dump_json()}

    # sse-starlette ends open streams as soon as the server begins shutting down; an answer in flight
    # gets up to its own deadline to reach `done` (uvicorn's graceful timeout still bounds it).
    return EventSourceResponse(
        events(), ping=15, shutdown_grace_period=settings.request_timeout, headers=token_headers(caller)
    )


async def llm_events(
    service: ServiceDep, body: ChatRequest, request: Request, timeout: float, caller: Caller
) -> AsyncIterator[dict[str, str]]:
    """The model's tokens as `delta`s while it writes; `done` carries the verified answer."""
    events = iterate_in_threadpool(stream_chat(service, body, timeout=timeout * 0.9))
    deadline = anyio.current_time() + timeout
    while True:
        try:  # the deadline wraps each step, never a `yield` (a cancel scope must not span one)
            with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                ev = await events.__anext__()
        except StopAsyncIteration:
            return
        except TimeoutError:
            exc = QAError("Quá thời gian xử lý câu hỏi, vui lòng thử lại.", code="timeout", status_code=504)
            yield {"event": "error", "data": json.dumps(error_body(exc.code, exc.message), ensure_ascii=False)}
            return
        except QAError as exc:
            yield {"event": "error", "data": json.dumps(error_body(exc.code, exc.message), ensure_ascii=False)}
            return
        except Exception:  # the response has started: report in-band, as the error handler would
            log.exception("LLM stream failed")
            body_ = error_body("internal_error", "Đã xảy ra lỗi máy chủ. Vui lòng thử lại sau.")
            yield {"event": "error", "data": json.dumps(body_, ensure_ascii=False)}
            return
        if ev.kind == "citations":
            data = json.dumps({"citations": [c.model_dump() for c in ev.data]}, ensure_ascii=False)
        elif ev.kind == "delta":
            if await request.is_disconnected():
                return
            data = json.dumps({"text": ev.data}, ensure_ascii=False)
        else:
            record_answer(ev.data)
            data = stamp(ev.data, caller).model_dump_json()
        yield {"event": ev.kind, "data": data}
