"""One index, three parts sharing one chunk-id space: Chroma (dense), BM25 (lexical), registry.

Order of operations when a document is written (why it is crash-safe):
1. mark the index dirty (registry meta), 2. upsert the new chunks' vectors into Chroma,
3. commit the document, chunks and facts to the registry in one SQLite transaction (the moment
the document counts as ingested), 4. delete the old chunk ids that the new version no longer has
from Chroma, 5. clear the dirty mark. A crash before 3 leaves only extra vectors; after 3, only
stale ones: `reconcile()` (run when a writer opens a dirty index) deletes every Chroma id the
registry does not list. The lexical index is derived from the registry, stamped with its version.
With `database_url` (registry and writer lock in PostgreSQL) each worker builds BM25 from the database
when the version moves, and nothing shared is written under `data_dir`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chromadb
import chromadb.errors
import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from vectorstore.backend import IndexLock, WriterLock, make_chroma_client, make_writer_lock
from vectorstore.embeddings import embeddings_id
from vectorstore.errors import IndexConfigError
from vectorstore.lexical import LexicalIndex
from vectorstore.registry import ChunkRecord, DocumentRecord, Registry

__all__ = ["IndexStore", "PreparedDocument", "WriteResult", "WriterLock", "embedding_text", "make_chroma_client"]

log = logging.getLogger(__name__)
COLLECTION = "qa_chunks"
EMBED_BATCH = 16
UPSERT_BATCH = 2000  # Chroma's per-call overhead dominates small upserts; its max batch is larger


@dataclass
class PreparedDocument:
    """A cleaned, split document ready to be written: what ingestion hands to the store."""

    record: DocumentRecord
    chunks: list[ChunkRecord]
    facts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class WriteResult:
    doc_id: str
    status: str  # "added" | "updated" | "unchanged"
    chunks: int
    embedded: int


class IndexStore:
    def __init__(self, data_dir: Path, embeddings: Embeddings, *, chroma_url: str | None = None,
                 lock_timeout: float = 5.0, allow_model_change: bool = False,
                 writer_lock: IndexLock | None = None, database_url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.embeddings = embeddings
        self.embeddings_id = embeddings_id(embeddings)
        self.registry = Registry(database_url or self.data_dir / "registry.sqlite3")
        if not allow_model_change:
            self._check_embeddings()
        self.client = make_chroma_client(self.data_dir, chroma_url)
        self.vectorstore = self._chroma()
        # A lock the caller already holds (the CLI takes it before loading the model and Chroma).
        self.writer_lock = writer_lock or make_writer_lock(self.data_dir, database_url, timeout=lock_timeout)
        self._lexical_dir = None if database_url else self.data_dir / "lexical"
        self._set_lexical((LexicalIndex.load(self._lexical_dir) if self._lexical_dir else None) or LexicalIndex())
        self._docs_cache: tuple[int, dict[str, DocumentRecord]] = (-1, {})
        self._count_cache: tuple[int, int] = (-1, 0)
        self._refresh_lock = threading.Lock()

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

    # --- writing ---------------------------------------------------------------------------------
    def upsert_document(self, doc: PreparedDocument) -> WriteResult:
        """Write one document (caller holds the writer lock). Unchanged content does no work."""
        return self.upsert_documents([doc])[0]

    def upsert_documents(
        self, docs: list[PreparedDocument], check: Callable[[], None] | None = None
    ) -> list[WriteResult]:
        """Write a batch in the crash-safe order of the module docstring, one Chroma upsert for the whole
        batch (each Chroma call costs tens of ms). `check` may raise between embedding batches (a time
        budget): nothing is committed then, and the vectors embedded so far stay cached for a retry."""
        results: dict[str, WriteResult] = {}
        todo: list[tuple[PreparedDocument, list[str], bool]] = []
        for doc in docs:
            rec = doc.record
            existing = self.registry.get_document(rec.doc_id)
            new_ids = [c.chunk_id for c in doc.chunks]
            old_ids = self.registry.chunk_ids(rec.doc_id) if existing else []
            if existing is not None and existing.content_hash == rec.content_hash and old_ids == new_ids:
                results[rec.doc_id] = WriteResult(rec.doc_id, "unchanged", len(new_ids), 0)
            else:
                todo.append((doc, old_ids, existing is not None))
        if todo:
            self.registry.set_meta("dirty", "1")
            embedded = self._upsert_vectors([(d.record, d.chunks) for d, _, _ in todo], check)
            stale: set[str] = set()
            for doc, old_ids, existed in todo:
                self.registry.commit_document(doc.record, doc.chunks, doc.facts)
                stale |= set(old_ids) - {c.chunk_id for c in doc.chunks}
                results[doc.record.doc_id] = WriteResult(
                    doc.record.doc_id, "updated" if existed else "added", len(doc.chunks), embedded.get(doc.record.doc_id, 0)
                )
            if stale:
                self.collection.delete(ids=sorted(stale))
            self.registry.set_meta("dirty", "0")
        return [results[d.record.doc_id] for d in docs]

    def delete_document(self, doc_id: str) -> int:
        self.registry.set_meta("dirty", "1")
        ids = self.registry.delete_document(doc_id)
        if ids:
            self.collection.delete(ids=ids)
        self.registry.set_meta("dirty", "0")
        return len(ids)

    def _embed_key(self, text: str) -> str:
        return hashlib.sha1(f"{self.embeddings_id}\x00{text}".encode()).hexdigest()

    def _upsert_vectors(
        self, batch: list[tuple[DocumentRecord, list[ChunkRecord]]], check: Callable[[], None] | None = None
    ) -> dict[str, int]:
        """Embed only content never embedded before (cache by content hash, across documents),
        then one Chroma upsert for the batch. Returns how many chunks each document embedded."""
        pairs = [(rec, c) for rec, chunks in batch for c in chunks]
        if not pairs:
            return {}
        texts = [embedding_text(c) for _, c in pairs]
        keys = [self._embed_key(t) for t in texts]
        cached = self.registry.cached_vectors(list(dict.fromkeys(keys)))
        first: dict[str, int] = {}  # one embedding per distinct text, however often it occurs
        for i, k in enumerate(keys):
            if k not in cached:
                first.setdefault(k, i)
        missing = list(first.values())
        embedded: dict[str, int] = {}
        for i in missing:
            embedded[pairs[i][0].doc_id] = embedded.get(pairs[i][0].doc_id, 0) + 1
        for start in range(0, len(missing), EMBED_BATCH):
            if check is not None:
                check()
            part = missing[start : start + EMBED_BATCH]
            vectors = self.embeddings.embed_documents([texts[i] for i in part])
            fresh = {keys[i]: v for i, v in zip(part, vectors, strict=True)}
            self.registry.cache_vectors(fresh)
            cached.update(fresh)
        for start in range(0, len(pairs), UPSERT_BATCH):
            rows = range(start, min(start + UPSERT_BATCH, len(pairs)))
            self.collection.upsert(
                ids=[pairs[i][1].chunk_id for i in rows],
                embeddings=np.asarray([cached[keys[i]] for i in rows], dtype=np.float32),
                documents=[pairs[i][1].text for i in rows],
                metadatas=[chunk_metadata(pairs[i][0], pairs[i][1]) for i in rows],
            )
        return embedded

    def reconcile(self) -> dict[str, int]:
        """Make Chroma agree with the registry: drop vectors of uncommitted or removed chunks,
        re-add vectors of committed chunks that are missing."""
        registered = set(self.registry.chunk_ids())
        stored = set(self.collection.get(include=[])["ids"])
        extra = sorted(stored - registered)
        for i in range(0, len(extra), 1000):
            self.collection.delete(ids=extra[i : i + 1000])
        missing = registered - stored
        if missing:
            by_doc: dict[str, list[ChunkRecord]] = {}
            for c in self.registry.chunks(missing):
                by_doc.setdefault(c.doc_id, []).append(c)
            batch = [(rec, chunks) for doc_id, chunks in by_doc.items()
                     if (rec := self.registry.get_document(doc_id)) is not None]
            self._upsert_vectors(batch)
        self.registry.set_meta("dirty", "0")
        return {"deleted": len(extra), "restored": len(missing)}

    def open_for_writing(self) -> None:
        """Called with the writer lock held: repair what an interrupted writer left behind."""
        if self.registry.get_meta("dirty") == "1":
            log.warning("index was left mid-write; reconciling Chroma with the registry")
            self.reconcile()

    def reembed(self) -> int:
        """Re-embed every chunk with the current model (after a model change)."""
        self.client.delete_collection(COLLECTION)
        self.vectorstore = self._chroma()
        self.registry.set_meta("embeddings_id", self.embeddings_id)
        self.registry.set_meta("dirty", "1")
        return self.reconcile()["restored"]

    # --- reading ---------------------------------------------------------------------------------
    def refresh(self, persist: bool = False) -> None:
        """Reload the lexical index when the registry moved on (another process wrote)."""
        version = self.registry.version()
        if self._lexical.version == version:
            return
        with self._refresh_lock:
            if self._lexical.version == version:
                return
            loaded = LexicalIndex.load(self._lexical_dir) if self._lexical_dir else None
            if loaded is not None and loaded.version == version:
                self._set_lexical(loaded)
            else:
                fresh = LexicalIndex()
                fresh.build(self.registry.iter_tokens(), version)
                self._set_lexical(fresh)
                if persist and self._lexical_dir:
                    fresh.save(self._lexical_dir)

    def _set_lexical(self, index: LexicalIndex) -> None:
        self._lexical = index  # one assignment: readers see the old index or the new one

    def lexical_search(self, tokens: list[str], k: int) -> tuple[list[tuple[str, float]], Callable[[str], float]]:
        """Top-k hits, and the BM25 score of any chunk id under the same index snapshot."""
        self.refresh()
        index = self._lexical  # one snapshot for the whole query, even if a reload swaps it
        scores = index.scores(tokens)

        def score_of(chunk_id: str) -> float:
            pos = index.positions.get(chunk_id)
            return 0.0 if pos is None or pos >= len(scores) else float(scores[pos])

        if not len(scores):
            return [], score_of
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(index.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0], score_of

    def vector_count(self) -> int:
        """Chroma's `count()` costs ms per call (more over HTTP): cached by registry version, as it changes with it."""
        version = self.registry.version()
        if self._count_cache[0] != version:
            self._count_cache = (version, self.collection.count())
        return self._count_cache[1]

    def dense_search(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        count = self.vector_count()
        if count == 0:
            return []
        query = np.asarray([vector], dtype=np.float32)
        res = self.collection.query(query_embeddings=query, n_results=min(k, count), include=["distances"])
        distances = res["distances"] or [[]]
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], distances[0], strict=True)]

    def vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        if not chunk_ids:
            return {}
        try:
            res = self.collection.get(ids=chunk_ids, include=["embeddings"])
        except chromadb.errors.ChromaError:
            # Embedded Chroma in a reader can fail on ids another process just wrote: use the embedding cache.
            return self._cached_vectors(chunk_ids)
        vectors = res["embeddings"] if res["embeddings"] is not None else []
        return {cid: np.asarray(v, dtype=np.float32) for cid, v in zip(res["ids"], vectors, strict=True)}

    def _cached_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        keys = {c.chunk_id: self._embed_key(embedding_text(c)) for c in self.registry.chunks(chunk_ids)}
        cached = self.registry.cached_vectors(list(keys.values()))
        return {cid: np.asarray(cached[k], dtype=np.float32) for cid, k in keys.items() if k in cached}

    def documents(self) -> dict[str, DocumentRecord]:
        version = self.registry.version()
        if self._docs_cache[0] != version:
            docs, _ = self.registry.list_documents(limit=1_000_000)
            self._docs_cache = (version, {d.doc_id: d for d in docs})
        return self._docs_cache[1]

    def chunk_count(self) -> int:
        self.refresh()
        return len(self._lexical)

    def lexical_size(self) -> tuple[int, int]:
        """(chunks, registry version) of the BM25 this process holds now, without reloading it."""
        return len(index := self._lexical), index.version

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
