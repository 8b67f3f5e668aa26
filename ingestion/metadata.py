"""Document metadata: title, published date, author, source domain, and the document numbers cited.

Only the page's own header line gives the published date: the dates inside the body belong to the
directives the article talks about, never to the article.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ingestion.layout import OfficialLayout
from ingestion.lexicon import layout as layout_lex
from vectorstore.analyzer import DATE_RE, DOC_NUMBER_RE

_HEADER_DATE = re.compile(
    r"^\s*(?:(?:Thứ\s+\w+|Chủ\s+nhật)\s*[-,]\s*|Ngày\s+(?:đăng|cập nhật|ban hành)\s*:?\s*|Cập nhật\s*:?\s*)"
    r"(\d{1,2})/(\d{1,2})/(\d{4})",
    re.IGNORECASE | re.MULTILINE,
)
_SOURCE_LINE = re.compile(r"\(?\s*Nguồn(?:\s+tin)?\s*:\s*([^\s)]+)\)?", re.IGNORECASE)
_AUTHOR_LINE = re.compile(r"^\s*(?:Tác giả|Người viết|Bài và ảnh|Bài)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")
# The kind of document a number names, as written before it ("Chỉ thị số 12-CT/TW").
_KIND_BEFORE = re.compile(r"(" + "|".join(layout_lex.NUMBERED_KINDS) + r")(?:\s+số)?\s*$", re.IGNORECASE)
_AFTER_NUMBER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?(?:ngày\s+(\d{1,2}/\d{1,2}/\d{4}))?\s*(?:của\s+(.{3,80}?))?(?=\s*(?:[“\"(,;.:]|(?:về|quy định|hướng dẫn|sửa đổi|bổ sung|ban hành|phê duyệt|"
    r"triển khai|thực hiện|tại|trong|nhằm|và)\b|$))",
    re.IGNORECASE,
)


@dataclass
class DocNumber:
    number: str
    kind: str | None = None
    date: str | None = None  # ISO
    issuer: str | None = None
    offset: int = 0


@dataclass
class DocumentMeta:
    title: str
    published: str | None = None  # ISO date
    author: str | None = None
    source: str = ""
    source_domain: str | None = None
    doc_numbers: list[DocNumber] = field(default_factory=list)
    # Official documents (Nghị định 30/2020/NĐ-CP layout); None / empty for news pages.
    doc_kind: str | None = None
    number: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    signing_authority: str | None = None
    place: str | None = None
    recipients: list[str] = field(default_factory=list)
    abstract: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def iso_date(day: str | int, month: str | int, year: str | int) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def extract_metadata(
    text: str, source: str, hints: dict[str, str] | None = None, layout: OfficialLayout | None = None
) -> DocumentMeta:
    """News-page metadata, overridden by what an official document's layout states."""
    meta = _page_metadata(text, source, hints or {})
    if layout is not None:
        _apply_layout(meta, layout)
    return meta


def _apply_layout(meta: DocumentMeta, layout: OfficialLayout) -> None:
    if layout.number is not None:
        meta.number = layout.number.value
    meta.doc_kind, meta.issuer, meta.parent_issuer = layout.doc_kind, layout.issuer, layout.parent_issuer
    meta.signer = layout.signer.value if layout.signer else None
    meta.signer_title, meta.signing_authority = layout.signer_title, layout.signing_authority
    meta.place, meta.recipients, meta.abstract = layout.place, list(layout.recipients), layout.abstract
    if layout.published is not None:
        meta.published = layout.published.value
    if layout.is_official and layout.title:
        meta.title = layout.title[:300]
    if meta.number and not any(n.number == meta.number for n in meta.doc_numbers):
        meta.doc_numbers.insert(0, DocNumber(meta.number, meta.doc_kind, meta.published, meta.issuer,
                                             layout.number.start if layout.number else 0))
    for n in meta.doc_numbers:  # the document's own number: its kind, date and issuer are known
        if n.number == meta.number:
            n.kind, n.date, n.issuer = meta.doc_kind or n.kind, meta.published or n.date, meta.issuer or n.issuer


def _page_metadata(text: str, source: str, hints: dict[str, str]) -> DocumentMeta:
    title = hints.get("title") or _first_line(text) or source
    meta = DocumentMeta(title=title.strip()[:300], source=source)
    m = _HEADER_DATE.search(text[:2000])
    if m:
        meta.published = iso_date(m.group(1), m.group(2), m.group(3))
    elif hints.get("date"):
        meta.published = hints["date"][:10]
    meta.author = hints.get("author") or _author(text)
    domains = _SOURCE_LINE.findall(text)
    meta.source_domain = domains[-1].rstrip(".") if domains else hints.get("hostname")
    meta.doc_numbers = extract_doc_numbers(text)
    return meta


def _first_line(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line
    return None


def _author(text: str) -> str | None:
    m = _AUTHOR_LINE.search(text)
    if m:
        return m.group(1)
    lines = [ln.strip() for ln in text.strip().split("\n") if ln.strip()]
    # Scraped articles end with the writer's name on a line of its own ("Ngô Phương Văn").
    for line in reversed(lines[-4:]):
        if line.lower().startswith(("nguồn", "(nguồn", "tài liệu")):
            continue
        words = line.split()
        if 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words):
            return line
        break
    return None


def extract_doc_numbers(text: str) -> list[DocNumber]:
    """Every document number with its kind, date and issuer where the sentence gives them;
    the first mention that carries details wins."""
    found: dict[str, DocNumber] = {}
    for m in DOC_NUMBER_RE.finditer(text):
        number = m.group(0)
        if DATE_RE.fullmatch(number):
            continue
        before = _KIND_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
        after = _AFTER_NUMBER.match(text[m.end() : m.end() + 160])
        entry = DocNumber(number=number, offset=m.start())
        if before:
            entry.kind = before.group(1)[0].upper() + before.group(1)[1:]
        if after:
            if after.group(1):
                d, mo, y = after.group(1).split("/")
                entry.date = iso_date(d, mo, y)
            if after.group(2):
                entry.issuer = after.group(2).strip().rstrip(",.;")
        prev = found.get(number)
        if prev is None:
            found[number] = entry
        else:
            prev.kind = prev.kind or entry.kind
            prev.date = prev.date or entry.date
            prev.issuer = prev.issuer or entry.issuer
    return list(found.values())
