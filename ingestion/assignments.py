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
_FIELD_LEAD = re.compile(lex.FIELD_LEAD)
_FIELD_SUPPORT = re.compile(lex.FIELD_SUPPORT)
_FIELD_TIME = re.compile(lex.FIELD_TIME)
_HEADING_ADDRESS = re.compile(lex.HEADING_ADDRESS)
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
    """The bodies a heading above the sentence addresses ("2. Sở Tài chính:", "1. Các cơ quan
    đăng ký đầu tư (Sở Tài chính, …):", "Đề nghị Ủy ban Mặt trận Tổ quốc …:")."""
    for sec in reversed(chain):
        if sec.start >= sentence_start:
            continue  # the sentence's own line
        found = find_actors(sec.heading, sec.start)
        if not found:
            continue
        folded = fold_aligned(sec.heading)
        if not _HEADING_ADDRESS.match(folded[: found[0].start - sec.start]):
            continue  # names a body in passing ("1. Rà soát … của Sở Nội vụ"): not addressed to it
        # "Các cơ quan đăng ký đầu tư (Sở Tài chính, …)": the list in brackets names them.
        named = [a for i, a in enumerate(found)
                 if not (i + 1 < len(found) and "(" in sec.heading[a.end - sec.start : found[i + 1].start - sec.start])]
        return [{"name": a.name, "role": "lead", "start": a.start, "end": a.end, "key": a.key} for a in named]
    return []


@dataclass
class Fields:
    """Actors and timing written as fields under a task ("Cơ quan chủ trì: Bộ Công an.")."""

    lead: list[dict[str, Any]] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)
    time: Deadline | None = None
    lines: list[tuple[int, int]] = field(default_factory=list)


def field_of(text: str, span: Span, reference: date | None) -> tuple[str, Any] | None:
    """("lead" | "support", actors) or ("time", deadline) when the sentence is a field line."""
    sentence = text[span.start : span.end]
    folded = fold_aligned(sentence)
    for name, pattern in (("support", _FIELD_SUPPORT), ("lead", _FIELD_LEAD), ("time", _FIELD_TIME)):
        m = pattern.match(folded)
        if not m:
            continue
        if name == "time":
            found = find_deadlines(sentence[m.end() :], span.start + m.end(), reference)
            return ("time", found[0] if found else None)
        actors = find_actors(sentence[m.end() :], span.start + m.end())
        return (name, [{"name": a.name, "role": name, "start": a.start, "end": a.end, "key": a.key} for a in actors])
    return None


def collect_fields(text: str, spans: list[Span], index: SectionIndex, reference: date | None) -> dict[int, Fields]:
    """Field lines grouped by the section (start offset) they describe."""
    out: dict[int, Fields] = {}
    for span in spans:
        found = field_of(text, span, reference)
        if found is None:
            continue
        owner = next((s for s in reversed(index.chain(span.start)) if s.is_heading and s.start < span.start), None)
        key = owner.start if owner else -1
        fields = out.setdefault(key, Fields())
        fields.lines.append((span.start, span.end))
        name, value = found
        if name == "time":
            fields.time = fields.time or value
        else:
            getattr(fields, name).extend(value)
    return out


def _pick_deadline(found: list[Deadline]) -> Deadline | None:
    usable = [d for d in found if d.kind in _DEADLINE_PREFERENCE]
    return min(usable, key=lambda d: (_DEADLINE_PREFERENCE[d.kind], d.start)) if usable else None


def _report_to(sentence: str, base: int) -> str | None:
    m = _REPORT_TO.search(fold_aligned(sentence))
    if not m:
        return None
    after = [a for a in find_actors(sentence[m.end() :], base + m.end()) if a.start - base - m.end() <= 6]
    return after[0].name if after else None


@dataclass
class Context:
    """What a sentence's task may borrow from around it: headings, field lines, the issue date."""

    index: SectionIndex
    fields: dict[int, Fields]
    field_lines: set[int]
    reference: date | None = None


def _borrowed(chain: list[Section], span: Span, ctx: Context) -> tuple[list[dict[str, Any]], Fields | None]:
    """Doers (and the field block) from the nearest heading or field block above the sentence."""
    for sec in reversed(chain):
        fields = ctx.fields.get(sec.start)
        if fields and fields.lead:
            return [{**a, "role": "lead"} for a in fields.lead], fields
    return _heading_actors(chain, span.start), None


def sentence_task(text: str, span: Span, ctx: Context) -> Task | None:
    """The task `text[span]` assigns, if it assigns one."""
    sentence = text[span.start : span.end]
    chain = ctx.index.chain(span.start)
    if any(s.is_heading and s.style != "attachment" and _NON_TASK_SECTION.search(fold(s.heading)) for s in chain):
        return None  # aims, grounds, situation: no assignments there
    folded = fold_aligned(sentence)
    actors = _actors_of(sentence, span.start)
    doers = [a for a in actors if a["role"] in ("lead", "assignee")]
    marker = _MARKER.match(sentence)
    action_from = max(a["end"] for a in doers) - span.start if doers else (marker.end() if marker else 0)
    fields = None
    inherited = not doers
    if inherited:
        doers, fields = _borrowed(chain, span, ctx)
        if not doers:
            return None
        role = "lead" if folded[action_from:].lstrip().startswith("chu tri") or fields else "lead"
        supports = [a for a in actors if a["role"] == "support"] + (fields.support if fields else [])
        actors = [{**a, "role": role} for a in doers] + supports
    action = sentence[action_from:].strip(" ,:;.-–")
    deadlines = find_deadlines(sentence, span.start, ctx.reference)
    if fields is not None and fields.time is not None and not deadlines:
        deadlines = [fields.time]
    is_item = fields is not None and span.start in ctx.fields
    if not action or not (_VERBS.search(folded[action_from:]) or deadlines or is_item):
        return None
    chosen = _pick_deadline(deadlines)
    return Task(
        actors=actors,
        action=action,
        start=span.start,
        end=span.end,
        sentence=sentence,
        section=ctx.index.path(span.start),
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
    skip: list[tuple[int, int]] | None = None,
) -> list[Task]:
    """Tasks of every sentence inside `body` (after the heading block), outside `skip` ("Nơi nhận")."""
    lo, hi = body or (0, len(text))
    inside = [sp for sp in spans if lo <= sp.start < hi and not any(a <= sp.start < b for a, b in skip or ())]
    fields = collect_fields(text, inside, index, reference)
    ctx = Context(index, fields, {start for f in fields.values() for start, _ in f.lines}, reference)
    # A task item whose only content is its field lines is itself the task ("1. Tổ chức tuyên
    # truyền …" then "- Cơ quan chủ trì: Bộ Công an."); one with bullets gives its bullets.
    with_bullets = {key for key in fields for sp in inside
                    if sp.start > key and sp.start not in ctx.field_lines and _owner(index, sp.start) == key}
    out = []
    for span in inside:
        if span.start in ctx.field_lines:
            continue
        if span.start in fields and span.start in with_bullets:
            continue
        task = sentence_task(text, span, ctx)
        if task is not None:
            out.append(task)
    return out


def _owner(index: SectionIndex, offset: int) -> int:
    owner = next((s for s in reversed(index.chain(offset)) if s.is_heading and s.start < offset), None)
    return owner.start if owner else -1
