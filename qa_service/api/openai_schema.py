"""The OpenAI Chat Completions request, as `POST /v1/chat/completions` accepts it, and how it becomes
a `ChatRequest` (the last user message is the question, earlier turns the history)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa_service.schemas import MAX_HISTORY_TURNS, ChatRequest, HistoryMessage
from vectorstore.errors import QAError

MODEL_ID = "vi-doc-qa"
MODEL_CREATED = 1_735_689_600  # 2025-01-01: a fixed "created" for the model card
SOURCES_HEADER = "Nguồn:"
NEAREST_HEADER = "Các đoạn gần nhất để bạn kiểm tra:"
# Where an earlier assistant turn's appended source list starts: history must not carry it back in.
_SOURCES_TAIL = re.compile(r"\n\n(?:" + re.escape(SOURCES_HEADER) + "|" + re.escape(NEAREST_HEADER) + r")\n.*\Z", re.S)


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    text: str | None = None


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    include_usage: bool = False


class CompletionRequest(BaseModel):
    """The OpenAI request; sampling options (temperature, max_tokens, …) are accepted and ignored."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "model": MODEL_ID,
                    "messages": [{"role": "user", "content": "Chỉ thị 12-CT/TW ban hành ngày nào?"}],
                },
                {
                    "model": MODEL_ID,
                    "stream": True,
                    "messages": [
                        {"role": "system", "content": "Trả lời ngắn gọn bằng tiếng Việt."},
                        {"role": "user", "content": "Chỉ thị 12-CT/TW ban hành ngày nào?"},
                        {"role": "assistant", "content": "Chỉ thị số 12-CT/TW ban hành ngày 05/01/2022 [1]."},
                        {"role": "user", "content": "Ai có trách nhiệm xây dựng Chương trình hành động?"},
                    ],
                },
            ]
        },
    )

    model: str = MODEL_ID
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    stream_options: StreamOptions | None = None
    conversation_id: str | None = Field(
        default=None, max_length=128, description="Phần mở rộng: hội thoại phía máy chủ"
    )
    top_k: int | None = Field(default=None, ge=1, le=20, description="Phần mở rộng: số đoạn trích tối đa")

    def to_chat_request(self) -> ChatRequest:
        """The last user message is the question; earlier user/assistant turns are the history."""
        last = next((i for i in range(len(self.messages) - 1, -1, -1) if self.messages[i].role == "user"), None)
        if last is None:
            raise QAError("Cần ít nhất một tin nhắn có role 'user'.", code="invalid_request", status_code=422)
        try:
            history = [
                HistoryMessage.model_validate({"role": m.role, "content": _strip_sources(m.text())})
                for m in self.messages[:last]
                if m.role in ("user", "assistant") and m.text().strip()
            ][-MAX_HISTORY_TURNS * 2 :]
            return ChatRequest(
                message=self.messages[last].text(),
                history=history,
                conversation_id=self.conversation_id,
                top_k=self.top_k,
            )
        except ValidationError as exc:
            detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:3])
            raise QAError(f"Yêu cầu không hợp lệ — {detail}", code="invalid_request", status_code=422) from exc


def _strip_sources(text: str) -> str:
    return _SOURCES_TAIL.sub("", text).strip()
