"""Build the LLM flavour of `QAChain` and stream a whole chat turn through it.

`stream_chat` is the streaming twin of `QAService.chat`: the same steps, but the answer step
yields the model's (filtered) text as it arrives. Any route can drive it: the SSE route does, and
an OpenAI-compatible route can map its events to `chat.completion.chunk`s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.language_models import BaseChatModel

from qa_service.answering.answerer import ExtractiveAnswerer
from qa_service.chain import ChainState, QAChain, to_response
from qa_service.llm.answerer import LLMAnswerer
from qa_service.llm.condense import LLMCondenser
from qa_service.llm.verify import DEFAULT_POLICY, Policy
from qa_service.schemas import ChatRequest, Citation
from vectorstore.retriever import HybridRetriever
from vectorstore.store import IndexStore

if TYPE_CHECKING:
    from qa_service.service import QAService


def make_llm_chain(
    store: IndexStore, retriever: HybridRetriever, model: BaseChatModel, name: str, top_k: int = 5,
    policy: Policy = DEFAULT_POLICY,
) -> QAChain:
    chain = QAChain(store, retriever, LLMAnswerer(model, name=name, policy=policy), top_k=top_k)
    fallback = ExtractiveAnswerer(library=chain, register=chain.tasks)
    chain.answerer = LLMAnswerer(model, name=name, policy=policy, fallback=fallback)
    chain.condenser = LLMCondenser(model)
    return chain


@dataclass
class StreamEvent:
    kind: Literal["citations", "delta", "done"]
    data: Any  # list[Citation] | str | ChatResponse


def can_stream(service: QAService) -> bool:
    return isinstance(service.chain.answerer, LLMAnswerer)


def stream_chat(service: QAService, request: ChatRequest, timeout: float | None = None) -> Iterator[StreamEvent]:
    """`citations` (the retrieved passages, numbered as the model sees them), `delta`s, `done`."""
    chain = service.chain
    answerer = chain.answerer
    assert isinstance(answerer, LLMAnswerer)
    deadline = time.monotonic() + timeout if timeout else None
    state: ChainState = chain.retrieve_step(chain.condense_step(service.prepare(request)))
    assert state.info is not None
    listed = answerer.register_answer(state.info, chain.chunk_at)
    if listed is not None:  # a list from the task register: nothing for the model to write
        state.answer = listed
        yield StreamEvent("citations", listed.citations.citations)
        yield StreamEvent("delta", listed.text)
        response = to_response(state)
        service.remember(request, response)
        yield StreamEvent("done", response)
        return
    yield StreamEvent("citations", [Citation.from_chunk(i, c) for i, c in enumerate(state.chunks, 1)])
    ids = [c.metadata["chunk_id"] for c in state.chunks]
    facts = chain.store.registry.facts(chunk_ids=ids)
    docs = {d: rec for d in {c.metadata["doc_id"] for c in state.chunks}
            if (rec := chain.store.registry.get_document(d)) is not None}
    run = answerer.stream(state.info, state.chunks, facts, docs, chain.chunk_at, deadline=deadline)
    for piece in run:
        yield StreamEvent("delta", piece)
    state.answer = run.result
    response = to_response(state)
    service.remember(request, response)
    yield StreamEvent("done", response)
