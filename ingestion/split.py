"""Sentence-aware chunking with character offsets into the cleaned text.

Vietnamese sentences end in . ! ? … followed by a capital, a quote or a digit; document numbers
(`12-CT/TW`), dates (`05/01/2022`) and abbreviations (`TP.`, `v.v.`) never end one. Chunks are
runs of whole sentences, a few hundred characters long, overlapping by one short sentence; an
over-long sentence is cut at `;` or `,` so no chunk grows past `max_chars`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

_ABBREVIATIONS = {"tp", "ts", "ths", "pgs", "gs", "bs", "ks", "v.v", "vv", "st", "q", "p", "tt", "mr", "ms", "dr", "no"}
_BOUNDARY = re.compile(r"([.!?…]+[\"”’)]*)(\s+)(?=[\"“‘(\[]?[A-ZĐÀ-Ỹ0-9])|\n+")
_LIST_MARKER = re.compile(r"(?:\d{1,3}(?:\.\d{1,2})*|[IVXLC]+|[a-zđA-Z])")
_SOFT_BREAK = re.compile(r"[;:]\s+|,\s+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    ord: int
    start: int
    end: int
    text: str


def sentence_spans(text: str) -> list[Span]:
    """Sentences as [start, end) spans with surrounding whitespace trimmed."""
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(1):
            word = re.findall(r"[\w.]+$", text[start : m.start(1)])
            if word and word[0].lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if _LIST_MARKER.fullmatch(text[start : m.start(1)].strip()):
                continue  # "2. Tổ chức tập huấn": a numbered item's marker, not a sentence
            end = m.end(1)
        else:
            end = m.start()
        _add(spans, text, start, end)
        start = m.end()
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def _cut_long(text: str, span: Span, max_chars: int) -> list[Span]:
    """Cut an over-long sentence at the last `;`/`,` before the limit (never inside a token)."""
    out: list[Span] = []
    start = span.start
    while span.end - start > max_chars:
        window = text[start : start + max_chars]
        cuts = [m.end() for m in _SOFT_BREAK.finditer(window) if m.end() > max_chars // 3]
        if not cuts:
            space = window.rfind(" ", max_chars // 2)
            cuts = [space + 1] if space > 0 else [max_chars]
        cut = start + cuts[-1]
        _add(out, text, start, cut)
        start = cut
    _add(out, text, start, span.end)
    return out


def split_text(
    text: str,
    target_chars: int = 600,
    max_chars: int = 900,
    overlap_chars: int = 150,
    boundaries: Sequence[int] = (),
    spans: Sequence[Span] | None = None,
) -> list[Chunk]:
    """Chunks of whole sentences; no chunk crosses an offset in `boundaries` (the starts of a
    document's top-level sections), so a chunk speaks of one part of the document. `spans` are the
    text's sentences when the caller has them already."""
    pieces: list[Span] = []
    for span in sentence_spans(text) if spans is None else spans:
        pieces.extend(_cut_long(text, span, max_chars) if span.end - span.start > max_chars else [span])
    walls = sorted(set(boundaries))

    def crosses(first: int, i: int) -> bool:
        k = bisect.bisect_right(walls, pieces[first].start)
        return k < len(walls) and walls[k] <= pieces[i].start

    chunks: list[Chunk] = []
    i = 0
    fresh = 0  # first piece no earlier chunk holds: every chunk must add at least one
    while i < len(pieces):
        first = i
        while i < len(pieces) and (
            i <= fresh or (pieces[i].end - pieces[first].start <= target_chars and not crosses(first, i))
        ):
            i += 1
        start, end = pieces[first].start, pieces[i - 1].end
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
        fresh = i
        last = pieces[i - 1]
        nxt = pieces[i] if i < len(pieces) else None
        # Overlap: repeat the last sentence when it is short and the pair still fits a chunk.
        if (nxt and i - first > 1 and last.end - last.start <= overlap_chars and nxt.end - last.start <= max_chars
                and not crosses(i - 1, i)):
            i -= 1
    return chunks


def group_paragraphs(text: str, spans: list[Span]) -> list[list[Span]]:
    """Sentence spans grouped by paragraph: a line break between two sentences starts a new one."""
    out: list[list[Span]] = []
    for sp in spans:
        if out and "\n" not in text[out[-1][-1].end : sp.start]:
            out[-1].append(sp)
        else:
            out.append([sp])
    return out
