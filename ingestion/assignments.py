"""Assignments (facts v2): who must do what, by when, how often, reporting to whom.

One task per sentence of the body that gives work to a body. The actors come from the sentence
("Sở Tài chính chủ trì, phối hợp với Sở Nội vụ …") or, for a bullet that names nobody, from the
heading it stands under ("2. Sở Giáo dục và Đào tạo:" then "- Tham mưu …"). Roles are read from
the words around each body (lexicon/tasks.py); deadlines from ingestion.deadlines. Every task
keeps the exact span of its sentence, so an answer built from it cites the document itself.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ingestion.actors import ActorSpan, find_actors
from ingestion.deadlines import Deadline, find_deadlines
from ingestion.lexicon import tasks as lex
from ingestion.sections import Section, SectionIndex
from ingestion.split import Span
from vectorstore.analyzer import fold

_LEAD_AFTER = re.compile(lex.LEAD_AFTER)
_LEAD_BEFORE = re.compile(lex.LEAD_BEFORE)
_ASSIGNEE_BEFORE = re.compile(lex.ASSIGNEE_BEFORE)
_SUPPORT_BEFORE = re.compile(lex.SUPPORT_BEFORE)
_REPORT_TO = re.compile(lex.REPORT_TO)
_LIST_JOINER = re.compile(lex.LIST_JOINER)
_NOT_A_TASK = re.compile(lex.NOT_A_TASK)
_NON_TASK_SECTION = re.compile(lex.NON_TASK_SECTIONS)
_VERBS = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in lex.ACTION_VERBS) + r")\b")
_MARKER = re.compile(r"^\s*(?:[-–—•*+]|(?:[IVXLC]+|\d{1,3}(?:\.\d{1,2})*|[a-zđ])[.)])\s*")
_DEADLINE_PREFERENCE = {"before": 0, "within": 1, "time": 2, "recurring": 3, "on": 4, "period": 5}


@dataclass
class Task:
    actors: list[dict[str, Any]]
    action: str
    start: int
    end: int
    sentence: str
    section: str = ""
    deadline: dict[str, Any] | None = None
    report_to: str | None = None
    inherited: bool = False
    chunk_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_fact(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("extra")
        return {"kind": "task", **out, **self.extra}


def fold_aligned(text: str) -> str:
    """`fold`, one character for one, so offsets in the folded text are offsets in `text`."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join((fold(ch) or ch)[:1] for ch in text)


def _groups(sentence: str, actors: list[ActorSpan], base: int) -> list[list[ActorSpan]]:
    """Runs of bodies listed together ("Sở Tài chính, Sở Nội vụ và UBND các xã")."""
    groups: list[list[ActorSpan]] = []
    folded = fold_aligned(sentence)
    for a in actors:
        if groups and _LIST_JOINER.match(folded[groups[-1][-1].end - base : a.start - base]):
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


def _role(folded: str, group: list[ActorSpan], base: int) -> str | None:
    """lead | support | assignee for a group of bodies, or None when they are not actors."""
    before = folded[: group[0].start - base]
    after = folded[group[-1].end - base :]
    if _SUPPORT_BEFORE.search(before[-45:]):
        return "support"
    if _LEAD_BEFORE.search(before[-30:]) or _LEAD_AFTER.match(after):
        return "lead"
    if _NOT_A_TASK.match(after):
        return None
    head = _MARKER.sub("", before).strip(" ,:;")
    if not head or _ASSIGNEE_BEFORE.search(before[-25:]) and len(head) <= 40:
        return "assignee"
    return None


def _actors_of(sentence: str, base: int) -> list[dict[str, Any]]:
    folded = fold_aligned(sentence)
    out: list[dict[str, Any]] = []
    for group in _groups(sentence, find_actors(sentence, base), base):
        role = _role(folded, group, base)
        if role is None:
            continue
        out += [{"name": a.name, "role": role, "start": a.start, "end": a.end, "key": a.key} for a in group]
    return out


def _heading_actors(chain: list[Section], sentence_start: int) -> list[dict[str, Any]]:
    """The bodies a heading above the sentence gives the work to ("2. Sở Tài chính:")."""
    for sec in reversed(chain):
        if sec.start >= sentence_start:
            continue  # the sentence's own line
        found = [a for a in _actors_of(sec.heading, sec.start) if a["role"] in ("lead", "assignee")]
        if found:
            return found
    return []


def _pick_deadline(found: list[Deadline]) -> Deadline | None:
    usable = [d for d in found if d.kind in _DEADLINE_PREFERENCE]
    return min(usable, key=lambda d: (_DEADLINE_PREFERENCE[d.kind], d.start)) if usable else None


def _report_to(sentence: str, base: int) -> str | None:
    m = _REPORT_TO.search(fold_aligned(sentence))
    if not m:
        return None
    after = [a for a in find_actors(sentence[m.end() :], base + m.end()) if a.start - base - m.end() <= 6]
    return after[0].name if after else None


def sentence_task(
    text: str, span: Span, index: SectionIndex, reference: date | None = None
) -> Task | None:
    """The task `text[span]` assigns, if it assigns one."""
    sentence = text[span.start : span.end]
    chain = index.chain(span.start)
    top = next((s for s in chain if not s.is_bullet), None)
    if top is not None and _NON_TASK_SECTION.search(fold(top.heading)):
        return None
    actors = _actors_of(sentence, span.start)
    doers = [a for a in actors if a["role"] in ("lead", "assignee")]
    inherited = False
    if not doers:
        doers = _heading_actors(chain, span.start)
        inherited = bool(doers)
        if not doers:
            return None
        body = fold_aligned(_MARKER.sub("", sentence))
        role = "lead" if body.startswith("chu tri") else "assignee"
        actors = [{**a, "role": role} for a in doers] + [a for a in actors if a["role"] == "support"]
    folded = fold_aligned(sentence)
    action_from = max(a["end"] for a in doers) - span.start if not inherited else len(_MARKER.match(sentence).group(0)) if _MARKER.match(sentence) else 0
    action = sentence[action_from:].strip(" ,:;.-–")
    deadlines = find_deadlines(sentence, span.start, reference)
    if not action or not (_VERBS.search(folded[action_from:]) or deadlines):
        return None
    chosen = _pick_deadline(deadlines)
    return Task(
        actors=actors,
        action=action,
        start=span.start,
        end=span.end,
        sentence=sentence,
        section=index.path(span.start),
        deadline=None if chosen is None else {
            "text": chosen.text, "date": chosen.date, "recurrence": chosen.recurrence,
            "start": chosen.start, "end": chosen.end,
        },
        report_to=_report_to(sentence, span.start),
        inherited=inherited,
    )


def extract_tasks(
    text: str,
    spans: list[Span],
    index: SectionIndex,
    reference: date | None = None,
    body: tuple[int, int] | None = None,
) -> list[Task]:
    """Tasks of every sentence inside `body` (the part between the heading block and "Nơi nhận")."""
    lo, hi = body or (0, len(text))
    out = []
    for span in spans:
        if span.start < lo or span.start >= hi:
            continue
        task = sentence_task(text, span, index, reference)
        if task is not None:
            out.append(task)
    return out
