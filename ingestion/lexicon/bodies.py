"""Names of the bodies official documents assign work to: head words, spellings and issuer codes.

Data only; `ingestion.actors` compiles it. Display strings are written as documents write them
(first syllable of each name part capitalised); matching ignores case and tone-mark style.
"""

from __future__ import annotations

# Head words that start a body's name, and what must follow them:
#   body    a complete name on its own ("Chính phủ"); a level may follow ("UBND tỉnh")
#   leveled needs a name or a level after it ("Công an tỉnh", "Thanh tra Chính phủ")
#   named   needs a name after it ("Sở Tài chính", "Văn phòng UBND tỉnh")
#   title   an office holder; only counts with the body it heads ("Chủ tịch UBND tỉnh"), "Bộ trưởng" alone too
HEADS: dict[str, str] = {
    "Ủy ban nhân dân": "body", "UBND": "body", "Hội đồng nhân dân": "body", "HĐND": "body",
    "Chính phủ": "body", "Thủ tướng Chính phủ": "body", "Thủ tướng": "body", "Quốc hội": "body",
    "Chủ tịch nước": "body", "Tỉnh ủy": "body", "Thành ủy": "body", "Tỉnh đoàn": "body", "Thành đoàn": "body",
    "Bộ Chính trị": "body", "Ban Bí thư": "body", "Ban Chấp hành Trung ương": "body", "Trung ương Đảng": "body",
    "Ủy ban Thường vụ Quốc hội": "body", "UBMTTQ": "body", "UBMTTQVN": "body", "Ủy ban MTTQ": "body",
    "Ủy ban Mặt trận Tổ quốc Việt Nam": "body", "Mặt trận Tổ quốc Việt Nam": "body", "MTTQ": "body",
    "TAND": "body", "VKSND": "body", "Tòa án nhân dân": "body", "Viện kiểm sát nhân dân": "body",
    "Kho bạc Nhà nước": "body", "Ngân hàng Nhà nước": "body", "Kiểm toán Nhà nước": "body",
    "Thanh tra Chính phủ": "body", "Bảo hiểm xã hội": "body", "BHXH": "body", "Liên đoàn Lao động": "body",
    "Bộ Chỉ huy Quân sự": "body", "BCH Quân sự": "body", "Bộ CHQS": "body", "BCHQS": "body",
    "Bộ Chỉ huy Bộ đội Biên phòng": "body", "Đoàn TNCS Hồ Chí Minh": "body",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh": "body", "Đoàn Thanh niên": "body", "Hội Liên hiệp Phụ nữ": "body",
    "Hội Nông dân": "body", "Hội Cựu chiến binh": "body",
    "Công an": "leveled", "Thanh tra": "leveled", "Ban Chỉ đạo": "leveled", "Ban Dân tộc": "leveled",
    "Sở": "named", "Bộ": "named", "Ban": "named", "Ban Quản lý": "named", "Ủy ban": "named", "Văn phòng": "named",
    "VP": "named", "Cục": "named", "Tổng cục": "named", "Vụ": "named", "Chi cục": "named", "Phòng": "named",
    "Trung tâm": "named", "Đài": "named", "Báo": "named", "Viện": "named", "Học viện": "named", "Hội": "named",
    "Hội đồng": "named", "Liên đoàn": "named", "Tập đoàn": "named", "Tổng công ty": "named", "Công ty": "named",
    "Đại học": "named", "Trường": "named", "Kho bạc": "named", "Ngân hàng": "named", "Bệnh viện": "named",
    "Quỹ": "named", "Đoàn": "named", "Tòa án": "named", "Viện kiểm sát": "named", "Bộ Tư lệnh": "named",
    "Mặt trận": "named", "Tổng Liên đoàn": "named", "Thông tấn xã": "named",
    "Chủ tịch": "title", "Bộ trưởng": "title", "Thủ trưởng": "title", "Giám đốc": "title", "Tổng Giám đốc": "title",
    "Chánh Văn phòng": "title", "Trưởng ban": "title", "Chủ nhiệm": "title", "Thường trực": "title",
    "Người đứng đầu": "title", "Chánh Thanh tra": "title",
}
TITLES_ALONE = ("Bộ trưởng",)  # an office that acts by itself ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ")

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
    ("Chỉ huy Quân sự", "CHQS", "chỉ huy quân sự"),
    ("Thanh niên Cộng sản Hồ Chí Minh", "TNCS Hồ Chí Minh", "TNCS HCM"),
    ("Mặt trận Tổ quốc Việt Nam", "MTTQ Việt Nam", "MTTQVN"),
    ("Đại biểu Quốc hội", "ĐBQH"),
    ("Phục vụ hành chính công", "Phục vụ Hành chính công", "PVHCC", "Phục vụ HCC"),
    ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "TP.HCM", "TPHCM", "TP HCM", "TP Hồ Chí Minh", "TP. HCM"),
    ("Thủ tướng Chính phủ", "Thủ tướng"),
    ("Tài chính",), ("Nội vụ",), ("Tư pháp",), ("Y tế",), ("Xây dựng",), ("Công Thương",), ("Ngoại vụ",),
    ("Du lịch",), ("Công an",), ("Quốc phòng",), ("Ngoại giao",), ("Ngoại giao",), ("Thông tin",),
    ("Dân tộc",), ("Nông nghiệp",), ("Văn hóa",), ("Nhà nước",), ("Trung ương",), ("Việt Nam",),
)

# Single abbreviations inside longer names ("VP UBND", "BCH Quân sự", "Đoàn TNCS"): upper-case token → words.
ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "VP": "Văn phòng", "UB": "Ủy ban",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc", "BCH": "Bộ Chỉ huy", "QS": "Quân sự", "TAND": "Tòa án nhân dân",
    "VKSND": "Viện kiểm sát nhân dân", "TNCS": "Thanh niên Cộng sản", "HCM": "Hồ Chí Minh", "TP": "Thành phố",
    "LĐLĐ": "Liên đoàn Lao động", "LHPN": "Liên hiệp Phụ nữ", "HLHPN": "Hội Liên hiệp Phụ nữ",
    "CCB": "Cựu chiến binh", "TW": "Trung ương", "TƯ": "Trung ương", "VN": "Việt Nam", "BQL": "Ban Quản lý",
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
    "Kinh tế - Ngân sách", "Pháp chế", "Thuế", "Hải quan", "Thống kê",
)

# After a body's name: the level of government it belongs to (matched lower case, marks kept).
LEVEL_WORDS: tuple[str, ...] = (
    "cấp tỉnh", "cấp huyện", "cấp xã", "cùng cấp", "các cấp", "thành phố", "thị xã", "thị trấn", "đặc khu",
    "tỉnh", "xã", "phường", "huyện", "quận", "tp.", "tp",
)

# Collective subjects ("các sở, ban, ngành", "các bộ, cơ quan ngang bộ", "các cơ quan, đơn vị liên quan").
GROUP_WORDS: tuple[str, ...] = (
    "cơ quan ngang bộ", "cơ quan thuộc chính phủ", "cơ quan chuyên môn", "tổ chức chính trị - xã hội",
    "đoàn thể", "cơ quan", "đơn vị", "địa phương", "tổ chức", "doanh nghiệp", "sở", "ban", "ngành", "bộ",
)
GROUP_NOT_BEFORE = ("phận", "luật", "hữu", "nghề", "hàng", "hành", "nghị", "viên", "cá nhân")  # "bộ phận", "sở hữu"
GROUP_TAILS = ("có liên quan", "liên quan", "trung ương", "tw", "thành phố", "tỉnh")

# Capitalised words that start a sentence, a table cell or a citation, never a name part.
CAP_STOP: frozenset[str] = frozenset(
    "các cơ căn theo trong tại về ngày nghị thông quyết luật điều khoản chương mục phụ kế chỉ công hồ thời "
    "đối trường giao đề thực chủ phối tham tổ hướng kiểm đôn báo xây triển lãnh đơn nội số và hoặc với "
    "trên đến từ của để khi sau trước nhằm bảo đảm ban hành tăng nâng rà nắm tiếp theo nhận gửi".split()
)
# Lower-case words that end a name: the verb or function word after it ("Cục Thuế chủ trì").
LOWER_STOP: frozenset[str] = frozenset(
    "chủ phối tham thực có chịu hướng theo tổng báo kiểm triển tổ ban quy sửa trình đề giao được là và các "
    "tại trên trong về của để khi với cho đã sẽ đang phải cần không này đó nơi ở từ đến thuộc qua xem lấy "
    "tiếp gửi chỉ hỗ nắm rà đôn căn nghiên phê cung bố đảm bảo nâng tăng tập tuyên ký xử giải lập duy khẩn "
    "kịp thường quyết hoàn đánh tiến chuẩn yêu nhận trả ra làm đưa mở tạo công cấp chủ theo sau trước "
    "nhằm phụ lựa sớm thẩm tiếp mỗi một hai ba hàng năm quý tháng tuần ngày số khác".split()
)

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
    (r"\bchi huy quan su\b", "chi huy quan su"),
)
# Bodies that exist at every level: written without one they mean the province's ("UBND" = "UBND tỉnh").
MULTI_LEVEL_KEY = (
    r"^(?:(?:van phong|chu tich|pho chu tich|thuong truc) )?(?:uy ban nhan dan|hoi dong nhan dan|cong an"
    r"|bo chi huy quan su|toa an nhan dan|vien kiem sat nhan dan|uy ban mat tran to quoc viet nam"
    r"|doan thanh nien cong san ho chi minh|lien doan lao dong|hoi lien hiep phu nu|hoi nong dan"
    r"|hoi cuu chien binh|thanh tra|ban chi dao|bao hiem xa hoi|van phong doan dai bieu quoc hoi"
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
DOC_KINDS: frozenset[str] = frozenset(
    "qd nd nq tt ttlt ct cd kh tb cv bc hd kl qc ttr l pl gm da ctr vbhn gp nqlt qdlt tb hdlt ql".split()
)
JOINT_KINDS: frozenset[str] = frozenset({"ttlt", "nqlt", "qdlt", "hdlt"})  # several issuers: none of them alone

# Proper names kept capitalised when a letterhead is turned into running text.
PROPER_NAMES: tuple[str, ...] = (
    "Đảng Cộng sản Việt Nam", "Hồ Chí Minh", "Trung ương", "Nhà nước", "Việt Nam", "Quốc hội", "Chính phủ",
)
# Words after which a place name follows ("tỉnh Hà Tĩnh", "thành phố Hà Nội").
PLACE_LEVELS: tuple[str, ...] = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "xã", "phường", "quận")
