"""Passage throughput of e5-small on ONNX Runtime: padding waste, batch size, threads, int8 — one process.

    .venv/bin/python bench/e5_batching.py [--rounds 3] [--passages 128] [--source bulk|alqac]
        [--variants "f32 t1 arrival b16" "f32 t1 chars b64 cap2048" ...] [--out bench/results/e5_batching.json]

Passages are real chunks as the store embeds them (`prepare` + `embedding_text`) of corpus-bulk
official documents (or of the ALQAC laws the questions cite), in arrival order (document after document, as `IndexWriter._upsert_vectors`
sees them). Variants: today's product (calls of 16 in arrival order; E5Onnx sorts only inside a
call), the same texts sorted by token length or by characters (what a caller without the tokenizer
can do) before cutting calls of 8/16/32/64 (`capN`: E5Onnx's own batch_tokens), at 1 and 2 intra-op threads, float32 and int8. All
sessions live in this one process and every variant runs once per round, interleaved, so a busy
machine hits them alike; medians over rounds, ratios to today's (f32, 2 threads = ORT's default on
this machine, arrival, 16) or to the first of `--variants`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import RESULTS, machine  # noqa: E402

BULK = ROOT.parent / "shared" / "corpus-bulk"


def bulk_passages(n: int, seed: int = 13) -> list[str]:
    """The first `n` chunk texts of seeded corpus-bulk documents, in document order."""
    from ingestion.load import load_bytes
    from ingestion.pipeline import content_hash, prepare
    from vectorstore.index_parts import embedding_text

    files = sorted(BULK.rglob("*.txt"))
    random.Random(seed).shuffle(files)
    out: list[str] = []
    for f in files:
        data = f.read_bytes()
        try:
            doc = prepare(load_bytes(f.name, data, f.name), f.name, content_hash(data), "x")
        except Exception:  # noqa: BLE001 - an unreadable file just isn't part of the sample
            continue
        out += [embedding_text(c) for c in doc.chunks]
        if len(out) >= n:
            return out[:n]
    return out


def alqac_passages(n: int) -> list[str]:
    """The first `n` chunk texts of the ALQAC laws the questions cite, in file order (`bench/alqac_ingest.py`'s corpus)."""
    from common import DEFAULT_DATASETS, load_alqac
    from embed_pool import chunk_texts

    articles, questions = load_alqac(DEFAULT_DATASETS)
    gold = {g.split("#")[0] for q in questions for g in q.gold}
    out = [t for a in articles if a.law_id in gold for _, t in chunk_texts(a)]
    return out[:n]


def calls(texts: list[str], order: str, batch: int, tok: Any) -> list[list[int]]:
    idx = list(range(len(texts)))
    if order == "tokens":
        idx.sort(key=lambda i: len(tok.content_ids("passage: " + texts[i])))
    elif order == "chars":
        idx.sort(key=lambda i: len(texts[i]))
    return [idx[s : s + batch] for s in range(0, len(idx), batch)]


def run(model: Any, texts: list[str], order: str, batch: int) -> float:
    """Seconds to embed every text (sorting included), vectors put back in input order."""
    import numpy as np

    t = time.perf_counter()
    out = np.empty((len(texts), 384), np.float32)
    for part in calls(texts, order, batch, model.tok):
        out[part] = model.passage([texts[i] for i in part])
    return time.perf_counter() - t


def padded_tokens(texts: list[str], order: str, batch: int, tok: Any) -> tuple[int, int]:
    """(real, padded) token positions computed (one window per text: chunks are < 510 tokens)."""
    lens = [len(tok.content_ids("passage: " + t)) + 2 for t in texts]
    real = sum(lens)
    padded = sum(max(lens[i] for i in part) * len(part) for part in calls(texts, order, batch, tok))
    return real, padded


def parse(name: str) -> tuple[str, int, str, int, int]:
    """"f32 t1 chars b64 cap1024" -> ("f32", 1, "chars", 64, 1024); no cap means E5Onnx's 4096."""
    quant, threads, order, batch, *cap = name.split()
    return quant, int(threads[1:]), order, int(batch[1:]), int(cap[0][3:]) if cap else 4096


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passages", type=int, default=128)
    ap.add_argument("--variants", nargs="*", help="subset of variant names")
    ap.add_argument("--source", choices=("bulk", "alqac"), default="bulk")
    ap.add_argument("--out", type=Path, default=RESULTS / "e5_batching.json")
    a = ap.parse_args()
    from vectorstore.e5_onnx import E5Onnx

    texts = bulk_passages(a.passages) if a.source == "bulk" else alqac_passages(a.passages)
    # (quant, threads, order, texts per call, E5Onnx batch_tokens: its own cap inside a call)
    variants: list[tuple[str, int, str, int, int]] = [("f32", 2, "arrival", 16, 4096), ("f32", 1, "arrival", 16, 4096)]
    for threads in (1, 2):
        variants += [("f32", threads, "tokens", b, 4096) for b in (8, 16, 32, 64)]
        variants += [(q, threads, o, b, 4096) for q, o, b in (("f32", "chars", 16), ("f32", "chars", 64), ("int8", "arrival", 16),
                                                                ("int8", "chars", 16), ("int8", "chars", 64))]
    if a.variants:  # in the order given; the first is the reference of the ratios
        variants = [parse(n) for n in a.variants]
    name = {v: f"{v[0]} t{v[1]} {v[2]} b{v[3]}" + (f" cap{v[4]}" if v[4] != 4096 else "") for v in variants}
    sessions = {(q, t, c): E5Onnx(threads=t, int8=q == "int8", batch_tokens=c)
                for q, t, c in dict.fromkeys((v[0], v[1], v[4]) for v in variants)}
    tok = next(iter(sessions.values())).tok
    for m in sessions.values():
        m.passage(texts[:4])  # warm-up: first-run allocations
    times: dict[str, list[float]] = {name[v]: [] for v in variants}
    for r in range(a.rounds):
        for v in variants:
            secs = run(sessions[(v[0], v[1], v[4])], texts, v[2], v[3])
            times[name[v]].append(secs)
            print(f"round {r} {name[v]}: {len(texts) / secs:.2f} passages/s", file=sys.stderr, flush=True)
    base = statistics.median(times[name[variants[0]]])
    report: dict[str, Any] = {"machine": machine(), "source": a.source, "passages": len(texts), "rounds": a.rounds,
                              "median_chars": statistics.median(len(t) for t in texts), "variants": {}}
    for v in variants:
        med = statistics.median(times[name[v]])
        real, padded = padded_tokens(texts, v[2], v[3], tok)
        report["variants"][name[v]] = {"passages_per_s": round(len(texts) / med, 2), "time_ratio": round(med / base, 3),
                                       "padding_share": round(1 - real / padded, 3),
                                       "rounds_s": [round(s, 2) for s in times[name[v]]]}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
