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
            return first, first + relativedelta(months=1, days=-1), f"tháng {month}/{year}"
    if m := _QUARTER.search(folded):
        q, year = _QUARTERS[m[1]], int(m[2])
        first = date(year, 3 * q - 2, 1)
        return first, first + relativedelta(months=3, days=-1), f"quý {['I', 'II', 'III', 'IV'][q - 1]}/{year}"
    for pattern, unit, k in _RELATIVE:
        if pattern.search(folded):
            return _relative(today, unit, k)
    if m := _YEAR.search(folded):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31), f"năm {year}"
    return None


def _relative(today: date, unit: str, k: int) -> tuple[date, date, str]:
    if unit == "week":
        first = today - timedelta(days=today.weekday()) + timedelta(weeks=k)
        return first, first + timedelta(days=6), f"tuần từ {first:%d/%m} đến {first + timedelta(days=6):%d/%m/%Y}"
    if unit == "month":
        first = date(today.year, today.month, 1) + relativedelta(months=k)
        return first, first + relativedelta(months=1, days=-1), f"tháng {first.month}/{first.year}"
    if unit == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) + relativedelta(months=3 * k)
        return first, first + relativedelta(months=3, days=-1), f"quý {(first.month + 2) // 3}/{first.year}"
    first = date(today.year + k, 1, 1)
    return first, date(first.year, 12, 31), f"năm {first.year}"


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
    if ask.role == "lead":
        parts.append("chủ trì")
    elif ask.role == "support":
        parts.append("phối hợp")
    if ask.status == "overdue":
        parts.append(f"đã quá hạn (tính đến ngày {today:%d/%m/%Y})")
    elif ask.status == "due_soon":
        parts.append(f"đến hạn trong {DUE_SOON_DAYS} ngày tới (từ ngày {today:%d/%m/%Y})")
    if ask.period:
        parts.append(f"có hạn trong {ask.period}")
    return ", ".join(parts)


def _line(task: TaskRecord, show_actors: bool, today: date) -> str:
    who = ""
    if show_actors and task.actors:
        leads = [a.name for a in task.actors if a.role != "support"]
        support = [a.name for a in task.actors if a.role == "support"]
        who = (", ".join(leads) or "") + (f" (phối hợp: {', '.join(support)})" if support else "") + ": "
    due = task.next_due(today)
    when = f"hạn {due:%d/%m/%Y}" if due else ""
    if task.deadline and task.deadline.text and (not due or task.deadline.recurrence):
        when = f"{when} ({task.deadline.text})" if when else task.deadline.text
    doc = " ".join(x for x in (task.doc_kind or "Văn bản", f"số {task.number}" if task.number else "") if x)
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
    subject = ask.actor or "Các văn bản đã nạp"
    debug = {"answerer": "extractive", "route": "register", "total": page.total}
    if not page.tasks and not (ask.status or ask.period):
        return None
    if not page.tasks:
        what = f"nhiệm vụ nào {condition}" if condition else "nhiệm vụ nào"
        text = f"Không tìm thấy {what} của {ask.actor} trong các văn bản hiện có." if ask.actor else (
            f"Không tìm thấy {what} trong các văn bản hiện có.")
        return Answer(text=text, abstained=True, citations=cites, reason="register: no task", debug=debug)
    head = f"{subject} có {page.total} nhiệm vụ{' ' + condition if condition else ''}:" if ask.actor else (
        f"Có {page.total} nhiệm vụ{' ' + condition if condition else ''}:")
    lines = [head]
    for i, task in enumerate(page.tasks, 1):
        rec = register.registry.get_document(task.doc_id)
        marker = ""
        if rec is not None:
            end = min(task.end, cites.chunk_end(rec, task.start) or task.end)
            marker = f" [{cites.cite_span(rec, task.start, end, task.section or None)}]"
        lines.append(f"{i}. {_line(task, show_actors=ask.actor is None or ask.role == 'any', today=today)}{marker}")
    if page.total > len(page.tasks):
        lines.append(f"… và {page.total - len(page.tasks)} nhiệm vụ khác (xem đầy đủ ở trang Sổ nhiệm vụ).")
    return Answer(text="\n".join(lines), abstained=False, citations=cites, debug=debug)
