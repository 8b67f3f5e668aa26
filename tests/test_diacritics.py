"""Diacritic restoration for questions typed without marks, learnt from the index's own tokens."""

from __future__ import annotations

from typing import Any

from vectorstore.analyzer import analyze
from vectorstore.diacritics import DiacriticRestorer

DOCS = [
    "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí.",
    "Kế hoạch số 624/KH-UBND về chuyển đổi số trong các trường học trên địa bàn tỉnh Hà Tĩnh.",
    "Giai đoạn khẩn cấp (0-48 giờ): tổ chức lực lượng tiếp cận vùng bị chia cắt.",
    "Sở Giáo dục và Đào tạo báo cáo kết quả trước ngày 15/12 hằng năm; bản báo cáo gửi Ban Chỉ đạo.",
    "Các cơ quan, đơn vị tăng cường công tác phòng cháy; cơ quan thường trực là Công an tỉnh.",
]


def _restorer(docs: list[str] = DOCS) -> DiacriticRestorer:
    return DiacriticRestorer.from_tokens(analyze(d, "index") for d in docs)


def test_folded_questions_get_their_marks_back() -> None:
    r = _restorer()
    assert r.restore("so tai chinh chu tri gi") == "sở tài chính chủ trì gì"
    assert r.restore("ke hoach 624/KH-UBND ve chuyen doi so") == "kế hoạch 624/KH-UBND về chuyển đổi số"
    assert r.restore("giai doan khan cap la bao nhieu gio?") == "giai đoạn khẩn cấp là bao nhiêu giờ?"
    assert r.restore("bao nhieu tien") == "bao nhiêu tiền"  # question phrasing the documents rarely use


def test_neighbours_choose_between_spellings() -> None:
    r = _restorer()
    assert r.restore("co quan nao") == "cơ quan nào"
    assert r.restore("ban chi dao") == "ban chỉ đạo"  # "ban" here, not "bản" (as in "bản báo cáo")
    assert r.restore("ban bao cao") == "bản báo cáo"


def test_case_punctuation_and_unknown_words_are_kept() -> None:
    r = _restorer()
    assert r.restore("Ha Tinh, 15/12: So Tai chinh!") == "Hà Tĩnh, 15/12: Sở Tài chính!"
    assert r.restore("UBND xyzzy tinh") == "UBND xyzzy tỉnh"
    text = "so tai chinh (STC) - 2025"
    assert len(r.restore(text)) == len(text)


def test_text_with_marks_or_an_empty_index_is_left_alone(tmp_path: Any) -> None:
    r = _restorer()
    assert r.restore("Sở tai chinh") == "Sở tai chinh"  # the user typed marks: no guesses mixed in
    assert DiacriticRestorer().restore("so tai chinh") == "so tai chinh"
    assert r.restore("") == ""


def test_the_chain_answers_the_restored_question(client: Any) -> None:
    """Over HTTP on the sample index: the standalone question the response reports carries the marks."""
    res = client.post("/v1/chat", json={"message": "ke hoach 108-KH/TU do ai ban hanh"}).json()
    assert res["standalone_question"] == "kế hoạch 108-KH/TU do ai ban hành"
    assert not res["abstained"] and "Ban Thường vụ" in res["answer"]
