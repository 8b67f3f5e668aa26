"""The service object the API, the CLI and evaluation share: one store, one chain, one history."""

from __future__ import annotations

import logging
import threading
import uuid

from qa_service.chain import ChainState, QAChain, make_extractive_chain
from qa_service.conversations import ConversationStore
from qa_service.schemas import ChatRequest, ChatResponse
from qa_service.settings import Settings
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

    def chat(self, request: ChatRequest) -> ChatResponse:
        state = self.prepare(request)
        response: ChatResponse = self.runnable.invoke(state)
        self.remember(request, response)
        return response

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
    from qa_service.llm.chain import make_llm_chain

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
