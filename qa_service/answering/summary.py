"""Extractive summaries of one document, read off its section tree.

A directive or plan says what matters in its structure: the points of its "Nhiệm vụ" / "Nội dung"
part, or, when its top level is the points themselves ("1. Giảm tối đa số trẻ bị bỏ rơi mới",
"2. …"), those. A question that names aspects ("những biện pháp và lộ trình chính") gets the parts
whose headings say them, each with its first points; every line is an exact, cited span.
"""

from __future__ import annotations

import re
from typing import Any

from prompts.phrases import phrase
from qa_service.answering.candidates import Candidate
from qa_service.answering.compose import Composer, doc_label
from qa_service.answering.lexicon import AIMS_HEADINGS, STRUCTURAL_HEADINGS, SUBSTANCE_HEADINGS
from qa_service.evidence import coverage, sentence_tokens
from vectorstore.analyzer import fold
from vectorstore.registry import DocumentRecord

SUMMARY_LINES = 5
MAX_PARTS = 2  # parts named by the question, at most
Section = dict[str, Any]


def summarize(composer: Composer, rec: DocumentRecord, cands: list[Candidate]) -> str | None:
    sections = [s for s in rec.metadata.get("sections") or [] if s.get("style") != "attachment"]
    parts = _parts(composer, sections)
    tops = _top_points(sections)
    if tops and (not parts or parts[0] in tops):
        parts, groups = [], [tops]  # the top level is the document's points
    else:
        groups = [_children(sections, p) for p in parts]
    if not any(len(g) >= 2 for g in groups):  # a flat document: its numbered paragraphs are its points
        top = min((s["level"] for s in sections), default=0)
        parts, groups = [], [[s for s in sections if s["level"] == top]]
    per_part = SUMMARY_LINES // len(groups) + 1
    lines = [composer.item_line(rec, it) for g in groups if len(g) >= 2 for it in g[:per_part]]
    items = [it for g in groups for it in g]
    aims = next((s for s in sections if s["level"] <= 1 and re.search(AIMS_HEADINGS, fold(s["heading"]))), None)
    if aims is not None and lines and aims not in items:  # what the document is for, then what it assigns
        first = next((s for s in _children(sections, aims)), aims)
        lines.insert(0, composer.item_line(rec, first))
    if len(lines) < 3:
        mine = [c for c in cands if c.doc_id == rec.doc_id and not c.text.lstrip().startswith("Căn cứ")]
        lines += [f"- {composer.quote(c)}" for c in sorted(mine[: SUMMARY_LINES - len(lines)], key=lambda c: c.start)]
    if not lines:
        return None
    where = phrase("main_points_parts", headings="; ".join(p["heading"] for p in parts)) if parts else ""
    return phrase("main_points", label=doc_label(rec), parts=where) + "\n" + "\n".join(lines)


def _children(sections: list[Section], part: Section) -> list[Section]:
    return [s for s in sections if s["level"] == part["level"] + 1 and part["start"] <= s["start"] < part["end"]]


def _parts(composer: Composer, sections: list[Section]) -> list[Section]:
    """The part whose heading best matches the question (else the first substantive one), then a
    part whose heading says other words of the question ("biện pháp" after "lộ trình"), in order."""
    info = composer.analysis.info
    q = info.content_tokens
    scored = []
    for s in sections:
        if len(_children(sections, s)) < 2:
            continue
        heading = sentence_tokens(s["heading"])
        substance = 0.5 if re.search(SUBSTANCE_HEADINGS, fold(s["heading"])) else 0.0
        scored.append((coverage(q, heading, info.idf) + substance, -s["start"], s, heading))
    if not scored:
        return []
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    chosen = [scored[0]]
    said = set(scored[0][3]) & set(q)
    for entry in scored[1:]:
        new = (set(entry[3]) & set(q)) - said
        if len(chosen) < MAX_PARTS and new and coverage(list(new), entry[3], info.idf) > 0:
            chosen.append(entry)
            said |= new
    return sorted((c[2] for c in chosen), key=lambda s: s["start"])


def _top_points(sections: list[Section]) -> list[Section]:
    """The top-level items when they are the document's points rather than its structure
    ("I. MỤC ĐÍCH, YÊU CẦU", "Chương II", "Điều 3." are structure)."""
    top = min((s["level"] for s in sections), default=0)
    tops = [s for s in sections if s["level"] == top]
    structural = sum(1 for s in tops if re.search(STRUCTURAL_HEADINGS, fold(s["heading"])))
    return tops if len(tops) >= 3 and structural * 2 < len(tops) else []
