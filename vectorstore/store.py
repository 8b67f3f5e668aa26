"""One index, three parts sharing one chunk-id space: Chroma (dense), BM25 (lexical), registry.

`IndexStore` is the façade callers hold: the write side (`vectorstore.writer`: lock, crash-safe
upsert and reconcile, embedding cache) and the read side (`vectorstore.reader`: lexical and dense
search, following the registry's version) over the parts they share (`vectorstore.index_parts`).
"""

from __future__ import annotations

from vectorstore.backend import WriterLock, make_chroma_client
from vectorstore.index_parts import COLLECTION, PreparedDocument, WriteResult, chunk_metadata, embedding_text
from vectorstore.reader import IndexReader
from vectorstore.writer import EMBED_BATCH, UPSERT_BATCH, IndexWriter

__all__ = [
    "COLLECTION", "EMBED_BATCH", "UPSERT_BATCH", "IndexStore", "PreparedDocument", "WriteResult", "WriterLock",
    "chunk_metadata", "embedding_text", "make_chroma_client",
]


class IndexStore(IndexWriter, IndexReader):
    """Both sides of one index, opened once (registry, Chroma client, model, lock)."""
