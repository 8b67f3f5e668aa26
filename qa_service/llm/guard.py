"""Retrieved text is untrusted: fence it, defuse instruction-like sentences, filter what comes back.

Defence in depth, because no single layer holds: the fence and the system prompt tell the model
what is data; `neutralize` blanks the injections it recognises before the model sees them (an
injection split across two chunks slips past it); the output filter removes links, images and
system-prompt text whatever the model was persuaded to write.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from vectorstore.analyzer import fold

FENCE_CHARS = "⟦⟧"
NEUTRALIZED = "[…đã lược bỏ một câu có dạng mệnh lệnh…]"

# Matched on folded text (no diacritics, lowercase), so "Bỏ qua" and "bo qua" are the same.
_INJECTION_PATTERNS = [
    r"\b(bo qua|phot lo|lo di|quen di|khong can tuan theo)\b.{0,40}\b(huong dan|chi dan|chi thi|quy tac|lenh|yeu cau)\b",
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompts?|guidelines|above|previous)\b",
    r"\b(system prompt|developer message|loi nhac he thong|chi dan he thong|huong dan he thong|quy tac he thong)\b",
    r"\b(tiet lo|in ra|nhac lai|reveal|print|repeat)\b.{0,40}\b(huong dan|quy tac|prompt|instructions|mat khau|password)\b",
    r"\b(reply|respond|answer|output|say)\b.{0,20}\b(only|exactly|with)\b",
    r"\b(tra loi|hay noi|xuat ra|viet ra)\b.{0,20}\b(duy nhat|chi mot|dung mot|chinh xac)\b",
    r"\b(you are now|from now on|act as|tu gio|ke tu bay gio|hay dong vai|ban la tro ly moi)\b",
    r"!\[|\]\(\s*(https?:|data:)|<img\b|<script\b",
]
_INJECTION_RE = re.compile("|".join(f"(?:{p})" for p in _INJECTION_PATTERNS))
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*|\n")

_MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)?")
_MD_LINK_RE = re.compile(r"\[([^\]\n]*)\]\(\s*([^)\s]+)[^)\n]*\)")
_HTML_RE = re.compile(r"</?(?:img|a|script|iframe|svg|object|embed|link|style|form|input|meta)\b[^>]*>?", re.I)
_URL_RE = re.compile(r"(?:\b(?:https?|ftp|file|data|javascript):[^\s<>\"'\])]*|\bwww\.[^\s<>\"'\])]+"
                     r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|xyz|ru|cn|info|top|site|vn|me|co|app|dev)(?:[/?:][^\s<>\"'\])]*)?)",
                     re.I)
_WORD_RE = re.compile(r"\w+(?:[-/.]\w+)*")
# Reasoning models (Qwen3, DeepSeek-R1 on Ollama or llama.cpp) may put their thinking in the text.
_THINK_RE = re.compile(r"<think>.*?(?:</think>\s*|$)", re.S)


def new_fence() -> str:
    """A per-request fence a document cannot forge (it never saw the nonce)."""
    return f"⟦{secrets.token_hex(4)}⟧"


def neutralize(text: str) -> tuple[str, int]:
    """Replace the sentences that read like instructions to the model; returns (text, count)."""
    if not _INJECTION_RE.search(fold(text)):
        return text, 0
    hits = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal hits
        sentence = m.group(0)
        if _INJECTION_RE.search(fold(sentence)):
            hits += 1
            return f" {NEUTRALIZED} "
        return sentence

    return _SENTENCE_RE.sub(repl, text), hits


def fence_passage(index: int, text: str, fence: str, source: str = "", title: str = "") -> str:
    body = text.translate({ord(c): None for c in FENCE_CHARS}).strip()
    head = f"[{index}] Nguồn: {source}" + (f" — Tiêu đề: {title}" if title else "")
    return f"{head}\n{fence}\n{body}\n{fence}"


def strip_thinking(text: str) -> str:
    """Drop `<think>…</think>` (or an unclosed `<think>…` cut off by the token limit)."""
    return _THINK_RE.sub("", text)


def _norm_url(url: str) -> str:
    url = re.sub(r"^(?:https?:)?//", "", url.strip().lower())
    return url.removeprefix("www.").rstrip("/.,;")


def allowed_url(url: str, sources: Iterable[str]) -> bool:
    """A URL may stay only when it is (under) the source URL of a retrieved document."""
    u = _norm_url(url)
    for src in sources:
        if "." in src and ("/" in src or src.startswith("www")) and u.startswith(_norm_url(src)) and _norm_url(src):
            return True
    return False


def strip_links(text: str, sources: Iterable[str]) -> tuple[str, list[str]]:
    """Remove images, HTML tags and URLs that are not among the document sources."""
    sources = list(sources)
    removed: list[str] = []

    def drop(m: re.Match[str]) -> str:
        removed.append(m.group(0))
        return ""

    text = _MD_IMAGE_RE.sub(drop, text)
    text = _HTML_RE.sub(drop, text)

    def link(m: re.Match[str]) -> str:
        if allowed_url(m.group(2), sources):
            return m.group(0)
        removed.append(m.group(2))
        return m.group(1)

    text = _MD_LINK_RE.sub(link, text)

    def url(m: re.Match[str]) -> str:
        if allowed_url(m.group(0), sources):
            return m.group(0)
        removed.append(m.group(0))
        return ""

    text = _URL_RE.sub(url, text)
    if removed:
        text = re.sub(r"[ \t]{2,}", " ", text)
        text = re.sub(r"\s+([.,;:])", r"\1", text)
    return text, removed


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(fold(text))  # folding drops tone marks: no need to normalise them first


class LeakDetector:
    """Says whether an output repeats the system prompt (its wording or its odd tokens).

    Anything the user turn also contains (passages, question, the abstention sentence) is not
    secret, so only what is unique to the system prompt counts.
    """

    def __init__(self, system_text: str, public_text: str, shingle: int = 6) -> None:
        public_words = _words(public_text)
        public = set(public_words)
        words = _words(system_text)
        self.shingle = shingle
        self.shingles = _shingles(words, shingle) - _shingles(public_words, shingle)
        # Rare tokens: codes, keys, canaries (a digit in a word, or a long mixed token).
        self.tokens = {w for w in words if w not in public and re.search(r"\d", w) and re.search(r"[a-z]", w)}
        self.tokens |= {w for w in words if w not in public and len(w) >= 16}

    def leaks(self, text: str) -> bool:
        words = _words(text)
        if self.tokens & set(words):
            return True
        folded = fold(text)
        if any(tok in folded for tok in self.tokens):
            return True
        return not self.shingles.isdisjoint(_shingles(words, self.shingle))


def _shingles(words: list[str], n: int) -> set[str]:
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
