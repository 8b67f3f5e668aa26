"""Article-level retrieval quality on ALQAC 2023: the tutorial baseline against our retrievers.

    python bench/retrieval.py [--datasets ../shared/datasets] [--out bench/results/retrieval.json]

Each of the 2,249 articles of `law.json` is one document (text: "<law> – Điều <n>. <article>",
the same for every system); each of the 100 questions of `train.json` has gold articles. A
system's ranked chunks are mapped to their articles (first occurrence wins) and scored by
recall@1, recall@5 and MRR (reciprocal rank of the first gold article, 0 when absent).

Systems: the LangChain tutorial (RecursiveCharacterTextSplitter 1000/200, all-MiniLM-L6-v2,
Chroma `similarity_search` k=4, and k=20 for a fair recall@5), our lexical-only BM25, dense-only
e5-small, and hybrid min-max fusion for several `lexical_weight`s, plus alternative fusions
(z-score, RRF) computed from the same per-candidate scores. Indexes are built once into
`bench/.cache/` (e5 at ~5 chunks/s takes ~15 minutes on 2 cores; the registry caches vectors by
content hash, so later runs only re-read them).
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, DEFAULT_DATASETS, RESULTS, Article, Question, load_alqac, machine, write_json  # noqa: E402

WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


# --- metrics ----------------------------------------------------------------------------------
def article_ranking(chunk_articles: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(chunk_articles))


def score_ranking(ranked: list[str], gold: frozenset[str]) -> dict[str, float]:
    rr = next((1.0 / (i + 1) for i, a in enumerate(ranked) if a in gold), 0.0)
    return {
        "recall@1": len(gold & set(ranked[:1])) / len(gold),
        "recall@5": len(gold & set(ranked[:5])) / len(gold),
        "mrr": rr,
    }


def evaluate(questions: list[Question], rank: Callable[[str], list[str]]) -> dict[str, float]:
    rows = []
    started = time.perf_counter()
    for q in questions:
        rows.append(score_ranking(rank(q.text), q.gold))
    out = {k: round(float(np.mean([r[k] for r in rows])), 4) for k in ("recall@1", "recall@5", "mrr")}
    out["ms_per_query"] = round((time.perf_counter() - started) * 1000 / max(len(questions), 1), 1)
    return out


# --- our index --------------------------------------------------------------------------------
class MemoEmbeddings:
    """Wraps the store's embeddings so a weight sweep embeds each question once."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.model_id = getattr(inner, "model_id", None)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)  # type: ignore[no-any-return]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one instance per run
    def _query(self, text: str) -> tuple[float, ...]:
        return tuple(self.inner.embed_query(text))

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))


def article_path(a: Article) -> str:
    return f"alqac23/{a.law_id}/{a.article_id}"


def import_cached_vectors(store: Any, sources: list[Path], seen: dict[str, int]) -> int:
    """Copy e5 vectors another index already computed (read-only) into this store's cache.

    Cache keys are sha1(model id + embedded text), so only identical chunks match: the vectors
    are the ones our pipeline would compute. Reading is incremental (by rowid).
    """
    import sqlite3

    copied = 0
    for src in sources:
        if not src.exists():
            continue
        conn = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=10)
        try:
            rows = conn.execute("SELECT rowid, key, vector FROM embedding_cache WHERE rowid > ? ORDER BY rowid",
                                (seen.get(str(src), 0),)).fetchall()
        except sqlite3.Error:
            rows = []
        finally:
            conn.close()
        if rows:
            seen[str(src)] = rows[-1][0]
            with store.registry._tx() as own:
                own.executemany("INSERT OR IGNORE INTO embedding_cache VALUES (?, ?)", [(k, v) for _, k, v in rows])
            copied += len(rows)
    return copied


def build_ours(folder: Path, articles: list[Article], embeddings: Any, log_every: int = 100,
               share_cache: list[Path] | None = None) -> Any:
    """Ingest every article through the real pipeline (idempotent: a rebuilt run does no work).

    Articles go in reverse order so that, with `share_cache` pointing at an index being built
    front-to-back by another run, the two meet in the middle instead of embedding twice.
    """
    from ingestion.pipeline import ingest_bytes
    from vectorstore.store import IndexStore

    store = IndexStore(folder, embeddings, lock_timeout=60)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    with store.writer_lock:
        store.open_for_writing()
        for i, a in enumerate(reversed(articles)):
            if share_cache and i % 20 == 0:
                counts["imported"] = counts.get("imported", 0) + import_cached_vectors(store, share_cache, seen)
            name = f"{a.law_id} - Điều {a.article_id}.txt"
            outcome = ingest_bytes(store, name, a.document_text().encode("utf-8"), article_path(a))
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if log_every and (i + 1) % log_every == 0:
                print(f"  ours: {i + 1}/{len(articles)} articles, {time.perf_counter() - started:.0f}s {counts}",
                      file=sys.stderr, flush=True)
        store.refresh(persist=True)
    print(f"  ours: built in {time.perf_counter() - started:.1f}s {counts}", file=sys.stderr, flush=True)
    return store


def doc_to_article(articles: list[Article]) -> dict[str, str]:
    from ingestion.pipeline import make_doc_id

    return {make_doc_id(article_path(a)): a.key for a in articles}


def chunk_to_article(store: Any, doc_article: dict[str, str]) -> dict[str, str]:
    return {c.chunk_id: doc_article.get(c.doc_id, "?") for c in store.registry.chunks()}


# --- fusions computed from one hybrid candidate list (for trying alternatives offline) --------
def _minmax(v: np.ndarray) -> np.ndarray:
    lo, hi = float(v.min()), float(v.max())
    return np.ones_like(v) if hi - lo < 1e-9 else (v - lo) / (hi - lo)


def _z(v: np.ndarray) -> np.ndarray:
    sd = float(v.std())
    return np.zeros_like(v) if sd < 1e-9 else (v - float(v.mean())) / sd


def fuse(kind: str, lex: np.ndarray, den: np.ndarray, w: float) -> np.ndarray:
    match kind:
        case "minmax":
            return w * _minmax(lex) + (1 - w) * _minmax(den)
        case "zscore":
            return w * _z(lex) + (1 - w) * _z(den)
        case "rrf":
            rl = np.argsort(np.argsort(-lex, kind="stable"), kind="stable")
            rd = np.argsort(np.argsort(-den, kind="stable"), kind="stable")
            return w / (60 + rl + 1) + (1 - w) / (60 + rd + 1)
    raise ValueError(kind)


# --- the tutorial baseline --------------------------------------------------------------------
def build_baseline(folder: Path, articles: list[Article]) -> Any:
    from common import chroma_baseline, minilm_embeddings, tutorial_splitter
    from langchain_core.documents import Document

    store = chroma_baseline(folder, minilm_embeddings())
    if store._collection.count() == 0:
        started = time.perf_counter()
        docs = [Document(page_content=a.document_text(), metadata={"article": a.key}) for a in articles]
        chunks = tutorial_splitter().split_documents(docs)
        for i in range(0, len(chunks), 256):
            store.add_documents(chunks[i : i + 256])
        print(f"  baseline: {len(chunks)} chunks in {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    return store


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--out", type=Path, default=RESULTS / "retrieval.json")
    parser.add_argument("--build-only", action="store_true", help="build the cached indexes and stop")
    parser.add_argument("--share-cache", type=Path, nargs="*", default=[],
                        help="registry.sqlite3 files of other e5 indexes of the same articles (read only)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="first N questions only (smoke test)")
    args = parser.parse_args(argv)

    if not (args.datasets / "alqac23" / "law.json").exists():
        print(f"ALQAC not found under {args.datasets}; pass --datasets", file=sys.stderr)
        raise SystemExit(2)
    articles, questions = load_alqac(args.datasets)
    if args.limit:
        questions = questions[: args.limit]

    from vectorstore.embeddings import make_embeddings
    from vectorstore.retriever import HybridRetriever

    e5 = make_embeddings("e5-small")
    store = build_ours(args.cache / "alqac-e5", articles, e5, share_cache=args.share_cache)
    baseline = None if args.skip_baseline else build_baseline(args.cache / "alqac-minilm", articles)
    if args.build_only:
        return {}

    store.embeddings = MemoEmbeddings(e5)
    c2a = chunk_to_article(store, doc_to_article(articles))
    results: dict[str, Any] = {
        "machine": machine(), "dataset": "ALQAC 2023 train (100 questions, 2,249 articles)",
        "questions": len(questions), "our_chunks": len(c2a), "systems": {},
    }
    systems = results["systems"]

    if baseline is not None:
        results["baseline_chunks"] = baseline._collection.count()
        for k in (4, 20):
            def rank_baseline(q: str, k: int = k) -> list[str]:
                return article_ranking([d.metadata["article"] for d in baseline.similarity_search(q, k=k)])

            systems[f"tutorial baseline (MiniLM, 1000/200, k={k})"] = evaluate(questions, rank_baseline)
            print(f"baseline k={k}: {systems[f'tutorial baseline (MiniLM, 1000/200, k={k})']}", file=sys.stderr)

    def rank_ours(mode: str, w: float = 0.6) -> Callable[[str], list[str]]:
        retriever = HybridRetriever(store=store, k=5, lexical_weight=w, mode=mode)
        return lambda q: article_ranking([c2a.get(s[0], "?") for s in retriever.score(q)])

    systems["ours lexical (bigram BM25)"] = evaluate(questions, rank_ours("lexical"))
    systems["ours dense (e5-small)"] = evaluate(questions, rank_ours("dense"))
    for w in WEIGHTS:
        systems[f"ours hybrid minmax w={w}"] = evaluate(questions, rank_ours("hybrid", w))
    for name, row in systems.items():
        print(f"{name:48s} {row}", file=sys.stderr)

    # Alternative fusions from one candidate list per question (same candidates as the retriever).
    retriever = HybridRetriever(store=store, k=5, lexical_weight=0.5, mode="hybrid")
    cands = []
    for q in questions:
        scored = retriever.score(q.text)
        ids = [s[0] for s in scored]
        cands.append((ids, np.array([s[2] for s in scored]), np.array([s[3] for s in scored])))
    fusions: dict[str, Any] = {}
    for kind in ("minmax", "zscore", "rrf"):
        for w in (0.2, *WEIGHTS, 0.95):
            rows = []
            for q, (ids, lex, den) in zip(questions, cands, strict=True):
                order = np.argsort(-fuse(kind, lex, den, w), kind="stable")
                rows.append(score_ranking(article_ranking([c2a.get(ids[i], "?") for i in order]), q.gold))
            fusions[f"{kind} w={w}"] = {k: round(float(np.mean([r[k] for r in rows])), 4)
                                        for k in ("recall@1", "recall@5", "mrr")}
    results["fusions_offline"] = fusions
    best = max(fusions.items(), key=lambda kv: (kv[1]["mrr"], kv[1]["recall@1"]))
    results["best_fusion"] = {"name": best[0], **best[1]}
    print(f"best offline fusion: {best}", file=sys.stderr)
    write_json(args.out, results)
    print(f"wrote {args.out}", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
