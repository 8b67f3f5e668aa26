"""vectorstore.lexical written to incrementally: after any sequence of adds, updates and deletes the
scores equal a from-scratch build's (and bm25s' own), through merges and a save/load, and a store
follows another writer's changes through the registry's change log instead of rebuilding."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import pytest

from vectorstore import lexical
from vectorstore.analyzer import analyze
from vectorstore.lexical import LexicalIndex
from vectorstore.registry import ChunkRecord, DocumentRecord
from vectorstore.store import IndexStore

WORDS = ["ban", "hành", "kế", "hoạch", "chỉ", "thị", "số", "12-CT/TW", "ủy", "ban", "nhân", "dân", "tỉnh", "thành", "phố", "sở", "tài", "chính", "chủ", "trì", "phối", "hợp", "báo", "cáo", "trước", "ngày", "30/11/2025", "triển", "khai", "thực", "hiện", "nhiệm", "vụ", "đối", "ngoại", "chuyển", "đổi", "số", "hành", "chính"]
QUERIES = ["kế hoạch chuyển đổi số", "sở tài chính chủ trì", "12-CT/TW", "báo cáo trước ngày 30/11/2025",
           "ủy ban nhân dân tỉnh phối hợp thực hiện nhiệm vụ", "đối ngoại", "không có"]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))


def _docs_after_script(seed: int, steps: int = 60) -> tuple[LexicalIndex, dict[str, list[tuple[str, list[str]]]]]:
    """Random adds, updates and deletes applied one at a time; returns the index and the truth."""
    rng = random.Random(seed)
    truth: dict[str, list[tuple[str, list[str]]]] = {}
    index = LexicalIndex()
    index.build([], 0)
    for version in range(1, steps + 1):
        doc = f"d{rng.randint(0, 25)}"
        if doc in truth and rng.random() < 0.3:
            del truth[doc]
            rows = []
        else:
            truth[doc] = [(f"{doc}:{version}:{i}", analyze(_text(rng))) for i in range(rng.randint(1, 4))]
            rows = [(cid, doc, toks) for cid, toks in truth[doc]]
        index = index.apply([doc], rows, version)
        if index.needs_merge:  # as the reader's background merge does
            index = index.merged()
    return index, truth


def _fresh(truth: dict[str, list[tuple[str, list[str]]]]) -> LexicalIndex:
    index = LexicalIndex()
    index.build([(cid, doc, toks) for doc, chunks in truth.items() for cid, toks in chunks], 99)
    return index


def _by_id(index: LexicalIndex, query: str) -> dict[str, float]:
    return dict(zip(index.chunk_ids, index.scores(analyze(query, mode="query")).tolist(), strict=True))


@pytest.mark.parametrize("merge_min", [10_000, 3])  # never merged / merged many times on the way
def test_incremental_equals_rebuild(monkeypatch: pytest.MonkeyPatch, merge_min: int) -> None:
    monkeypatch.setattr(lexical, "MERGE_MIN", merge_min)
    for seed in range(5):
        index, truth = _docs_after_script(seed)
        fresh = _fresh(truth)
        assert sorted(index.chunk_ids) == sorted(fresh.chunk_ids) and len(index) == len(fresh)
        for q in QUERIES:
            got, want = _by_id(index, q), _by_id(fresh, q)
            assert got.keys() == want.keys()
            np.testing.assert_allclose([got[c] for c in want], list(want.values()), rtol=1e-6)
            tokens = analyze(q, mode="query")
            assert [round(s, 4) for _, s in index.search(tokens, 10)] == [round(s, 4) for _, s in fresh.search(tokens, 10)]


def test_scores_equal_bm25s() -> None:
    """Same arithmetic as the bm25s index the project used before (lucene BM25, k1 1.2, b 0.75)."""
    _, truth = _docs_after_script(7)
    rows = [(cid, toks) for chunks in truth.values() for cid, toks in chunks]
    vocab: dict[str, int] = {}
    corpus = [[vocab.setdefault(t, len(vocab)) for t in (toks or [""])] for _, toks in rows]
    vocab.setdefault("", len(vocab))
    reference = bm25s.BM25(k1=1.2, b=0.75)
    reference.index((corpus, vocab), show_progress=False)
    ours = LexicalIndex()
    ours.build(rows, 1)
    for q in QUERIES:
        known = [t for t in analyze(q, mode="query") if t in vocab]
        want = np.asarray(reference.get_scores(known), dtype=np.float32) if known else np.zeros(len(rows))
        np.testing.assert_array_equal(ours.scores(analyze(q, mode="query")), want)


def test_snapshots_are_not_changed_by_apply() -> None:
    index = LexicalIndex()
    index.build([("a:0", "a", analyze("kế hoạch chuyển đổi số"))], 1)
    before = index.scores(["kế"]).copy()
    later = index.apply(["a"], [], 2).apply(["b"], [("b:0", "b", analyze("chỉ thị đối ngoại"))], 3)
    assert index.chunk_ids == ["a:0"] and np.array_equal(index.scores(["kế"]), before)
    assert later.chunk_ids == ["b:0"] and later.version == 3 and not later.scores(["kế"]).any()


def test_incremental_state_survives_save_and_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "MERGE_MIN", 20)
    index, truth = _docs_after_script(3)
    folder = tmp_path / "lexical"
    index.save(folder)
    loaded = LexicalIndex.load(folder)
    assert loaded is not None and loaded.version == index.version and loaded.chunk_ids == index.chunk_ids
    for q in QUERIES:
        np.testing.assert_array_equal(loaded.scores(analyze(q, mode="query")), index.scores(analyze(q, mode="query")))
    # …and keeps taking changes after the load, with the main segment's files reused by the next save
    rows = [("new:0", "new", analyze("chỉ thị 12-CT/TW đối ngoại"))]
    moved = loaded.apply(["new"], rows, index.version + 1)
    moved.save(folder)
    assert moved.generation == index.generation or moved.n_main != index.n_main
    again = LexicalIndex.load(folder)
    assert again is not None and again.search(["12-ct/tw"], 3)[0][0] == "new:0"
    truth["new"] = [("new:0", rows[0][2])]
    np.testing.assert_allclose(sorted(again.scores(["đối"]).tolist()), sorted(_fresh(truth).scores(["đối"]).tolist()),
                               rtol=1e-6)


# --- the store follows the registry's change log ---------------------------------------------------------


def _commit(store: IndexStore, doc_id: str, text: str) -> None:
    rec = DocumentRecord(doc_id=doc_id, source=doc_id, path=doc_id, title=doc_id, published=None,
                         content_hash=f"{doc_id}{text}", text=text, metadata={}, ingested_at=time.time())
    chunks = [ChunkRecord(chunk_id=f"{doc_id}:{i}", doc_id=doc_id, ord=i, start=0, end=len(part), text=part,
                          header="", tokens=analyze(part)) for i, part in enumerate(text.split("|"))]
    store.registry.commit_document(rec, chunks, [])


@pytest.fixture(params=["sqlite", "postgresql"])
def two_stores(request: pytest.FixtureRequest, tmp_path: Path, counting_embeddings: Any) -> Iterator[tuple[IndexStore, IndexStore]]:
    """A writer's store and another worker's, on one registry (SQLite file, or PostgreSQL)."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    writer = IndexStore(tmp_path / "index", counting_embeddings, database_url=url)
    rng = random.Random(5)
    for i in range(8):
        _commit(writer, f"d{i}", "|".join(_text(rng) for _ in range(3)))
    writer.refresh(persist=True)
    reader = IndexStore(tmp_path / "index", counting_embeddings, database_url=url)
    reader.refresh()  # starts from the saved copy (SQLite) or builds from the database (PostgreSQL)
    yield writer, reader
    reader.close()
    writer.close()


def test_stores_patch_instead_of_rebuilding(two_stores: tuple[IndexStore, IndexStore],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    writer, reader = two_stores
    builds: list[Any] = []
    monkeypatch.setattr(LexicalIndex, "build", lambda self, *a: builds.append(a))
    _commit(writer, "d2", "chỉ thị 12-CT/TW về đối ngoại nhân dân")  # update
    writer.registry.delete_document("d5")  # delete
    _commit(writer, "new", "kế hoạch 108-KH/TU|" + _text(random.Random(1)))  # add
    for store in (writer, reader):
        hits, score_of = store.lexical_search(analyze("Chỉ thị 12-CT/TW", mode="query"), 3)
        assert hits[0][0] == "d2:0" and score_of("d2:0") == hits[0][1]
        assert store.lexical_search(["108-kh/tu"], 3)[0][0][0] == "new:0"
        ids = set(store._lexical.chunk_ids)
        assert ids == set(writer.registry.chunk_ids()) and not any(c.startswith("d5:") for c in ids)
        assert set(store.documents()) == {d.doc_id for d in writer.registry.list_documents()[0]}
    assert builds == []  # neither rebuilt: both patched from the change log
    monkeypatch.undo()
    fresh = LexicalIndex()
    fresh.build(writer.registry.iter_chunk_tokens(), 0)
    for q in QUERIES:
        want = _by_id(fresh, q)
        for store in (writer, reader):
            got = _by_id(store._lexical, q)
            np.testing.assert_allclose([got[c] for c in want], list(want.values()), rtol=1e-6)


def test_store_rebuilds_when_the_log_is_short(core_store: IndexStore) -> None:
    _commit(core_store, "a", "kế hoạch chuyển đổi số")
    core_store.refresh()
    _commit(core_store, "b", "chỉ thị đối ngoại")
    core_store.registry.db.run("DELETE FROM meta WHERE key LIKE 'change:%'")  # as after pruning, or a registry older than the log
    assert core_store.registry.changed_since(1, 2) is None
    assert core_store.chunk_count() == 2
    assert core_store.lexical_search(["đối"], 2)[0][0][0] == "b:0"


def test_cached_terms_give_the_same_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each snapshot caches its query terms' contributions; a hit, a miss and an eviction add the same floats."""
    from vectorstore.bm25 import TermCache

    monkeypatch.setattr(TermCache, "MIN_POSTINGS", 1)
    index, _ = _docs_after_script(11)
    first = [index.scores(analyze(q, mode="query")) for q in QUERIES]
    again = [index.scores(analyze(q, mode="query")) for q in QUERIES]
    monkeypatch.setattr(TermCache, "MIN_POSTINGS", 1)
    index.__dict__["term_cache"] = TermCache(max_postings=5)  # evicts all the time
    tiny = [index.scores(analyze(q, mode="query")) for q in QUERIES]
    for a, b, c in zip(first, again, tiny, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_the_store_merges_in_the_background(core_store: IndexStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the threshold the reader compacts off the write path; writes meanwhile are not lost."""
    monkeypatch.setattr(lexical, "MERGE_MIN", 3)
    rng = random.Random(2)
    for i in range(12):
        _commit(core_store, f"m{i}", "|".join(_text(rng) for _ in range(4)))
    core_store.refresh()
    for i in range(6):
        _commit(core_store, f"m{i}", _text(rng))  # updates: dead slots and a delta
        core_store.refresh()
    core_store.wait_for_merge()
    core_store.refresh()
    index = core_store._lexical
    assert index.version == core_store.registry.version()
    assert sorted(index.chunk_ids) == sorted(core_store.registry.chunk_ids())
    assert not index.needs_merge and index.n_main > 0  # compacted on the way (24 dead slots, limit 4)
    fresh = LexicalIndex()
    fresh.build(core_store.registry.iter_chunk_tokens(), 0)
    for q in QUERIES:
        want, got = _by_id(fresh, q), _by_id(index, q)
        np.testing.assert_allclose([got[c] for c in want], list(want.values()), rtol=1e-6)


def test_the_registry_logs_each_versions_document(db_location: Path | str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On both engines: one entry per version, in the commit's transaction; pruned past the window."""
    from vectorstore import registry as registry_module
    from vectorstore.registry import Registry

    reg = Registry(db_location)
    try:
        store = type("S", (), {"registry": reg})()
        _commit(store, "a", "kế hoạch")  # type: ignore[arg-type]
        _commit(store, "b", "chỉ thị")  # type: ignore[arg-type]
        reg.delete_document("a")
        _commit(store, "b", "chỉ thị mới")  # type: ignore[arg-type]
        assert reg.version() == 4
        assert reg.changed_since(0, 4) == {"a", "b"} and reg.changed_since(2, 3) == {"a"}
        assert reg.changed_since(4, 4) == set() and reg.changed_since(-1, 4) is None and reg.changed_since(5, 4) is None
        monkeypatch.setattr(registry_module, "CHANGES_KEPT", 2)
        reg.set_meta("version", "999")
        _commit(store, "c", "công văn")  # type: ignore[arg-type]  # version 1000: entries up to 998 pruned
        assert reg.db.query("SELECT key FROM meta WHERE key LIKE 'change:%'") == [("change:000000001000",)]
        assert reg.changed_since(999, 1000) == {"c"}
        assert reg.get_meta("version") == "1000" and reg.get_meta("embeddings_id") is None
    finally:
        reg.close()


def test_ties_come_out_as_after_a_rebuild() -> None:
    """Equal scores (the same text in several documents) rank in registry order, dead slots or not."""
    text = analyze("kế hoạch chuyển đổi số của thành phố")
    index = LexicalIndex()
    index.build([(f"{d}:0", d, text) for d in "abcdef"], 1)
    index = index.apply(["b"], [], 2).apply(["d"], [("d:1", "d", text)], 3).apply(["g"], [("g:0", "g", text)], 4)
    fresh = LexicalIndex()
    fresh.build([(f"{d}:0", d, text) for d in "acef"] + [("d:1", "d", text), ("g:0", "g", text)], 4)
    query = analyze("chuyển đổi số", mode="query")
    assert index.search(query, 6) == fresh.search(query, 6)
    assert [c for c, _ in index.search(query, 3)] == [c for c, _ in fresh.search(query, 3)]
