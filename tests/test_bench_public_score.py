"""bench/public_score.py: the public-benchmark runner end to end on a tiny SQuAD-format file, with a real service
(fake embeddings, lexical retrieval so the ranking is deterministic) in tmp_path."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from public_data import load_squad  # noqa: E402
from public_score import QuestionScore, ingest_benchmark, run_benchmark, summarize_scores  # noqa: E402

CONTEXTS = [
    ("Chỉ thị 12", "Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư về đối ngoại nhân dân.",
     "Chỉ thị số 12-CT/TW ban hành ngày nào?", "05/01/2022"),
    ("Kế hoạch 108", "Kế hoạch số 108-KH/TU ngày 20/5/2022 của Ban Thường vụ Thành ủy.",
     "Kế hoạch số 108-KH/TU do ai ban hành?", "Ban Thường vụ Thành ủy"),
    ("Hải Phòng", "Uỷ ban nhân dân thành phố Hải Phòng ban hành kế hoạch thực hiện Chỉ thị số 38-CT/TW.",
     "Ai ban hành kế hoạch thực hiện Chỉ thị số 38-CT/TW ở Hải Phòng?", "Uỷ ban nhân dân thành phố"),
]  # fmt: skip


@pytest.fixture
def benchmark(tmp_path: Path):
    data = {"version": "1", "data": [
        {"title": title, "paragraphs": [{"context": context, "qas": [
            {"id": f"q{i}", "question": question, "answers": [{"text": answer, "answer_start": 0}]}]}]}
        for i, (title, context, question, answer) in enumerate(CONTEXTS)
    ]}  # fmt: skip
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_squad(path, "mini")


def test_summary_of_known_scores() -> None:
    scores = [
        QuestionScore("a", 1, 1, True, True, False, 10.0, 20.0),
        QuestionScore("b", 3, 1, True, False, True, 20.0, 40.0),
        QuestionScore("c", None, None, None, None, None, 30.0, None),
    ]
    s = summarize_scores(scores)
    assert s["recall@1"] == pytest.approx(1 / 3) and s["recall@5"] == pytest.approx(2 / 3)
    assert s["group_recall@1"] == pytest.approx(2 / 3)
    assert s["mrr"] == pytest.approx((1 + 1 / 3) / 3)
    assert s["context_containment@5"] == 1.0 and s["questions_with_answers"] == 2
    assert s["answer_containment"] == 0.5 and s["abstain_rate"] == 0.5
    assert s["retrieval_ms_p50"] == 20.0 and s["answer_ms_p50"] == 30.0


def test_run_on_a_real_service(tmp_path: Path, benchmark) -> None:
    service_mod = pytest.importorskip("qa_service.service", reason="qa_service.service not built yet")
    from qa_service.settings import Settings

    settings = Settings(data_dir=tmp_path / "index", embeddings="fake", retrieval_mode="lexical")
    service = service_mod.build_service(settings)
    try:
        first = ingest_benchmark(service.store, benchmark, progress=False)
        again = ingest_benchmark(service.store, benchmark, progress=False)
        summary, scores = run_benchmark(service, benchmark, progress=False)
    finally:
        service.close()
    assert first["added"] == 3 and again["unchanged"] == 3  # idempotent: a cached index is reused
    assert summary["questions"] == 3 and not summary["interrupted"]
    assert summary["recall@1"] == 1.0 and summary["mrr"] == 1.0
    assert summary["context_containment@5"] == 1.0
    assert all(s.answer_ms is not None for s in scores)
    assert scores[0].answer_contains_answer  # the date is quoted from the document
