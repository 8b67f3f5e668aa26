"""`POST /v1/feedback`: thumbs up/down on an answer, kept with the conversation and counted."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from qa_service.api.deps import ChatAuth, ServiceDep
from qa_service.metrics import FEEDBACK

router = APIRouter(prefix="/v1", tags=["feedback"])


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "conversation_id": "5018ef23c9c1494ab65cb0e5b12a5ea4",
                    "message_id": "98f7587e24934da5b540cd7009eeeb51",
                    "rating": "up",
                },
                {
                    "conversation_id": "5018ef23c9c1494ab65cb0e5b12a5ea4",
                    "message_id": "98f7587e24934da5b540cd7009eeeb51",
                    "rating": "down",
                    "comment": "Câu trả lời thiếu thời hạn thực hiện.",
                },
            ]
        },
    )

    conversation_id: str = Field(min_length=1, max_length=128)
    message_id: str = Field(min_length=1, max_length=128, description="`message_id` của câu trả lời được đánh giá")
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=1000, description="Góp ý (tuỳ chọn)")


class FeedbackStored(BaseModel):
    status: Literal["recorded"] = "recorded"


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    422: {"description": "Đánh giá không hợp lệ"},
    429: {"description": "Vượt giới hạn tần suất"},
}


@router.post(
    "/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackStored,
    responses=_ERRORS,
    summary="Gửi đánh giá câu trả lời",
)
async def feedback(body: FeedbackRequest, service: ServiceDep, _: ChatAuth) -> FeedbackStored:
    """Lưu đánh giá 👍/👎 (và góp ý) cho một câu trả lời; đếm trong `qa_feedback_total{rating}`."""
    comment = (body.comment or "").strip() or None
    await run_in_threadpool(
        service.conversations.add_feedback, body.conversation_id, body.message_id, body.rating, comment
    )
    FEEDBACK.labels(rating=body.rating).inc()
    return FeedbackStored()
