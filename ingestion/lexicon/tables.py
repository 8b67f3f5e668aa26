"""Task tables of plans and decisions ("DANH MỤC NHIỆM VỤ", "PHÂN CÔNG NHIỆM VỤ" in a Phụ lục).

Copied from PDF or DOCX, such a table arrives one cell per line (a long cell wrapped over several
lines): "TT / Nội dung / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian hoàn thành / 1 / Xây dựng …".
The header's cells say what each column holds. Patterns are matched on the folded, lower-case cell
(`vectorstore.analyzer.fold`), whole cell, after footnote marks ("[1]", "(2)") are dropped.
"""

from __future__ import annotations

# Column kinds, first match wins: "no" (row number), "action" (what is to be done), "lead" (chủ trì),
# "support" (phối hợp), "time" (deadline), "other" (result, product, funds, notes: kept as cells,
# read by nobody). A table is a task table when it has an action and a lead column.
HEADER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", r"s\.?\s?tt|tt|so tt|so thu tu"),
    ("support", r"(?:co quan|don vi|cac co quan|cac don vi)?\s*phoi hop(?: thuc hien)?"),
    # "Cơ quan thực hiện" over "Chủ trì | Phối hợp" is a spanning group cell (see the reader).
    ("lead", r"(?:co quan|don vi|cac co quan|cac don vi)?\s*(?:chu tri|thuc hien|chiu trach nhiem|duoc giao)"
             r"(?: thuc hien| chinh| tham muu)?|trach nhiem(?: thuc hien)?|co quan(?:, don vi)? thuc hien"),
    ("time", r"(?:thoi gian|thoi han|tien do|moc thoi gian)(?: (?:du kien )?(?:hoan thanh|thuc hien|trien khai|trinh"
             r"|ban hanh|bao cao))*|thoi gian"),
    ("action", r"(?:ten |noi dung )?(?:nhiem vu|noi dung|de an|du an|cong viec|hoat dong|giai phap|chuong trinh)"
               r"(?:\s*[,/]\s*(?:nhiem vu|giai phap|du an|de an|cong viec|hoat dong|chuong trinh))*"
               r"(?: (?:trong tam|chu yeu|cu the|uu tien|can thuc hien|thuc hien|cong viec))*"
               r"|ten (?:nhiem vu|de an|du an)(?: uu tien)?(?:\s*/\s*\w+)*"),
    ("other", r"(?:san pham|ket qua|ghi chu|kinh phi|nguon kinh phi|nguon von|chi tieu|van ban giao nhiem vu"
              r"|tinh trang|nguon luc(?: thuc hien)?|thuoc nhom nhiem vu, hanh dong|hinh thuc|dia diem"
              r"|muc tieu|yeu cau|don vi tinh|don vi)(?: (?:du kien|dau ra|thuc hien|dat duoc|can dat|chu yeu))*"),
)
# Footnote marks and numbering in a header cell: dropped before matching.
HEADER_NOISE = r"\[\d+\]|\(\d+\)|\*"
# A line that opens a row: its number alone ("1", "1.", "I", "II.", "A.", "I.1", "a)"), or a group
# row's number with its title on the same line ("II. HOÀN THIỆN CƠ CHẾ …", "I. Kinh tế số").
ROW_NUMBER = (
    r"^(?:(?P<num>\d{1,3})\.?|(?P<roman>[IVXLC]{1,5})\.?|(?P<upper>[A-ZĐ])\.|(?P<sub>(?:[IVXLC]+|\d{1,2})(?:\.\d{1,2})+)\.?"
    r"|(?P<alpha>[a-zđ])\))$"
)
GROUP_INLINE = r"^(?P<roman>[IVXLC]{1,5})\.\s+\S|^(?P<upper>[A-ZĐ])\.\s+\S|^(?P<sub>(?:[IVXLC]+|\d{1,2})(?:\.\d{1,2})+)\.?\s+[A-ZĐÀ-Ỹ]"
# Lettered rows run in the Vietnamese alphabet (no f, j, w, z; "đ" after "d", sometimes skipped) or
# the Latin one.
LETTER_ORDERS = ("abcdđeghiklmnopqrstuvxy", "abcdefghijklmnopqrstuvwxyz")
# A cell line ending in these words (folded) goes on in the next line ("Bộ Khoa học và\nCông nghệ").
CELL_JOINERS = r"(?:,|;|-|–|\bgiai doan|\b(?:truoc|trong|den|tu|cuoi|dau) (?:ngay|thang|nam|quy)|\bbo|\bso|\buy ban|\bva|\bcua|\bvoi|\bcac|\bcho|\bve|\btai|\btheo|\bdu|\bcap|\bnganh|\bdia|\bthe)$"
# Time cells with no date that still fill the column ("Thường xuyên", "Hằng năm", "Theo kế hoạch"). A
# calendar word counts only with what makes it a time ("Năm 2026", "Quý IV", "Trong tháng 12"), not as
# the first word of a cell that happens to fold alike ("Nam cho …" of "Việt / Nam", "Quy chế", "Đầu tư",
# "Trồng cây").
_UNIT = r"(?:nam|quy|qui|thang|tuan|ngay|giai doan|\d)"
TIME_WORDS = (
    r"^(?:(?:thuc hien|trien khai|hoan thanh|duy tri)\s+)?(?:thuong xuyen|lien tuc|hang nam|hang quy|hang thang|dinh ky|kip thoi|ngay sau khi|sau khi|theo (?:ke hoach"
    r"|tien do|yeu cau|chi dao|lo trinh)|tu nam|giai doan|\d{4}(?![\s\d–-]*(?:duoc|da|la|co|se)\b)"
    rf"|(?:nam|thang|ngay|tuan) \d|(?:quy|qui) (?:[ivx]+\b|\d)|(?:truoc|trong|den|dau|cuoi|giua) (?:het )?{_UNIT})"
)
# A time column's cell opens with its time, a verb of doing at most before it ("Thực hiện thường xuyên", "Hoàn thành
# trong năm 2026"); a year followed by "được", "đã" … is the subject of a sentence wrapped from the line before
# ("… giai đoạn / 2026 - 2030 được phê duyệt"), not a time.
# A span of years named late in a sentence ("Tiếp tục triển khai Đề án … cho giai đoạn 2026 - 2030.") says what
# period an action covers: only this many words may stand before such a span in a time cell ("Hoàn thành đầu tư
# giai đoạn 2026 - 2027").
PERIOD_CELL_LEAD_WORDS = 6
# A bullet opens an item of a list (actions, results), not a time: a bulleted cell is a time only when
# the bullet's own words are.
CELL_BULLET = r"^[-–•+*]\s*"
# Lines that end any table: the next part of the document.
TABLE_STOP = r"^(?:phu luc|noi nhan|kinh gui|tm\.|kt\.|tl\.|q\.|ghi chu\s*:|chu thich\s*:)"
# A numbered heading with its title on the line, where the table's rows are numbered alone: the
# document's next part ("2. Các nhiệm vụ về chuyển đổi số quá hạn …").
NEXT_PART = r"^(?:\d{1,2}|[IVXLC]{1,5})\.\s+[A-ZĐÀ-Ỹ]"
