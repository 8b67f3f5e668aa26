"""ALQAC recall of e5-small quantisation variants, passages and queries quantised separately.

    .venv/bin/python bench/e5_quality.py [--variants f32 int8 int8-keep-fo ...] [--weights 0.5 0.3]

Corpus: the ALQAC laws the 100 questions cite, chunked by the real pipeline (the chunks of
`bench/e5_runtime.py --recall`). Each variant embeds every chunk (as a passage) and every question
(as a query) once; vectors are cached in `bench/.cache/e5q-<variant>.npz`. Then every pairing
(passage variant x query variant) is scored: dense-only (exact cosine over all chunks) and hybrid
exactly as `HybridRetriever.score` fuses (BM25 top 50 from the product's lexical index, union with
the dense top 50, min-max fusion at `lexical_weight` w), article level recall@1/@5.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import CACHE, DEFAULT_DATASETS, RESULTS, load_alqac, machine  # noqa: E402

# variant -> E5Onnx keyword arguments
VARIANTS: dict[str, dict[str, Any]] = {
    "f32": {},
    "int8": {"int8": True},
    "int8-keep-fo": {"int8": True, "keep_float": ("fo",)},
    "int8-keep-ao-fo": {"int8": True, "keep_float": ("ao", "fo")},
    "int8-keep-fi-fo": {"int8": True, "keep_float": ("fi", "fo")},
}


def embed(variant: str, texts: list[str], questions: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
    from vectorstore.e5_onnx import E5Onnx

    path = CACHE / f"e5q-{variant}.npz"
    if path.exists():
        z = np.load(path)
        if len(z["p"]) == len(texts):
            return z["p"], z["q"], float(z["secs"])
    model = E5Onnx(**VARIANTS[variant])
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    p = np.empty((len(texts), 384), np.float32)
    t = time.perf_counter()
    for s in range(0, len(order), 16):
        part = order[s : s + 16]
        p[part] = model.passage([texts[i] for i in part])
    secs = time.perf_counter() - t
    q = np.vstack([model.query(x) for x in questions])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, p=p, q=q, secs=secs)
    return p, q, secs


def minmax(v: np.ndarray) -> np.ndarray:
    lo, hi = float(v.min()), float(v.max())
    if hi - lo < 1e-9:
        return np.ones_like(v) if hi > 0 else np.zeros_like(v)
    return (v - lo) / (hi - lo)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS))
    ap.add_argument("--weights", type=float, nargs="+", default=[0.5, 0.3])
    ap.add_argument("--out", type=Path, default=RESULTS / "e5_quality.json")
    a = ap.parse_args()
    from retrieval import build_ours, chunk_to_article, doc_to_article

    from vectorstore.analyzer import analyze
    from vectorstore.embeddings import make_embeddings
    from vectorstore.index_parts import embedding_text

    articles, questions = load_alqac(a.datasets)
    gold_laws = {g.split("#")[0] for q in questions for g in q.gold}
    subset = [x for x in articles if x.law_id in gold_laws]
    # Lexical side and chunk ids from the product's own index (fake vectors: only BM25 is used).
    store = build_ours(CACHE / "e5q-lexical", subset, make_embeddings("fake", "384"), log_every=0)
    c2a = chunk_to_article(store, doc_to_article(subset))
    chunks = list(store.registry.chunks())
    ids = [c.chunk_id for c in chunks]
    texts = [embedding_text(c) for c in chunks]
    slot = {cid: i for i, cid in enumerate(ids)}
    lexical = [store.lexical_search(analyze(q.text, mode="query"), 50) for q in questions]
    vecs = {}
    report: dict[str, Any] = {"machine": machine(), "chunks": len(ids), "questions": len(questions),
                              "embed_s": {}, "pairs": {}}
    for v in a.variants:
        p, q, secs = embed(v, texts, [x.text for x in questions])
        vecs[v] = (p, q)
        report["embed_s"][v] = round(secs, 1)
        print(f"{v}: embedded {len(texts)} chunks in {secs:.0f}s", file=sys.stderr, flush=True)

    def scores(ranked: list[str], gold: frozenset[str]) -> tuple[float, float]:
        arts = list(dict.fromkeys(c2a.get(c, "?") for c in ranked))
        return len(gold & set(arts[:1])) / len(gold), len(gold & set(arts[:5])) / len(gold)

    for pv in a.variants:
        for qv in a.variants:
            if pv != qv and "f32" not in (pv, qv):
                continue  # only the pairings that could ship: one side float, or both the same
            P, Q = vecs[pv][0], vecs[qv][1]
            row: dict[str, float] = {}
            sums = np.zeros(2 + 2 * len(a.weights))
            for qi, question in enumerate(questions):
                sim = P @ Q[qi]
                dense_top = list(np.argsort(-sim, kind="stable")[:50])
                sums[:2] += scores([ids[i] for i in dense_top], question.gold)
                hits, score_of = lexical[qi]
                cand = list(dict.fromkeys([cid for cid, _ in hits] + [ids[i] for i in dense_top]))
                lex = np.array([score_of(c) for c in cand])
                den = np.array([float(sim[slot[c]]) for c in cand])
                for wi, w in enumerate(a.weights):
                    fused = w * minmax(lex) + (1 - w) * minmax(den)
                    order = np.argsort(-fused, kind="stable")
                    sums[2 + 2 * wi : 4 + 2 * wi] += scores([cand[i] for i in order], question.gold)
            sums /= len(questions)
            row["dense_r1"], row["dense_r5"] = round(sums[0], 4), round(sums[1], 4)
            for wi, w in enumerate(a.weights):
                row[f"hybrid{w}_r1"], row[f"hybrid{w}_r5"] = round(sums[2 + 2 * wi], 4), round(sums[3 + 2 * wi], 4)
            cos_p = float(np.median((vecs[pv][0] * vecs["f32"][0]).sum(1))) if "f32" in vecs else None
            row["passage_cos_to_f32_median"] = round(cos_p, 5) if cos_p is not None else float("nan")
            report["pairs"][f"passages {pv} / queries {qv}"] = row
            print(f"passages {pv:16s} queries {qv:16s} {row}", file=sys.stderr, flush=True)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
