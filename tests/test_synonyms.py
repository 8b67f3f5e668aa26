"""The question-wording lexicon: what it rewrites, and that it stays off the dev set it is measured on."""

from __future__ import annotations

import json
from pathlib import Path

from qa_service.synonyms import _PARAPHRASES, rewrite
from vectorstore.analyzer import fold

TESTSETS = Path(__file__).resolve().parents[1] / "eval" / "testsets"


def test_abbreviations_are_written_out_as_documents_write_them() -> None:
    assert rewrite("Ai chủ trì ứng dụng CNTT?") == "Ai chủ trì ứng dụng công nghệ thông tin?"
    assert rewrite("kinh phí từ NSNN, hạn chót khi nào") == "kinh phí từ ngân sách nhà nước, thời hạn khi nào"
    assert rewrite("cnTT") == "công nghệ thông tin"
    assert rewrite("KCNTT và CNTTX") == "KCNTT và CNTTX"  # whole words only
    assert rewrite("Sở Tài chính phải làm gì?") == "Sở Tài chính phải làm gì?"


def test_the_lexicon_was_not_read_off_the_dev_sets_paraphrase_questions() -> None:
    """A pair taken from a test question would make that question's score a measure of the lexicon."""
    questions = [
        fold(json.loads(line)["question"]).lower()
        for path in TESTSETS.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("type") == "paraphrase"
    ]
    assert questions, "the sample dev set has paraphrase questions"
    for key in _PARAPHRASES:
        assert not any(f" {fold(key).lower()} " in f" {q} " for q in questions), key
