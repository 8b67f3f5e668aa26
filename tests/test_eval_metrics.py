"""Each metric on tiny hand-made cases whose right value is known."""

from __future__ import annotations

import unicodedata

import pytest

from qa_service.eval.metrics import (
    CitedChunk,
    Outcome,
    check_thresholds,
    citation_relevant,
    first_relevant_rank,
    judge,
    missing_groups,
    percentile,
    summarize,
    summarize_by_type,
)
from qa_service.eval.testset import TestCase

A = "000_bcc9d3f070f74c9b.txt"
B = "002_2a1730ed412324ac.txt"
EVIDENCE = "Kế hoạch số 108-KH/TU ngày 20/5/2022"


def case(id: str = "q", answerable: bool = True, evidence: str = EVIDENCE, **kw) -> TestCase:
    must = kw.pop("must_include", [["20/5/2022", "20/05/2022"]] if answerable else [])
    return TestCase(
        id=id,
        question="Kế hoạch 108-KH/TU ban hành ngày nào?",
        answerable=answerable,
        must_include=must,
        gold_sources=kw.pop("gold_sources", [A] if answerable else []),
        gold_evidence=evidence if answerable else "",
        **kw,
    )


def cite(i: int, snippet: str, source: str = A, chunk: str = "", text: str | None = None) -> CitedChunk:
    return CitedChunk(index=i, source=source, snippet=snippet, chunk_id=chunk or f"c{i}", chunk_text=text)


GOOD = "… và Kế hoạch số 108-KH/TU ngày 20/5/2022 của Ban Thường vụ Thành ủy …"
OTHER = "Chỉ thị số 38-CT/TW ngày 19/9/2019 của Ban Bí thư"


# --- answer correctness ------------------------------------------------------------------


def test_answer_needs_every_group() -> None:
    groups = [["Ban Thường vụ Thành ủy"], ["20/5/2022", "20/05/2022"]]
    assert missing_groups("Ban Thường vụ Thành ủy ban hành ngày 20/05/2022 [1].", groups) == []
    assert missing_groups("Ban hành ngày 20/5/2022.", groups) == [["Ban Thường vụ Thành ủy"]]


def test_tone_style_and_nfd_are_not_errors_but_missing_diacritics_are() -> None:
    groups = [["Ban Thường vụ Thành ủy"]]
    assert missing_groups("Do Ban Thường vụ Thành uỷ ban hành.", groups) == []
    assert missing_groups(unicodedata.normalize("NFD", "Ban Thường vụ Thành ủy"), groups) == []
    assert missing_groups("ban thuong vu thanh uy", groups) == groups
    assert missing_groups("cụ thể hoá", [["cụ thể hóa"]]) == []


def test_alternatives_match_whole_tokens_only() -> None:
    assert missing_groups("ngày 15/1/2022", [["5/1/2022"]]) == [["5/1/2022"]]
    assert missing_groups("ngày 5/1/2022.", [["5/1/2022"]]) == []
    assert missing_groups("nguồn: sotttt.haiphong.gov.vn", [["haiphong.gov.vn"]]) == []


# --- relevance and ranking -----------------------------------------------------------------


def test_relevance_by_evidence_in_snippet_or_chunk_text() -> None:
    c = case()
    assert citation_relevant(cite(1, GOOD), c)
    assert citation_relevant(cite(1, GOOD.replace("Thành ủy", "Thành uỷ").upper()), c)
    assert not citation_relevant(cite(1, OTHER), c)
    # the snippet is too short, but the full chunk (known in process) contains the evidence
    assert citation_relevant(cite(1, "ngày 20/5/2022", text=GOOD), c)
    assert not citation_relevant(cite(1, "ngày 20/5/2022"), c)


def test_relevance_by_source_when_no_evidence() -> None:
    c = case(evidence="", gold_sources=[A])
    assert citation_relevant(cite(1, "anything", source=f"data/sample/{A}"), c)
    assert citation_relevant(cite(1, "anything", source=f"https://x.vn/docs/{A}"), c)
    assert not citation_relevant(cite(1, "anything", source=B), c)


def test_unanswerable_citations_are_never_relevant() -> None:
    assert not citation_relevant(cite(1, GOOD), case(answerable=False))


def test_rank_counts_chunks_not_citations() -> None:
    cites = [cite(1, OTHER, chunk="x"), cite(2, OTHER, chunk="x"), cite(3, GOOD, chunk="y")]
    assert first_relevant_rank(cites, [False, False, True]) == 2
    assert first_relevant_rank(cites, [False, False, False]) is None


# --- per-question verdicts ------------------------------------------------------------------


def test_verdicts_and_reasons() -> None:
    ok = judge(Outcome(case(), answer="Ngày 20/5/2022 [1].", citations=[cite(1, GOOD)]))
    assert ok.correct and ok.answer_correct and "all 1 required" in ok.reason and "1/1" in ok.reason
    wrong = judge(Outcome(case(), answer="Ngày 19/9/2019 [1].", citations=[cite(1, OTHER)]))
    assert not wrong.correct and wrong.reason.startswith("missing: 20/5/2022 | 20/05/2022")
    shy = judge(Outcome(case(), answer="Không có thông tin.", abstained=True))
    assert not shy.correct and shy.reason.startswith("abstained although")
    abst = judge(Outcome(case(answerable=False), abstained=True))
    assert abst.correct and abst.answer_correct is None
    bold = judge(Outcome(case(answerable=False), answer="Ngày 1/1/2023."))
    assert not bold.correct and "do not contain" in bold.reason
    err = judge(Outcome(case(), error="HTTP 500"))
    assert not err.correct and err.reason == "error: HTTP 500"


# --- aggregates ------------------------------------------------------------------------------


def run() -> list:
    """4 answerable + 2 unanswerable questions with known outcomes."""
    outcomes = [
        # relevant at rank 1, correct answer, 2 citations (1 relevant)
        Outcome(
            case("a1", type="date"),
            "20/5/2022 [1]",
            citations=[cite(1, GOOD), cite(2, OTHER)],
            latency_ms=10,
        ),
        # relevant at rank 3, wrong answer, 3 citations (1 relevant)
        Outcome(
            case("a2", type="date"),
            "19/9/2019 [1]",
            citations=[cite(1, OTHER), cite(2, OTHER), cite(3, GOOD)],
            latency_ms=20,
        ),
        # abstained, listing the passage it found: counts for retrieval, not as a citation
        Outcome(
            case("a3", type="entity"), "Không có thông tin.", abstained=True, citations=[cite(1, GOOD)], latency_ms=30
        ),
        # request failed
        Outcome(case("a4", type="entity"), error="timeout"),
        # unanswerable: one abstains, one answers
        Outcome(
            case("u1", answerable=False, type="unanswerable"),
            "Không có.",
            abstained=True,
            latency_ms=40,
        ),
        Outcome(
            case("u2", answerable=False, type="unanswerable"),
            "Có [1]",
            citations=[cite(1, OTHER)],
            latency_ms=50,
        ),
    ]
    return [judge(o) for o in outcomes]


def test_summary_values() -> None:
    m = summarize(run())
    assert (m["questions"], m["answerable"], m["unanswerable"], m["errors"]) == (6, 4, 2, 1)
    assert m["accuracy"] == pytest.approx(2 / 6)  # a1 and u1
    assert m["answer_correctness"] == pytest.approx(1 / 4)
    assert m["hit@1"] == pytest.approx(2 / 4)  # a1 and a3 (abstained, but retrieval found it)
    assert m["hit@3"] == m["hit@5"] == pytest.approx(3 / 4)
    assert m["mrr"] == pytest.approx((1 + 1 / 3 + 1) / 4)
    assert m["citation_precision"] == pytest.approx(2 / 5)  # answered, answerable questions only
    assert m["citation_recall"] == pytest.approx(2 / 4)  # a1, a2; not a3 (abstained)
    assert m["abstention_precision"] == pytest.approx(1 / 2)  # a3 and u1 abstained, u1 rightly
    assert m["abstention_recall"] == pytest.approx(1 / 2)
    assert m["latency_p50_ms"] == pytest.approx(30)  # errors excluded: 10 20 30 40 50
    assert m["latency_p95_ms"] == pytest.approx(48)
    assert m["latency_max_ms"] == 50


def test_undefined_metrics_are_none_not_zero() -> None:
    m = summarize([judge(Outcome(case(), "20/5/2022", citations=[]))])
    assert m["abstention_precision"] is None and m["abstention_recall"] is None
    assert m["citation_precision"] is None and m["citation_recall"] == 0
    assert summarize([])["accuracy"] is None


def test_breakdown_by_type() -> None:
    by_type = summarize_by_type(run())
    assert list(by_type) == ["date", "entity", "unanswerable"]
    assert by_type["date"]["answer_correctness"] == pytest.approx(1 / 2)
    assert by_type["date"]["mrr"] == pytest.approx((1 + 1 / 3) / 2)
    assert by_type["entity"]["hit@1"] == pytest.approx(1 / 2)
    assert by_type["unanswerable"]["abstention_recall"] == pytest.approx(1 / 2)
    assert by_type["unanswerable"]["answer_correctness"] is None
    assert list(summarize_by_type([judge(Outcome(case(), "x"))])) == ["untyped"]


def test_percentile_is_numpy_linear() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) == pytest.approx(9.55)


def test_thresholds() -> None:
    m = {"answer_correctness": 0.9, "abstention_recall": None, "latency_p95_ms": 120.0}
    rows = check_thresholds(m, {"answer_correctness": 0.85, "abstention_recall": 0.9, "latency_p95_ms": 100})
    assert [(r["metric"], r["ok"]) for r in rows] == [
        ("answer_correctness", True),
        ("abstention_recall", False),  # not measurable is not a pass
        ("latency_p95_ms", False),  # a maximum, not a minimum
    ]
    assert rows[2]["op"] == "<="
