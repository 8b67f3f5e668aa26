"""Chat questions about the task register: which questions are register questions, and the cited lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingestion.pipeline import ingest_bytes
from qa_service.answering.analysis import analyze
from qa_service.answering.register import read_register_question
from qa_service.chain import make_extractive_chain
from qa_service.question import analyze_question
from vectorstore.retriever import HybridRetriever

FIXTURE = Path(__file__).parent / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"
TODAY = date(2025, 12, 1)


def _ask(question: str, today: date = TODAY) -> Any:
    return read_register_question(analyze(analyze_question(question)), today)


def test_period_status_and_role_are_read() -> None:
    ask = _ask("Sở Tài chính có những nhiệm vụ gì phải hoàn thành trong tháng 12/2025?")
    assert (ask.actor, ask.role, ask.status, ask.due_from, ask.due_to) == (
        "Sở Tài chính", "any", None, date(2025, 12, 1), date(2025, 12, 31))
    assert _ask("Những việc nào đã quá hạn?").status == "overdue"
    assert _ask("Nhung viec nao da qua han?").status == "overdue"  # typed without marks
    assert _ask("Có nhiệm vụ nào sắp đến hạn không?").status == "due_soon"
    ask = _ask("Việc nào Sở Nội vụ chủ trì?")
    assert (ask.actor, ask.role, ask.status, ask.due_from) == ("Sở Nội vụ", "lead", None, None)
    assert _ask("Sở Y tế phối hợp những việc gì?").role == "support"
    quarter = _ask("Những nhiệm vụ nào phải hoàn thành trong quý I/2026?")
    assert (quarter.due_from, quarter.due_to, quarter.period) == (date(2026, 1, 1), date(2026, 3, 31), "quý I/2026")
    this_month = _ask("Tháng này Sở GD&ĐT có những việc gì đến hạn?", today=date(2026, 2, 10))
    assert (this_month.due_from, this_month.due_to) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (this_month.actor, this_month.period) == ("Sở GD&ĐT", "tháng 2/2026")  # the register expands aliases


@pytest.mark.parametrize(
    "question",
    [
        "Theo Kế hoạch 624/KH-UBND, Sở Tài chính phải làm gì?",  # names a document: its passages answer
        "Kế hoạch của UBND thành phố Hải Phòng năm 2025 giao cơ quan nào làm đầu mối và hạn báo cáo là khi nào?",
        "Sở Tài chính có những nhiệm vụ gì?",  # no period, status or role: the passages answer
        "Ai ký Chỉ thị 06/CT-UBND?",
        "Kho học liệu số phải hoàn thành khi nào?",
    ],
)
def test_questions_about_one_document_or_one_fact_are_not_register_questions(question: str) -> None:
    assert _ask(question) is None


@pytest.fixture
def chain(core_store: Any) -> Any:
    ingest_bytes(core_store, FIXTURE.name, FIXTURE.read_bytes(), str(FIXTURE))
    core_store.refresh()
    chain = make_extractive_chain(core_store, HybridRetriever(store=core_store, k=5))
    chain.answerer.today = lambda: TODAY
    return chain


def _chat(chain: Any, question: str) -> Any:
    from qa_service.chain import ChainState
    from qa_service.schemas import ChatRequest

    return chain.as_runnable().invoke(ChainState(request=ChatRequest(message=question), history=[]))


def test_a_register_answer_lists_each_task_with_its_deadline_and_citation(chain: Any) -> None:
    res = _chat(chain, "Sở Tài chính có những nhiệm vụ gì phải hoàn thành trong tháng 12/2025?")
    assert not res.abstained
    assert res.answer.startswith("Sở Tài chính có 1 nhiệm vụ có hạn trong tháng 12/2025:")
    assert "hạn 31/12/2025" in res.answer and "624/KH-UBND" in res.answer and "[1]" in res.answer
    assert len(res.citations) == 1 and "bố trí kinh phí" in res.citations[0].snippet
    assert res.citations[0].section and "Sở Tài chính" in res.citations[0].section

    res = _chat(chain, "Việc nào Sở GD&ĐT chủ trì?")
    assert res.answer.count("\n") == 2 and "[1]" in res.answer and "[2]" in res.answer
    assert {c.index for c in res.citations} == {1, 2}
    assert "kho học liệu số" in res.answer and "15/12/2025" in res.answer


def test_status_questions_are_relative_to_today(chain: Any) -> None:
    res = _chat(chain, "Những việc nào sắp đến hạn?")
    assert "đến hạn trong 30 ngày tới (từ ngày 01/12/2025)" in res.answer
    assert "15/12/2025" in res.answer and "31/12/2025" in res.answer and "30/06/2026" not in res.answer
    res = _chat(chain, "Những việc nào đã quá hạn?")
    assert res.abstained and res.answer.startswith("Không tìm thấy nhiệm vụ nào đã quá hạn")
    chain.answerer.today = lambda: date(2026, 7, 1)
    res = _chat(chain, "Những việc nào đã quá hạn?")
    assert not res.abstained and "30/06/2026" in res.answer and "31/12/2025" in res.answer


def test_a_role_question_the_register_cannot_answer_goes_to_the_passages(chain: Any) -> None:
    res = _chat(chain, "Việc nào Sở Y tế chủ trì?")
    assert not res.answer.startswith("Không tìm thấy nhiệm vụ")  # the passage pipeline decided, not the register
