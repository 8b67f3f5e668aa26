"""How official documents assign work: the words around a body that say its role in a task.

All patterns are matched on the diacritic-folded, lower-case text (`vectorstore.analyzer.fold`),
with offsets unchanged (folding keeps one character for one).
"""

from __future__ import annotations

# Right after a body (or a list of bodies): it leads ("Sở Tài chính chủ trì, phối hợp …").
LEAD_AFTER = r"^\s*[,:]?\s*(?:la co quan |la don vi )?(?:chu tri|tham muu|duoc giao|chiu trach nhiem chinh)\b"
# Right before a body: it is given the task ("Giao Sở Y tế …", "Yêu cầu …", "Đề nghị …").
LEAD_BEFORE = r"(?:\bgiao(?: cho)?|\bgiao nhiem vu cho|\bphan cong(?: cho)?)\s*$"
ASSIGNEE_BEFORE = (
    r"(?:\byeu cau|\bde nghi|\bchi dao|\bdoi voi|\brieng|\bnghiem tuc|\bcac|\btrong do,?|\bgiao)\s*$"
)
# Right before a body: it supports ("… phối hợp với Sở Nội vụ", "cùng Công an tỉnh").
SUPPORT_BEFORE = r"(?:\bphoi hop(?: chat che)?(?: voi)?|\bcung(?: voi)?|\bvoi su phoi hop cua|\bho tro)\s*(?:cac\s+)?$"
# Right before a body: the body receives a report or advice, it does not act.
OBJECT_BEFORE = (
    r"(?:\bbao cao(?: ket qua)?(?: [^,;.]{0,60})?\s+(?:ve|cho|gui|len)|\bgui(?: ve)?|\btrinh|\btham muu(?: cho)?"
    r"|\bqua|\bcua|\btheo|\bden|\btai|\bvoi|\bcho|\bve|\bthuoc|\bva)\s*(?:cac\s+)?$"
)
# After these the body is where a report goes ("báo cáo kết quả về Sở Nội vụ").
REPORT_TO = r"\bbao cao\b[^.;]{0,80}?\b(?:ve|cho|gui|len)\s+(?:cho\s+)?"
# Joins a list of bodies ("Sở Tài chính, Sở Nội vụ và UBND các xã").
LIST_JOINER = r"^\s*(?:,|;|va|cung|hoac)?\s*(?:cac\s+)?$"
# A body at the start of a line is its subject when one of these follows (the action starts).
ACTION_VERBS = (
    "chu tri", "phoi hop", "tham muu", "thuc hien", "trien khai", "to chuc", "xay dung", "ra soat", "kiem tra",
    "huong dan", "theo doi", "bao cao", "tong hop", "bo tri", "dam bao", "bao dam", "chi dao", "chu dong",
    "tang cuong", "day manh", "tap trung", "khan truong", "nghien cuu", "de xuat", "hoan thanh", "hoan thien",
    "ban hanh", "cap nhat", "tuyen truyen", "quan triet", "phat huy", "nang cao", "huy dong", "cung cap",
    "giam sat", "thanh tra", "xu ly", "phan bo", "bo sung", "dieu chinh", "don doc", "sap xep", "quan ly",
    "co trach nhiem", "chiu trach nhiem", "can cu", "lam viec", "phan cong", "xac dinh", "thong tin", "dang tai",
    "thuc thi", "uu tien", "giai quyet", "cap phat", "van dong", "tiep nhan", "duy tri", "lap", "trinh",
    "gui", "tham gia", "khan cap", "quyet liet", "nghiem tuc", "tiep tuc", "lanh dao", "phoi", "ra quan",
)
# Words that mark a statement about the past or a fact, not a task ("Sở Y tế đã cấp …").
NOT_A_TASK = r"^\s*(?:da|dang|vua|duoc ghi nhan|la|co|gom)\b"
# Headings of parts that state aims, grounds or results: their sentences are not assignments.
NON_TASK_SECTIONS = r"\b(?:muc dich|muc tieu|yeu cau chung|can cu|tinh hinh|ket qua dat duoc|danh gia|pham vi|doi tuong)\b"
# Plans often list each task's actors and timing as fields under it ("Đơn vị chủ trì thực hiện:
# Sở Nội vụ." / "+ Cơ quan phối hợp: …" / "- Thời gian thực hiện: năm 2026"). Folded, at line start.
FIELD_LEAD = r"^[-+*•\s]*(?:co quan|don vi|chu tri)(?: chu tri| thuc hien| chiu trach nhiem)*(?: thuc hien)?\s*:\s*"
FIELD_SUPPORT = r"^[-+*•\s]*(?:co quan|don vi)(?: phoi hop)(?: thuc hien)?\s*:\s*"
FIELD_TIME = r"^[-+*•\s]*(?:thoi gian|thoi han|tien do)(?: thuc hien| hoan thanh| trinh| bao cao)*\s*:\s*"
# A heading that addresses bodies ("2. Sở Tài chính:", "Đề nghị Ủy ban Mặt trận Tổ quốc …") gives
# every bullet under it to them; a heading that names bodies only in passing does not.
HEADING_ADDRESS = r"^\s*(?:[-+*•]|(?:[ivxlc]+|\d{1,3}(?:\.\d{1,2})*|[a-zd])[.)])?\s*(?:de nghi|giao|yeu cau|doi voi|rieng|trach nhiem cua)?\s*(?:cac\s+)?$"
