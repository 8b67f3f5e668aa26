"""Extractive summaries of one document, read off its section tree.

A directive or plan says what matters in its structure: the points of its "Nhiệm vụ" / "Nội dung"
part, or, when its top level is the points themselves ("1. Giảm tối đa số trẻ bị bỏ rơi mới",
"2. …"), those, after the sentence that announces them ("… Ủy ban nhân dân tỉnh yêu cầu:"). A
question that names aspects ("những biện pháp và lộ trình chính") gets the parts whose headings say
them, each with its first points; there a point that only announces sub-points ("1. Trước ngày 01
tháng 01 năm 2030:") gives them the lines its part has to spare (a document's top-level points are
enough on their own). Points written in running text after the announcing sentence ("(i) …; (ii)
…") are the points of a page without numbered headings. Every line is an exact, cited span
(`summary_lines`); SUMMARY_LINES lines and cited passages at most.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from prompts.phrases import phrase
from qa_service.answering.candidates import Candidate
from qa_service.answering.compose import Composer, doc_label
from qa_service.answering.lexicon import AIMS_HEADINGS, STRUCTURAL_HEADINGS, SUBSTANCE_HEADINGS, SUMMARY_ASPECTS
from qa_service.answering.summary_lines import Span, inline_points, item_span, lead_in, line, point_spans
from qa_service.evidence import coverage, sentence_tokens
from vectorstore.analyzer import fold
from vectorstore.registry import DocumentRecord

SUMMARY_LINES = 6
MAX_PARTS = 2  # parts named by the question, at most
Section = dict[str, Any]
_CITED = re.compile(r"\[(\d+)\]")


def summarize(composer: Composer, rec: DocumentRecord, cands: list[Candidate]) -> str | None:
    sections = [s for s in rec.metadata.get("sections") or [] if s.get("style") != "attachment"]
    text, floor = rec.text, int(rec.metadata.get("body_start") or 0)
    parts = _parts(composer, sections)
    tops = _top_points(sections)
    if tops and (not parts or parts[0] in tops):
        parts, groups = [], [tops]  # the top level is the document's points
    else:
        groups = [_children(sections, p) for p in parts]
    if not any(len(g) >= 2 for g in groups):  # a flat document: its numbered paragraphs are its points
        top = min((s["level"] for s in sections), default=0)
        parts, groups = [], [[s for s in sections if s["level"] == top]]
    groups = [g for g in groups if len(g) >= 2]
    head: Span | None = None
    spans: list[Span] = []
    if groups and not parts:  # the sentence announcing the points, right before the first
        head = lead_in(text, groups[0][0]["start"], floor)
    aims = next((s for s in sections if s["level"] <= 1 and re.search(AIMS_HEADINGS, fold(s["heading"]))), None)
    named = any(coverage(composer.analysis.info.content_tokens, sentence_tokens(p["heading"])) > 0 for p in parts)
    if head is None and aims is not None and groups and not named and aims not in [it for g in groups for it in g]:
        head = item_span(text, next(iter(_children(sections, aims)), aims))  # what the document is for
    if not groups and (found := inline_points(text, floor)):  # "… sau: (i) …; (ii) …" in running text
        head, spans = found[0], found[1][: SUMMARY_LINES - 1]
    share = max(2, (SUMMARY_LINES - (head is not None)) // max(1, len(groups)))
    reach = _reach(composer, rec)
    for g in groups:
        spans += point_spans(text, _fill(sections, g, share) if parts else g, share, reach)
    lines: list[str] = []
    cited: set[str] = set()
    for span in ([head] if head and spans else []) + spans:  # SUMMARY_LINES passages cited at most
        made = line(composer, rec, span)
        if len(cited | set(_CITED.findall(made))) > SUMMARY_LINES:
            break
        lines.append(made)
        cited |= set(_CITED.findall(made))
    if len(lines) < 3:
        mine = [c for c in cands if c.doc_id == rec.doc_id and not c.text.lstrip().startswith("Căn cứ")]
        lines += [f"- {composer.quote(c)}" for c in sorted(mine[: SUMMARY_LINES - len(lines)], key=lambda c: c.start)]
    if not lines:
        return None
    where = phrase("main_points_parts", headings="; ".join(p["heading"] for p in parts)) if parts else ""
    return phrase("main_points", label=doc_label(rec), parts=where) + "\n" + "\n".join(lines)


def _reach(composer: Composer, rec: DocumentRecord) -> Callable[[int], int]:
    def reach(start: int) -> int:
        chunk = composer.cites.widest_chunk(rec, start)
        return int(chunk.metadata["end"]) if chunk is not None else len(rec.text)
    return reach


def _children(sections: list[Section], part: Section) -> list[Section]:
    return [s for s in sections if s["level"] == part["level"] + 1 and part["start"] <= s["start"] < part["end"]]


def _fill(sections: list[Section], items: list[Section], share: int) -> list[Section]:
    """A part with fewer points than its share of lines: a point that announces sub-points ("1. Trước
    ngày 01 tháng 01 năm 2030:", shown with its first) lists the others after it."""
    out = list(items)
    i = 0
    while i < len(out) and len(out) < share:
        kids = _children(sections, out[i])
        if len(kids) >= 2 and out[i]["heading"] and _announces(out[i], kids[0]):
            out[i + 1 : i + 1] = kids[1:]
            i += len(kids) - 1
        i += 1
    return out


def _announces(item: Section, first: Section) -> bool:
    return first["start"] - item["start"] <= len(item["heading"]) + 8  # nothing but the heading before its first


def _parts(composer: Composer, sections: list[Section]) -> list[Section]:
    """The part whose heading best matches the question (else the first substantive one), then a
    part whose heading says an aspect the question names and the first does not ("lộ trình" after
    "biện pháp"), neither inside the other, in order."""
    info = composer.analysis.info
    q = info.content_tokens
    scored = []
    for s in sections:
        if len(_children(sections, s)) < 2:
            continue
        heading = sentence_tokens(s["heading"])
        substance = 0.5 if re.search(SUBSTANCE_HEADINGS, fold(s["heading"])) else 0.0
        scored.append((coverage(q, heading, info.idf) + substance, -s["start"], s))
    if not scored:
        return []
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    chosen = [scored[0][2]]
    asked = set(re.findall(SUMMARY_ASPECTS, info.folded))
    said = set(re.findall(SUMMARY_ASPECTS, fold(chosen[0]["heading"])))
    for _, _, s in scored[1:]:
        new = set(re.findall(SUMMARY_ASPECTS, fold(s["heading"]))) & (asked - said)
        if len(chosen) < MAX_PARTS and new and not any(_nested(s, c) for c in chosen):
            chosen.append(s)
            said |= new
    return sorted(chosen, key=lambda s: s["start"])


def _nested(a: Section, b: Section) -> bool:
    return a["start"] <= b["start"] < a["end"] or b["start"] <= a["start"] < b["end"]


def _top_points(sections: list[Section]) -> list[Section]:
    """The top-level items when they are the document's points rather than its structure
    ("I. MỤC ĐÍCH, YÊU CẦU", "Chương II", "Điều 3." are structure)."""
    top = min((s["level"] for s in sections), default=0)
    tops = [s for s in sections if s["level"] == top]
    structural = sum(1 for s in tops if re.search(STRUCTURAL_HEADINGS, fold(s["heading"])))
    return tops if len(tops) >= 3 and structural * 2 < len(tops) else []
