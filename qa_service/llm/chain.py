"""Build the LLM flavour of `QAChain`: the LLM answerer behind the one `Answerer` interface.

Streaming a turn is `QAService.stream`, the same for every answerer; what is LLM-specific is here:
`StreamingLLMAnswerer.stream` sends the passages the model reads, the model's filtered tokens, then
the verified answer. `stream_chat` remains as the old `(kind, data)` view of `QAService.stream`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from langchain_core.language_models import BaseChatModel

from qa_service.answering.answerer import ExtractiveAnswerer
from qa_service.answering.result import Answer
from qa_service.chain import QAChain
from qa_service.llm.answerer import LLMAnswerer
from qa_service.llm.condense import LLMCondenser
from qa_service.llm.verify import DEFAULT_POLICY, Policy
from qa_service.schemas import ChatRequest, Citation
from qa_service.turn import AnswerContext, Answered, AnswerEvent, Delta, Done, Sources, StreamEvent
from vectorstore.retriever import HybridRetriever
from vectorstore.store import IndexStore


class StreamingLLMAnswerer:
    """`LLMAnswerer` behind `Answerer`: `answer` asks the model once, `stream` streams its tokens."""

    def __init__(self, engine: LLMAnswerer) -> None:
        self.engine = engine  # kept reachable: tests and tools tune it (policy, prompt, defusing)

    def answer(self, ctx: AnswerContext) -> Answer:
        return self.engine.answer(ctx.info, ctx.chunks, ctx.facts, ctx.docs, chunk_at=ctx.chunk_at)

    def stream(self, ctx: AnswerContext) -> Iterator[AnswerEvent]:
        listed = self.engine.register_answer(ctx.info, ctx.chunk_at)
        if listed is not None:  # a list from the task register: nothing for the model to write
            yield Sources(listed.citations.citations, listed.abstained)
            yield Delta(listed.text)
            yield Answered(listed)
            return
        yield Sources([Citation.from_chunk(i, c) for i, c in enumerate(ctx.chunks, 1)])
        run = self.engine.stream(ctx.info, ctx.chunks, ctx.facts, ctx.docs, ctx.chunk_at, deadline=ctx.deadline)
        for piece in run:
            yield Delta(piece)
        assert run.result is not None  # the run always ends in an answer (the fallback's, on failure)
        yield Answered(run.result)


def make_llm_chain(
    store: IndexStore, retriever: HybridRetriever, model: BaseChatModel, name: str, top_k: int = 5,
    policy: Policy = DEFAULT_POLICY,
) -> QAChain:
    chain = QAChain(store, retriever, StreamingLLMAnswerer(LLMAnswerer(model, name=name, policy=policy)), top_k=top_k)
    fallback = ExtractiveAnswerer(library=chain, register=chain.tasks)
    chain.answering = StreamingLLMAnswerer(LLMAnswerer(model, name=name, policy=policy, fallback=fallback))
    chain.condenser = LLMCondenser(model)
    return chain


# --- the pre-`QAService.stream` interface --------------------------------------------------------
@dataclass
class ChatEvent:
    kind: Literal["citations", "delta", "done"]
    data: Any  # list[Citation] | str | ChatResponse


class _Streams(Protocol):
    def stream(self, request: ChatRequest, timeout: float | None = None) -> Iterator[StreamEvent]: ...


def stream_chat(service: _Streams, request: ChatRequest, timeout: float | None = None) -> Iterator[ChatEvent]:
    """`QAService.stream` as `citations`, `delta`s and `done` (kept for callers written against it)."""
    for event in service.stream(request, timeout):
        match event:
            case Sources():
                yield ChatEvent("citations", event.citations)
            case Delta():
                yield ChatEvent("delta", event.text)
            case Done():
                yield ChatEvent("done", event.response)
