"""OpenAI-compatible `POST /v1/chat/completions` and `GET /v1/models`.

Portals that already speak the OpenAI API (the `openai` SDK, LangChain's `ChatOpenAI`, chat UIs)
point their base URL here and get cited answers. The text carries `[n]` markers and a "Nguồn:" list,
so a client that only shows `content` still shows the sources; the structured `citations` and
`abstained` ride along as extra top-level fields that OpenAI clients ignore. A stream is
`QAService.stream`'s events mapped to `chat.completion.chunk`s by one generator, for any answerer.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from qa_service.api.deps import CallerDep, ChatAuth, ServiceDep, SettingsDep
from qa_service.api.errors import error_body
from qa_service.api.openai_schema import (
    MODEL_CREATED,
    MODEL_ID,
    NEAREST_HEADER,
    SOURCES_HEADER,
    CompletionRequest,
)
from qa_service.api.ownership import Caller, stamp, token_headers
from qa_service.api.turns import answer_with_deadline, bind_conversation, turn_events
from qa_service.metrics import record_answer
from qa_service.schemas import ChatRequest, ChatResponse, Citation
from qa_service.turn import Delta, Done, Failed, Sources, Started, answer_pieces
from vectorstore.errors import QAError

router = APIRouter(prefix="/v1", tags=["openai"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    404: {"description": "Không có mô hình này"},
    413: {"description": "Yêu cầu quá lớn"},
    422: {"description": "Yêu cầu không hợp lệ (không có tin nhắn người dùng, câu hỏi quá dài, vai trò sai)"},
    429: {"description": "Vượt giới hạn tần suất"},
    504: {"description": "Quá thời gian xử lý"},
}


def source_list(citations: list[Citation], abstained: bool) -> str:
    """`\\n\\nNguồn:\\n[1] Title (source, date)`, or the nearest passages when the answer abstains."""
    if not citations:
        return ""
    lines = []
    for c in citations:
        where = c.source + (f", {c.published}" if c.published else "")
        lines.append(f"[{c.index}] {c.title} ({where})")
    return "\n\n" + (NEAREST_HEADER if abstained else SOURCES_HEADER) + "\n" + "\n".join(lines)


def answer_text(response: ChatResponse) -> str:
    return response.answer + source_list(response.citations, response.abstained)


def _usage(request: ChatRequest, text: str) -> dict[str, int]:
    """Whitespace word counts: honest enough for dashboards, no tokenizer to load."""
    prompt = len(request.message.split()) + sum(len(h.content.split()) for h in request.history)
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _extras(
    citations: list[Citation], abstained: bool, conversation_id: str, token: str | None
) -> dict[str, Any]:
    extras: dict[str, Any] = {
        "citations": [c.model_dump() for c in citations],
        "abstained": abstained,
        "conversation_id": conversation_id,
    }
    if token:  # public clients only: the token to continue this conversation
        extras["conversation_token"] = token
    return extras


def _response_extras(response: ChatResponse) -> dict[str, Any]:
    return _extras(response.citations, response.abstained, response.conversation_id, response.conversation_token)


def completion_body(model: str, request: ChatRequest, response: ChatResponse) -> dict[str, Any]:
    text = answer_text(response)
    return {
        "id": f"chatcmpl-{response.message_id or response.conversation_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "logprobs": None, "finish_reason": "stop"}
        ],
        "usage": _usage(request, text),
        **_response_extras(response),
    }


def _check_model(model: str) -> None:
    if model != MODEL_ID:
        raise QAError(
            f"Không có mô hình '{model}'. Dùng '{MODEL_ID}' (xem GET /v1/models).",
            code="model_not_found",
            status_code=404,
        )


@router.get("/models", summary="Danh sách mô hình (tương thích OpenAI)")
def list_models(_: ChatAuth) -> dict[str, Any]:
    """Một mô hình duy nhất: hỏi đáp có trích dẫn trên các văn bản đã nạp."""
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "qa_service"}],
    }


@router.post(
    "/chat/completions", response_model=None, responses=_ERRORS, summary="Hỏi đáp kiểu OpenAI Chat Completions"
)
async def chat_completions(
    body: CompletionRequest,
    request: Request,
    response: Response,
    service: ServiceDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> dict[str, Any] | StreamingResponse:
    """Tin nhắn `user` cuối cùng là câu hỏi, các lượt trước là lịch sử. Nội dung trả lời có `[n]` và danh
    sách "Nguồn:"; trường mở rộng `citations`, `abstained`. `stream: true` trả về SSE kiểu OpenAI kết thúc
    bằng `data: [DONE]`."""
    _check_model(body.model)
    chat_request = await bind_conversation(service, caller, body.to_chat_request())
    if not body.stream:
        answer = await answer_with_deadline(service, chat_request, settings.request_timeout)
        record_answer(answer)
        response.headers.update(token_headers(caller))
        return completion_body(body.model, chat_request, stamp(answer, caller))
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    return StreamingResponse(
        _stream(body.model, chat_request, request, service, settings.request_timeout, include_usage, caller),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **token_headers(caller)},
    )


def _sse(payload: dict[str, Any] | str) -> str:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return f"data: {data}\n\n"


async def _stream(
    model: str,
    chat_request: ChatRequest,
    request: Request,
    service: ServiceDep,
    timeout: float,
    include_usage: bool,
    caller: Caller,
) -> AsyncIterator[str]:
    """Role chunk, content chunks, the "Nguồn:" list, a `stop` chunk, optional usage, `[DONE]`.

    The role chunk carries the citations when the answer is settled before it is streamed (the
    extractive answerer). The `stop` chunk always carries the answer's citations and the verified
    answer (`verified_answer`): OpenAI clients cannot retract a model's draft already streamed."""
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": model, "system_fingerprint": None}

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return _sse({**base, "choices": [choice], **extra})

    streamed, conversation_id = "", chat_request.conversation_id or ""
    async for event in turn_events(service, chat_request, timeout, caller):
        match event:
            case Started():
                base["id"] = f"chatcmpl-{event.message_id}"
                conversation_id = event.conversation_id
            case Sources():
                extras = (_extras(event.citations, bool(event.abstained), conversation_id, caller.token)
                          if event.settled else {})
                yield chunk({"role": "assistant", "content": ""}, **extras)
            case Delta():
                if await request.is_disconnected():
                    return
                streamed += event.text
                yield chunk({"content": event.text})
            case Done():
                response = event.response
                tail = source_list(response.citations, response.abstained)
                for piece in answer_pieces(tail):
                    yield chunk({"content": piece})
                yield chunk({}, "stop", verified_answer=response.answer, **_response_extras(response))
                if include_usage:
                    yield _sse({**base, "choices": [], "usage": _usage(chat_request, streamed + tail)})
            case Failed():
                yield _sse(error_body(event.code, event.message))  # the openai SDK raises APIError on this
    yield _sse("[DONE]")
