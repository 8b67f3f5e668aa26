"""The question-answering chain as a LangChain `Runnable`: condense → retrieve → answer.

Being a Runnable gives callers LangChain's callbacks, tracing, batching and `astream` for free.
The steps are also used one by one: `QAService.stream` runs condense and retrieve, then streams the
answer from `context(state)` through the same `Answerer` (`qa_service.turn`) the answer step calls.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from qa_service.answering.answerer import ExtractiveAnswerer
from qa_service.answering.result import Answer
from qa_service.condense import condense
from qa_service.question import QuestionInfo, analyze_question
from qa_service.schemas import ChatRequest, ChatResponse, HistoryMessage
from qa_service.tasks.register import TaskRegister
from qa_service.turn import AnswerContext, Answerer, WholeAnswerer
from vectorstore.analyzer import fold, has_diacritics
from vectorstore.diacritics import DiacriticRestorer
from vectorstore.registry import DocumentRecord
from vectorstore.retriever import HybridRetriever
from vectorstore.sentence_facts import SentenceFact
from vectorstore.store import IndexStore
from vectorstore.task_rows import TaskFact


@dataclass
class ChainState:
    """What flows between the steps; kept so streaming and the LLM answerer can reuse parts."""

    request: ChatRequest
    history: list[HistoryMessage]
    message_id: str = field(default_factory=lambda: uuid.uuid4().hex)  # known before the answer: streams show it
    standalone: str = ""
    info: QuestionInfo | None = None
    chunks: list[Document] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # documents the question names by their own number
    answer: Answer | None = None


TASKS_CACHED_DOCS = 256  # documents whose tasks a process keeps between questions (per index version)


@dataclass(frozen=True)
class Evidence:
    facts: list[SentenceFact]  # the first build's sentence facts of the retrieved chunks
    tasks: list[TaskFact]  # the task records of the retrieved chunks
    docs: dict[str, DocumentRecord]  # the retrieved and the named documents

class QAChain:
    def __init__(self, store: IndexStore, retriever: HybridRetriever, answering: Answerer, top_k: int = 5) -> None:
        self.store = store
        self.retriever = retriever
        self.answering = answering
        self.top_k = top_k
        self.tasks = TaskRegister(store.registry)  # the register API and register questions share one cache
        # Follow-ups → standalone question; the LLM chain swaps in a model-backed condenser.
        self.condenser: Callable[[str, list[HistoryMessage]], str] = condense
        self._numbers: tuple[int, dict[str, list[str]]] = (-1, {})
        self._tasks: tuple[int, dict[str, list[TaskFact]]] = (-1, {})
        self._restorer: tuple[int, DiacriticRestorer] = (-1, DiacriticRestorer())
        self._restorer_lock = threading.Lock()

    @property
    def answerer(self) -> Any:
        """The engine behind `answering` (ExtractiveAnswerer, LLMAnswerer): tools and tests tune it."""
        return getattr(self.answering, "engine", self.answering)

    # --- steps ------------------------------------------------------------------------------------
    def condense_step(self, state: ChainState) -> ChainState:
        state.standalone = self.condenser(state.request.message, state.history)
        if not has_diacritics(state.standalone):  # "co quan nao chu tri" → "cơ quan nào chủ trì"
            state.standalone = self.restorer().restore(state.standalone)
        state.info = analyze_question(state.standalone)
        return state

    def restorer(self) -> DiacriticRestorer:
        """Built from the index's tokens on first use after each write (about a second per 3,000 chunks)."""
        version = self.store.registry.version()
        with self._restorer_lock:
            if self._restorer[0] != version:
                tokens = (t for _, t in self.store.registry.iter_tokens())
                self._restorer = (version, DiacriticRestorer.from_tokens(tokens))
            return self._restorer[1]

    def retrieve_step(self, state: ChainState, config: RunnableConfig | None = None) -> ChainState:
        k = state.request.top_k or self.top_k
        query = state.info.search_text if state.info and state.info.search_text else state.standalone
        state.named = self.named_documents(state.info) if state.info else []
        state.chunks = self.retriever.invoke(query, config=config, k=k, boost_doc_ids=state.named)
        return state

    def evidence(self, state: ChainState) -> Evidence:
        """The facts and tasks of the retrieved chunks and the records of their documents (and of the
        documents the question names): what the answerer reads, in serving and in fitting alike."""
        ids = [c.metadata["chunk_id"] for c in state.chunks]
        docs = {d: rec for d in [c.metadata["doc_id"] for c in state.chunks] + state.named
                if (rec := self.store.registry.get_document(d)) is not None}
        return Evidence(self.store.registry.facts(chunk_ids=ids), self.store.registry.tasks(chunk_ids=ids), docs)

    def context(self, state: ChainState, deadline: float | None = None) -> AnswerContext:
        """What the answerer reads for a condensed and retrieved `state`."""
        assert state.info is not None
        ev = self.evidence(state)
        return AnswerContext(state.info, state.chunks, ev.facts, ev.docs, chunk_at=self.chunk_at, deadline=deadline,
                             tasks=ev.tasks)

    def answer_step(self, state: ChainState) -> ChainState:
        state.answer = self.answering.answer(self.context(state))
        return state

    def named_documents(self, info: QuestionInfo) -> list[str]:
        """Documents whose own number the question writes ("Kế hoạch 1026/KH-UBND"): retrieval
        favours them and the answerer reads them whole, whatever else the question matches."""
        wanted = {fold(n).replace(" ", "") for n in info.doc_numbers}
        if not wanted:
            return []
        version = self.store.registry.version()
        if self._numbers[0] != version:
            index: dict[str, list[str]] = {}
            for doc_id, rec in self.store.documents().items():
                if rec.metadata.get("number"):
                    index.setdefault(fold(str(rec.metadata["number"])).replace(" ", ""), []).append(doc_id)
            self._numbers = (version, index)
        return [d for n in sorted(wanted) for d in self._numbers[1].get(n, [])]

    def doc_chunks(self, doc_id: str) -> list[Document]:
        """Every chunk of a document, as retrieval returns them (a named document is read whole)."""
        ids = [(c.chunk_id, 0.0, 0.0, 0.0) for c in self.store.registry.doc_chunks(doc_id)]
        return self.retriever.to_documents(ids)

    def doc_tasks(self, doc_id: str) -> list[TaskFact]:
        """A document's task records (read-only), kept per index version: one question reads the same
        documents' tasks for its candidates and again for a named body's own tasks."""
        version = self.store.registry.version()
        if self._tasks[0] != version or len(self._tasks[1]) >= TASKS_CACHED_DOCS:
            self._tasks = (version, {})
        cached = self._tasks[1]
        if doc_id not in cached:
            cached[doc_id] = self.store.registry.tasks(doc_id=doc_id)
        return cached[doc_id]

    def chunk_at(self, doc_id: str, offset: int) -> Document | None:
        """The stored chunk of `doc_id` covering `offset` (for spans outside the retrieved chunks)."""
        for c in self.store.registry.doc_chunks(doc_id):
            if c.start <= offset < c.end:
                return self.retriever.to_documents([(c.chunk_id, 0.0, 0.0, 0.0)])[0]
        return None

    def as_runnable(self) -> Runnable[ChainState, ChatResponse]:
        return (
            RunnableLambda(self.condense_step, name="condense")
            | RunnableLambda(self.retrieve_step, name="retrieve")
            | RunnableLambda(self.answer_step, name="answer")
            | RunnableLambda(to_response, name="respond")
        )


def to_response(state: ChainState) -> ChatResponse:
    assert state.answer is not None
    return ChatResponse(
        conversation_id=state.request.conversation_id or uuid.uuid4().hex,
        message_id=state.message_id,
        answer=state.answer.text,
        abstained=state.answer.abstained,
        citations=state.answer.citations.citations,
        standalone_question=state.standalone,
        answerer=state.answer.debug.get("answerer", "extractive"),
        verification=state.answer.debug.get("verification"),
    )


def make_extractive_chain(store: IndexStore, retriever: HybridRetriever, top_k: int = 5) -> QAChain:
    chain = QAChain(store, retriever, WholeAnswerer(ExtractiveAnswerer()), top_k=top_k)
    chain.answering = WholeAnswerer(ExtractiveAnswerer(library=chain, register=chain.tasks))  # reads named documents whole
    return chain
