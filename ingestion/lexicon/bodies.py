"""Names of the bodies official documents assign work to: head words, spellings and issuer codes.

Data only; `ingestion.actors` compiles it. Display strings are written as documents write them
(first syllable of each name part capitalised); matching ignores case and tone-mark style.
"""

from __future__ import annotations

# Head words that start a body's name, by what must follow them:
#   body    a complete name on its own ("Chính phủ"); a level may follow ("UBND tỉnh")
#   leveled needs a name or a level after it ("Thanh tra tỉnh", "Thanh tra Chính phủ")
#   level   needs a level or a known name after it ("Công an tỉnh", "Thuế tỉnh"; not "Công an nhân dân")
#   named   needs a name after it ("Cục Thuế", "Văn phòng UBND tỉnh"); capitals tell where it ends
#   closed  needs a name from the tables below ("Sở Tài chính"; "Bộ luật", "Đoàn Hồng Phong" are no bodies)
#   title   an office holder; counts with the body it heads ("Chủ tịch UBND tỉnh")
HEADS_BY_KIND: dict[str, tuple[str, ...]] = {
    "body": (
        "Ủy ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND", "Chính phủ", "Thủ tướng Chính phủ", "Thủ tướng",
        "Quốc hội", "Chủ tịch nước", "Tỉnh ủy", "Thành ủy", "Tỉnh đoàn", "Thành đoàn", "Bộ Chính trị", "Ban Bí thư",
        "Ban Chấp hành Trung ương", "Trung ương Đảng", "Quân ủy Trung ương", "Ủy ban Thường vụ Quốc hội",
        "UBMTTQ", "UBMTTQVN", "Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc Việt Nam",
        "MTTQ", "TAND", "VKSND", "Tòa án nhân dân", "Viện kiểm sát nhân dân", "Kho bạc Nhà nước",
        "Ngân hàng Nhà nước", "Kiểm toán Nhà nước", "Thanh tra Chính phủ", "BHXH", "Liên đoàn Lao động",
        "Bộ Chỉ huy Quân sự", "BCH Quân sự", "Bộ CHQS", "BCHQS", "Bộ Chỉ huy Bộ đội Biên phòng",
        "Đoàn TNCS Hồ Chí Minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn Thanh niên",
        "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh", "Liên hiệp các tổ chức hữu nghị",
        "Liên hiệp các Hội Khoa học và Kỹ thuật",
    ),
    "leveled": (
        "Thanh tra", "Ban Chỉ đạo", "Ban Dân tộc", "Bảo hiểm xã hội", "Trường Đại học", "Trường Cao đẳng",
        "Trường Trung cấp", "Trường Chính trị", "Trường THPT", "Trường THCS", "Trường Tiểu học", "Trường Mầm non",
        "Trường PTDTNT", "Cổng Thông tin điện tử", "Quỹ Đầu tư phát triển", "Quỹ Phát triển đất",
        "Quỹ Bảo vệ môi trường", "Ngân hàng Chính sách xã hội",
    ),
    "level": ("Công an", "Thuế", "Thống kê"),
    "named": (
        "Ban", "Ban Quản lý", "Ủy ban", "Văn phòng", "VP", "Cục", "Tổng cục", "Vụ", "Chi cục", "Phòng", "Trung tâm",
        "Đài", "Báo", "Viện", "Học viện", "Hội đồng", "Liên đoàn", "Tập đoàn", "Tổng công ty", "Công ty",
        "Đại học", "Kho bạc", "Ngân hàng", "Bệnh viện", "Quỹ", "Tòa án", "Viện kiểm sát", "Bộ Tư lệnh",
        "Mặt trận", "Tổng Liên đoàn", "Thông tấn xã",
    ),
    "closed": ("Sở", "Bộ", "Đoàn", "Hội"),
    "title": (
        "Chủ tịch", "Bộ trưởng", "Thủ trưởng", "Giám đốc", "Tổng Giám đốc", "Chánh Văn phòng", "Trưởng ban",
        "Chủ nhiệm", "Thường trực", "Người đứng đầu", "Chánh Thanh tra", "Đảng ủy", "Ban Thường vụ",
        "Ban cán sự đảng", "Chi nhánh",
        # heads named by the body they lead ("Vụ trưởng Vụ Tổ chức cán bộ", "Hiệu trưởng Trường …")
        "Vụ trưởng", "Cục trưởng", "Tổng cục trưởng", "Chi cục trưởng", "Viện trưởng", "Hiệu trưởng",
        "Trưởng phòng", "Chánh án", "Tư lệnh",
    ),
}
TITLES_ALONE = ("Bộ trưởng",)  # an office that acts by itself ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ")
# Titles also written in lower case inside a sentence ("thủ trưởng cơ quan, đơn vị", "người đứng đầu cấp ủy").
LOWER_TITLES = ("thủ trưởng", "người đứng đầu")  # lower case, as matched
# Named heads a document uses alone as a defined term ("Quỹ" of Nghị định 302 for the fund it sets up),
# when a verb, punctuation or the end follows rather than a name.
HEADS_ALONE = ("Quỹ",)
# Deputies ("Phó Thủ tướng") are no office of their own; one named ("Phó Thủ tướng Hồ Đức Phớc") or all of
# them ("các Phó Thủ tướng") are given tasks. A personal name: 2-4 capitalised words that are no head.
DEPUTY_NAME_WORDS = (2, 4)
# Complete bodies a name may run into ("Văn phòng Chính phủ", "Ban Tổ chức Tỉnh ủy").
ATTACHABLE = (
    "Chính phủ", "Quốc hội", "Tỉnh ủy", "Thành ủy", "Trung ương Đảng", "Ủy ban nhân dân", "UBND",
    "Hội đồng nhân dân", "HĐND",
)
PLACE_HEADS = ("Tỉnh ủy", "Thành ủy", "Tỉnh đoàn", "Thành đoàn")  # a place name may follow directly

# Spellings of one name part: the first is how documents write it in full, the rest are equivalents.
# They make up the names recognised after a head word and the variants `expand_aliases` offers.
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("Giáo dục và Đào tạo", "GD&ĐT", "GDĐT", "GD-ĐT"),
    ("Tài nguyên và Môi trường", "TN&MT", "TNMT", "TN-MT"),
    ("Kế hoạch và Đầu tư", "KH&ĐT", "KHĐT", "KH-ĐT"),
    ("Văn hóa, Thể thao và Du lịch", "VHTTDL", "VH,TT&DL", "VH, TT&DL", "VHTT&DL", "VH-TT-DL"),
    ("Lao động - Thương binh và Xã hội", "LĐTBXH", "LĐ-TB&XH", "LĐTB&XH", "Lao động, Thương binh và Xã hội"),
    ("Nông nghiệp và Phát triển nông thôn", "NN&PTNT", "NNPTNT", "NN-PTNT"),
    ("Nông nghiệp và Môi trường", "NN&MT", "NNMT", "NN-MT"),
    ("Khoa học và Công nghệ", "KH&CN", "KHCN", "KH-CN"),
    ("Thông tin và Truyền thông", "TT&TT", "TTTT", "TT-TT"),
    ("Giao thông vận tải", "GTVT", "Giao thông - Vận tải"),
    ("Dân tộc và Tôn giáo", "DT&TG", "DTTG"),
    ("Văn hóa và Thể thao", "VH&TT", "VHTT"),
    ("Văn hóa, Thể thao", "Văn hóa - Thể thao"),
    ("Quy hoạch - Kiến trúc", "QH-KT", "QHKT"),
    ("Phát thanh và Truyền hình", "PT-TH", "PTTH", "PT&TH", "Phát thanh - Truyền hình"),
    ("Chỉ huy Quân sự", "CHQS"),
    ("Thanh niên Cộng sản Hồ Chí Minh", "TNCS Hồ Chí Minh", "TNCS HCM"),
    ("Mặt trận Tổ quốc Việt Nam", "MTTQ Việt Nam", "MTTQVN"),
    ("Đại biểu Quốc hội", "ĐBQH"),
    ("Phục vụ hành chính công", "Phục vụ Hành chính công", "PVHCC", "Phục vụ HCC"),
    ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "TP.HCM", "TPHCM", "TP HCM", "TP Hồ Chí Minh", "TP. HCM"),
    ("Văn hóa - Thông tin", "Văn hóa, Thông tin"),
    ("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"), ("Tòa án nhân dân", "TAND"),
    ("Viện kiểm sát nhân dân", "VKSND"), ("Bộ Chỉ huy Quân sự", "BCH Quân sự", "Bộ CHQS", "BCHQS"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban MTTQ Việt Nam", "UBMTTQ Việt Nam", "UBMTTQVN", "UBMTTQ"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TNCS Hồ Chí Minh", "Đoàn TNCS HCM"),
    ("Liên đoàn Lao động", "LĐLĐ"), ("Hội Liên hiệp Phụ nữ", "Hội LHPN", "HLHPN"),
    ("Tài chính",), ("Nội vụ",), ("Tư pháp",), ("Y tế",), ("Xây dựng",), ("Công Thương",), ("Ngoại vụ",),
    ("Du lịch",), ("Công an",), ("Quốc phòng",), ("Ngoại giao",), ("Thông tin",),
    ("Dân tộc",), ("Nông nghiệp",), ("Văn hóa",), ("Nhà nước",), ("Trung ương",), ("Việt Nam",),
)

# Single abbreviations inside longer names ("VP UBND", "BCH Quân sự", "Đoàn TNCS"): upper-case token → words.
ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "VP": "Văn phòng", "UB": "Ủy ban",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc", "BCH": "Bộ Chỉ huy", "QS": "Quân sự", "TAND": "Tòa án nhân dân",
    "VKSND": "Viện kiểm sát nhân dân", "TNCS": "Thanh niên Cộng sản", "HCM": "Hồ Chí Minh", "TP": "Thành phố",
    "LĐLĐ": "Liên đoàn Lao động", "LHPN": "Liên hiệp Phụ nữ", "HLHPN": "Hội Liên hiệp Phụ nữ",
    "CCB": "Cựu chiến binh", "TW": "Trung ương", "VN": "Việt Nam", "BQL": "Ban Quản lý",
    "BCĐ": "Ban Chỉ đạo", "KBNN": "Kho bạc Nhà nước", "NHNN": "Ngân hàng Nhà nước", "BHXH": "Bảo hiểm xã hội",
    "ĐKĐĐ": "Đăng ký đất đai", "HCC": "hành chính công", "TTPVHCC": "Trung tâm Phục vụ hành chính công",
}

# Names (after a head word) whose later syllables are lower case, so capitals alone cannot find their end.
KNOWN_NAMES: tuple[str, ...] = (
    "Quản lý các khu công nghiệp", "Quản lý các Khu công nghiệp", "Quản lý Khu kinh tế", "Đăng ký đất đai",
    "Chuyển đổi số", "Thi đua - Khen thưởng", "Tuyên giáo và Dân vận", "Kiểm soát thủ tục hành chính",
    "Chữ thập đỏ", "Bộ đội Biên phòng", "Đoàn đại biểu Quốc hội", "Đoàn Đại biểu Quốc hội",
    "Đoàn ĐBQH và HĐND", "Đoàn đại biểu Quốc hội và Hội đồng nhân dân", "Cảnh sát phòng cháy, chữa cháy",
    "Phát triển quỹ đất", "Bảo trợ xã hội", "Xúc tiến thương mại", "Y tế dự phòng", "Quản lý dự án",
    "Quản lý thị trường", "Nhà nước về Du lịch", "quốc gia về phát triển ngành công nghiệp bán dẫn",
    "Chấp hành Trung ương", "Thường vụ Tỉnh ủy", "Thường vụ Thành ủy", "Tổ chức Tỉnh ủy",
    "Tiếng nói Việt Nam", "Truyền hình Việt Nam", "Kinh tế, Hạ tầng và Đô thị", "Văn hóa - Xã hội",
    "Kinh tế - Ngân sách", "Pháp chế", "Thuế", "Hải quan", "Thống kê", "và Phát thanh, Truyền hình",
    "Trung ương Đảng", "Chỉ huy Phòng thủ dân sự", "Ban Chỉ huy Phòng thủ dân sự", "Ban Chỉ huy", "Công nghệ cao",
    "Người cao tuổi", "Luật gia", "Khuyến học", "Nhà báo", "Cựu thanh niên xung phong", "Văn học Nghệ thuật",
    "Nạn nhân chất độc da cam", "Liên hiệp Thanh niên Việt Nam", "Doanh nghiệp nhỏ và vừa", "Người mù",
    "Chính sách, chiến lược Trung ương", "dự án đầu tư xây dựng", "Giao dịch", "HĐND - UBND", "HĐND và UBND",
    "Hội đồng nhân dân và Ủy ban nhân dân", "các Khu chế xuất và công nghiệp", "nhà ở địa phương", "nhà ở quốc gia",
    "các khu công nghiệp", "Khu kinh tế", "các Khu công nghiệp", "các khu công nghệ cao và khu công nghiệp",
)

# Whole names that mean the same body although no part-by-part spelling links them.
ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Tỉnh đoàn", "Thành đoàn", "Đoàn TNCS Hồ Chí Minh tỉnh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
    ("Ủy ban nhân dân tỉnh", "UBND tỉnh", "Ủy ban nhân dân Thành phố", "UBND Thành phố"),
    ("Hội đồng nhân dân tỉnh", "HĐND tỉnh", "Hội đồng nhân dân Thành phố", "HĐND Thành phố"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", "VP UBND tỉnh", "VP UBND"),
    ("Ủy ban nhân dân cấp xã", "UBND cấp xã", "UBND các xã, phường, đặc khu", "UBND các xã, phường"),
    ("Thủ tướng Chính phủ", "Thủ tướng"),
)

# After a body's name: the level of government it belongs to (matched lower case, marks kept).
LEVEL_WORDS: tuple[str, ...] = (
    "cấp tỉnh", "cấp huyện", "cấp xã", "cùng cấp", "các cấp", "thành phố", "thị xã", "thị trấn", "đặc khu",
    "tỉnh", "xã", "phường", "huyện", "quận", "tp.", "tp",
)

# Collective subjects ("các sở, ban, ngành", "các bộ, cơ quan ngang bộ", "các cơ quan, đơn vị liên quan").
GROUP_WORDS: tuple[str, ...] = (
    "cơ quan ngang bộ", "cơ quan thuộc chính phủ", "cơ quan trực thuộc chính phủ", "cơ quan chuyên môn",
    "tổ chức chính trị - xã hội", "đoàn thể", "cơ quan", "đơn vị", "địa phương", "tổ chức", "doanh nghiệp", "cá nhân",
    "bộ ngành", "sở ngành", "sở", "ban", "ngành", "bộ", "tỉnh ủy", "thành ủy", "huyện ủy", "đảng ủy",
)
GROUP_ALONE = (  # enough alone after "các"
    "sở", "bộ", "ngành", "bộ ngành", "sở ngành", "cơ quan", "đơn vị", "địa phương", "doanh nghiệp", "cơ quan ngang bộ",
    "cơ quan thuộc chính phủ", "cơ quan trực thuộc chính phủ", "cơ quan chuyên môn", "đoàn thể",
    "tổ chức chính trị - xã hội", "tỉnh ủy", "thành ủy", "huyện ủy", "đảng ủy",
)
# A group starting with one of these takes no more words: "các địa phương, đơn vị" is two actors (gold
# conventions), while "cơ quan, đơn vị, địa phương" stays one.
GROUP_FIRST_ALONE = ("địa phương",)
GROUP_NOT_BEFORE = ("phận", "luật", "hữu", "nghề", "hàng", "hành", "nghị", "viên", "cá nhân")  # "bộ phận", "sở hữu"
GROUP_TAILS = (
    "khác có liên quan", "khác liên quan", "có liên quan khác", "liên quan khác", "có liên quan", "liên quan",
    "trung ương", "tw", "thành phố", "tỉnh", "khác",
)

# Bodies named by their role rather than a proper name ("cơ quan có thẩm quyền", "chủ rừng là tổ chức").
# Regular expressions on the lower-case text (a space also matches a line wrap); any case, "các" may
# precede and a group tail ("liên quan", "khác") follow. Longer spellings first.
DESCRIBED_BODIES: tuple[str, ...] = (
    r"cơ quan chủ quản", r"cơ quan có thẩm quyền", r"cơ quan chuyên môn", r"cơ quan chức năng", r"cơ quan đăng ký đầu tư",
    r"cơ quan quản lý quỹ", r"cơ quan báo chí(?:, phát thanh, truyền hình)?", r"cơ quan phối hợp thẩm định",
    r"cơ quan chủ trì giải quyết thủ tục(?: đầu tư)?(?: dự án)?",
    r"cơ quan phối hợp(?= (?:có trách nhiệm|phải|có ý kiến|chưa có|chịu trách nhiệm))",  # not "Cơ quan phối hợp:"
    r"cơ quan được phân công chủ trì(?: thực hiện nhiệm vụ(?: theo kế hoạch này)?)?",
    r"cơ quan, đơn vị (?:được giao chủ trì|chủ trì thực hiện(?: các)? nhiệm vụ)(?: được giao)?",
    r"chính quyền (?:địa phương|cơ sở)(?: (?:các cấp|cấp xã|cấp tỉnh))?", r"cấp ủy(?: đảng)?(?: các cấp)?",
    r"lực lượng (?:kiểm lâm|chức năng|vũ trang|quân đội)", r"(?:đơn vị )?chủ rừng(?: là tổ chức)?",
    r"doanh nghiệp (?:viễn thông|bưu chính|điện lực|bảo hiểm)",
    r"hệ thống (?:truyền thanh cơ sở|truyền thanh|truyền thông|thông tin cơ sở)",
)

# Capitalised words that are never a name part: function words, document kinds.
CAP_STOP = (  # words separated by spaces
    "các căn theo trong tại về ngày nghị quyết luật điều khoản chương mục phụ số và hoặc với trên đến từ của "
    "để khi sau trước nhằm đối giao đề kính nơi này đó"
)
# Capitalised words that start a sentence or a table cell: a name part only right after the head word.
CAP_STOP_LATER = (  # words separated by spaces
    "cơ thông chỉ công hồ thời trường thực chủ phối tham tổ hướng kiểm đôn báo xây triển lãnh đơn nội bảo "
    "ban hành tăng nâng rà nắm tiếp nhận gửi kế tổng tờ biên xác dự ngoài quy khẩn đẩy"
)
# Verbs spelled like a name part ("Xây dựng", "Tổ chức"): in lower case after a name they end it
# ("Sở Nội vụ xây dựng Kế hoạch" names the Sở Nội vụ).
STOP_VERBS: tuple[str, ...] = (
    "xây dựng", "tổ chức", "thực hiện", "chủ trì", "phối hợp", "hướng dẫn", "kiểm tra", "triển khai", "tham mưu",
    "báo cáo", "ban hành", "theo dõi", "thông tin", "tuyên truyền", "quản lý", "giải quyết", "xử lý",
)
# Lower-case words that end a name: the verb or function word after it ("Cục Thuế chủ trì").
LOWER_STOP = (  # words separated by spaces
    "chủ phối tham thực có chịu hướng theo tổng báo kiểm triển tổ ban quy sửa trình đề được là và các tại trên "
    "trong về của để khi với cho đã sẽ đang phải cần không này đó nơi ở từ đến thuộc qua xem lấy tiếp gửi chỉ hỗ "
    "nắm rà đôn căn nghiên phê cung bố đảm nâng tăng tập tuyên ký xử giải lập duy khẩn kịp thường quyết hoàn đánh "
    "chuẩn yêu nhận trả ra đưa mở cấp sau trước nhằm lựa sớm thẩm mỗi một hai ba hàng năm quý tháng tuần ngày "
    "khác hoặc xây trở nhấn biết đứng chậm gồm bao cũng vẫn còn đều như kể bị chấp phục luôn"
)

# Level words at the end of a folded key → the level they name ("UBND các xã, phường" → "cap xa").
# "thanh pho" is the province (two-level government since 7/2025) unless a district is listed with it.
KEY_LEVELS: dict[str, str] = {
    "xa": "cap xa", "phuong": "cap xa", "dac khu": "cap xa", "thi tran": "cap xa", "cap xa": "cap xa",
    "huyen": "cap huyen", "quan huyen": "cap huyen", "huyen quan": "cap huyen", "thi xa": "cap huyen",
    "cap huyen": "cap huyen", "tinh": "tinh", "thanh pho": "tinh", "cap tinh": "cap tinh", "cung cap": "cung cap",
    "cac cap": "cac cap",
}

# Rewrites of the folded key so that one body has one key (applied in order, as regular expressions).
KEY_REWRITES: tuple[tuple[str, str], ...] = (
    (r"^(?:tinh|thanh) doan\b", "doan thanh nien cong san ho chi minh tinh"),
    (r"^doan thanh nien(?! cong san)", "doan thanh nien cong san ho chi minh"),
    (r"\bmat tran to quoc(?! viet nam)", "mat tran to quoc viet nam"),
    (r"^mat tran to quoc", "uy ban mat tran to quoc"),
    (r"^thu tuong$", "thu tuong chinh phu"),
    (r"\bphat thanh truyen hinh\b", "phat thanh va truyen hinh"),
    (r"\bgiao thong va van tai\b", "giao thong van tai"),
    (r"\bco lien quan\b", "lien quan"),
    (r"^van phong hoi dong nhan dan va uy ban", "van phong hoi dong nhan dan uy ban"),
)
# Bodies that exist at every level: written without one they mean the province's ("UBND" = "UBND tỉnh").
MULTI_LEVEL_KEY = (
    r"^(?:(?:van phong|chu tich|thuong truc|thu truong|giam doc|chanh van phong|dang uy|ban thuong vu) )?"
    r"(?:uy ban nhan dan|hoi dong nhan dan(?: (?:va )?uy ban nhan dan)?|cong an"
    r"|bo chi huy quan su|toa an nhan dan|vien kiem sat nhan dan|uy ban mat tran to quoc viet nam"
    r"|doan thanh nien cong san ho chi minh|lien doan lao dong|hoi lien hiep phu nu|hoi nong dan"
    r"|hoi cuu chien binh|thanh tra|ban chi dao|bo tu lenh|bao hiem xa hoi|van phong doan dai bieu quoc hoi"
    r"(?: va hoi dong nhan dan)?)$"
)

# Issuer code of a document symbol ("2623/QĐ-TTg", "45-CT/TW", "10988/BNV-CQĐP") → issuing body.
# Codes of local bodies (UBND, HĐND, SGDĐT, TU, BCĐ...) are left out: the symbol does not say which one.
ISSUERS: dict[str, str] = {
    "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ", "VPCP": "Văn phòng Chính phủ", "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội", "VPQH": "Văn phòng Quốc hội", "CTN": "Chủ tịch nước",
    "VPCTN": "Văn phòng Chủ tịch nước", "TW": "Trung ương Đảng", "VPTW": "Văn phòng Trung ương Đảng",
    "BTCTW": "Ban Tổ chức Trung ương", "BTGTW": "Ban Tuyên giáo Trung ương", "BDVTW": "Ban Dân vận Trung ương",
    "BTGDVTW": "Ban Tuyên giáo và Dân vận Trung ương", "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "BNCTW": "Ban Nội chính Trung ương", "BKTTW": "Ban Kinh tế Trung ương", "BĐNTW": "Ban Đối ngoại Trung ương",
    "QUTW": "Quân ủy Trung ương",
    # Ministries and ministry-level bodies after the 2025 merger.
    "BQP": "Bộ Quốc phòng", "BCA": "Bộ Công an", "BNG": "Bộ Ngoại giao", "BNV": "Bộ Nội vụ", "BTP": "Bộ Tư pháp",
    "BTC": "Bộ Tài chính", "BCT": "Bộ Công Thương", "BNNMT": "Bộ Nông nghiệp và Môi trường", "BXD": "Bộ Xây dựng",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch", "BKHCN": "Bộ Khoa học và Công nghệ",
    "BGDĐT": "Bộ Giáo dục và Đào tạo", "BYT": "Bộ Y tế", "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "NHNN": "Ngân hàng Nhà nước Việt Nam", "TTCP": "Thanh tra Chính phủ",
    # Before the merger (still cited everywhere).
    "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn", "BNN": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "BGTVT": "Bộ Giao thông vận tải",
    "BTTTT": "Bộ Thông tin và Truyền thông", "UBDT": "Ủy ban Dân tộc", "TCT": "Tổng cục Thuế",
    "TCHQ": "Tổng cục Hải quan",
    # Courts, audit, national organisations and national steering committees.
    "TANDTC": "Tòa án nhân dân tối cao", "HĐTP": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao", "KTNN": "Kiểm toán Nhà nước",
    "TLĐ": "Tổng Liên đoàn Lao động Việt Nam", "MTTW": "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
    "TWĐTN": "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh", "BCĐNNDL": "Ban Chỉ đạo Nhà nước về Du lịch",
    "BCĐPTCNBD": "Ban Chỉ đạo quốc gia về phát triển ngành công nghiệp bán dẫn",
}
# The kind of document comes first in most symbols ("QĐ-TTg"); the issuer follows it.
DOC_KINDS = (  # words separated by spaces
    "qd nd nq tt ttlt ct cd kh tb cv bc hd kl qc ttr l pl gm da ctr vbhn gp nqlt qdlt tb hdlt ql"
)
JOINT_KINDS = ("ttlt", "nqlt", "qdlt", "hdlt")  # several issuers: none of them alone

# Proper names kept capitalised when a letterhead is turned into running text.
PROPER_NAMES: tuple[str, ...] = (
    "Đảng Cộng sản Việt Nam", "Hồ Chí Minh", "Trung ương", "Nhà nước", "Việt Nam", "Quốc hội", "Chính phủ",
)
# Words after which a place name follows ("tỉnh Hà Tĩnh", "thành phố Hà Nội").
PLACE_LEVELS: tuple[str, ...] = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "xã", "phường", "quận")

# "các Bộ: Tài chính, Xây dựng và Y tế" names each ministry by what follows the shared head "Bộ"; the
# list is read only with names known to follow it (the ministries, before and after the 2025 merger).
SHARED_HEAD_LISTS: dict[str, tuple[str, ...]] = {
    "Bộ": (
        "Quốc phòng", "Công an", "Ngoại giao", "Nội vụ", "Tư pháp", "Tài chính", "Công Thương", "Xây dựng",
        "Nông nghiệp và Môi trường", "Văn hóa, Thể thao và Du lịch", "Khoa học và Công nghệ", "Y tế",
        "Giáo dục và Đào tạo", "Dân tộc và Tôn giáo", "Kế hoạch và Đầu tư", "Giao thông vận tải",
        "Tài nguyên và Môi trường", "Lao động - Thương binh và Xã hội", "Thông tin và Truyền thông",
        "Nông nghiệp và Phát triển nông thôn",
    ),
}
# What may stand between the plural head and the colon: "các Bộ, cơ quan ngang Bộ: …", "các bộ, ngành: …".
SHARED_HEAD_COMPANIONS = ("cơ quan ngang bộ", "cơ quan", "ngành")
