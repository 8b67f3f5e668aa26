"""The first build's news-page rules, as data and small helpers shared by `news` and `news_duties`."""

from __future__ import annotations

import re

from ingestion.lexicon.layout import DOCUMENT_WORDS
from qa_service.answering.lexicon import NUMBER_WORDS, QUESTION_DOC_KINDS
from qa_service.question import QuestionInfo
from vectorstore.analyzer import fold

MIN_COVERAGE = 0.42
ACTION_CHARS = 480

_ASKS_ISSUE = re.compile(r"\b(ban hanh|ra doi|ngay ban hanh|duoc ky)\b")
_OTHER_EVENT = re.compile(r"\b(hieu luc|het han|bao cao|nop|gui|hoan thanh|ket thuc|trien khai xong)\b")
_ASKS_HARD_DEADLINE = re.compile(r"\b(han chot|thoi han|truoc ngay nao|cham nhat|han nop|den han)\b")
_ASKS_DATE = re.compile(r"\b(ngay nao|khi nao|bao gio|luc nao|thoi gian nao)\b")  # "… và vào ngày nào"
_ASKS_QUANTITY = re.compile(r"\b(bao nhieu|may (nguoi|to chuc|co quan|don vi|lan|nam|thang|ngay))\b")
_ASKS_SIGNER = re.compile(r"\b(ai ky|nguoi ky|ky ten|duoc ky|do ai ky|ai da ky)\b|(?<!nhiem )\bky\b(?! (?:nay|truoc|sau|hop))")
_CARDINAL = re.compile(r"(?<![\w/.-])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?(?![\w/-])")
_ROLES = re.compile(r"\b(chu tich|pho chu tich|(?<!ban )bi thu|giam doc|truong ban|bo truong|thu tuong|tong bi thu|truong phong)\b")
_ASKS_LIST = re.compile(r"\b(nhung gi|gom|bao gom|nhung \w+( \w+)? (nao|gi)|cac \w+( \w+)? nao|nhung ai|la gi)\b")
# Kinds of documents as a question writes them (the answering lexicon's list, folded, longest first).
_KINDS = "|".join(sorted({fold(k) for k in (*QUESTION_DOC_KINDS, "tài liệu đính kèm", *DOCUMENT_WORDS[:2])},
                         key=len, reverse=True))
_ASKS_DOCS = re.compile(r"\b(?:nhung|cac) (" + _KINDS + r") nao\b")
_ASKS_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|to chuc nao|nhung co quan|nhung don vi)\b")
_ASKS_TOPIC = re.compile(r"\b(ve van de gi|noi ve|ve noi dung gi|noi dung (chinh )?(la )?gi|de cap)\b")
_ASKING_NUMBER = re.compile(r"\b(so may|so hieu|so nao|nao)\b")
_KIND_WORDS = re.compile(r"\b(" + _KINDS + r")\b")


def shorten(text: str, limit: int = ACTION_CHARS) -> str:
    """Cut at a clause boundary (`;`), else at a word, before `limit` characters."""
    text = text.strip().rstrip(".;,…").strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(";", 0, limit)
    if cut < limit // 2:
        cut = text.rfind(" ", 0, limit)
    return text[:cut].rstrip(" ,;") + "…"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _written_date(iso: str, text: str) -> str | None:
    y, m, d = iso.split("-")
    found = re.search(rf"(?<!\d)0?{int(d)}/0?{int(m)}/{y}", text)
    return found.group(0) if found else None


def counted_in_words(info: QuestionInfo, text: str) -> bool:
    """"Có bao nhiêu trụ cột?" answered by "ba trụ cột": a number word right before the asked noun."""
    asked = re.search(r"\bbao nhiêu\s+(\w+(?:\s+\w+)?)", info.text, re.IGNORECASE)
    if asked is None:
        return False
    noun = asked.group(1)
    return bool(re.search(rf"\b(?:{_NUMBER_WORDS})\s+{re.escape(noun)}\b", text, re.IGNORECASE))


_NUMBER_WORDS = "|".join(w for w in NUMBER_WORDS if w not in ("năm", "tư"))  # "năm" is mostly a year
