"""qa_service/evidence.py: the retrieved chunks' sentences, scored against the question."""

from __future__ import annotations

from langchain_core.documents import Document

from qa_service.evidence import best_window, collect, contains_folded, coverage, local_idf, sentence_tokens
from qa_service.question import analyze_question
from vectorstore.sentence_facts import SentenceFact

DOC = (
    "Kế hoạch số 108-KH/TU ngày 20/5/2022 của Ban Thường vụ Thành uỷ. "
    "Ban Tuyên giáo Thành uỷ chủ trì, phối hợp với các cơ quan báo cáo kết quả trước ngày 30/6/2022. "
    "Các cấp uỷ tổ chức quán triệt Chỉ thị trong quý II."
)
SPLIT = DOC.index("Ban Tuyên giáo")


def chunk(chunk_id: str, start: int, end: int, score: float = 0.5, doc_id: str = "kh108") -> Document:
    return Document(page_content=DOC[start:end], metadata={
        "chunk_id": f"{doc_id}:{chunk_id}", "doc_id": doc_id, "start": start, "end": end, "score": score,
        "header": "Kế hoạch 108-KH/TU · Ban Thường vụ Thành uỷ"})


def test_coverage_weighs_document_numbers_over_plain_words() -> None:
    q = ["ke_hoach", "108-kh/tu", "ban"]
    assert coverage(q, {"108-kh/tu"}) > coverage(q, {"ke_hoach"}) > coverage(q, {"ban"}) > 0
    assert coverage(q, set()) == 0.0 and coverage([], {"ban"}) == 0.0
    rare = local_idf(["ban", "108-kh/tu"], [frozenset({"ban"}), frozenset({"ban"}), frozenset({"ban", "108-kh/tu"})])
    assert rare["108-kh/tu"] > rare["ban"] >= 0.25


def test_collect_reads_each_sentence_once_with_its_offsets_facts_and_deadlines() -> None:
    info = analyze_question("Ai chủ trì báo cáo kết quả Kế hoạch 108-KH/TU?")
    overlapping = [chunk("a", 0, len(DOC)), chunk("b", SPLIT, len(DOC), score=0.9)]
    fact = SentenceFact(kind="responsibility", sentence=DOC[SPLIT : DOC.index(" Các cấp")], start=SPLIT,
                        end=DOC.index(" Các cấp"), chunk_id="kh108:a")
    sentences = collect(info, overlapping, [fact])
    assert len(sentences) == 3  # the overlap is read once
    for s in sentences:
        assert DOC[s.start : s.end] == s.text and s.doc_id == "kh108"
    best = sentences[0]
    assert best.text.startswith("Ban Tuyên giáo") and best.facts == [fact]
    assert [(d.kind, DOC[d.start : d.end]) for d in best.deadlines] == [("before", "trước ngày 30/6/2022")]
    assert best.score >= sentences[1].score >= sentences[2].score
    assert info.idf, "collect leaves the candidates' idf on the question for the answerer"


def test_a_name_the_document_does_not_contain_lowers_its_sentences() -> None:
    plain = analyze_question("Ban Tuyên giáo chủ trì báo cáo gì?")
    named = analyze_question("Ban Tuyên giáo ở Hải Phòng chủ trì báo cáo gì?")
    chunks = [chunk("a", 0, len(DOC))]
    top = {s.text: s.coverage for s in collect(plain, chunks, [])}
    penalised = {s.text: s.coverage for s in collect(named, chunks, [], doc_texts={"kh108": "khong co ten do"})}
    key = DOC[SPLIT : DOC.index(" Các cấp")]
    assert named.proper_names and penalised[key] < top[key]


def test_best_window_quotes_the_clauses_that_answer() -> None:
    info = analyze_question("Báo cáo kết quả trước ngày nào?")
    sentence = next(s for s in collect(info, [chunk("a", 0, len(DOC))], []) if "báo cáo" in s.text)
    start, end, cov = best_window(sentence, info.content_tokens, max_chars=80)
    assert sentence.start < start < end <= sentence.end and cov > 0
    assert DOC[start:end].startswith("phối hợp với") and "30/6/2022" in DOC[start:end]  # not "Ban … chủ trì,"


def test_contains_folded_ignores_marks_and_case() -> None:
    assert contains_folded(DOC, "THANH UY") and contains_folded(DOC, "quán triệt chỉ thị")
    assert not contains_folded(DOC, "Hải Phòng")
    assert sentence_tokens("Thành uỷ") == sentence_tokens("Thành ủy")  # either tone-mark style
