"""ingestion.sections: the heading tree of an official document and the path of any offset."""

from __future__ import annotations

from ingestion.sections import SectionIndex, parse_sections

PLAN = """KẾ HOẠCH
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Triển khai kịp thời.
II. TỔ CHỨC THỰC HIỆN
1. Sở Công Thương:
- Chủ trì điều phối toàn bộ nguồn hàng;
+ Báo cáo trước 19h00 hằng ngày.
- Phân bổ hàng hóa.
2. Sở Giáo dục và Đào tạo:
a) Tham mưu UBND tỉnh;
b) Tổ chức tập huấn.
1.1. Một mục con
"""


def test_tree_levels_and_paths() -> None:
    secs = parse_sections(PLAN)
    heads = [(s.heading, s.level) for s in secs if not s.is_bullet]
    assert heads[:4] == [("I. MỤC ĐÍCH, YÊU CẦU", 0), ("1. Mục đích", 1), ("II. TỔ CHỨC THỰC HIỆN", 0),
                         ("1. Sở Công Thương", 1)]
    index = SectionIndex(secs)
    assert index.path(PLAN.index("Báo cáo trước")) == "II. TỔ CHỨC THỰC HIỆN › 1. Sở Công Thương"
    assert index.path(PLAN.index("Tổ chức tập huấn")) == "II. TỔ CHỨC THỰC HIỆN › 2. Sở Giáo dục và Đào tạo › b) Tổ chức tập huấn"
    assert index.path(PLAN.index("Triển khai kịp")) == "I. MỤC ĐÍCH, YÊU CẦU › 1. Mục đích"
    plus = index.at(PLAN.index("Báo cáo trước"))
    assert plus is not None and plus.style == "plus" and secs[plus.parent or 0].style == "dash"
    assert index.top_level_starts() == [PLAN.index("I. MỤC"), PLAN.index("II. TỔ")]


def test_sections_end_where_the_next_sibling_starts() -> None:
    secs = parse_sections(PLAN)
    first, second = (s for s in secs if s.style == "roman")
    assert first.end == second.start and second.end == len(PLAN)


def test_legal_units_close_numbered_lists_and_attachments_restart() -> None:
    text = ("Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\n1. Nội dung một.\n2. Nội dung hai.\nĐiều 2. Đối tượng\n"
            "1. Cơ quan nhà nước.\nChương II\nĐiều 3. Trách nhiệm\nQUY CHẾ\nI. Phần đầu\n")
    att = text.index("QUY CHẾ")
    secs = parse_sections(text, attachments=[(att, "Quy chế làm việc")])
    index = SectionIndex(secs)
    assert index.path(text.index("Cơ quan nhà nước")) == "Chương I › Điều 2. Đối tượng › 1. Cơ quan nhà nước"
    assert index.path(text.index("Điều 3")) == "Chương II › Điều 3. Trách nhiệm"
    assert index.path(text.index("I. Phần đầu")) == "Quy chế làm việc › I. Phần đầu"


def test_body_bounds_and_no_markers() -> None:
    assert parse_sections("Một đoạn văn không có đề mục.\nĐoạn thứ hai.") == []
    text = "Số: 1/KH\n1. Trong phần đầu\nNơi nhận:\n- Như trên;"
    secs = parse_sections(text, body_start=text.index("1."), body_end=text.index("Nơi nhận"))
    assert [s.heading for s in secs] == ["1. Trong phần đầu"]


def test_a_cross_reference_at_a_line_start_is_no_article() -> None:
    """A hard wrap may put "Điều 4 và …" (a reference inside a sentence) at the start of a line."""
    text = ("Chương III\nĐiều 6. Lập đề án\n1. Căn cứ vào một trong các tiêu chí quy định tại\n"
            "Điều 4 và các điều kiện quy định tại Điều 5 Nghị quyết này, cơ quan lập đề án.\n"
            "2. Đề án gồm những nội dung chính sau đây.\n"
            "Điều 7. Quyết định này có hiệu lực kể từ ngày ký.\n")
    articles = [s.heading for s in parse_sections(text) if s.style == "dieu"]
    assert articles == ["Điều 6. Lập đề án", "Điều 7. Quyết định này có hiệu lực kể từ ngày ký"]
