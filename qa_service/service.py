"""The service object the API, the CLI and evaluation share: one store, one chain, one history.

It is the one orchestrator of a chat turn: `answer` (the whole response) and `stream` (the turn as
typed events, `qa_service.turn`), both over the chain's steps and its one `Answerer`, whichever
answerer `QA_ANSWERER` names. Routes only map the events to their wire formats.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator

from qa_service.chain import ChainState, QAChain, make_extractive_chain, to_response
from qa_service.conversations import ConversationStore
from qa_service.schemas import ChatRequest, ChatResponse
from qa_service.settings import Settings
from qa_service.turn import Answered, Done, Started, StreamEvent
from vectorstore.backend import IndexLock
from vectorstore.embeddings import make_embeddings
from vectorstore.retriever import HybridRetriever
from vectorstore.store import IndexStore

log = logging.getLogger(__name__)


class QAService:
    def __init__(self, settings: Settings, store: IndexStore, chain: QAChain, conversations: ConversationStore) -> None:
        self.settings = settings
        self.store = store
        self.chain = chain
        self.retriever = chain.retriever
        self.conversations = conversations
        self.tasks = chain.tasks
        self.runnable = chain.as_runnable()
        self.ready = threading.Event()

    def prepare(self, request: ChatRequest) -> ChainState:
        """Fill in server-side history when the client sent a conversation id and no history."""
        conversation_id = request.conversation_id or uuid.uuid4().hex
        request = request.model_copy(update={"conversation_id": conversation_id})
        history = request.history or self.conversations.history(conversation_id)
        return ChainState(request=request, history=history[-self.settings.conversation_max_turns * 2 :])

    def answer(self, request: ChatRequest) -> ChatResponse:
        """One turn, whole: condense → retrieve → answer, through the chain's Runnable."""
        state = self.prepare(request)
        response: ChatResponse = self.runnable.invoke(state)
        self.remember(request, response)
        return response

    def chat(self, request: ChatRequest) -> ChatResponse:
        """`answer` under its first name, for callers written before it (tests, benchmarks)."""
        return self.answer(request)

    def stream(self, request: ChatRequest, timeout: float | None = None) -> Iterator[StreamEvent]:
        """One turn as events: `Started`, `Sources`, `Delta`s, `Done`. Errors propagate, as from `answer`
        (the API turns them into its wire's error event). `timeout` bounds a model's writing; past it
        the answerer ends in its fallback answer rather than an error."""
        deadline = time.monotonic() + timeout if timeout else None
        state = self.prepare(request)
        yield Started(state.request.conversation_id or "", state.message_id)
        state = self.chain.retrieve_step(self.chain.condense_step(state))
        for event in self.chain.answering.stream(self.chain.context(state, deadline)):
            if not isinstance(event, Answered):
                yield event
                continue
            state.answer = event.answer
            response = to_response(state)
            self.remember(request, response)
            yield Done(response)

    def remember(self, request: ChatRequest, response: ChatResponse) -> None:
        self.conversations.append(response.conversation_id, request.message, response.message_id, response.answer)

    def close(self) -> None:
        self.store.close()
        self.conversations.close()


def build_store(
    settings: Settings, allow_model_change: bool = False, writer_lock: IndexLock | None = None
) -> IndexStore:
    embeddings = make_embeddings(settings.embeddings, settings.embeddings_model)
    if settings.database_url and not settings.chroma_url:
        log.warning("QA_DATABASE_URL without QA_CHROMA_URL: vectors stay in the embedded Chroma under %s, which "
                    "workers on other hosts do not see; set QA_CHROMA_URL to share them", settings.data_dir)
    return IndexStore(
        settings.data_dir, embeddings, chroma_url=settings.chroma_url, allow_model_change=allow_model_change,
        writer_lock=writer_lock, database_url=settings.database_url,
    )


def make_chain(settings: Settings, store: IndexStore, retriever: HybridRetriever) -> QAChain:
    """The answerer `QA_ANSWERER` names; chat models are built here (in the lifespan), never at import."""
    from qa_service.llm.models import make_chat_model

    model = make_chat_model(settings)
    if model is None:
        return make_extractive_chain(store, retriever, top_k=settings.top_k)
    from qa_service.llm.chain import make_llm_chain  # only with a model: keeps the LLM stack unloaded otherwise

    return make_llm_chain(
        store, retriever, model, name=settings.answerer, top_k=settings.top_k, policy=settings.llm_verify_policy
    )


def build_service(settings: Settings, store: IndexStore | None = None) -> QAService:
    store = store or build_store(settings)
    retriever = HybridRetriever(
        store=store, k=settings.top_k, lexical_weight=settings.lexical_weight, mode=settings.retrieval_mode
    )
    chain = make_chain(settings, store, retriever)
    conversations = ConversationStore(
        settings.database_url or settings.data_dir / "conversations.sqlite3", settings.conversation_max_turns
    )
    store.refresh()
    chain.restorer()  # built now rather than on the first question typed without marks
    service = QAService(settings, store, chain, conversations)
    service.ready.set()
    return service
