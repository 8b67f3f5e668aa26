"""The deadline questions made from the dated-task gold: one per dated task with its evidence, negatives
that ask another body, and the gold's own file split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_service.eval.register import CORPORA, DATED_GOLD, DATED_GOLD_2, dated_gold_is_tuning, locate_file
from qa_service.eval.task_questions import build
from qa_service.eval.testset import load_testset

pytestmark = pytest.mark.skipif(
    not all(c.is_dir() for c in CORPORA) or not DATED_GOLD_2.is_file(), reason="../shared corpora are not here"
)


def test_every_dated_task_is_asked_with_its_evidence_and_split_like_the_gold(tmp_path: Path) -> None:
    parts = build((DATED_GOLD, DATED_GOLD_2))
    positives = [q for rows in parts.values() for q in rows if q["answerable"]]
    assert len(positives) == 214  # 108 + 106 dated gold tasks
    for part, rows in parts.items():
        assert all(dated_gold_is_tuning(q["gold_sources"][0]) == (part == "tuning") for q in rows if q["answerable"])
        for q in rows:
            assert q["question"].endswith("?") and len(q["question"]) < 220
            if q["answerable"]:
                text = locate_file(q["gold_sources"][0], CORPORA).read_text(encoding="utf-8")
                assert " ".join(q["gold_evidence"].split()) in " ".join(text.split())
                assert q["must_include"] and q["must_include"][0][0]
    negatives = [q for rows in parts.values() for q in rows if not q["answerable"]]
    assert len(negatives) >= 40
    assert {q["question"] for q in negatives}.isdisjoint(q["question"] for q in positives)
    path = tmp_path / "set.jsonl"  # what the module writes is a valid test set
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in parts["tuning"]), encoding="utf-8")
    assert len(load_testset(path)) == len(parts["tuning"])
