"""The test-set loader, and the shipped Vietnamese dev test set checked against the sample corpus."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from qa_service.eval.testset import KNOWN_TYPES, TestsetError, load_testset, parse_lines
from vectorstore.analyzer import match_key

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TESTSET = ROOT / "eval" / "testsets" / "sample_vi.jsonl"
SAMPLE_CORPUS = ROOT / "data" / "sample"

GOOD = {
    "id": "q1",
    "question": "Chỉ thị 12-CT/TW ban hành ngày nào?",
    "history": [],
    "answerable": True,
    "must_include": [["05/01/2022", "5/1/2022"]],
    "gold_sources": ["000_bcc9d3f070f74c9b.txt"],
    "gold_evidence": "Chỉ thị số 12-CT/TW ngày 05/01/2022",
}


def line(**changes: object) -> str:
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...}, ensure_ascii=False)


def test_valid_lines_parse_and_blank_lines_and_comments_are_skipped() -> None:
    cases = parse_lines(
        [
            "# comment",
            "",
            line(),
            line(id="q2", answerable=False, must_include=[], type="unanswerable"),
        ]
    )
    assert [c.id for c in cases] == ["q1", "q2"]
    assert cases[0].must_include == [["05/01/2022", "5/1/2022"]]
    assert cases[1].type == "unanswerable" and not cases[1].answerable


def test_every_bad_line_is_reported_with_its_line_number() -> None:
    lines = [
        line(),  # 1 ok
        "{not json",  # 2
        line(id="q1"),  # 3 duplicate id
        line(id="q4", answerable=...),  # 4 missing field
        line(id="q5", must_include=[[]]),  # 5 empty group
        line(id="q6", answerable=False),  # 6 unanswerable with must_include
        line(id="q7", history=[{"role": "system", "content": "x"}]),  # 7 bad role
        line(id="q8", extra_field=1),  # 8 unknown field
        "[1, 2]",  # 9 not an object
        line(id="q10", question="   "),  # 10 blank question
    ]
    with pytest.raises(TestsetError) as info:
        parse_lines(lines, "t.jsonl")
    numbers = [n for n, _ in info.value.problems]
    assert numbers == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    text = str(info.value)
    assert "line 2: not valid JSON" in text
    assert "duplicate id 'q1' (first on line 1)" in text
    assert "answerable" in dict(info.value.problems)[4]


def test_answerable_question_needs_gold() -> None:
    with pytest.raises(TestsetError, match="gold_evidence or gold_sources"):
        parse_lines([line(gold_sources=[], gold_evidence="")])


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(TestsetError, match="no questions"):
        load_testset(path)


def test_non_utf8_file_is_rejected_clearly(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(line().encode("cp1258", errors="replace") + b"\xff")
    with pytest.raises(TestsetError, match="not UTF-8"):
        load_testset(path)


# --- the shipped dev test set ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_cases():
    return load_testset(SAMPLE_TESTSET)


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return {p.name: match_key(p.read_text(encoding="utf-8")) for p in SAMPLE_CORPUS.glob("*.txt")}


def test_sample_testset_size_and_coverage(sample_cases) -> None:
    assert len(sample_cases) >= 60
    assert sum(not c.answerable for c in sample_cases) >= 12
    types = Counter(c.type for c in sample_cases)
    assert set(types) <= set(KNOWN_TYPES)
    assert all(types[t] >= 3 for t in KNOWN_TYPES), types
    turns = {len(c.history) // 2 + 1 for c in sample_cases if c.type == "follow-up"}
    assert {2, 3} <= turns  # two- and three-turn conversations


def test_sample_testset_gold_is_in_the_article_bodies(sample_cases, corpus) -> None:
    """Evidence and every must_include group must literally be in a gold source (modulo tone style),
    since the extractive answerer can only quote the documents."""
    for case in sample_cases:
        if not case.answerable:
            continue
        assert case.gold_sources and set(case.gold_sources) <= set(corpus), case.id
        assert len(case.gold_evidence) <= 80, case.id
        bodies = [corpus[s] for s in case.gold_sources]
        if case.gold_evidence:
            assert all(match_key(case.gold_evidence) in body for body in bodies), case.id
        for group in case.must_include:
            assert any(match_key(alt) in body for alt in group for body in bodies), (case.id, group)


def test_sample_testset_never_asks_about_site_chrome(sample_cases, corpus) -> None:
    chrome = ["Tin khác", "22/11/2024", "21/11/2024", "cookies", "đăng nhập", "60 giây"]
    for case in sample_cases:
        text = match_key(
            " ".join(
                [
                    case.question,
                    case.gold_evidence,
                    *(alt for group in case.must_include for alt in group),
                ]
            )
        )
        assert not any(match_key(c) in text for c in chrome), case.id


def test_sample_testset_exercises_spelling_variants(sample_cases) -> None:
    questions = [c.question for c in sample_cases]
    assert any(unicodedata.is_normalized("NFC", q) is False for q in questions)  # one NFD question
    assert any("uỷ" in q.lower() for q in questions) and any("ủy" in q.lower() for q in questions)
    no_marks = [c for c in sample_cases if c.type == "no-diacritics"]
    assert no_marks and all(q.question.isascii() for q in no_marks)
