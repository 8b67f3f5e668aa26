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
`bench/.cache/`. The e5 vectors (~4,800 chunks: 20-40 minutes on 2 busy cores) come from
`bench/embed_pool.py`'s cache; until it holds every law, the e5 systems run on the laws it
covers (`--dense-laws`), beside the baseline and BM25 on the same subset and on the full corpus.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import shutil
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

    With `share_cache`, vectors computed elsewhere (bench/embed_pool.py) are imported first, so
    only chunks nobody embedded yet cost e5 time.
    """
    from ingestion.pipeline import ingest_bytes
    from vectorstore.store import IndexStore

    store = IndexStore(folder, embeddings, lock_timeout=60)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    with store.writer_lock:
        store.open_for_writing()
        for i, a in enumerate(articles):
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

    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)  # a half-built collection from an interrupted run
    store = chroma_baseline(folder, minilm_embeddings())
    if not done.exists():
        started = time.perf_counter()
        docs = [Document(page_content=a.document_text(), metadata={"article": a.key, "law": a.law_id})
                for a in articles]
        chunks = tutorial_splitter().split_documents(docs)
        for i in range(0, len(chunks), 256):
            store.add_documents(chunks[i : i + 256])
        print(f"  baseline: {len(chunks)} chunks in {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
        done.write_text(str(len(chunks)))
    return store


def missing_by_law(articles: list[Article], sources: list[Path]) -> dict[str, int]:
    """Per law, how many chunks have no e5 vector in the shared caches yet."""
    import sqlite3

    from embed_pool import chunk_texts

    keys = {a.key: [k for k, _ in chunk_texts(a)] for a in articles}
    flat = [k for ks in keys.values() for k in ks]
    have: set[str] = set()
    for src in sources:
        if Path(src).exists():
            conn = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
            for i in range(0, len(flat), 500):
                part = flat[i : i + 500]
                q = f"SELECT key FROM embedding_cache WHERE key IN ({','.join('?' * len(part))})"
                have |= {r[0] for r in conn.execute(q, part)}
            conn.close()
    out: dict[str, int] = {}
    for a in articles:
        out[a.law_id] = out.get(a.law_id, 0) + sum(1 for k in keys[a.key] if k not in have)
    return out


def evaluate_corpus(name: str, articles: list[Article], questions: list[Question], cache: Path,
                    share: list[Path], baseline: Any, with_dense: bool) -> dict[str, Any]:
    """Every system on one corpus (all ALQAC articles, or only the laws the questions cite)."""
    from vectorstore.embeddings import make_embeddings
    from vectorstore.retriever import HybridRetriever

    laws = sorted({a.law_id for a in articles})
    out: dict[str, Any] = {"articles": len(articles), "laws": len(laws), "systems": {}}
    systems = out["systems"]
    if baseline is not None:
        out["baseline_chunks"] = baseline._collection.count()
        # Filtering by law gives the hits a collection of only these laws would give.
        where = None if name == "full" else {"law": {"$in": laws}}
        for k in (4, 20):
            def rank_baseline(q: str, k: int = k) -> list[str]:
                hits = baseline.similarity_search(q, k=k, filter=where)
                return article_ranking([d.metadata["article"] for d in hits])

            systems[f"tutorial baseline (MiniLM, 1000/200, k={k})"] = evaluate(questions, rank_baseline)

    if with_dense:
        e5 = make_embeddings("e5-small")
        store = build_ours(cache / f"alqac-e5-{name}", articles, e5, share_cache=share)
        store.embeddings = MemoEmbeddings(e5)
    else:
        from vectorstore.embeddings import make_embeddings as mk

        store = build_ours(cache / f"alqac-lex-{name}", articles, mk("fake", "384"))
    c2a = chunk_to_article(store, doc_to_article(articles))
    out["our_chunks"] = len(c2a)

    def rank_ours(mode: str, w: float = 0.6) -> Callable[[str], list[str]]:
        retriever = HybridRetriever(store=store, k=5, lexical_weight=w, mode=mode)
        return lambda q: article_ranking([c2a.get(s[0], "?") for s in retriever.score(q)])

    systems["ours lexical (bigram BM25)"] = evaluate(questions, rank_ours("lexical"))
    if not with_dense:
        return out
    systems["ours dense (e5-small)"] = evaluate(questions, rank_ours("dense"))
    for w in WEIGHTS:
        systems[f"ours hybrid minmax w={w}"] = evaluate(questions, rank_ours("hybrid", w))

    # Alternative fusions from one candidate list per question (same candidates as the retriever).
    retriever = HybridRetriever(store=store, k=5, lexical_weight=0.5, mode="hybrid")
    cands = []
    for q in questions:
        scored = retriever.score(q.text)
        cands.append(([s[0] for s in scored], np.array([s[2] for s in scored]), np.array([s[3] for s in scored])))
    fusions: dict[str, Any] = {}
    for kind in ("minmax", "zscore", "rrf"):
        for w in (0.2, *WEIGHTS, 0.95):
            rows = []
            for q, (ids, lex, den) in zip(questions, cands, strict=True):
                order = np.argsort(-fuse(kind, lex, den, w), kind="stable")
                rows.append(score_ranking(article_ranking([c2a.get(ids[i], "?") for i in order]), q.gold))
            fusions[f"{kind} w={w}"] = {k: round(float(np.mean([r[k] for r in rows])), 4)
                                        for k in ("recall@1", "recall@5", "mrr")}
    out["fusions_offline"] = fusions
    best = max(fusions.items(), key=lambda kv: (kv[1]["mrr"], kv[1]["recall@1"]))
    out["best_fusion"] = {"name": best[0], **best[1]}
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--out", type=Path, default=RESULTS / "retrieval.json")
    parser.add_argument("--share-cache", type=Path, nargs="*",
                        default=[CACHE / "alqac-e5-vectors.sqlite3", CACHE / "alqac-e5-full" / "registry.sqlite3"],
                        help="SQLite files with an `embedding_cache` table of e5 vectors (bench/embed_pool.py)")
    parser.add_argument("--dense-laws", choices=("complete", "gold", "all"), default="complete",
                        help="e5 systems on: laws whose vectors are all cached (with the questions about them); "
                             "the laws the questions cite; every law (the last two embed what is missing)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="first N questions only (smoke test)")
    args = parser.parse_args(argv)

    if not (args.datasets / "alqac23" / "law.json").exists():
        print(f"ALQAC not found under {args.datasets}; pass --datasets", file=sys.stderr)
        raise SystemExit(2)
    articles, questions = load_alqac(args.datasets)
    if args.limit:
        questions = questions[: args.limit]

    missing = missing_by_law(articles, args.share_cache)
    complete = sorted(law for law, n in missing.items() if n == 0)
    gold_laws = sorted({k.split("#")[0] for q in questions for k in q.gold})
    everything = args.dense_laws == "all" or len(complete) == len(missing)
    dense_laws = sorted(missing) if everything else gold_laws if args.dense_laws == "gold" else complete
    print(f"  e5 vectors missing by law: {missing}", file=sys.stderr)
    if not complete and args.dense_laws == "complete":
        print("  no law has all its e5 vectors cached: run bench/embed_pool.py first (20-40 min on 2 cores) "
              "for the dense and hybrid systems", file=sys.stderr)
    subset = [a for a in articles if a.law_id in dense_laws]
    sub_questions = [q for q in questions if {k.split('#')[0] for k in q.gold} <= set(dense_laws)]

    baseline = None if args.skip_baseline else build_baseline(args.cache / "alqac-minilm", articles)
    results: dict[str, Any] = {
        "machine": machine(), "dataset": "ALQAC 2023 train (100 questions; law.json: 17 laws, 2,249 articles)",
        "e5_missing_chunks_by_law": missing, "corpora": {},
    }
    runs = [("full", articles, questions, len(dense_laws) == len(missing))]
    if len(dense_laws) < len(missing) and sub_questions:
        tag = "e5-laws-" + hashlib.sha1("|".join(dense_laws).encode()).hexdigest()[:8]
        runs.append((tag, subset, sub_questions, True))
    for name, arts, qs, dense in runs:
        started = time.perf_counter()
        res = evaluate_corpus(name, arts, qs, args.cache, args.share_cache, baseline, with_dense=dense)
        res["questions"] = len(qs)
        res["law_names"] = sorted({a.law_id for a in arts})
        results["corpora"][name] = res
        print(f"== {name}: {len(arts)} articles, {len(qs)} questions ({time.perf_counter() - started:.0f}s)",
              file=sys.stderr)
        for sys_name, row in res["systems"].items():
            print(f"  {sys_name:48s} {row}", file=sys.stderr)
        if "best_fusion" in res:
            print(f"  best offline fusion: {res['best_fusion']}", file=sys.stderr)
        write_json(args.out, results)
    print(f"wrote {args.out}", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
