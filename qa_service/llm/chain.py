"""Build the LLM flavour of `QAChain`: the LLM answerer behind the one `Answerer` interface.

Streaming a turn is `QAService.stream`, the same for every answerer; what is LLM-specific is here:
`StreamingLLMAnswerer.stream` sends the passages the model reads, the model's filtered tokens, then
the verified answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel

from qa_service.answering.answerer import ExtractiveAnswerer
from qa_service.answering.result import Answer
from qa_service.chain import QAChain
from qa_service.llm.answerer import LLMAnswerer
from qa_service.llm.condense import LLMCondenser
from qa_service.llm.verify import DEFAULT_POLICY, Policy
from qa_service.schemas import Citation
from qa_service.turn import AnswerContext, Answered, AnswerEvent, Delta, Sources
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
