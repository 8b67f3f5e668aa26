"""Task tables whose bodies span sub-rows ("Cơ quan chủ trì | … | Nội dung | Chỉ tiêu | Thời hạn", one body
over many actions), lettered in the Vietnamese alphabet, on a hand-made Phụ lục."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingestion.deadlines import find_deadlines
from ingestion.load import load_bytes
from ingestion.pipeline import content_hash, prepare
from ingestion.table_cells import _looks_time
from ingestion.task_tables import _Numbering, find_task_tables

ANNEX = Path(__file__).parent / "fixtures" / "official" / "quyetdinh-phuluc-bo-nganh.txt"


def _opened(lines: list[str]) -> list[str | None]:
    numbering = _Numbering()
    return [None if (found := numbering.accept(s)) is None else found[0] for s in lines]


def test_lettered_rows_run_in_the_vietnamese_alphabet() -> None:
    # "C." and "I." are Roman numerals too; after "B." and "H." they are the next letters
    assert _opened(["A.", "B.", "C.", "D.", "Đ.", "E.", "G.", "H.", "I.", "K."]) == ["upper"] * 10
    assert _opened(["a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"]) == ["alpha"] * 8
    assert _opened(["a)", "b)", "c)", "d)", "e)", "g)"]) == ["alpha"] * 6  # a list that skips "đ"
    assert _opened(["I.", "II.", "III."]) == ["roman"] * 3  # Roman numbering stays Roman
    assert _opened(["A.", "C."]) == ["upper", None]  # out of sequence: a cell's content


def test_rows_of_an_annex_whose_bodies_span_their_sub_rows() -> None:
    text = ANNEX.read_text(encoding="utf-8")
    [table] = find_task_tables(text)
    assert [(r.number, r.group) for r in table.rows] == [
        ("A.", True), ("1", False), ("2", False), ("B.", True), ("1", False), ("C.", True), ("1", False),
        ("D.", True), ("D.", False),  # a letter heading its title and its only row
    ]


def test_one_task_per_sub_row_with_its_own_deadline() -> None:
    data = ANNEX.read_bytes()
    doc = prepare(load_bytes(ANNEX.name, data, str(ANNEX)), ANNEX.name, content_hash(data), "t")
    text = doc.record.text
    annex = text.index("BẢNG PHÂN CÔNG")
    tasks = [t.as_json() for t in doc.tasks if t.start > annex]
    leads = [next(a["name"] for a in t["actors"] if a["role"] == "lead") for t in tasks]
    assert leads == ["Bộ Nông nghiệp và Môi trường"] * 7 + ["Bộ Xây dựng", "Bộ Công Thương", "Bộ Y tế"]
    assert [t["deadline"]["date"] for t in tasks] == [
        "2026-03-31", "2027-12-31", "2026-12-31", "2028-12-31", "2026-12-31", "2029-12-31", "2030-12-31",
        "2027-12-31", "2029-12-31", "2030-12-31",
    ]
    # six sub-rows under one body: each task holds its own item, not its neighbour's
    items = ["Hoàn thiện Thông tư", "Rà soát, cập nhật quy chuẩn", "Xây dựng quy chế phối hợp",
             "tiêu chí Nhãn nước sạch", "Tổ công tác liên ngành", "Tổng kết việc thực hiện"]
    for task, item in zip(tasks, items, strict=False):
        sentence = " ".join(task["sentence"].split())
        assert item in sentence and all(other not in sentence for other in items if other != item)
    for t in tasks:
        assert text[t["start"] : t["end"]] == t["sentence"]
        for a in t["actors"]:
            assert text[a["start"] : a["end"]] == a["name"]


@pytest.mark.parametrize(("cell", "is_time"), [
    ("Năm 2026", True), ("Quý IV/2025", True), ("Trong tháng 12/2025", True), ("Thường xuyên", True),
    ("Đến hết năm 2026", True), ("- Năm 2026: hoàn thành", True),
    # first words that fold like calendar words: "Việt / Nam …", "Quy chế", "Đầu tư", "Trồng cây"
    ("Nam cho các cơ sở cấp nước.", False), ("Quy chế được ban hành.", False), ("Đầu tư hệ thống quan trắc", False),
    ("Trồng cây xanh đô thị", False),
    # a bulleted item that mentions a period is an action, not the time column
    ("- Triển khai các nghiên cứu cấp quốc gia.\nGiai đoạn 2026 - 2030", False),
    # a verb of doing before the time words; a span of years a few words in
    ("Thực hiện thường xuyên, liên tục", True), ("Hoàn thành đầu tư giai đoạn 2026 - 2027", True),
    # a year that is the subject of a sentence wrapped from the line before ("… giai đoạn / 2026 - 2030 được …")
    ("2026 - 2030 được phê duyệt và phân bổ chỉ tiêu.", False), ("2025 đã hoàn thành.", False),
    # a span of years late in an action's sentence says what period it covers
    ("Tiếp tục triển khai hiệu quả Đề án phát triển cây xanh đô thị và xây dựng chương trình cho giai đoạn 2026 - 2030.",
     False),
])
def test_what_fills_a_time_column(cell: str, is_time: bool) -> None:
    assert _looks_time(cell) is is_time


@pytest.mark.parametrize(("written", "date"), [
    ("Giai đoạn 2026 - 2027. Thực hiện rà soát, cập nhật (nếu có)", "2027-12-31"),  # a note after the time
    ("Giai đoạn 2026 - 2030", "2030-12-31"),
    ("Giai đoạn 2021 - 2025. Tổng kết, đánh giá", None),  # had begun before the document
    ("Giai đoạn 2026 - 2030 và những năm tiếp theo", None),  # runs on
])
def test_a_span_of_years_heading_a_time_cell(written: str, date: str | None) -> None:
    [found] = find_deadlines(written, 0, dt.date(2025, 11, 20))
    assert found.date == date
