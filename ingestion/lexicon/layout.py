"""The header and signature of an official document (Nghị định 30/2020/NĐ-CP) as data.

Words are written as the layout writes them (upper case in the letterhead, kind line and signature
block); they are compared case-insensitively in one tone-mark style, so "UỶ"/"ỦY" and "HÒA"/"HOÀ"
match while "Trưởng" (a position) and "Trương" (a name) do not.
"""

from __future__ import annotations

# The national motto and the Party's, each possibly wrapped over several lines.
MOTTO_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
)

# Kinds of document as `doc_kind` returns them; a kind line is matched longest first, so
# "THÔNG TƯ LIÊN TỊCH" wins over "THÔNG TƯ".
DOC_KINDS = (
    "Chương trình hành động", "Thông tư liên tịch", "Nghị quyết liên tịch", "Quy chế phối hợp",
    "Kế hoạch", "Chỉ thị", "Quyết định", "Công văn", "Công điện", "Thông báo", "Nghị định", "Thông tư",
    "Nghị quyết", "Kết luận", "Quy chế", "Quy định", "Báo cáo", "Tờ trình", "Hướng dẫn", "Chương trình",
    "Lịch", "Đề án", "Phương án", "Giấy mời", "Biên bản", "Luật", "Pháp lệnh", "Điều lệ", "Chiến lược",
    "Quy hoạch", "Danh mục", "Phụ lục", "Lệnh", "Hiến pháp",
)
# The kinds a text cites by number ("Chỉ thị số 12-CT/TW", "theo Kế hoạch 624/KH-UBND", "Công điện 96/CĐ-BXD"):
# a reference's kind is read before its number (ingestion.metadata) and a follow-up question names a
# document by it ("Quyết định 45/QĐ-UBND", "kế hoạch đó": qa_service.condense). A longer kind stands before
# one it starts with ("Chương trình hành động", "Chương trình").
NUMBERED_KINDS = (
    "Chương trình hành động", "Nghị quyết", "Chỉ thị", "Kế hoạch", "Quyết định", "Công văn", "Thông tư",
    "Nghị định", "Thông báo", "Hướng dẫn", "Luật", "Chương trình", "Tờ trình", "Báo cáo", "Công điện",
)
# Words a follow-up uses for a document without its kind ("văn bản đó", "bài viết này").
DOCUMENT_WORDS = ("văn bản", "tài liệu", "bài viết", "bài báo")
# Kinds that head an attached document but never the main one.
ATTACHMENT_ONLY_KINDS = frozenset({"Phụ lục", "Danh mục"})

# The kind a number's symbol names ("624/KH-UBND" → KH), when no kind line says it.
SYMBOL_KINDS = {
    "QĐ": "Quyết định", "KH": "Kế hoạch", "CT": "Chỉ thị", "TB": "Thông báo", "NQ": "Nghị quyết",
    "NĐ": "Nghị định", "TT": "Thông tư", "CĐ": "Công điện", "BC": "Báo cáo", "TTr": "Tờ trình",
    "HD": "Hướng dẫn", "KL": "Kết luận", "CTr": "Chương trình", "QC": "Quy chế", "CV": "Công văn",
    "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch",
}

# A document number: 624/KH-UBND, 45-CT/TW, 302/2025/NĐ-CP, 11554/VPCP-V.I, 66.4/2025/NQ-CP.
NUMBER = (
    r"\d{1,6}(?:\.\d{1,3})?[a-z]?(?:/\d{4})?"
    r"(?:[-/][A-Za-zĐđ][A-Za-zĐđ0-9]*(?:\.[A-Za-zĐđ0-9]+)*)+"
)
# "Số: 624/KH-UBND", "Số:624/KH-UBND", "Số 45-CT/TW", "Số:\n7360/KH-UBND", "| Luật số: 51/2024/QH15";
# a blank number ("Số: /KH-UBND") still marks the layout.
NUMBER_LINE = (
    r"^[ \t|]*(?:Số|(?:Luật|Bộ luật|Pháp lệnh|Lệnh)[ \t]+số)[ \t]*:?[ \t]*\n?[ \t]*"
    r"(?:(?P<number>" + NUMBER + r")|/[A-ZĐ])"
)
# "Hà Tĩnh, ngày 19 tháng 11 năm 2025", wrapped anywhere; a blank day or month gives no date.
PLACE_DATE = (
    r"(?P<place>(?:[^\W\d_]+\.?[ \t\n]+){0,5}?[^\W\d_]+)[ \t]*,?[ \t\n]*"
    r"(?P<date>ngày[ \t\n]*(?P<d>\d{1,2})?[ \t\n.]*tháng[ \t\n]*(?P<m>\d{1,2})?[ \t\n.]*năm[ \t\n]*(?P<y>\d{4})"
    r"|ngày[ \t\n]*(?P<d2>\d{1,2})[/.-](?P<m2>\d{1,2})[/.-](?P<y2>\d{4}))"
)
# Lower-case words a place name may hold ("Thành phố Hồ Chí Minh, ngày ...").
PLACE_LOWER_WORDS = frozenset({"phố", "xã", "thị", "trấn"})
# Text dates after a number: "ngày 18/11/2025", "ngày 18 tháng 11 năm 2025".
TEXT_DATE = (
    r"ngày\s*(?:(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})[/.-](?P<m2>\d{1,2})[/.-](?P<y2>\d{4}))"
)

# The abstract of a Công văn under its number: "V/v ..." (the "V/v" is dropped) or "Về ...".
SUBJECT_PREFIX = r"^(?:V/v|V/V|v/v)\b[.:]?\s*"
CONG_VAN_SUBJECT = r"^(?:V/v|V/V|v/v|Về|VỀ)(?:\s|$)"
# "THỦ TƯỚNG CHÍNH PHỦ điện:" opens a Công điện's list of addressees.
TELEGRAM_TO = r"^[^\n]*?\bđiện\s*:\s*$"
RECIPIENTS_TO = r"^[ \t]*(?:Đồng[ \t]+)?[Kk]ính[ \t\n]+gửi[ \t]*:?"
RECIPIENTS_BLOCK = r"^[ \t]*Nơi[ \t\n]+nhận[ \t]*(?::|\n|$)"
# The parenthesis under an attached document's heading, and under an appendix.
ATTACHED_TO = r"^[ \t]*\([ \t]*(?:Ban[ \t\n]+hành[ \t\n]+)?[Kk]èm[ \t\n]+theo\b"

# The line that states who decides ("THỦ TƯỚNG CHÍNH PHỦ", "BỘ TRƯỞNG BỘ NỘI VỤ") before "Căn cứ":
# it is not part of the abstract.
AUTHORITY_HEADS = (
    "THỦ TƯỚNG", "BỘ TRƯỞNG", "CHỦ TỊCH", "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN",
    "TRƯỞNG BAN", "GIÁM ĐỐC", "CHÍNH PHỦ", "CHÁNH", "CỤC TRƯỞNG", "TỔNG CỤC TRƯỞNG", "VỤ TRƯỞNG",
    "VIỆN TRƯỞNG", "HIỆU TRƯỞNG", "THỐNG ĐỐC", "TỔNG GIÁM ĐỐC", "BAN CHẤP HÀNH", "BAN THƯỜNG VỤ",
    "BỘ CHÍNH TRỊ", "BAN BÍ THƯ", "CHỦ NHIỆM", "TỔNG KIỂM TOÁN", "ỦY BAN THƯỜNG VỤ", "QUỐC HỘI",
    "HỘI ĐỒNG", "TRƯỞNG", "TỔNG THANH TRA", "CHÁNH ÁN", "CHỈ HUY TRƯỞNG",
)
# Lines opening the body, so a wrapped recipient line never swallows them.
BODY_OPENERS = (
    "Căn cứ", "Thực hiện", "Theo", "Ngày", "Trong", "Sau khi", "Xét", "Triển khai", "Để", "Nhằm", "Vừa qua",
    "Thời gian", "Hiện nay", "Tiếp theo", "Từ ngày", "Cuối", "Đầu", "Trước", "Qua", "Tại",
    "Nhận được", "Phúc đáp", "Trả lời", "Trên cơ sở", "Với", "Hưởng ứng", "Chấp hành", "Nhân dịp",
)
# Words that end a line in the middle of a phrase ("... CỦA\nBỘ NỘI VỤ"): the next line continues it.
CONNECTORS = frozenset({
    "của", "và", "về", "cho", "với", "tại", "trên", "trong", "theo", "đối", "các", "những", "số", "ngày",
    "năm", "đến", "giai", "đoạn", "thời", "kỳ", "thuộc", "hoặc", "là", "để", "được", "việc",
})

# Signature block: the prefixes of the authority signed for, as written and as returned.
SIGN_PREFIXES = {"TM": "TM.", "KT": "KT.", "K/T": "KT.", "Q": "Q.", "TL": "TL.", "TUQ": "TUQ.", "PP": "PP.",
                 "T/M": "TM.", "T/L": "TL."}
SIGN_PREFIX_ALONE = r"^(?:TM|KT|K/T|T/M|TL|T/L|TUQ|PP|Q)\.?$"  # "KT.\nCHỦ TỊCH"
SIGN_PREFIX = r"^(?P<prefix>TM|KT|K/T|T/M|TL|T/L|TUQ|PP|Q)(?:\.[ \t]*|[ \t]+)(?=[A-ZĐÀ-Ỹ])"
# Position words, readable; a signature line starting with one of them is a position, not a wrap.
POSITIONS = (
    "Tổng Bí thư", "Phó Bí thư", "Bí thư", "Thủ tướng", "Bộ trưởng", "Thứ trưởng", "Chủ tịch", "Trưởng ban",
    "Giám đốc", "Tổng Giám đốc", "Chủ nhiệm", "Chánh Văn phòng", "Chánh Thanh tra", "Chánh án", "Chánh",
    "Tổng cục trưởng", "Cục trưởng", "Chi cục trưởng", "Vụ trưởng", "Viện trưởng", "Hiệu trưởng",
    "Thống đốc", "Tổng Kiểm toán", "Tổng Thanh tra", "Trưởng phòng", "Trưởng đoàn", "Tổ trưởng",
    "Chỉ huy trưởng", "Tư lệnh", "Chính ủy", "Tổng Thư ký", "Ủy viên", "Thường trực", "Trưởng", "Phó",
    "Người ký", "Kế toán trưởng", "Thủ trưởng", "Chủ tọa", "Thư ký",
)
# Military ranks written before a signer's name ("Thượng tướng Vũ Hải Sản"): not part of the name.
RANKS = (
    "Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá",
    "Đô đốc", "Phó Đô đốc", "Chuẩn Đô đốc",
)
# Between the position and the name some copies keep the seal: "(Đã ký)", "[daky]", "Đã ký".
SIGNED_MARKERS = r"^[\[(]?\s*(?:đã\s*ký|daky|Đã\s*ký|ĐÃ\s*KÝ|ký|Ký)[^\n]{0,20}[\])]?\s*$"

# Bodies named at the head of a letterhead line; a line starting with one opens a new body
# (the issuer's parent comes first: "ỦY BAN NHÂN DÂN TỈNH X" / "SỞ Y").
BODY_HEADS = (
    "ỦY BAN", "HỘI ĐỒNG", "BỘ", "SỞ", "CỤC", "TỔNG CỤC", "VĂN PHÒNG", "BAN", "THỦ TƯỚNG", "TRƯỜNG", "VIỆN",
    "BỆNH VIỆN", "TRUNG TÂM", "CÔNG AN", "PHÒNG", "CHI CỤC", "THANH TRA", "KHO BẠC", "NGÂN HÀNG", "ĐẢNG ỦY",
    "ĐẢNG BỘ", "TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY", "QUỐC HỘI", "TÒA ÁN", "ĐOÀN", "HỘI", "THUẾ", "KIỂM TOÁN",
    "TẬP ĐOÀN", "TỔNG CÔNG TY", "CÔNG TY", "ĐẠI HỌC", "HỌC VIỆN", "BỘ CHỈ HUY", "BỘ TƯ LỆNH", "LIÊN ĐOÀN",
    "MẶT TRẬN", "BẢO HIỂM", "ĐÀI", "BÁO", "VIỆN KIỂM SÁT",
)
# A child body that only names a unit ("VĂN PHÒNG" under "ỦY BAN NHÂN DÂN TỈNH X") takes its
# parent's full name; other children ("SỞ Y") take the parent's locality.
BARE_UNITS = frozenset({"văn phòng", "thanh tra", "ban tổ chức", "ban tuyên giáo", "ban dân vận",
                        "ban nội chính", "ủy ban kiểm tra", "ban thường vụ", "ban chỉ đạo", "hội đồng"})
# How the Party's central committee names its own units ("Văn phòng Trung ương Đảng").
PARENT_AS_OWNER = {
    "ban chấp hành trung ương": "Trung ương Đảng",
    "ban chấp hành trung ương đảng": "Trung ương Đảng",
}
# Words after which the rest of a body name is a place: "ỦY BAN NHÂN DÂN TỈNH X" → "tỉnh X".
LOCALITY_WORDS = ("thành phố", "tỉnh", "huyện", "quận", "thị xã", "xã", "phường", "đặc khu")
# Positions in front of a body in "của Bộ trưởng Bộ X" / "của Trưởng Ban X": the issuer is the body.
ISSUER_POSITIONS = (
    "Bộ trưởng", "Chủ tịch", "Trưởng", "Giám đốc", "Chủ nhiệm", "Chánh", "Cục trưởng", "Vụ trưởng",
    "Tổng cục trưởng", "Viện trưởng", "Thống đốc", "Tổng Giám đốc",
)
# In a news story: "Ngày 13/9/2025, Thủ tướng Chính phủ đã có Chỉ thị 24/CT-TTg ...".
ISSUED_VERBS = r"(?:đã\s+)?(?:ký\s+)?(?:có|ban\s+hành|ký|ra|phát\s+hành)"
# How far a news page's lead goes, and the question a headline ends with ("... ra sao?").
LEAD_LINES = 12
QUESTION_TAIL = r"\s+(?:ra sao|thế nào|như thế nào|là gì|gồm những gì|có gì mới|có gì|không)\s*$"

# Recasing an upper-case heading reads how the prose writes its words: this much prose, and this
# many occurrences of a word, are evidence enough (and keep a 600 kB document fast).
PROSE_CHARS = 200_000
MAX_OCCURRENCES = 400
# A word seen alone (not beside the same neighbour) is trusted when written so at least this often.
MIN_ALONE = 2
