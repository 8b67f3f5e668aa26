"""ingestion.unwrap: wraps joined one character for one; real breaks kept; news pages untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.clean import clean_text
from ingestion.unwrap import is_soft_break, looks_wrapped, unwrap

WRAPPED = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
-------
Số: 0129/KH-UBND

I.
ĐÁNH GIÁ TÌNH HÌNH

- Từ ngày 15/11 đến ngày
20/11/2025, trên địa bàn tỉnh xảy ra đợt mưa rất lớn trên diện rộng, lũ
trên các sông Ba, Kỳ Lộ đều vượt báo động 3; Bộ trưởng Bộ Công Thương chỉ đạo EVN tập trung
khắc phục sự cố điện của
Luật Phòng thủ dân sự.
1. Sở Công Thương:
- Chủ trì điều phối toàn
bộ nguồn hàng hỗ trợ;
- Phân bổ hàng hóa theo đúng mức độ thiệt hại.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Hồ Thị Nguyên Thảo
"""


def test_same_length_and_wraps_joined() -> None:
    out = unwrap(WRAPPED)
    assert len(out) == len(WRAPPED)
    assert "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\n-------" in out
    assert "I. ĐÁNH GIÁ TÌNH HÌNH" in out
    assert "đến ngày 20/11/2025, trên" in out
    assert "chỉ đạo EVN tập trung khắc phục sự cố điện của Luật Phòng thủ dân sự." in out
    assert "\n1. Sở Công Thương:\n- Chủ trì điều phối toàn bộ nguồn hàng hỗ trợ;\n- Phân bổ" in out
    assert "PHÓ CHỦ TỊCH\nHồ Thị Nguyên Thảo" in out  # end of an upper-case block
    assert "Số: 0129/KH-UBND\n\nI." in out


@pytest.mark.parametrize(
    ("prev", "nxt", "soft"),
    [
        ("Bộ trưởng Bộ Công Thương chỉ đạo EVN tập trung", "khắc phục sự cố", True),
        ("quy định chi tiết một số điều của", "Luật Phòng thủ dân sự;", True),
        ("bảo đảm an toàn;", "- Phối hợp với Công an tỉnh", False),
        ("1. Sở Y tế:", "- Bố trí các đội y tế", False),
        ("hoàn thành trong tháng 12/2025.", "Sở Tài chính tham mưu", False),
        ("V/V HỖ TRỢ NHU YẾU PHẨM KHẨN CẤP CHO NHÂN DÂN BỊ ẢNH HƯỞNG", "MƯA LŨ TRÊN ĐỊA BÀN TỈNH", True),
        ("KẾ HOẠCH", "Thực hiện Chương trình hành động", False),
        ("trên 3,5 triệu con gia súc, hơn", "120.000 lồng nuôi", True),
        ("II.", "MỤC TIÊU", True),
        ("Căn cứ Luật Tổ chức chính quyền địa phương;", "Căn cứ Nghị định số 30/2020/NĐ-CP", False),
        ("Nơi nhận:", "- Như trên;", False),
        ("| Cột 1 | Cột 2 |", "| a | b |", False),
    ],
)
def test_soft_break_rules(prev: str, nxt: str, soft: bool) -> None:
    assert is_soft_break(prev, nxt) is soft


def test_news_pages_are_left_alone() -> None:
    for path in sorted(Path("data/sample").glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8"))
        assert not looks_wrapped(text.split("\n"))
        assert unwrap(text) == text


def test_short_or_empty_text() -> None:
    assert unwrap("") == ""
    assert unwrap("một dòng") == "một dòng"


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-official"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus-official is not here")
def test_every_official_document_keeps_its_length_and_its_blank_lines() -> None:
    wrapped = 0
    for path in sorted(CORPUS.glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8"))
        out = unwrap(text)
        assert len(out) == len(text)
        assert [i for i, ch in enumerate(text) if ch != out[i]] == [i for i, ch in enumerate(text) if ch != out[i] and ch == "\n"]
        assert out.count("\n\n") == text.count("\n\n")  # paragraph breaks are never joined
        wrapped += out != text
    assert wrapped >= 40  # the copies keep their printed line wraps


def test_a_list_of_ministries_broken_after_a_semicolon_is_one_sentence() -> None:
    text = ("Ban Chỉ đạo yêu cầu các Bộ: Nông nghiệp và Môi trường; Xây dựng;\nKhoa học và Công nghệ xây dựng"
            " phương án điều chỉnh,\nbáo cáo trước ngày 15/12/2025.\n- Bộ Y tế;\nBáo cáo gửi về Bộ Nội vụ.")
    out = unwrap(text)
    assert "Xây dựng; Khoa học" in out  # the list goes on over the break
    assert "- Bộ Y tế;\nBáo cáo" in out  # an item ending in ";" before an ordinary sentence stays apart
