"""API schemas: the public JSON shapes of DESIGN.md, kept apart from LangChain `Document`s."""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

from langchain_core.documents import Document
from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_MESSAGE_CHARS = 2000
MAX_HISTORY_TURNS = 20


class HistoryMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {"message": "Ai có trách nhiệm xây dựng Chương trình hành động thực hiện Chỉ thị 12-CT/TW?"},
                {
                    "message": "Còn Kế hoạch 108-KH/TU thì sao?",
                    "history": [
                        {"role": "user", "content": "Chỉ thị 12-CT/TW ban hành ngày nào?"},
                        {"role": "assistant", "content": "Chỉ thị số 12-CT/TW ban hành ngày 05/01/2022 [1]."},
                    ],
                },
            ]
        },
    )

    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS, description="Câu hỏi bằng tiếng Việt")
    conversation_id: str | None = Field(default=None, max_length=128)
    history: list[HistoryMessage] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS * 2)
    top_k: int | None = Field(default=None, ge=1, le=20)

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # Control, format (zero-width) and separator characters carry no question: only them is blank too.
        if not any(unicodedata.category(ch)[0] not in "CZ" for ch in value):
            raise ValueError("Câu hỏi không được để trống (message must not be blank)")
        return value


class Citation(BaseModel):
    index: int
    doc_id: str
    title: str
    source: str
    published: str | None = None
    chunk_id: str
    snippet: str
    start: int
    end: int
    score: float
    section: str | None = None  # the heading path the cited span sits under ("II. … > 1. Sở Công Thương")

    @classmethod
    def from_chunk(
        cls, index: int, chunk: Document, *, start: int | None = None, end: int | None = None
    ) -> Citation:
        """Cite `chunk`, or the span [start, end) of the cleaned document text inside it."""
        meta = chunk.metadata
        c_start, c_end = int(meta["start"]), int(meta["end"])
        text = meta.get("display_text") or chunk.page_content
        s = c_start if start is None else max(c_start, start)
        e = c_end if end is None else min(c_end, end)
        return cls(
            index=index,
            doc_id=meta["doc_id"],
            title=meta.get("title", ""),
            source=meta.get("source", ""),
            published=meta.get("published") or None,
            chunk_id=meta["chunk_id"],
            snippet=text[s - c_start : e - c_start],
            start=s,
            end=e,
            score=round(float(meta.get("score", 0.0)), 4),
        )


class ChatResponse(BaseModel):
    conversation_id: str
    message_id: str = ""
    answer: str
    abstained: bool
    citations: list[Citation]
    standalone_question: str | None = None
    answerer: str = "extractive"
    verification: dict[str, Any] | None = None
    conversation_token: str | None = Field(
        default=None,
        description="Chỉ khi hỏi không có khoá API: mã bí mật của hội thoại; gửi lại trong header "
        "X-Conversation-Token để hỏi tiếp, xem hoặc xoá hội thoại",
    )
