"""Follow-ups made standalone by the model, with the rule-based `condense` as the safety net.

A first question needs no rewriting (no model call); a failed or odd rewrite (empty, several
lines, far longer than the conversation warrants) gives way to the rules.
"""

from __future__ import annotations

import logging

from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from prompts import load_prompt
from qa_service.condense import condense
from qa_service.schemas import HistoryMessage
from vectorstore.analyzer import normalize

log = logging.getLogger(__name__)

MAX_TURNS = 6
MAX_CHARS = 400
_ROLES = {"user": "Người hỏi", "assistant": "Trợ lý"}


class LLMCondenser:
    def __init__(self, model: BaseChatModel, prompt: ChatPromptTemplate | None = None) -> None:
        self.model = model
        self.prompt = prompt or load_prompt("condense_v1")

    def __call__(self, question: str, history: list[HistoryMessage]) -> str:
        if not history:
            return condense(question, history)
        lines = [f"{_ROLES[m.role]}: {m.content[:600]}" for m in history[-MAX_TURNS:]]
        messages = self.prompt.format_messages(history="\n".join(lines), question=question.strip())
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:  # noqa: BLE001 - the rules still give a usable question
            log.warning("LLM condense failed (%s): %s", type(exc).__name__, exc)
            return condense(question, history)
        text = str(reply.content).strip().strip('"“”').strip()
        text = text.splitlines()[0].strip() if text else ""
        if not text or len(text) > MAX_CHARS:
            return condense(question, history)
        return normalize(text)
