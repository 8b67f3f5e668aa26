"""bench/bulk_perf.py: the document subset and the questions made from sentences are deterministic."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from bulk_perf import link_corpus, select_documents, sentence_questions  # noqa: E402

SENTENCE = ("Ủy ban nhân dân tỉnh chủ trì, phối hợp với các sở, ngành tổ chức triển khai thực hiện "
            "Quyết định này trong phạm vi được giao.")


def _corpus(tmp_path: Path, n: int) -> Path:
    bulk = tmp_path / "bulk"
    bulk.mkdir()
    for i in range(n):
        (bulk / f"doc-{i:03d}.txt").write_text(f"QUYẾT ĐỊNH SỐ {i}.\n{SENTENCE} Điều {i} quy định chi tiết "
                                               "về thời hạn báo cáo của các cơ quan có liên quan.\n", encoding="utf-8")
    return bulk


def test_subset_is_seeded_and_stable(tmp_path: Path) -> None:
    bulk = _corpus(tmp_path, 40)
    first = select_documents(bulk, 10, include_heldout=False)
    assert first == select_documents(bulk, 10, include_heldout=False)
    assert len(set(first)) == 10 and all(p.parent == bulk for p in first)
    assert select_documents(bulk, 10, seed=14, include_heldout=False) != first
    meta = link_corpus(first, tmp_path / "work")
    docs = sorted((tmp_path / "work" / "docs").iterdir())
    assert meta["files"] == 10 and all(d.is_symlink() for d in docs)  # linked, never copied


def test_sentence_questions_are_deterministic_and_distinct(tmp_path: Path) -> None:
    files = select_documents(_corpus(tmp_path, 20), 20, include_heldout=False)
    qs = sentence_questions(files, 30)
    assert qs == sentence_questions(files, 30)
    assert len(qs) == len(set(qs)) > 0
    assert all(q.endswith("?") and not q.startswith("QUYẾT") for q in qs)
