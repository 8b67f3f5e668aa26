"""Real-document scale: ours vs the LangChain tutorial on official documents from `corpus-bulk`.

    python bench/bulk_perf.py [--bulk ../shared/corpus-bulk] [--docs 150] [--queries 200]
                              [--fake-docs 0] [--skip-http] [--out bench/results/bulk.json]

Corpus: a fixed subset of `corpus-bulk` (~3,000 official Vietnamese documents, .txt): the
documents of our held-out bulk set (`eval/testsets/bulk_heldout_files.txt`, so its questions have
their documents in the index), topped up to `--docs` by a seeded random draw (seed 13) from the
rest. The files are *linked* (symlinks) into `bench/.cache/bulk-<n>/docs/` (git-ignored), never
copied into the repository. Both systems ingest that folder with their **real models** (e5-small
for us, all-MiniLM-L6-v2 for the tutorial): embedding is most of the ingest time here, which is
why the subset is small (see bench/README.md).

Questions, none written by a model:
- the held-out bulk set's questions (`eval/testsets/bulk_heldout.jsonl`, written against these
  documents), first;
- then questions made deterministically from the documents' own sentences (seeded): a sentence of
  10-40 words (mostly letters, not a heading in capitals, starting with a capitalised word), its first 6-14 words, and one of a few fixed Vietnamese question endings
  ("... là gì?", "... như thế nào?", ...). They are for load, not for grading answers: the same
  words a user would type about that document, so BM25, e5 and the answerer do their usual work.
Every in-process and HTTP question is distinct (the e5 query-vector cache stays cold).

Stages, server start-up and the HTTP load generator are those of `bench/perf.py` (`run_corpus`),
so every number means what it means there; added here: index size on disk for both systems and
the subset's description. `--fake-docs N` adds an ingest-only point on a larger seeded subset with
fake document vectors for both (perf.py's fake mode: everything but the model).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, RESULTS, ROOT, machine, write_json  # noqa: E402
from perf import ratio, run_corpus, run_stage  # noqa: E402

DEFAULT_BULK = ROOT.parent / "shared" / "corpus-bulk"
HELDOUT_FILES = ROOT / "eval" / "testsets" / "bulk_heldout_files.txt"
HELDOUT_QUESTIONS = ROOT / "eval" / "testsets" / "bulk_heldout.jsonl"
SEED = 13
ENDINGS = ("là gì?", "như thế nào?", "được quy định ra sao?", "gồm những gì?", "thì sao?")


def select_documents(bulk: Path, n: int, seed: int = SEED, include_heldout: bool = True) -> list[Path]:
    """The held-out set's documents present in `bulk`, then a seeded draw from the others, up to n."""
    every = sorted(p for p in bulk.glob("*.txt") if p.is_file())
    names = {p.name for p in every}
    fixed: list[Path] = []
    if include_heldout and HELDOUT_FILES.exists():
        fixed = [bulk / f for f in HELDOUT_FILES.read_text().split() if f in names][:n]
    taken = set(fixed)
    rest = [p for p in every if p not in taken]
    return fixed + random.Random(seed).sample(rest, max(0, min(n - len(fixed), len(rest))))


def link_corpus(files: list[Path], out: Path) -> dict[str, Any]:
    """Symlink the files into out/docs (rebuilt when the selection changed); describe the subset."""
    docs = out / "docs"
    wanted = sorted(f.name for f in files)
    manifest = out / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()).get("files_list") == wanted and docs.exists():
        meta: dict[str, Any] = json.loads(manifest.read_text())
        return meta
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    chars = 0
    kinds: dict[str, int] = {}
    for f in files:
        (docs / f.name).symlink_to(f.resolve())
        chars += len(f.read_text(encoding="utf-8", errors="replace"))
        kinds[f.name.split("-")[0]] = kinds.get(f.name.split("-")[0], 0) + 1
    meta = {"files": len(files), "chars": chars, "by_prefix": kinds, "seed": SEED, "files_list": wanted}
    manifest.write_text(json.dumps(meta))
    return meta


_SENT_END = re.compile(r"(?<=[.;:?!])\s+")
_WORD = re.compile(r"\S+")


def sentence_questions(files: list[Path], n: int, seed: int = SEED) -> list[str]:
    """Deterministic questions from the documents' sentences (see the module docstring)."""
    rng = random.Random(seed)
    pools: list[list[list[str]]] = []
    for f in files:
        text = re.sub(r"\s+", " ", f.read_text(encoding="utf-8", errors="replace"))
        sents: list[list[str]] = []
        for s in _SENT_END.split(text):
            words = _WORD.findall(s)
            letters = sum(ch.isalpha() for ch in s)
            upper = sum(ch.isupper() for ch in s)
            if (10 <= len(words) <= 40 and letters > 0.8 * len(s.replace(" ", "")) and upper < 0.15 * letters
                    and words[0][:1].isupper() and words[0].isalpha()):
                sents.append(words)
        if sents:
            pools.append(sents)
    out: list[str] = []
    seen: set[str] = set()
    rounds = 0
    while len(out) < n and pools and rounds < 50:
        rounds += 1
        for doc_sents in pools:  # round-robin over documents: questions spread over the whole subset
            words = rng.choice(doc_sents)
            k = rng.randint(6, min(14, len(words) - 1))
            head = " ".join(words[:k]).rstrip(",;:.")
            q = f"{head[:1].upper()}{head[1:]} {rng.choice(ENDINGS)}"
            if q not in seen:
                seen.add(q)
                out.append(q)
            if len(out) >= n:
                break
    return out


def heldout_questions(names: set[str]) -> list[str]:
    out = []
    for line in HELDOUT_QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold = row.get("gold_sources") or []
            if all(g in names for g in gold) and not row.get("history"):
                out.append(row["question"])
    return out


def dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def vacuumed_mb(path: Path) -> float:
    """Size of a copy of the folder with every SQLite file VACUUMed.

    The tutorial's stage ingests a second time into a scratch collection and deletes it, which
    leaves free pages in Chroma's SQLite file; ours has a registry and Chroma of its own. Measured
    on a copy so neither index is touched.
    """
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        copy = Path(tmp) / "copy"
        shutil.copytree(path, copy)
        for db in copy.rglob("*.sqlite3"):
            con = sqlite3.connect(db)
            con.execute("VACUUM")
            con.close()
        return dir_mb(copy)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bulk", type=Path, default=DEFAULT_BULK)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--docs", type=int, default=150, help="documents in the real-model subset")
    parser.add_argument("--queries", type=int, default=200, help="in-process questions")
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--fake-docs", type=int, default=0,
                        help="also an ingest-only point on this many documents with fake vectors (0: off)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smoke test: 30 documents, 20 questions, 1 and 4 clients")
    parser.add_argument("--out", type=Path, default=RESULTS / "bulk.json")
    args = parser.parse_args(argv)
    if not args.bulk.is_dir():
        raise SystemExit(f"{args.bulk} is not here (corpus-bulk is read in place, never copied)")
    levels: tuple[int, ...] | None = None if args.skip_http else ((1, 4) if args.quick else (1, 8, 32))
    if args.quick:
        args.docs, args.queries, args.per_client = 30, 20, 3

    results: dict[str, Any] = {"machine": machine(), "corpora": {}}
    files = select_documents(args.bulk, args.docs)
    tag = f"bulk-{len(files)}"
    work = args.cache / tag
    meta = link_corpus(files, work)
    names = {f.name for f in files}
    real_q = heldout_questions(names)
    http_needed = 10 + sum(max(6 * args.per_client, args.per_client * c) for c in (levels or ()))
    generated = sentence_questions(files, args.queries + http_needed)
    questions = (real_q + generated)[: args.queries]
    http_q = [q for q in generated if q not in set(questions)][:http_needed] or questions
    res = run_corpus(tag, work / "docs", work, questions, True, levels, per_client=args.per_client,
                     http_questions=http_q)
    res["subset"] = {k: v for k, v in meta.items() if k != "files_list"}
    res["questions_from_heldout_set"] = min(len(real_q), len(questions))
    res["questions_generated_from_sentences"] = len(questions) - res["questions_from_heldout_set"]
    res["index_mb"] = {"ours": dir_mb(work / "ours"), "baseline": dir_mb(work / "baseline"),
                       "ours_vacuumed": vacuumed_mb(work / "ours"), "baseline_vacuumed": vacuumed_mb(work / "baseline")}
    res["ratios_ours_over_baseline"]["index_mb_vacuumed"] = ratio(res["index_mb"]["ours_vacuumed"],
                                                                  res["index_mb"]["baseline_vacuumed"])
    results["corpora"][tag] = res
    write_json(args.out, results)

    if args.fake_docs:
        big = select_documents(args.bulk, args.fake_docs)
        ftag = f"bulk-{len(big)}-fake"
        fwork = args.cache / ftag
        fmeta = link_corpus(big, fwork)
        ing = {
            "ours": run_stage("ingest-ours", {"label": ftag, "corpus": str(fwork / "docs"),
                                              "index": str(fwork / "ours"), "embeddings": "fake"}),
            "baseline": run_stage("ingest-baseline", {"label": ftag, "corpus": str(fwork / "docs"),
                                                      "index": str(fwork / "baseline"), "embeddings": "fake"}),
        }
        ing["ours"]["index_mb_vacuumed"] = vacuumed_mb(fwork / "ours")
        ing["baseline"]["index_mb"] = dir_mb(fwork / "baseline")
        ing["baseline"]["index_mb_vacuumed"] = vacuumed_mb(fwork / "baseline")
        results["fake_ingest"] = {
            "label": ftag, "document_vectors": "fake (deterministic random 384-d)",
            "subset": {k: v for k, v in fmeta.items() if k != "files_list"}, "ingest": ing,
            "ratios_ours_over_baseline": {
                "ingest_seconds": ratio(ing["ours"]["ingest_s"], ing["baseline"]["ingest_s"]),
                "reingest_seconds": ratio(ing["ours"]["reingest_s"], ing["baseline"]["reingest_s"]),
                "index_mb_vacuumed": ratio(ing["ours"]["index_mb_vacuumed"], ing["baseline"]["index_mb_vacuumed"])},
        }
        write_json(args.out, results)
    print(f"wrote {args.out}", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
