"""Deadline finder: real sentences from the official corpus, their spans and normalised dates.

Excerpts are copied from /work/shared/corpus-official (and a few from corpus-bulk) with their hard line
wraps; the reference date is the issue date of the document they come from. Run this module
(`python -m tests.test_deadlines`) to measure the finder over the whole official corpus.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from ingestion.deadlines import Deadline, find_deadlines

D = dt.date
OFFSET = 1000
# (excerpt, reference, expected text, kind, date, recurrence, relative)
CASES: list[tuple[str, dt.date | None, str, str, str | None, str | None, bool]] = [
    # --- before: a date limit --------------------------------------------------------------------------------------
    ("phân quyền được thực hiện thông suốt, hiệu quả, khả thi. Thời hạn\nhoàn thành chậm nhất ngày 25/12/2025.",
     D(2025, 12, 2), "chậm nhất ngày 25/12/2025", "before", "2025-12-25", None, False),
    ("Bộ Nội vụ) trước Thứ Tư ngày 03/12/2025 và tại các báo cáo định kỳ hằng tuần",
     D(2025, 12, 2), "trước Thứ Tư ngày 03/12/2025", "before", "2025-12-03", None, False),
    ("1 | Hoàn thành xét duyệt nghĩa vụ quân sự | Trước 31/8/2025 |",
     D(2025, 10, 13), "Trước 31/8/2025", "before", "2025-08-31", None, False),
    ("gia đình có nhà bị đổ, sập, trôi chậm nhất trước\nngày 31/01/2026.",
     D(2025, 11, 30), "chậm nhất trước\nngày 31/01/2026", "before", "2026-01-31", None, False),
    ("170/2024/QH15 trên Hệ thống 751. Thời hạn hoàn thành: trước ngày 30/11/2025.",
     D(2025, 11, 26), "trước ngày 30/11/2025", "before", "2025-11-30", None, False),
    ("Ban chỉ đạo 751), tính đến hết ngày 17/11/2025, Hệ thống 751 chỉ ghi nhận kết",
     D(2025, 11, 26), "đến hết ngày 17/11/2025", "before", "2025-11-17", None, False),
    ("đổi số tỉnh Đồng Tháp từ nay đến cuối năm\n2025;",
     D(2025, 11, 27), "đến cuối năm\n2025", "before", "2025-12-31", None, False),
    ("trong thời gian sớm nhất có thể, xong trước ngày Quốc khánh 02/9/2025.",
     None, "xong trước ngày Quốc khánh 02/9/2025", "before", "2025-09-02", None, False),
    ("nhưng không muộn hơn 15 giờ 00’ ngày 04 tháng 12 năm 2025 đối với mặt hàng giảm\ngiá",
     D(2025, 12, 1), "không muộn hơn 15 giờ 00’ ngày 04 tháng 12 năm 2025", "before", "2025-12-04", None, False),
    ("Tổ chức, hoàn thành trước ngày 31 tháng 12 năm 2025.",
     None, "trước ngày 31 tháng 12 năm 2025", "before", "2025-12-31", None, False),
    # --- before + repetition ---------------------------------------------------------------------------------------
    ("1. Trước ngày 20 tháng 12 hằng\nnăm, Ủy ban nhân dân xã/phường lập danh sách",
     D(2025, 11, 18), "Trước ngày 20 tháng 12 hằng\nnăm", "before", "2025-12-20", "annual", False),
    ("án 06 trước ngày 20 hằng tháng lên phần mềm theo dõi",
     D(2025, 11, 17), "trước ngày 20 hằng tháng", "before", "2025-11-20", "monthly", False),
    ("báo cáo giá thị trường về Sở Tài chính trước ngày 01 của tháng tiếp theo sau",
     D(2025, 11, 28), "trước ngày 01 của tháng tiếp theo", "before", "2025-12-01", "monthly", False),
    ("tỉnh trước ngày 25/12 hàng năm.", D(2025, 11, 25), "trước ngày 25/12 hàng năm", "before", "2025-12-25",
     "annual", False),
    ("thông nghiêm túc triển khai thực hiện; định kỳ trước ngày 30 tháng 11 hàng\nnăm báo cáo",
     D(2025, 11, 24), "trước ngày 30 tháng 11 hàng\nnăm", "before", "2025-11-30", "annual", False),
    ("Định kỳ hằng năm (trước\nngày 30 tháng 11) báo cáo kết quả thực hiện về Sở Xây dựng",
     D(2025, 11, 27), "trước\nngày 30 tháng 11", "before", "2025-11-30", "annual", False),
    ("gửi kết quả đánh giá, xếp loại về Sở Giáo dục và Đào tạo, hạn cuối\nngày 15 tháng 12 hàng năm (Lưu ý",
     D(2025, 11, 28), "hạn cuối\nngày 15 tháng 12 hàng năm", "before", "2025-12-15", "annual", False),
    ("định kỳ 06 tháng (trước\nngày 20 tháng 6 hằng năm) và 01 năm (trước ngày 15 tháng 11 hằng năm) báo cáo",
     D(2025, 11, 21), "trước ngày 15 tháng 11 hằng năm", "before", "2026-11-15", "annual", False),
    ("Định kỳ hàng tháng (trước ngày 16 hàng tháng), 6 tháng (trước\nngày 16/6), tổng kết năm",
     D(2025, 11, 20), "trước\nngày 16/6", "before", "2026-06-16", "semiannual", False),
    ("trong năm chậm nhất là ngày 31 tháng 01 năm sau.",
     D(2025, 6, 1), "chậm nhất là ngày 31 tháng 01 năm sau", "before", "2026-01-31", "annual", False),
    ("9. Chậm nhất vào ngày 10 tháng đầu tiên hàng quý, ngân hàng được phép",
     None, "Chậm nhất vào ngày 10 tháng đầu tiên hàng quý", "before", None, "quarterly", False),
    # --- clock times -----------------------------------------------------------------------------------------------
    ("tỉnh trước 19h00’ hằng ngày và đột xuất khi cần thiết.",
     D(2025, 11, 21), "trước 19h00’ hằng ngày", "time", None, "daily", False),
    ("hóa tại chỗ; báo cáo 02 lần/ngày (trước 9h00’ và 16h00’) về tình hình tiếp",
     D(2025, 11, 21), "trước 9h00’ và 16h00’", "time", None, "daily", False),
    ("đề án về Ban Chỉ đạo (qua Ban Tổ chức Trung ương) trước 15 giờ ngày thứ 4 hằng tuần, để",
     D(2025, 4, 14), "trước 15 giờ ngày thứ 4 hằng tuần", "time", None, "weekly", False),
    # --- within: a period as the limit -----------------------------------------------------------------------------
    ("Tỉnh, báo cáo Thủ tướng Chính phủ kết quả thực hiện trong Quý I năm 2026.",
     D(2025, 11, 22), "trong Quý I năm 2026", "within", "2026-03-31", None, False),
    ("Sở Khoa học và Công nghệ, Sở Công Thương, Các doanh nghiệp viễn thông\nQuý IV/2025- Quý II/2026\n3",
     D(2025, 11, 24), "Quý IV/2025- Quý II/2026", "within", "2026-06-30", None, False),
    ("phấn đấu hoàn thành nhiệm vụ trọng tâm 6\ntháng cuối năm 2025 về phát triển",
     D(2025, 11, 18), "6\ntháng cuối năm 2025", "within", "2025-12-31", None, False),
    ("địa phương xong trong tháng 12/2025.", D(2025, 11, 20), "trong tháng 12/2025", "within", "2025-12-31", None,
     False),
    ("tích hợp giấy tờ điện tử trên VNelD, hoàn thành trong tháng 11 năm 2025.",
     D(2025, 9, 13), "trong tháng 11 năm 2025", "within", "2025-11-30", None, False),
    ("cấp trên trực tiếp cơ sở vào đầu quý 3/2025; cấp trực thuộc Trung ương trong quý 3/2025.",
     None, "trong quý 3/2025", "within", "2025-09-30", None, False),
    ("cấp trên trực tiếp cơ sở vào đầu quý 3/2025; cấp", None, "vào đầu quý 3/2025", "within", None, None, False),
    ("6 | Lễ giao nhân quân (dự kiến) | Đầu tháng 3/2026 |",
     D(2025, 10, 13), "Đầu tháng 3/2026", "within", None, None, False),
    ("trong năm 2025 và nhiệm kỳ 2025 – 2030, Kết luận nêu rõ",
     D(2025, 2, 14), "trong năm 2025", "within", "2025-12-31", None, False),
    # --- relative limits -------------------------------------------------------------------------------------------
    ("chậm nhất là 30 ngày làm việc, kê từ ngày nhận được kiến nghị.",
     D(2025, 11, 25), "chậm nhất là 30 ngày làm việc, kê từ ngày", "before", None, None, True),
    ("1. Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp",
     D(2025, 11, 25), "Chậm nhất là 30 ngày", "before", None, None, True),
    ("quyền của UBND và Chủ tịch UBND tỉnh trong vòng 30 ngày tại trụ sở tiếp công",
     D(2025, 11, 25), "trong vòng 30 ngày", "within", None, None, True),
    ("phải thông báo bằng văn bản trước 24 giờ tính đến thời Điểm dự định họp báo",
     None, "trước 24 giờ", "before", None, None, True),
    # --- on: a day, a range --------------------------------------------------------------------------------------
    ("Trong các ngày 08 và 09 tháng 11 năm 2025, Phó Thủ",
     D(2025, 11, 27), "Trong các ngày 08 và 09 tháng 11 năm 2025", "on", "2025-11-09", None, False),
    ("do đợt mưa lũ từ ngày 16-22/11/2025, gửi Văn", D(2025, 11, 30), "từ ngày 16-22/11/2025", "on", "2025-11-22",
     None, False),
    ("4 | Phúc tra sức khỏe | Từ ngày 16 đến 31/12/2025 |",
     D(2025, 10, 13), "Từ ngày 16 đến 31/12/2025", "on", "2025-12-31", None, False),
    ("3 | Tở chức khám sức khỏe nghĩa vụ quân sự | Từ ngày 01/11/2205 đến đến ngày 10/12/2025;",
     D(2025, 10, 13), "Từ ngày 01/11/2205 đến đến ngày 10/12/2025", "on", "2025-12-10", None, False),
    ("nghỉ dịp lễ Quốc khánh năm 2025 từ thứ Bảy ngày 30/8/2025 đến hết thứ Ba ngày 02/9/2025 Dương lịch.",
     None, "từ thứ Bảy ngày 30/8/2025 đến hết thứ Ba ngày 02/9/2025", "on", "2025-09-02", None, False),
    ("Nghị\nđịnh này có hiệu lực thi hành kể từ ngày 20 tháng 11 năm 2025.",
     D(2025, 11, 19), "kể từ ngày 20 tháng 11 năm 2025", "on", "2025-11-20", None, False),
    ('phát động và triển khai ngay "Chiến dịch Quang Trung" vào\nngày 01/12/2025 để huy động',
     D(2025, 11, 30), "vào\nngày 01/12/2025", "on", "2025-12-01", None, False),
    ("Ngày 13/9/2025, Thủ tướng Chính phủ đã có Chỉ thị 24/CT-TTg năm 2025 về việc",
     None, "Ngày 13/9/2025", "on", "2025-09-13", None, False),
    # --- periods ---------------------------------------------------------------------------------------------------
    ("đến hết năm 2030, có ít nhất 50% đơn vị hành chính cấp xã",
     D(2025, 11, 20), "đến hết năm 2030", "period", "2030-12-31", None, False),
    ("GIAI ĐOẠN 05 NĂM 2026 – 2028\n", D(2025, 11, 24), "GIAI ĐOẠN 05 NĂM 2026 – 2028", "period", None, None, False),
    ("giáo dục nghề nghiệp thời kỳ\n2021 - 2030, tầm nhìn đến năm 2045…",
     None, "đến năm 2045", "period", "2045-12-31", None, False),
    # --- recurrences -----------------------------------------------------------------------------------------------
    ("1. Thành viên Ban Chỉ đạo định kỳ 06 tháng (trước", D(2025, 11, 21), "định kỳ 06 tháng", "recurring", None,
     "semiannual", False),
    ("3. Định kỳ 03 năm một lần hoặc", D(2025, 11, 28), "Định kỳ 03 năm một lần", "recurring", None, None, False),
    ("Ban Chỉ đạo họp định kỳ ít nhất\n2 lần/năm và họp đột xuất", D(2025, 11, 25), "định kỳ ít nhất\n2 lần/năm",
     "recurring", None, "semiannual", False),
    ("Họp Ban Chỉ đạo định kỳ: 06 tháng một lần. Tài", None, "06 tháng một lần", "recurring", None, "semiannual",
     False),
    ("- Thực hiện chế độ báo cáo định\nkỳ hằng quý về tiến độ", D(2025, 11, 19), "định\nkỳ hằng quý", "recurring",
     None, "quarterly", False),
    ("công ty chứng khoán phải gửi Báo cáo năm hoặc báo cáo 6 tháng về hoạt động quản trị rủi ro.",
     None, "6 tháng", "recurring", None, "semiannual", False),
]


def _check_offsets(text: str, found: list[Deadline], offset: int) -> None:
    for d in found:
        assert text[d.start - offset : d.end - offset] == d.text
    assert [d.start for d in found] == sorted(d.start for d in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


@pytest.mark.parametrize(("text", "ref", "want", "kind", "date", "rec", "relative"), CASES)
def test_real_sentences(
    text: str, ref: dt.date | None, want: str, kind: str, date: str | None, rec: str | None, relative: bool
) -> None:
    found = find_deadlines(text, offset=OFFSET, reference=ref)
    _check_offsets(text, found, OFFSET)
    hit = next((d for d in found if d.text == want), None)
    assert hit is not None, [d.text for d in found]
    assert (hit.kind, hit.date, hit.recurrence, hit.relative) == (kind, date, rec, relative)


@pytest.mark.parametrize(
    "text",
    [
        # Issue dates of cited documents, of this document (its header), and "Căn cứ" citations.
        "hoạch số 4084/KH-BVHTTDL ngày 13/8/2025 của Bộ Văn hóa, Thể thao và Du lịch Triển\n"
        "khai Nghị quyết số 214/NQ-CP ngày 23/7/2025 của Chính phủ",
        "Nghị định số 200/2023/NĐ-CP ngày 28/12/2023 của Chính phủ",
        "thực hiện Kết luận số 192-KL/TW, ngày 19/9/2025 và Kết luận số 221-KL/TW, ngày 28/11/2025",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Số: 308/KH-UBND\nHà Nội, ngày 17\ntháng 11 năm 2025",
        "Đảng, Nhà nước.\nHà Nội, ngày\n21 tháng 11 năm 2025\nKính gửi:",
        # Look-alikes: "đầu tư năm 2025" is not "từ năm 2025"; "Sau 04 tháng vận hành" looks back.
        "các dự án đầu tư năm 2025, Kế hoạch",
        "tư, nâng cấp (2,5 - 5,5 tỷ đồng/xã, phường). Sau 04 tháng vận hành, tổ chức và",
        "Quý III 9 tháng Quý IV",
    ],
)
def test_not_deadlines(text: str) -> None:
    assert find_deadlines(text, reference=D(2025, 11, 20)) == []


def test_document_reference_skipped_but_deadline_kept() -> None:
    text = "Thực hiện Công văn số 1830/LHHN-VP ngày 05/01/2022, báo cáo trước ngày 15/12/2025."
    found = find_deadlines(text, offset=OFFSET)
    assert [(d.text, d.date) for d in found] == [("trước ngày 15/12/2025", "2025-12-15")]
    _check_offsets(text, found, OFFSET)


def test_plain_date_kept_when_no_document_is_cited() -> None:
    (d,) = find_deadlines("Theo quy định, Ngày Pháp luật Việt Nam là ngày 09/11/2025.")
    assert (d.text, d.kind, d.date) == ("ngày 09/11/2025", "on", "2025-11-09")


def test_yearless_dates_need_a_reference() -> None:
    text = "tổng kết năm (trước ngày 20/11 hàng năm) hoặc khi có yêu"
    (without,) = find_deadlines(text)
    assert (without.text, without.date, without.recurrence) == ("trước ngày 20/11 hàng năm", None, "annual")
    (before_ref,) = find_deadlines(text, reference=D(2025, 11, 21))  # already passed: next year's
    assert before_ref.date == "2026-11-20"
    (same_day,) = find_deadlines(text, reference=D(2025, 11, 20))
    assert same_day.date == "2025-11-20"
    (plain,) = find_deadlines("trước ngày 15/12")
    assert (plain.kind, plain.date) == ("before", None)
    assert find_deadlines("trong tháng 12", reference=D(2025, 11, 20))[0].date == "2025-12-31"


def test_line_breaks_and_spaces_inside_dates() -> None:
    text = "gửi Sở Tư pháp trước ngày\n30/11/2025   và hoàn thành trước  ngày 21\ntháng 11 năm 2026."
    found = find_deadlines(text, offset=7)
    assert [(d.text, d.date) for d in found] == [
        ("trước ngày\n30/11/2025", "2025-11-30"),
        ("trước  ngày 21\ntháng 11 năm 2026", "2026-11-21"),
    ]
    _check_offsets(text, found, 7)


@pytest.mark.parametrize(
    ("text", "kind", "date"),
    [
        ("hạn chót 05/01/2026", "before", "2026-01-05"),
        ("trước ngày 5-12-2025", "before", "2025-12-05"),
        ("trước ngày 5.12.2025", "before", "2025-12-05"),
        ("quý I/2026", "within", "2026-03-31"),
        ("trong quý 2/2026", "within", "2026-06-30"),
        ("quý IV năm 2025", "within", "2025-12-31"),
        ("tháng 12/2025", "within", "2025-12-31"),
        ("6 tháng đầu năm 2026", "within", "2026-06-30"),
        ("trước quý IV/2025", "before", "2025-09-30"),
        ("giai đoạn 2026-2030", "period", "2030-12-31"),  # alone, as in a time cell: due at its end
        ("31/02/2025", "on", None),  # no such day: text kept, no date
        ("trước ngày 15/12/2150", "before", None),  # outside 1900-2100
    ],
)
def test_normalisation(text: str, kind: str, date: str | None) -> None:
    (d,) = find_deadlines(text)
    assert (d.text, d.kind, d.date) == (text, kind, date)


@pytest.mark.parametrize(
    ("text", "want", "kind", "date"),
    [
        ("Hoàn thành trong giai đoạn 2026 - 2027.", "Hoàn thành trong giai đoạn 2026 - 2027", "within", "2027-12-31"),
        ("- Thí điểm trong giai đoạn 2026 - 2028", "trong giai đoạn 2026 - 2028", "within", "2028-12-31"),
        ("Giai đoạn 2026-2030 và những năm tiếp theo", "Giai đoạn 2026-2030 và những năm tiếp theo", "period", None),
        ("kết quả thực hiện trong giai đoạn 2021-2025 cho thấy", "trong giai đoạn 2021-2025", "period", None),
        ("Kế hoạch thực hiện Chiến lược giai đoạn 2026-2030, tỉnh", "giai đoạn 2026-2030", "period", None),
        ("KẾ HOẠCH GIAI ĐOẠN 2026 - 2030", "GIAI ĐOẠN 2026 - 2030", "period", None),
    ],
)
def test_a_span_of_years_is_due_at_its_end_only_as_the_time_to_finish(
    text: str, want: str, kind: str, date: str | None
) -> None:
    """The gold conventions: a closed span given as the completion time is due on its last day; a span
    in running prose, a title, an open-ended or an already begun one names no day (issued 24/11/2025)."""
    (d,) = find_deadlines(text, reference=dt.date(2025, 11, 24))
    assert (d.text, d.kind, d.date) == (want, kind, date)


def test_decomposed_input_keeps_offsets() -> None:
    text = unicodedata.normalize("NFD", "Báo cáo trước ngày 30 tháng 11 năm 2025 và hằng quý.")
    found = find_deadlines(text, offset=3)
    assert [(d.kind, d.date, d.recurrence) for d in found] == [
        ("before", "2025-11-30", None),
        ("recurring", None, "quarterly"),
    ]
    _check_offsets(text, found, 3)
    assert unicodedata.normalize("NFC", found[0].text) == "trước ngày 30 tháng 11 năm 2025"


OFFICIAL = Path("/work/shared/corpus-official")


def _issue_dates() -> dict[str, dt.date]:
    """Issue dates from SOURCES.md: `| file | kind | number | issuer | dd/mm/yyyy | ...`."""
    dates: dict[str, dt.date] = {}
    for line in (OFFICIAL / "SOURCES.md").read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cells[5]) if len(cells) > 5 else None
        if m and cells[1].endswith(".txt"):
            dates[cells[1]] = dt.date(int(m[3]), int(m[2]), int(m[1]))
    return dates


@pytest.mark.skipif(not OFFICIAL.is_dir(), reason="official corpus not available")
def test_official_corpus_spans_are_exact() -> None:
    dates = _issue_dates()
    for path in sorted(OFFICIAL.glob("*.txt")):
        text = path.read_text()
        _check_offsets(text, find_deadlines(text, reference=dates.get(path.name)), 0)


def measure(sample: int = 20, seed: int = 0) -> None:
    """Counts per kind over the official corpus, and a random sample to read."""
    import collections
    import random

    dates = _issue_dates()
    rows = [
        (path.name, d)
        for path in sorted(OFFICIAL.glob("*.txt"))
        for d in find_deadlines(path.read_text(), reference=dates.get(path.name))
    ]
    print(len(rows), dict(collections.Counter(d.kind for _, d in rows)))
    for name, d in random.Random(seed).sample(rows, sample):
        text = " ".join(d.text.split())
        print(f"{name[:32]:32} {d.kind:9} {d.date or '-':10} {d.recurrence or '-':10} {d.relative!s:5} {text}")


if __name__ == "__main__":
    measure()
