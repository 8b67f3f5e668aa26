"""Remove the site chrome scraped pages carry, keeping the article (and its own spelling).

The cleaned text is what citations quote and what offsets point into: it stays NFC but keeps the
document's tone-mark style; the analyzer normalises a copy for the index.
"""

from __future__ import annotations

import re

from vectorstore.analyzer import to_nfc

# A line that starts one of these blocks ends the article: everything after it is site chrome.
_TAIL_MARKERS = re.compile(
    r"^\s*(tin khác|các tin khác|tin liên quan|bài viết liên quan|tin cùng chuyên mục|"
    r"xem thêm các tin|tin mới nhất|tin đọc nhiều|bài cùng chuyên mục)\s*:?\s*$",
    re.IGNORECASE,
)
# Whole lines (or line tails) that are chrome wherever they appear.
_CHROME_LINE = re.compile(
    r"^\s*(read more|xem thêm|đọc tiếp|chia sẻ|share|tweet|in bài( viết)?|bản in|gửi email|"
    r"facebook|twitter|zalo|bình luận|đăng nhập|đăng ký|quay lại|về đầu trang|top|"
    r"lượt xem:?\s*\d*|tags?:.*|từ khóa:.*|từ khoá:.*)\s*$",
    re.IGNORECASE,
)
_CHROME_FRAGMENTS = [
    re.compile(r"Bạn đã không sử dụng Site.*?(Thời gian chờ:\s*\d+\s*giây|$)", re.IGNORECASE | re.DOTALL),
    re.compile(r"This website uses cookies.*$", re.IGNORECASE | re.MULTILINE),
    re.compile(r"(Trang web|Website) (này )?sử dụng cookie.*$", re.IGNORECASE | re.MULTILINE),
    re.compile(r"\bRead More\b\s*$", re.IGNORECASE | re.MULTILINE),
]
# "Thứ năm - 12/01/2023 04:44 120 0": keep the date, drop view/comment counters after the time.
_DATE_LINE = re.compile(
    r"^(\s*(?:Thứ\s+\w+|Chủ\s+nhật|Chủ\s+Nhật)\s*[-,]\s*\d{1,2}/\d{1,2}/\d{4}(?:\s*[-,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?)"
    r"(?:\s+\d+){1,3}\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Image placeholders left by scrapers: "12 1 dongoai" (counters and a file stem).
_IMAGE_STUB = re.compile(r"^\s*\d+\s+\d+\s+[\w.-]+\s*$", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_text(text: str) -> str:
    """Site chrome out, NFC, tidy whitespace; paragraphs separated by one blank line."""
    text = to_nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "")
    for pattern in _CHROME_FRAGMENTS:
        text = pattern.sub("", text)
    text = _DATE_LINE.sub(r"\1", text)
    text = _IMAGE_STUB.sub("", text)
    kept: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if _TAIL_MARKERS.match(line):
            break
        if _CHROME_LINE.match(line):
            continue
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return _drop_leading_breadcrumbs(text)


# An official page copied without its letterhead starts with "Kính gửi:" or its kind in capitals
# ("NGHỊ QUYẾT"): that is the document, not a breadcrumb.
_KEEP_FIRST = re.compile(r"^\s*Kính gửi")


def _keeps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(_KEEP_FIRST.match(line)) or (len(letters) >= 2 and line.upper() == line)


def _drop_leading_breadcrumbs(text: str) -> str:
    """A category label such as "Chính sách" above the headline is navigation, not the title."""
    lines = text.split("\n")
    while (len(lines) > 2 and 0 < len(lines[0].split()) <= 3 and not re.search(r"\d", lines[0])
           and not _keeps(lines[0])):
        rest = [ln for ln in lines[1:] if ln.strip()]
        if not rest or len(rest[0].split()) < 5:
            break
        lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    return "\n".join(lines)
