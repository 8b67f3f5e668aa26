"""parse_layout piece by piece, on small hand-made excerpts laid out as copies of official documents are."""

from __future__ import annotations

import pytest

from ingestion.actors import canonical_key
from ingestion.layout import parse_layout


def same_body(got: str | None, want: str) -> bool:
    """Issuer names compared as bodies: their readable casing is actors.pretty_body's business."""
    return got is not None and canonical_key(got) == canonical_key(want)


MOTTO = "CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"

KE_HOACH = (
    "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n-------\n" + MOTTO + "Số: 624/KH-UBND\nHà Tĩnh, ngày 19 tháng 11 năm 2025\n\n"
    "KẾ HOẠCH\n\nHỖ TRỢ NHU YẾU PHẨM CHO NHÂN DÂN BỊ ẢNH HƯỞNG MƯA LŨ TRÊN ĐỊA BÀN\nTỈNH HÀ TĨNH\n\n"
    "Căn cứ tình hình thiệt hại, Ủy ban nhân dân tỉnh ban hành kế hoạch hỗ trợ nhu yếu phẩm cho\n"
    "người dân bị ảnh hưởng mưa lũ trên địa bàn tỉnh Hà Tĩnh như sau:\n\n"
    "I. MỤC ĐÍCH\n\nKịp thời hỗ trợ người dân trên địa bàn tỉnh Hà Tĩnh./.\n\n"
    "Nơi nhận:\n- Thủ tướng Chính phủ (b/c);\n- Các sở, ngành;\n- Lưu: VT, TH.\n"
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Thị Nguyệt\n"
)


def test_letterhead_number_place_date_kind_and_abstract() -> None:
    got = parse_layout(KE_HOACH)
    assert got.is_official
    assert same_body(got.issuer, "Ủy ban nhân dân tỉnh Hà Tĩnh") and got.parent_issuer is None
    assert got.issuer_span and KE_HOACH[slice(*got.issuer_span)] == "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH"
    assert got.number and got.number.value == "624/KH-UBND"
    assert KE_HOACH[got.number.start : got.number.end] == "624/KH-UBND"
    assert got.place == "Hà Tĩnh"
    assert got.published and got.published.value == "2025-11-19"
    assert got.doc_kind == "Kế hoạch"
    assert got.abstract == "Hỗ trợ nhu yếu phẩm cho nhân dân bị ảnh hưởng mưa lũ trên địa bàn tỉnh Hà Tĩnh"
    assert got.title == "Kế hoạch hỗ trợ nhu yếu phẩm cho nhân dân bị ảnh hưởng mưa lũ trên địa bàn tỉnh Hà Tĩnh"
    assert got.motto_block and KE_HOACH[slice(*got.motto_block)].startswith("CỘNG HÒA XÃ HỘI")
    assert KE_HOACH[slice(*got.motto_block)].endswith("Hạnh phúc\n---------------")
    assert KE_HOACH[got.body_start :].startswith("Căn cứ tình hình")


def test_signature_and_recipients_block() -> None:
    got = parse_layout(KE_HOACH)
    assert got.signer and got.signer.value == "Nguyễn Thị Nguyệt"
    assert KE_HOACH[got.signer.start : got.signer.end] == "Nguyễn Thị Nguyệt"
    assert (got.signer_title, got.signing_authority) == ("Phó Chủ tịch", "KT. Chủ tịch")
    assert got.recipients_block
    block = KE_HOACH[slice(*got.recipients_block)]
    assert block.startswith("Nơi nhận:") and block.endswith("- Lưu: VT, TH.") and "CHỦ TỊCH" not in block


def test_letterhead_with_parent_names_the_child_with_its_parents_place() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSỞ TÀI CHÍNH\n-------\n" + MOTTO +
            "Số: 12/STC-NS\nV/v hướng dẫn lập dự toán\nHà Tĩnh, ngày 05/01/2022\nKính gửi: Các sở, ban, ngành\n"
            "Thực hiện Luật Ngân sách nhà nước, Sở Tài chính hướng dẫn như sau.\n")
    got = parse_layout(text)
    assert same_body(got.issuer, "Sở Tài chính tỉnh Hà Tĩnh")
    assert same_body(got.parent_issuer, "Ủy ban nhân dân tỉnh Hà Tĩnh")
    assert got.published and got.published.value == "2022-01-05"


def test_wrapped_letterhead_motto_number_and_date() -> None:
    text = ("ỦY BAN NHÂN\nDÂN\nTỈNH ĐẮK LẮK\n--------\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\nSố:\n7360/KH-UBND\nĐắk Lắk, ngày 21\ntháng 11 năm 2025\n"
            "KẾ HOẠCH\nTRIỂN KHAI THI HÀNH LUẬT\nCăn cứ Luật Tổ chức chính quyền địa phương.\n")
    got = parse_layout(text)
    assert same_body(got.issuer, "Ủy ban nhân dân tỉnh Đắk Lắk")
    assert got.number and got.number.value == "7360/KH-UBND"
    assert got.place == "Đắk Lắk"
    assert got.published and got.published.value == "2025-11-21"
    assert text[got.published.start : got.published.end] == "ngày 21\ntháng 11 năm 2025"
    assert got.motto_block and "Hạnh phúc" in text[slice(*got.motto_block)]


@pytest.mark.parametrize("line, number", [
    ("Số:624/KH-UBND", "624/KH-UBND"),
    ("Số 45-CT/TW", "45-CT/TW"),
    ("Số: 302/2025/NĐ-CP", "302/2025/NĐ-CP"),
    ("Số: 11554/VPCP-V.I", "11554/VPCP-V.I"),
])
def test_number_line_variants(line: str, number: str) -> None:
    got = parse_layout(f"CHÍNH PHỦ\n-------\n{MOTTO}{line}\nHà Nội, ngày 19 tháng 11 năm 2025\n")
    assert got.number and got.number.value == number


def test_blank_day_gives_no_date_but_keeps_the_place() -> None:
    got = parse_layout(f"BỘ TÀI CHÍNH\n-------\n{MOTTO}Số: /QĐ-BTC\nHà Nội, ngày   tháng 11 năm 2025\n")
    assert got.is_official and got.number is None
    assert got.place == "Hà Nội" and got.published is None


def test_cong_van_subject_and_recipient_list() -> None:
    text = ("BỘ NỘI VỤ\n--------\n" + MOTTO + "Số:10988/BNV-CQĐP\nV/v tuyên truyền chủ trương, chính sách của\n"
            "Đảng, Nhà nước.\nHà Nội, ngày\n21 tháng 11 năm 2025\nKính gửi:\n- Ban Tuyên giáo và Dân vận Trung ương,\n"
            "- Các cơ quan tham mưu\nquản lý nhà nước thuộc Bộ;\n- Báo Nhân dân.\n"
            "Thời gian gần đây, trên các trang mạng xã hội xuất hiện thông tin sai lệch.\n")
    got = parse_layout(text)
    assert got.doc_kind == "Công văn"
    assert got.abstract == "Tuyên truyền chủ trương, chính sách của Đảng, Nhà nước"
    assert got.title == "Công văn tuyên truyền chủ trương, chính sách của Đảng, Nhà nước"
    assert got.recipients == [
        "Ban Tuyên giáo và Dân vận Trung ương", "Các cơ quan tham mưu quản lý nhà nước thuộc Bộ", "Báo Nhân dân",
    ]
    assert text[got.body_start :].startswith("Thời gian gần đây")


def test_recipient_on_one_wrapped_line() -> None:
    text = ("BỘ TÀI CHÍNH\nCỤC THUẾ\n-------\n" + MOTTO + "Số: 5467/CT-CS\nV/v chính sách tiền thuê đất\n"
            "Hà Nội, ngày 24\ntháng 11 năm 2025\nKính gửi: Thuế\ntỉnh Gia Lai.\nCục Thuế nhận được công văn.\n")
    got = parse_layout(text)
    assert got.recipients == ["Thuế tỉnh Gia Lai"]
    assert same_body(got.issuer, "Cục Thuế") and same_body(got.parent_issuer, "Bộ Tài chính")


def test_cong_dien_addressees() -> None:
    text = ("THỦ TƯỚNG CHÍNH PHỦ\n-------\n" + MOTTO + "Số: 226/CĐ-TTg\nHà Nội, ngày 21 tháng 11 năm 2025\n"
            "CÔNG ĐIỆN\nVỀ VIỆC TĂNG CƯỜNG ỨNG PHÓ MƯA LŨ\nTHỦ\nTƯỚNG CHÍNH PHỦ điện:\n"
            "- Bộ trưởng các Bộ: Quốc phòng,\n"
            "Công an;\n- Chủ tịch Ủy ban nhân dân các tỉnh.\nTrong tháng 11 mưa lũ kéo dài.\n")
    got = parse_layout(text)
    assert got.doc_kind == "Công điện"
    assert got.abstract == "Về việc tăng cường ứng phó mưa lũ"
    assert got.recipients == ["Bộ trưởng các Bộ: Quốc phòng, Công an", "Chủ tịch Ủy ban nhân dân các tỉnh"]


def test_authority_line_is_not_part_of_the_abstract() -> None:
    text = ("BỘ NỘI VỤ\n-------\n" + MOTTO + "Số: 1383/QĐ-BNV\nHà Nội, ngày 26\ntháng 11 năm 2025\nQUYẾT ĐỊNH\n"
            "VỀ VIỆC BAN HÀNH LỊCH PHỔ BIẾN THÔNG TIN THỐNG KÊ CỦA\nBỘ NỘI VỤ\nBỘ TRƯỞNG BỘ NỘI VỤ\n"
            "Căn cứ Luật; theo đề nghị của Vụ trưởng, Bộ Nội vụ ban hành lịch phổ biến thông tin thống kê.\n")
    got = parse_layout(text)
    assert got.abstract == "Về việc ban hành lịch phổ biến thông tin thống kê của Bộ Nội vụ"
    assert got.title == "Quyết định về việc ban hành lịch phổ biến thông tin thống kê của Bộ Nội vụ"
    assert text[got.body_start :].startswith("Căn cứ Luật;")


def test_party_letterhead() -> None:
    text = ("BAN CHẤP HÀNH\nTRUNG ƯƠNG\nVĂN PHÒNG\nĐẢNG CỘNG\nSẢN VIỆT NAM\n---------------\nSố 432-TB/VPTW\n"
            "Hà Nội, ngày\n26 tháng 11 năm 2025\nTHÔNG BÁO KẾT LUẬN\nCỦA ĐỒNG CHÍ TỔNG BÍ THƯ\n-----\n"
            "Ngày 24/11/2025, đồng chí Tổng Bí thư đã có buổi làm việc.\n")
    got = parse_layout(text)
    assert same_body(got.issuer, "Văn phòng Trung ương Đảng")
    assert got.number and got.number.value == "432-TB/VPTW"
    assert got.doc_kind == "Thông báo" and got.title and got.title.startswith("Thông báo kết luận")
    assert got.motto_block and text[slice(*got.motto_block)].startswith("ĐẢNG CỘNG")


@pytest.mark.parametrize("block, authority, title", [
    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "TM. Ủy ban nhân dân", "Chủ tịch"),
    ("TM. ỦY BAN NHÂN\nDÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "TM. Ủy ban nhân dân, KT. Chủ tịch", "Phó Chủ tịch"),
    ("KT. BỘ TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ NHIỆM", "KT. Bộ trưởng, Chủ nhiệm", "Phó Chủ nhiệm"),
    ("Q. BỘ TRƯỞNG", "Q. Bộ trưởng", None),
    ("TL. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ PHÁP CHẾ", "TL. Bộ trưởng", "Vụ trưởng Vụ Pháp chế"),
    ("TUQ. CHỦ TỊCH\nCHÁNH VĂN PHÒNG", "TUQ. Chủ tịch", "Chánh Văn phòng"),
    ("PP. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "PP. Giám đốc", "Phó Giám đốc"),
    ("K/T CHÁNH\nVĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG THƯỜNG TRỰC", "KT. Chánh Văn phòng", "Phó Chánh Văn phòng Thường trực"),
    ("TRƯỞNG BAN\nPHÓ THỦ TƯỚNG", None, "Trưởng ban, Phó Thủ tướng"),
    ("CHỦ\nTỊCH", None, "Chủ tịch"),
])
def test_signature_prefixes(block: str, authority: str | None, title: str | None) -> None:
    text = ("BỘ TƯ PHÁP\n-------\n" + MOTTO + "Số: 23/2025/TT-BTP\nHà Nội, ngày 20 tháng 11 năm 2025\n\n"
            "Thông tư này có hiệu lực thi hành kể từ ngày ký ban hành./.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
            f"{block}\nNguyễn Hải Ninh\n")
    got = parse_layout(text)
    assert got.signer and got.signer.value == "Nguyễn Hải Ninh"
    assert (got.signing_authority, got.signer_title) == (authority, title)


def test_signature_before_recipients_wrapped_name_and_rank() -> None:
    text = ("BỘ QUỐC PHÒNG\n-------\n" + MOTTO + "Số: 127/2025/TT-BQP\nHà Nội, ngày 20 tháng 11 năm 2025\n\n"
            "Thông tư này có hiệu lực thi hành./.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nThượng\ntướng Vũ Hải Sản\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    got = parse_layout(text)
    assert got.signer and got.signer.value == "Vũ Hải Sản"
    assert text[got.signer.start : got.signer.end] == "Vũ Hải Sản"
    assert got.recipients_block and text[slice(*got.recipients_block)] == "Nơi nhận:\n- Như trên;\n- Lưu: VT."


def test_attachment_heading_and_main_signer() -> None:
    text = ("THỦ TƯỚNG\nCHÍNH PHỦ\n--------\n" + MOTTO + "Số: 2623/QĐ-TTg\nHà Nội, ngày\n29 tháng 11 năm 2025\n\n"
            "QUYẾT ĐỊNH\n\nBAN HÀNH KẾ HOẠCH TRIỂN KHAI THI HÀNH LUẬT BẢO VỆ DỮ\nLIỆU CÁ NHÂN\n\n"
            "THỦ TƯỚNG CHÍNH PHỦ\n\n"
            "Căn cứ Luật Bảo vệ dữ liệu cá nhân;\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai thi\n"
            "hành Luật Bảo vệ dữ liệu cá nhân./.\n\nNơi nhận:\n- Các Bộ;\n- Lưu: VT.\nTHỦ TƯỚNG\nPhạm Minh Chính\n\n"
            "KẾ HOẠCH\n\nTRIỂN KHAI THI HÀNH LUẬT BẢO VỆ DỮ LIỆU CÁ NHÂN\n\n"
            "(Ban hành kèm theo Quyết định số 2623/QĐ-TTg ngày\n29 tháng 11 năm 2025 của Thủ tướng Chính phủ)\n\n"
            "I. MỤC ĐÍCH\n\nBảo đảm thi hành.\n\nTRƯỞNG BAN\nLê Văn A\n")
    got = parse_layout(text)
    assert same_body(got.issuer, "Thủ tướng Chính phủ")
    assert got.abstract == "Ban hành Kế hoạch triển khai thi hành Luật Bảo vệ dữ liệu cá nhân"
    assert got.signer and got.signer.value == "Phạm Minh Chính" and got.signer_title == "Thủ tướng"
    (att,) = got.attachments
    assert att.kind == "Kế hoạch"
    assert att.title == "Kế hoạch triển khai thi hành Luật Bảo vệ dữ liệu cá nhân"
    assert att.attached_to == "Quyết định số 2623/QĐ-TTg ngày 29 tháng 11 năm 2025 của Thủ tướng Chính phủ"
    assert text[att.start :].startswith("KẾ HOẠCH") and att.end == len(text)


def test_page_without_letterhead_takes_number_and_date_from_its_appendix() -> None:
    text = ("Kính gửi: Các cơ sở đào tạo trực thuộc Bộ\n\nThực hiện Thông báo số 460/TB-VPCP ngày 04/9/2025, Bộ đề nghị"
            " các cơ sở đào tạo thực hiện nhiệm vụ năm học./.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\n"
            "THỨ TRƯỞNG\nPhan Tâm\n\nPHỤ LỤC\n\nQUY MÔ TUYỂN SINH\n\n(Kèm theo Công văn số 6386/BVHTTDL-KHCNĐTMT ngày"
            " 25/11/2025 của Bộ Văn hóa,\nThể thao và Du lịch)\n\nA. ĐÀO TẠO ĐẠI HỌC\n")
    got = parse_layout(text)
    assert got.is_official and got.recipients == ["Các cơ sở đào tạo trực thuộc Bộ"]
    assert got.doc_kind == "Công văn"
    assert got.number and got.number.value == "6386/BVHTTDL-KHCNĐTMT"
    assert got.published and got.published.value == "2025-11-25"
    assert same_body(got.issuer, "Bộ Văn hóa, Thể thao và Du lịch")
    assert got.signer and got.signer.value == "Phan Tâm"
    assert got.attachments[0].kind == "Phụ lục"


def test_news_page_is_not_official_and_has_no_signer() -> None:
    text = ("Toàn văn Chỉ thị 24/CT-TTg 2025 về giải pháp công nghệ phục vụ người dân ra sao?\n\n"
            "Ngày 13/9/2025, Thủ tướng Chính phủ đã có Chỉ thị 24/CT-TTg năm 2025 về việc thúc đẩy các giải pháp"
            " công nghệ phục vụ người dân.\n\nTheo đó, Bộ Công an chủ trì triển khai.\n\nTHỦ TƯỚNG\nPhạm Minh Chính\n")
    got = parse_layout(text)
    assert not got.is_official
    assert got.signer is None and got.signer_title is None
    assert got.doc_kind == "Chỉ thị"
    assert got.number and got.number.value == "24/CT-TTg"
    assert got.published and got.published.value == "2025-09-13"
    assert same_body(got.issuer, "Thủ tướng Chính phủ")
    assert got.abstract == "Về việc thúc đẩy các giải pháp công nghệ phục vụ người dân"


@pytest.mark.parametrize("text", ["", "\n\n", "Một dòng văn bản thường.", "KẾ HOẠCH", "Số:", "Nơi nhận:\n- A;\n"])
def test_no_layout_no_crash(text: str) -> None:
    got = parse_layout(text)
    assert got.signer is None and got.recipients == [] and got.attachments == []


def test_number_and_date_on_one_line() -> None:
    """A letterhead table flattened into one line (portal or Word copy) still gives both."""
    text = ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 624/KH-UBND Hà Tĩnh, ngày 19 tháng 11 năm 2025\n\n"
            "KẾ HOẠCH\n\nTHỰC HIỆN CHUYỂN ĐỔI SỐ\n\nNội dung kế hoạch.\n")
    layout = parse_layout(text)
    assert layout.number is not None and layout.number.value == "624/KH-UBND"
    assert layout.published is not None and layout.published.value == "2025-11-19"
    assert text[layout.published.start : layout.published.end] == "ngày 19 tháng 11 năm 2025"
    assert layout.place == "Hà Tĩnh"
