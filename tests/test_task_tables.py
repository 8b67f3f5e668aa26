"""Flattened task tables (one cell a printed line) read into one task per row, on hand-made excerpts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingestion.deadlines import find_deadlines
from ingestion.load import load_bytes
from ingestion.pipeline import content_hash, prepare
from ingestion.task_tables import find_task_tables
from qa_service.eval.tasks import BULK_CORPUS, BULK_GOLD, score
from vectorstore.store import PreparedDocument

FIXTURES = Path(__file__).parent / "fixtures" / "official"
PLAN = FIXTURES / "kehoach-bang-nhiem-vu.txt"


def _prepared(path: Path) -> PreparedDocument:
    data = path.read_bytes()
    return prepare(load_bytes(path.name, data, str(path)), path.name, content_hash(data), "t")


def _cells(text: str, row_cells: list) -> dict[str, str]:
    return {c.kind: " ".join(text[c.start : c.end].split()) for c in row_cells}


def test_header_rows_and_cells_of_a_flattened_table() -> None:
    text = PLAN.read_text(encoding="utf-8")
    [table] = find_task_tables(text)
    # wrapped header cells ("Nội dung nhiệm / vụ", "Thời gian hoàn / thành") are one column each
    assert table.columns == ["no", "action", "lead", "support", "time", "other"]
    assert [r.number for r in table.rows] == ["I.", "1", "2", "II.", "3", "4"]
    assert [r.group for r in table.rows] == [True, False, False, True, False, False]
    first, second, third = (r for r in table.rows if not r.group and r.number != "4")
    assert _cells(text, first.cells) == {
        "action": "Triển khai nền tảng đào tạo trực tuyến mở cho người dân, doanh nghiệp.",
        "lead": "Sở Khoa học và Công nghệ",  # wrapped after "và": still one cell
        "support": "Các sở, ban, ngành tỉnh; UBND các xã, phường",
        "time": "Thường xuyên",
        "other": "Nền tảng được vận hành",
    }
    assert _cells(text, second.cells)["support"] == "Sở Tài chính, Sở Nội vụ và các cơ quan, đơn vị liên quan"
    assert "support" not in _cells(text, third.cells)  # an empty cell leaves no line
    assert _cells(text, third.cells)["time"] == "Tháng 12/2026"


def test_a_year_in_a_cell_opens_no_row() -> None:
    text = PLAN.read_text(encoding="utf-8")
    [table] = find_task_tables(text)
    last = table.rows[-1]
    assert last.number == "4" and _cells(text, last.cells)["time"] == "2025"


def test_tables_without_task_columns_are_not_task_tables() -> None:
    text = (FIXTURES / "bang-thu-tuc-hanh-chinh.txt").read_text(encoding="utf-8")
    assert find_task_tables(text) == []  # procedures: no action column, no chủ trì


def test_one_task_per_row_with_lead_support_and_deadline() -> None:
    doc = _prepared(PLAN)
    text = doc.record.text
    tasks = [t.as_json() for t in doc.tasks if "Phụ lục" in t.section]
    assert [t["action"][:20] for t in tasks] == [
        "Triển khai nền tảng ", "Xây dựng Bộ tiêu chí", "Tổ chức hội nghị kết", "Hỗ trợ doanh nghiệp ",
    ]
    roles = [[(a["name"], a["role"]) for a in t["actors"]] for t in tasks]
    assert roles[1] == [("Sở Công Thương", "lead"), ("Sở Tài chính", "support"), ("Sở Nội vụ", "support"),
                        ("các cơ quan, đơn vị liên quan", "support")]
    assert roles[2] == [("Sở Khoa học và Công nghệ", "lead")]
    dates = [(t["deadline"] or {}).get("date") for t in tasks]
    assert dates == [None, "2025-12-31", "2026-12-31", "2025-12-31"]  # Thường xuyên, Quí IV-2025, month, year
    assert tasks[0]["section"].endswith("I. NÂNG CAO NHẬN THỨC")
    assert tasks[2]["section"].endswith("II. HỖ TRỢ DOANH NGHIỆP")
    for t in tasks:  # every span is the stored text's own
        assert text[t["start"] : t["end"]] == t["sentence"]
        assert text[t["start"] :].startswith(t["action"][:30])
        for a in t["actors"]:
            assert text[a["start"] : a["end"]] == a["name"]
        d = t["deadline"]
        if d:
            assert text[d["start"] : d["end"]] == d["text"]


def test_unwrapping_keeps_cells_apart_and_joins_wraps_inside_them() -> None:
    text = _prepared(PLAN).record.text
    assert "\nSở Khoa học và Công nghệ\nCác sở, ban, ngành tỉnh; UBND các xã, phường\nThường xuyên\n" in text
    assert "\nNội dung nhiệm vụ\nCơ quan chủ trì\n" in text
    assert "\n1 Triển khai nền tảng đào tạo trực tuyến mở cho người dân, doanh nghiệp.\n" in text


def test_prose_rows_before_the_table_still_give_their_tasks() -> None:
    tasks = [t.as_json() for t in _prepared(PLAN).tasks]
    assert any(t["section"].startswith("II. TỔ CHỨC THỰC HIỆN") for t in tasks)


@pytest.mark.parametrize(("written", "date"), [("Quí IV-2025", "2025-12-31"), ("Quý I/2026", "2026-03-31")])
def test_quarters_as_task_tables_write_them(written: str, date: str) -> None:
    [found] = find_deadlines(written, 0, dt.date(2025, 12, 1))
    assert (found.text, found.date) == (written, date)


@pytest.mark.skipif(not (BULK_CORPUS.is_dir() and BULK_GOLD.is_file()), reason="../shared/corpus-bulk is not here")
def test_task_tables_against_the_bulk_gold() -> None:
    """eval/gold/bulk_task_tables.jsonl: rows of four corpus-bulk task tables, two of them never tuned on."""
    scores = score(BULK_GOLD, BULK_CORPUS)
    print(scores.summary())
    assert scores.actor_precision >= 0.95
    assert scores.actor_recall >= 0.75
    assert scores.date_accuracy >= 0.75
