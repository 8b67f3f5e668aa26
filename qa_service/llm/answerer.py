"""The LLM answerer: a chat model writes the answer, verification decides what of it is kept.

It honours the same `answer(...)` call as `ExtractiveAnswerer` (`qa_service.llm.chain` puts it behind
the service's one `Answerer` interface), and keeps an extractive answerer at hand:
a model error, a timeout, a leak of the system prompt or an answer with nothing verifiable left
all end in the extractive answer (`answerer: "extractive-fallback"`), never in a 500.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from prompts import load_prompt
from qa_service.answering.answerer import ExtractiveAnswerer
from qa_service.answering.lexicon import ABSTAIN_TEXT
from qa_service.answering.result import Answer
from qa_service.citations import CitationBuilder
from qa_service.llm.guard import LeakDetector, fence_passage, neutralize, new_fence, strip_links, strip_thinking
from qa_service.llm.stream import SafeEmitter
from qa_service.llm.verify import DEFAULT_POLICY, Policy, renumber, verify
from qa_service.question import QuestionInfo
from qa_service.turn import PassageAnswerer
from vectorstore.sentence_facts import SentenceFact

log = logging.getLogger(__name__)

ChunkAt = Callable[[str, int], Document | None]
FALLBACK = "extractive-fallback"


@dataclass
class Prepared:
    """One request's prompt and what verification needs to judge the reply."""

    messages: list[BaseMessage]
    chunks: list[Document]
    passages: list[str]
    sources: list[str]
    leak: LeakDetector
    neutralized: int = 0
    started: float = field(default_factory=time.perf_counter)


class LLMAnswerer:
    def __init__(
        self,
        model: BaseChatModel,
        name: str = "openai",
        prompt: ChatPromptTemplate | None = None,
        policy: Policy = DEFAULT_POLICY,
        fallback: PassageAnswerer | None = None,
        defuse_passages: bool = True,
    ) -> None:
        self.model = model
        self.name = name
        self.prompt = prompt or load_prompt("answer_v1")
        self.policy = policy
        self.fallback: PassageAnswerer = fallback or ExtractiveAnswerer()
        self.defuse_passages = defuse_passages

    # --- prompt -----------------------------------------------------------------------------------
    def prepare(self, question: str, chunks: list[Document]) -> Prepared:
        fence = new_fence()
        passages, blocks, hits = [], [], 0
        for i, chunk in enumerate(chunks, 1):
            text = chunk.page_content
            if self.defuse_passages:
                text, n = neutralize(text)
                hits += n
            passages.append(text)
            meta = chunk.metadata
            blocks.append(fence_passage(i, text, fence, meta.get("source", ""), meta.get("title", "")))
        messages = self.prompt.format_messages(
            question=question, passages="\n\n".join(blocks), fence=fence, abstain_text=ABSTAIN_TEXT
        )
        system = "\n".join(str(m.content) for m in messages if m.type == "system")
        public = "\n".join(str(m.content) for m in messages if m.type != "system") + "\n" + ABSTAIN_TEXT
        sources = [str(c.metadata.get("source", "")) for c in chunks]
        return Prepared(messages, chunks, passages, sources, LeakDetector(system, public), hits)

    # --- answering --------------------------------------------------------------------------------
    def register_answer(self, info: QuestionInfo, chunk_at: ChunkAt | None = None) -> Answer | None:
        """A list of tasks from the register (the extractive fallback knows it), never written by the model."""
        ask = getattr(self.fallback, "register_answer", None)
        return ask(info, chunk_at) if ask is not None else None

    def answer(
        self,
        info: QuestionInfo,
        chunks: list[Document],
        facts: list[SentenceFact],
        docs: Any,
        chunk_at: ChunkAt | None = None,
    ) -> Answer:
        if (listed := self.register_answer(info, chunk_at)) is not None:
            return listed
        if not chunks:
            return self._fallback(info, chunks, facts, docs, chunk_at, "no passages retrieved", {})
        prep = self.prepare(info.text, chunks)
        try:
            reply = self.model.invoke(prep.messages)
        except Exception as exc:  # noqa: BLE001 - any model failure means the extractive answer
            log.warning("LLM answer failed (%s): %s", type(exc).__name__, exc)
            return self._fallback(info, chunks, facts, docs, chunk_at, f"model error: {type(exc).__name__}", {})
        return self.finish(_text(reply.content), prep, info, facts, docs, chunk_at)

    def stream(
        self,
        info: QuestionInfo,
        chunks: list[Document],
        facts: list[SentenceFact],
        docs: Any,
        chunk_at: ChunkAt | None = None,
        deadline: float | None = None,
    ) -> AnswerStream:
        """Tokens as the model writes them (filtered), then `.result`: the verified `Answer`."""
        return AnswerStream(self, info, chunks, facts, docs, chunk_at, deadline)

    def finish(
        self, raw: str, prep: Prepared, info: QuestionInfo, facts: list[SentenceFact], docs: Any,
        chunk_at: ChunkAt | None,
    ) -> Answer:
        """Filter and verify the model's text; renumber citations to the passages it cites."""
        try:
            return self._finish(raw, prep, info, facts, docs, chunk_at)
        except Exception:  # a bug in the checks must cost the model's answer, not the request
            log.exception("verifying the LLM answer failed")
            return self._fallback(info, prep.chunks, facts, docs, chunk_at, "verification error", {})

    def _finish(
        self, raw: str, prep: Prepared, info: QuestionInfo, facts: list[SentenceFact], docs: Any,
        chunk_at: ChunkAt | None,
    ) -> Answer:
        t0 = time.perf_counter()
        report: dict[str, Any] = {"policy": self.policy, "neutralized_passages": prep.neutralized}

        def took() -> dict[str, Any]:
            report["verify_ms"] = round((time.perf_counter() - t0) * 1000, 3)
            return report

        raw = strip_thinking(raw)
        if prep.leak.leaks(raw):
            return self._fallback(info, prep.chunks, facts, docs, chunk_at, "system prompt in output", took())
        text, removed_links = strip_links(raw, prep.sources)
        report["removed_links"] = removed_links
        checked = verify(text, prep.passages, ABSTAIN_TEXT, self.policy)
        report.update(checked.report())
        if checked.problem:
            return self._fallback(info, prep.chunks, facts, docs, chunk_at, checked.problem, took())
        cites = CitationBuilder(chunk_at)
        if checked.abstained:
            for chunk in prep.chunks[:3]:
                cites.cite(chunk)
            report["fallback"] = False
            return Answer(ABSTAIN_TEXT, True, cites, "model abstained", {"answerer": self.name, "verification": took()})
        mapping = {p: cites.cite(prep.chunks[p - 1]) for p in checked.cited}
        text = renumber(checked.text, mapping)
        report["fallback"] = False
        return Answer(text, False, cites, debug={"answerer": self.name, "verification": took()})

    def _fallback(
        self, info: QuestionInfo, chunks: list[Document], facts: list[SentenceFact], docs: Any,
        chunk_at: ChunkAt | None, reason: str, report: dict[str, Any],
    ) -> Answer:
        answer = self.fallback.answer(info, chunks, facts, docs, chunk_at=chunk_at)
        # Same output rule as for the model: no links but the documents' own sources.
        answer.text, _ = strip_links(answer.text, [str(c.metadata.get("source", "")) for c in chunks])
        answer.debug.update(answerer=FALLBACK, verification={**report, "fallback": True, "reason": reason})
        return answer


class AnswerStream:
    """Iterate for the filtered text pieces; `result` holds the verified answer afterwards."""

    def __init__(
        self, answerer: LLMAnswerer, info: QuestionInfo, chunks: list[Document], facts: list[SentenceFact],
        docs: Any, chunk_at: ChunkAt | None, deadline: float | None,
    ) -> None:
        self.answerer, self.info, self.chunks, self.facts, self.docs = answerer, info, chunks, facts, docs
        self.chunk_at, self.deadline = chunk_at, deadline
        self.result: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        a = self.answerer
        if not self.chunks:
            self.result = a._fallback(self.info, [], self.facts, self.docs, self.chunk_at, "no passages retrieved", {})
            return
        prep = a.prepare(self.info.text, self.chunks)
        emitter = SafeEmitter(prep.leak, prep.sources, len(self.chunks))
        raw: list[str] = []
        try:
            for chunk in a.model.stream(prep.messages):
                raw.append(_text(chunk.content))
                piece = emitter.feed(raw[-1])
                if piece:
                    yield piece
                if emitter.leaked:
                    break
                if self.deadline is not None and time.monotonic() > self.deadline:
                    raise TimeoutError("LLM stream exceeded its deadline")
            if not emitter.leaked and (tail := emitter.flush()):
                yield tail
        except Exception as exc:  # noqa: BLE001 - the extractive answer replaces any model failure
            log.warning("LLM stream failed (%s): %s", type(exc).__name__, exc)
            reason = f"model error: {type(exc).__name__}"
            self.result = a._fallback(self.info, self.chunks, self.facts, self.docs, self.chunk_at, reason, {})
            return
        self.result = a.finish("".join(raw), prep, self.info, self.facts, self.docs, self.chunk_at)


def _text(content: Any) -> str:
    """Message content as text (some providers send a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, str | dict))
    return str(content)
