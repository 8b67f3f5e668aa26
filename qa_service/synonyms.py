"""Question wording → the documents' wording: abbreviations people type, written out as documents write them.

Documents spell terms out ("công nghệ thông tin", "ngân sách nhà nước"); people asking use the
abbreviation ("CNTT", "NSNN"). Rewriting those before matching is classic query normalisation.

How this list was made (issue "One orchestrator, one lexicon…"): the first build's list was read off the
sample dev set's paraphrase questions, and `make test` then gated on that set; that list is gone. This
one is general administrative usage, written without looking at any test question, and kept only where
the documents' own language agrees: in 1,500 corpus-bulk files the written-out form is at least five
times as frequent as the abbreviation (CNTT 0 : 80, QLNN 0 : 412, MTTQ 32 : 156 …). Pairs where the
documents use both forms ("đảm bảo" 433 : "bảo đảm" 1,903, "BHXH" 195 : 491) are left out: rewriting
would lose the passages that use the question's form. `tests/test_synonyms.py` keeps the list off the
dev set's paraphrase questions.
"""

from __future__ import annotations

import re

from vectorstore.analyzer import normalize

# question wording → the documents' wording (keys in the analyzer's normalised tone style)
_PARAPHRASES: dict[str, str] = {
    "CNTT": "công nghệ thông tin",
    "ATTP": "an toàn thực phẩm",
    "VSATTP": "vệ sinh an toàn thực phẩm",
    "PCCC": "phòng cháy, chữa cháy",
    "CNCH": "cứu nạn, cứu hộ",
    "ATGT": "an toàn giao thông",
    "CĐS": "chuyển đổi số",
    "NSNN": "ngân sách nhà nước",
    "KT-XH": "kinh tế - xã hội",
    "KH&CN": "khoa học và công nghệ",
    "ĐMST": "đổi mới sáng tạo",
    "TTHC": "thủ tục hành chính",
    "CCHC": "cải cách hành chính",
    "PCTT": "phòng, chống thiên tai",
    "TKCN": "tìm kiếm cứu nạn",
    "QLNN": "quản lý nhà nước",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "CBCC": "cán bộ, công chức",
    "DNNVV": "doanh nghiệp nhỏ và vừa",
    "MTTQ": "Mặt trận Tổ quốc",
    "HTX": "hợp tác xã",
    "BHYT": "bảo hiểm y tế",
    "GPMB": "giải phóng mặt bằng",
    "hạn chót": "thời hạn",
}
_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(normalize(k)) for k in sorted(_PARAPHRASES, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_LOOKUP = {normalize(k).lower(): v for k, v in _PARAPHRASES.items()}


def rewrite(question: str) -> str:
    """The question in the documents' wording (unchanged when no phrase is known)."""
    text = normalize(question)
    return " ".join(_PATTERN.sub(lambda m: _LOOKUP[m.group(0).lower()], text).split())
