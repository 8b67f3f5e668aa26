"""ingestion.facts: who must do what, by when — on the sample sentences and a few synthetic ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.clean import clean_text
from ingestion.facts import extract_facts, find_deadlines, sentence_fact
from vectorstore.sentence_facts import SentenceFact as Fact

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
TEXT_000 = clean_text((SAMPLE / "000_bcc9d3f070f74c9b.txt").read_text(encoding="utf-8"))
TEXT_002 = clean_text((SAMPLE / "002_2a1730ed412324ac.txt").read_text(encoding="utf-8"))


def _fact(text: str, sentence_start: str) -> Fact:
    facts = [f for f in extract_facts(text) if f.sentence.startswith(sentence_start)]
    assert len(facts) == 1, f"no single fact for {sentence_start!r}"
    return facts[0]


def _assert_spans(text: str, fact: Fact) -> None:
    """Actor and action quote the document: exact substrings, at the stated offsets."""
    assert text[fact.start : fact.end] == fact.sentence
    if fact.actor is not None:
        assert fact.actor in fact.sentence
        assert fact.actor_start is not None
        assert text[fact.actor_start : fact.actor_start + len(fact.actor)] == fact.actor
    if fact.action is not None:
        assert fact.action in fact.sentence
    for d in fact.deadlines:
        assert text[d.start : d.end] == d.text


# --- "có trách nhiệm" ---------------------------------------------------------------------------


def test_responsibility_sentence() -> None:
    fact = _fact(TEXT_000, "Các quận ủy, huyện ủy")
    assert fact.kind == "responsibility"
    assert fact.actor == (
        "Các quận ủy, huyện ủy, các ban xây dựng Đảng, ban cán sự đảng, đảng đoàn, đảng ủy trực thuộc Thành ủy, "
        "các cơ quan, đơn vị"
    )  # "theo chức năng, nhiệm vụ, thẩm quyền" is not part of who
    assert fact.action is not None
    assert fact.action.startswith("xây dựng Chương trình hành động và kế hoạch triển khai thực hiện")
    assert fact.action.endswith("phù hợp tình hình thực tiễn của thành phố")
    _assert_spans(TEXT_000, fact)


def test_chiu_trach_nhiem_synthetic() -> None:
    sentence = "Sở Ngoại vụ chịu trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch này."
    fact = sentence_fact(sentence, 10)
    assert fact is not None
    assert (fact.kind, fact.actor, fact.action) == (
        "responsibility", "Sở Ngoại vụ", "theo dõi, đôn đốc việc thực hiện Kế hoạch này"
    )
    assert fact.actor_start == 10


# --- "yêu cầu" / "đề nghị" / "chỉ đạo" ----------------------------------------------------------


def test_request_sentence_000() -> None:
    fact = _fact(TEXT_000, "Ban Thường vụ Thành ủy yêu cầu")
    assert fact.kind == "request"
    assert fact.requested_by == "Ban Thường vụ Thành ủy"
    assert fact.actor == (
        "các cấp ủy đảng, chính quyền, Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội thành phố"
    )
    assert fact.action is not None and fact.action.startswith("tiếp tục quán triệt, thực hiện nghiêm túc Chỉ thị số 38-CT/TW")
    _assert_spans(TEXT_000, fact)


def test_request_without_named_actor() -> None:
    fact = _fact(TEXT_000, "Ban Thường vụ Thành ủy đề nghị")
    assert fact.kind == "request"
    assert fact.requested_by == "Ban Thường vụ Thành ủy"
    assert fact.actor is None
    assert fact.action is not None and fact.action.startswith("phát huy vai trò, trách nhiệm lãnh đạo")


def test_request_by_directing_body() -> None:
    fact = _fact(TEXT_000, "Ban cán sự đảng Ủy ban nhân dân")
    assert fact.kind == "request"
    assert fact.requested_by == "Ban cán sự đảng Ủy ban nhân dân lãnh đạo Ủy ban nhân dân thành phố"
    assert fact.actor == "các sở, ban ngành có liên quan và Liên hiệp các tổ chức hữu nghị Việt Nam thành phố"
    assert fact.action is not None and fact.action.startswith("triển khai, cụ thể hóa Chương trình hành động số 1830/LHHN-VP")
    _assert_spans(TEXT_000, fact)


def test_request_sentence_002_old_tone_style() -> None:
    fact = _fact(TEXT_002, "Uỷ ban nhân dân thành phố yêu cầu")
    assert fact.kind == "request"
    assert fact.requested_by == "Uỷ ban nhân dân thành phố"
    assert fact.actor == "các Sở, ban, ngành, tổ chức chính trị – xã hội, Uỷ ban nhân dân các quận, huyện"
    assert fact.action is not None and fact.action.startswith("tăng cường lãnh đạo, chỉ đạo, phối hợp chặt chẽ")
    _assert_spans(TEXT_002, fact)


def test_ngoai_giao_is_not_a_request() -> None:
    fact = sentence_fact("Tăng cường phối hợp giữa đối ngoại đảng, ngoại giao nhà nước và đối ngoại nhân dân.", 0)
    assert fact is None or fact.kind != "request"


# --- "Đối với" -----------------------------------------------------------------------------------


def test_doi_voi_sentence_with_recurring_and_term_deadlines() -> None:
    fact = _fact(TEXT_000, "Đối với Liên hiệp")
    assert fact.kind == "responsibility"
    assert fact.actor == "Liên hiệp các tổ chức hữu nghị Việt Nam thành phố"
    assert fact.action is not None and fact.action.startswith("bám sát sự chỉ đạo, hướng dẫn của Liên hiệp")
    assert [(d.kind, d.text) for d in fact.deadlines] == [
        ("recurring", "hàng năm"),
        ("period", "nhiệm kỳ 2020 - 2025"),
    ]
    _assert_spans(TEXT_000, fact)


# --- "ban hành" ----------------------------------------------------------------------------------


def test_issuance_sentence_000() -> None:
    fact = _fact(TEXT_000, "Ban Thường vụ Thành ủy vừa ban hành")
    assert fact.kind == "issuance"
    assert fact.actor == "Ban Thường vụ Thành ủy"
    assert fact.action is not None and fact.action.startswith("ban hành công văn chỉ đạo")
    assert [d.text for d in fact.deadlines] == ["ngày 05/01/2022"]
    _assert_spans(TEXT_000, fact)


def test_issuance_sentence_002_actor_after_a_comma() -> None:
    fact = _fact(TEXT_002, "Thực hiện chỉ đạo của Thường trực Thành uỷ")
    assert fact.kind == "issuance"
    assert fact.actor == "Uỷ ban nhân dân thành phố"
    assert fact.action is not None and fact.action.startswith("ban hành Kế hoạch thực hiện Chỉ thị số 38-CT/TW")
    _assert_spans(TEXT_002, fact)


@pytest.mark.parametrize("text", [TEXT_000, TEXT_002], ids=["000", "002"])
def test_every_fact_quotes_the_document(text: str) -> None:
    facts = extract_facts(text)
    assert facts
    for fact in facts:
        _assert_spans(text, fact)
        assert fact.as_json()["kind"] == fact.kind and Fact.from_json(fact.as_json()) == fact


def test_sentences_without_a_duty_give_no_fact() -> None:
    assert sentence_fact("Lãnh đạo thành phố tiếp và làm việc với Đoàn công tác TP Nasushiobara Nhật Bản.", 0) is None
    assert sentence_fact("Ngô Phương Văn", 0) is None
    # a bare date is not a deadline statement
    assert sentence_fact("Hội nghị diễn ra ngày 12/01/2023 tại Hà Nội.", 0) is None


# --- deadlines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Các đơn vị báo cáo kết quả trước ngày 30/6/2023.", [("before", "trước ngày 30/6/2023")]),
        ("Gửi báo cáo về Sở chậm nhất ngày 15/12/2023.", [("before", "chậm nhất ngày 15/12/2023")]),
        ("Gửi báo cáo chậm nhất là ngày 5/1/2024.", [("before", "chậm nhất là ngày 5/1/2024")]),
        ("Định kỳ hằng quý, các sở báo cáo Ủy ban.", [("recurring", "Định kỳ hằng quý")]),
        ("Các sở báo cáo định kỳ 6 tháng một lần.", [("recurring", "định kỳ 6 tháng")]),
        ("Xây dựng kế hoạch hoạt động hàng năm.", [("recurring", "hàng năm")]),
        ("Thực hiện trong nhiệm kỳ 2020 - 2025.", [("period", "nhiệm kỳ 2020 - 2025")]),
        ("Hoàn thành trong giai đoạn 2021–2025.", [("period", "giai đoạn 2021–2025")]),
        ("Hoàn thành trong năm 2023.", [("within", "trong năm 2023")]),
        ("Trả lời trong thời hạn 15 ngày.", [("within", "trong thời hạn 15 ngày")]),
        ("Chỉ thị ban hành ngày 05/01/2022.", [("date", "ngày 05/01/2022")]),
    ],
)
def test_deadline_kinds(sentence: str, expected: list[tuple[str, str]]) -> None:
    found = find_deadlines(sentence)
    assert [(d.kind, d.text) for d in found] == expected
    for d in found:
        assert sentence[d.start : d.end] == d.text


def test_deadline_offsets_are_shifted_and_not_double_counted() -> None:
    sentence = "Báo cáo trước ngày 30/6/2023 và chậm nhất ngày 15/12/2023, định kỳ hàng quý."
    found = find_deadlines(sentence, offset=100)
    assert [d.text for d in found] == ["trước ngày 30/6/2023", "chậm nhất ngày 15/12/2023", "định kỳ hàng quý"]
    assert found[0].start == 100 + sentence.index("trước")
    # "ngày 30/6/2023" inside "trước ngày 30/6/2023" is not a second, separate date
    assert not any(d.kind == "date" for d in found)


def test_deadline_only_sentence_is_a_deadline_fact() -> None:
    sentence = "Các báo cáo gửi về Văn phòng trước ngày 30/6/2023."
    fact = sentence_fact(sentence, 0)
    assert fact is not None
    assert fact.kind == "deadline"
    assert [d.text for d in fact.deadlines] == ["trước ngày 30/6/2023"]


def test_responsibility_with_a_deadline() -> None:
    sentence = "Sở Ngoại vụ có trách nhiệm tổng hợp, báo cáo Ủy ban nhân dân thành phố trước ngày 30/6/2023."
    fact = sentence_fact(sentence, 0)
    assert fact is not None
    assert fact.kind == "responsibility"
    assert fact.actor == "Sở Ngoại vụ"
    assert fact.action == "tổng hợp, báo cáo Ủy ban nhân dân thành phố trước ngày 30/6/2023"
    assert [(d.kind, d.text) for d in fact.deadlines] == [("before", "trước ngày 30/6/2023")]
