"""qa_service.eval.split: by document, fixed seed, nothing lost, an invalid set refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_service.eval.split import main, split_lines
from qa_service.eval.testset import TestsetError


def _line(i: int, source: str | None) -> str:
    if source is None:
        return json.dumps({"id": f"U{i}", "question": f"Câu hỏi {i}?", "answerable": False})
    return json.dumps({"id": f"Q{i}", "question": f"Câu hỏi {i}?", "answerable": True, "must_include": [["x"]],
                       "gold_sources": [source], "gold_evidence": "x"})


LINES = [_line(i, f"doc{i % 10}.txt") for i in range(60)] + [_line(i, None) for i in range(60, 80)]


def test_split_keeps_every_question_and_every_document_on_one_side() -> None:
    tuning, heldout = split_lines(LINES, seed=7, heldout_share=0.4)
    assert sorted(tuning + heldout) == sorted(LINES)
    docs = lambda part: {json.loads(x)["gold_sources"][0] for x in part if json.loads(x).get("gold_sources")}  # noqa: E731
    assert not docs(tuning) & docs(heldout)
    assert len(docs(heldout)) == 4
    assert any(not json.loads(x)["answerable"] for x in heldout) and any(not json.loads(x)["answerable"] for x in tuning)


def test_same_seed_same_split_other_seed_other_split() -> None:
    assert split_lines(LINES, seed=7) == split_lines(LINES, seed=7)
    assert split_lines(LINES, seed=7) != split_lines(LINES, seed=8)


def test_invalid_set_is_refused() -> None:
    with pytest.raises(TestsetError):
        split_lines(['{"id": "x", "question": "?", "answerable": true}'])


def test_cli_writes_both_parts(tmp_path: Path) -> None:
    src = tmp_path / "set.jsonl"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    assert main([str(src), "--out", str(tmp_path / "out")]) == 0
    n = sum(len((tmp_path / "out" / f"{p}.jsonl").read_text(encoding="utf-8").splitlines()) for p in ("tuning", "heldout"))
    assert n == len(LINES)
