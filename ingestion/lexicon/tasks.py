"""How official documents assign work: the words around a body that say its role in a task.

All patterns are matched on the diacritic-folded, lower-case text (`vectorstore.analyzer.fold`),
with offsets unchanged (folding keeps one character for one). They follow the conventions of
Vietnamese administrative writing (Nghị định 30/2020/NĐ-CP style Kế hoạch, Chỉ thị, Công điện,
Thông báo kết luận): the doer is the subject of the task sentence, the body "giao"'d the task, the
body a heading addresses ("2. Sở Tài chính:"), or the body a field line names ("Cơ quan chủ trì: …").
"""

from __future__ import annotations

# Right after a body (or a list of bodies): it leads ("Sở Tài chính chủ trì, phối hợp …", "Sở Y tế
# có trách nhiệm …", "UBND các xã theo chức năng, nhiệm vụ được giao chủ động …").
# Right after a body: it asks or assigns ("UBND tỉnh đề nghị các Bộ: …", "Bộ Xây dựng giao Cục …"): the
# request's author, not a doer of what it asks (the bodies after the verb are). "Chỉ đạo" only as a lead-in
# ("Chủ tịch UBND tỉnh chỉ đạo:"): "Bộ Xây dựng chỉ đạo Sở Xây dựng nghiên cứu …" gives the ministry the duty
# of seeing it done (the gold lists' convention: the directed bodies are no actors, the director leads).
# "giao kế hoạch / dự toán / chỉ tiêu" allocates (its author does it), "giao Cục X …" assigns.
REQUESTER_AFTER = (
    r"^\s*(?:(?:da|tiep tuc|dong thoi)\s+)?(?:yeu cau|de nghi|chi dao(?=\s*(?:nhu sau\s*)?:)|kien nghi|phan cong|uy quyen"
    r"|giao(?!\s+(?:chi tiet\s+)?(?:ke hoach|du toan|chi tieu|von|kinh phi|bien che)))\b"
)
LEAD_AFTER = (
    r"^\s*[,:]?\s*(?:la co quan |la don vi |la dau moi )?(?:chu tri|tham muu|duoc giao|duoc phan cong"
    r"|chiu trach nhiem|co trach nhiem|co nhiem vu|phai\b)"
)
# Right before a body: it is given the task ("Giao Sở Y tế …", "phân công cho …").
LEAD_BEFORE = r"(?:\bgiao(?: cho)?|\bgiao nhiem vu cho|\bphan cong(?: cho)?|\buy quyen(?: cho)?)\s*(?:cac\s+)?$"
# "Đối với Liên hiệp …, bám sát …": a body named as its clause's topic does what the clause says
# (matched on the whole text before the body, so only at the start of a clause).
TOPIC_LEAD_BEFORE = r"(?:^|[;:.]\s*)(?:[-+•]\s*)?(?:\d{1,2}[.)]\s*)?(?:rieng\s+)?doi voi\s*(?:cac\s+)?$"
# Right before a body: the task is addressed by request only ("Đề nghị X …", "Yêu cầu X …"); the
# gold convention calls such a body an assignee unless the text says it leads ("chủ trì").
# A letter asking its own addressees by the honorific "Quý" ("đề nghị Quý Ủy ban gửi báo cáo …", "rất mong
# Quý cơ quan"): the "Kính gửi:" bodies do it (folded text).
HONORIFIC_REQUEST = (
    r"\b(?:de nghi|yeu cau|kinh mong|rat mong|mong)\s+quy\s+"
    r"(?:uy\s+ban|co\s+quan|don\s+vi|bo|so|to\s+chuc|doanh\s+nghiep|dia\s+phuong|ban)\b"
)
ASSIGNEE_BEFORE = r"(?:\bde nghi|\byeu cau|\bkien nghi)\s*(?:cac\s+)?$"
# Right before a body: it supports. "phối hợp (chặt chẽ) (với)", "cùng (với)", "với sự phối hợp
# của", "hỗ trợ"; one unrecognised item may stand in the list before it ("phối hợp các lực lượng
# và UBND các xã" - the second is a supporter too).
SUPPORT_BEFORE = (
    r"(?:\bphoi hop(?: chat che)?(?: voi)?|\bcung(?: voi)?|\bvoi su phoi hop cua|\bho tro)"
    r"(?:\s+[^,.;:()§]{1,40}?\s*(?:,|\bva\b))?\s*(?:cac\s+)?$"
)
# Right before a body: the body receives a report, advice or instructions; it does not act here
# ("báo cáo Sở Nội vụ", "giúp Chủ tịch UBND tỉnh", "chỉ đạo các đơn vị", "của Sở Tư pháp").
OBJECT_BEFORE = (
    r"(?:\bbao cao(?: ket qua)?(?: [^,;.]{0,60})?\s+(?:ve|cho|gui|len)|\bbao cao|\bgui(?: ve)?|\btrinh|\btham muu(?: cho)?"
    r"|\bgiup|\bphan anh(?: ve)?|\bxin y kien|\bde xuat|\bcung cap cho"
    r"|\bqua|\bden|\btai|\bvoi|\bcho|\bve|\bthuoc|\btruoc)\s*(?:cac\s+)?$"
)
# Directing and belonging words keep the bodies of the whole list after them as objects, even when
# the list starts with an unrecognised item ("chỉ đạo phòng chuyên môn, các cơ quan có liên quan …",
# "thực hiện chỉ đạo của Đảng, Chính phủ …").
DIRECTED_BEFORE = (
    r"(?:\bchi dao|\bhuong dan|\bdon doc|\bkiem tra|\bcua|\btheo)"
    r"(?:\s+[^,.;:()§]{1,40}?\s*(?:,|\bva\b))?\s*(?:cac\s+)?$"
)
# A time adverbial opens the clause, then the body: its subject, whatever the verb ("Trước ngày 15 tháng 7 hằng
# năm, cơ quan chủ quản gửi …", "Định kỳ hằng quý, Sở Tài chính tổng hợp …"); matched on what precedes the
# body in its piece (list marker removed).
TIME_LEAD_BEFORE = (
    r"^\W*(?:truoc|cham nhat|dinh ky|hang (?:nam|quy|thang|tuan)|trong (?:thoi han|vong|thang|quy|nam)"
    r"|sau khi|ke tu|den (?:het )?(?:ngay|thang|nam))\b[^;:§]{0,70},\s*(?:cac\s+)?$"
)
# An opening phrase that names a body in passing ("Căn cứ hướng dẫn của Bộ Tài chính, cơ quan chủ quản có trách
# nhiệm: …", "Trên cơ sở đề xuất của Sở Nội vụ, UBND cấp xã rà soát …"): the body after its comma starts the
# clause (its subject), not the list of the body before it. Matched on the folded text before that body.
OPENING_PHRASE = (
    r"^\W*(?:(?:[a-zd]|\d{1,3})[.)]\s*)?(?:can cu|tren co so|theo de nghi|theo huong dan|sau khi|de(?!\s+(?:nghi|xuat|an|ra)\b))\b[^;:]{0,160},\s*$"
)
# A body is the subject when it starts its clause: at the line start (after a list marker), after
# ";" or "." or ":", or after a linking word ("Đồng thời, các sở …", "Trong đó, UBND …").
CLAUSE_START = (
    r"(?:^|[;:.]\s*|,\s*(?:dong thoi|trong do|ngoai ra|rieng|sau do|tiep theo)?,?\s*"
    r"|\b(?:dong thoi|trong do|ngoai ra|rieng|sau do|thi|tiep do),?\s*)(?:cac\s+)?$"
)
# After these the body is where a report or a feedback goes ("báo cáo kết quả về Sở Nội vụ",
# "phản ánh về Ủy ban nhân dân tỉnh (qua Sở Khoa học và Công nghệ)").
REPORT_TO = (
    r"\b(?:bao cao|gui (?:ket qua|bao cao|van ban)|phan anh|phan hoi)\b[^.;]{0,80}?\b(?:ve|cho|gui|len|toi)\s+(?:cho\s+)?",
    r"\bbao cao\s+",  # "báo cáo Thủ tướng Chính phủ" (no "về")
)
# A sentence stating a timed reporting duty is a task of its own even inside a bullet (gold
# convention: "xây dựng Kế hoạch … xong trong tháng 12" and "Định kỳ báo cáo … trước ngày 15/11").
REPORT_DUTY = r"^\W*(?:[^,.;]{0,60}?\s)?bao cao\b"
# Joins a list of bodies ("Sở Tài chính, Sở Nội vụ và UBND các xã").
LIST_JOINER = r"^\s*(?:,|;|va|cung|hoac|,\s*va)?\s*(?:cac\s+)?$"
# Verbs of a task: a sentence (or its part after the doers) containing one states a duty.
ACTION_VERBS = (
    "chu tri", "phoi hop", "tham muu", "thuc hien", "trien khai", "to chuc", "xay dung", "ra soat", "kiem tra",
    "huong dan", "theo doi", "bao cao", "tong hop", "bo tri", "dam bao", "bao dam", "chi dao", "chu dong",
    "tang cuong", "day manh", "tap trung", "khan truong", "nghien cuu", "de xuat", "hoan thanh", "hoan thien",
    "ban hanh", "cap nhat", "tuyen truyen", "quan triet", "phat huy", "nang cao", "huy dong", "cung cap",
    "giam sat", "thanh tra", "xu ly", "phan bo", "bo sung", "dieu chinh", "don doc", "sap xep", "quan ly",
    "co trach nhiem", "chiu trach nhiem", "can cu", "lam viec", "phan cong", "xac dinh", "thong tin", "dang tai",
    "thuc thi", "uu tien", "giai quyet", "cap phat", "van dong", "tiep nhan", "duy tri", "lap", "trinh",
    "gui", "tham gia", "khan cap", "quyet liet", "nghiem tuc", "tiep tuc", "lanh dao", "phoi", "ra quan",
    # assessing, drafting, publishing and caring duties of Chỉ thị and Nghị định articles
    "danh gia", "xem xet", "tham dinh", "cong bo", "cong khai", "bien soan", "tap huan", "boi duong",
    "quan tam", "dang ky", "tuan thu", "lam chu dau tu", "su dung", "so ket", "tong ket", "phan anh",
    "chuan bi", "van chuyen", "dam nhan", "phe duyet", "tra loi", "khac phuc", "ho tro", "ung dung",
)
# Words that mark a statement about the past or a fact, not a task ("Sở Y tế đã cấp …").
NOT_A_TASK = (
    r"^\s*(?:da|dang|vua|duoc ghi nhan|gom|co quyen|la(?! co quan| don vi| dau moi)|co(?! trach nhiem| nhiem vu))\b"
)
# Parts that state aims, grounds or results: nothing there is assigned (their lines describe).
NON_TASK_SECTIONS = (
    r"^\W*(?:[ivxlc]+|\d{1,3}|[a-z])?[.)]?\s*(?:muc dich|muc tieu|yeu cau chung|yeu cau|can cu|tinh hinh"
    r"|ket qua dat duoc|ket qua thuc hien|danh gia (?:tinh hinh|ket qua|chung))\b"
)
# Parts on scope and beneficiaries: only a sentence naming its own doer assigns there
# ("UBND xã, phường thực hiện trực ban …" inside "III. PHẠM VI, ĐỐI TƯỢNG, … PHƯƠNG ÁN HỖ TRỢ").
DESCRIPTIVE_SECTIONS = r"\b(?:pham vi|doi tuong|nhu cau|dieu khoan thi hanh)\b"
# Plans often list each task's actors and timing as fields under it ("Đơn vị chủ trì thực hiện:
# Sở Nội vụ." / "+ Cơ quan phối hợp: …" / "- Thời gian thực hiện: năm 2026"). Folded, at line start,
# after a bullet or a letter ("b) Cơ quan thực hiện:" opens a block of "- Đơn vị chủ trì: …" lines).
FIELD_LEAD = (
    r"^(?:[-+*•\s]|[a-zd]\)\s)*(?:co quan|don vi|chu tri)(?: duoc giao)?(?: chu tri| thuc hien| chiu trach nhiem| tham muu)*"
    r"(?: thuc hien)?\s*:\s*"
)
FIELD_SUPPORT = r"^(?:[-+*•\s]|[a-zd]\)\s)*(?:co quan|don vi)(?: phoi hop)(?: thuc hien)?\s*:\s*"
FIELD_TIME = r"^(?:[-+*•\s]|[a-zd]\)\s)*(?:thoi gian|thoi han|tien do)(?: thuc hien| hoan thanh| trinh| bao cao| ban hanh)*\s*:\s*"
# "Nội dung: …", "Sản phẩm: …", "Kết quả: …": they describe the item, as part of its field block.
FIELD_CONTENT = r"^(?:[-+*•\s]|[a-zd]\)\s)*(?:noi dung|nhiem vu|san pham|ket qua|hinh thuc|kinh phi|yeu cau)(?: thuc hien| dau ra)?\s*:\s*"
# A time field that is only a year or a closed run of years ("năm 2026 - 2027", "2025") is done
# by the end of its last year (the plan's "completion time" column).
FIELD_YEARS = r"^\s*(?:nam\s+)?(?:(20\d\d)\s*[-–]\s*)?(20\d\d)\s*\.?\s*$"
# A heading that addresses bodies ("2. Sở Tài chính:", "Đề nghị Ủy ban Mặt trận Tổ quốc …") gives
# every bullet under it to them; a heading that names bodies only in passing does not.
# Articles of a Nghị định / Thông tư count too: "Điều 16. Trách nhiệm của Sở Tài chính".
HEADING_ADDRESS = (
    r"^\s*(?:[-+*•]|(?:[ivxlc]+|\d{1,3}(?:\.\d{1,2})*|[a-zd])[.)]|dieu\s+\d{1,3}[a-z]?\s*[.:])?\s*"
    r"(?:de nghi|giao|yeu cau|doi voi|rieng|trach nhiem cua|nhiem vu cua|nhiem vu(?:,| va) quyen han cua)?\s*(?:cac\s+)?$"
)
# Request wording in an addressing heading: the bodies under it are assignees.
HEADING_REQUEST = r"^\s*(?:[-+*•]|(?:[ivxlc]+|\d{1,3}(?:\.\d{1,2})*|[a-zd])[.)])?\s*(?:de nghi|yeu cau|kien nghi)\b"
# A bullet starting with these words leads even under a request heading ("Đề nghị X:" / "- Chủ trì …").
LEADS_ITSELF = r"^\s*(?:chu tri|la co quan thuong truc|thuc hien vai tro)\b"
# Closing formulas that name bodies but assign nothing ("Văn phòng Chính phủ thông báo để các cơ
# quan liên quan biết, thực hiện./.", "Trên đây là Chỉ thị về …"). Folded, anywhere in the paragraph.
CLOSING_FORMULAS = (
    r"\bthong bao (?:de|cho) .{0,80}\bbiet\b|^\s*tren day la\b|\bde (?:cac .{0,40})?biet,? (?:thuc hien|phoi hop)"
    r"|\btran trong cam on\b"  # "Bộ Tài chính trân trọng cảm ơn sự phối hợp của Quý Ủy ban"
)
