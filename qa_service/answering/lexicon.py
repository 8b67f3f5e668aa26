"""What a Vietnamese question asks, as data: answer types and the phrasings that signal them.

Patterns are matched on the diacritic-folded question (`vectorstore.analyzer.fold`), so a
question typed without marks ("ai chu tri") reads like one typed with them. A question may carry
several types ("do ai ban hành và vào ngày nào" → issuer + issue date): every one is answered.
"""

from __future__ import annotations

from ingestion.lexicon.layout import DOCUMENT_WORDS, NUMBERED_KINDS

# (answer type, folded patterns). Order matters only for reporting; every matching type counts.
ANSWER_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("signer", (r"\b(ai|nguoi nao|vi nao|dong chi nao|lanh dao nao) (da )?ky\b", r"\bnguoi ky\b", r"\bky ten\b",
                r"\bdo ai ky\b", r"\bai la nguoi ky\b", r"\bky (van ban|ke hoach|quyet dinh|cong van|chi thi)\b")),
    ("issuer", (r"\b(do|cua) (ai|co quan nao|don vi nao|cap nao|bo nao)\b.{0,30}\b(ban hanh|phat hanh|gui)\b",
                r"\b(ai|co quan nao|don vi nao|bo nao|cap nao) (da )?(ban hanh|phat hanh)\b",
                r"\bcua (co quan|don vi|bo|cap) nao\b", r"\bco quan ban hanh\b", r"\bthuoc (co quan|don vi) nao\b")),
    ("issue_date", (r"\b(ban hanh|ky|phat hanh|ra doi) (vao )?(ngay nao|khi nao|luc nao|bao gio|thoi gian nao)\b",
                    r"\bky\b.{0,12}\b(ngay nao|khi nao)\b", r"\b(ngay nao|khi nao)\b.{0,20}\b(do ai|ai) ky\b",
                    r"\bngay ban hanh\b", r"\bngay ky\b", r"\b(ban hanh|ky) ngay\b")),
    ("doc_number", (r"\bso hieu\b", r"\b(la )?(van ban|ke hoach|quyet dinh|chi thi|cong van|nghi quyet|thong bao) so (may|nao|bao nhieu)\b",
                    r"\bky hieu\b", r"\bso may\b")),
    # "thay thế nghị định nào", "triển khai công điện nào của Thủ tướng": the answer is another document's
    # number, said after a verb of the same relation (REFERENCE_RELATIONS).
    ("reference", (r"\b(thay the|bai bo|sua doi|bo sung|trien khai|thuc hien|huong dan|quy dinh chi tiet|can cu( vao)?|"
                   r"cu the hoa|ban hanh kem theo|kem theo)( \w+){0,3} (nghi dinh|quyet dinh|thong tu|chi thi|cong dien|"
                   r"cong van|ke hoach|nghi quyet|ket luan|thong bao|luat|van ban|chuong trinh)( cua [^,?]{1,40})? "
                   r"(nao|gi|so may|so nao|so bao nhieu)\b",)),
    # "được gửi (kính gửi) tới cơ quan nào": the addressees of the "Kính gửi:" line
    # ("gửi cho ai" / "gửi về đâu" is where a report goes: a duty's field, not the document's addressees)
    ("recipients", (r"\bkinh gui\b", r"\bgui\b.{0,20}\b(toi|den) (nhung )?(co quan|don vi|ai)( nao)?\b")),
    ("author", (r"\btac gia\b", r"\bai (viet|dua tin)\b", r"\bnguoi viet\b", r"\bbut danh\b")),
    ("source", (r"\bnguon\b.{0,20}\b(nao|dau|gi)\b", r"\btrang (web|thong tin|dien tu) nao\b", r"\bwebsite\b", r"\blay tu dau\b",
                r"\btrich (tu|nguon)\b", r"\bghi nguon\b")),
    ("published", (r"\b(duoc dang|dang tai|dang bai|xuat ban|cong bo)\b.*\b(ngay nao|khi nao|luc nao|bao gio)\b", r"\bngay dang\b",
                   r"\bduoc dang\b")),
    ("summary", (r"\bnoi dung chinh\b", r"\btom tat\b", r"\b(nhung|cac) (nhiem vu|noi dung|giai phap|bien phap|viec|yeu cau|chi dao|lo trinh|muc tieu)"
                 r"(( cong viec)?(,| va) (nhiem vu|noi dung|giai phap|bien phap|viec|yeu cau|chi dao|lo trinh|muc tieu))*"
                 r"( cong viec)? (chinh|trong tam|chu yeu)\b",
                 r"\bgom nhung (nhiem vu|noi dung|phan)\b", r"\bnhung diem chinh\b", r"\bnoi dung (co )?ban\b")),
    ("actor", (r"\bai\b", r"\b(co quan|don vi|to chuc|cap|bo|so|nganh|ben|luc luong|bo phan|phong|cuc|ban|phia) nao\b",
               r"\bnhung (co quan|don vi|ai|to chuc|dia phuong|bo)\b", r"\bchu tri\b", r"\bduoc giao\b", r"\bdau moi\b",
               r"\bphoi hop voi (ai|nhung ai|co quan nao)\b", r"\bgiao cho\b", r"\bthuong truc\b.{0,30}\bla\b")),
    ("deadline", (r"\bkhi nao\b", r"\bngay nao\b", r"\bbao gio\b", r"\bthoi han\b", r"\bhan chot\b", r"\bthoi gian nao\b",
                  r"\bthoi diem nao\b", r"\bhan\b.{0,20}\bnao\b", r"\bluc nao\b", r"\bmay gio\b", r"\bthang nao\b",
                  r"\bnam nao\b", r"\btu ngay\b", r"\bden ngay\b", r"\btruoc ngay\b", r"\bcham nhat\b", r"\bquy nao\b",
                  r"\bhieu luc\b", r"\blo trinh\b", r"\bgiai doan nao\b", r"\bhan (hoan thanh|bao cao|nop)\b")),
    ("recurrence", (r"\bbao lau (mot|1) lan\b", r"\bdinh ky\b.{0,20}\b(nao|bao lau|may)\b", r"\bmay lan\b", r"\bbao lau\b",
                    r"\btan suat\b", r"\bhang (ngay|tuan|thang|quy|nam)\b.{0,20}\b(nao|gi|may)\b")),
    ("quantity", (r"\bbao nhieu\b", r"(?<!bo )(?<!nha )\bmay\b(?! (gio|moc|tinh|bay|chu|lanh|phat|in|anh))", r"\bso luong\b", r"\bty le\b", r"\bphan tram\b", r"\bmuc (ho tro|phat|thu)\b",
                  r"\btoi da\b", r"\btoi thieu\b", r"\bit nhat\b")),
    ("action", (r"\blam gi\b", r"\bnhiem vu (gi|nao)\b", r"\byeu cau (gi|nhung gi)\b", r"\bnhung gi\b", r"\bcai gi\b",
                r"\bnhu the nao\b", r"\bra sao\b", r"\bbien phap (gi|nao)\b", r"\bde nghi (gi|nhung gi)\b", r"\bviec (gi|nao)\b",
                r"\bnhung (viec|nhiem vu|noi dung|giai phap|bien phap) (gi|nao)\b", r"\bgi\b", r"\bnao\b")),
)

# How one document names another: the question's verb finds the document's own wording of the relation
# ("triển khai công điện nào" ~ "Thực hiện Công điện số 225/CĐ-TTg"). Folded; a number counts when one of
# its family's words stands in the REFERENCE_REACH characters before it.
REFERENCE_RELATIONS: tuple[tuple[str, ...], ...] = (
    ("thay the", "bai bo", "het hieu luc", "sua doi", "bo sung"),
    ("trien khai", "thuc hien", "cu the hoa", "quan triet"),
    ("huong dan", "quy dinh chi tiet"),
    ("can cu",),
    ("kem theo", "ban hanh kem theo"),
)
REFERENCE_REACH = 60

# Cardinal number words ("ba trụ cột", "hai mươi ngày"), with their marks: folded, "sáu" would be
# "sau" (after) and "năm" (five) would be "năm" (year).
NUMBER_WORDS: dict[str, int] = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
    "mười": 10, "mươi": 10, "trăm": 100, "nghìn": 1000, "ngàn": 1000,
}
# Money, share, duration and count units: a quantity answer is the number with its unit.
UNITS = (
    "%", "phan tram", "ty dong", "trieu dong", "nghin dong", "dong", "ty", "trieu", "ha", "km", "m2", "tan", "kg",
    "ngay", "ngay lam viec", "gio", "thang", "nam", "lan", "nguoi", "ho", "xa", "tinh", "don vi", "co so", "truong",
)
# Answer types that only a document's own metadata answers.
# Metadata a page that is not an official document (a news story about one) may state in its prose,
# answered there by a span of this type ("Ngày 14/2/2025, Bộ Chính trị ban hành …", "T/M Bộ Chính trị …").
PROSE_METADATA = {"issue_date": "dated", "published": "dated", "signer": "signed_by", "issuer": "actor"}
# A signer in prose is a person's name (two to four capitalised syllables, not a body) said within
# SIGNED_REACH characters of "ký".
PERSON_NAME = r"(?<!\w)(?:[A-ZĐ][a-zà-ỹđ]+\s){1,3}[A-ZĐ][a-zà-ỹđ]+(?!\w)"
SIGNED = r"\bký\b"
SIGNED_REACH = 80
# Answer types answered by a span inside a sentence (a candidate without one cannot answer them).
SPAN_TYPES = ("deadline", "recurrence", "actor", "quantity", "action", "reference", "signed_by", "dated")
METADATA_TYPES = frozenset({"signer", "issuer", "issue_date", "doc_number", "recipients", "author", "source",
                            "published"})
ABSTAIN_TEXT = "Không tìm thấy thông tin này trong các văn bản hiện có."
# "do ai ban hành và vào ngày nào": a time asked about a document's issuing is its issue date,
# unless the question also speaks of a duty's deadline.
ISSUING_WORDS = r"\b(ban hanh|ky ban hanh|duoc ky|phat hanh|ra doi|ai ky|nguoi ky)\b"
# "Ai ban hành Quy chế làm việc của UBND phường?" asks who issues an instrument the document speaks of
# (a duty), not who issued the document: these objects after "ban hành" make the issuer question an actor one.
ISSUED_INSTRUMENT = (
    r"\b(ban hanh|phat hanh) (quy che|quy dinh|huong dan|danh muc|danh sach|bo tieu chi|tieu chi|bang gia"
    r"|chuong trinh|de an|khung|bieu mau|mau|tai lieu|so tay)\b"
)
# ... or asks when a body must do the issuing: "Khi nào Thủ tướng Chính phủ cần ban hành quy định …?" is a duty's
# deadline, not the date the document was issued.
DUTY_TIME_WORDS = (
    r"\b(truoc ngay|han chot|hoan thanh|hieu luc|cham nhat|thoi han"
    r"|(can|phai|co trach nhiem|duoc giao|co nhiem vu)( \w+)? (ban hanh|phat hanh|ky ban hanh))\b"
)
# "bao nhiêu tỷ đồng / tiền / phần trăm / ngày": the unit asked for (folded) → the units (folded) a
# number in the answer must carry. A question that names another noun ("bao nhiêu thành viên")
# needs a number followed by that noun.
ASKED_UNITS: dict[str, tuple[str, ...]] = {
    "tien": ("dong", "trieu", "ty", "nghin", "usd"),
    "ty dong": ("ty",), "ty": ("ty",), "trieu dong": ("trieu", "ty"), "dong": ("dong", "trieu", "ty", "nghin"),
    "phan tram": ("%", "phan tram"), "%": ("%", "phan tram"), "ty le": ("%", "phan tram"),
    "ngay": ("ngay",), "ngay lam viec": ("ngay",), "gio": ("gio", "h"), "thang": ("thang",), "nam": ("nam",),
    "lan": ("lan",), "kg": ("kg", "tan"), "tan": ("tan", "kg"), "ha": ("ha", "hecta"), "km": ("km",),
    "nguoi": ("nguoi", "thanh vien", "can bo"), "thanh vien": ("thanh vien", "nguoi"),
    "kinh phi": ("dong", "trieu", "ty", "nghin", "usd"), "von": ("dong", "trieu", "ty", "nghin", "usd"),
}
# Words after "bao nhiêu" that name no unit ("là bao nhiêu và …", "bao nhiêu giờ" is a time of day).
NOT_A_UNIT = frozenset({"va", "con", "thi", "la", "de", "cho", "moi", "trong", "o", "tai", "doi", "voi", "so", "gio",
                        "nam", "khi", "neu", "?"})
ASKING_QUANTITY = r"\b(?:bao nhieu|may)\s+((?:[a-z%]+)(?:\s+[a-z]+)?)"
# Parts of a plan or directive that hold its substance: a summary lists their items first.
SUBSTANCE_HEADINGS = r"\b(nhiem vu|giai phap|noi dung|to chuc thuc hien|bien phap|phan cong|lo trinh|trach nhiem)\b"
# The part that says what a plan is for: a summary starts with its first point.
AIMS_HEADINGS = r"\b(muc tieu|muc dich)\b"
# Headings that are a document's frame, not its points: parts, chapters, articles, aims, tasks, organisation.
STRUCTURAL_HEADINGS = (r"^(?:[ivxlc]+[.)]|chuong\b|phan\b|muc\b|dieu\b)|" + SUBSTANCE_HEADINGS + "|" + AIMS_HEADINGS
                       + r"|\b(yeu cau|phu luc|hieu luc)\b")
# The aspects a summary question may name ("những biện pháp và lộ trình chính"): a second part is shown only
# for an aspect the question names and the first part's heading does not say ("nội dung" names none).
SUMMARY_ASPECTS = r"\b(nhiem vu|giai phap|bien phap|lo trinh|muc tieu|chi tieu|kinh phi|trach nhiem|phan cong)\b"
# The sentence that announces a document's points, at its end ("… Ủy ban nhân dân tỉnh yêu cầu:", "… tập
# trung thực hiện một số nhiệm vụ trọng tâm sau:", "… kết luận như sau:"): its points follow it.
LEAD_IN = r"\b(yeu cau|de nghi|chi dao|ket luan|giao|sau|sau day|gom|bao gom|cu the|dien)\s*:\s*$"
# Where a long lead-in's purpose clause starts ("…, và để nâng cao hiệu quả …, Ủy ban nhân dân tỉnh yêu cầu:"):
# quoted from there when the whole sentence is too long (matched on the text with its marks).
LEAD_IN_PURPOSE = r"(?:,\s+|;\s+)(?:và\s+)?(?=[Đđ]ể\s)"
# Points written in running text after a lead-in: "(i) …; (ii) …", "(1) …".
INLINE_POINT = r"\((?:[ivx]{1,5}|\d{1,2})\)\s"

# --- Questions about the task register (across all documents, not one passage) -------------------------------
# A register question asks for a list of tasks by status or by when they fall due; it is answered from the
# register (`qa_service.tasks`) when it names no document of its own.
REGISTER_STATUS: dict[str, tuple[str, ...]] = {
    "overdue": (r"\b(qua|tre|cham) han\b", r"\bda het han\b", r"\bchua hoan thanh dung han\b"),
    "due_soon": (r"\bsap (den|toi|het) han\b", r"\bden han\b.{0,20}\b(sap toi|trong \d+ ngay toi|30 ngay toi)\b",
                 r"\b(\d+|30) ngay (toi|sap toi)\b"),
}
# "những nhiệm vụ gì", "việc nào", "các việc phải hoàn thành": the question wants a list of tasks.
REGISTER_LIST = (r"\b(nhung|cac) (nhiem vu|viec|cong viec)\b", r"\b(nhiem vu|viec|cong viec) (gi|nao)\b",
                 r"\bphai (hoan thanh|lam|thuc hien)\b.{0,40}\b(gi|nao)\b")
# "... phải hoàn thành trong tháng 12/2025", "đến hạn trong quý I/2026": a period the deadline falls in.
REGISTER_DUE_WORDS = r"\b(hoan thanh|den han|het han|han chot|co han|phai xong|phai nop|bao cao)\b"
# Relative periods ("tháng này", "tuần sau"): (folded pattern, unit, offset from the current one).
REGISTER_RELATIVE_PERIODS: tuple[tuple[str, str, int], ...] = (
    (r"\bthang (nay|hien tai)\b", "month", 0), (r"\bthang (toi|sau|ke tiep)\b", "month", 1),
    (r"\bquy (nay|hien tai)\b", "quarter", 0), (r"\bquy (toi|sau)\b", "quarter", 1),
    (r"\bnam (nay|hien tai)\b", "year", 0), (r"\bnam (toi|sau)\b", "year", 1),
    (r"\btuan (nay|hien tai)\b", "week", 0), (r"\btuan (toi|sau)\b", "week", 1),
)
# The role a register question asks about ("việc nào Sở Nội vụ chủ trì", "... phối hợp").
REGISTER_ROLES: tuple[tuple[str, str], ...] = ((r"\bchu tri\b", "lead"), (r"\bphoi hop\b", "support"))
REGISTER_MAX_LISTED = 10
# A question about one document ("Kế hoạch của UBND thành phố … giao cơ quan nào …") is not a register question
# even without a number: the passage pipeline finds that document. Kinds that are also everyday verbs or
# nouns in a question ("báo cáo", "thông báo", "hướng dẫn", "quy định", "lịch") do not count.
REGISTER_NOT_A_DOCUMENT_KIND = frozenset({
    "Thông báo", "Báo cáo", "Hướng dẫn", "Lịch", "Kết luận", "Chương trình", "Quy định", "Danh mục", "Phụ lục",
    "Lệnh", "Tờ trình", "Giấy mời", "Biên bản", "Chiến lược", "Quy hoạch", "Quy chế",
})

# A dated task record naming the asked body, in a sentence that (with its headings) says this share of the
# question's action words (IDF-weighted; the body's name and the "trước ngày nào" frame left out), answers
# "Sở X phải … trước ngày nào?" even when the question names no document. Swept 0.60–0.75 on the tuning
# files: 0.60 and 0.65 tie in answers (0.70 loses four); the lower keeps a question whose words cross a
# clause boundary ("hoàn thành làm sạch …" against "làm sạch …, hoàn thành trước …", 0.64).
ASSIGNED_TASK_COVERAGE = 0.6
ASSIGNED_TASK_TYPES = frozenset({"deadline", "recurrence"})
ASSIGNED_TASK_ROLES = frozenset({"lead", "assignee"})  # the doers; a supporter's part may differ
# Right before a body the question names (folded): it receives, helps or is acted on, it does not do the
# asked task ("gửi kết quả về Bộ Công an", "báo cáo cho Sở Tài chính", "quy định chi tiết về Quỹ …").
NOT_ASKED_DOER_BEFORE = (
    r"\b(?:ve|cho|toi|den|gui|voi|phoi hop|nop|trinh|bao cao|tham muu|huong dan|ho tro)\s*(?:cac\s+)?$"
    # the issuer of the document the question reads from ("Theo Chỉ thị số 45-CT/TW của Bộ Chính trị, …")
    r"|\btheo\b[^,]{0,60}\d[\w/.-]*\s+cua\s*$"
)
NOT_ASKED_DOER_VERB_REACH = 12  # an action verb this close before the body makes it the verb's object

# A question names a document by a kind and a number ("Kế hoạch 308", "Quyết định số 2623", "văn bản số
# 12"): the kinds a text cites by number (the same list ingestion reads references with), "Kết luận"
# ("Kết luận 123"), and the generic "văn bản". Without "số", a number followed by a unit is a length,
# not a document's number ("báo cáo 6 tháng", "kế hoạch 5 năm"; "Quyết định số 2623 ngày …" names one).
QUESTION_DOC_KINDS = (*NUMBERED_KINDS, "Kết luận", DOCUMENT_WORDS[0])
# "Chỉ thị 26/CT-TTg … của Thủ tướng", "Công điện 96/CĐ-BXD của Bộ Xây dựng": a body right after "của"
# following the named document is its author, not a body the question asks about (folded, before the body).
ISSUER_BEFORE = r"\d[\w/.-]*\b[^?]{0,80}\bcua\s*$"
NOT_A_DOC_NUMBER_AFTER = r"(?:(?:thang|nam|tuan|quy|gio|phut|lan|nguoi|ty|trieu)\b|%)"
