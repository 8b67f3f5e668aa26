"""Crash consistency: `qa ingest` killed with SIGKILL at random moments never leaves the index
inconsistent once a writer reopens it, and an uninterrupted re-run converges to the same state as a
clean ingest of the same files.

Checks after every kill (a writer opens the index, which reconciles a dirty one):
Chroma ids == registry chunk ids == lexical ids, no duplicate chunk id, every chunk of every
registered document has its vector (also reachable through the HNSW index, not just the metadata
table). Seeded RNG; `SOAK_KILLS=200` runs a longer soak (`make soak`).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
QA = Path(sys.executable).parent / "qa"
KILLS = int(os.environ.get("SOAK_KILLS", "20"))
SEED = int(os.environ.get("SOAK_SEED", "20261123"))
N_DOCS = 200

pytestmark = pytest.mark.skipif(not QA.exists(), reason="needs the qa CLI in the venv")


def _sentences() -> list[str]:
    out: list[str] = []
    for f in sorted(SAMPLE_DIR.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            out += [s.strip() for s in re.split(r"(?<=[.;])\s+", line) if len(s.strip()) > 40]
    return out


def _vary(sentence: str, rng: random.Random) -> str:
    """Same words, other numbers: doc numbers and dates stay well-formed."""
    return re.sub(r"\d+", lambda m: str(rng.randint(1, 99 if len(m.group()) < 3 else 2030)), sentence)


def write_doc(folder: Path, i: int, rng: random.Random, sentences: list[str]) -> None:
    body = [_vary(s, rng) for s in rng.sample(sentences, rng.randint(3, 9))]
    title = f"Kế hoạch số {i}-KH/UBND về {rng.choice(['chuyển đổi số', 'đối ngoại nhân dân', 'cải cách hành chính'])}"
    text = f"{title}\n\nNgày {rng.randint(1, 28)}/{rng.randint(1, 12)}/20{rng.randint(10, 25)}\n\n" + "\n\n".join(body)
    (folder / f"van_ban_{i:04d}.txt").write_text(text + f"\n\nMã {i}-{rng.random():.6f}\n", encoding="utf-8")


def make_corpus(folder: Path, rng: random.Random) -> list[str]:
    folder.mkdir(parents=True)
    sentences = _sentences()
    for i in range(N_DOCS):
        write_doc(folder, i, rng, sentences)
    # the same content under a second name: indexed once, the twin is skipped
    for i in range(3):
        (folder / f"ban_sao_{i}.txt").write_bytes((folder / f"van_ban_{i:04d}.txt").read_bytes())
    return sentences


def env_for(data_dir: Path, **shared: str) -> dict[str, str]:
    """`shared`: QA_DATABASE_URL / QA_CHROMA_URL for the PostgreSQL + Chroma server configuration."""
    return {**os.environ, "QA_EMBEDDINGS": "fake", "QA_DATA_DIR": str(data_dir), "QA_LOG_LEVEL": "WARNING",
            "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", **shared}


def run_ingest(corpus: Path, data_dir: Path, cwd: Path) -> float:
    started = time.monotonic()
    proc = subprocess.run([str(QA), "ingest", str(corpus), "--json"], env=env_for(data_dir), cwd=cwd,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    return time.monotonic() - started


def _open(data_dir: Path, shared: dict[str, str]) -> Any:
    from chromadb.api.client import SharedSystemClient

    from qa_service.service import build_store
    from qa_service.settings import Settings

    SharedSystemClient.clear_system_cache()  # another process wrote: no cached Chroma segments
    return build_store(Settings(_env_file=None, data_dir=data_dir, embeddings="fake",  # type: ignore[call-arg]
                                database_url=shared.get("QA_DATABASE_URL"), chroma_url=shared.get("QA_CHROMA_URL")))


def _wal_stamp(data_dir: Path, shared: dict[str, str]) -> tuple[Any, ...]:
    """Changes once the writer touches the registry: the SQLite WAL file, or PostgreSQL's rows."""
    if "QA_DATABASE_URL" in shared:
        import psycopg

        with psycopg.connect(shared["QA_DATABASE_URL"]) as conn:
            try:
                return tuple(conn.execute("SELECT (SELECT string_agg(key || value, ',' ORDER BY key) FROM meta), "
                                          "(SELECT COUNT(*) FROM embedding_cache)").fetchone() or ())
            except psycopg.errors.UndefinedTable:
                return ()
    try:
        st = (data_dir / "registry.sqlite3-wal").stat()
        return st.st_mtime_ns, st.st_size
    except FileNotFoundError:
        return 0, 0


def check_consistent(data_dir: Path, shared: dict[str, str] | None = None) -> tuple[set[str], set[str]]:
    """Open as the next writer would, then compare the three parts. Returns (doc ids, chunk ids)."""
    store = _open(data_dir, shared or {})
    try:
        with store.writer_lock:
            store.open_for_writing()
        assert store.registry.get_meta("dirty") != "1"
        reg_ids = store.registry.chunk_ids()
        assert len(reg_ids) == len(set(reg_ids)), "duplicate chunk ids in the registry"
        chroma_ids = store.collection.get(include=[])["ids"]
        assert len(chroma_ids) == len(set(chroma_ids)), "duplicate ids in Chroma"
        missing, extra = set(reg_ids) - set(chroma_ids), set(chroma_ids) - set(reg_ids)
        assert not missing and not extra, f"Chroma ≠ registry: {len(missing)} missing, {len(extra)} extra"
        store.refresh()
        lexical = store._lexical.chunk_ids
        assert len(lexical) == len(set(lexical)) and set(lexical) == set(reg_ids), "lexical ≠ registry"
        docs = store.documents()
        per_doc = Counter(c.doc_id for c in store.registry.chunks())
        for doc_id, rec in docs.items():
            assert per_doc[doc_id] == rec.chunk_count > 0, f"{doc_id}: registered without its chunks"
        assert set(per_doc) <= set(docs), "chunks of an unregistered document"
        if reg_ids:  # each registered chunk has its vector and its document's metadata in Chroma
            got = store.collection.get(ids=reg_ids, include=["embeddings", "metadatas"])
            owner = {c.chunk_id: c.doc_id for c in store.registry.chunks()}
            assert len(got["ids"]) == len(reg_ids) and len(got["embeddings"]) == len(reg_ids)
            assert all(m["doc_id"] == owner[cid] for cid, m in zip(got["ids"], got["metadatas"], strict=True))
        if reg_ids:  # every vector is searchable, not only stored
            vec = store.embeddings.embed_query("kế hoạch chuyển đổi số")
            res = store.collection.query(query_embeddings=[vec], n_results=len(reg_ids), include=[])
            assert len(res["ids"][0]) == len(reg_ids)
        return set(docs), set(reg_ids)
    finally:
        store.close()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_sigkill_during_ingest_leaves_a_consistent_index(tmp_path: Path, engine: str,
                                                         request: pytest.FixtureRequest) -> None:
    """Embedded (SQLite registry, embedded Chroma), then shared (PostgreSQL registry + advisory lock, a
    `chroma run` server): the same write order and reconcile() keep both consistent. The shared one takes a
    quarter of the kills (each round costs more) and is compared with a clean embedded ingest."""
    shared: dict[str, str] = {}
    kill_target = KILLS
    if engine == "postgresql":
        shared = {"QA_DATABASE_URL": request.getfixturevalue("pg_url"),
                  "QA_CHROMA_URL": request.getfixturevalue("chroma_url")}
        kill_target = max(5, KILLS // 4)
    rng = random.Random(SEED)
    corpus = tmp_path / "corpus"
    sentences = make_corpus(corpus, rng)
    data_dir = tmp_path / "index"

    kills = rounds = 0
    while kills < kill_target:
        rounds += 1
        assert rounds <= kill_target * 2 + 10, f"only {kills} kills landed in {rounds} rounds"
        if rounds > 1:  # give every run work: changed files replace chunks (stale-vector path)
            for i in rng.sample(range(N_DOCS), 12):
                write_doc(corpus, i, rng, sentences)
        before = _wal_stamp(data_dir, shared)
        started = time.monotonic()
        proc = subprocess.Popen([str(QA), "ingest", str(corpus)], env=env_for(data_dir, **shared), cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Interpreter start-up is most of a run: wait until the writer touches the registry, then
        # kill it a random moment later (mostly mid-write; sometimes in Chroma, sometimes between).
        deadline = time.monotonic() + 60
        while proc.poll() is None and _wal_stamp(data_dir, shared) == before and time.monotonic() < deadline:
            time.sleep(0.01)
        try:
            proc.wait(timeout=rng.uniform(0.0, 0.7))
            assert proc.returncode == 0
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
        t0 = time.monotonic()
        check_consistent(data_dir, shared)
        print(f"round {rounds}: kills {kills}, ran {t0 - started:.1f}s, check {time.monotonic() - t0:.1f}s")

    # the uninterrupted re-run, alongside a clean ingest of the same files into a fresh folder
    fresh = tmp_path / "fresh"
    runs = [subprocess.Popen([str(QA), "ingest", str(corpus)], env=env_for(d, **env), cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for d, env in ((data_dir, shared), (fresh, {}))]
    for p in runs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode(errors="replace")[-3000:]
    docs, chunks = check_consistent(data_dir, shared)
    fresh_docs, fresh_chunks = check_consistent(fresh)
    assert docs == fresh_docs and len(docs) >= N_DOCS
    assert chunks == fresh_chunks
    print(f"{kills} kills in {rounds} rounds; {len(docs)} docs, {len(chunks)} chunks")
