"""qa_service/chain.py: the steps on a real index (Chroma in tmp_path, fake vectors, lexical
ranking so the order is deterministic): condense, retrieve, the answerer's context, the Runnable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.documents import Document

from ingestion.pipeline import ingest_paths
from qa_service.answering.answerer import ExtractiveAnswerer
from qa_service.answering.result import Answer
from qa_service.chain import ChainState, QAChain, make_extractive_chain
from qa_service.citations import CitationBuilder
from qa_service.schemas import ChatRequest, ChatResponse, HistoryMessage
from qa_service.service import build_store
from qa_service.settings import Settings
from qa_service.turn import AnswerContext, AnswerEvent, WholeAnswerer
from vectorstore.retriever import HybridRetriever
from vectorstore.store import IndexStore

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "tests" / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexStore]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("chain"), embeddings="fake", retrieval_mode="lexical")
    store = build_store(settings)
    ingest_paths(store, [ROOT / "data" / "sample", OFFICIAL])
    store.refresh()
    yield store
    store.close()


@pytest.fixture
def chain(store: IndexStore) -> QAChain:
    return make_extractive_chain(store, HybridRetriever(store=store, k=5, mode="lexical"), top_k=5)


class Recording:
    """An `Answerer` that answers with a fixed sentence citing the first chunk and keeps the contexts it got."""

    def __init__(self) -> None:
        self.contexts: list[AnswerContext] = []

    def answer(self, ctx: AnswerContext) -> Answer:
        self.contexts.append(ctx)
        cites = CitationBuilder(ctx.chunk_at)
        return Answer(f"Trả lời [{cites.cite(ctx.chunks[0])}].", False, cites, debug={"answerer": "recording"})

    def stream(self, ctx: AnswerContext) -> Iterator[AnswerEvent]:
        raise AssertionError("the Runnable answers whole")


def state(message: str, top_k: int | None = None, history: list[HistoryMessage] | None = None) -> ChainState:
    return ChainState(request=ChatRequest(message=message, top_k=top_k, conversation_id="c1"), history=history or [])


def test_condense_restores_marks_of_a_question_typed_without_them(chain: QAChain) -> None:
    s = chain.condense_step(state("chi thi 12 ban hanh ngay nao"))
    assert s.standalone.startswith("chỉ thị 12 ban hành") and s.info is not None and s.info.text == s.standalone


def test_condense_makes_follow_ups_standalone(chain: QAChain) -> None:
    history = [HistoryMessage(role="user", content="Kế hoạch số 108-KH/TU là văn bản của cơ quan nào?"),
               HistoryMessage(role="assistant", content="Ban Thường vụ Thành ủy [1].")]
    s = chain.condense_step(state("Văn bản đó ban hành ngày nào?", history=history))
    assert "108-KH/TU" in s.standalone


def test_retrieve_honours_the_requests_top_k_and_favours_a_named_document(chain: QAChain, store: IndexStore) -> None:
    few = chain.retrieve_step(chain.condense_step(state("Chỉ thị 12-CT/TW ban hành ngày nào?", top_k=2)))
    assert len(few.chunks) == 2 and few.named == []
    plan = next(d for d, rec in store.documents().items() if rec.metadata.get("number") == "624/KH-UBND")
    named = chain.retrieve_step(chain.condense_step(state("Kế hoạch 624/KH-UBND giao Sở Tài chính việc gì?")))
    assert named.named == [plan] and named.chunks[0].metadata["doc_id"] == plan


def test_context_holds_the_chunks_facts_and_documents_the_answerer_reads(chain: QAChain, store: IndexStore) -> None:
    s = chain.retrieve_step(chain.condense_step(state("Kế hoạch 624/KH-UBND giao Sở Tài chính việc gì?")))
    ctx = chain.context(s, deadline=42.0)
    ids = {c.metadata["chunk_id"] for c in s.chunks}
    assert ctx.info is s.info and ctx.chunks == s.chunks and ctx.deadline == 42.0
    assert ctx.facts and all(f.chunk_id in ids for f in ctx.facts)
    assert ctx.tasks and all(t.chunk_id in ids for t in ctx.tasks)
    assert any(a.key == "so tai chinh" for t in ctx.tasks for a in t.actors)
    assert set(ctx.docs) == {c.metadata["doc_id"] for c in s.chunks} | set(s.named)
    assert ctx.chunk_at is not None
    first = s.chunks[0].metadata
    covering = ctx.chunk_at(first["doc_id"], first["start"])
    assert covering is not None and covering.metadata["chunk_id"] == first["chunk_id"]
    assert ctx.chunk_at(first["doc_id"], 10**9) is None


def test_the_runnable_answers_through_the_one_answerer_interface(chain: QAChain) -> None:
    recording = Recording()
    chain.answering = recording
    s = state("Ai có trách nhiệm xây dựng Chương trình hành động?")
    response = chain.as_runnable().invoke(s)
    assert isinstance(response, ChatResponse)
    [ctx] = recording.contexts
    assert ctx.chunks and response.answer == "Trả lời [1]." and response.answerer == "recording"
    assert response.citations[0].chunk_id == ctx.chunks[0].metadata["chunk_id"]
    assert (response.conversation_id, response.message_id) == ("c1", s.message_id)  # ids known before answering
    assert response.standalone_question == s.standalone
    assert chain.answerer is recording  # no engine inside: the answerer itself


def test_the_extractive_chain_reads_named_documents_whole_through_its_engine(chain: QAChain) -> None:
    assert isinstance(chain.answering, WholeAnswerer) and isinstance(chain.answerer, ExtractiveAnswerer)
    assert chain.answerer.official.library is chain  # doc_chunks / doc_tasks come from this chain
    doc_id = next(iter(chain.store.documents()))
    chunks = chain.doc_chunks(doc_id)
    assert chunks and all(isinstance(c, Document) and c.metadata["doc_id"] == doc_id for c in chunks)
    assert [c.metadata["start"] for c in chunks] == sorted(c.metadata["start"] for c in chunks)
