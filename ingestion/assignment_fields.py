"""Field lines of plan items: "Cơ quan chủ trì: …", "Cơ quan phối hợp: …", "Thời gian thực hiện: …".

Plans (Kế hoạch, the plans attached to Quyết định) write each task as an item followed by fields
naming its lead, its supporters and its time. A run of such lines is a *field block*; it describes
the item lines written since the previous block under the same heading (the item heading itself,
or the bullets under it). "Nội dung: …" lines belong to the block as its description.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ingestion.actors import find_actors
from ingestion.deadlines import Deadline, find_deadlines
from ingestion.lexicon import tasks as lex
from vectorstore.analyzer import fold

_FIELDS = [
    ("support", re.compile(lex.FIELD_SUPPORT)),
    ("lead", re.compile(lex.FIELD_LEAD)),
    ("time", re.compile(lex.FIELD_TIME)),
    ("content", re.compile(lex.FIELD_CONTENT)),
]
_YEARS = re.compile(lex.FIELD_YEARS)
_VERBS = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in lex.ACTION_VERBS) + r"|tien hanh)\b")


def fold_aligned(text: str) -> str:
    """`fold`, one character for one, so offsets in the folded text are offsets in `text`."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join((fold(ch) or ch)[:1] for ch in text)


def actor_dict(a: Any, role: str) -> dict[str, Any]:
    return {"name": a.name, "role": role, "start": a.start, "end": a.end, "key": a.key}


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
            return FieldLine(kind, start, end, deadline=usable[0] if usable else year_deadline(value, base))
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
