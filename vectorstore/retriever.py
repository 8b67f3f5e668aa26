"""Hybrid retrieval: BM25 over analyzer tokens and dense e5 vectors, fused by normalised scores.

Plain RRF throws away how far ahead the lexical winner is, and lost recall@1 to bigram-BM25 alone
on ALQAC; min-max fusion over the union of both candidate lists (each candidate scored by both
retrievers, so nothing is penalised for missing from one list) keeps it. Weights come from
`bench/retrieval.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.analyzer import analyze
from vectorstore.store import IndexStore


def _minmax(values: np.ndarray) -> np.ndarray:
    if not len(values):
        return values
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-9:
        return np.ones_like(values) if hi > 0 else np.zeros_like(values)
    return (values - lo) / (hi - lo)


class HybridRetriever(BaseRetriever):
    """A LangChain retriever returning chunk `Document`s with fused and per-retriever scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: IndexStore
    k: int = 5
    candidates: int = 50
    lexical_weight: float = 0.5
    mode: str = "hybrid"  # "hybrid" | "lexical" | "dense"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        k = int(kwargs.get("k", self.k))
        boost_docs: set[str] = set(kwargs.get("boost_doc_ids", ()))
        scored = self.score(query, boost_docs=boost_docs)
        return self.to_documents(scored[:k])

    def score(self, query: str, boost_docs: set[str] | None = None) -> list[tuple[str, float, float, float]]:
        """(chunk_id, fused, lexical, dense) for the union of both candidate lists, best first."""
        store = self.store
        lexical: list[tuple[str, float]] = []
        score_of: Callable[[str], float] = lambda _cid: 0.0  # noqa: E731
        if self.mode != "dense":
            lexical, score_of = store.lexical_search(analyze(query, mode="query"), self.candidates)
        dense: dict[str, float] = {}
        if self.mode != "lexical":
            qvec = np.asarray(store.embeddings.embed_query(query), dtype=np.float32)
            dense = dict(store.dense_search(qvec.tolist(), self.candidates))
            missing = [cid for cid, _ in lexical if cid not in dense]
            for cid, vec in store.vectors(missing).items():
                norm = float(np.linalg.norm(vec) * np.linalg.norm(qvec)) or 1.0
                dense[cid] = float(vec @ qvec) / norm
        ids = list(dict.fromkeys([cid for cid, _ in lexical] + list(dense)))
        if not ids:
            return []
        lex = np.array([score_of(cid) for cid in ids])
        den = np.array([dense.get(cid, 0.0) for cid in ids])
        if self.mode == "lexical":
            fused = lex
        elif self.mode == "dense":
            fused = den
        else:
            w = self.lexical_weight
            fused = w * _minmax(lex) + (1 - w) * _minmax(den)
        if boost_docs:
            docs = {c.chunk_id: c.doc_id for c in store.registry.chunks(ids)}
            fused = fused + np.array([0.15 if docs.get(cid) in boost_docs else 0.0 for cid in ids])
        order = np.argsort(-fused, kind="stable")
        return [(ids[i], float(fused[i]), float(lex[i]), float(den[i])) for i in order]

    def to_documents(self, scored: list[tuple[str, float, float, float]]) -> list[Document]:
        records = {c.chunk_id: c for c in self.store.registry.chunks([s[0] for s in scored])}
        docs = self.store.documents()
        out: list[Document] = []
        for chunk_id, fused, lex, den in scored:
            chunk = records.get(chunk_id)
            if chunk is None:
                continue  # removed between the search and now
            rec = docs.get(chunk.doc_id)
            out.append(
                Document(
                    page_content=chunk.text,
                    id=chunk_id,
                    metadata={
                        "chunk_id": chunk_id, "doc_id": chunk.doc_id, "ord": chunk.ord,
                        "start": chunk.start, "end": chunk.end, "header": chunk.header,
                        "title": rec.title if rec else "", "source": rec.source if rec else "",
                        "published": (rec.published or "") if rec else "",
                        "score": fused, "lexical_score": lex, "dense_score": den,
                    },
                )
            )
        return out
