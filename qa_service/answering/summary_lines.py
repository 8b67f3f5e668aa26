"""The lines of an extractive summary: a point's own words, cited as one span of the document.

A point is quoted from its marker: its first sentence and, when that sentence is only the point's
title ("3. Đổi mới mô hình chăm sóc trẻ em …, nâng cao năng lực hệ thống cơ sở bảo trợ xã hội hiện
có."), what follows it, cut where a sentence or a clause ends. A bare heading ("1. Sở Công Thương:")
is quoted with the line after it. Short one-line points share a line ("1. Kiện toàn …. 2. Triển
khai …"). The sentence that announces the points ("… Ủy ban nhân dân tỉnh yêu cầu:") and points
written in running text ("(i) …; (ii) …") are found here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from qa_service.answering.compose import Composer, cap
from qa_service.answering.lexicon import INLINE_POINT, LEAD_IN, LEAD_IN_PURPOSE
from vectorstore.analyzer import fold
from vectorstore.registry import DocumentRecord

QUOTE_CHARS = 420
TITLE_CHARS = 160  # a cut keeps at least this much of a point when a sentence or clause ends after it
SHORT_POINT = 160  # a point this short (its whole section) may share a line with the next ones
MIN_PIECE = 40  # characters a line's second citation must hold
MIN_POINT_WORDS = 8  # a shorter inline point says nothing of its own ("(iii) Hướng dẫn các địa phương thực hiện")
Span = tuple[int, int]
Section = dict[str, Any]

_LEAD_IN = re.compile(LEAD_IN)
_INLINE = re.compile(INLINE_POINT)
_PURPOSE = re.compile(LEAD_IN_PURPOSE)
_FOOTNOTE = re.compile(r"(?<=\S)\[\d{1,3}\]")  # "Chính phủ[1]": a footnote mark, not one of the answer's
_SPACES = re.compile(r"\s+")
# (boundary, least characters kept): a sentence or clause end, else a phrase, else a word
_CUTS = ((re.compile(r"[.;](?=\s)|\n"), TITLE_CHARS), (re.compile(r",(?=\s)"), 40), (re.compile(r"\s"), 1))


def item_span(text: str, item: Section) -> Span:
    """An item's first line; a bare heading ("1. Sở Công Thương:") with the line after it."""
    start, stop = item["start"], item["end"]
    end = text.find("\n", start)
    end = stop if end < 0 or end > stop else end
    if end - start <= len(item["heading"]) + 3:  # a bare heading: what follows it says the point
        nxt = text.find("\n", end + 1)
        while 0 <= nxt < stop and not text[end:nxt].strip():
            end, nxt = nxt, text.find("\n", nxt + 1)
        end = min(stop, nxt if nxt > 0 else stop)
    return start, end


def line(composer: Composer, rec: DocumentRecord, span: Span, section: str | None = None) -> str:
    """"- the span's words [n]", QUOTE_CHARS at most, cut where a sentence or clause ends. A citation
    holds to one chunk: a point that would keep only its title in the chunk holding its start goes
    on, cited again, from where the next chunk starts. Consecutive lines from one chunk share its
    citation (`CitationBuilder.cite_joined`)."""
    text, (start, end) = rec.text, span
    limit = min(end, start + QUOTE_CHARS)
    pieces: list[str] = []
    pos = start
    while True:
        chunk = composer.cites.widest_chunk(rec, pos)
        reach = int(chunk.metadata["end"]) if chunk is not None else limit
        probe = reach + len(text[reach:limit]) - len(text[reach:limit].lstrip())  # chunks may skip the space between
        nxt = composer.cites.widest_chunk(rec, probe) if reach < limit and not pieces else None
        # only a point that would keep no more than its title in this chunk goes on in the next one
        go_on = (nxt is not None and pos < int(nxt.metadata["start"]) <= probe
                 and cut(text, pos, reach, start) - start < TITLE_CHARS)
        if go_on and nxt is not None:
            stop = len(text[: int(nxt.metadata["start"])].rstrip())
        else:
            stop = limit if limit <= reach and end <= limit else cut(text, pos, min(limit, reach), start)
        if pieces and stop - pos < MIN_PIECE:  # a few words past the chunk's end are not worth a citation
            break
        n = composer.cites.cite_joined(rec, pos, stop, section)
        pieces.append(_SPACES.sub(" ", _FOOTNOTE.sub("", text[pos:stop])).strip() + (f" [{n}]" if n else ""))
        if not go_on or nxt is None:
            break
        pos = int(nxt.metadata["start"])
    return "- " + cap(" ".join(pieces))


def cut(text: str, start: int, limit: int, origin: int, words: bool = False) -> int:
    """The last sentence or clause end in text[start:limit] that keeps TITLE_CHARS of the point begun
    at `origin` (else a phrase or word end); with `words`, the last word end. A boundary right at
    `limit` counts."""
    window = text[start : limit + 1]
    for boundary, least in _CUTS[2:] if words else _CUTS:
        ends = [len(window[: m.end()].rstrip()) for m in boundary.finditer(window)]
        ends = [e for e in ends if start + e <= limit and start + e - origin >= least]
        if ends:
            return start + ends[-1]
    return limit


def point_spans(text: str, items: list[Section], limit: int, reach: Callable[[int], int]) -> list[Span]:
    """Up to `limit` spans for the items in order; short items share a span while it stays within
    QUOTE_CHARS and within one chunk (`reach`: where the chunk holding an offset ends)."""
    spans: list[Span] = []
    joined = False  # whether the last span may take the next short item
    for item in items:
        short = item["end"] - item["start"] <= SHORT_POINT
        if joined and short and item["end"] - spans[-1][0] <= QUOTE_CHARS and item["end"] <= reach(spans[-1][0]):
            spans[-1] = (spans[-1][0], len(text[: item["end"]].rstrip()))
            continue
        if len(spans) == limit:
            break
        spans.append(item_span(text, item) if not short else (item["start"], len(text[: item["end"]].rstrip())))
        joined = short
    return spans


def lead_in(text: str, before: int, floor: int) -> Span | None:
    """The sentence right before `before` (only space between) that announces the points after it;
    when long, its last clauses (who asks whom, and what for)."""
    head = text[floor:before].rstrip()
    if not head or not _LEAD_IN.search(fold(head[-40:])):
        return None
    end = floor + len(head)
    start = floor + max(head.rfind(". ") + 2, head.rfind("\n") + 1, 0)
    if end - start > QUOTE_CHARS:  # from its purpose clause ("…, và để nâng cao …"), else its last clauses
        purpose = [m.end() for m in _PURPOSE.finditer(text, start, end) if end - m.end() <= QUOTE_CHARS]
        comma = text.find(", ", end - QUOTE_CHARS)
        start = purpose[0] if purpose else comma + 2 if 0 <= comma < end else end - QUOTE_CHARS
    return (start, end) if len(text[start:end].split()) >= 5 else None


def inline_points(text: str, floor: int) -> tuple[Span, list[Span]] | None:
    """A lead-in followed by points in running text ("… nhiệm vụ trọng tâm sau: (i) …. (ii) …"): the
    lead-in and the points of the lines that start with such a marker."""
    for colon in re.finditer(r":[ \t]*\n\s*(?=\()", text[floor:]):
        at = floor + colon.start() + 1
        lead = lead_in(text, at, floor)
        pos = floor + colon.end()
        if lead is None or not _INLINE.match(text, pos):
            continue
        marks: list[int] = []
        while pos < len(text) and _INLINE.match(text, pos):
            stop = text.find("\n", pos)
            stop = len(text) if stop < 0 else stop
            marks += [pos + m.start() for m in _INLINE.finditer(text[pos:stop])]
            marks.append(stop)  # a line's last point ends with it
            pos = stop + 1
            while pos < len(text) and text[pos] in " \t\n":
                pos += 1
        spans = [(a, b) for a, b in zip(marks, marks[1:], strict=False) if text[a] == "("]
        spans = [(a, len(text[:b].rstrip())) for a, b in spans if len(text[a:b].split()) > MIN_POINT_WORDS]
        if len(spans) >= 2:
            return lead, spans
    return None
