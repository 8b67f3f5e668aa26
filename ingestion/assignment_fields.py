"""Where a task's actors come from: field lines, addressing headings, and the words around a body.

Field lines of plan items ("Cơ quan chủ trì: …", "Cơ quan phối hợp: …", "Thời gian thực hiện: …").

Plans (Kế hoạch, the plans attached to Quyết định) write each task as an item followed by fields
naming its lead, its supporters and its time. A run of such lines is a *field block*; it describes
the item lines written since the previous block under the same heading (the item heading itself,
or the bullets under it). "Nội dung: …" lines belong to the block as its description.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ingestion.actors import ActorSpan, canonical_key, find_actors
from ingestion.deadlines import Deadline, find_deadlines
from ingestion.lexicon import tasks as lex
from ingestion.sections import Section
from ingestion.shared_heads import before_shared_head, same_list
from vectorstore.analyzer import fold

_FIELDS = [
    ("support", re.compile(lex.FIELD_SUPPORT)),
    ("lead", re.compile(lex.FIELD_LEAD)),
    ("time", re.compile(lex.FIELD_TIME)),
    ("content", re.compile(lex.FIELD_CONTENT)),
]
_YEARS = re.compile(lex.FIELD_YEARS)
_LEAD_AFTER = re.compile(lex.LEAD_AFTER)
_REQUESTER_AFTER = re.compile(lex.REQUESTER_AFTER)
_LEAD_BEFORE = re.compile(lex.LEAD_BEFORE)
_TOPIC_LEAD_BEFORE = re.compile(lex.TOPIC_LEAD_BEFORE)
_ASSIGNEE_BEFORE = re.compile(lex.ASSIGNEE_BEFORE)
_SUPPORT_BEFORE = re.compile(lex.SUPPORT_BEFORE)
_OBJECT_BEFORE = re.compile(lex.OBJECT_BEFORE)
_DIRECTED_BEFORE = re.compile(lex.DIRECTED_BEFORE)
_CLAUSE_START = re.compile(lex.CLAUSE_START)
_OPENING = re.compile(lex.OPENING_PHRASE)
_TIME_LEAD = re.compile(lex.TIME_LEAD_BEFORE)
_LIST_JOINER = re.compile(lex.LIST_JOINER)
_NOT_A_TASK = re.compile(lex.NOT_A_TASK)
_PAST = re.compile(r"^\s*(?:da|dang|vua)\b")
_HEADING_ADDRESS = re.compile(lex.HEADING_ADDRESS)
_HEADING_REQUEST = re.compile(lex.HEADING_REQUEST)
MARKER = re.compile(r"^\s*(?:[-–—•*+]|(?:[IVXLC]+|\d{1,3}(?:\.\d{1,2})*|[a-zđ])[.)])\s*")
_VERBS = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in lex.ACTION_VERBS) + r"|tien hanh)\b")


def fold_aligned(text: str) -> str:
    """`fold`, one character for one, so offsets in the folded text are offsets in `text`."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join((fold(ch) or ch)[:1] for ch in text)


def actor_dict(a: Any, role: str) -> dict[str, Any]:
    out = {"name": a.display, "role": role, "start": a.start, "end": a.end, "key": a.key}
    if a.full:  # "Xây dựng" in "các Bộ: …, Xây dựng": the span holds the name as written
        out["written"] = a.name
    return out


@dataclass
class FieldLine:
    kind: str  # lead | support | time | content
    start: int
    end: int
    actors: list[dict[str, Any]] = field(default_factory=list)
    deadline: Deadline | None = None


@dataclass
class FieldBlock:
    """The fields of one item: its leads, supporters, time and the span of its lines."""

    lead: list[dict[str, Any]] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)
    time: Deadline | None = None
    start: int = -1
    end: int = -1

    def add(self, line: FieldLine) -> None:
        self.start = line.start if self.start < 0 else self.start
        self.end = line.end
        if line.kind == "lead":
            self.lead += line.actors
        elif line.kind == "support":
            self.support += line.actors
        elif line.kind == "time":
            self.time = self.time or line.deadline


def year_deadline(value: str, base: int) -> Deadline | None:
    """"năm 2026 - 2027" or "2025" as a completion time: the end of the last year."""
    m = _YEARS.match(fold_aligned(value))
    if not m:
        return None
    text = value.strip().rstrip(".")
    start = base + value.index(text[:1]) if text else base
    return Deadline(text, start, start + len(text), "period", dt.date(int(m.group(2)), 12, 31).isoformat(), None)


def whole_value(found: Deadline, value: str, base: int) -> Deadline:
    """The time field's whole value as the deadline's words: "Thời gian thực hiện: Hoàn thành trong năm
    2025." is due "Hoàn thành trong năm 2025" (dated as "trong năm 2025"), unless the value runs on."""
    text = value.strip().rstrip(".;")
    if not text or len(text) > FIELD_VALUE_MAX:
        return found
    start = base + value.index(text[:1])
    return replace(found, text=text, start=start, end=start + len(text))


FIELD_VALUE_MAX = 80  # characters; a longer value is a sentence, whose deadline words are quoted alone


def field_line(text: str, start: int, end: int, reference: dt.date | None) -> FieldLine | None:
    """The field `text[start:end]` (one paragraph) states, or None when it is no field line.

    "Cơ quan thực hiện: Bộ Công an tiến hành rà soát …; các bộ … rà soát …" names its doers in full
    sentences: it is read as an ordinary task line, not as a field."""
    line = text[start:end]
    folded = fold_aligned(line)
    for kind, pattern in _FIELDS:
        m = pattern.match(folded)
        if not m:
            continue
        value, base = line[m.end() :], start + m.end()
        if kind == "time":
            found = find_deadlines(value, base, reference)
            usable = [d for d in found if not d.relative]
            return FieldLine(kind, start, end, deadline=whole_value(usable[0], value, base) if usable
                             else year_deadline(value, base))
        if kind == "content":
            return FieldLine(kind, start, end)
        found_actors = find_actors(value, base)
        rest = folded[m.end() :]
        for a in reversed(found_actors):
            rest = rest[: a.start - base] + " " * (a.end - a.start) + rest[a.end - base :]
        if found_actors and len(rest.split()) >= 4 and _VERBS.search(rest):
            return None  # a sentence with its own subject: the caller reads it as a task line
        return FieldLine(kind, start, end, actors=[actor_dict(a, kind) for a in found_actors])
    return None


# Roles: the words around a body say whether it leads, supports, is asked, or is no actor here.

def _groups(folded: str, actors: list[ActorSpan], base: int) -> list[list[ActorSpan]]:
    """Runs of bodies listed together ("Sở Tài chính, Sở Nội vụ và UBND các xã")."""
    groups: list[list[ActorSpan]] = []
    for a in actors:
        gap = folded[groups[-1][-1].end - base : a.start - base] if groups else ""
        opens = gap.strip() == "," and _OPENING.match(folded[: a.start - base]) and _predicate(folded[a.end - base :])
        if groups and not opens and (_LIST_JOINER.match(gap) or (a.full and groups[-1][-1].full and same_list(gap))):
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


def _predicate(after: str) -> bool:
    """The words after a body make it a subject: a task verb comes within a few words, no "đã"."""
    words = after.replace(",", " , ").split()[:9]
    head = " ".join(words)
    return not _PAST.match(" ".join(w for w in words[:5] if w in ("da", "dang", "vua"))) and bool(
        _VERBS.search(head) or _LEAD_AFTER.match(after))


def _role(folded: str, group: list[ActorSpan], base: int) -> str | None:
    """lead | support | assignee for a group of bodies, or None when they are not actors here.

    `folded` has the bodies before the group masked with "§", so that "phối hợp X, Y" may skip one
    unrecognised item X but never a recognised body."""
    before = folded[: group[0].start - base]
    if group[0].full:  # "đề nghị các Bộ: Xây dựng, Y tế": the request stands before the shared head
        before = before_shared_head(before)
    after = folded[group[-1].end - base :]
    if _SUPPORT_BEFORE.search(before[-90:]):
        return "support"
    if _LEAD_BEFORE.search(before[-30:]) or _TOPIC_LEAD_BEFORE.search(before):
        return "lead"
    if _ASSIGNEE_BEFORE.search(before[-30:]):
        return "lead" if _LEAD_AFTER.match(after) else "assignee"
    if _OBJECT_BEFORE.search(before[-90:]) or _DIRECTED_BEFORE.search(before[-90:]) or _NOT_A_TASK.match(after):
        return None
    if _REQUESTER_AFTER.match(after):
        return None
    head = MARKER.sub("", before, count=1)
    if not head.strip(" ,:;"):
        return "lead"
    if (_CLAUSE_START.search(head) and _predicate(after)) or _LEAD_AFTER.match(after) or _TIME_LEAD.match(head):
        return "lead"
    return None


def actors_of(sentence: str, base: int, found: list[ActorSpan] | None = None) -> list[dict[str, Any]]:
    folded = fold_aligned(sentence)
    found = find_actors(sentence, base) if found is None else found
    masked = list(folded)
    out: list[dict[str, Any]] = []
    for group in _groups(folded, found, base):
        role = _role("".join(masked), group, base)
        if role is not None:
            out += [actor_dict(a, role) for a in group]
        for a in group:
            masked[a.start - base : a.end - base] = "§" * (a.end - a.start)
    return out


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _whole_heading_name(heading: str, base: int, actor: ActorSpan) -> dict[str, Any]:
    """A heading that is one body's name, which the name patterns end too soon: "4. Cục Mỹ thuật, Nhiếp ảnh
    và Triển lãm" (only the first syllable of each part is capitalised, so "Cục Mỹ" is all they see). The
    rest of the heading goes on the name when it reads as one: lower-case or a comma next, a few words,
    no digit, no verb."""
    tail = heading[actor.end - base :].rstrip(" .:;")
    words = tail.replace(",", " ").split()
    if not tail or not (tail[0] == "," or tail[:1].islower()) or len(words) > _NAME_TAIL_WORDS:
        return {}
    folded = fold_aligned(tail).lower()
    if any(ch.isdigit() for ch in tail) or _VERBS.search(folded) or _PAST.search(folded) or "(" in tail:
        return {}
    name = heading[actor.start - base : actor.end - base] + tail  # one line: as written, offsets hold
    return {"name": name, "end": actor.end + len(tail), "key": canonical_key(name)}


_NAME_TAIL_WORDS = 8


def heading_actors(
    text: str, chain: list[Section], unit_start: int
) -> tuple[list[dict[str, Any]], bool, tuple[int, int] | None]:
    """The bodies a heading above the unit addresses ("2. Sở Tài chính:", "1. Các cơ quan đăng ký
    đầu tư (Sở Tài chính, …):", "Đề nghị Ủy ban Mặt trận Tổ quốc …:"), with the supporters it names
    ("3. Bộ Y tế chủ trì, phối hợp với các địa phương:"), whether it only requests, and the heading line's
    span (its deadline, "1. Định kỳ (trước ngày 30/6 hằng năm), UBND cấp xã có trách nhiệm:", is the points')."""
    for sec in reversed(chain):
        if sec.start >= unit_start:
            continue  # the unit's own line
        line = text[sec.start : _line_end(text, sec.start)]
        colon = line.find(":")
        heading = line[:colon] if colon > 0 else line
        found = find_actors(heading, sec.start)
        if not found:
            continue
        folded = fold_aligned(heading)
        roles = {a["start"]: a["role"] for a in actors_of(heading, sec.start, found)}
        if not _HEADING_ADDRESS.match(folded[: found[0].start - sec.start]):
            # "5. Để …, các Sở, ngành … triển khai thực hiện những nội dung sau:" - its subjects.
            subjects = [a for a in found if roles.get(a.start) in ("lead", "assignee")]
            if not (line.rstrip().endswith(":") and subjects):
                continue  # names a body in passing ("1. Rà soát … của Sở Nội vụ"): not addressed to it
            found = [a for a in found if a.start >= subjects[0].start]
        # "Các cơ quan đăng ký đầu tư (Sở Tài chính, …)": the list in brackets names them.
        named = [a for i, a in enumerate(found)
                 if not (i + 1 < len(found) and "(" in heading[a.end - sec.start : found[i + 1].start - sec.start])]
        request = bool(_HEADING_REQUEST.match(folded))
        lead = [actor_dict(a, "support" if roles.get(a.start) == "support" else "lead") for a in named]
        if len(lead) == 1 and len(found) == 1:
            lead[0] |= _whole_heading_name(heading, sec.start, found[0])
        return lead, request, (sec.start, sec.start + len(line))
    return [], False, None


def leadin_actors(text: str, unit_start: int) -> list[dict[str, Any]]:
    """"Thủ tướng Chính phủ yêu cầu Bộ Công an chỉ đạo Công an các địa phương như sau:" then "- Cương quyết
    xử lý …": the bodies a lead-in line asks (its assignees) do the points below it."""
    pos = unit_start
    while pos > 0 and unit_start - pos < _LEADIN_REACH:
        line_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[line_start:pos].strip()
        pos = line_start
        if not line or _POINT.match(line):
            continue  # another point of the same list
        if not line.endswith(":"):
            return []
        return [a for a in actors_of(line, line_start + text[line_start:].index(line[0])) if a["role"] == "assignee"]
    return []


_POINT = re.compile(r"^\s*(?:[-–—•*+]|[a-zđ][.)])\s")
_LEADIN_REACH = 3000


# Which of a task's time expressions is its deadline: the most binding kind, then the first.
_DEADLINE_PREFERENCE = {"before": 0, "within": 1, "time": 2, "recurring": 3, "on": 4, "period": 5}
_REPORT_TO = [re.compile(p) for p in lex.REPORT_TO]


def pick_deadline(found: list[Deadline]) -> Deadline | None:
    usable = [d for d in found if d.kind in _DEADLINE_PREFERENCE]
    return min(usable, key=lambda d: (_DEADLINE_PREFERENCE[d.kind], d.start)) if usable else None


def report_recipient(sentence: str, base: int) -> str | None:
    folded = fold_aligned(sentence)
    for pattern in _REPORT_TO:
        for m in pattern.finditer(folded):
            after = [a for a in find_actors(sentence[m.end() :], base + m.end()) if a.start - base - m.end() <= 6]
            if after:
                return after[0].name
    return None
