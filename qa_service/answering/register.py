"""Questions about the task register: "Sở Tài chính có những nhiệm vụ gì phải hoàn thành trong tháng
12/2025?", "Những việc nào đã quá hạn?", "Việc nào Sở Nội vụ chủ trì?".

Such a question asks for a list across all documents, which no single retrieved passage holds: it is
answered from the register, each task with its deadline and its own citation. A question that names
a document stays with the passage pipeline (that document's tasks are read there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ingestion.lexicon.layout import DOC_KINDS
from prompts.phrases import phrase
from qa_service.answering import lexicon as lx
from qa_service.answering.analysis import Analysis
from qa_service.answering.result import Answer
from qa_service.citations import CitationBuilder
from qa_service.tasks.records import DUE_SOON_DAYS, TaskRecord
from qa_service.tasks.register import TaskQuery, TaskRegister
from vectorstore.analyzer import fold

_STATUS = [(s, [re.compile(p) for p in ps]) for s, ps in lx.REGISTER_STATUS.items()]
_LIST = [re.compile(p) for p in lx.REGISTER_LIST]
_DUE = re.compile(lx.REGISTER_DUE_WORDS)
_RELATIVE = [(re.compile(p), unit, k) for p, unit, k in lx.REGISTER_RELATIVE_PERIODS]
_ROLES = [(re.compile(p), role) for p, role in lx.REGISTER_ROLES]
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ROMAN = ("I", "II", "III", "IV")
_MONTH = re.compile(r"\bthang (\d{1,2})\s*(?:/|nam)\s*(\d{4})\b")
_QUARTER = re.compile(r"\bquy (iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(\d{4})\b")
_YEAR = re.compile(r"\bnam (\d{4})\b")
_DOCUMENT = re.compile(
    r"\b(?:" + "|".join(fold(k).lower() for k in DOC_KINDS if k not in lx.REGISTER_NOT_A_DOCUMENT_KIND)
    + r"|van ban (?:nay|do|tren|so))\b"
)


@dataclass
class RegisterAsk:
    actor: str | None
    role: str
    status: str | None
    due_from: date | None
    due_to: date | None
    period: str  # how the answer names the period ("tháng 12/2025")


def _period(folded: str, today: date) -> tuple[date, date, str] | None:
    if m := _MONTH.search(folded):
        month, year = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            first = date(year, month, 1)
            return first, first + relativedelta(months=1, days=-1), phrase("period_month", month=month, year=year)
    if m := _QUARTER.search(folded):
        q, year = _QUARTERS[m[1]], int(m[2])
        first = date(year, 3 * q - 2, 1)
        return first, first + relativedelta(months=3, days=-1), phrase("period_quarter", quarter=_ROMAN[q - 1], year=year)
    for pattern, unit, k in _RELATIVE:
        if pattern.search(folded):
            return _relative(today, unit, k)
    if m := _YEAR.search(folded):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31), phrase("period_year", year=year)
    return None


def _relative(today: date, unit: str, k: int) -> tuple[date, date, str]:
    if unit == "week":
        first = today - timedelta(days=today.weekday()) + timedelta(weeks=k)
        last = first + timedelta(days=6)
        return first, last, phrase("period_week", first=f"{first:%d/%m}", last=f"{last:%d/%m/%Y}")
    if unit == "month":
        first = date(today.year, today.month, 1) + relativedelta(months=k)
        return first, first + relativedelta(months=1, days=-1), phrase("period_month", month=first.month, year=first.year)
    if unit == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) + relativedelta(months=3 * k)
        quarter = (first.month + 2) // 3
        return first, first + relativedelta(months=3, days=-1), phrase("period_quarter", quarter=quarter, year=first.year)
    first = date(today.year + k, 1, 1)
    return first, date(first.year, 12, 31), phrase("period_year", year=first.year)


def read_register_question(analysis: Analysis, today: date) -> RegisterAsk | None:
    """The register query a question asks for, or None when it is not a register question."""
    folded = analysis.folded
    if analysis.doc_refs or analysis.info.doc_numbers or _DOCUMENT.search(folded):
        return None
    status = next((s for s, ps in _STATUS if any(p.search(folded) for p in ps)), None)
    period = _period(folded, today)
    role = next((r for p, r in _ROLES if p.search(folded)), "any")
    listing = any(p.search(folded) for p in _LIST)
    actor = analysis.bodies[0] if analysis.bodies else None
    dated = period is not None and (_DUE.search(folded) is not None or listing)
    if not (status or dated or (listing and actor and role != "any")):
        return None
    lo, hi, label = period if dated and period else (None, None, "")
    return RegisterAsk(actor=actor, role=role, status=status, due_from=lo, due_to=hi, period=label)


def _condition(ask: RegisterAsk, today: date) -> str:
    parts = []
    if ask.role in ("lead", "support"):
        parts.append(phrase(f"role_{ask.role}"))
    if ask.status == "overdue":
        parts.append(phrase("status_overdue", today=f"{today:%d/%m/%Y}"))
    elif ask.status == "due_soon":
        parts.append(phrase("status_due_soon", days=DUE_SOON_DAYS, today=f"{today:%d/%m/%Y}"))
    if ask.period:
        parts.append(phrase("due_in_period", period=ask.period))
    return ", ".join(parts)


def _line(task: TaskRecord, show_actors: bool, today: date) -> str:
    who = ""
    if show_actors and task.actors:
        leads = [a.name for a in task.actors if a.role != "support"]
        support = [a.name for a in task.actors if a.role == "support"]
        who = (", ".join(leads) or "") + (phrase("task_supports", names=", ".join(support)) if support else "") + ": "
    due = task.next_due(today)
    when = phrase("task_due", date=f"{due:%d/%m/%Y}") if due else ""
    if task.deadline and task.deadline.text and (not due or task.deadline.recurrence):
        when = f"{when} ({task.deadline.text})" if when else task.deadline.text
    number = phrase("task_number", number=task.number) if task.number else ""
    doc = " ".join(x for x in (task.doc_kind or phrase("default_kind"), number) if x)
    action = task.action.rstrip(" .;:")
    return f"{who}{action[:1].upper()}{action[1:]}" + (f" — {when}" if when else "") + f"; {doc}"


def answer_from_register(
    ask: RegisterAsk, register: TaskRegister, cites: CitationBuilder, today: date
) -> Answer | None:
    """The listed tasks, each cited; None when the register has nothing for a question that only asks
    about a role (the passages may still say it: "… phải phối hợp để hoàn thành nhiệm vụ gì?")."""
    page = register.search(TaskQuery(actor=ask.actor, role=ask.role, status=ask.status, due_from=ask.due_from,
                                     due_to=ask.due_to, as_of=today, limit=lx.REGISTER_MAX_LISTED))
    condition = _condition(ask, today)
    cond = " " + condition if condition else ""  # as the phrases put it: after "nhiệm vụ (nào)"
    debug = {"answerer": "extractive", "route": "register", "total": page.total}
    if not page.tasks and not (ask.status or ask.period):
        return None
    if not page.tasks:
        text = phrase("no_task_of", condition=cond, actor=ask.actor) if ask.actor else phrase("no_task", condition=cond)
        return Answer(text=text, abstained=True, citations=cites, reason="register: no task", debug=debug)
    head = (phrase("tasks_of", actor=ask.actor, total=page.total, condition=cond) if ask.actor
            else phrase("tasks_all", total=page.total, condition=cond))
    lines = [head]
    for i, task in enumerate(page.tasks, 1):
        rec = register.registry.get_document(task.doc_id)
        marker = ""
        if rec is not None:
            end = min(task.end, cites.chunk_end(rec, task.start) or task.end)
            marker = f" [{cites.cite_span(rec, task.start, end, task.section or None)}]"
        lines.append(f"{i}. {_line(task, show_actors=ask.actor is None or ask.role == 'any', today=today)}{marker}")
    if page.total > len(page.tasks):
        lines.append(phrase("more_tasks", more=page.total - len(page.tasks)))
    return Answer(text="\n".join(lines), abstained=False, citations=cites, debug=debug)
