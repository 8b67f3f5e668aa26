"""What the index's writer and reader share: the registry, the Chroma collection, the embedding model
and the writer lock, opened once (`vectorstore.store.IndexStore` is both)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chromadb
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from vectorstore.backend import IndexLock, make_chroma_client, make_writer_lock
from vectorstore.embeddings import embeddings_id
from vectorstore.errors import IndexConfigError
from vectorstore.registry import ChunkRecord, DocumentRecord, Registry
from vectorstore.sentence_facts import SentenceFact
from vectorstore.task_rows import TaskFact

COLLECTION = "qa_chunks"


@dataclass
class PreparedDocument:
    """A cleaned, split document ready to be written: what ingestion hands to the store."""

    record: DocumentRecord
    chunks: list[ChunkRecord]
    facts: list[SentenceFact] = field(default_factory=list)  # the first build's sentence facts
    tasks: list[TaskFact] = field(default_factory=list)


@dataclass
class WriteResult:
    doc_id: str
    status: str  # "added" | "updated" | "unchanged"
    chunks: int
    embedded: int


class IndexParts:
    def __init__(self, data_dir: Path, embeddings: Embeddings, *, chroma_url: str | None = None,
                 lock_timeout: float = 5.0, allow_model_change: bool = False,
                 writer_lock: IndexLock | None = None, database_url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.embeddings = embeddings
        self.embeddings_id = embeddings_id(embeddings)
        self.registry = Registry(database_url or self.data_dir / "registry.sqlite3")
        if not allow_model_change:
            self._check_embeddings()
        self.client = make_chroma_client(self.data_dir, chroma_url)
        self.vectorstore = self._chroma()
        # A lock the caller already holds (the CLI takes it before loading the model and Chroma).
        self.writer_lock = writer_lock or make_writer_lock(self.data_dir, database_url, timeout=lock_timeout)

    def _chroma(self) -> Chroma:
        return Chroma(collection_name=COLLECTION, embedding_function=self.embeddings, client=self.client,
                      collection_metadata={"hnsw:space": "cosine"})

    @property
    def collection(self) -> chromadb.Collection:
        return self.vectorstore._collection

    def _check_embeddings(self) -> None:
        stored = self.registry.get_meta("embeddings_id")
        if stored is None:
            self.registry.set_meta("embeddings_id", self.embeddings_id)
        elif stored != self.embeddings_id and self.registry.chunk_ids():
            raise IndexConfigError(
                f"The index at {self.data_dir} was built with embeddings '{stored}', but the current "
                f"setting gives '{self.embeddings_id}'. Mixing vector spaces is refused: set QA_EMBEDDINGS "
                "back, or run `qa reindex` to re-embed every chunk with the new model."
            )
        elif stored != self.embeddings_id:
            self.registry.set_meta("embeddings_id", self.embeddings_id)

    def _embed_key(self, text: str) -> str:
        """The embedding cache's key: the model and the exact text embedded."""
        return hashlib.sha1(f"{self.embeddings_id}\x00{text}".encode()).hexdigest()

    def close(self) -> None:
        self.registry.close()


def embedding_text(chunk: ChunkRecord) -> str:
    """What the dense model sees: the contextual header (title, date) and the chunk."""
    return f"{chunk.header}\n{chunk.text}" if chunk.header else chunk.text


def chunk_metadata(rec: DocumentRecord, chunk: ChunkRecord) -> dict[str, Any]:
    return {
        "doc_id": rec.doc_id, "chunk_id": chunk.chunk_id, "title": rec.title, "source": rec.source,
        "published": rec.published or "", "start": chunk.start, "end": chunk.end, "ord": chunk.ord,
    }
