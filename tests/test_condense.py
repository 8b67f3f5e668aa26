"""qa_service.condense: follow-up questions made standalone by rule."""

from __future__ import annotations

import pytest

from qa_service.condense import condense
from qa_service.schemas import HistoryMessage
from vectorstore.analyzer import normalize


def _history(*turns: str) -> list[HistoryMessage]:
    """Alternating user / assistant turns, starting with the user."""
    return [HistoryMessage(role="user" if i % 2 == 0 else "assistant", content=t) for i, t in enumerate(turns)]


DECISION = _history("Quyết định 45/QĐ-UBND do ai ký?", "Quyết định do Chủ tịch Ủy ban nhân dân tỉnh ký [1].")
DIRECTIVE = _history("Chỉ thị 12-CT/TW ban hành ngày nào?", "Chỉ thị 12-CT/TW ban hành ngày 05/01/2022 [1].")


# --- "Còn X thì sao?" ----------------------------------------------------------------------------


def test_what_about_swaps_the_document_of_the_same_kind() -> None:
    assert condense("Còn Quyết định 46 thì sao?", DECISION) == "Quyết định 46 do ai ký?"


@pytest.mark.parametrize("follow_up", ["còn Quyết định 46 thì thế nào?", "Thế còn Quyết định 46 thì sao", "Còn Quyết định 46 ra sao?"])
def test_what_about_phrasings(follow_up: str) -> None:
    assert condense(follow_up, DECISION) == "Quyết định 46 do ai ký?"


def test_what_about_a_bare_number() -> None:
    history = _history("Kế hoạch 108-KH/TU giao nhiệm vụ gì?", "Kế hoạch giao ... [1].")
    # a bare number replaces the whole reference (its kind may differ)
    assert condense("Còn 74-UBND-KH thì sao?", history) == "74-UBND-KH giao nhiệm vụ gì?"


def test_what_about_a_document_of_another_kind_replaces_the_whole_reference() -> None:
    """"Còn Kế hoạch 108-KH/TU thì sao?" after a question about Chỉ thị 12-CT/TW is about the plan."""
    assert condense("Còn Kế hoạch 108-KH/TU thì sao?", DIRECTIVE) == "Kế hoạch 108-KH/TU ban hành ngày nào?"


def test_every_numbered_kind_is_a_document_reference() -> None:
    """One list of kinds (ingestion/lexicon/layout.py) for ingestion and follow-ups: a Công điện is a document
    to swap in as a Chỉ thị is."""
    history = _history("Công điện 96/CĐ-BXD do ai ký?", "Công điện do Bộ trưởng Bộ Xây dựng ký [1].")
    assert condense("Còn Công điện 230/CĐ-TTg thì sao?", history) == "Công điện 230/CĐ-TTg do ai ký?"
    assert condense("Còn Tờ trình 12/TTr-UBND thì sao?", DIRECTIVE) == "Tờ trình 12/TTr-UBND ban hành ngày nào?"


def test_what_about_a_body_keeps_the_document() -> None:
    """X is not a document ("Còn Ủy ban nhân dân thì sao?"): it must not replace the document reference."""
    history = _history("Chỉ thị 12-CT/TW giao nhiệm vụ gì cho Thành ủy?", "Thành ủy phải quán triệt ... [1].")
    condensed = condense("Còn Ủy ban nhân dân thì sao?", history)
    assert "Chỉ thị 12-CT/TW" in condensed
    assert "Uỷ ban nhân dân" in condensed


# --- "văn bản đó", "nó", "kế hoạch này" ----------------------------------------------------------


def test_that_document_resolves_to_the_previous_turn() -> None:
    assert condense("Văn bản đó có hiệu lực từ ngày nào?", DECISION) == "Quyết định 45/QĐ-UBND có hiệu lực từ ngày nào?"


def test_that_document_after_a_chain_of_two_follow_ups() -> None:
    history = DECISION + _history("Còn Quyết định 46 thì sao?", "Quyết định 46 do Phó Chủ tịch ký [1].")
    assert condense("Văn bản đó có hiệu lực từ ngày nào?", history) == "Quyết định 46 có hiệu lực từ ngày nào?"


def test_anaphora_chain_keeps_the_first_document() -> None:
    history = DIRECTIVE + _history("Văn bản đó do ai ký?", "Ban Bí thư [1].")
    assert condense("Nó có hiệu lực từ ngày nào?", history) == "Chỉ thị 12-CT/TW có hiệu lực từ ngày nào?"


@pytest.mark.parametrize("phrase", ["Chỉ thị này", "chỉ thị trên", "Chỉ thị nói trên", "văn bản đó"])
def test_kind_plus_pointer(phrase: str) -> None:
    assert condense(f"{phrase} giao nhiệm vụ gì?", DIRECTIVE) == "Chỉ thị 12-CT/TW giao nhiệm vụ gì?"


def test_reference_from_the_assistant_answer_when_the_question_had_none() -> None:
    history = _history("Văn bản nào yêu cầu tăng cường đối ngoại nhân dân?", "Đó là Chỉ thị số 12-CT/TW [1].")
    assert condense("Văn bản đó ban hành ngày nào?", history) == "Chỉ thị số 12-CT/TW ban hành ngày nào?"


def test_short_fragment_continues_the_topic() -> None:
    assert condense("Ai ký?", DIRECTIVE) == "Ai ký Chỉ thị 12-CT/TW?"


# --- standalone questions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Chỉ thị 38-CT/TW ban hành ngày nào?",
        "Ai có trách nhiệm xây dựng Chương trình hành động?",
        "chi thi 12 ban hanh ngay nao",
    ],
)
def test_standalone_questions_are_unchanged(question: str) -> None:
    assert condense(question, []) == question
    assert condense(question, DIRECTIVE) == question
    assert condense(question, DECISION) == question


def test_standalone_question_is_only_normalised() -> None:
    question = "  Thành ủy yêu cầu gì?  "
    assert condense(question, DIRECTIVE) == normalize(question.strip())
    assert condense(question, []) == normalize(question.strip())


def test_no_user_turn_in_history() -> None:
    history = [HistoryMessage(role="assistant", content="Xin chào, tôi có thể giúp gì về Chỉ thị 12-CT/TW?")]
    assert condense("Văn bản đó ban hành ngày nào?", history) == "Văn bản đó ban hành ngày nào?"


def test_anaphora_without_any_reference_is_left_alone() -> None:
    history = _history("Thời tiết hôm nay thế nào?", "Tôi không tìm thấy thông tin này trong tài liệu.")
    assert condense("Văn bản đó ban hành ngày nào?", history) == "Văn bản đó ban hành ngày nào?"


def test_a_follow_up_about_a_thing_of_the_previous_document_keeps_that_document() -> None:
    from qa_service.condense import condense
    from qa_service.schemas import HistoryMessage

    history = [
        HistoryMessage(role="user", content="Theo Kế hoạch 1026/KH-UBND của Nghệ An, ai là Trưởng Ban Chỉ đạo?"),
        HistoryMessage(role="assistant", content="Trưởng Ban Chỉ đạo là Chủ tịch UBND tỉnh Nghệ An."),
    ]
    out = condense("Vậy cơ quan thường trực của Ban Chỉ đạo đó là cơ quan nào?", history)
    assert out.endswith("theo Kế hoạch 1026/KH-UBND?")
    assert condense("Quyết định 98/2025/QĐ-UBND có hiệu lực khi nào?", history).startswith("Quyết định 98")


def test_a_body_pointed_back_at_is_the_one_the_last_answer_named() -> None:
    from qa_service.condense import condense
    from qa_service.schemas import HistoryMessage

    history = [
        HistoryMessage(role="user", content="Ai được giao chủ trì triển khai Kế hoạch xuất khẩu của tỉnh Sơn La?"),
        HistoryMessage(role="assistant", content="Quyết định 2954/QĐ-UBND giao Sở Công Thương chủ trì triển khai."),
    ]
    out = condense("Sở đó phải báo cáo UBND tỉnh trước ngày nào?", history)
    assert out.startswith("Sở Công Thương phải báo cáo") and out.endswith("theo Quyết định 2954/QĐ-UBND?")


def test_a_duty_pointed_back_at_brings_the_last_answers_words() -> None:
    history = [
        HistoryMessage(role="user", content="Chỉ thị 24/CT-TTg giao Bộ Xây dựng nhiệm vụ gì về văn bản pháp luật?"),
        HistoryMessage(role="assistant", content="Bộ Xây dựng chủ trì rà soát, sửa đổi các văn bản quy phạm pháp luật [1]."),
    ]
    out = condense("Hạn hoàn thành nhiệm vụ đó là khi nào?", history)
    assert out == ("Hạn hoàn thành nhiệm vụ đó (Bộ Xây dựng chủ trì rà soát, sửa đổi các văn bản quy phạm pháp luật) "
                   "là khi nào theo Chỉ thị 24/CT-TTg?")
    refused = [history[0], HistoryMessage(role="assistant", content="Không tìm thấy thông tin này trong các văn bản.")]
    assert "(" not in condense("Hạn hoàn thành nhiệm vụ đó là khi nào?", refused)
    # Activities pointed back at: the follow-up asks about their results, not about them.
    assert "(" not in condense("Kết quả các hoạt động đó gửi về đâu?", history)
