"""How official documents write deadlines, periods and recurrences: pattern tables for `ingestion.deadlines`.

All patterns are matched on the diacritic-folded, lower-case text (`vectorstore.analyzer.fold`), so
"Trước", "TRƯỚC" and "truoc" are one word and tone-mark style does not matter; offsets are unchanged
(folding keeps one character for one). Every space is `\\s+`: documents keep hard line wraps, and a
date is often split over two lines ("ngày 21\\ntháng 11 năm 2025").

Big patterns capture whole pieces (`date`, `per`, `n`, `unit`, ...); the small parser tables at the
end read those pieces, so no pattern needs a group name twice.
"""

from __future__ import annotations

# --- Fragments -------------------------------------------------------------------------------------------------

_DASH = r"[-–—‐]"
# d/m/yyyy, d-m-yyyy, d.m.yyyy. Not glued to a digit, slash or dot on the left ("200/2023/NĐ-CP"), nor to a
# digit or slash on the right; a dash on the left is allowed for "16-22/11/2025".
_NUM_FULL = r"(?<![\d/.])\d{1,2}(?:/\d{1,2}/|-\d{1,2}-|\.\d{1,2}\.)\d{4}(?![\d/])"
# d/m without a year ("trước ngày 15/12"): slash only, a dotted or dashed pair is too often a number or range.
_NUM_NOYEAR = r"(?<![\d/.])\d{1,2}/\d{1,2}(?![\d/]|[.-]\d)"
# "21 tháng 11 năm 2025", "5 tháng 12, năm 2025", "15 tháng 12/2025".
_VERB_FULL = r"(?<!\d)\d{1,2}\s+thang\s+\d{1,2}\s*,?\s*(?:nam\s+|/\s*)\d{4}(?!\d)"
# "30 tháng 11", "31 tháng 01 năm sau" (the year after the one reported on, so a yearly cycle).
_VERB_NOYEAR = r"(?<!\d)\d{1,2}\s+thang\s+\d{1,2}(?!\s*[/\d]|\s*,?\s*nam\s+\d)(?:\s+nam\s+sau)?"
DATE_FULL = rf"(?:{_NUM_FULL}|{_VERB_FULL})"
DATE_NOYEAR = rf"(?:{_VERB_NOYEAR}|{_NUM_NOYEAR})"
DATE = rf"(?:{DATE_FULL}|{DATE_NOYEAR})"
# A day of a repeating month or quarter: "20 hằng tháng", "03 của tháng tiếp theo", "10 tháng đầu tiên hàng quý".
DAY_REC = (
    r"(?:thu\s+)?\d{1,2}\s+(?:(?:hang|moi)\s+thang|(?:cua\s+)?thang\s+(?:tiep\s+theo|sau)(?!\s*\d)"
    r"|(?:cua\s+)?thang\s+dau(?:\s+tien)?\s+(?:cua\s+)?(?:hang\s+quy|quy\s+tiep\s+theo))"
)
# "trước Thứ Tư ngày 03/12/2025", "15 giờ ngày thứ 4 hằng tuần".
WEEKDAY = r"(?:thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat)(?![\w])"
# Named days a deadline can be pinned to ("xong trước ngày Quốc khánh 02/9/2025").
EVENT = r"(?:(?:le\s+)?quoc\s+khanh|tet(?:\s+nguyen\s+dan)?|giai\s+phong\s+mien\s+nam)"
# A repetition written after a date or a time: "hằng năm", "định kỳ hàng tháng", "năm sau", "của năm báo cáo".
REC = (
    r"(?:dinh\s+ky\s+)?(?:hang|moi)\s+(?:ngay|tuan|thang|quy|nam)(?![\w])"
    r"|(?:cua\s+)?nam\s+sau|cua\s+nam(?:\s+bao\s+cao)?(?!\s*\d)|trong\s+nam(?!\s*\d)"
)
# 19h00’, 9h, 15 giờ 00’, 9 giờ 30 phút. Hours 0-23 ("trước 24 giờ" is a count, see RELATIVE); the "h" must not
# start a word ("9 học sinh").
TIME = r"(?<![\d,.])(?:[01]?\d|2[0-3])\s*(?:h|gio)(?![a-z])(?:\s*[0-5]\d(?!\d))?(?:\s*(?:phut|['’′]))?"
TIMES = rf"{TIME}(?:\s*(?:,|va|hoac|den|{_DASH})\s*{TIME})*"
# Small counts written as words (not "năm"/"sáu": they fold to "nam"/"sau", which also mean year/after).
NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "bay": 7, "tam": 8, "chin": 9, "muoi": 10, "sau": 6}
_NUM = r"(?:\d{1,3}|mot|hai|ba|bon|bay|tam|chin|muoi)"
_UNIT = r"(?:ngay|gio|tuan(?:\s+le)?|thang|quy|nam)"
_ONCE = r"(?:\s*/\s*(?:1\s+)?lan|\s*\(\s*(?:mot|1)\s+lan\s*\)|\s+(?:mot|1)\s+lan)"  # "/lần", "(một lần)", "một lần"

# A quarter, a month, the first/last N months of a year, a year. Years are optional here; a period
# without a year is only kept after a qualifier ("trong tháng 12"), see PERIOD_QUALIFIERS.
# "Quí IV-2025" (old spelling, dash) is how task tables often write it.
_QUARTER = r"qu[yi]\s+(?:iv|iii|ii|i|[1-4])(?![a-z\d])(?:\s*(?:/|-|nam)\s*\d{4}(?!\d))?"
_MONTH = r"thang\s+\d{1,2}(?:\s*(?:/|nam)\s*\d{4}(?!\d))?"
_HALF = r"(?:\d{1,2}|sau)\s+thang\s+(?:dau|cuoi)\s+nam(?:\s+\d{4}(?!\d))?"
_YEAR = r"nam\s+\d{4}(?!\d)"
PERIOD = rf"(?:{_QUARTER}|{_HALF}|{_MONTH}|{_YEAR})"

# --- Triggers --------------------------------------------------------------------------------------------------

# Words that put a limit before a date. "đến ngày" alone is a limit too; "từ ... đến ..." is RULES' range.
BEFORE = (
    r"(?:xong\s+truoc|cham\s+nhat(?:\s+(?:la|vao|truoc|den))*|han\s+(?:chot|cuoi)(?:\s+(?:la|vao))*"
    r"|khong\s+(?:muon|cham)\s+hon|truoc|den(?:\s+het)?|thoi\s+han(?:\s+hoan\s+thanh)?\s*(?::|la))"
)
# Words before a count of days/hours that make it a relative limit ("trong thời hạn 15 ngày"). A bare "sau" only
# counts days, hours or weeks: "Sau 04 tháng vận hành", "Sau 8 năm thực hiện" look back, they set no limit.
# "trước" counts only days, weeks, months or 24+ hours ("thông báo trước 24 giờ"); "trước 10 giờ" is a clock time.
_WITHIN = r"trong(?:\s+(?:thoi\s+han|vong|thoi\s+gian))?(?:\s+(?:toi\s+da|khong\s+qua))?"
RELATIVE = (
    rf"(?:{_WITHIN}|khong\s+qua|toi\s+da|cham\s+nhat(?:\s+la)?(?:\s+(?:sau|{_WITHIN}))?|khong\s+muon\s+hon"
    r"|sau(?=\s+\S+\s+(?:ngay|gio|tuan))"
    r"|truoc(?=\s+(?:\d{1,3}\s+(?:ngay|tuan|thang)|(?:2[4-9]|[3-9]\d|\d{3})\s+gio)))"
)
# Words before a clock time ("trước 19h00’", "vào lúc 15 giờ").
TIME_TRIGGER = (
    r"(?:truoc|cham\s+nhat(?:\s+(?:la|vao|truoc))*|khong\s+muon\s+hon|han\s+chot(?:\s+la)?|vao\s+luc|luc|vao)"
)

# The kind a trigger gives, first full match wins (a trigger is one of the alternatives above, spaces collapsed).
TRIGGER_KINDS: tuple[tuple[str, str], ...] = (
    (r"trong.*|khong qua|toi da", "within"),
    (r"xong truoc|truoc|cham nhat.*|han chot.*|khong (?:muon|cham) hon|den.*|thoi han.*", "before"),
    (r"sau|vao.*|luc|tu|ke tu", "on"),
)

# Qualifiers before a period, with the kind they give and which date of the period is the deadline:
# "end" its last day, "prev" the day before it starts ("trước quý IV/2025" → 30/9), "start" its first day,
# None no single day ("đầu tháng 3/2026"). The empty qualifier is a bare "Quý IV/2026" in a timeline table.
PERIOD_QUALIFIERS: tuple[tuple[str, str, str | None], ...] = (
    (r"truoc", "before", "prev"),
    (r"cham nhat(?: la)?(?: (?:trong|vao))?(?: cuoi)?", "before", "end"),
    (r"(?:den|toi)(?: het| cuoi)?|het", "before", "end"),
    (r"trong(?: ca| suot)?|ca|cuoi|vao(?: cuoi)?|ngay trong", "within", "end"),
    (r"(?:vao )?(?:dau|giua)", "within", None),
    (r"tu", "on", "start"),
    (r"", "within", "end"),
)
PERIOD_QUALIFIER = "(?:" + "|".join(p.replace(" ", r"\s+") for p, _, _ in PERIOD_QUALIFIERS if p) + ")"

# Words before a span of years that make it the time to finish in ("hoàn thành trong giai đoạn 2026 - 2027").
SPAN_TRIGGER = r"(?:hoan\s+thanh\s+)?trong|hoan\s+thanh"
# What may precede a span of years alone at the start of a time cell or line ("- Giai đoạn 2026 - 2030").
SPAN_CELL_LEAD = r"[\s\-–•+*]*"

# --- Rules -----------------------------------------------------------------------------------------------------
# (name, resolver, fixed recurrence, pattern). All rules run; overlapping matches are settled longest first,
# then in this order. Resolvers are functions in `ingestion.deadlines`; the named groups they read:
# trig (trigger words), date / date0 (a date, a range start), per / per2 (a period), n + unit (a count),
# time, rec (a repetition), span (the part to report when the pattern needs context around it).
RULES: tuple[tuple[str, str, str | None, str], ...] = (
    # "từ ngày 01/12/2025 đến ngày 15/12/2025", "Từ ngày 16 đến 31/12/2025", "từ ngày 16-22/11/2025",
    # "từ thứ Bảy ngày 30/8/2025 đến hết thứ Ba ngày 02/9/2025",
    # "Trong các ngày 08 và 09 tháng 11 năm 2025": one span, the deadline is its end.
    ("range", "range", None,
     rf"(?<![\w])(?P<trig>tu|trong(?:\s+cac)?)\s+(?:{WEEKDAY}\s*,?\s*)?(?:ngay\s+)?(?P<date0>{DATE}|\d{{1,2}})\s*"
     rf"(?:(?:den\s+)+(?:het\s+)?|{_DASH}\s*|va\s+)(?:{WEEKDAY}\s*,?\s*)?(?:ngay\s+)?(?P<date>{DATE})"
     rf"(?:\s+(?P<rec>{REC}))?"),
    # Two full dates joined by a dash, no "từ": "(02/9/1945 - 02/9/2025)", "16/4/2025 - 31/10/2025".
    ("range_bare", "range", None, rf"(?P<date0>{DATE_FULL})\s*{_DASH}\s*(?P<date>{DATE_FULL})"),
    # The core deadline: "trước ngày 30/11/2025", "chậm nhất là ngày 15 tháng 12 năm 2025", "Trước 31/8/2025",
    # "trước Thứ Tư ngày 03/12/2025", "trước ngày 20 tháng 12 hằng năm", "trước ngày 20 hằng tháng",
    # "trước ngày 01/6 và 15/11 hằng năm" (the first date is the deadline, the rest rides along).
    ("before", "dated", None,
     rf"(?<![\w])(?P<trig>{BEFORE})\s+(?:ngay\s+)?(?:{EVENT}\s+)?(?:{WEEKDAY}\s*,?\s*)?(?:ngay\s+)?"
     rf"(?P<date>{DATE}|{DAY_REC})(?:\s+va\s+(?:ngay\s+)?{DATE})*(?:\s*,?\s*(?P<rec>{REC}))?"),
    # Relative limits, kept as text: "trong thời hạn 15 ngày làm việc kể từ ngày", "sau 30 ngày",
    # "chậm nhất là 72 giờ làm việc". Not "trong 10 năm qua" (the past) nor "6 tháng đầu năm" (a period).
    ("relative", "relative", None,
     rf"(?<![\w])(?P<trig>{RELATIVE})\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})(?:\s+lam\s+viec)?"
     r"(?!\s+(?:qua|vua\s+qua|gan\s+day|truoc\s+day|dau|cuoi|tiep\s+theo)(?![\w]))"
     r"(?:\s*,?\s*ke\s+tu\s+(?:ngay|khi)(?!\s+\d))?"),
    # Clock times: "trước 19h00’ hằng ngày", "trước 9h00’ và 16h00’", "trước 15 giờ ngày thứ 4 hằng tuần",
    # "không muộn hơn 15 giờ 00’ ngày 04 tháng 12 năm 2025", "15 giờ hàng ngày". A bare "12 h" (tables,
    # dosages) needs a trigger, a date or a repetition to count.
    ("time", "time", None,
     rf"(?:(?<![\w])(?P<trig>{TIME_TRIGGER})\s+)?(?P<time>{TIMES})"
     rf"(?:\s*,?\s*(?:(?:ngay\s+)?{WEEKDAY}\s*,?\s*)?(?:ngay\s+)?(?P<date>{DATE_FULL}))?"
     rf"(?:\s*,?\s*(?:ngay\s+)?{WEEKDAY})?(?:\s*,?\s*(?P<rec>{REC}))?"),
    # Horizons: "đến năm 2030", "đến hết năm 2030", "tầm nhìn đến năm 2045": a period ending with that year.
    ("horizon", "horizon", None, r"(?<![\w])den\s+(?:het\s+)?nam\s+(?P<yr>\d{4})(?!\d)"),
    # Spans of years: "giai đoạn 2026 - 2030", "giai đoạn 05 năm 2026 – 2030", "nhiệm kỳ 2025 – 2030",
    # "từ năm 2026 đến năm 2030": a period. It is a deadline (its last day) only when written as the time to
    # finish in ("hoàn thành trong giai đoạn 2026 - 2027", or alone in a time cell); `open` marks one that
    # runs on ("… và những năm tiếp theo"). See `ingestion.deadlines._span`.
    ("span", "span", None,
     rf"(?:(?<![\w])(?P<trig>{SPAN_TRIGGER})\s+)?"
     rf"(?<![\w])(?:(?:giai\s+doan|nhiem\s+ky|thoi\s+ky)\s+(?:\d{{1,2}}\s+nam\s+)?(?:tu\s+)?(?:nam\s+)?\d{{4}}"
     rf"|tu\s+nam\s+\d{{4}})\s*(?:{_DASH}|den(?:\s+het)?)\s*(?:nam\s+)?\d{{4}}(?!\d)"
     r"(?P<open>\s*,?\s*va\s+(?:nhung|cac)\s+nam\s+(?:tiep\s+theo|sau))?"),
    # Periods as deadlines: "trong tháng 12/2025", "tháng 12/2025", "quý I/2026", "trong Quý I năm 2026",
    # "6 tháng đầu năm 2026", "trong năm 2026", "cuối năm 2025", "trước quý IV/2025", "Quý IV/2025- Quý II/2026".
    ("period", "period", None,
     rf"(?:(?<![\w])(?P<trig>{PERIOD_QUALIFIER})\s+)?(?<![\w])(?P<per>{PERIOD})"
     rf"(?:\s*(?:{_DASH}|den(?:\s+het)?)\s*(?P<per2>{PERIOD}))?(?:\s*,?\s*(?P<rec>{REC}))?"),
    # Stated repetitions: "hằng tháng", "định kỳ hằng quý", "hàng năm", "mỗi tuần".
    ("recurring", "recurring", None, r"(?<![\w])(?:dinh\s+ky\s+)?(?:hang|moi)\s+(?:ngay|tuan|thang|quy|nam)(?![\w])"),
    # Every N units: "định kỳ 6 tháng", "định kỳ 03 tháng một lần", "06 tháng/lần", "6 tháng (một lần)".
    ("every", "every", None,
     rf"(?<![\w])(?:dinh\s+ky\s+(?P<n>{_NUM}|sau)\s+(?P<unit>{_UNIT})(?:{_ONCE})?"
     rf"|(?P<n2>{_NUM}|sau)\s+(?P<unit2>{_UNIT}){_ONCE})(?![\w])"),
    # Times per unit: "định kỳ ít nhất 2 lần/năm" (twice a year is half-yearly).
    ("per_unit", "per_unit", None,
     rf"(?<![\w])(?:(?:dinh\s+ky\s+)?(?:it\s+nhat\s+)?)(?P<n>{_NUM})\s+lan\s*(?:/|trong\s+(?:mot\s+)?|moi\s+)\s*"
     rf"(?P<unit>nam|thang|quy|tuan|ngay)(?![\w])"),
    # Half-yearly reports without a year: "báo cáo 6 tháng, năm", "sơ kết 6 tháng đầu năm và cả năm".
    ("report_half", "recurring", "semiannual",
     r"(?<![\w])(?:bao\s+cao|so\s+ket)\s+(?:ket\s+qua\s+)?(?:dinh\s+ky\s+)?(?:so\s+ket\s+)?(?P<span>(?:0?6|sau)\s+thang"
     r"(?:\s+dau\s+nam)?(?:\s*(?:,|va)\s*(?:ca\s+)?nam)?)(?!\s*(?:\d|dau|cuoi))"),
    # A date on its own: "ngày 05/01/2022", "Ngày 13/9/2025,", "vào ngày 5 tháng 12 năm 2025", "| 15/12/2025 |".
    # Dropped when it is the issue date of a cited document (see DOC_REF_BEFORE).
    ("plain", "plain", None,
     rf"(?:(?<![\w])(?P<trig>vao|trong|ke\s+tu|tu)\s+)?(?:(?<![\w])ngay\s+)?(?:{WEEKDAY}\s*,?\s*(?:ngay\s+)?)?"
     rf"(?P<date>{DATE_FULL})(?:\s*,?\s*(?P<rec>{REC}))?"),
    # A yearless date that repeats: "15/11 hằng năm", "ngày 20 hằng tháng", "vào ngày 15/12 hàng năm".
    ("plain_rec", "plain", None,
     rf"(?:(?<![\w])(?P<trig>vao)\s+)?(?:(?<![\w])ngay\s+)?(?P<date>{DATE_NOYEAR})\s*,?\s*(?P<rec>{REC})"),
    ("day_rec", "plain", None, rf"(?:(?<![\w])(?P<trig>vao)\s+)?(?<![\w])ngay\s+(?P<date>{DAY_REC})"),
    # "vào ngày 15/12" without a year: still a date, the year comes from the document's date.
    ("plain_noyear", "plain", None, rf"(?<![\w])(?P<trig>vao)\s+ngay\s+(?P<date>{DATE_NOYEAR})"),
)

# --- Parsers for the captured pieces ---------------------------------------------------------------------------

# Read a captured date (searched, first hit): day, month, optional year.
DATE_PARSERS: tuple[str, ...] = (
    r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?",
    r"(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?:\s*,?\s*(?:nam\s+|/\s*)(?P<y>\d{4}))?",
)
# Read a captured period (full match, spaces collapsed): which kind of period and its numbers.
PERIOD_PARSERS: tuple[tuple[str, str], ...] = (
    ("quarter", r"qu[yi] (?P<q>iv|iii|ii|i|[1-4]) ?(?:(?:/|-|nam) ?(?P<y>\d{4}))?"),
    ("half", r"(?P<n>\d{1,2}|sau) thang (?P<side>dau|cuoi) nam(?: (?P<y>\d{4}))?"),
    ("month", r"thang (?P<m>\d{1,2}) ?(?:(?:/|nam) ?(?P<y>\d{4}))?"),
    ("year", r"nam (?P<y>\d{4})"),
)
QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Repetition words, searched in a match (first hit wins; a quarter before a month so that "tháng đầu của quý
# tiếp theo" is quarterly).
RECURRENCE: tuple[tuple[str, str], ...] = (
    (r"(?:hang|moi)\s+ngay", "daily"),
    (r"(?:hang|moi)\s+tuan", "weekly"),
    (r"(?:hang|moi)\s+quy|quy\s+tiep\s+theo", "quarterly"),
    (r"(?:hang|moi)\s+thang|thang\s+(?:tiep\s+theo|sau)", "monthly"),
    (r"(?:hang|moi)\s+nam|nam\s+sau|(?:cua|trong)\s+nam(?!\s*\d)", "annual"),
)
# "Every N units" (định kỳ 6 tháng, 06 tháng/lần) and "N times per unit" (2 lần/năm), as recurrences.
EVERY: dict[tuple[int, str], str] = {
    (1, "ngay"): "daily", (1, "tuan"): "weekly", (7, "ngay"): "weekly", (1, "thang"): "monthly",
    (3, "thang"): "quarterly", (1, "quy"): "quarterly", (6, "thang"): "semiannual", (12, "thang"): "annual",
    (1, "nam"): "annual",
}
TIMES_PER: dict[tuple[int, str], str] = {
    (1, "nam"): "annual", (2, "nam"): "semiannual", (4, "nam"): "quarterly", (12, "nam"): "monthly",
    (1, "quy"): "quarterly", (1, "thang"): "monthly", (1, "tuan"): "weekly", (1, "ngay"): "daily",
    (2, "ngay"): "daily",
}

# A repetition named just before a parenthesised deadline: "Định kỳ hằng năm (trước ngày 30 tháng 11)",
# "6 tháng (trước ngày 16/6)", "tổng kết năm (trước ngày 20/11)"; searched in the text right before the match.
REC_BEFORE: tuple[tuple[str, str], ...] = (
    (r"(?:(?:hang|moi)\s+ngay|lan\s*/\s*ngay)\s*\(\s*$", "daily"),
    (r"(?:hang|moi)\s+tuan\s*\(\s*$", "weekly"),
    (r"(?:(?:hang|moi)\s+quy|(?:0?3|ba)\s+thang)\s*\(\s*$", "quarterly"),
    (r"(?:hang|moi)\s+thang\s*\(\s*$", "monthly"),
    (r"(?:0?6|sau)\s+thang\s*\(\s*$", "semiannual"),
    (r"(?:(?:hang|moi)|(?<![\w])(?:01|mot|ket))\s+nam\s*\(\s*$", "annual"),  # not "Việt Nam ("
)

# Triggers whose folded form is ambiguous: the original must be written as one of these (lower case).
# "tư" (đầu tư năm 2025) folds like "từ"; "trồng" like "trong"; "lục" (Phụ lục 2 h...) like "lúc".
WRITTEN_AS: dict[str, tuple[str, ...]] = {"tu": ("từ",), "trong": ("trong",), "luc": ("lúc",)}

# --- Citations -------------------------------------------------------------------------------------------------

# A date is the issue date of a cited document when, in the few words before it (same sentence), one of these
# appears: "Quyết định số ...", "Số: 308/KH-UBND", or a document number (`vectorstore.analyzer.DOC_NUMBER_RE`).
DOC_REF_WINDOW = 50
DOC_REF_BEFORE = r"(?<![\w])so\s*:?\s*\d|(?<![\w])so\s+hieu\s"
# A "Căn cứ ..." clause that names a document kind is a citation even without a number
# ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;").
CITATION = r"(?<![\w])can\s+cu\s"
DOC_KINDS = (
    r"(?<![\w])(?:hien\s+phap|bo\s+luat|luat|phap\s+lenh|nghi\s+dinh|nghi\s+quyet|quyet\s+dinh|thong\s+tu"
    r"|chi\s+thi|cong\s+van|cong\s+dien|ke\s+hoach|thong\s+bao|ket\s+luan|van\s+ban|to\s+trinh|de\s+an"
    r"|chuong\s+trinh|chien\s+luoc|quy\s+che|quy\s+dinh|huong\s+dan)(?![\w])"
)
# Without a trigger ("vào", "từ"), a document kind named right before the date with no punctuation between is
# a citation too: "của Luật Giáo dục đại học ngày 19 tháng 11 năm 2018". Only kinds that are not everyday words:
# "theo quy định ngày", "pháp luật", "quyết định" (to decide), "kế hoạch" are not citations.
DOC_NAMED = (
    r"(?<![\w])(?:hien\s+phap|bo\s+luat|(?<!phap )luat|phap\s+lenh|nghi\s+dinh|nghi\s+quyet|thong\s+tu|chi\s+thi"
    r"|cong\s+van|cong\s+dien|ket\s+luan)(?![\w])[^,;:.()\[\]]{0,45}$"
)
# The document's own date line: "Hà Nội, ngày 21 tháng 11 năm 2025" at the start of a line. The place must be
# written in capitals, word by word, except these words ("Thành phố Huế"), so "Như vậy, ngày ..." is a date.
ISSUE_LINE = r"[^\S\n]*(?P<place>[^\W\d_][^\n,;:()]{1,30}),[^\S\n]*"  # the line up to the date
PLACE_LOWER_WORDS = ("pho", "tp.")
# A "Căn cứ" citation only covers dates this close after it.
CITATION_REACH = 130
# Where a citation clause starts: the last of these before the date.
CLAUSE_BREAK = r";|\.\s|\n\s*\n"
