"""What a question asks: its type, its content words, and the entities the answer must contain.

Everything is matched on the diacritic-folded form, so `ai co trach nhiem` reads like
`ai có trách nhiệm`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_service.answering.lexicon import ISSUED_INSTRUMENT
from qa_service.synonyms import rewrite
from vectorstore.analyzer import DOC_NUMBER_RE, analyze, fold, normalize

# (type, folded patterns) in priority order: the first that matches wins.
_TYPES: list[tuple[str, tuple[str, ...]]] = [
    ("author", (r"\btac gia\b", r"\bai (viet|dua tin)\b", r"\bnguoi viet\b", r"\bbut danh\b", r"\bai la nguoi viet\b")),
    ("source", (r"\bnguon\b", r"\btrang (web|thong tin|dien tu) nao\b", r"\bwebsite\b", r"\blay tu dau\b", r"\btrich tu\b")),
    ("published", (r"\b(dang|dang tai|xuat ban|cong bo)\b.*\b(ngay nao|khi nao|luc nao|bao gio|thoi gian nao|hom nao)\b",
                   r"\bngay dang\b", r"\bduoc dang\b")),
    ("issuer", (r"\b(do|cua) (ai|co quan nao|don vi nao|cap nao)\b.*\b(ban hanh|ky)\b", r"\bai (ban hanh|ky)\b",
                r"\b(co quan|don vi|cap) nao (ban hanh|ky)\b", r"\b(cua|thuoc) (co quan|don vi|cap) nao\b",
                r"\bai ky\b")),
    ("deadline", (r"\bkhi nao\b", r"\bngay nao\b", r"\bbao gio\b", r"\bthoi han\b", r"\bhan chot\b", r"\bthoi gian nao\b",
                  r"\bnam nao\b", r"\bnhiem ky\b", r"\bgiai doan nao\b", r"\bthoi diem nao\b", r"\bhan\b.*\bnao\b",
                  r"\bbao lau\b", r"\bdinh ky\b", r"\bhang nam\b", r"\bhang nam\b", r"\bluc nao\b", r"\btu ngay\b", r"\bngay thang\b")),
    ("number", (r"\bso hieu\b", r"\bso (may|bao nhieu|nao)\b", r"\bma so\b", r"\bky hieu\b")),
    ("responsibility", (r"\bai\b", r"\bco quan nao\b", r"\bdon vi nao\b", r"\bto chuc nao\b", r"\bcap nao\b",
                        r"\bnhung (co quan|don vi|ai|to chuc)\b", r"\bbo phan nao\b", r"\btrach nhiem\b", r"\bduoc giao\b",
                        r"\bchu tri\b", r"\bben nao\b", r"\bnoi nao\b")),
    ("action", (r"\blam gi\b", r"\bnhiem vu (gi|nao)\b", r"\byeu cau (gi|nhung gi)\b", r"\bnoi dung\b", r"\bnhung gi\b",
                r"\bcai gi\b", r"\bgi\b", r"\bnhu the nao\b", r"\bra sao\b", r"\bbien phap\b", r"\bde nghi gi\b")),
]
# Question words and fillers: they say what is asked, not what the answer is about.
_QUESTION_WORDS = set(
    ["ai", "gì", "nào", "những", "cái", "khi", "bao", "giờ", "sao", "thế", "như", "vậy", "có", "không", "phải", "hay", "là", "được", "bị", "thì", "mà", "của", "do", "và", "với", "cho", "này", "kia", "ấy", "đây", "tôi", "bạn", "xin", "hỏi", "biết", "nhiêu", "mấy", "muốn", "cần"]
)
_FOLDED_QUESTION_WORDS = {fold(w) for w in _QUESTION_WORDS} - {"ban", "thi", "ma", "do", "cho", "voi", "kia"}
# "cơ quan nào", "đơn vị nào": the frame of the question, not its content.
_QUESTION_FRAMES = re.compile(
    r"\b(?:cơ quan|đơn vị|tổ chức|cấp|bộ phận|văn bản|tài liệu|vấn đề|nội dung|thời điểm|ngày|năm|co quan|don vi|"
    r"to chuc|cap|bo phan|van ban|tai lieu|van de|noi dung|thoi diem|ngay|nam)\s+(?:nào|gì|nao|gi)\b",
    re.IGNORECASE,
)
_LEADING_FUNCTION_WORDS = re.compile(
    r"^(?:(?:Theo|Các|Những|Còn|Vậy|Trong|Tại|Ở|Đối với|Khi|Sau|Nếu|Ai|Cơ quan|Đơn vị|Văn bản|Bài viết|Ngày)\s+)+"
)
_PROPER = re.compile(r"(?<![\w])([A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*)+)")


@dataclass
class QuestionInfo:
    text: str
    qtype: str
    folded: str
    content_tokens: list[str] = field(default_factory=list)
    doc_numbers: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    proper_names: list[str] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)  # filled by evidence.collect
    search_text: str = ""  # the question in the documents' wording (synonyms.rewrite)


def classify(folded: str) -> str:
    if re.search(ISSUED_INSTRUMENT, folded):  # "ai ban hành Quy chế làm việc …": who does it, not the issuer
        return "responsibility"
    for qtype, patterns in _TYPES:
        if any(re.search(p, folded) for p in patterns):
            return qtype
    return "general"


def analyze_question(text: str) -> QuestionInfo:
    text = normalize(text.strip())
    folded = fold(text)
    info = QuestionInfo(text=text, qtype=classify(folded), folded=folded)
    info.doc_numbers = [m.group(0) for m in DOC_NUMBER_RE.finditer(text)]
    rest = DOC_NUMBER_RE.sub(" ", text)
    info.numbers = re.findall(r"(?<![\w/])\d+(?![\w/])", rest)
    # Multi-word capitalised names not at the very start (e.g. "Hà Nội", "Đà Nẵng").
    names = [_LEADING_FUNCTION_WORDS.sub("", m.group(1)) for m in _PROPER.finditer(rest)]
    info.proper_names = [n for n in names if len(n.split()) >= 2]
    info.search_text = rewrite(text)
    framed = _QUESTION_FRAMES.sub(" ", info.search_text)
    tokens = analyze(framed, mode="query")
    info.content_tokens = [t for t in tokens if not _is_question_word(t)]
    return info


def _is_question_word(token: str) -> bool:
    """Exact tokens are checked with their marks (`thị` is content, `thì` is not)."""
    if token.startswith("~"):
        return bool(set(token[1:].split("_")) & _FOLDED_QUESTION_WORDS)
    return bool(set(token.split("_")) & _QUESTION_WORDS)
