"""The layout of an official document's body (Nghị định 30/2020/NĐ-CP): line wraps and headings."""

from __future__ import annotations

# Share of line pairs that continue one sentence from which a document counts as hard-wrapped.
# News pages (one paragraph a line) are near 0; copies of official documents are 0.3–0.7.
MIN_WRAP_SHARE = 0.12

# "quy định tại\nĐiều 4 và các điều kiện quy định tại Điều 5 Nghị quyết này": a unit named inside a
# sentence (then "và", "của", "khoản", another document …, and no full stop) is a cross-reference.
NOT_A_CROSS_REFERENCE = (
    r"(?!\s*(?:,|;|và\b|hoặc\b|của\b|này\b|nêu\b|khoản\b|điểm\b|đến\b|tới\b|theo\b|được\b|quy định\b|"
    r"Nghị định\b|Nghị quyết\b|Luật\b|Bộ luật\b|Thông tư\b|Quyết định\b|Pháp lệnh\b|Hiến pháp\b))"
)

# A next line starting like this begins something new: a list item, a heading, a block of the
# layout. The break before it is real even when the previous line does not end a sentence.
HARD_NEXT_LINE = (
    r"(?:[-–—•*+]\s"  # bullets "- ", "+ "
    r"|(?:[IVXLC]+|\d{1,3}(?:\.\d{1,2})*|[a-zđ]|[A-Z])[.)]\s"  # I.  1.  1.1.  a)  A.
    r"|\d{1,2}(?:\.\d{1,2})+\s"  # "1.1 Tên mục" without the final dot (not "120.000 ha")
    r"|(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+(?:thứ\s+)?[\dIVXLC]+(?:\s*[.:]|(?!\w)" + NOT_A_CROSS_REFERENCE + ")"
    r"|(?:Kính gửi|Nơi nhận|Căn cứ|Số\s*:|Xét\s|Theo đề nghị)"
    r"|(?:KT|TM|TL|TUQ|PP|Q)\.\s"
    r"|\[\d+\]|\(\d+\)\s"  # footnotes
    r")"
)

# Words that end in a full stop without ending the sentence ("TP.\nHồ Chí Minh").
ABBREVIATIONS_BEFORE_BREAK = frozenset({"tp.", "q.", "p.", "tx.", "tt.", "ts.", "ths.", "pgs.", "gs.", "v.v.", "đ/c."})

# Section markers, most general first. Each style is one way of numbering; the depth of a style
# is decided by the order styles appear in (the first style met is the outermost), except the
# legal units, whose order is fixed: Phần > Chương > Mục > Điều close every free-numbered list.
LEGAL_UNITS: tuple[tuple[str, str], ...] = (
    ("phan", r"(?:Phần|PHẦN)\s+(?:thứ\s+\w+|THỨ\s+\w+|[IVXLC]+|\d+)\b\.?"),
    ("chuong", r"(?:Chương|CHƯƠNG)\s+[IVXLC\d]+\b\.?"),
    ("muc", r"(?:Mục|MỤC)\s+\d+\b\.?"),
    ("dieu", r"(?:Điều|ĐIỀU)\s+\d+[a-z]?(?:\s*\.|\b" + NOT_A_CROSS_REFERENCE + ")"),
)
FREE_STYLES: tuple[tuple[str, str], ...] = (
    ("roman", r"[IVXLC]+[.)]"),
    ("upper_alpha", r"[A-Z][.)]"),
    ("num3", r"\d{1,2}\.\d{1,2}\.\d{1,2}\.?"),
    ("num2", r"\d{1,2}\.\d{1,2}\.?"),
    ("num", r"\d{1,3}[.)]"),
    ("alpha", r"[a-zđ][)]"),
    ("alpha_dot", r"[a-zđ]\."),
    ("dash", r"[-–—•*]"),
    ("plus", r"\+"),
)
# Bullets are list items, not headings: they have a place in the tree (so a "+" under a "-" is
# known to be its child) but are left out of the path shown to readers.
BULLET_STYLES = frozenset({"dash", "plus"})
# How much of a heading line is its heading: up to the first colon, else this many characters.
HEADING_CHARS = 90
