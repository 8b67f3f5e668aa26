"""The register's view of a task: the stored record (`vectorstore.task_rows.TaskFact`, written once
by ingestion in its own columns) joined with its document's kind, number and date, with its cited
passage and a status that depends on the day it is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from ingestion.sections import PATH_SEPARATOR
from vectorstore.registry import DocumentRecord
from vectorstore.task_rows import TaskActor, TaskDeadline, TaskFact

__all__ = ["DUE_SOON_DAYS", "STATUSES", "TaskActor", "TaskDeadline", "TaskRecord", "from_task", "period_end"]

# How far ahead "due soon" looks (the "next 30 days").
DUE_SOON_DAYS = 30
SNIPPET_CHARS = 600
STATUSES = ("overdue", "due_soon", "upcoming", "no_deadline")
# One step of each recurrence ingestion writes (`ingestion.deadlines.Deadline.recurrence`).
RECURRENCE_STEP = {
    "daily": relativedelta(days=1),
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
    "semiannual": relativedelta(months=6),
    "annual": relativedelta(years=1),
}


@dataclass
class TaskRecord:
    task_id: str
    doc_id: str
    source: str
    title: str
    doc_kind: str | None
    number: str | None
    published: str | None
    actors: list[TaskActor]
    action: str
    deadline: TaskDeadline | None
    report_to: str | None
    section: str
    start: int
    end: int
    snippet: str
    chunk_id: str
    search_tokens: frozenset[str] = field(default_factory=frozenset, repr=False)

    def next_due(self, as_of: date) -> date | None:
        """The deadline; for a recurring task, its first occurrence on or after `as_of`."""
        if self.deadline is None:
            return None
        step = RECURRENCE_STEP.get(self.deadline.recurrence or "")
        if (due := self.deadline.due()) is None:
            # "báo cáo hằng quý" names no day: each period's report is due by the period's end.
            return period_end(as_of, self.deadline.recurrence) if step is not None else None
        if step is None or due >= as_of:
            return due
        # Jump close in one go (a daily task from years ago must not loop thousands of times), and count
        # occurrences from the first one: adding a month to 28/02 would lose the "31st of every month".
        if step.days or step.weeks:
            days = step.days + 7 * step.weeks
            return due + timedelta(days=-(-(as_of - due).days // days) * days)
        period = step.months + 12 * step.years
        n = max(0, ((as_of.year - due.year) * 12 + as_of.month - due.month) // period - 1)
        while (occurrence := due + relativedelta(months=n * period)) < as_of:
            n += 1
        return occurrence

    def status(self, as_of: date) -> str:
        due = self.next_due(as_of)
        if due is None:
            return "no_deadline"
        if due < as_of:
            return "overdue"
        return "due_soon" if due <= as_of + timedelta(days=DUE_SOON_DAYS) else "upcoming"

    def as_json(self, as_of: date) -> dict[str, Any]:
        """The public shape (DESIGN.md, task register)."""
        due = self.next_due(as_of)
        return {
            "task_id": self.task_id, "doc_id": self.doc_id, "source": self.source, "title": self.title,
            "doc_kind": self.doc_kind, "number": self.number, "published": self.published,
            "actors": [{"name": a.name, "role": a.role} for a in self.actors],
            "action": self.action,
            "deadline": None if self.deadline is None else {
                "date": self.deadline.date, "text": self.deadline.text, "recurrence": self.deadline.recurrence,
                "next_due": due.isoformat() if due else None,
            },
            "status": self.status(as_of), "report_to": self.report_to, "section": self.section,
            "start": self.start, "end": self.end, "snippet": self.snippet, "chunk_id": self.chunk_id,
        }


def period_end(day: date, recurrence: str | None) -> date | None:
    """The last day of the period (of `recurrence`) holding `day`."""
    if recurrence == "daily":
        return day
    if recurrence == "weekly":
        return day + timedelta(days=6 - day.weekday())
    months = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}.get(recurrence or "")
    if months is None:
        return None
    first = date(day.year, (day.month - 1) // months * months + 1, 1)
    return first + relativedelta(months=months, days=-1)


def _snippet(sentence: str) -> str:
    passage = " ".join(sentence.split())
    return passage if len(passage) <= SNIPPET_CHARS else passage[: SNIPPET_CHARS - 1].rstrip() + "…"


def _section(path: str, sentence: str) -> str:
    """The heading path above the task: a numbered item that is the task itself is not its own section."""
    parts = path.split(PATH_SEPARATOR) if path else []
    own = " ".join(sentence[:200].split())
    head = parts[-1].rstrip("…").strip()[:60] if parts else ""
    # the task may be shorter than its heading's first 60 characters ("1. Quỹ … công lập." under "1. Quỹ … công lập. Quỹ được …")
    if parts and (own.startswith(head) or (own and head.startswith(own))):
        parts.pop()
    return PATH_SEPARATOR.join(parts)


def from_task(task: TaskFact, doc: DocumentRecord) -> TaskRecord:
    """A stored task with what the register shows of its document (`doc` may lack its text)."""
    meta = doc.metadata
    return TaskRecord(
        task_id=task.task_id, doc_id=doc.doc_id, source=doc.source, title=doc.title,
        doc_kind=meta.get("doc_kind"), number=meta.get("number"), published=doc.published,
        actors=list(task.actors), action=task.action, deadline=task.deadline, report_to=task.report_to,
        section=_section(task.section, task.sentence), start=task.start, end=task.end,
        snippet=_snippet(task.sentence), chunk_id=task.chunk_id,
    )
