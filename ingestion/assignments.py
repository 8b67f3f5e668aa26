"""Assignments (facts v2): who must do what, by when, how often, reporting to whom.

One task per list item or paragraph of the body that gives work to a body (a paragraph holding
separately-addressed duties gives one task each, cut at the sentence or at the ";" where the new
doer starts). The actors come from the text ("Sở Tài chính chủ trì, phối hợp với Sở Nội vụ …"),
from the heading the item stands under ("2. Sở Giáo dục và Đào tạo:" then "- Tham mưu …"), or
from the field lines of a plan item ("Cơ quan chủ trì: …", see ingestion.assignment_fields). Roles
are read from the words around each body (lexicon/tasks.py); deadlines from ingestion.deadlines.
Every task keeps the exact span of its text, so an answer built from it cites the document itself.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ingestion.assignment_fields import MARKER as _MARKER
from ingestion.assignment_fields import (
    FieldBlock,
    actors_of,
    field_line,
    fold_aligned,
    heading_actors,
    leadin_actors,
    pick_deadline,
    report_recipient,
)
from ingestion.deadlines import Deadline, find_deadlines
from ingestion.lexicon import tasks as lex
from ingestion.sections import Section, SectionIndex
from ingestion.shared_heads import list_regions
from ingestion.split import Span, group_paragraphs
from vectorstore.analyzer import fold
from vectorstore.task_rows import TaskFact

__all__ = ["Task", "extract_tasks", "fold_aligned", "paragraph_tasks", "pick_deadline", "report_recipient"]

_PAST = re.compile(r"^\s*(?:da|dang|vua)\b")
_REPORT_DUTY = re.compile(lex.REPORT_DUTY)
_NON_TASK_SECTION = re.compile(lex.NON_TASK_SECTIONS)
_CLOSING = re.compile(lex.CLOSING_FORMULAS)
_DESCRIPTIVE = re.compile(lex.DESCRIPTIVE_SECTIONS)
_LEADS_ITSELF = re.compile(lex.LEADS_ITSELF)
_HONORIFIC = re.compile(lex.HONORIFIC_REQUEST)
_POINT_LINE = re.compile(r"^\s*(?:[-–—•*+]|[a-zđ][.)])\s")  # a point under a lead-in line
_VERBS = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in lex.ACTION_VERBS) + r")\b")


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

    def record(self, doc_id: str = "") -> TaskFact:
        """The typed record the registry stores (`vectorstore.task_rows`)."""
        return TaskFact.from_json({**asdict(self), "kind": "task"}, doc_id)

    def as_fact(self) -> dict[str, Any]:
        return self.record().as_json()


@dataclass
class Piece:
    """A sentence, or a clause of one that starts with its own doer."""

    start: int
    end: int
    actors: list[dict[str, Any]]
    deadlines: list[Deadline]

    @property
    def doers(self) -> list[dict[str, Any]]:
        return [a for a in self.actors if a["role"] in ("lead", "assignee")]


def _pieces(text: str, spans: list[Span], reference: date | None) -> list[Piece]:
    out: list[Piece] = []
    for span in spans:
        sentence = text[span.start : span.end]
        actors = actors_of(sentence, span.start)
        cuts, lists = [span.start], list_regions(sentence)  # "các Bộ: Xây dựng; Y tế …" is one list
        for m in re.finditer(r";\s+", sentence):  # "Bộ A rà soát …; các bộ B … rà soát …": two tasks
            nxt = None if any(lo <= m.start() < hi for lo, hi in lists) else next(
                (a for a in actors if a["start"] >= span.start + m.end()), None)
            if nxt and nxt["role"] == "lead" and re.fullmatch(r"\s*(?:các\s+)?", text[span.start + m.end() : nxt["start"]]):
                cuts.append(span.start + m.start() + 1)
        cuts.append(span.end)
        for a, b in zip(cuts, cuts[1:], strict=False):
            a += len(text[a:b]) - len(text[a:b].lstrip())
            mine = [x for x in actors if a <= x["start"] < b]
            out.append(Piece(a, b, mine, find_deadlines(text[a:b], a, reference)))
    return out


def _merge(text: str, pieces: list[Piece]) -> list[list[Piece]]:
    """Sentences of one paragraph are one task unless a later one names other doers, or has its own
    deadline after a dated one, or is a timed reporting duty ("Định kỳ hằng năm báo cáo …")."""
    groups: list[list[Piece]] = []
    for p in pieces:
        if groups:
            doers = {a["key"] for q in groups[-1] for a in q.doers}
            dated = any(q.deadlines for q in groups[-1])
            report = bool(p.deadlines) and bool(_REPORT_DUTY.search(fold_aligned(text[p.start : p.end])))
            # A sentence naming its own doers after one naming none starts its own task: the first
            # belongs to whoever the heading names ("3. Quỹ … có trách nhiệm:" / "Quản lý … . Định kỳ …, Quỹ …").
            other = bool(p.doers) and (not doers or {a["key"] for a in p.doers} != doers)
            if not (other or (p.deadlines and dated) or report):
                groups[-1].append(p)
                continue
        groups.append([p])
    return groups


@dataclass
class Context:
    """What a paragraph's tasks may borrow from around it: headings, field blocks, the issue date."""

    text: str
    index: SectionIndex
    blocks: dict[int, FieldBlock] = field(default_factory=dict)  # paragraph start -> its field block
    extend: dict[int, int] = field(default_factory=dict)  # paragraph start -> end of its field block
    reference: date | None = None
    addressees: list[dict[str, Any]] = field(default_factory=list)  # "Kính gửi:" bodies, as assignees


def _add(actors: list[dict[str, Any]], more: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = {a["key"] for a in actors}
    return actors + [a for a in more if a["key"] not in keys and not keys.add(a["key"])]  # type: ignore[func-returns-value]


def _group_task(text: str, group: list[Piece], para_start: int, ctx: Context, prior: Task | None) -> Task | None:
    """The task of a group of sentences; `prior` is the paragraph's previous task, whose doers a
    later sentence naming nobody ("Định kỳ báo cáo …") keeps."""
    start, end = group[0].start, group[-1].end
    body = text[start:end]
    folded = fold_aligned(body)
    actors: list[dict[str, Any]] = []
    for p in group:
        actors = _add(actors, p.actors)
    honorific = _HONORIFIC.search(folded) if ctx.addressees else None
    if honorific:  # bodies named after "Quý Ủy ban gửi …" are where things go, not who does them
        cut = start + honorific.start()
        actors = _add(list(ctx.addressees), [a for a in actors if a["start"] < cut or a["role"] == "support"])
    doers = [a for a in actors if a["role"] in ("lead", "assignee")]
    marker = _MARKER.match(body)
    if honorific:
        action_from = honorific.end()
    else:
        action_from = max(a["end"] for a in doers) - start if doers else (marker.end() if marker else 0)
    block = ctx.blocks.get(para_start) if group[0].start == para_start else None
    inherited = not doers
    heading_deadlines: list[Deadline] = []
    if inherited:
        if prior is not None:
            actors = _add([a for a in prior.actors if a["role"] in ("lead", "assignee")], actors)
        elif block and block.lead:
            actors = _add([{**a, "role": "lead"} for a in block.lead], actors)
        else:
            heading, request, line = heading_actors(text, ctx.index.chain(para_start), para_start)
            role = "assignee" if request and not _LEADS_ITSELF.match(folded[action_from:]) else "lead"
            actors = _add([{**a, "role": role if a["role"] == "lead" else "support"} for a in heading], actors)
            if not heading and _POINT_LINE.match(body):
                actors = _add(leadin_actors(text, para_start), actors)
            if line is not None and heading:  # the heading's deadline covers its points
                heading_deadlines = find_deadlines(text[line[0] : line[1]], line[0], ctx.reference)
        if not any(a["role"] in ("lead", "assignee") for a in actors):
            dated = [d for p in group for d in p.deadlines if d.date]
            if not (dated and ctx.addressees):
                return None
            actors = _add(list(ctx.addressees), actors)  # "Kết quả … gửi về Vụ X trước ngày …" in a letter
    elif block and any(a["role"] == "lead" for a in doers):
        actors = _add(actors, [{**a, "role": "lead"} for a in block.lead])
    if block:
        actors = _add(actors, [{**a, "role": "support"} for a in block.support])
    action = text[start + action_from : group[0].end].strip(" ,:;.-–")
    deadlines = [d for p in group for d in p.deadlines]
    if not deadlines and block and block.time:
        deadlines = [block.time]
    if not deadlines:
        deadlines = heading_deadlines
    if not action or _PAST.match(fold(action)):
        return None
    item = block is not None and bool(_MARKER.match(body))  # a plan item named by its fields, not a stray line
    if not (_VERBS.search(folded[action_from:]) or deadlines or item):
        return None
    chosen = pick_deadline(deadlines)
    return Task(
        actors=actors,
        action=action,
        start=start,
        end=end,
        sentence=text[start:end],
        section=ctx.index.path(start),
        deadline=None if chosen is None else {
            "text": chosen.text, "date": chosen.date, "recurrence": chosen.recurrence,
            "start": chosen.start, "end": chosen.end,
        },
        report_to=report_recipient(body, start),
        inherited=inherited,
    )


def _skipped_section(ctx: Context, start: int, explicit: bool) -> bool:
    for s in ctx.index.chain(start):
        if s.start >= start or not s.is_heading or s.style == "attachment":
            continue
        heading = fold(s.heading)
        if _NON_TASK_SECTION.search(heading) or (not explicit and _DESCRIPTIVE.search(heading)):
            return True
    return False


def paragraph_tasks(text: str, spans: list[Span], ctx: Context) -> list[Task]:
    """The tasks one paragraph (its sentence spans) assigns."""
    para = spans[0].start
    if _CLOSING.search(fold(text[para : spans[-1].end])):
        return []  # "… thông báo để các cơ quan liên quan biết, thực hiện./."
    pieces = _pieces(text, spans, ctx.reference)
    if _skipped_section(ctx, para, any(p.doers for p in pieces)):
        return []
    out: list[Task] = []
    groups = _merge(text, pieces)
    for i, group in enumerate(groups):
        task = _group_task(text, group, para, ctx, out[-1] if out else None)
        if task is not None:
            if i == len(groups) - 1 and para in ctx.extend:
                task.end = max(task.end, ctx.extend[para])
                task.sentence = text[task.start : task.end]
            out.append(task)
    return out


def _owner(index: SectionIndex, offset: int) -> int:
    """Start of the nearest heading (not bullet) at or above `offset`: the item a line belongs to."""
    owner = next((s for s in reversed(index.chain(offset)) if s.is_heading), None)
    return owner.start if owner else -1


def extract_tasks(
    text: str,
    spans: list[Span],
    index: SectionIndex,
    reference: date | None = None,
    body: tuple[int, int] | None = None,
    skip: list[tuple[int, int]] | None = None,
    addressees: list[dict[str, Any]] | None = None,
) -> list[Task]:
    """Tasks of every paragraph inside `body` (after the heading block), outside `skip` ("Nơi nhận").
    `addressees` ("Kính gửi:") are the doers of a dated duty whose sentence and headings name none."""
    lo, hi = body or (0, len(text))
    inside = [sp for sp in spans if lo <= sp.start < hi and not any(a <= sp.start < b for a, b in skip or ())]
    paragraphs = group_paragraphs(text, inside)
    ctx = Context(text, index, reference=reference, addressees=addressees or [])
    heads = {s.start: s for s in index.sections if s.is_heading}
    marked = {s.start for s in index.sections}  # lines that open a sub-item or a bullet
    # Field blocks describe the item lines written since the previous block of the same item.
    fields: set[int] = set()
    titles: set[int] = set()  # item headings whose bullets carry the block: no task of their own
    pending: list[int] = []
    block: FieldBlock | None = None
    for para in paragraphs:
        start, end = para[0].start, para[-1].end
        line = field_line(text, start, end, reference)
        if line is not None:
            fields.add(start)
            block = block or FieldBlock()
            block.add(line)
            continue
        if block is not None:
            _attach(ctx, block, pending, heads, titles)
            pending, block = [], None
        if pending and (start in heads or _owner(index, start) != _owner(index, pending[-1])):
            pending = []
        pending.append(start)
    if block is not None:
        _attach(ctx, block, pending, heads, titles)
    out: list[Task] = []
    for i, para in enumerate(paragraphs):
        start = para[0].start
        if start in fields or start in titles:
            continue
        sec = heads.get(start)
        written = text[start : para[-1].end].rstrip()
        nxt = paragraphs[i + 1][0].start if i + 1 < len(paragraphs) else -1
        has_children = sec is not None and nxt in marked and nxt < sec.end
        introduces = nxt in marked or (sec is not None and 0 <= nxt < sec.end)  # points, or the prose under it
        if written.endswith(":") and start not in ctx.blocks and introduces and (has_children or sec is None
                                                                                  or nxt not in marked):
            continue  # "3. Bộ Y tế chủ trì, phối hợp với …:" introduces the points under it
        tasks = paragraph_tasks(text, para, ctx)
        if has_children and start not in ctx.blocks:
            tasks = [t for t in tasks if not t.inherited]  # a title over its points
        out += tasks
    return out


def _attach(ctx: Context, block: FieldBlock, pending: list[int], heads: dict[int, Section], titles: set[int]) -> None:
    items = [p for p in pending if p not in heads] or pending[-1:]
    titles.update(p for p in pending if p not in items)
    for p in items:
        ctx.blocks[p] = block
    if items:
        ctx.extend[items[-1]] = block.end
