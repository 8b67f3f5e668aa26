"""Public-benchmark evaluation: article-level recall@1/5, MRR and answer containment, with timings.

    .venv/bin/python bench/eval_public.py alqac23 [--datasets ../shared/datasets] [--embeddings e5-small]
        [--limit 200] [--no-answers] [--retrieval-mode hybrid|lexical|dense] [--out bench/results/x.json]

The data is read where it lies (never copied into the repository); the index is built once under
`bench/.cache/eval_public/<benchmark>-<embeddings>-<mode>/` and reused (ingestion is idempotent).
Reference points (plain BM25, from datasets/README.md): ALQAC recall@1 0.71 / @5 0.94; ViNewsQA
0.66 / 0.82; ViQuAD 0.72 / 0.90 (those used dev+test; these runs use the dev split only).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from public_data import BENCHMARKS, DatasetMissingError, load_benchmark  # noqa: E402
from public_score import ingest_benchmark, run_benchmark  # noqa: E402

DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("benchmark", choices=BENCHMARKS)
    p.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS, help="folder with alqac23/ vinewsqa/ viquad1/")
    p.add_argument("--embeddings", default="e5-small", choices=["e5-small", "sentence-transformers", "fake"])
    p.add_argument("--retrieval-mode", default="hybrid", choices=["hybrid", "lexical", "dense"])
    p.add_argument("--data-dir", type=Path, help="index folder (default under bench/.cache/eval_public/)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--no-answers", action="store_true", help="retrieval only (skip the chat/answer path)")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--out", type=Path, help="result JSON (default bench/results/eval_public-<benchmark>-….json)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        benchmark = load_benchmark(args.benchmark, args.datasets)
    except DatasetMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    tag = f"{args.benchmark}-{args.embeddings}-{args.retrieval_mode}"
    data_dir = args.data_dir or ROOT / "bench" / ".cache" / "eval_public" / tag

    from qa_service.service import build_service
    from qa_service.settings import Settings

    settings = Settings(
        data_dir=data_dir, embeddings=args.embeddings, retrieval_mode=args.retrieval_mode, conversation_max_turns=1
    )
    started = time.perf_counter()
    service = build_service(settings)
    load_seconds = time.perf_counter() - started
    try:
        ingest = ingest_benchmark(service.store, benchmark, progress=not args.no_progress)
        summary, scores = run_benchmark(
            service, benchmark, answers=not args.no_answers, limit=args.limit, progress=not args.no_progress
        )
    finally:
        service.close()
    result = {
        "summary": summary,
        "ingest": ingest,
        "service_load_seconds": round(load_seconds, 2),
        "settings": {
            "embeddings": args.embeddings,
            "retrieval_mode": args.retrieval_mode,
            "lexical_weight": settings.lexical_weight,
            "answerer": settings.answerer,
            "data_dir": str(data_dir),
        },
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "questions": [s.__dict__ for s in scores],
    }
    out = args.out or ROOT / "bench" / "results" / f"eval_public-{tag}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    keys = ["recall@1", "recall@5", "mrr", "group_recall@1", "group_recall@5", "context_containment@5",
            "answer_containment", "abstain_rate", "retrieval_ms_p50", "answer_ms_p50"]  # fmt: skip
    shown = "  ".join(f"{k}={summary[k]:.3f}" if isinstance(summary[k], float) else f"{k}=n/a" for k in keys)
    print(f"{tag}: {summary['questions']}/{summary['questions_total']} questions in {summary['seconds']} s "
          f"(ingest {ingest['seconds']} s)\n{shown}\n-> {out}")  # fmt: skip
    return 130 if summary["interrupted"] else 0


if __name__ == "__main__":
    sys.exit(main())
