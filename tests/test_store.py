"""vectorstore.store: Chroma + lexical index + registry in one chunk-id space, crash-safe writes, one writer."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vectorstore.analyzer import analyze
from vectorstore.embeddings import make_embeddings
from vectorstore.errors import IndexConfigError, IndexLockedError
from vectorstore.registry import ChunkRecord, DocumentRecord
from vectorstore.sentence_facts import SentenceFact
from vectorstore.store import IndexStore, PreparedDocument, WriterLock, embedding_text

TEXTS = [
    "Ban Thường vụ Thành ủy vừa ban hành công văn về Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư.",
    "Các quận ủy, huyện ủy có trách nhiệm xây dựng Chương trình hành động và kế hoạch triển khai thực hiện.",
    "Uỷ ban nhân dân thành phố yêu cầu các Sở, ban, ngành tăng cường lãnh đạo, chỉ đạo.",
]


def _doc(doc_id: str, texts: list[str], version: str = "v1", title: str = "Văn bản thử") -> PreparedDocument:
    """A prepared document the way ingestion hands it over: chunk ids from content, analyzer tokens."""
    chunks = []
    pos = 0
    for i, text in enumerate(texts):
        digest = hashlib.sha1(text.encode()).hexdigest()[:16]
        chunks.append(
            ChunkRecord(chunk_id=f"{doc_id}:{digest}", doc_id=doc_id, ord=i, start=pos, end=pos + len(text),
                        text=text, header=title, tokens=analyze(f"{title}\n{text}"))
        )
        pos += len(text) + 1
    record = DocumentRecord(
        doc_id=doc_id, source=f"{doc_id}.txt", path=f"/docs/{doc_id}.txt", title=title, published="2023-01-12",
        content_hash=hashlib.sha256((version + "".join(texts)).encode()).hexdigest(), text="\n".join(texts),
        metadata={"kind": "txt"}, ingested_at=time.time(),
    )
    facts = [SentenceFact(kind="responsibility", sentence=texts[0], start=0, end=len(texts[0]), actor="Thành ủy",
                          chunk_id=chunks[0].chunk_id)]
    return PreparedDocument(record=record, chunks=chunks, facts=facts)


def _write(store: IndexStore, doc: PreparedDocument) -> Any:
    with store.writer_lock:
        result = store.upsert_document(doc)
        store.refresh(persist=True)
    return result


def _chroma_ids(store: IndexStore) -> set[str]:
    return set(store.collection.get(include=[])["ids"])


def _consistent(store: IndexStore) -> set[str]:
    store.refresh()
    registry = set(store.registry.chunk_ids())
    assert _chroma_ids(store) == registry
    assert store.chunk_count() == len(registry)
    return registry


# --- writing -------------------------------------------------------------------------------------


def test_upsert_adds_then_reports_unchanged(core_store: IndexStore, counting_embeddings: Any) -> None:
    doc = _doc("a", TEXTS)
    result = _write(core_store, doc)
    assert (result.status, result.chunks, result.embedded) == ("added", 3, 3)
    assert _consistent(core_store) == {c.chunk_id for c in doc.chunks}
    assert core_store.registry.get_meta("dirty") == "0"
    meta = core_store.collection.get(ids=[doc.chunks[1].chunk_id], include=["metadatas", "documents"])
    assert meta["documents"] == [TEXTS[1]]
    metadatas = meta["metadatas"]
    assert metadatas is not None
    assert metadatas[0]["doc_id"] == "a"
    assert metadatas[0]["start"] == doc.chunks[1].start

    counting_embeddings.reset()
    version = core_store.registry.version()
    again = _write(core_store, _doc("a", TEXTS))
    assert (again.status, again.embedded) == ("unchanged", 0)
    assert counting_embeddings.document_calls == 0
    assert core_store.registry.version() == version


def test_update_replaces_chunks_and_reuses_cached_vectors(core_store: IndexStore, counting_embeddings: Any) -> None:
    old = _doc("a", TEXTS)
    _write(core_store, old)
    counting_embeddings.reset()
    new = _doc("a", [TEXTS[0], "Một đoạn mới về kế hoạch số 108-KH/TU.", TEXTS[2]], version="v2")
    result = _write(core_store, new)
    assert (result.status, result.embedded) == ("updated", 1)
    assert counting_embeddings.texts_embedded == 1  # the two unchanged chunks come from the cache
    ids = _consistent(core_store)
    assert ids == {c.chunk_id for c in new.chunks}
    assert old.chunks[1].chunk_id not in ids


def test_embedding_cache_is_shared_across_documents(core_store: IndexStore, counting_embeddings: Any) -> None:
    _write(core_store, _doc("a", TEXTS))
    counting_embeddings.reset()
    _write(core_store, _doc("b", TEXTS))  # same texts under another document
    assert counting_embeddings.texts_embedded == 0
    assert len(_consistent(core_store)) == 6


def test_passages_are_embedded_shortest_first_and_stored_under_their_own_chunk(
    core_store: IndexStore, counting_embeddings: Any
) -> None:
    # A call pads every text to its longest: sorting by length keeps long chunks together.
    texts = [f"Đoạn {i}: " + "kế hoạch số 108-KH/TU " * ((i * 7) % 23 + 1) for i in range(100)]
    doc = _doc("a", texts)
    _write(core_store, doc)
    lengths = [len(t) for call in counting_embeddings.calls for t in call]
    assert len(lengths) == 100 and lengths == sorted(lengths)
    assert len(counting_embeddings.calls) > 1  # several calls, not one
    stored = core_store.vectors([c.chunk_id for c in doc.chunks])
    for chunk in doc.chunks:
        expected = counting_embeddings.inner.embed_documents([embedding_text(chunk)])[0]
        assert np.allclose(stored[chunk.chunk_id], expected, atol=1e-6)


def test_upsert_order_vectors_before_commit_stale_deleted_after(
    core_store: IndexStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _doc("a", TEXTS)
    _write(core_store, old)
    new = _doc("a", [TEXTS[0], "Nội dung thay thế cho đoạn thứ hai."], version="v2")
    seen: dict[str, Any] = {}
    original_commit = core_store.registry.commit_document

    def commit_spy(rec: DocumentRecord, chunks: list[ChunkRecord], facts: Any = (), tasks: Any = ()) -> None:
        chroma = _chroma_ids(core_store)
        seen["dirty"] = core_store.registry.get_meta("dirty")
        seen["new_in_chroma"] = {c.chunk_id for c in chunks} <= chroma
        seen["old_still_in_chroma"] = {c.chunk_id for c in old.chunks} <= chroma
        original_commit(rec, chunks, facts, tasks)

    monkeypatch.setattr(core_store.registry, "commit_document", commit_spy)
    _write(core_store, new)
    assert seen == {"dirty": "1", "new_in_chroma": True, "old_still_in_chroma": True}
    assert core_store.registry.get_meta("dirty") == "0"
    assert _consistent(core_store) == {c.chunk_id for c in new.chunks}


def test_crash_before_commit_leaves_extra_vectors_that_reconcile_removes(
    core_store: IndexStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(core_store, _doc("a", TEXTS[:1]))
    version = core_store.registry.version()

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(core_store.registry, "commit_document", crash)
    doc_b = _doc("b", TEXTS[1:])
    with pytest.raises(RuntimeError), core_store.writer_lock:
        core_store.upsert_document(doc_b)
    monkeypatch.undo()

    assert core_store.registry.get_meta("dirty") == "1"
    assert core_store.registry.version() == version  # document b never counted as ingested
    assert core_store.registry.get_document("b") is None
    extra = _chroma_ids(core_store) - set(core_store.registry.chunk_ids())
    assert extra == {c.chunk_id for c in doc_b.chunks}

    with core_store.writer_lock:
        core_store.open_for_writing()
    assert core_store.registry.get_meta("dirty") == "0"
    _consistent(core_store)


def test_failed_embedding_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    class Broken(type(make_embeddings("fake"))):  # type: ignore[misc]
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise RuntimeError("model crashed")

    store = IndexStore(tmp_path / "idx", Broken(size=64), lock_timeout=0.5)
    try:
        with pytest.raises(RuntimeError), store.writer_lock:
            store.upsert_document(_doc("a", TEXTS))
        assert store.registry.chunk_ids() == []
        assert _chroma_ids(store) == set()
        with store.writer_lock:
            store.open_for_writing()
        assert store.registry.get_meta("dirty") == "0"
    finally:
        store.close()


def test_delete_document(core_store: IndexStore) -> None:
    _write(core_store, _doc("a", TEXTS[:2]))
    _write(core_store, _doc("b", TEXTS[2:]))
    with core_store.writer_lock:
        assert core_store.delete_document("a") == 2
        assert core_store.delete_document("khong-co") == 0
    assert core_store.registry.get_document("a") is None
    assert core_store.registry.facts(doc_id="a") == []
    assert _consistent(core_store) == set(core_store.registry.chunk_ids("b"))


# --- reconcile -----------------------------------------------------------------------------------


def test_reconcile_deletes_extra_ids_and_restores_missing_ones(
    core_store: IndexStore, counting_embeddings: Any
) -> None:
    doc = _doc("a", TEXTS)
    _write(core_store, doc)
    ids = [c.chunk_id for c in doc.chunks]
    before = core_store.vectors(ids)
    core_store.collection.add(
        ids=["orphan:1", "orphan:2"], embeddings=np.ones((2, 64), dtype=np.float32), documents=["x", "y"]
    )
    core_store.collection.delete(ids=[ids[0], ids[2]])
    counting_embeddings.reset()

    report = core_store.reconcile()
    assert report == {"deleted": 2, "restored": 2}
    assert _chroma_ids(core_store) == set(ids)
    after = core_store.vectors(ids)
    for cid in ids:
        np.testing.assert_allclose(after[cid], before[cid], rtol=1e-6)
    assert counting_embeddings.texts_embedded == 0  # restored from the embedding cache
    restored = core_store.collection.get(ids=[ids[0]], include=["metadatas", "documents"])
    assert restored["documents"] == [TEXTS[0]]
    metadatas = restored["metadatas"]
    assert metadatas is not None and metadatas[0]["chunk_id"] == ids[0]
    assert core_store.reconcile() == {"deleted": 0, "restored": 0}


def test_a_repair_that_leaves_vectors_unreachable_rebuilds_the_collection_from_the_cache(
    core_store: IndexStore, counting_embeddings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    doc = _doc("a", TEXTS)
    _write(core_store, doc)
    ids = {c.chunk_id for c in doc.chunks}
    assert core_store.dense_reach() == (len(ids), len(ids))  # a healthy collection: a query for all finds all
    core_store.collection.add(ids=["orphan"], embeddings=np.ones((1, 64), dtype=np.float32), documents=["x"])
    counting_embeddings.reset()
    real = core_store.dense_reach
    calls: list[int] = []

    def short_once() -> tuple[int, int]:  # as chromadb#7758 leaves a few live vectors unreachable
        calls.append(1)
        found, stored = real()
        return (found - 1, stored) if len(calls) == 1 else (found, stored)

    monkeypatch.setattr(core_store, "dense_reach", short_once)
    with caplog.at_level("WARNING"):
        report = core_store.reconcile()
    assert report == {"deleted": 0, "restored": len(ids)} and "rebuilding the collection" in caplog.text
    assert _chroma_ids(core_store) == ids and real() == (len(ids), len(ids))
    assert counting_embeddings.texts_embedded == 0  # rebuilt from the embedding cache
    assert core_store.registry.get_meta("dirty") == "0"


def test_a_reader_follows_a_rebuilt_collection(core_store: IndexStore, tmp_path: Path, counting_embeddings: Any) -> None:
    doc = _doc("a", TEXTS)
    _write(core_store, doc)
    reader = IndexStore(tmp_path / "index", counting_embeddings, lock_timeout=0.5)  # another worker's view
    try:
        vector = core_store.vectors([doc.chunks[0].chunk_id])[doc.chunks[0].chunk_id].tolist()
        before = reader.dense_search(vector, 3)
        with core_store.writer_lock:
            core_store._rebuild_collection()
        assert reader.dense_search(vector, 3) == before  # the old handle's collection is gone: reopened once
        with core_store.writer_lock:
            core_store._rebuild_collection()
        _write(core_store, _doc("b", TEXTS[:1]))  # a new version: the count is read again, from the new one
        assert reader.vector_count() == len(TEXTS) + 1 and len(reader.dense_search(vector, 3)) == 3
    finally:
        reader.close()


def test_open_for_writing_reconciles_only_a_dirty_index(core_store: IndexStore) -> None:
    _write(core_store, _doc("a", TEXTS[:1]))
    core_store.collection.add(ids=["orphan"], embeddings=np.ones((1, 64), dtype=np.float32), documents=["x"])
    with core_store.writer_lock:
        core_store.open_for_writing()  # clean index: nothing to repair, nothing touched
    assert "orphan" in _chroma_ids(core_store)

    core_store.registry.set_meta("dirty", "1")
    with core_store.writer_lock:
        core_store.open_for_writing()
    assert "orphan" not in _chroma_ids(core_store)
    assert core_store.registry.get_meta("dirty") == "0"


# --- the writer lock -----------------------------------------------------------------------------


def test_second_writer_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "writer.lock"
    assert WriterLock(path).timeout == 5.0
    with WriterLock(path, timeout=0.5):
        started = time.monotonic()
        with pytest.raises(IndexLockedError) as info, WriterLock(path, timeout=0.5):
            pass
        waited = time.monotonic() - started
    assert 0.4 <= waited < 3.0  # refused after the timeout, not hanging
    assert info.value.status_code == 503
    assert "only one writer" in info.value.message
    with WriterLock(path, timeout=0.5):  # released: free again
        pass


def test_lock_held_by_another_process(core_store: IndexStore) -> None:
    lock_path = core_store.data_dir / "writer.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            # What WriterLock.acquire does, without importing Chroma (keeps the test fast).
            import fcntl, os, sys
            fd = os.open({str(lock_path)!r}, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            print("locked", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(IndexLockedError) as info, core_store.writer_lock:  # lock_timeout=0.5
            pass
        assert time.monotonic() - started < 5.0
        assert f"pid {holder.pid}" in info.value.message
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    with core_store.writer_lock:
        pass


# --- the embedding model is part of the index ----------------------------------------------------


def test_embedding_model_mismatch_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "idx"
    store = IndexStore(data_dir, make_embeddings("fake"))
    _write(store, _doc("a", TEXTS))
    assert store.registry.get_meta("embeddings_id") == "fake/64"
    store.close()

    with pytest.raises(IndexConfigError) as info:
        IndexStore(data_dir, make_embeddings("fake", "32"))
    assert info.value.status_code == 409
    assert "fake/64" in info.value.message and "fake/32" in info.value.message

    same = IndexStore(data_dir, make_embeddings("fake"))  # the same model opens fine
    same.close()


def test_empty_index_follows_the_configured_model(tmp_path: Path) -> None:
    data_dir = tmp_path / "idx"
    IndexStore(data_dir, make_embeddings("fake")).close()
    store = IndexStore(data_dir, make_embeddings("fake", "32"))
    assert store.registry.get_meta("embeddings_id") == "fake/32"
    store.close()


def test_reembed_switches_the_vector_space(tmp_path: Path) -> None:
    data_dir = tmp_path / "idx"
    store = IndexStore(data_dir, make_embeddings("fake"))
    _write(store, _doc("a", TEXTS))
    store.close()

    switched = IndexStore(data_dir, make_embeddings("fake", "32"), allow_model_change=True)
    with switched.writer_lock:
        assert switched.reembed() == 3
    assert switched.registry.get_meta("embeddings_id") == "fake/32"
    vectors = switched.vectors(switched.registry.chunk_ids())
    assert len(vectors) == 3 and all(v.shape == (32,) for v in vectors.values())
    hits = switched.dense_search(switched.embeddings.embed_query(embedding_text(_doc("a", TEXTS).chunks[0])), 3)
    assert len(hits) == 3
    switched.close()

    IndexStore(data_dir, make_embeddings("fake", "32")).close()  # now the new model is the index's
    with pytest.raises(IndexConfigError):
        IndexStore(data_dir, make_embeddings("fake"))


# --- reading -------------------------------------------------------------------------------------


def test_searches_and_documents(core_store: IndexStore) -> None:
    doc = _doc("a", TEXTS)
    _write(core_store, doc)
    hits, score_of = core_store.lexical_search(analyze("Chỉ thị 12-CT/TW", mode="query"), 5)
    assert hits[0][0] == doc.chunks[0].chunk_id
    assert score_of(doc.chunks[0].chunk_id) == pytest.approx(hits[0][1])
    assert score_of("khong-co") == 0.0


def test_reopened_store_scores_lexically(core_store: IndexStore) -> None:
    """Regression: a store that loads its saved lexical index must still score every chunk id."""
    doc = _doc("a", TEXTS)
    _write(core_store, doc)
    core_store.refresh(persist=True)
    reopened = IndexStore(core_store.data_dir, core_store.embeddings)
    hits, score_of = reopened.lexical_search(analyze("Chỉ thị 12-CT/TW", mode="query"), 5)
    assert hits and score_of(hits[0][0]) > 0

    # DeterministicFakeEmbedding is seeded by the text: the same text is the nearest neighbour
    query = core_store.embeddings.embed_documents([embedding_text(doc.chunks[2])])[0]
    dense = core_store.dense_search(query, 3)
    assert dense[0][0] == doc.chunks[2].chunk_id
    assert dense[0][1] == pytest.approx(1.0, abs=1e-4)

    assert set(core_store.documents()) == {"a"}
    assert core_store.documents()["a"].title == "Văn bản thử"


def test_empty_store_searches(core_store: IndexStore) -> None:
    assert core_store.dense_search([0.1] * 64, 5) == []
    hits, _ = core_store.lexical_search(["chỉ"], 5)
    assert hits == []
    assert core_store.chunk_count() == 0
    assert core_store.vectors([]) == {}


def test_a_reader_sees_another_writers_changes(core_store: IndexStore, counting_embeddings: Any) -> None:
    reader = IndexStore(core_store.data_dir, counting_embeddings)
    try:
        assert reader.chunk_count() == 0
        _write(core_store, _doc("a", TEXTS))
        assert reader.chunk_count() == 3  # refresh() picks up the new registry version
        hits, _ = reader.lexical_search(analyze("kế hoạch triển khai", mode="query"), 3)
        assert hits and hits[0][0].startswith("a:")
    finally:
        reader.close()


def test_scores_stay_aligned_when_another_thread_refreshes_in_between(core_store: IndexStore) -> None:
    """The retriever scores candidates after lexical_search returned; in the API another request may
    refresh the index in between (after a document was removed, so positions shift)."""
    _write(core_store, _doc("a", TEXTS[:2]))
    _write(core_store, _doc("b", TEXTS[2:]))
    hits, score_of = core_store.lexical_search(analyze("Uỷ ban nhân dân thành phố yêu cầu", mode="query"), 5)
    best_id, best_score = hits[0]
    assert best_id.startswith("b:")

    with core_store.writer_lock:  # meanwhile: document a is removed and another request refreshes
        core_store.delete_document("a")
    core_store.lexical_search(["chỉ"], 5)

    assert score_of(best_id) == pytest.approx(best_score)
