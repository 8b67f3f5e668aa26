"""ingestion.pipeline on a real store (embedded Chroma in tmp_path, counted fake embeddings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingestion.pipeline import FileOutcome, IngestSummary, ingest_bytes, ingest_paths, make_doc_id, remove
from vectorstore.errors import QAError
from vectorstore.lexical import LexicalIndex
from vectorstore.store import IndexStore

NAME_000 = "000_bcc9d3f070f74c9b.txt"
NAME_002 = "002_2a1730ed412324ac.txt"


def _ids(store: IndexStore) -> tuple[set[str], set[str], set[str]]:
    """Chunk ids as Chroma, the registry and the saved lexical index hold them."""
    chroma = set(store.collection.get(include=[])["ids"])
    registry = set(store.registry.chunk_ids())
    lexical = LexicalIndex.load(store.data_dir / "lexical")
    assert lexical is not None, "the lexical index was not saved"
    assert lexical.version == store.registry.version(), "saved lexical index is stale"
    return chroma, registry, set(lexical.chunk_ids)


def _assert_consistent(store: IndexStore) -> set[str]:
    chroma, registry, lexical = _ids(store)
    assert chroma == registry == lexical
    assert store.chunk_count() == len(registry)
    return registry


def _by_name(summary: IngestSummary) -> dict[str, FileOutcome]:
    return {Path(o.path).name: o for o in summary.outcomes}


# --- a first ingest and an idempotent second one -----------------------------------------------


def test_ingest_sample_folder(core_store: IndexStore, sample_copy: Path, counting_embeddings: Any) -> None:
    summary = ingest_paths(core_store, [sample_copy])
    outcomes = _by_name(summary)
    assert set(outcomes) == {NAME_000, NAME_002}
    assert {o.status for o in outcomes.values()} == {"added"}
    assert all(o.chunks > 0 and o.doc_id for o in outcomes.values())
    assert summary.chunks == sum(o.chunks for o in outcomes.values())
    assert summary.as_dict()["added"] == 2

    ids = _assert_consistent(core_store)
    assert len(ids) == summary.chunks
    assert counting_embeddings.texts_embedded == summary.chunks

    rec = core_store.registry.get_document(outcomes[NAME_000].doc_id or "")
    assert rec is not None
    assert rec.source == NAME_000
    assert rec.path == str((sample_copy / NAME_000).resolve())
    assert rec.published == "2023-01-12"
    assert rec.title.startswith("Tăng cường sự lãnh đạo của Đảng")
    assert rec.chunk_count == outcomes[NAME_000].chunks
    assert rec.metadata["author"] == "Ngô Phương Văn"
    # chunks point into the cleaned text stored with the document
    for chunk in core_store.registry.doc_chunks(rec.doc_id):
        assert rec.text[chunk.start : chunk.end] == chunk.text
        assert chunk.tokens
    facts = core_store.registry.facts(doc_id=rec.doc_id)
    assert any(f.kind == "responsibility" for f in facts)
    assert all(f.chunk_id in ids for f in facts)


def test_reingest_unchanged_does_nothing(core_store: IndexStore, sample_copy: Path, counting_embeddings: Any) -> None:
    first = ingest_paths(core_store, [sample_copy])
    version = core_store.registry.version()
    ids = _assert_consistent(core_store)
    counting_embeddings.reset()

    second = ingest_paths(core_store, [sample_copy])
    assert [o.status for o in second.outcomes] == ["unchanged", "unchanged"]
    assert second.chunks == 0
    assert [o.doc_id for o in second.outcomes] == [o.doc_id for o in first.outcomes]
    assert counting_embeddings.document_calls == 0
    assert counting_embeddings.texts_embedded == 0
    assert core_store.registry.version() == version
    assert _assert_consistent(core_store) == ids


# --- changed files -------------------------------------------------------------------------------


def test_modified_file_replaces_its_chunks_without_orphans(
    core_store: IndexStore, sample_copy: Path, counting_embeddings: Any
) -> None:
    ingest_paths(core_store, [sample_copy])
    path = sample_copy / NAME_002
    doc_id = make_doc_id(str(path.resolve()))
    old_ids = set(core_store.registry.chunk_ids(doc_id))
    other_ids = set(core_store.registry.chunk_ids()) - old_ids
    counting_embeddings.reset()

    text = path.read_text(encoding="utf-8")
    changed = text.replace(
        "Tài liệu đính kèm",
        "Các quận, huyện báo cáo kết quả thực hiện về Sở Ngoại vụ trước ngày 30/6/2023.\n\nTài liệu đính kèm",
    )
    assert changed != text
    path.write_text(changed, encoding="utf-8")

    summary = ingest_paths(core_store, [sample_copy])
    outcomes = _by_name(summary)
    assert outcomes[NAME_002].status == "updated"
    assert outcomes[NAME_002].doc_id == doc_id
    assert outcomes[NAME_000].status == "unchanged"

    new_ids = set(core_store.registry.chunk_ids(doc_id))
    gone = old_ids - new_ids
    assert gone, "the edited chunk should have a new id"
    chroma, registry, lexical = _ids(core_store)
    for where in (chroma, registry, lexical):
        assert not gone & where, "old chunk ids left behind"
        assert new_ids <= where
        assert other_ids <= where
    assert chroma == registry == lexical
    # only chunks whose text changed are embedded again (the cache holds the rest)
    assert 0 < counting_embeddings.texts_embedded <= len(new_ids - old_ids)
    rec = core_store.registry.get_document(doc_id)
    assert rec is not None and "trước ngày 30/6/2023" in rec.text
    assert any("30/6/2023" in c.text for c in core_store.registry.doc_chunks(doc_id))


# --- removal -------------------------------------------------------------------------------------


def test_remove_by_doc_id(core_store: IndexStore, sample_copy: Path) -> None:
    ingest_paths(core_store, [sample_copy])
    doc_id = make_doc_id(str((sample_copy / NAME_000).resolve()))
    chunk_ids = set(core_store.registry.chunk_ids(doc_id))
    assert chunk_ids

    outcome = remove(core_store, doc_id)
    assert (outcome.status, outcome.doc_id, outcome.chunks) == ("removed", doc_id, len(chunk_ids))
    assert core_store.registry.get_document(doc_id) is None
    assert core_store.registry.facts(doc_id=doc_id) == []
    remaining = _assert_consistent(core_store)
    assert remaining and not remaining & chunk_ids


def test_remove_by_path_then_reingest(core_store: IndexStore, sample_copy: Path) -> None:
    ingest_paths(core_store, [sample_copy])
    path = sample_copy / NAME_002
    outcome = remove(core_store, str(path))
    assert outcome.status == "removed"
    assert outcome.path == str(path.resolve())
    assert core_store.registry.find_by_path(str(path.resolve())) is None
    _assert_consistent(core_store)

    again = ingest_paths(core_store, [path])
    assert [o.status for o in again.outcomes] == ["added"]
    _assert_consistent(core_store)


def test_remove_by_path_of_a_deleted_file(core_store: IndexStore, sample_copy: Path) -> None:
    ingest_paths(core_store, [sample_copy])
    path = sample_copy / NAME_000
    stored = str(path.resolve())
    path.unlink()
    assert remove(core_store, stored).status == "removed"
    _assert_consistent(core_store)


def test_remove_unknown_target(core_store: IndexStore) -> None:
    with pytest.raises(QAError) as info:
        remove(core_store, "khong-co-van-ban-nay")
    assert info.value.status_code == 404
    assert "khong-co-van-ban-nay" in info.value.message


# --- bad files in a batch ------------------------------------------------------------------------


def test_bad_files_are_skipped_with_reasons_and_good_ones_ingested(
    core_store: IndexStore, tmp_path: Path, sample_copy: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_bytes((sample_copy / NAME_000).read_bytes())
    (batch / "good.md").write_text(
        "# Kế hoạch số 74/KH-UBND\n\nUỷ ban nhân dân thành phố yêu cầu các sở báo cáo trước ngày 30/6/2023.\n",
        encoding="utf-8",
    )
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (batch / "undecodable.txt").write_bytes("Café crème brûlée".encode("latin-1"))
    (batch / "table.xlsx").write_bytes(b"PK\x03\x04 not really")
    (batch / ".hidden.txt").write_text("ẩn", encoding="utf-8")

    summary = ingest_paths(core_store, [batch])
    outcomes = _by_name(summary)
    assert outcomes["good.txt"].status == "added"
    assert outcomes["good.md"].status == "added"
    assert ".hidden.txt" not in outcomes
    reasons = {name: o.reason or "" for name, o in outcomes.items() if o.status == "skipped"}
    assert set(reasons) == {"empty.txt", "binary.txt", "undecodable.txt", "table.xlsx"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "cannot decode" in reasons["undecodable.txt"]
    assert "unsupported" in reasons["table.xlsx"] and ".xlsx" in reasons["table.xlsx"]
    assert {o.path for o in summary.skipped} >= {str((batch / "empty.txt").resolve())}
    docs, total = core_store.registry.list_documents()
    assert total == 2
    _assert_consistent(core_store)


def test_same_content_under_two_names_is_a_duplicate(core_store: IndexStore, tmp_path: Path, sample_copy: Path) -> None:
    copy = tmp_path / "ban-sao.txt"
    copy.write_bytes((sample_copy / NAME_000).read_bytes())
    summary = ingest_paths(core_store, [sample_copy / NAME_000, copy])
    first, second = summary.outcomes
    assert first.status == "added"
    assert second.status == "skipped"
    assert second.doc_id == first.doc_id
    assert second.reason is not None and NAME_000 in second.reason and "same content" in second.reason
    assert core_store.registry.list_documents()[1] == 1


def test_file_edited_into_a_copy_of_another_does_not_keep_its_old_text(
    core_store: IndexStore, sample_copy: Path
) -> None:
    """DESIGN.md: "a changed file replaces its old chunks" — even when its new content is a duplicate."""
    ingest_paths(core_store, [sample_copy])
    edited = sample_copy / NAME_002
    doc_id = make_doc_id(str(edited.resolve()))
    edited.write_bytes((sample_copy / NAME_000).read_bytes())

    outcome = _by_name(ingest_paths(core_store, [edited]))[NAME_002]
    assert outcome.status in ("skipped", "updated", "removed")
    rec = core_store.registry.get_document(doc_id)
    old_text = "Tài liệu đính kèm tải tại đây 74-UBND-KH.signed"
    assert rec is None or old_text not in rec.text, "the index still answers from text the file no longer has"
    _assert_consistent(core_store)


def test_unknown_path_is_a_skipped_outcome(core_store: IndexStore, tmp_path: Path, sample_copy: Path) -> None:
    missing = tmp_path / "khong-ton-tai.txt"
    summary = ingest_paths(core_store, [missing, sample_copy / NAME_002])
    outcomes = {o.path: o for o in summary.outcomes}
    assert outcomes[str(missing)].status == "skipped"
    assert outcomes[str(missing)].reason == "no such file or folder"
    assert summary.count("added") == 1


def test_ingest_bytes_reports_errors_as_outcomes(core_store: IndexStore) -> None:
    with core_store.writer_lock:
        bad = ingest_bytes(core_store, "anh.png", b"\x89PNG")
        good = ingest_bytes(core_store, "a.txt", "Uỷ ban nhân dân thành phố ban hành Kế hoạch số 74-UBND-KH.".encode())
        core_store.refresh(persist=True)
    assert bad.status == "skipped" and "unsupported" in (bad.reason or "")
    assert good.status == "added" and good.chunks == 1
    _assert_consistent(core_store)


def test_html_article_without_a_date_gets_no_published_date(core_store: IndexStore, tmp_path: Path) -> None:
    """The dates in the body are the directive's (metadata.py): never the article's published date."""
    body = (
        "Ban Thường vụ Thành ủy yêu cầu các cấp ủy đảng, chính quyền tiếp tục quán triệt, thực hiện nghiêm túc "
        "Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư về tăng cường sự lãnh đạo của Đảng trong tình hình mới."
    )
    page = tmp_path / "bai-viet.html"
    page.write_text(
        f"<html><head><title>Đối ngoại nhân dân</title></head><body><article><h1>Đối ngoại nhân dân</h1>"
        f"<p>{body}</p><p>{body}</p></article></body></html>",
        encoding="utf-8",
    )
    (outcome,) = ingest_paths(core_store, [page]).outcomes
    assert outcome.status == "added"
    rec = core_store.registry.get_document(outcome.doc_id or "")
    assert rec is not None
    assert rec.published is None


def test_html_article_with_a_published_meta_tag(core_store: IndexStore, tmp_path: Path) -> None:
    page = tmp_path / "co-ngay.html"
    page.write_text(
        '<html><head><title>Đối ngoại nhân dân</title>'
        '<meta property="article:published_time" content="2023-01-12T04:44:00+07:00"></head>'
        "<body><article><h1>Đối ngoại nhân dân</h1><p>"
        + "Ban Thường vụ Thành ủy ban hành công văn về Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư. " * 3
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    (outcome,) = ingest_paths(core_store, [page]).outcomes
    rec = core_store.registry.get_document(outcome.doc_id or "")
    assert rec is not None and rec.published == "2023-01-12"


def test_doc_ids_are_readable_and_stable() -> None:
    a = make_doc_id("/data/Chỉ thị 12-CT.txt")
    assert a == make_doc_id("/data/Chỉ thị 12-CT.txt")
    assert a.startswith("chi-thi-12-ct-")
    assert make_doc_id("/other/Chỉ thị 12-CT.txt") != a
