"""bench/public_data.py: benchmark adapters on tiny hand-made files, plus the real public data when it is present."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from public_data import (  # noqa: E402
    DatasetMissingError,
    answer_contained,
    load_alqac,
    load_benchmark,
    load_squad,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"public datasets not found at {SHARED} (they are never copied into the repo)"
)


def write_alqac(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    laws = [
        {"id": "Luật A", "articles": [{"id": "1", "text": "Phạm vi điều chỉnh\n\nLuật này quy định về A."},
                                      {"id": "2", "text": "Thời hạn là 10 ngày."}]},
        {"id": "Luật B", "articles": [{"id": "1", "text": "Phạm vi điều chỉnh\n\nLuật này quy định về A."}]},
    ]  # fmt: skip
    train = [
        {"question_id": "TL-1", "question_type": "Tự luận", "text": "Thời hạn bao lâu?",
         "relevant_articles": [{"law_id": "Luật A", "article_id": "2"}], "answer": "10 ngày"},
        {"question_id": "DS-1", "question_type": "Đúng/Sai", "text": "Luật B quy định về A, đúng hay sai?",
         "relevant_articles": [{"law_id": "Luật B", "article_id": "1"}], "answer": "Đúng"},
    ]  # fmt: skip
    (folder / "law.json").write_text(json.dumps(laws, ensure_ascii=False), encoding="utf-8")
    (folder / "train.json").write_text(json.dumps(train, ensure_ascii=False), encoding="utf-8")
    return folder


def write_squad(path: Path) -> Path:
    data = {"version": "1", "data": [
        {"title": "Paris", "paragraphs": [
            {"context": "Paris là thủ đô của Pháp.", "qas": [
                {"id": "q1", "question": "Thủ đô của Pháp là gì?",
                 "answers": [{"text": "Paris", "answer_start": 0}, {"text": "Paris", "answer_start": 99}]}]},
            {"context": "Sông Seine chảy qua Paris.", "qas": [
                {"id": "q2", "question": "Sông nào chảy qua Paris?", "answers": [{"text": "Sông Seine", "answer_start": 0}]}]},
        ]},
    ]}  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_alqac_articles_become_documents_with_law_headers(tmp_path: Path) -> None:
    bench = load_alqac(write_alqac(tmp_path / "alqac23"))
    assert [d.key for d in bench.documents] == ["Luật A#1", "Luật A#2", "Luật B#1"]
    # identical article text in two laws stays two distinct files
    assert len({d.file_text() for d in bench.documents}) == 3
    assert bench.documents[1].file_text().startswith("Luật A - Điều 2\n\nĐiều 2. Thời hạn")
    tl, ds = bench.questions
    assert tl.gold == {"Luật A#2"} and tl.answers == ("10 ngày",)
    assert ds.gold == {"Luật B#1"} and ds.answers == ()  # yes/no labels are not answer texts


def test_squad_contexts_become_documents_grouped_by_article(tmp_path: Path) -> None:
    bench = load_squad(write_squad(tmp_path / "dev.json"), "mini")
    assert [d.key for d in bench.documents] == ["mini/0/0", "mini/0/1"]
    assert {d.group for d in bench.documents} == {"mini/0"}
    q1, q2 = bench.questions
    assert q1.gold == {"mini/0/0"} and q1.answers == ("Paris",)  # duplicates dropped, offsets ignored
    assert q2.gold == {"mini/0/1"}
    assert len({d.filename for d in bench.documents}) == 2


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetMissingError, match="read in place"):
        load_benchmark("alqac23", tmp_path)
    with pytest.raises(ValueError, match="unknown benchmark"):
        load_benchmark("squad2", tmp_path)


def test_answer_containment_uses_the_analyzer() -> None:
    assert answer_contained("Thời hạn là 10 ngày kể từ…", ("10 ngày",))
    assert answer_contained("Hoà bình", ("hòa bình",))
    assert not answer_contained("Thoi han la 10 ngay", ("10 ngày",))


@needs_shared
@pytest.mark.parametrize(
    ("name", "documents", "questions"), [("alqac23", 2249, 100), ("vinewsqa", 500, 2497), ("viquad1", 515, 2285)]
)
def test_shared_public_datasets_load(name: str, documents: int, questions: int) -> None:
    bench = load_benchmark(name, SHARED)
    keys = {d.key for d in bench.documents}
    assert (len(bench.documents), len(bench.questions)) == (documents, questions)
    assert len(keys) == documents and all(q.gold <= keys for q in bench.questions)
    assert len({d.filename for d in bench.documents}) == documents
