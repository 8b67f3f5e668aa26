"""Run every benchmark and write `bench/results/*.json` plus one markdown summary (`make bench`).

    python bench/run_all.py [--datasets ../shared/datasets] [--quick] [--only retrieval|perf|lexical|bulk]
                            [--bulk] [--report-only]

Steps: `embed_pool.py` (e5 vectors of the ALQAC articles, cached: slow once, ~1 min after),
`retrieval.py`, `perf.py`, `lexical_write.py` (upload → visible at 100k chunks, ~10 min); with
`--bulk` (or `--only bulk`) also `bulk_perf.py`, real official
documents from `../shared/corpus-bulk` with real models on both sides (~20-25 min on 2 cores).
`--report-only` rebuilds `bench/results/summary.md` from the JSON
already there. Each step is a child process, so one failing does not lose the others' results.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_DATASETS, RESULTS, ROOT  # noqa: E402
from lexical_write import lexical_md  # noqa: E402

BENCH = ROOT / "bench"


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return str(v)


def retrieval_md(res: dict[str, Any]) -> list[str]:
    out = ["## Retrieval quality: ALQAC 2023 (article level)", ""]
    for name, corpus in res["corpora"].items():
        laws = corpus.get("law_names", [])
        out.append(f"**Corpus `{name}`**: {corpus['articles']} articles of {len(laws)} laws, "
                   f"{corpus.get('questions', '?')} questions; our chunks {corpus.get('our_chunks', '?')}, "
                   f"baseline chunks {corpus.get('baseline_chunks', '?')}.")
        out += ["", "| system | recall@1 | recall@5 | MRR | ms/query |", "| --- | ---: | ---: | ---: | ---: |"]
        for sys_name, row in corpus["systems"].items():
            out.append(f"| {sys_name} | {_fmt(row['recall@1'])} | {_fmt(row['recall@5'])} | {_fmt(row['mrr'])} | "
                       f"{_fmt(row.get('ms_per_query'))} |")
        if "fusions_offline" in corpus:
            out += ["", "Fusion variants on the same candidates (recall@1 / recall@5 / MRR):", "",
                    "| w (lexical) | min-max | z-score | RRF |", "| --- | --- | --- | --- |"]
            fus = corpus["fusions_offline"]
            weights = sorted({k.split("w=")[1] for k in fus}, key=float)
            for w in weights:
                cells = []
                for kind in ("minmax", "zscore", "rrf"):
                    r = fus.get(f"{kind} w={w}")
                    cells.append(f"{r['recall@1']:.2f} / {r['recall@5']:.2f} / {r['mrr']:.3f}" if r else "–")
                out.append(f"| {w} | " + " | ".join(cells) + " |")
            out += ["", f"Best: `{corpus['best_fusion']['name']}`."]
        out.append("")
    return out


def perf_md(res: dict[str, Any]) -> list[str]:
    m = res["machine"]
    out = ["## Performance (ours vs the LangChain tutorial baseline)", "",
           f"Machine: {m['cpus']} cores, {m['mem_gb']} GB, Python {m['python']}, {m['date']} (shared, noisy: "
           "compare ratios from the same run).", ""]
    for name, c in res["corpora"].items():
        i, q = c["ingest"], c["query_in_process"]
        out += [f"### {name} ({c['document_vectors']})", "",
                "| metric | ours | baseline | ours/baseline |", "| --- | ---: | ---: | ---: |"]
        r = c.get("ratios_ours_over_baseline", {})
        rows = [
            ("chunks", i["ours"]["chunks"], i["baseline"]["chunks"], None),
            ("ingest chunks/s", i["ours"]["chunks_per_s"], i["baseline"]["chunks_per_s"], r.get("ingest_chunks_per_s")),
            ("ingest seconds", i["ours"]["ingest_s"], i["baseline"]["ingest_s"], r.get("ingest_seconds")),
            ("re-ingest unchanged, seconds", i["ours"]["reingest_s"], i["baseline"]["reingest_s"], r.get("reingest_seconds")),
            ("re-ingest speed-up vs first ingest (×)", i["ours"]["reingest_speedup"], i["baseline"]["reingest_speedup"], None),
            ("ingest peak RSS MB", i["ours"]["peak_rss_mb"], i["baseline"]["peak_rss_mb"], None),
            ("query p50 ms (ours: full `service.chat`; baseline: similarity_search k=4)",
             q["ours"]["chat"]["p50_ms"], q["baseline"]["similarity_search_k4"]["p50_ms"], r.get("query_p50")),
            ("query p95 ms", q["ours"]["chat"]["p95_ms"], q["baseline"]["similarity_search_k4"]["p95_ms"], r.get("query_p95")),
            ("  ours: e5 query embedding p50 / p95 ms", f"{q['ours']['embed_query']['p50_ms']} / {q['ours']['embed_query']['p95_ms']}", "", None),
            ("  ours: BM25 search p50 / p95 ms", f"{q['ours']['lexical_search']['p50_ms']} / {q['ours']['lexical_search']['p95_ms']}", "", None),
            ("  ours: hybrid retrieval excl. embedding p50 / p95 ms", f"{q['ours']['retrieve_hybrid_excl_embedding']['p50_ms']} / {q['ours']['retrieve_hybrid_excl_embedding']['p95_ms']}", "", None),
            ("  ours: `service.chat`, repeated question (cached query vector) p50 / p95 ms", f"{q['ours']['chat_repeated_question']['p50_ms']} / {q['ours']['chat_repeated_question']['p95_ms']}", "", None),
            ("query process peak RSS MB", q["ours"]["peak_rss_mb"], q["baseline"]["peak_rss_mb"], r.get("query_peak_rss")),
        ]
        if "http" in c:
            o, b = c["http"]["ours"], c["http"]["baseline"]
            rows.append(("start-up to /readyz s", o["startup_to_readyz_s"], b["startup_to_readyz_s"], r.get("startup")))
            for k in o:
                if k.startswith("clients_"):
                    n = k.split("_")[1]
                    rows.append((f"HTTP {n} clients p50 / p95 ms", f"{o[k]['p50_ms']} / {o[k]['p95_ms']}",
                                 f"{b[k]['p50_ms']} / {b[k]['p95_ms']}", r.get(f"http_p95_{k}")))
                    rows.append((f"HTTP {n} clients req/s (errors)", f"{o[k]['req_per_s']} ({o[k]['errors']})",
                                 f"{b[k]['req_per_s']} ({b[k]['errors']})", None))
            rows.append(("server peak RSS MB", o["server_peak_rss_mb"], b["server_peak_rss_mb"], r.get("server_peak_rss")))
        for label, a, b_, ratio in rows:
            out.append(f"| {label} | {_fmt(a)} | {_fmt(b_)} | {_fmt(ratio)} |")
        if "generated" in c:
            g = c["generated"]
            out.append(f"\nScale corpus: {g['files']} files, {g['chars']:,} characters, {g['copies']} pass(es) over the "
                       "public texts (see bench/README.md).")
        out.append("")
    return out


def bulk_md(res: dict[str, Any]) -> list[str]:
    out = perf_md(res)
    out[0] = "## Real official documents, corpus-bulk subset (ours vs the LangChain tutorial baseline)"
    for name, c in res["corpora"].items():
        s, ix, r = c["subset"], c["index_mb"], c.get("ratios_ours_over_baseline", {})
        out += [f"{name}: {s['files']} documents ({s['chars']:,} characters; {s['by_prefix']}), seed {s['seed']}; "
                f"{c['questions']} in-process questions ({c['questions_from_heldout_set']} from the held-out bulk set, "
                f"{c['questions_generated_from_sentences']} made from sentences), {c.get('http_questions', 0)} more for HTTP.",
                "", f"Index on disk, MB: ours {ix['ours']} (vacuumed copy {ix['ours_vacuumed']}), "
                f"tutorial {ix['baseline']} (vacuumed copy {ix['baseline_vacuumed']}); ours/tutorial "
                f"{_fmt(r.get('index_mb_vacuumed'))} (vacuumed).", ""]
    if "fake_ingest" in res:
        f = res["fake_ingest"]
        o, b, r = f["ingest"]["ours"], f["ingest"]["baseline"], f["ratios_ours_over_baseline"]
        out += [f"### {f['label']}: ingest only, {f['document_vectors']}", "",
                f"{f['subset']['files']} documents, {f['subset']['chars']:,} characters.", "",
                "| metric | ours | baseline | ours/baseline |", "| --- | ---: | ---: | ---: |",
                f"| chunks | {o['chunks']} | {b['chunks']} | |",
                f"| ingest seconds (chunks/s) | {o['ingest_s']} ({o['chunks_per_s']}) | {b['ingest_s']} "
                f"({b['chunks_per_s']}) | {_fmt(r['ingest_seconds'])} |",
                f"| re-ingest unchanged, seconds | {o['reingest_s']} | {b['reingest_s']} | {_fmt(r['reingest_seconds'])} |",
                f"| ingest peak RSS MB | {o['peak_rss_mb']} | {b['peak_rss_mb']} | |",
                f"| index MB (vacuumed copy) | {o['index_mb_vacuumed']} | {b['index_mb_vacuumed']} | "
                f"{_fmt(r['index_mb_vacuumed'])} |", ""]
    return out


def write_summary() -> Path:
    lines = ["# Benchmark results", ""]
    for name, render in (("retrieval.json", retrieval_md), ("perf.json", perf_md), ("lexical_write.json", lexical_md),
                         ("bulk.json", bulk_md)):
        path = RESULTS / name
        if path.exists():
            lines += render(json.loads(path.read_text()))
    out = RESULTS / "summary.md"
    out.write_text("\n".join(lines) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--only", choices=("retrieval", "perf", "lexical", "bulk"))
    parser.add_argument("--bulk", action="store_true",
                        help="also bench/bulk_perf.py: real documents of ../shared/corpus-bulk, real models (~20-25 min)")
    parser.add_argument("--fake-docs", type=int, default=1000,
                        help="bulk_perf.py's ingest-only point with fake vectors, documents (0: off)")
    parser.add_argument("--quick", action="store_true", help="perf smoke test (few queries, 1 and 4 clients)")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--no-embed", action="store_true",
                        help="skip bench/embed_pool.py (e5 vectors for ALQAC; slow the first time, ~1 min when cached)")
    args = parser.parse_args()
    failed = []
    if not args.report_only:
        steps = {
            "embed": [sys.executable, str(BENCH / "embed_pool.py"), "--datasets", str(args.datasets), "--workers", "2"],
            "retrieval": [sys.executable, str(BENCH / "retrieval.py"), "--datasets", str(args.datasets)],
            "perf": [sys.executable, str(BENCH / "perf.py"), "--datasets", str(args.datasets),
                     *(["--quick"] if args.quick else [])],
            "lexical": [sys.executable, str(BENCH / "lexical_write.py"),
                        *(["--chunks", "20000", "--uploads", "3"] if args.quick else [])],
            "bulk": [sys.executable, str(BENCH / "bulk_perf.py"),
                     *(["--quick"] if args.quick else ["--fake-docs", str(args.fake_docs)])],
        }
        for name, cmd in steps.items():
            if args.only and name != args.only and not (name == "embed" and args.only == "retrieval"):
                continue
            if name == "embed" and args.no_embed:
                continue
            if name == "bulk" and not (args.bulk or args.only == "bulk"):
                continue
            print(f"== {name}: {' '.join(cmd)}", file=sys.stderr, flush=True)
            if subprocess.run(cmd, cwd=ROOT).returncode != 0:
                failed.append(name)
    print(f"wrote {write_summary()}", file=sys.stderr)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
