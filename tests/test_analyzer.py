"""vectorstore.analyzer: one normalisation for documents and questions (DESIGN.md, "Vietnamese text")."""

from __future__ import annotations

import unicodedata

import pytest

from vectorstore.analyzer import analyze, canonical_date, fold, has_diacritics, match_key, normalize, to_nfc

# --- Unicode NFC / NFD ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Thành ủy", "Chỉ thị số 12-CT/TW", "Nghị quyết Đại hội Đảng bộ", "người giữa quý"])
def test_nfd_and_nfc_input_normalise_to_the_same_nfc(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text  # the test really feeds decomposed input
    assert to_nfc(nfd) == to_nfc(text) == unicodedata.normalize("NFC", text)
    assert normalize(nfd) == normalize(text)
    assert unicodedata.is_normalized("NFC", normalize(nfd))


def test_nfd_and_nfc_give_the_same_tokens() -> None:
    text = "Ban Thường vụ Thành ủy ban hành Kế hoạch số 108-KH/TU"
    nfd = unicodedata.normalize("NFD", text)
    assert analyze(nfd) == analyze(text)
    assert analyze(nfd, mode="query") == analyze(text, mode="query")


# --- tone-mark placement: old and new style ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("uỷ", "ủy"),
        ("hoà", "hòa"),
        ("hoá", "hóa"),
        ("thuỷ", "thủy"),
        ("Thành uỷ", "Thành ủy"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("cụ thể hoá", "cụ thể hóa"),
        ("khoẻ", "khỏe"),
    ],
)
def test_both_tone_styles_normalise_to_one_string_of_the_same_length(old: str, new: str) -> None:
    assert old != new
    assert normalize(old) == normalize(new)
    # Offsets survive: a span found in the normalised text is the same span in the original.
    assert len(normalize(old)) == len(old)
    assert len(normalize(new)) == len(new)


def test_normalize_keeps_case_and_surrounding_text() -> None:
    text = "Uỷ ban nhân dân thành phố (Thành ủy), ngày 20/5/2022."
    out = normalize(text)
    assert len(out) == len(text)
    assert out.startswith("Uỷ ban")
    assert out[-12:] == text[-12:]
    assert normalize(out) == out  # idempotent


@pytest.mark.parametrize("word", ["quý", "giữa", "người", "hoàng", "toán", "Quý", "quyết", "giường", "của", "mùa"])
def test_words_with_one_correct_placement_are_unchanged(word: str) -> None:
    assert normalize(word) == word


def test_normalize_leaves_text_without_marks_alone() -> None:
    text = "chi thi 12-CT/TW ban hanh ngay nao?"
    assert normalize(text) == text


# --- folding -----------------------------------------------------------------------------------


def test_fold_strips_every_mark_and_d_bar() -> None:
    assert fold("Đảng bộ đồng chí") == "dang bo dong chi"
    assert fold("Thành ủy Hải Phòng") == "thanh uy hai phong"
    assert fold("Thành uỷ") == fold("Thành ủy")
    assert fold("NGƯỜI") == "nguoi"


def test_fold_strips_marks_outside_the_vietnamese_range_too() -> None:
    # one fold for the index, the questions and the LLM guard (whose own copy stripped U+0300–U+036F only)
    assert fold("a\u1dc4b\u20d7c Đà") == "abc da"


def test_has_diacritics() -> None:
    assert has_diacritics("chỉ thị")
    assert has_diacritics("dd đ")
    assert not has_diacritics("chi thi 12 ban hanh ngay nao")


# --- analyze: document numbers and dates are whole tokens ------------------------------------


@pytest.mark.parametrize(
    "number", ["12-CT/TW", "108-KH/TU", "1830/LHHN-VP", "15/2020/NĐ-CP", "74-UBND-KH", "45/QĐ-UBND"]
)
@pytest.mark.parametrize("mode", ["index", "query"])
def test_document_numbers_survive_as_whole_tokens(number: str, mode: str) -> None:
    tokens = analyze(f"Thực hiện văn bản số {number} của Thành ủy.", mode=mode)
    assert number.lower() in tokens


@pytest.mark.parametrize("number", ["15/2020/NĐ-CP", "45/QĐ-UBND"])
def test_document_numbers_with_d_bar_also_have_a_folded_whole_token(number: str) -> None:
    tokens = analyze(f"theo {number}")
    assert fold(number) in tokens
    # A question typed without marks finds the same whole token.
    assert fold(number) in analyze(f"theo {fold(number)}", mode="query")


def test_parts_of_a_document_number_are_also_syllables() -> None:
    tokens = analyze("Chỉ thị số 12-CT/TW")
    assert {"12", "ct", "tw"} <= set(tokens)


@pytest.mark.parametrize("mode", ["index", "query"])
def test_dates_are_whole_tokens_and_zero_padding_does_not_matter(mode: str) -> None:
    padded = analyze("ngày 05/01/2022", mode=mode)
    bare = analyze("ngày 5/1/2022", mode=mode)
    assert canonical_date("05", "01", "2022") == "5/1/2022"
    assert "5/1/2022" in padded
    assert "5/1/2022" in bare
    assert padded == bare


def test_date_is_not_mistaken_for_a_document_number() -> None:
    tokens = analyze("ngày 20/5/2022")
    assert "20/5/2022" in tokens
    assert not any(t.startswith("20/5/2022") and t != "20/5/2022" for t in tokens)


# --- analyze: syllables, bigrams, folded twins -----------------------------------------------


def test_index_mode_has_syllables_bigrams_and_folded_twins() -> None:
    tokens = analyze("trách nhiệm kế hoạch")
    assert {"trách", "nhiệm", "kế", "hoạch"} <= set(tokens)
    assert {"trách_nhiệm", "nhiệm_kế", "kế_hoạch"} <= set(tokens)
    assert {"~trach", "~nhiem", "~trach_nhiem", "~ke_hoach"} <= set(tokens)


def test_bigrams_do_not_cross_punctuation() -> None:
    tokens = analyze("chính quyền, đoàn thể")
    assert "chính_quyền" in tokens
    assert "đoàn_thể" in tokens
    assert "quyền_đoàn" not in tokens


def test_query_with_diacritics_gives_exact_tokens_only() -> None:
    tokens = analyze("Chỉ thị 12 ban hành ngày nào", mode="query")
    assert "chỉ_thị" in tokens
    assert "ban_hành" in tokens
    assert not any(t.startswith("~") for t in tokens)


def test_query_without_diacritics_gives_folded_tokens_the_index_also_has() -> None:
    query = analyze("chi thi 12 ban hanh ngay nao", mode="query")
    assert query, "no tokens"
    assert all(t.startswith("~") for t in query)
    index = set(analyze("Chỉ thị 12 ban hành ngày nào?"))
    assert set(query) <= index
    assert {"~chi_thi", "~ban_hanh"} <= set(query)


def test_question_in_either_tone_style_gives_the_same_query_tokens() -> None:
    assert analyze("Thành uỷ giao việc gì?", mode="query") == analyze("Thành ủy giao việc gì?", mode="query")
    # and both meet the index tokens of a document in the other style
    assert set(analyze("Thành uỷ", mode="query")) <= set(analyze("Ban Thường vụ Thành ủy"))


def test_query_mode_deduplicates_special_tokens() -> None:
    tokens = analyze("12-CT/TW và 12-CT/TW", mode="query")
    assert tokens.count("12-ct/tw") == 1


# --- match_key ---------------------------------------------------------------------------------


def test_match_key_normalises_case_style_and_whitespace() -> None:
    assert match_key("  Thành  ủy\nHải Phòng ") == "thành uỷ hải phòng"
    assert match_key("THÀNH UỶ Hải Phòng") == match_key("thành ủy  hải phòng")
    assert match_key(unicodedata.normalize("NFD", "Hoà bình")) == match_key("hòa bình")


def test_match_key_keeps_marks() -> None:
    assert match_key("Hải Phòng") != match_key("Hai Phong")


@pytest.mark.parametrize("number", ["74/KH-UBND", "01/2021/TT-BNV", "1016/QĐ-TTg", "59/2020/QH14"])
def test_more_document_number_shapes_survive_whole(number: str) -> None:
    """Laws are numbered like 59/2020/QH14 (the issuing National Assembly's term ends in digits)."""
    assert number.lower() in analyze(f"Căn cứ văn bản số {number} ngày 17/6/2020.", mode="query")


@pytest.mark.parametrize(
    "question", ["quyet dinh 45/QĐ-UBND ban hanh ngay nao", "nghi dinh 15/2020/NĐ-CP quy dinh gi"]
)
def test_unaccented_question_with_a_copied_document_number_is_still_folded(question: str) -> None:
    """Users type without marks but paste the number ("45/QĐ-UBND"): its Đ must not switch the words
    to exact matching, where "quyet dinh" would never meet "quyết định"."""
    tokens = analyze(question, mode="query")
    index = set(analyze(question.replace("quyet dinh", "Quyết định").replace("nghi dinh", "Nghị định")
                        .replace("ban hanh ngay nao", "ban hành ngày nào").replace("quy dinh gi", "quy định gì")))
    words = [t for t in tokens if "/" not in t and not t.lstrip("~").isdigit() and "qđ" not in t and "nđ" not in t]
    assert words and set(words) <= index, sorted(set(words) - index)
