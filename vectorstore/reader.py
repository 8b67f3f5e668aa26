"""The index's read side: BM25 and dense search, chunk vectors, the document table, each cached per
registry version. Writes by this process and by others are seen the same way: the registry's version
moved, and its change log says which documents to re-read (`Registry.changed_since`), so the lexical
index and the document table are patched, not rebuilt. With `database_url` each worker builds BM25
from the database and nothing shared is written under `data_dir`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import chromadb.errors
import numpy as np

from vectorstore.index_parts import IndexParts, embedding_text
from vectorstore.lexical import LexicalIndex
from vectorstore.registry import DocumentRecord

T = TypeVar("T")

log = logging.getLogger(__name__)


class IndexReader(IndexParts):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lexical_dir = None if self.database_url else self.data_dir / "lexical"
        self._merging = threading.Lock()
        self._set_lexical((LexicalIndex.load(self._lexical_dir) if self._lexical_dir else None) or LexicalIndex())
        self._docs_cache: tuple[int, dict[str, DocumentRecord]] = (-1, {})
        self._count_cache: tuple[int, int] = (-1, 0)
        self._refresh_lock = threading.Lock()

    # --- the lexical index, following the registry ----------------------------------------------------
    def refresh(self, persist: bool = False) -> None:
        """Bring the lexical index to the registry's version (another process, or this one, wrote).
        `persist` (the writer, holding the lock) saves it for the next process to start from."""
        version = self.registry.version()
        if self._lexical.version == version:
            return
        with self._refresh_lock:
            if self._lexical.version == version:
                return
            fresh = self._caught_up(self._lexical, version)
            if fresh is None and self._lexical_dir:
                loaded = LexicalIndex.load(self._lexical_dir)
                fresh = loaded and (loaded if loaded.version == version else self._caught_up(loaded, version))
            if fresh is None:
                fresh = LexicalIndex()
                fresh.build(self.registry.iter_chunk_tokens(), version)
            self._set_lexical(fresh)
            if persist and self._lexical_dir:
                fresh.save(self._lexical_dir)

    def _caught_up(self, index: LexicalIndex, version: int) -> LexicalIndex | None:
        """`index` patched with the documents changed since its version, or None if the log cannot say."""
        if index.version < 0:
            return None
        changed = self.registry.changed_since(index.version, version)
        if changed is None:
            return None
        rows = list(self.registry.iter_chunk_tokens(changed)) if changed else []
        return index.apply(changed, rows, version)

    def _set_lexical(self, index: LexicalIndex) -> None:
        self._lexical = index  # one assignment: readers see the old index or the new one
        if index.needs_merge and self._merging.acquire(blocking=False):
            threading.Thread(target=self._merge, args=(index,), name="qa-lexical-merge", daemon=True).start()

    def _merge(self, index: LexicalIndex) -> None:
        """Compact off the write path (seconds at 100k chunks); writes that landed meanwhile are
        re-applied from the change log before the swap."""
        try:
            for _ in range(3):  # writes that landed meanwhile may call for another round
                merged = index.merged()
                with self._refresh_lock:
                    current = self._lexical
                    if current.version != merged.version:
                        merged = self._caught_up(merged, current.version) or current
                    self._lexical = index = merged
                if not merged.needs_merge:
                    break
        except Exception:  # derived data: the unmerged index keeps serving
            log.exception("lexical merge failed")
        finally:
            self._merging.release()

    def wait_for_merge(self, timeout: float = 60.0) -> None:
        """Until a running background merge is done (tests, benchmarks, a clean save)."""
        if self._merging.acquire(timeout=timeout):
            self._merging.release()

    def lexical_search(self, tokens: list[str], k: int) -> tuple[list[tuple[str, float]], Callable[[str], float]]:
        """Top-k hits, and the BM25 score of any chunk id under the same index snapshot."""
        self.refresh()
        index = self._lexical  # one snapshot for the whole query, even if a reload swaps it
        hits, scores = index.top(tokens, k)

        def score_of(chunk_id: str) -> float:
            slot = index.slot_of.get(chunk_id)
            return 0.0 if slot is None or slot >= len(scores) else float(scores[slot])

        return hits, score_of

    def chunk_count(self) -> int:
        self.refresh()
        return len(self._lexical)

    def lexical_size(self) -> tuple[int, int]:
        """(chunks, registry version) of the BM25 this process holds now, without reloading it."""
        return len(index := self._lexical), index.version

    # --- dense side -----------------------------------------------------------------------------------
    def vector_count(self) -> int:
        """Chroma's `count()` costs ms per call (more over HTTP): cached by registry version, as it changes with it."""
        version = self.registry.version()
        if self._count_cache[0] != version:
            self._count_cache = (version, self._reopened(lambda: self.collection.count()))
        return self._count_cache[1]

    def dense_search(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        count = self.vector_count()
        if count == 0:
            return []
        query = np.asarray([vector], dtype=np.float32)
        res = self._reopened(
            lambda: self.collection.query(query_embeddings=query, n_results=min(k, count), include=["distances"]))
        distances = res["distances"] or [[]]
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], distances[0], strict=True)]

    def _reopened(self, call: Callable[[], T]) -> T:
        """`call()`, once more on a reopened collection if a writer replaced it (crash repair, `reembed`)."""
        try:
            return call()
        except chromadb.errors.NotFoundError:
            self.vectorstore = self._chroma()
            return call()

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

    # --- documents ------------------------------------------------------------------------------------
    def documents(self) -> dict[str, DocumentRecord]:
        """Every document by id; after a write only the changed ones are read again (they carry their text)."""
        version = self.registry.version()
        seen, docs = self._docs_cache
        if seen == version:
            return docs
        changed = self.registry.changed_since(seen, version) if seen >= 0 else None
        if changed is None:
            records, _ = self.registry.list_documents(limit=1_000_000)
            fresh = {d.doc_id: d for d in records}
        else:
            fresh = dict(docs)
            for doc_id in changed:
                rec = self.registry.get_document(doc_id)
                if rec is None:
                    fresh.pop(doc_id, None)
                else:
                    fresh[doc_id] = rec
        self._docs_cache = (version, fresh)
        return fresh
