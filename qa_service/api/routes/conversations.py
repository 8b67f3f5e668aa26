"""`/v1/conversations`: the server-side history a portal can show or forget.

A conversation belongs to the key that created it, or, without a key, to the client holding its
conversation token (`X-Conversation-Token`); an admin key may read, list and delete any. To anyone
else a conversation answers exactly as an unknown id does (404), so ids do not reveal that it exists.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from qa_service.api.deps import AdminAuth, CallerDep, ServiceDep
from qa_service.api.ownership import Caller, may_read, owner_label
from qa_service.service import QAService
from vectorstore.errors import NotFoundError, QAError

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

ConversationId = Annotated[
    str,
    Path(max_length=128, description="Mã hội thoại do /v1/chat trả về", examples=["5018ef23c9c1494ab65cb0e5b12a5ea4"]),
]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    404: {"description": "Không có hội thoại này (hoặc hội thoại của người khác)"},
    422: {"description": "X-Conversation-Token không hợp lệ"},
}
_LIST_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    403: {"description": "Cần khoá API quyền 'admin'"},
}


class ConversationMessage(BaseModel):
    message_id: str
    role: str
    content: str
    created: float


class Conversation(BaseModel):
    conversation_id: str
    messages: list[ConversationMessage]


class ConversationSummary(BaseModel):
    conversation_id: str
    owner: str | None  # the key's hash id ("key:…"), "public" for a token holder, None for none (CLI)
    messages: int
    created: float
    updated: float


class ConversationList(BaseModel):
    conversations: list[ConversationSummary]
    total: int


class Deleted(BaseModel):
    conversation_id: str
    deleted: int


def _missing(conversation_id: str) -> NotFoundError:
    return NotFoundError(f"Không tìm thấy hội thoại '{conversation_id}'.")


def _check_access(service: QAService, caller: Caller, conversation_id: str) -> None:
    if not may_read(caller, service.conversations.owner(conversation_id)):
        raise _missing(conversation_id)


@router.get("", response_model=ConversationList, responses=_LIST_ERRORS, summary="Danh sách hội thoại (admin)")
async def list_conversations(
    service: ServiceDep,
    principal: AdminAuth,
    limit: Annotated[int, Query(ge=1, le=200, description="Số hội thoại tối đa")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Bỏ qua bao nhiêu hội thoại")] = 0,
) -> ConversationList:
    """Các hội thoại có tin nhắn, mới hoạt động nhất trước; chỉ khoá `admin` (máy chủ không cấu hình
    khoá thì không ai được xem danh sách, vì hội thoại của người dùng công khai là riêng của họ)."""
    if not principal.keyed:
        raise QAError(
            "Cần khoá API quyền 'admin' để xem danh sách hội thoại (cấu hình QA_API_KEYS).",
            code="forbidden", status_code=403,
        )
    rows, total = await run_in_threadpool(service.conversations.listing, limit, offset)
    items = [ConversationSummary(**{**r, "owner": owner_label(r["owner"])}) for r in rows]
    return ConversationList(conversations=items, total=total)


@router.get("/{conversation_id}", response_model=Conversation, responses=_ERRORS, summary="Xem lịch sử hội thoại")
async def get_conversation(conversation_id: ConversationId, service: ServiceDep, caller: CallerDep) -> Conversation:
    """Các lượt hỏi (`user`) và trả lời (`assistant`) theo thứ tự thời gian; chỉ giữ các lượt gần nhất.
    Chỉ khoá đã tạo hội thoại (hoặc người giữ `X-Conversation-Token` của nó, hoặc khoá `admin`) xem được."""
    await run_in_threadpool(_check_access, service, caller, conversation_id)
    rows = await run_in_threadpool(service.conversations.messages, conversation_id)
    if not rows:
        raise _missing(conversation_id)
    return Conversation(conversation_id=conversation_id, messages=[ConversationMessage(**r) for r in rows])


@router.delete("/{conversation_id}", response_model=Deleted, responses=_ERRORS, summary="Xoá hội thoại")
async def delete_conversation(conversation_id: ConversationId, service: ServiceDep, caller: CallerDep) -> Deleted:
    """Xoá toàn bộ lịch sử của hội thoại; câu hỏi tiếp theo với mã này bắt đầu lại từ đầu. Quyền như khi xem."""
    await run_in_threadpool(_check_access, service, caller, conversation_id)
    n = await run_in_threadpool(service.conversations.delete, conversation_id)
    if not n:
        raise _missing(conversation_id)
    return Deleted(conversation_id=conversation_id, deleted=n)
