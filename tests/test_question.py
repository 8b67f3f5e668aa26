"""qa_service.question: question types, content words, entities; qa_service.synonyms."""

from __future__ import annotations

import pytest

from qa_service.question import analyze_question, classify
from qa_service.synonyms import rewrite
from vectorstore.analyzer import fold


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("Ai là tác giả bài viết?", "author"),
        ("Bài viết được đăng ngày nào?", "published"),
        ("Bài viết lấy từ nguồn nào?", "source"),
        ("Chỉ thị 12-CT/TW do cơ quan nào ban hành?", "issuer"),
        ("Chỉ thị 12-CT/TW ban hành ngày nào?", "deadline"),
        ("Liên hiệp phải xây dựng kế hoạch khi nào?", "deadline"),
        ("Kế hoạch thực hiện có số hiệu gì?", "number"),
        ("Ai có trách nhiệm xây dựng Chương trình hành động?", "responsibility"),
        ("ai co trach nhiem xay dung chuong trinh hanh dong", "responsibility"),
        ("Liên hiệp phải làm gì?", "action"),
    ],
)
def test_question_types(question: str, qtype: str) -> None:
    assert classify(fold(question)) == qtype


def test_content_tokens_drop_question_words_but_keep_chi_thi() -> None:
    info = analyze_question("Chỉ thị 12-CT/TW do cơ quan nào ban hành?")
    assert "chỉ_thị" in info.content_tokens and "thị" in info.content_tokens
    assert "nào" not in info.content_tokens and "quan_nào" not in info.content_tokens
    assert info.doc_numbers == ["12-CT/TW"]


def test_entities_the_answer_must_contain() -> None:
    info = analyze_question("Theo Sở Ngoại vụ Hà Nội, Quyết định 46 có hiệu lực khi nào?")
    assert "Hà Nội" in " ".join(info.proper_names)
    assert "46" in info.numbers


def test_folded_question_gets_folded_tokens() -> None:
    info = analyze_question("chi thi 12 ban hanh ngay nao")
    assert all(t.startswith("~") for t in info.content_tokens)
    assert "~chi_thi" in info.content_tokens


def test_rewrite_maps_question_wording_to_the_documents_words() -> None:
    assert rewrite("Ai giám sát việc ứng dụng CNTT?") == "Ai giám sát việc ứng dụng công nghệ thông tin?"
    # whole words only, and unknown wording is left alone (tone style normalised)
    assert rewrite("Thành ủy ban hành gì?") == "Thành uỷ ban hành gì?"
