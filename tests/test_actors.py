"""ingestion.actors: bodies named in official documents, one key for every spelling of a body.

Sentences and letterheads are short excerpts of /work/shared/corpus-official, copied with their hard line
wraps (the file each comes from is named next to it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingestion.actors import canonical_key, expand_aliases, find_actors, issuer_from_symbol, pretty_body, same_body

OFFICIAL = Path(__file__).resolve().parents[2] / "shared" / "corpus-official"

# --- canonical keys -------------------------------------------------------------------------------

SAME = [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
    ("UBND Thành phố", "UBND tỉnh"),  # the province-level UBND of Hà Nội / TP.HCM
    ("UBND", "UBND tỉnh"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
    ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
    ("Sở Giáo dục và\nĐào tạo", "Sở GD&ĐT"),
    ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
    ("Sở TNMT", "Sở Tài nguyên và Môi trường"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở VH,TT&DL", "Sở Văn hoá, Thể thao và Du lịch"),
    ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở LĐ-TB&XH", "Sở Lao động, Thương binh và Xã hội"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở NNMT", "Sở Nông nghiệp và Môi trường"),
    ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ("Sở KHCN", "Sở Khoa học và Công nghệ"),
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở GTVT", "Sở Giao thông vận tải"),
    ("Sở Tài chính tỉnh", "Sở Tài chính"),
    ("HĐND", "Hội đồng nhân dân tỉnh"),
    ("UBMTTQ", "Ủy ban MTTQ Việt Nam"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQ tỉnh"),
    ("BCH Quân sự", "Bộ Chỉ huy Quân sự"),
    ("Bộ CHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
    ("Bộ NN&MT", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ VHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
    ("Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo"),
    ("Bộ TN&MT", "Bộ Tài nguyên và Môi trường"),
    ("Bộ LĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("TAND", "Tòa án nhân dân tỉnh"),
    ("VKSND tỉnh", "Viện kiểm sát nhân dân"),
    ("Công an tỉnh", "Công an"),
    ("Công an Thành\nphố", "Công an tỉnh"),
    ("Văn phòng UBND tỉnh", "VP UBND"),
    ("Văn\nphòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh"),
    ("Đoàn TNCS Hồ Chí Minh", "Tỉnh đoàn"),
    ("UBND cấp xã", "UBND các xã, phường, đặc khu"),
    ("Ủy ban nhân dân các phường, xã, đặc khu", "UBND xã, phường"),
    ("UBND các tỉnh, thành phố trực thuộc Trung ương", "UBND cấp tỉnh"),
    ("các Sở, ban, ngành", "Sở, ban, ngành"),
    ("các cơ quan, đơn vị có liên quan", "các cơ quan, đơn vị liên quan"),
    ("Thủ tướng", "Thủ tướng Chính phủ"),
    ("Đài PT-TH tỉnh", "Đài Phát thanh và Truyền hình"),
    ("UBND TP.HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("Văn phòng HĐND - UBND", "Văn phòng HĐND và UBND"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_body_share_a_key(a: str, b: str) -> None:
    assert same_body(a, b), (canonical_key(a), canonical_key(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("UBND tỉnh", "UBND cấp xã"),
        ("UBND tỉnh", "UBND cấp tỉnh"),  # this province's, not every province's
        ("Sở Tài chính", "Bộ Tài chính"),
        ("Sở NN&PTNT", "Sở NN&MT"),  # merged in 2025, still two names
        ("Bộ Công an", "Công an tỉnh"),
        ("Công an tỉnh", "Công an cấp xã"),
        ("Sở Tài chính", ""),
    ],
)
def test_different_bodies_differ(a: str, b: str) -> None:
    assert not same_body(a, b)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sở GD&ĐT", "so giao duc va dao tao"),
        ("UBND tỉnh", "uy ban nhan dan tinh"),
        ("Uỷ Ban Nhân Dân các xã, phường", "uy ban nhan dan cap xa"),
        ("các Sở, ban, ngành", "so ban nganh"),
        ("Tỉnh đoàn", "doan thanh nien cong san ho chi minh tinh"),
        ("Chủ tịch UBND tỉnh", "chu tich uy ban nhan dan tinh"),
        ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK", "uy ban nhan dan tinh dak lak"),
    ],
)
def test_key_is_the_readable_folded_full_name(name: str, key: str) -> None:
    assert canonical_key(name) == key


# --- find_actors on real sentences --------------------------------------------------------------

REAL = [
    (  # kehoach-1026-kh-ubnd-nghean-2025.txt
        "Giao Công an tỉnh chủ trì, phối hợp với Văn\nphòng UBND tỉnh theo dõi, hướng dẫn, kiểm tra, đôn đốc việc "
        "triển khai thực\nhiện Kế hoạch này;",
        ["Công an tỉnh", "Văn\nphòng UBND tỉnh"],
    ),
    (  # kehoach-141-kh-ubnd-bacninh-2025.txt
        "Đơn vị chủ trì thực hiện: Các\nSở, ngành, đơn vị, UBND cấp xã.",
        ["Các\nSở, ngành, đơn vị", "UBND cấp xã"],
    ),
    ("Đơn vị chủ trì: Sở Tư\npháp.", ["Sở Tư\npháp"]),  # kehoach-141
    ("Đơn vị chủ trì thực hiện: Báo\nvà Phát thanh, Truyền hình tỉnh;", ["Báo\nvà Phát thanh, Truyền hình tỉnh"]),
    (  # kehoach-172-kh-ubnd-tphcm-2025.txt
        "- Cơ quan thực hiện: Sở Nội vụ\nchủ trì tham mưu Ủy ban nhân dân Thành phố ban hành Kế hoạch;",
        ["Sở Nội vụ", "Ủy ban nhân dân Thành phố"],
    ),
    (  # nghiquyet-37-2025-nq-hdnd-hue-2025.txt
        "Sở Khoa\nhọc và Công nghệ chủ trì, phối hợp với Sở Tài chính, Sở Nông nghiệp và Môi trường\nvà các sở, ban, "
        "ngành liên quan trình Ủy ban nhân dân thành phố phê duyệt, phân\nbổ kinh phí hỗ trợ;",
        [
            "Sở Khoa\nhọc và Công nghệ",
            "Sở Tài chính",
            "Sở Nông nghiệp và Môi trường",
            "các sở, ban, ngành liên quan",
            "Ủy ban nhân dân thành phố",
        ],
    ),
    (  # congdien-224-cd-ttg-thutuong-2025.txt: a named deputy prime minister is his own actor, not the PM
        "Giao Bộ Xây dựng chủ trì, phối hợp với Văn\nphòng Chính phủ, Bộ Tài chính theo dõi, đôn đốc, kiểm tra các "
        "bộ, cơ quan, địa\nphương thực hiện nhiệm vụ được giao tại Công điện này, kịp thời báo cáo Phó Thủ\ntướng "
        "Chính phủ Trần Hồng Hà để xem xét, chỉ đạo xử lý;",
        [
            "Bộ Xây dựng",
            "Văn\nphòng Chính phủ",
            "Bộ Tài chính",
            "các bộ, cơ quan, địa\nphương",
            "Phó Thủ\ntướng Chính phủ Trần Hồng Hà",
        ],
    ),
    (  # congdien-224
        "Bộ trưởng Bộ Nội vụ chỉ đạo chủ trì, phối\nhợp với Bộ Xây dựng, Văn phòng Chính phủ, các bộ, ngành, địa "
        "phương liên quan\nkhẩn trương hướng dẫn",
        ["Bộ trưởng Bộ Nội vụ", "Bộ Xây dựng", "Văn phòng Chính phủ", "các bộ, ngành, địa phương liên quan"],
    ),
    (  # thongbao-636-tb-vpcp-vpcp-2025.txt
        "Giao Bộ Tài chính, Bộ Công Thương, Bộ Nông nghiệp\nvà Môi trường theo chức năng, nhiệm vụ và thẩm quyền chủ "
        "trì, phối hợp với các\nBộ, cơ quan liên quan nghiên cứu, xử lý kiến nghị của tỉnh",
        ["Bộ Tài chính", "Bộ Công Thương", "Bộ Nông nghiệp\nvà Môi trường", "các\nBộ, cơ quan liên quan"],
    ),
    (  # quyetdinh-2853-qd-ubnd-tphcm-2025.txt
        "Bộ Tư lệnh\nThành phố chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, các sở, ban,\nngành, đơn vị liên "
        "quan, Ủy ban nhân dân các phường, xã, đặc khu thực hiện việc",
        [
            "Bộ Tư lệnh\nThành phố",
            "Sở Nông nghiệp và Môi trường",
            "các sở, ban,\nngành, đơn vị liên quan",
            "Ủy ban nhân dân các phường, xã, đặc khu",
        ],
    ),
    (  # quyetdinh-2853
        "Ban Quản lý\ncác Khu chế xuất và công nghiệp Thành phố chủ trì, phối hợp với các sở, ban,\nngành, đơn vị "
        "Thành phố liên quan tổ chức tập huấn",
        ["Ban Quản lý\ncác Khu chế xuất và công nghiệp Thành phố", "các sở, ban,\nngành, đơn vị Thành phố"],
    ),
    (  # quyetdinh-98-2025-qd-ubnd-nghean-2025.txt
        "Văn phòng HĐND - UBND cấp xã chủ trì tham mưu cho UBND, Chủ tịch\nUBND cùng cấp giải quyết hoặc phân công "
        "một cơ quan, đơn vị chủ trì, phối hợp với\ncác cơ quan, đơn vị liên quan nghiên cứu",
        ["Văn phòng HĐND - UBND cấp xã", "UBND", "Chủ tịch\nUBND cùng cấp", "các cơ quan, đơn vị liên quan"],
    ),
    (  # thongbao-432-tb-vptw-vptw-2025.txt
        "Giao Đảng\nuỷ Công an Trung ương chủ trì, phối hợp với Đảng uỷ Bộ Tư pháp, Uỷ ban nhân dân\ncác tỉnh, "
        "thành phố chỉ đạo chính quyền cơ sở",
        ["Đảng\nuỷ Công an Trung ương", "Đảng uỷ Bộ Tư pháp", "Uỷ ban nhân dân\ncác tỉnh, thành phố", "chính quyền cơ sở"],
    ),
    (  # chithi-26-ct-ttg-thutuong-2025.txt
        "Thủ tướng Chính phủ yêu cầu Bộ Giáo dục và Đào tạo, các bộ, cơ quan liên quan và Ủy ban nhân dân các tỉnh, "
        "thành phố trực thuộc Trung ương tập trung thực hiện",
        [
            "Thủ tướng Chính phủ",
            "Bộ Giáo dục và Đào tạo",
            "các bộ, cơ quan liên quan",
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        ],
    ),
    (  # chithi-05-ct-ubnd-tphcm-2025.txt
        "Chủ tịch Ủy ban nhân dân Thành phố yêu cầu Thủ trưởng các sở, ban, ngành Thành phố, Chủ tịch Ủy ban nhân "
        "dân các phường, xã, đặc khu và người đứng đầu",
        [
            "Chủ tịch Ủy ban nhân dân Thành phố",
            "Thủ trưởng các sở, ban, ngành Thành phố",
            "Chủ tịch Ủy ban nhân dân các phường, xã, đặc khu",
        ],
    ),
    (  # congvan-4001-ubnd-dt-tphcm-2025.txt
        "Kính gửi:\n- Sở Nông nghiệp và Môi trường;\n- Sở Tài chính;\n- Sở Xây dựng.",
        ["Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Sở Xây dựng"],
    ),
    (  # thongbao-627-tb-vpcp-vpcp-2025.txt: the province name wraps to the next line
        "c) Giao Bộ Xây dựng chủ trì, làm việc với UBND tỉnh\nĐồng Nai, ACV để thống nhất việc đầu tư",
        ["Bộ Xây dựng", "UBND tỉnh\nĐồng Nai"],
    ),
    (  # congdien-226-cd-ttg-thutuong-2025.txt
        "Bộ Tài chính chủ trì, phối hợp với các Bộ, cơ quan liên quan và\ncác địa phương:",
        ["Bộ Tài chính", "các Bộ, cơ quan liên quan", "các địa phương"],
    ),
    ("- Đơn vị chủ trì: Công an Thành\nphố.", ["Công an Thành\nphố"]),  # kehoach-308-kh-ubnd-hanoi-2025.txt
    (  # quyetdinh-2954-qd-ubnd-sonla-2025.txt
        "Giao\nSở Công Thương chủ trì, phối hợp với các Sở, ban, ngành của tỉnh;",
        ["Sở Công Thương", "các Sở, ban, ngành"],
    ),
    (  # chithi-010-ct-ubnd-daklak-2025.txt (letterhead)
        "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\n-------",
        ["ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK"],
    ),
]


@pytest.mark.parametrize(("text", "names"), REAL, ids=[n[0].split("\n")[0][:30] for _, n in REAL])
def test_find_actors_on_real_sentences(text: str, names: list[str]) -> None:
    assert [a.name for a in find_actors(text)] == names


# Fixes: role-named bodies, lower-case titles, deputies by name, lists split per the gold conventions
# (eval/gold/README.md), names that stop before a verb.
FIXES = [
    ("Thủ trưởng các Sở, ban, ngành; Chủ tịch UBND cấp xã căn cứ", ["Thủ trưởng các Sở, ban, ngành", "Chủ tịch UBND cấp xã"]),
    ("Quỹ\ncó trách nhiệm xây dựng, ban hành quy chế", ["Quỹ"]),  # nghidinh-302: the defined term
    ("Quỹ có trách nhiệm báo cáo Bộ\nXây dựng, cơ quan quản lý Quỹ", ["Quỹ", "Bộ\nXây dựng", "cơ quan quản lý Quỹ"]),
    ("Phối hợp với Quỹ nhà ở địa phương trong việc tuyên truyền", ["Quỹ nhà ở địa phương"]),
    ("Quỹ phát triển nhà ở chủ trì", []),  # no defined term here: "Quỹ" before a name part is no body alone
    (  # kehoach-0129
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội",
        ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"],
    ),
    ("Phối hợp chính quyền địa\nphương, Mặt trận cơ sở và các đoàn thể", ["chính quyền địa\nphương", "các đoàn thể"]),
    (  # chithi-06
        "hỗ trợ chính quyền địa phương và lực lượng\nKiểm lâm, các đơn vị chủ rừng",
        ["chính quyền địa phương", "lực lượng\nKiểm lâm", "các đơn vị chủ rừng"],
    ),
    ("5. Các chủ rừng là tổ chức (các Ban quản lý rừng", ["Các chủ rừng là tổ chức"]),
    ("Cơ quan đăng ký đầu tư có\ntrách nhiệm lấy ý kiến", ["Cơ quan đăng ký đầu tư"]),  # chithi-010
    ("3. Cơ quan chủ trì giải quyết thủ tục đầu tư dự án:", ["Cơ quan chủ trì giải quyết thủ tục đầu tư dự án"]),
    ("Cơ quan phối hợp có trách nhiệm trả lời bằng văn bản", ["Cơ quan phối hợp"]),
    ("- Cơ quan phối hợp: Sở Tư pháp.", ["Sở Tư pháp"]),  # the label is no body
    ("Trường hợp các cơ quan phối\nhợp thẩm định có ý kiến khác nhau", ["các cơ quan phối\nhợp thẩm định"]),
    ("Trường hợp cần cơ quan\nchuyên môn khác phối hợp", ["cơ quan\nchuyên môn khác"]),
    ("phối hợp với cơ quan có thẩm quyền trình Thủ tướng Chính phủ", ["cơ quan có thẩm quyền", "Thủ tướng Chính phủ"]),
    (  # a body described by its role in the plan, not "các cơ quan, đơn vị" that then "chủ trì"
        "các cơ quan, đơn vị chủ trì thực hiện các nhiệm\nvụ được giao gửi báo cáo",
        ["các cơ quan, đơn vị chủ trì thực hiện các nhiệm\nvụ được giao"],
    ),
    ("Các cơ quan, đơn vị chủ trì, phối hợp thực hiện", ["Các cơ quan, đơn vị"]),
    (  # kehoach-141: titles in lower case
        "Đề nghị người đứng đầu cấp ủy;\nthủ trưởng cơ quan, đơn vị, địa phương trực tiếp chỉ đạo",
        ["người đứng đầu cấp ủy", "thủ trưởng cơ quan, đơn vị, địa phương"],
    ),
    ("Cổng Thông tin điện tử tỉnh, hệ thống truyền thanh cơ sở: Theo", ["Cổng Thông tin điện tử tỉnh", "hệ thống truyền thanh cơ sở"]),
    (  # congdien-226
        "Giao Phó Thủ tướng Hồ Đức Phớc và các Phó Thủ tướng theo nhiệm\nvụ được phân công",
        ["Phó Thủ tướng Hồ Đức Phớc", "các Phó Thủ tướng"],
    ),
    (  # chithi-010: lower-case words between known name parts
        "Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ cao Phú Yên chủ trì",
        ["Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ cao Phú Yên"],
    ),
    ("phối hợp các cơ quan, tổ chức, cá nhân có liên quan thực hiện", ["các cơ quan, tổ chức, cá nhân có liên quan"]),
    ("cơ quan, tổ chức khác có liên quan", []),  # no "các", no head: not a subject here
    ("các cơ quan, tổ chức khác có liên quan thực hiện", ["các cơ quan, tổ chức khác có liên quan"]),
    ("9. Các doanh nghiệp viễn thông: Đảm bảo thông tin", ["Các doanh nghiệp viễn thông"]),
    ("đề nghị các bộ, ngành và địa phương kịp\nthời phản ánh", ["các bộ, ngành", "địa phương"]),
    ("phối hợp với các địa phương, đơn vị, chủ rừng\ntriển khai", ["các địa phương", "đơn vị", "chủ rừng"]),
    ("Các Sở, ngành, UBND cấp xã và đơn vị có liên quan:", ["Các Sở, ngành", "UBND cấp xã", "đơn vị có liên quan"]),
    ("Sở Nội vụ xây dựng Kế hoạch", ["Sở Nội vụ"]),  # a verb spelled like "Sở Xây dựng"
    ("Sở Nội vụ tổ chức thực hiện", ["Sở Nội vụ"]),
    ("Sở Xây dựng chủ trì", ["Sở Xây dựng"]),
    ("Bộ Xây dựng, cơ quan quản lý Quỹ tổ chức kiểm tra", ["Bộ Xây dựng", "cơ quan quản lý Quỹ"]),
    ("Các cơ quan được phân\ncông chủ trì thực hiện nhiệm vụ theo Kế hoạch này có trách nhiệm",
     ["Các cơ quan được phân\ncông chủ trì thực hiện nhiệm vụ theo Kế hoạch này"]),
    # a capitalised verb opening the duty after the name ("Khẩn trương", "Đẩy mạnh"), an adverb ("luôn"): not name parts
    ("6. Cục Văn hóa cơ sở Khẩn trương hoàn thành thực thi phương án", ["Cục Văn hóa cơ sở"]),
    ("Cục Hợp tác quốc tế Đẩy mạnh việc hoàn thành", ["Cục Hợp tác quốc tế"]),
    ("Văn phòng Trung ương Đảng luôn sẵn sàng phối hợp", ["Văn phòng Trung ương Đảng"]),
]


@pytest.mark.parametrize(("text", "names"), FIXES, ids=[t[:30] for t, _ in FIXES])
def test_find_actors_fixes(text: str, names: list[str]) -> None:
    found = find_actors(text, offset=7)
    assert [a.name for a in found] == names
    assert all(text[a.start - 7 : a.end - 7] == a.name and a.key == canonical_key(a.name) for a in found)


def test_named_deputy_is_not_the_prime_minister() -> None:
    deputy, = find_actors("Giao Phó Thủ tướng Hồ Đức Phớc chỉ đạo")
    assert deputy.key != canonical_key("Thủ tướng Chính phủ")
    assert canonical_key("các Phó Thủ tướng") == canonical_key("Phó Thủ tướng")


@pytest.mark.parametrize(("text", "names"), REAL[:6], ids=[str(i) for i in range(6)])
def test_offsets_point_at_the_name(text: str, names: list[str]) -> None:
    offset = 12345
    for actor in find_actors(text, offset=offset):
        assert text[actor.start - offset : actor.end - offset] == actor.name
        assert actor.key == canonical_key(actor.name)


def test_a_list_gives_one_span_per_body() -> None:
    actors = find_actors("Sở Tài chính, Sở Nội vụ và UBND các xã thực hiện")
    assert [(a.name, a.key) for a in actors] == [
        ("Sở Tài chính", "so tai chinh"),
        ("Sở Nội vụ", "so noi vu"),
        ("UBND các xã", "uy ban nhan dan cap xa"),
    ]


def test_heading_ends_the_name_at_the_colon() -> None:
    text = "2. Sở Tài chính:\n- Tham mưu UBND tỉnh bố trí kinh phí"
    assert [a.name for a in find_actors(text)] == ["Sở Tài chính", "UBND tỉnh"]


def test_same_body_spelled_two_ways_in_one_text_gets_one_key() -> None:
    text = "Sở Giáo dục và\nĐào tạo chủ trì; Sở GD&ĐT báo cáo UBND tỉnh, Uỷ ban nhân dân tỉnh xem xét."
    keys = [a.key for a in find_actors(text)]
    assert keys == ["so giao duc va dao tao"] * 2 + ["uy ban nhan dan tinh"] * 2


@pytest.mark.parametrize(
    "text",
    [
        "Sở hữu trí tuệ là quyền của tổ chức, cá nhân.",
        "Theo Bộ luật Dân sự 2015 và Bộ phận một cửa.",
        "Số 12 đường Trường Sa, Hội An.",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "Cơ quan chủ trì: theo phân công.",  # a label, not a body
        "Phó Thủ tướng Chính phủ chủ trì.",  # a deputy, unnamed: not the office
    ],
)
def test_no_body_where_none_is_named(text: str) -> None:
    assert find_actors(text) == []


# --- spellings ---------------------------------------------------------------------------------------


def test_expand_aliases_gives_full_names_first_then_abbreviations() -> None:
    spellings = expand_aliases("Sở GD&ĐT")
    assert spellings[0] == "Sở Giáo dục và Đào tạo"
    assert {"Sở GD&ĐT", "Sở GDĐT"} <= set(spellings)
    assert all(same_body(s, "Sở GD&ĐT") for s in spellings)


def test_expand_aliases_covers_tone_styles_and_whole_name_aliases() -> None:
    assert {"Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh", "UBND tỉnh"} <= set(expand_aliases("UBND tỉnh"))
    assert {"Đoàn TNCS Hồ Chí Minh tỉnh", "Tỉnh đoàn"} <= set(expand_aliases("Tỉnh đoàn"))
    assert "Sở VH,TT&DL" in expand_aliases("các Sở Văn hoá, Thể thao và Du lịch")


# --- issuers -------------------------------------------------------------------------------------------

# The "number" column of corpus-official/SOURCES.md: a central body's code names the issuer; a local one
# (UBND, HĐND, SGDĐT, BCĐ) does not say which province's.
SYMBOLS = {
    "24/CT-TTg": "Thủ tướng Chính phủ",
    "10/CT-TTg (2023)": "Thủ tướng Chính phủ",
    "2623/QĐ-TTg": "Thủ tướng Chính phủ",
    "224/CĐ-TTg": "Thủ tướng Chính phủ",
    "Công điện 78/CĐ-TTg (2025)": "Thủ tướng Chính phủ",
    "302/2025/NĐ-CP": "Chính phủ",
    "Nghị định 169/2024/NĐ-CP (number only in the crawl title, not in the text)": "Chính phủ",
    "45-CT/TW": "Trung ương Đảng",
    "Kết luận 126-KL/TW": "Trung ương Đảng",
    "432-TB/VPTW": "Văn phòng Trung ương Đảng",
    "11554/VPCP-V.I": "Văn phòng Chính phủ",
    "11414/VPCP-CN": "Văn phòng Chính phủ",
    "634/TB-VPCP": "Văn phòng Chính phủ",
    "10988/BNV-CQĐP": "Bộ Nội vụ",
    "1383/QĐ-BNV": "Bộ Nội vụ",
    "17809/BTC-CTK": "Bộ Tài chính",
    "6225/BVHTTDL-VP": "Bộ Văn hóa, Thể thao và Du lịch",
    "4385/QĐ-BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "96/CĐ-BXD": "Bộ Xây dựng",
    "23/2025/TT-BTP": "Bộ Tư pháp",
    "69/2025/TT-BNNMT": "Bộ Nông nghiệp và Môi trường",
    "170/QĐ-BCĐNNDL": "Ban Chỉ đạo Nhà nước về Du lịch",
    "172/QĐ-BCĐPTCNBD": "Ban Chỉ đạo quốc gia về phát triển ngành công nghiệp bán dẫn",
    "624/KH-UBND": None,
    "84/2025/QĐ-UBND": None,
    "4001/UBND-ĐT": None,
    "57/2025/NQ-HĐND": None,
    "5155/SGDĐT-GDTXNNĐH": None,
    "174/CV-BCĐ": None,
    "Kế hoạch 47-KH/BCĐ": None,
    # Codes found in other documents: current ministries and the pre-2025 ones.
    "59/2020/QH14": "Quốc hội",
    "01/2025/NQ-UBTVQH15": "Ủy ban Thường vụ Quốc hội",
    "Số: 15/2025/TT-BGDĐT": "Bộ Giáo dục và Đào tạo",
    "12/2024/TT-BCA": "Bộ Công an",
    "1234/BNN-TCLN": "Bộ Nông nghiệp và Phát triển nông thôn",
    "05/2023/TT-BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "12/2024/TTLT-BTC-BNV": None,  # joint circular: several issuers
}


@pytest.mark.parametrize(("number", "issuer"), SYMBOLS.items())
def test_issuer_from_symbol(number: str, issuer: str | None) -> None:
    assert issuer_from_symbol(number) == issuer


@pytest.mark.skipif(not (OFFICIAL / "SOURCES.md").exists(), reason="shared corpus not mounted")
def test_every_central_symbol_in_sources_names_its_issuer() -> None:
    rows = [line.split("|") for line in (OFFICIAL / "SOURCES.md").read_text(encoding="utf-8").splitlines()]
    numbers = [r[3].strip() for r in rows if len(r) > 4 and r[1].strip().endswith(".txt")]
    central = [n for n in numbers if not re.search(r"[-/](?:UBND|HĐND|SGDĐT|BCĐ)(?![\wĐ])", n)]
    assert len(numbers) == 64 and len(central) >= 30
    assert [n for n in central if issuer_from_symbol(n) is None] == []
    assert all(issuer_from_symbol(n) is None for n in numbers if n not in central)


# --- letterheads --------------------------------------------------------------------------------------

LETTERHEADS = [
    ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK", "Ủy ban nhân dân tỉnh Đắk Lắk"),  # kehoach-0129
    ("UỶ BAN NHÂN\nDÂN\nTỈNH LAI CHÂU", "Uỷ ban nhân dân tỉnh Lai Châu"),  # kehoach-7360 (its own tone style)
    ("ỦY BAN NHÂN\nDÂN\nTHÀNH PHỐ HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),  # kehoach-310
    ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),  # kehoach-172
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),  # congvan-5155
    ("THỦ TƯỚNG CHÍNH\nPHỦ", "Thủ tướng Chính phủ"),  # congdien-224
    ("VĂN PHÒNG CHÍNH\nPHỦ", "Văn phòng Chính phủ"),  # congvan-11414
    ("CHÍNH PHỦ", "Chính phủ"),  # nghidinh-302
    ("BỘ NỘI VỤ", "Bộ Nội vụ"),  # congvan-10988
    ("BỘ XÂY DỰNG", "Bộ Xây dựng"),  # congdien-96
    ("BỘ TƯ PHÁP", "Bộ Tư pháp"),  # thongtu-23
    ("BỘ NÔNG NGHIỆP\nVÀ\nMÔI TRƯỜNG", "Bộ Nông nghiệp và Môi trường"),  # thongtu-69
    ("BỘ VĂN HÓA, THỂ\nTHAO\nVÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),  # quyetdinh-4385
    ("HỘI ĐỒNG NHÂN\nDÂN\nTỈNH VĨNH LONG", "Hội đồng nhân dân tỉnh Vĩnh Long"),  # nghiquyet-21
    ("HỘI ĐỒNG NHÂN\nDÂN\nTHÀNH PHỐ HUẾ", "Hội đồng nhân dân thành phố Huế"),  # nghiquyet-37
    ("BAN CHỈ ĐẠO NHÀ\nNƯỚC\nVỀ DU LỊCH", "Ban Chỉ đạo Nhà nước về Du lịch"),  # quyetdinh-170
    ("BAN CHẤP HÀNH\nTRUNG ƯƠNG", "Ban Chấp hành Trung ương"),  # thongbao-432
    ("ĐẢNG CỘNG\nSẢN VIỆT NAM", "Đảng Cộng sản Việt Nam"),  # thongbao-432
    ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Ủy ban nhân dân tỉnh Hà Tĩnh"),
]


@pytest.mark.parametrize(("upper", "pretty"), LETTERHEADS, ids=[p for _, p in LETTERHEADS])
def test_pretty_body(upper: str, pretty: str) -> None:
    assert pretty_body(upper) == pretty


def test_pretty_body_keeps_two_bodies_of_a_letterhead() -> None:
    upper = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO"  # congvan-5155
    assert pretty_body(upper) == "Ủy ban nhân dân Thành phố Hồ Chí Minh Sở Giáo dục và Đào tạo"


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("yêu cầu các Bộ: Nông nghiệp và Môi trường; Xây dựng; Khoa học và Công nghệ xây dựng phương án",
         ["Bộ Nông nghiệp và Môi trường", "Bộ Xây dựng", "Bộ Khoa học và Công nghệ"]),
        ("Các Bộ, cơ quan: Tài chính, Văn hóa, Thể thao và Du lịch, Tập đoàn Điện lực Việt Nam khẩn trương",
         ["Bộ Tài chính", "Bộ Văn hóa, Thể thao và Du lịch", "Tập đoàn Điện lực Việt Nam"]),
        ("đề nghị các bộ, ngành: Y tế và Giáo dục và Đào tạo hướng dẫn", ["Bộ Y tế", "Bộ Giáo dục và Đào tạo"]),
    ],
)
def test_a_list_sharing_the_head_bo_names_each_ministry(text: str, full: list[str]) -> None:
    """"các Bộ: A; B" writes each ministry without its "Bộ": the span is the name as written, the key and
    the displayed name are the ministry's."""
    found = find_actors(text, offset=100)
    assert [a.display for a in found] == full
    for a in found:
        assert text[a.start - 100 : a.end - 100] == a.name
        assert a.key == canonical_key(a.display)
    assert "cac bo" not in [a.key for a in found]  # the plural head is replaced by the bodies it lists


def test_a_list_after_a_plural_head_needs_known_names() -> None:
    """Ordinary words after "các bộ:" are no ministries."""
    assert not [a.full for a in find_actors("Rà soát các bộ: hồ sơ, tài liệu và dữ liệu còn thiếu") if a.full]


def test_party_committees_as_a_collective_subject() -> None:
    """"Các tỉnh ủy, thành ủy" (either tone-mark style) is one collective subject, like "các sở, ngành"."""
    for text in ("Các tỉnh ủy, thành ủy phối hợp Bộ Y tế", "Các tỉnh uỷ, thành uỷ phối hợp Bộ Y tế"):
        assert [a.name for a in find_actors(text)] == [text[: text.index(" phối")], "Bộ Y tế"]
