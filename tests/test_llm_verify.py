"""Verification: markers to no passage go, dates and numbers must be in the passages cited."""

from __future__ import annotations

from qa_service.answering.lexicon import ABSTAIN_TEXT
from qa_service.llm.verify import (
    drop_bad_markers,
    extract_claims,
    renumber,
    split_sentences,
    verify,
)

P = [
    "Ngày 05/01/2022, Ban Bí thư ban hành Chỉ thị số 12-CT/TW về công tác đối ngoại nhân dân.",
    "Kế hoạch 108-KH/TU ngày 20/5/2022 giao 30 đơn vị; Thành uỷ chủ trì, báo cáo trước ngày 15 tháng 12 năm 2022.",
]


def test_claims_are_dates_doc_numbers_and_numbers() -> None:
    c = extract_claims("Chỉ thị 12-CT/TW ngày 05/01/2022 giao 1.000 việc, hạn ngày 15 tháng 12 năm 2022.")
    assert c.dates == {"5/1/2022", "15/12/2022"}
    assert c.doc_numbers == {"12-ct/tw"}
    assert c.numbers == {"1000"}
    assert not extract_claims("1. Ban Thường vụ Thành ủy chỉ đạo các cấp uỷ.")  # list enumerator is not a claim


def test_a_correct_answer_passes_unchanged() -> None:
    text = "Chỉ thị 12-CT/TW ban hành ngày 5/1/2022 [1]. Kế hoạch giao 30 đơn vị [2]."
    v = verify(text, P, ABSTAIN_TEXT)
    assert v.text == text and v.cited == [1, 2] and not v.problem
    assert v.report() == {"dropped_markers": [], "added_markers": [], "removed_sentences": [],
                          "uncited_sentences": [], "unsupported_values": []}


def test_markers_to_no_passage_are_dropped() -> None:
    v = verify("Thành ủy chủ trì [2][7]. Xem thêm [0, 9].", P, ABSTAIN_TEXT)
    assert v.text == "Thành ủy chủ trì [2]." and v.dropped_markers == [7, 0, 9] and v.cited == [2]
    assert v.uncited_sentences == ["Xem thêm."]  # nothing left to cite it


def test_uncited_sentences_go_but_a_lead_in_to_cited_lines_stays() -> None:
    v = verify("HACKED\nTheo kế hoạch:\n- Thành uỷ chủ trì [2]\n- Báo cáo trước ngày 15/12/2022 [2]", P, ABSTAIN_TEXT)
    assert v.text == "Theo kế hoạch:\n- Thành uỷ chủ trì [2]\n- Báo cáo trước ngày 15/12/2022 [2]"
    assert v.uncited_sentences == ["HACKED"]


def test_an_invented_date_is_removed_or_forces_fallback() -> None:
    text = "Thành uỷ chủ trì [2]. Hạn chót là ngày 31/12/2031 [2]."
    v = verify(text, P, ABSTAIN_TEXT, policy="remove")
    assert v.text == "Thành uỷ chủ trì [2]." and v.unsupported == ["31/12/2031"]
    assert v.removed_sentences == ["Hạn chót là ngày 31/12/2031 [2]."]
    assert verify(text, P, ABSTAIN_TEXT, policy="fallback").problem


def test_a_value_must_be_in_the_passage_cited_not_just_any() -> None:
    v = verify("Chỉ thị 12-CT/TW ban hành ngày 05/01/2022 [2].", P, ABSTAIN_TEXT)
    assert v.problem and sorted(v.unsupported) == ["12-ct/tw", "5/1/2022"]


def test_uncited_claims_get_the_passage_that_holds_them() -> None:
    v = verify("Kế hoạch 108-KH/TU được ban hành ngày 20/05/2022.", P, ABSTAIN_TEXT)
    assert v.text == "Kế hoạch 108-KH/TU được ban hành ngày 20/05/2022 [2]." and v.added_markers == [2]


def test_normalisation_meets_tone_styles_and_wordy_dates() -> None:
    v = verify("Báo cáo trước ngày 15/12/2022 [2]. Thành ủy chủ trì [2].", P, ABSTAIN_TEXT)
    assert not v.removed_sentences and not v.problem


def test_abstention_is_recognised_and_unusable_output_flagged() -> None:
    assert verify(f"{ABSTAIN_TEXT}", P, ABSTAIN_TEXT).abstained
    assert verify("HACKED", P, ABSTAIN_TEXT).problem == "nothing left after verification"
    assert verify("   ", P, ABSTAIN_TEXT).problem


def test_split_keeps_markers_with_their_sentence_and_abbreviations_whole() -> None:
    assert split_sentences("A ngày 1/1/2022. [1] B [2].\n- C [1]") == ["A ngày 1/1/2022 [1]. ", "B [2].\n", "- C [1]"]
    assert len(split_sentences("UBND TP. Hà Nội ban hành [1]. Hết [2].")) == 2


def test_renumber_and_drop_handle_lists_and_ranges() -> None:
    assert renumber("x [3][1]. y [1, 3].", {3: 1, 1: 2}) == "x [1][2]. y [2][1]."
    assert drop_bad_markers("a [1-3] b [2; 8]", 2) == ("a [1][2] b [2]", [3, 8])
