"""qa_service/service.py: the one orchestrator. `answer` and `stream` on a real index (Chroma in
tmp_path, fake vectors, lexical ranking), with the extractive answerer and with an LLM answerer whose
chat model is a LangChain fake that quotes the passage holding the asked date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.retrievers import BaseRetriever

from ingestion.pipeline import ingest_paths
from qa_service.chain import QAChain
from qa_service.conversations import ConversationStore
from qa_service.llm.chain import make_llm_chain
from qa_service.schemas import ChatRequest
from qa_service.service import QAService, build_service, build_store
from qa_service.settings import Settings
from qa_service.turn import Delta, Done, Sources, Started, WholeAnswerer
from vectorstore.retriever import HybridRetriever

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
QUESTION = "Chỉ thị 12-CT/TW ban hành ngày nào?"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("service"), embeddings="fake", retrieval_mode="lexical")
    store = build_store(settings)
    ingest_paths(store, [SAMPLE])
    store.close()
    return settings


@pytest.fixture(scope="module")
def service(settings: Settings) -> Iterator[QAService]:
    service = build_service(settings)
    yield service
    service.close()


class DateQuoter(BaseChatModel):
    """Answers "ngày …" from the first fenced passage holding `wanted`, cited by the number the prompt
    gives it; streams word by word. Records how it was called."""

    wanted: str = "05/01/2022"
    calls: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "date-quoter"

    def _reply(self, messages: list[BaseMessage]) -> str:
        human = str(messages[-1].content)
        for block in re.split(r"(?m)^(?=\[\d+\] Nguồn: )", human):
            if (m := re.match(r"\[(\d+)\]", block)) and self.wanted in block:
                return f"Chỉ thị được ban hành ngày {self.wanted} [{m.group(1)}]."
        return "Không tìm thấy."

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        self.calls.append("invoke")
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        self.calls.append("stream")
        for word in self._reply(messages).split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))


class Unreachable(BaseRetriever):
    """An index that went away: every search fails."""

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        raise RuntimeError("index went away")


def llm_service(base: QAService, model: BaseChatModel, tmp_path: Path) -> QAService:
    chain = make_llm_chain(base.store, base.retriever, model, name="openai", top_k=5)
    return QAService(base.settings, base.store, chain, ConversationStore(tmp_path / "conversations.sqlite3", 10))


def test_stream_ends_in_the_same_response_answer_gives(service: QAService) -> None:
    whole = service.answer(ChatRequest(message=QUESTION))
    events = list(service.stream(ChatRequest(message=QUESTION)))
    started, sources, *deltas, done = events
    assert isinstance(started, Started) and isinstance(sources, Sources) and isinstance(done, Done)
    assert all(isinstance(d, Delta) for d in deltas) and len(deltas) > 3
    response = done.response
    assert "05/01/2022" in response.answer and response.answer == whole.answer
    assert response.citations == whole.citations == sources.citations and sources.settled
    assert "".join(d.text for d in deltas) == response.answer  # type: ignore[union-attr]
    assert (response.conversation_id, response.message_id) == (started.conversation_id, started.message_id)


def test_a_streamed_turn_is_remembered_for_the_follow_up(service: QAService) -> None:
    first = [e for e in service.stream(ChatRequest(message="Kế hoạch số 108-KH/TU là văn bản của cơ quan nào?"))]
    done = first[-1]
    assert isinstance(done, Done)
    cid = done.response.conversation_id
    assert [m.role for m in service.conversations.history(cid)] == ["user", "assistant"]
    follow = service.answer(ChatRequest(message="Văn bản đó ban hành ngày nào?", conversation_id=cid))
    assert "108-KH/TU" in (follow.standalone_question or "") and "20/5/2022" in follow.answer


def test_chat_is_answer_under_its_first_name(service: QAService) -> None:
    assert service.chat(ChatRequest(message=QUESTION)).answer == service.answer(ChatRequest(message=QUESTION)).answer


def test_failures_reach_the_caller_and_nothing_is_remembered(service: QAService, tmp_path: Path) -> None:
    chain = QAChain(service.store, Unreachable(), WholeAnswerer(service.chain.answerer))
    broken = QAService(service.settings, service.store, chain, ConversationStore(tmp_path / "c.sqlite3", 10))
    request = ChatRequest(message=QUESTION, conversation_id="broken")
    with pytest.raises(RuntimeError, match="index went away"):
        broken.answer(request)
    events = broken.stream(request)
    assert isinstance(next(events), Started)  # ids come first, before any work can fail
    with pytest.raises(RuntimeError, match="index went away"):
        next(events)
    assert broken.conversations.history("broken") == []
    broken.conversations.close()


def test_an_llm_answerer_streams_its_passages_tokens_then_the_verified_answer(
    service: QAService, tmp_path: Path
) -> None:
    model = DateQuoter(calls=[])
    llm = llm_service(service, model, tmp_path)
    events = list(llm.stream(ChatRequest(message=QUESTION)))
    sources, done = events[1], events[-1]
    assert isinstance(sources, Sources) and not sources.settled  # the passages the model reads
    assert [c.index for c in sources.citations] == list(range(1, len(sources.citations) + 1))
    assert isinstance(done, Done) and done.response.answerer == "openai"
    assert done.response.answer == "Chỉ thị được ban hành ngày 05/01/2022 [1]."  # renumbered to its one citation
    streamed = "".join(e.text for e in events if isinstance(e, Delta))
    assert "05/01/2022" in streamed and model.calls == ["stream"]
    whole = llm.answer(ChatRequest(message=QUESTION))
    assert whole.answer == done.response.answer and model.calls == ["stream", "invoke"]
    llm.conversations.close()


def test_the_stream_timeout_reaches_the_model_and_ends_in_the_fallback(service: QAService, tmp_path: Path) -> None:
    llm = llm_service(service, DateQuoter(calls=[]), tmp_path)
    done = list(llm.stream(ChatRequest(message=QUESTION), timeout=1e-9))[-1]
    assert isinstance(done, Done) and done.response.answerer == "extractive-fallback"
    assert "TimeoutError" in (done.response.verification or {}).get("reason", "")
    assert "05/01/2022" in done.response.answer  # the extractive answer, not an error
    llm.conversations.close()


def test_the_service_retriever_is_the_chains(service: QAService) -> None:
    assert isinstance(service.retriever, HybridRetriever) and service.retriever is service.chain.retriever
