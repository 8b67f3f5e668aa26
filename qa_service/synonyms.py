"""A small lexicon of administrative Vietnamese paraphrases, mapped to the wording directives use.

People ask in everyday words ("giám sát", "thúc giục", "ngoại giao nhân dân"); directives write
"theo dõi", "đôn đốc", "đối ngoại nhân dân". Rewriting the question's words to the documents'
words before matching is classic query expansion; it only ever replaces a phrase by a phrase of
the same meaning in this register, and the original question is kept for display.
"""

from __future__ import annotations

import re

from vectorstore.analyzer import normalize

# everyday phrase → the documents' phrase (keys in the analyzer's normalised tone style)
_PARAPHRASES: dict[str, str] = {
    "ngoại giao nhân dân": "đối ngoại nhân dân",
    "quan hệ quốc tế": "đối ngoại",
    "giám sát": "theo dõi, kiểm tra",
    "thúc giục": "đôn đốc",
    "thúc đẩy thực hiện": "đôn đốc thực hiện",
    "thi hành": "thực hiện",
    "thực thi": "thực hiện",
    "ra đời": "ban hành",
    "công bố": "ban hành",
    "soạn thảo": "xây dựng",
    "kết nối": "phối hợp",
    "nhịp nhàng": "đồng bộ",
    "mảng": "trụ cột",
    "thu hút": "tranh thủ",
    "nguồn lực quốc tế": "nguồn lực từ bên ngoài",
    "nhân sự": "công tác cán bộ",
    "bồi dưỡng": "đào tạo",
    "người làm việc": "nguồn nhân lực",
    "học tập": "quán triệt",
    "thấm nhuần": "quán triệt",
    "phổ biến rộng rãi": "tuyên truyền, phổ biến",
    "chú trọng": "tập trung",
    "hiểu biết": "nhận thức",
    "người dân": "nhân dân",
    "đứng ra ban hành": "ban hành",
    "tổ chức đảng": "cấp uỷ đảng",
    "nhằm đạt được": "nhằm",
    "đạt được": "nhằm",
    "hợp với": "phù hợp với",
    "cho hợp": "phù hợp",
    "cấp quận, huyện": "quận, huyện",
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
