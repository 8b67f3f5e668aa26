"""First ingest of ALQAC articles, real models: ours (one or more code trees) against the tutorial, same run.

    .venv/bin/python bench/alqac_ingest.py [--laws gold|all] [--rounds 1] [--code before=/tmp/old-tree ...]

Each ALQAC article becomes one .txt file (`Article.document_text()`, as `retrieval.py` ingests it);
then `perf.py`'s own ingest stages run in fresh processes: `ingest-ours` (e5-small) from every
`--code` tree given (default: this one), and `ingest-baseline` (the tutorial, MiniLM), interleaved
round after round so a busy machine hits them alike; `--fake` adds ours with fake vectors (everything but
the model). Reports seconds, chunks/s, and each ours over
the tutorial of the same round.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, DEFAULT_DATASETS, RESULTS, ROOT, load_alqac, machine  # noqa: E402


def write_corpus(datasets: Path, laws: str) -> Path:
    articles, questions = load_alqac(datasets)
    gold = {g.split("#")[0] for q in questions for g in q.gold}
    keep = [a for a in articles if laws == "all" or a.law_id in gold]
    folder = CACHE / f"alqac-docs-{laws}"
    folder.mkdir(parents=True, exist_ok=True)
    for i, a in enumerate(keep):
        (folder / f"{i:05d}.txt").write_text(a.document_text(), encoding="utf-8")
    return folder


def stage(code: Path, name: str, corpus: Path, index: Path, embeddings: str, runtime: str = "") -> dict[str, Any]:
    out = index.parent / f".{index.name}.json"
    params = {"corpus": str(corpus), "index": str(index), "embeddings": embeddings, "out": str(out)}
    env = {**os.environ, "PYTHONPATH": str(code)}
    if runtime:  # passages in static int8, graph built once into the bench cache (not timed)
        env |= {"QA_EMBEDDINGS_MODEL": runtime, "QA_MODEL_CACHE": str(CACHE / "product")}
    subprocess.run([sys.executable, str(code / "bench" / "perf.py"), "--stage", name, "--params", json.dumps(params)],
                   check=True, cwd=code, env=env)
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    ap.add_argument("--laws", choices=("gold", "all"), default="gold")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--code", nargs="+", default=[f"ours={ROOT}"], help="label=path of a code tree to run ours from")
    ap.add_argument("--fake", action="store_true", help="also ours with fake vectors: everything but the model")
    ap.add_argument("--int8p", action="store_true", help="also ours with QA_EMBEDDINGS_MODEL=onnx-int8p")
    ap.add_argument("--out", type=Path, default=RESULTS / "alqac_ingest.json")
    a = ap.parse_args()
    corpus = write_corpus(a.datasets, a.laws)
    trees = dict(c.split("=", 1) for c in a.code)
    if a.fake:
        trees["fake-vectors"] = str(ROOT)
    if a.int8p:
        trees["int8p"] = str(ROOT)
    runs: dict[str, list[dict[str, Any]]] = {}
    for r in range(a.rounds):
        base = stage(ROOT, "ingest-baseline", corpus, CACHE / "alqac-ingest-baseline", "minilm")
        runs.setdefault("tutorial", []).append(base)
        print(f"round {r} tutorial: {base['ingest_s']} s, {base['chunks']} chunks", file=sys.stderr, flush=True)
        for label, tree in trees.items():
            kind = "fake" if label == "fake-vectors" else "e5-small"
            res = stage(Path(tree), "ingest-ours", corpus, CACHE / f"alqac-ingest-{label}", kind,
                        "onnx-int8p" if label == "int8p" else "")
            res["over_tutorial_same_round"] = round(res["ingest_s"] / base["ingest_s"], 3)
            runs.setdefault(label, []).append(res)
            print(f"round {r} {label}: {res['ingest_s']} s, {res['chunks']} chunks, "
                  f"{res['over_tutorial_same_round']}x the tutorial", file=sys.stderr, flush=True)
    report = {"machine": machine(), "corpus": str(corpus), "files": len(list(corpus.glob("*.txt"))), "runs": runs,
              "median_ingest_s": {k: statistics.median(x["ingest_s"] for x in v) for k, v in runs.items()}}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report["median_ingest_s"]), file=sys.stderr)


if __name__ == "__main__":
    main()
