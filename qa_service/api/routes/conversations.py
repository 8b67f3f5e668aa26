"""`GET/DELETE /v1/conversations/{id}`: the server-side history a portal can show or forget.

Conversation ids are random 128-bit values handed out by `/v1/chat`; knowing one is what grants
access to it, so any key with the `chat` scope may read or delete it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from qa_service.api.deps import ChatAuth, ServiceDep
from vectorstore.errors import NotFoundError

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

ConversationId = Annotated[
    str,
    Path(max_length=128, description="Mã hội thoại do /v1/chat trả về", examples=["5018ef23c9c1494ab65cb0e5b12a5ea4"]),
]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    404: {"description": "Không có hội thoại này"},
}


class ConversationMessage(BaseModel):
    message_id: str
    role: str
    content: str
    created: float


class Conversation(BaseModel):
    conversation_id: str
    messages: list[ConversationMessage]


class Deleted(BaseModel):
    conversation_id: str
    deleted: int


def _missing(conversation_id: str) -> NotFoundError:
    return NotFoundError(f"Không tìm thấy hội thoại '{conversation_id}'.")


@router.get("/{conversation_id}", response_model=Conversation, responses=_ERRORS, summary="Xem lịch sử hội thoại")
async def get_conversation(conversation_id: ConversationId, service: ServiceDep, _: ChatAuth) -> Conversation:
    """Các lượt hỏi (`user`) và trả lời (`assistant`) theo thứ tự thời gian; chỉ giữ các lượt gần nhất."""
    rows = await run_in_threadpool(service.conversations.messages, conversation_id)
    if not rows:
        raise _missing(conversation_id)
    return Conversation(conversation_id=conversation_id, messages=[ConversationMessage(**r) for r in rows])


@router.delete("/{conversation_id}", response_model=Deleted, responses=_ERRORS, summary="Xoá hội thoại")
async def delete_conversation(conversation_id: ConversationId, service: ServiceDep, _: ChatAuth) -> Deleted:
    """Xoá toàn bộ lịch sử của hội thoại; câu hỏi tiếp theo với mã này bắt đầu lại từ đầu."""
    n = await run_in_threadpool(service.conversations.delete, conversation_id)
    if not n:
        raise _missing(conversation_id)
    return Deleted(conversation_id=conversation_id, deleted=n)
