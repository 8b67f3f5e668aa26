"""The index's write side: the crash-safe write protocol, reconciliation and the embedding cache.

Order of operations when a document is written (why it is crash-safe):
1. mark the index dirty (registry meta), 2. upsert the new chunks' vectors into Chroma,
3. commit the document, chunks and facts to the registry in one transaction (the moment the
document counts as ingested; the registry logs which document that version changed), 4. delete the
old chunk ids that the new version no longer has from Chroma, 5. clear the dirty mark. A crash before
3 leaves only extra vectors; after 3, only stale ones: `reconcile()` (run when a writer opens a dirty
index) deletes every Chroma id the registry does not list. The lexical index is derived from the
registry by the read side (`vectorstore.reader`), which follows the version counter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from vectorstore.index_parts import (
    COLLECTION,
    IndexParts,
    PreparedDocument,
    WriteResult,
    chunk_metadata,
    embedding_text,
)
from vectorstore.registry import ChunkRecord, DocumentRecord

log = logging.getLogger(__name__)
# After a repair, dense search is checked to reach every vector (one query for all) up to this many.
VERIFY_MAX_VECTORS = 50_000
# Texts per embedding call, shortest first (see _upsert_vectors): calls of 64 sorted by characters let
# the e5 runtime sort each call by tokens again (bench/e5_batching.py, 1 thread, medians of 5 rounds:
# 9.2 passages/s in arrival calls of 16, 12.0 sorted in calls of 16, 12.7 in calls of 64).
EMBED_BATCH = 64
UPSERT_BATCH = 2000  # Chroma's per-call overhead dominates small upserts; its max batch is larger


class IndexWriter(IndexParts):
    """Writes go through here, under `writer_lock` (one writing process per index)."""

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
                self.registry.commit_document(doc.record, doc.chunks, doc.facts, doc.tasks)
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
        # Shortest first: a call pads every text to its longest, and in arrival order one long chunk
        # made its neighbours pad too. Vectors are keyed by text, so the order is free.
        missing = sorted(first.values(), key=lambda i: len(texts[i]))
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

    def reconcile(self, verify: bool = True) -> dict[str, int]:
        """Make Chroma agree with the registry: drop vectors of uncommitted or removed chunks,
        re-add vectors of committed chunks that are missing. When that changed anything (`verify`),
        check that dense search still reaches every vector and rebuild the collection if not."""
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
        if verify and (extra or missing) and (reach := self.dense_reach())[0] < reach[1]:
            # chromadb 1.5's HNSW can leave live vectors unreachable by query() after deletes and
            # upserts (chroma-core/chroma#7758); a fresh collection from the embedding cache has none
            log.warning("dense search reaches %d of %d vectors after the repair; rebuilding the collection", *reach)
            return self._rebuild_collection()
        self.registry.set_meta("dirty", "0")
        return {"deleted": len(extra), "restored": len(missing)}

    def dense_reach(self) -> tuple[int, int]:
        """(vectors a query for all of them returns, vectors stored); not checked past VERIFY_MAX_VECTORS."""
        stored = self.collection.count()
        if stored == 0 or stored > VERIFY_MAX_VECTORS:
            return stored, stored
        embeddings = self.collection.get(limit=1, include=["embeddings"])["embeddings"]
        probe = np.asarray([embeddings[0] if embeddings is not None else []], dtype=np.float32)
        found = self.collection.query(query_embeddings=probe, n_results=stored, include=[])["ids"][0]
        return len(found), stored

    def _rebuild_collection(self) -> dict[str, int]:
        """A fresh collection holding every registered chunk's vector (from the embedding cache when it
        has them under the current model; readers elsewhere reopen it, `IndexReader._reopened`)."""
        self.client.delete_collection(COLLECTION)
        self.vectorstore = self._chroma()
        self.registry.set_meta("dirty", "1")
        return self.reconcile(verify=False)  # every vector is cached by its text: no model call

    def open_for_writing(self) -> None:
        """Called with the writer lock held: repair what an interrupted writer left behind."""
        if self.registry.get_meta("dirty") == "1":
            log.warning("index was left mid-write; reconciling Chroma with the registry")
            self.reconcile()

    def reembed(self) -> int:
        """Re-embed every chunk with the current model (after a model change)."""
        self.registry.set_meta("embeddings_id", self.embeddings_id)
        return self._rebuild_collection()["restored"]
