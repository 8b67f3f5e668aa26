"""qa_service.answer / evidence / citations / chain on the sample corpus (lexical retrieval, fake
embeddings: deterministic and fast; the e5 path is covered by test_e2e_sample.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.pipeline import ingest_paths
from qa_service.answering.lexicon import ABSTAIN_TEXT
from qa_service.answering.news import shorten
from qa_service.schemas import ChatRequest, HistoryMessage
from qa_service.service import QAService, build_service, build_store
from qa_service.settings import Settings

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> QAService:
    settings = Settings(data_dir=tmp_path_factory.mktemp("answer"), embeddings="fake", retrieval_mode="lexical")
    ingest_paths(build_store(settings), [SAMPLE])
    return build_service(settings)


def ask(service: QAService, q: str, history: list[HistoryMessage] | None = None) -> tuple[str, bool, list]:  # type: ignore[type-arg]
    r = service.chat(ChatRequest(message=q, history=history or []))
    return r.answer, r.abstained, r.citations


def test_every_marker_points_at_a_citation_and_every_citation_is_used(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Ai có trách nhiệm xây dựng Chương trình hành động?")
    assert not abstained
    assert [c.index for c in cites] == list(range(1, len(cites) + 1))
    for c in cites:
        assert f"[{c.index}]" in answer
    rec = service.store.registry.get_document(cites[0].doc_id)
    assert rec is not None and rec.text[cites[0].start : cites[0].end] == cites[0].snippet


def test_several_actors_sharing_a_duty_are_all_listed(service: QAService) -> None:
    answer, _, cites = ask(service, "Những ai phải xây dựng Chương trình hành động?")
    assert "quận ủy" in answer and "Liên hiệp" in answer
    assert len(cites) >= 2


def test_issue_date_is_quoted_as_written(service: QAService) -> None:
    answer, _, cites = ask(service, "Kế hoạch số 108-KH/TU ban hành ngày nào?")
    assert "20/5/2022" in answer and "Ban Thường vụ Thành ủy" in answer
    assert "108-KH/TU ngày 20/5/2022" in cites[0].snippet


def test_topic_of_a_directive(service: QAService) -> None:
    answer, _, _ = ask(service, "Chỉ thị số 12-CT/TW về vấn đề gì?")
    assert "đối ngoại nhân dân" in answer


def test_which_document_numbers_a_sentence_names(service: QAService) -> None:
    answer, _, _ = ask(service, "Chương trình hành động của các quận ủy phải gắn với việc thực hiện những văn bản nào?")
    for number in ("12-CT/TW", "108-KH/TU", "1830/LHHN-VP"):
        assert number in answer


def test_recurring_deadline(service: QAService) -> None:
    answer, _, _ = ask(service, "Liên hiệp các tổ chức hữu nghị Việt Nam thành phố xây dựng kế hoạch hoạt động theo định kỳ nào?")
    assert "hàng năm" in answer


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("Chỉ thị số 45-CT/TW ban hành ngày nào?", "unknown document number"),
        ("Thành uỷ Đà Nẵng yêu cầu gì?", "another city"),
        ("Hạn chót để Liên hiệp gửi kế hoạch hoạt động hàng năm là khi nào?", "a recurring term is no deadline"),
        ("Chương trình hành động số 1830/LHHN-VP được ban hành ngày nào?", "the documents give no date for it"),
        ("Liên hiệp có bao nhiêu tổ chức thành viên?", "no quantity stated"),
        ("Ai ký công văn chỉ đạo thực hiện Chỉ thị 12-CT/TW?", "no signature named"),
    ],
)
def test_abstains_without_inventing(service: QAService, question: str, why: str) -> None:
    answer, abstained, cites = ask(service, question)
    assert abstained, f"{why}: {answer}"
    assert answer == ABSTAIN_TEXT
    assert 1 <= len(cites) <= 3


def test_follow_up_uses_the_history(service: QAService) -> None:
    history = [HistoryMessage(role="user", content="Chỉ thị số 12-CT/TW ban hành ngày nào?"),
               HistoryMessage(role="assistant", content="Chỉ thị số 12-CT/TW ban hành ngày 05/01/2022 [1].")]
    r = service.chat(ChatRequest(message="Còn Chỉ thị 38-CT/TW thì sao?", history=history))
    assert r.standalone_question and "38-CT/TW" in r.standalone_question
    assert "19/9/2019" in r.answer


def test_server_side_history_by_conversation_id(service: QAService) -> None:
    first = service.chat(ChatRequest(message="Kế hoạch số 108-KH/TU là văn bản của cơ quan nào?"))
    r = service.chat(ChatRequest(message="Văn bản đó ban hành ngày nào?", conversation_id=first.conversation_id))
    assert "20/5/2022" in r.answer


def test_shorten_cuts_at_a_clause() -> None:
    text = "một hai ba bốn năm sáu bảy tám; " + "chín " * 100
    assert shorten(text, 50) == "một hai ba bốn năm sáu bảy tám…"
    assert shorten("mười " * 30, 20) == "mười mười mười mười…"  # no clause: cut at a word
    assert shorten("ngắn.", 40) == "ngắn"
