"""qa_service/citations.py: how `[n]` markers and citations stay in step."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from qa_service.citations import CitationBuilder
from vectorstore.registry import DocumentRecord

TEXT = "Ban Bí thư ban hành Chỉ thị số 12-CT/TW ngày 05/01/2022. Các cấp uỷ tổ chức quán triệt."


def chunk(chunk_id: str, start: int, end: int, doc_id: str = "d1") -> Document:
    return Document(page_content=TEXT[start:end], metadata={
        "chunk_id": chunk_id, "doc_id": doc_id, "start": start, "end": end, "source": "ct12.txt",
        "title": "Chỉ thị 12", "published": "2022-01-05", "score": 0.123456})


A, B = chunk("c1", 0, 57), chunk("c2", 57, len(TEXT))


def record() -> DocumentRecord:
    return DocumentRecord(doc_id="d1", source="ct12.txt", path="ct12.txt", title="Chỉ thị 12",
                          published="2022-01-05", content_hash="h", text=TEXT, metadata={}, ingested_at=0.0)


def test_numbers_follow_first_citation_and_a_span_keeps_its_number() -> None:
    cites = CitationBuilder()
    assert cites.cite(B) == 1
    assert cites.cite(A, 0, 10) == 2
    assert cites.cite(B) == 1  # the same span again
    assert cites.cite(A) == 3  # the whole chunk is another span than its first ten characters
    first = cites.citations[1]
    assert (first.chunk_id, first.start, first.end, first.snippet) == ("c1", 0, 10, TEXT[:10])
    assert first.score == 0.1235 and first.published == "2022-01-05"


def test_finalize_keeps_only_cited_spans_renumbered_in_order_of_use() -> None:
    cites = CitationBuilder()
    for c in (A, B):
        cites.cite(c)
    cites.cite(A, 0, 10)
    text = cites.finalize("Quán triệt [2]. Ban hành [3][2]. Không có [9].")
    assert text == "Quán triệt [1]. Ban hành [2][1]. Không có [9]."  # an unknown marker is left to verification
    assert [(c.index, c.chunk_id, c.end) for c in cites.citations] == [(1, "c2", len(TEXT)), (2, "c1", 10)]
    assert cites.cite(B) == 1  # numbering continues from the kept spans


def test_section_is_recorded_once_and_reset_forgets_everything() -> None:
    cites = CitationBuilder()
    cites.cite(A, section="I. MỤC ĐÍCH")
    cites.cite(A, section="II. Khác")
    assert cites.citations[0].section == "I. MỤC ĐÍCH"
    cites.reset()
    assert cites.citations == [] and cites.cite(B) == 1


def test_spans_outside_the_retrieved_chunks_are_cited_through_chunk_at() -> None:
    chunks = [A, B]

    def chunk_at(doc_id: str, offset: int) -> Document | None:
        return next((c for c in chunks if c.metadata["start"] <= offset < c.metadata["end"]), None)

    cites = CitationBuilder(chunk_at)
    n = cites.cite_span(record(), 60, 80, section="II")
    assert n == 1 and cites.citations[0].snippet == TEXT[60:80] and cites.citations[0].chunk_id == "c2"
    assert cites.chunk_end(record(), 3) == 57
    with pytest.raises(LookupError):
        CitationBuilder().cite_span(record(), 0, 5)
    assert CitationBuilder().chunk_end(record(), 3) is None


def test_a_span_past_its_first_chunk_is_cited_from_the_overlapping_next_one() -> None:
    first, second, third = chunk("c1", 0, 45), chunk("c2", 30, 70), chunk("c3", 60, len(TEXT))

    def chunk_at(doc_id: str, offset: int) -> Document | None:
        return next((c for c in (first, second, third) if c.metadata["start"] <= offset < c.metadata["end"]), None)

    cites = CitationBuilder(chunk_at)
    assert cites.widest_chunk(record(), 35) is second  # the third does not hold offset 35
    assert cites.cite_within(record(), 35, 56) == 1 and cites.citations[0].chunk_id == "c2"
    assert cites.cite_within(record(), 5, 20) == 2 and cites.citations[1].chunk_id == "c1"
    assert CitationBuilder().cite_within(record(), 0, 5) is None


def test_consecutive_spans_of_one_chunk_share_a_widened_citation() -> None:
    def chunk_at(doc_id: str, offset: int) -> Document | None:
        return next((c for c in (A, B) if c.metadata["start"] <= offset < c.metadata["end"]), None)

    cites = CitationBuilder(chunk_at)
    assert cites.cite_joined(record(), 0, 10) == 1 and cites.cite_joined(record(), 20, 30) == 1
    assert (cites.citations[0].start, cites.citations[0].end) == (0, 30) and cites.citations[0].snippet == TEXT[0:30]
    assert cites.cite_joined(record(), 60, 70) == 2  # another chunk: a citation of its own
    cites.cite(A, 40, 50)
    assert cites.cite_joined(record(), 60, 80) == 4  # not joined across another part's citation
