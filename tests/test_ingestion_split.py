"""ingestion.split: sentence spans and chunks with exact character offsets into the cleaned text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.clean import clean_text
from ingestion.split import Chunk, Span, sentence_spans, split_text

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SAMPLES = {p.name: clean_text(p.read_text(encoding="utf-8")) for p in sorted(SAMPLE.glob("*.txt"))}

TRICKY = (
    "Ban Bí thư ban hành Chỉ thị số 12-CT/TW ngày 05/01/2022. "
    "Đoàn công tác đã đến TP. Hồ Chí Minh và làm việc với TS. Nguyễn Văn An về Kế hoạch số 108-KH/TU. "
    "Các đơn vị báo cáo kết quả về Sở Ngoại vụ, v.v. trước ngày 30/6/2023! "
    "Vì sao phải làm ngay? “Đây là nhiệm vụ trọng tâm” của năm 2023.\n"
    "12 quận, huyện đã hoàn thành."
)


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


# --- sentences -----------------------------------------------------------------------------------


def test_sentence_boundaries_on_a_tricky_paragraph() -> None:
    assert _sentences(TRICKY) == [
        "Ban Bí thư ban hành Chỉ thị số 12-CT/TW ngày 05/01/2022.",
        "Đoàn công tác đã đến TP. Hồ Chí Minh và làm việc với TS. Nguyễn Văn An về Kế hoạch số 108-KH/TU.",
        "Các đơn vị báo cáo kết quả về Sở Ngoại vụ, v.v. trước ngày 30/6/2023!",
        "Vì sao phải làm ngay?",
        "“Đây là nhiệm vụ trọng tâm” của năm 2023.",
        "12 quận, huyện đã hoàn thành.",
    ]


@pytest.mark.parametrize("token", ["12-CT/TW", "05/01/2022", "TP. Hồ Chí Minh", "108-KH/TU", "20.5.2022"])
def test_no_boundary_inside_numbers_dates_and_abbreviations(token: str) -> None:
    text = f"Nội dung liên quan tới {token} được nêu rõ. Câu thứ hai {token} tiếp theo. {token} mở đầu câu ba."
    spans = sentence_spans(text)
    for i in (i for i in range(len(text)) if text.startswith(token, i)):
        inside = range(i + 1, i + len(token))
        for s in spans:
            assert s.start not in inside and s.end not in inside, (token, s, text[s.start : s.end])
    assert len(spans) == 3


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_boundaries_never_split_doc_numbers_or_dates(name: str) -> None:
    text = SAMPLES[name]
    protected = ["12-CT/TW", "38-CT/TW", "108-KH/TU", "1830/LHHN-VP", "05/01/2022", "19/9/2019", "20/5/2022",
                 "12/01/2023", "74-UBND-KH.signed", "sotttt.haiphong.gov.vn"]
    cuts = {s.start for s in sentence_spans(text)} | {s.end for s in sentence_spans(text)}
    for token in protected:
        start = text.find(token)
        while start != -1:
            assert not cuts & set(range(start + 1, start + len(token))), token
            start = text.find(token, start + 1)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sentence_spans_are_trimmed_ordered_and_lose_no_text(name: str) -> None:
    text = SAMPLES[name]
    spans = sentence_spans(text)
    assert all(isinstance(s, Span) for s in spans)
    prev_end = 0
    for s in spans:
        piece = text[s.start : s.end]
        assert piece == piece.strip() and piece
        assert s.start >= prev_end
        assert not text[prev_end : s.start].strip(), "text between sentences was dropped"
        prev_end = s.end
    assert not text[prev_end:].strip()


def test_sample_000_sentences() -> None:
    sentences = _sentences(SAMPLES["000_bcc9d3f070f74c9b.txt"])
    assert "Thứ năm - 12/01/2023 04:44" in sentences
    assert sentences[-1] == "Ngô Phương Văn"
    assert any(s.startswith("Đối với Liên hiệp các tổ chức hữu nghị") and s.endswith("trong tình hình mới…")
               for s in sentences)


# --- chunks --------------------------------------------------------------------------------------


PARAMS = [(600, 900, 150), (200, 300, 80), (120, 160, 60)]


@pytest.mark.parametrize(("target", "max_chars", "overlap"), PARAMS)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_chunks_are_exact_slices_within_the_limit(name: str, target: int, max_chars: int, overlap: int) -> None:
    text = SAMPLES[name]
    chunks = split_text(text, target_chars=target, max_chars=max_chars, overlap_chars=overlap)
    assert chunks and all(isinstance(c, Chunk) for c in chunks)
    assert [c.ord for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert c.text == c.text.strip()
        assert 0 < len(c.text) <= max_chars
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(b.end > a.end for a, b in zip(chunks, chunks[1:], strict=False)), "a chunk added nothing new"


@pytest.mark.parametrize(("target", "max_chars", "overlap"), PARAMS)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sentence_is_covered(name: str, target: int, max_chars: int, overlap: int) -> None:
    text = SAMPLES[name]
    chunks = split_text(text, target_chars=target, max_chars=max_chars, overlap_chars=overlap)
    covered = [False] * len(text)
    for c in chunks:
        covered[c.start : c.end] = [True] * (c.end - c.start)
    for s in sentence_spans(text):
        for i in range(s.start, s.end):
            assert covered[i] or text[i].isspace(), (text[s.start : s.end][:60], i)
    if max_chars >= max(s.end - s.start for s in sentence_spans(text)):
        # sentences that fit are never cut: each lies whole inside some chunk
        for s in sentence_spans(text):
            assert any(c.start <= s.start and s.end <= c.end for c in chunks)


def test_short_last_sentence_is_repeated_as_overlap() -> None:
    sentences = [f"Câu số {i} nói về nhiệm vụ đối ngoại nhân dân của thành phố." for i in range(1, 9)]
    text = " ".join(sentences)
    chunks = split_text(text, target_chars=150, max_chars=300, overlap_chars=80)
    assert len(chunks) >= 3
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.start < a.end, "consecutive chunks should overlap"
        shared = text[b.start : a.end]
        assert shared in sentences  # exactly one whole sentence is shared


def test_no_overlap_when_the_last_sentence_is_long() -> None:
    long_sentence = "Câu dài " + "rất dài " * 20 + "kết thúc."
    text = f"{long_sentence} {long_sentence} {long_sentence}"
    chunks = split_text(text, target_chars=100, max_chars=400, overlap_chars=50)
    assert len(chunks) == 3
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.start > a.end


def test_long_sentence_is_cut_at_semicolons_and_commas() -> None:
    clauses = [f"nhiệm vụ thứ {i} của các cấp ủy đảng, chính quyền và đoàn thể" for i in range(1, 13)]
    text = "Ban Thường vụ yêu cầu: " + "; ".join(clauses) + "."
    assert len(text) > 500
    chunks = split_text(text, target_chars=150, max_chars=200, overlap_chars=0)
    assert len(chunks) > 2
    for c in chunks:
        assert len(c.text) <= 200
        assert c.text == text[c.start : c.end]
    for c in chunks[:-1]:
        assert c.text[-1] in ";,:", c.text  # cut after a soft break, not mid-phrase
    joined = "".join(text[c.start : c.end] for c in chunks)
    assert joined.replace(" ", "") == text.replace(" ", "")


def test_long_sentence_without_punctuation_is_cut_at_a_space() -> None:
    text = " ".join(["đối ngoại nhân dân"] * 60) + "."
    chunks = split_text(text, target_chars=100, max_chars=150, overlap_chars=0)
    for c in chunks:
        assert len(c.text) <= 150
        assert not text[c.end - 1 : c.end + 1].isalpha(), "cut inside a word"


def test_sample_000_default_chunks_hold_the_key_sentences() -> None:
    text = SAMPLES["000_bcc9d3f070f74c9b.txt"]
    chunks = split_text(text)
    assert all(len(c.text) <= 900 for c in chunks)
    key = "có trách nhiệm xây dựng Chương trình hành động và kế hoạch triển khai thực hiện"
    assert any(key in c.text for c in chunks)


def test_empty_and_blank_text() -> None:
    assert split_text("") == []
    assert split_text("   \n\n  ") == []
    assert sentence_spans("  ") == []
