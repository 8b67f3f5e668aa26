"""Upload → visible to questions at a 100k-chunk index: the incremental lexical index vs the rebuild.

    python bench/lexical_write.py [--chunks 100000] [--uploads 5] [--corpus ../shared/corpus-bulk]

Chunks are real text: every document of `--corpus` cleaned and split by our splitter, then "variant"
copies (each chunk's sentences rotated, the copy number added) until `--chunks` is reached; tokens
are the analyzer's, with each document's first line as the chunk header, as `qa ingest` makes them.
Vectors are FAKE (`DeterministicFakeEmbedding`, 64 dimensions) so that building the index takes
minutes, not hours: Chroma still holds one vector per chunk and every write goes through it, but the
embedding time of a real model (~0.25 s per chunk of e5-small on this machine) is not in the numbers.

One run measures, on the same index:
- before: the write, then a bm25s rebuild from the registry (what `refresh()` did after every write);
- after: the same kind of write through `ingest_named` (the upload route's path), then the patch
  (`refresh()` → `LexicalIndex.apply`); "visible" is when a lexical search (and a second store, as
  another worker) finds the new document; the save of the index for the next process follows it;
- lexical query latency, bm25s index vs ours (merged, and with a delta and dead slots), same queries,
  and whether their top-10 lists agree;
- the merge (compaction) and a full build, for scale.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, RESULTS, ROOT, latency_summary, machine, rss_mb, write_json  # noqa: E402
from lexical_bm25s import LexicalIndex as Bm25sIndex  # noqa: E402

from ingestion.clean import clean_text  # noqa: E402
from ingestion.split import split_text  # noqa: E402
from ingestion.uploads import ingest_named  # noqa: E402
from vectorstore.analyzer import analyze  # noqa: E402
from vectorstore.registry import ChunkRecord, DocumentRecord  # noqa: E402
from vectorstore.store import IndexStore, PreparedDocument  # noqa: E402

_SENT = re.compile(r"(?<=[.;:!?])\s+")


def corpus_chunks(corpus: Path, target: int) -> list[tuple[str, str, list[str]]]:
    """(doc stem, header, chunk texts) per document, real ones first, then variant copies."""
    base: list[tuple[str, str, list[str]]] = []
    for f in sorted(corpus.glob("*.txt")):
        text = clean_text(f.read_text(encoding="utf-8", errors="replace"))
        pieces = [p.text for p in split_text(text)]
        if pieces:
            base.append((f.stem, text.strip().split("\n", 1)[0][:200], pieces))
    docs, total, r = list(base), sum(len(p) for _, _, p in base), 0
    while total < target:
        r += 1
        for stem, header, pieces in base:
            copies = []
            for i, p in enumerate(pieces):
                s = _SENT.split(p)
                k = random.Random(r * 7919 + i).randrange(len(s)) if len(s) > 1 else 0
                copies.append(" ".join(s[k:] + s[:k]) + f" (bản {r})")
            docs.append((f"{stem}-v{r}", f"{header} (bản {r})", copies))
            total += len(copies)
            if total >= target:
                break
    return docs


def prepared(stem: str, header: str, pieces: list[str]) -> PreparedDocument:
    text = "\n\n".join(pieces)
    rec = DocumentRecord(doc_id=stem, source=f"{stem}.txt", path=f"{stem}.txt", title=header, published=None,
                         content_hash=stem, text=text, metadata={}, ingested_at=time.time())
    chunks = [ChunkRecord(chunk_id=f"{stem}:{i}", doc_id=stem, ord=i, start=0, end=len(p), text=p, header=header,
                          tokens=analyze(f"{header}\n{p}")) for i, p in enumerate(pieces)]
    return PreparedDocument(rec, chunks)


def build_index(folder: Path, chunks: int, corpus: Path) -> tuple[IndexStore, dict[str, Any]]:
    from langchain_core.embeddings import DeterministicFakeEmbedding

    store = IndexStore(folder, DeterministicFakeEmbedding(size=64))
    info: dict[str, Any] = {}
    if store.registry.counts()[1] < chunks:
        started = time.perf_counter()
        docs = corpus_chunks(corpus, chunks)
        batch: list[PreparedDocument] = []
        for stem, header, pieces in docs:
            batch.append(prepared(stem, header, pieces))
            if sum(len(d.chunks) for d in batch) >= 2000:
                store.upsert_documents(batch)
                batch = []
        if batch:
            store.upsert_documents(batch)
        info["build_index_s"] = round(time.perf_counter() - started, 1)
    info["documents"], info["chunks"] = store.registry.counts()
    return store, info


def upload_text(token: str) -> bytes:
    """A new plan naming `token` (unique per run: the cached index keeps earlier runs' uploads)."""
    return (f"Kế hoạch số 900/KH-BENCH về thử nghiệm {token}\n\nỦy ban nhân dân tỉnh giao Sở Khoa học "
            f"và Công nghệ chủ trì triển khai kế hoạch {token}, báo cáo trước ngày 30/11/2026.\n\n"
            + " ".join(f"Nội dung thứ {j} của kế hoạch {token} được các sở, ngành phối hợp thực hiện." for j in range(40))
            ).encode()


def lexical_query_ms(index: Any, queries: list[list[str]], top: Any) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        top(index, q)
        out.append(time.perf_counter() - t)
    return out


def old_top(index: Bm25sIndex, tokens: list[str]) -> list[str]:
    """The old `IndexStore.lexical_search` body (scores, then argpartition top 50)."""
    import numpy as np

    scores = index.scores(tokens)
    if not len(scores):
        return []
    k = min(50, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [index.chunk_ids[i] for i in top if scores[i] > 0]


def new_top(index: Any, tokens: list[str]) -> list[str]:
    return [cid for cid, _ in index.top(tokens, 50)[0]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-bulk")
    parser.add_argument("--out", type=Path, default=RESULTS / "lexical_write.json")
    args = parser.parse_args()
    folder = CACHE / f"lexical-write-{args.chunks // 1000}k"
    shutil.rmtree(folder / "lexical", ignore_errors=True)  # the "after" full build is measured too
    store, info = build_index(folder, args.chunks, args.corpus)
    res: dict[str, Any] = {"machine": machine(), "index": info, "vectors": "fake (DeterministicFakeEmbedding, 64 dims)"}
    print(f"index: {info}", file=sys.stderr)

    t = time.perf_counter()
    store.refresh(persist=True)
    res["full_build_s"] = {"ours": round(time.perf_counter() - t, 2)}
    lex = store._lexical
    res["postings"] = int(lex.main.size + lex.delta.size)
    t = time.perf_counter()
    old = Bm25sIndex()
    old.build(store.registry.iter_tokens(), store.registry.version())
    res["full_build_s"]["bm25s"] = round(time.perf_counter() - t, 2)
    print(f"full builds: {res['full_build_s']}", file=sys.stderr)

    reader = IndexStore(folder, store.embeddings)  # another worker on the same index
    reader.refresh()
    requests = []
    for _ in range(args.uploads):  # the upload route's path: prepare, write, patch, save
        token = f"mabench{time.time_ns()}"
        t0 = time.perf_counter()
        summary = ingest_named(store, [(f"bench-upload-{token}.txt", upload_text(token))])
        requests.append(time.perf_counter() - t0)
        assert summary.outcomes[0].status == "added", summary.outcomes
        assert store.lexical_search([token], 3)[0], "not visible"
    steps: dict[str, list[float]] = {"write": [], "patch": [], "save": [], "other_worker": [], "bm25s_rebuild": []}
    for i in range(args.uploads):  # the same kind of write, each step timed on its own
        token = f"mabenchstep{time.time_ns()}"
        doc = prepared(token, f"Kế hoạch {token}", [f"{token} kế hoạch triển khai " * 20])
        t0 = time.perf_counter()
        store.upsert_documents([doc])
        t1 = time.perf_counter()
        store.refresh()  # what makes it visible: the patch and the swap
        t2 = time.perf_counter()
        assert store.lexical_search([token], 1)[0], "not visible"
        store._lexical.save(folder / "lexical")  # for the next process to start from
        t3 = time.perf_counter()
        assert reader.lexical_search([token], 1)[0], "other worker: not visible"
        steps["other_worker"].append(time.perf_counter() - t3)
        steps["write"].append(t1 - t0)
        steps["patch"].append(t2 - t1)
        steps["save"].append(t3 - t2)
        if i < 2:  # before: the rebuild every write used to cost
            t4 = time.perf_counter()
            rebuilt = Bm25sIndex()
            rebuilt.build(store.registry.iter_tokens(), store.registry.version())
            steps["bm25s_rebuild"].append(time.perf_counter() - t4)
            assert rebuilt.search([token], 1), "before: not visible"
        print(f"write {i}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in steps.items() if v), file=sys.stderr)
    med = {k: round(statistics.median(v), 3) for k, v in steps.items()}
    before, after = med["write"] + med["bm25s_rebuild"], med["write"] + med["patch"]
    res["upload_visible_s"] = {
        "before_write_plus_rebuild": round(before, 3), "after_visible": round(after, 3),
        "after_write": med["write"], "after_patch": med["patch"], "after_save": med["save"],
        "other_worker_catch_up": med["other_worker"], "bm25s_rebuild": med["bm25s_rebuild"],
        "ratio_before_over_after": round(before / after, 1),
        "upload_request_p50": round(statistics.median(requests), 3), "upload_request_max": round(max(requests), 3),
        "steps": steps,
    }

    rng = random.Random(13)
    chunk_texts = [c.text for c in store.registry.chunks(rng.sample(store.registry.chunk_ids(), args.queries))]
    queries = []
    for text in chunk_texts:
        words = text.split()
        start = rng.randrange(max(1, len(words) - 8))
        queries.append(analyze(" ".join(words[start:start + rng.randint(4, 10)]), mode="query"))
    current = store._lexical
    old = Bm25sIndex()
    old.build(store.registry.iter_tokens(), store.registry.version())
    t = time.perf_counter()
    merged = current.merged()
    merge_s = time.perf_counter() - t
    lexical_query_ms(old, queries[:20], old_top)  # warm numpy and the caches of the machine
    lat_old = latency_summary(lexical_query_ms(old, queries, old_top))
    # ours: a fresh snapshot (as after every write), then the same queries again (terms cached per snapshot)
    lat_new = latency_summary(lexical_query_ms(merged, queries, new_top))
    lat_warm = latency_summary(lexical_query_ms(merged, queries, new_top))
    # with a delta of ~2% of the index and as many dead slots (updates), as between two merges
    docs = sorted({cid.split(":")[0] for cid in store.registry.chunk_ids()})[:40]
    rows = [(f"{cid}'", doc, toks) for cid, doc, toks in store.registry.iter_chunk_tokens(docs)]
    churned = merged.apply(docs, rows, merged.version + 1)
    lat_delta = latency_summary(lexical_query_ms(churned, queries, new_top))
    agree = sum(old_top(old, q)[:10] == new_top(merged, q)[:10] for q in queries)
    res["lexical_query"] = {
        "queries": len(queries), "bm25s": lat_old, "ours_merged": lat_new, "ours_merged_repeated": lat_warm,
        "ours_with_delta": lat_delta,
        "delta_slots": len(churned.slot_ids) - churned.n_main, "dead_slots": int((~churned.live).sum()),
        "p50_ratio_ours_over_bm25s": round(lat_new["p50_ms"] / lat_old["p50_ms"], 2),
        "p95_ratio_ours_over_bm25s": round(lat_new["p95_ms"] / lat_old["p95_ms"], 2),
        "p50_ratio_with_delta_over_bm25s": round(lat_delta["p50_ms"] / lat_old["p50_ms"], 2),
        "p50_ratio_repeated_over_bm25s": round(lat_warm["p50_ms"] / lat_old["p50_ms"], 2),
        "top10_identical_to_bm25s": f"{agree}/{len(queries)}",
    }
    res["merge_s"] = round(merge_s, 2)
    res["rss_mb"] = round(rss_mb())
    reader.close()
    store.close()
    write_json(args.out, res)
    print("\n".join(lexical_md(res)))


def lexical_md(res: dict[str, Any]) -> list[str]:
    u, q = res["upload_visible_s"], res["lexical_query"]
    return [
        f"## Upload → visible at {res['index']['chunks']:,} chunks (lexical index; vectors {res['vectors']})", "",
        "| | before (bm25s rebuild) | after (incremental) | before/after |", "| --- | ---: | ---: | ---: |",
        f"| write → visible to questions, s | {u['before_write_plus_rebuild']} | {u['after_visible']} "
        f"(write {u['after_write']} + patch {u['after_patch']}) | {u['ratio_before_over_after']}× |",
        f"| upload request (prepare, write, patch, save), p50 s | | {u['upload_request_p50']} | |",
        f"| another worker catches up, s | {u['bm25s_rebuild']} (rebuild) | {u['other_worker_catch_up']} | |",
        f"| full build, s | {res['full_build_s']['bm25s']} | {res['full_build_s']['ours']} | |",
        f"| lexical query p50 / p95, ms | {q['bm25s']['p50_ms']} / {q['bm25s']['p95_ms']} | "
        f"{q['ours_merged']['p50_ms']} / {q['ours_merged']['p95_ms']} (new snapshot) | ours/bm25s {q['p50_ratio_ours_over_bm25s']} / "
        f"{q['p95_ratio_ours_over_bm25s']} |",
        f"| … the same queries again (terms cached per snapshot), p50 / p95 ms | | {q['ours_merged_repeated']['p50_ms']} / "
        f"{q['ours_merged_repeated']['p95_ms']} | ours/bm25s {q['p50_ratio_repeated_over_bm25s']} (p50) |",
        f"| … with a delta ({q['delta_slots']} slots, {q['dead_slots']} dead), p50 / p95 ms | | "
        f"{q['ours_with_delta']['p50_ms']} / {q['ours_with_delta']['p95_ms']} | |", "",
        f"Top-10 identical to bm25s' on {q['top10_identical_to_bm25s']} queries; merge (compaction) {res['merge_s']} s; "
        f"{res['postings']:,} postings; save after a write {u['after_save']} s (main segment hard-linked).", "",
    ]


if __name__ == "__main__":
    main()
