"""`POST /v1/chat` and its Server-Sent Events twin `POST /v1/chat/stream`.

Both serve any answerer: `/v1/chat` is `QAService.answer`; the stream route's one generator maps
`QAService.stream`'s events (through `api.turns.turn_events`) to SSE events.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request, Response
from sse_starlette.sse import EventSourceResponse

from qa_service.api.deps import CallerDep, ServiceDep, SettingsDep
from qa_service.api.errors import error_body
from qa_service.api.ownership import stamp, token_headers
from qa_service.api.turns import answer_with_deadline, bind_conversation, turn_events
from qa_service.metrics import record_answer
from qa_service.schemas import ChatRequest, ChatResponse
from qa_service.turn import Delta, Done, Failed, Sources

router = APIRouter(prefix="/v1", tags=["chat"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"}, 413: {"description": "Yêu cầu quá lớn"},
    422: {"description": "Yêu cầu không hợp lệ (câu hỏi trống, quá dài, vai trò lịch sử sai)"},
    429: {"description": "Vượt giới hạn tần suất"}, 504: {"description": "Quá thời gian xử lý"},
}


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


def _event(name: str, data: dict[str, Any]) -> dict[str, str]:
    return {"event": name, "data": json.dumps(data, ensure_ascii=False)}


@router.post("/chat/stream", responses=_ERRORS, summary="Hỏi đáp, trả lời dạng luồng (SSE)")
async def chat_stream(
    body: ChatRequest, request: Request, service: ServiceDep, settings: SettingsDep, caller: CallerDep
) -> EventSourceResponse:
    """Sự kiện: `citations` (khi truy xuất xong), `delta` (từng đoạn trả lời), `done` (đối tượng
    phản hồi đầy đủ), `error`."""
    body = await bind_conversation(service, caller, body)

    async def events() -> AsyncIterator[dict[str, str]]:
        async for event in turn_events(service, body, settings.request_timeout, caller):
            match event:
                case Sources():
                    yield _event("citations", {"citations": [c.model_dump() for c in event.citations]})
                case Delta():
                    if await request.is_disconnected():
                        return
                    yield _event("delta", {"text": event.text})
                case Done():
                    yield {"event": "done", "data": event.response.model_dump_json()}
                case Failed():
                    yield _event("error", error_body(event.code, event.message))

    # sse-starlette ends open streams as soon as the server begins shutting down; an answer in flight
    # gets up to its own deadline to reach `done` (uvicorn's graceful timeout still bounds it).
    return EventSourceResponse(
        events(), ping=15, shutdown_grace_period=settings.request_timeout, headers=token_headers(caller)
    )
