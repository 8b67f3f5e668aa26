"""vectorstore.lexical: BM25 over analyzer tokens; saved atomically, stamped with the registry version."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from vectorstore.analyzer import analyze
from vectorstore.lexical import LexicalIndex
from vectorstore.registry import ChunkRecord, DocumentRecord
from vectorstore.store import IndexStore

CORPUS = {
    "c1": "Ban Bí thư ban hành Chỉ thị số 12-CT/TW ngày 05/01/2022 về đối ngoại nhân dân.",
    "c2": "Ban Thường vụ Thành ủy ban hành Kế hoạch số 108-KH/TU ngày 20/5/2022.",
    "c3": "Uỷ ban nhân dân thành phố yêu cầu các sở tăng cường phối hợp.",
    "c4": "Các quận ủy, huyện ủy có trách nhiệm xây dựng Chương trình hành động.",
}


def _index(version: int = 7) -> LexicalIndex:
    index = LexicalIndex()
    index.build(((cid, analyze(text)) for cid, text in CORPUS.items()), version)
    return index


def _top(index: LexicalIndex, question: str) -> str:
    hits = index.search(analyze(question, mode="query"), 4)
    assert hits, question
    return hits[0][0]


def test_build_and_search() -> None:
    index = _index()
    assert len(index) == 4 and index.version == 7
    assert index.chunk_ids == list(CORPUS)
    assert _top(index, "Chỉ thị 12-CT/TW") == "c1"
    assert _top(index, "kế hoạch 108-KH/TU ban hành ngày nào") == "c2"
    assert _top(index, "chi thi 12 ban hanh ngay nao") == "c1"  # no diacritics: folded twins
    assert _top(index, "Ủy ban nhân dân yêu cầu gì") == "c3"  # other tone style
    assert _top(index, "ai có trách nhiệm xây dựng chương trình hành động") == "c4"
    assert _top(index, "ngày 5/1/2022") == "c1"  # dates compare unpadded


def test_scores_are_aligned_with_chunk_ids_and_sorted_search() -> None:
    index = _index()
    scores = index.scores(analyze("ban hành", mode="query"))
    assert scores.shape == (4,)
    hits = index.search(analyze("ban hành", mode="query"), 4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    for cid, score in hits:
        assert score == pytest.approx(float(scores[index.chunk_ids.index(cid)]))
    assert {cid for cid, _ in hits[:2]} == {"c1", "c2"}  # the bigram "ban_hành" puts them first
    assert [cid for cid, _ in index.search(["12-ct/tw"], 4)] == ["c1"]  # chunks scoring 0 are left out


def test_unknown_or_no_tokens_score_zero() -> None:
    index = _index()
    assert not index.scores(["khôngcótừnày"]).any()
    assert not index.scores([]).any()
    assert index.search(["khôngcótừnày"], 3) == []


def test_empty_index() -> None:
    index = LexicalIndex()
    index.build([], 0)
    assert len(index) == 0
    assert index.scores(["chỉ"]).shape == (0,)
    assert index.search(["chỉ"], 5) == []


def test_save_load_round_trip(tmp_path: Path) -> None:
    index = _index(version=12)
    folder = tmp_path / "lexical"
    index.save(folder)
    loaded = LexicalIndex.load(folder)
    assert loaded is not None
    assert loaded.version == 12
    assert loaded.chunk_ids == index.chunk_ids
    assert (loaded.k1, loaded.b) == (index.k1, index.b)
    query = analyze("Thành ủy ban hành kế hoạch", mode="query")
    np.testing.assert_allclose(loaded.scores(query), index.scores(query))
    assert not list(tmp_path.glob(".lexical-*")), "temporary folder left behind"


def test_save_replaces_an_older_copy(tmp_path: Path) -> None:
    folder = tmp_path / "lexical"
    _index(version=1).save(folder)
    newer = LexicalIndex()
    newer.build([("only", analyze("Nghị định 15/2020/NĐ-CP"))], 2)
    newer.save(folder)
    loaded = LexicalIndex.load(folder)
    assert loaded is not None and loaded.version == 2 and loaded.chunk_ids == ["only"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lexical"]


def test_save_load_empty_index(tmp_path: Path) -> None:
    empty = LexicalIndex()
    empty.build([], 3)
    empty.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded is not None and loaded.version == 3 and len(loaded) == 0


def test_missing_or_unreadable_copy_loads_as_none(tmp_path: Path) -> None:
    assert LexicalIndex.load(tmp_path / "nowhere") is None
    folder = tmp_path / "lexical"
    _index().save(folder)
    (folder / "state.json").write_text("{not json")
    assert LexicalIndex.load(folder) is None
    (folder / "state.json").write_text(json.dumps({"version": 1}))
    assert LexicalIndex.load(folder) is None


# --- version stamp: the store rebuilds a stale copy from the registry ---------------------------


def _commit(store: IndexStore, doc_id: str, text: str) -> None:
    """Commit straight to the registry, as another writer process would (no lexical save here)."""
    rec = DocumentRecord(doc_id=doc_id, source=doc_id, path=doc_id, title=doc_id, published=None,
                         content_hash=doc_id, text=text, metadata={}, ingested_at=time.time())
    chunk = ChunkRecord(chunk_id=f"{doc_id}:0", doc_id=doc_id, ord=0, start=0, end=len(text), text=text,
                        header="", tokens=analyze(text))
    store.registry.commit_document(rec, [chunk], [])


def test_stale_saved_index_is_rebuilt(core_store: IndexStore) -> None:
    folder = core_store.data_dir / "lexical"
    _commit(core_store, "a", CORPUS["c1"])
    core_store.refresh(persist=True)
    saved = LexicalIndex.load(folder)
    assert saved is not None and saved.version == core_store.registry.version() == 1

    _commit(core_store, "b", CORPUS["c2"])  # the registry moves on; the saved copy is now stale
    reopened = IndexStore(core_store.data_dir, core_store.embeddings)
    try:
        assert reopened.chunk_count() == 2  # stale copy (version 1) ignored, rebuilt at version 2
        hits, _ = reopened.lexical_search(analyze("Kế hoạch 108-KH/TU", mode="query"), 2)
        assert hits[0][0] == "b:0"
        on_disk = LexicalIndex.load(folder)
        assert on_disk is not None and on_disk.version == 1  # readers never write the derived copy
        reopened.refresh(persist=True)
        assert on_disk.version == 1  # already current in memory: nothing to do
    finally:
        reopened.close()

    _commit(core_store, "c", CORPUS["c3"])
    core_store.refresh(persist=True)
    on_disk = LexicalIndex.load(folder)
    assert on_disk is not None and on_disk.version == 3 and len(on_disk) == 3
