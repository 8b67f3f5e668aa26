"""qa_service.answering.doctext: a document's folded text, computed once per version of it."""

from __future__ import annotations

from qa_service.answering.doctext import folded_text
from vectorstore.registry import DocumentRecord


def record(content_hash: str, text: str) -> DocumentRecord:
    return DocumentRecord(doc_id="d1", source="kh.txt", path="kh.txt", title="Kế hoạch 624/KH-UBND",
                          published="2025-11-19", content_hash=content_hash, text=text,
                          metadata={"issuer": "Ủy ban nhân dân tỉnh Hà Tĩnh", "number": "624/KH-UBND"}, ingested_at=0.0)


def test_folded_once_per_version_and_refolded_when_the_document_changes() -> None:
    first = folded_text(record("h1", "Sở Tài chính hoàn thành trước ngày 15/12/2025, bố trí 30 tỷ đồng."))
    assert folded_text(record("h1", "ignored: same version")) is first  # cached by (doc_id, content_hash)
    assert "so tai chinh" in first.folded and "ha tinh" in first.folded  # text and metadata names
    assert "624/kh-ubnd" in first.compact and "15" not in first.numbers.split() and "30" in first.numbers.split()
    changed = folded_text(record("h2", "Sở Y tế chủ trì."))
    assert changed is not first and "so y te" in changed.folded


def test_text_only_leaves_title_and_metadata_out() -> None:
    plain = folded_text(record("h3", "Sở Y tế chủ trì."), with_metadata=False)
    assert "ha tinh" not in plain.folded and "ke hoach" not in plain.folded
