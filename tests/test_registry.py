"""vectorstore.registry: the source of truth — atomic document writes and a version readers follow.

Every test runs twice: on embedded SQLite and on a real PostgreSQL (`db_location` in conftest)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from vectorstore.db import IntegrityError
from vectorstore.registry import ChunkRecord, DocumentRecord, Registry
from vectorstore.sentence_facts import FactDeadline, SentenceFact


@pytest.fixture
def registry(db_location: Path | str) -> Iterator[Registry]:
    reg = Registry(db_location)
    yield reg
    reg.close()


def _doc(doc_id: str, published: str | None = "2023-01-12", title: str = "Văn bản", content: str = "h1") -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id, source=f"{doc_id}.txt", path=f"/docs/{doc_id}.txt", title=title, published=published,
        content_hash=content, text="Thành ủy ban hành Kế hoạch số 108-KH/TU.", metadata={"author": "Ngô Phương Văn"},
        ingested_at=time.time(),
    )


def _fact(chunk_id: str, kind: str = "deadline", actor: str | None = None) -> SentenceFact:
    return SentenceFact(kind=kind, sentence="Sở báo cáo trước ngày 30/6/2023.", start=0, end=33, actor=actor,
                        deadlines=(FactDeadline("before", "trước ngày 30/6/2023", 12, 32),), chunk_id=chunk_id)


def _chunks(doc_id: str, n: int, tag: str = "") -> list[ChunkRecord]:
    return [
        ChunkRecord(chunk_id=f"{doc_id}:{tag}{i}", doc_id=doc_id, ord=i, start=i * 10, end=i * 10 + 9,
                    text=f"đoạn {tag}{i}", header="Văn bản", tokens=["đoạn", f"{tag}{i}", "~doan"])
        for i in range(n)
    ]


def test_commit_document_round_trip_and_version_bump(registry: Registry) -> None:
    assert registry.version() == 0
    registry.commit_document(_doc("a"), _chunks("a", 3), [_fact("a:0", "request", actor="Sở")])
    assert registry.version() == 1

    rec = registry.get_document("a")
    assert rec is not None
    assert (rec.title, rec.published, rec.chunk_count) == ("Văn bản", "2023-01-12", 3)
    assert rec.metadata == {"author": "Ngô Phương Văn"}
    assert registry.chunk_ids("a") == ["a:0", "a:1", "a:2"]
    chunk = registry.doc_chunks("a")[1]
    assert (chunk.text, chunk.start, chunk.end, chunk.tokens) == ("đoạn 1", 10, 19, ["đoạn", "1", "~doan"])
    assert registry.facts(doc_id="a") == [_fact("a:0", "request", actor="Sở")]
    assert registry.facts(chunk_ids=["a:0"]) == registry.facts()
    assert registry.facts(chunk_ids=[]) == []


def test_recommit_replaces_chunks_and_facts(registry: Registry) -> None:
    registry.commit_document(_doc("a"), _chunks("a", 3), [_fact("a:0"), _fact("a:1")])
    registry.commit_document(_doc("a", content="h2"), _chunks("a", 2, tag="n"), [_fact("a:n0")])
    assert registry.version() == 2
    assert registry.chunk_ids("a") == ["a:n0", "a:n1"]
    assert registry.chunk_ids() == ["a:n0", "a:n1"]
    assert registry.facts(doc_id="a") == [_fact("a:n0")]
    rec = registry.get_document("a")
    assert rec is not None and rec.content_hash == "h2"


def test_failed_commit_rolls_back_everything(registry: Registry) -> None:
    registry.commit_document(_doc("a"), _chunks("a", 2), [_fact("a:0")])
    version = registry.version()
    duplicate = _chunks("a", 2, tag="n") + _chunks("a", 1, tag="n")  # same chunk id twice → IntegrityError
    with pytest.raises(IntegrityError):
        registry.commit_document(_doc("a", content="h2"), duplicate, [])
    # the old version of the document is intact, the version did not move
    assert registry.version() == version
    assert registry.chunk_ids("a") == ["a:0", "a:1"]
    assert registry.facts(doc_id="a") == [_fact("a:0")]
    rec = registry.get_document("a")
    assert rec is not None and rec.content_hash == "h1"
    # and the connection is usable afterwards
    registry.commit_document(_doc("b"), _chunks("b", 1), [])
    assert registry.version() == version + 1


def test_delete_document(registry: Registry) -> None:
    registry.commit_document(_doc("a"), _chunks("a", 2), [_fact("a:0")])
    registry.commit_document(_doc("b"), _chunks("b", 1), [_fact("b:0")])
    assert sorted(registry.delete_document("a")) == ["a:0", "a:1"]
    assert registry.version() == 3
    assert registry.get_document("a") is None
    assert registry.chunk_ids() == ["b:0"]
    assert registry.facts() == [_fact("b:0")]
    assert registry.delete_document("a") == []


def test_meta_does_not_bump_the_version(registry: Registry) -> None:
    assert registry.get_meta("dirty") is None
    registry.set_meta("dirty", "1")
    registry.set_meta("dirty", "0")
    assert registry.get_meta("dirty") == "0"
    assert registry.version() == 0


def test_lookups(registry: Registry) -> None:
    registry.commit_document(_doc("a", content="hash-a"), _chunks("a", 1), [])
    assert registry.find_doc_id_by_hash("hash-a") == ("a", "a.txt")
    assert registry.find_doc_id_by_hash("khong-co") is None
    assert registry.fingerprint("a") == ("hash-a", 1)
    assert registry.fingerprint("khong-co") is None
    by_path = registry.find_by_path("/docs/a.txt")
    by_source = registry.find_by_path("a.txt")
    assert by_path is not None and by_source is not None and by_path.doc_id == by_source.doc_id == "a"
    assert registry.find_by_path("/docs/b.txt") is None
    assert registry.get_document("khong-co") is None


def test_list_documents_newest_first_with_paging(registry: Registry) -> None:
    registry.commit_document(_doc("old", published="2019-09-19", title="B"), _chunks("old", 1), [])
    registry.commit_document(_doc("new", published="2023-01-12", title="A"), _chunks("new", 2), [])
    registry.commit_document(_doc("mid", published="2022-05-20", title="C"), _chunks("mid", 1), [])
    docs, total = registry.list_documents()
    assert total == 3
    assert [d.doc_id for d in docs] == ["new", "mid", "old"]
    assert docs[0].chunk_count == 2
    page, total = registry.list_documents(offset=1, limit=1)
    assert total == 3 and [d.doc_id for d in page] == ["mid"]


def test_chunks_by_ids_in_batches_and_tokens(registry: Registry) -> None:
    registry.commit_document(_doc("a"), _chunks("a", 1200), [])
    wanted = [f"a:{i}" for i in range(0, 1200, 2)]  # 600 ids: more than one SQL batch of 500
    got = registry.chunks(wanted)
    assert {c.chunk_id for c in got} == set(wanted)
    assert len(registry.chunks()) == 1200
    tokens = dict(registry.iter_tokens())
    assert tokens["a:7"] == ["đoạn", "7", "~doan"]


def test_embedding_cache_round_trip(registry: Registry) -> None:
    vec = np.linspace(-1, 1, 64).astype(np.float32).tolist()
    registry.cache_vectors({"k1": vec, "k2": [0.5] * 64})
    cached = registry.cached_vectors(["k1", "k2", "k3"])
    assert set(cached) == {"k1", "k2"}
    np.testing.assert_array_equal(np.asarray(cached["k1"], dtype=np.float32), np.asarray(vec, dtype=np.float32))
    assert registry.version() == 0  # a cache write is not an index change
    keys = [f"x{i}" for i in range(1100)]
    registry.cache_vectors({k: [1.0, 2.0] for k in keys})
    assert len(registry.cached_vectors(keys)) == 1100


def test_state_survives_reopening(db_location: Path | str) -> None:
    first = Registry(db_location)
    first.commit_document(_doc("a"), _chunks("a", 2), [])
    first.set_meta("embeddings_id", "fake/64")
    first.close()
    second = Registry(db_location)
    try:
        assert second.version() == 1
        assert second.chunk_ids("a") == ["a:0", "a:1"]
        assert second.get_meta("embeddings_id") == "fake/64"
        if second.db.engine == "sqlite":
            assert second.db.one("PRAGMA journal_mode") == ("wal",)
    finally:
        second.close()


def test_other_threads_and_instances_see_committed_writes(registry: Registry) -> None:
    other = Registry(registry.path)
    try:
        registry.commit_document(_doc("a"), _chunks("a", 1), [])
        assert other.version() == 1
        seen: list[int] = []
        thread = threading.Thread(target=lambda: seen.append(len(registry.chunk_ids())))
        thread.start()
        thread.join()
        assert seen == [1]
    finally:
        other.close()
