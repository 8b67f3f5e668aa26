"""The task register: every task of every document, filtered and sorted for the API, exports and chat.

The records are derived from the registry (the same transaction writes a document and its tasks,
so an update or a delete can never leave orphans) and cached per registry version: a write by any
process moves the version, and the next request reloads.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone

from ingestion.actors import canonical_key
from qa_service.tasks.records import STATUSES, TaskRecord, from_task
from vectorstore.analyzer import analyze
from vectorstore.registry import Registry

# Việt Nam keeps UTC+7 all year: "today" for overdue / due soon is the office's day, not the server's.
OFFICE_TZ = timezone(timedelta(hours=7))
ROLES = ("lead", "support", "any")
SORTS = ("deadline", "document_date")


def office_today() -> date:
    return datetime.now(UTC).astimezone(OFFICE_TZ).date()


@dataclass
class TaskQuery:
    actor: str | None = None
    role: str = "any"
    doc_id: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    status: str | None = None
    recurring: bool | None = None
    q: str | None = None
    sort: str = "deadline"
    as_of: date = field(default_factory=office_today)
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"vai trò (role) phải là một trong {', '.join(ROLES)}")
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"trạng thái (status) phải là một trong {', '.join(STATUSES)}")
        if self.sort not in SORTS:
            raise ValueError(f"cách sắp xếp (sort) phải là một trong {', '.join(SORTS)}")
        if self.due_from and self.due_to and self.due_from > self.due_to:
            raise ValueError("ngày bắt đầu (due_from) sau ngày kết thúc (due_to)")


@dataclass
class TaskPage:
    tasks: list[TaskRecord]
    total: int
    by_status: dict[str, int] = field(default_factory=dict)  # every filter but the status one applied


@dataclass
class ActorCount:
    name: str
    key: str
    tasks: int
    lead: int
    support: int


def actor_matches(task: TaskRecord, key: str, role: str) -> bool:
    """The body `key` (a canonical key) is among the task's actors in `role`. A filter names a body
    as precisely as it wants: "Sở Tài chính" also finds "Sở Tài chính tỉnh Hà Tĩnh"."""
    for actor in task.actors:
        if role == "lead" and actor.role not in ("lead", "assignee"):
            continue
        if role == "support" and actor.role != "support":
            continue
        if actor.key == key or actor.key.startswith(key + " "):
            return True
    return False


def query_tokens(text: str) -> set[str]:
    """Syllables of a free-text filter, analysed as the lexical index analyses a question."""
    return {t for t in analyze(text, "query") if "_" not in t}


def _in_range(task: TaskRecord, lo: date | None, hi: date | None) -> bool:
    """Some occurrence of the deadline falls in [lo, hi] (a monthly task falls due every month)."""
    if task.deadline is None or task.deadline.due() is None:
        return False
    due = task.next_due(lo) if lo else task.deadline.due()
    return due is not None and (lo is None or due >= lo) and (hi is None or due <= hi)


class TaskRegister:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._lock = threading.Lock()
        self._version = -1
        self._tasks: list[TaskRecord] = []
        self._by_id: dict[str, TaskRecord] = {}

    def all(self) -> list[TaskRecord]:
        """Every task, in document then text order; reloaded when the registry's version moves."""
        version = self.registry.version()
        with self._lock:
            if version != self._version:
                self._tasks = self._load()
                self._by_id = {t.task_id: t for t in self._tasks}
                self._version = version
            return self._tasks

    def _load(self) -> list[TaskRecord]:
        heads = self.registry.doc_heads()  # no document text: every field shown is a column
        out: list[TaskRecord] = []
        for task in self.registry.tasks():
            if (doc := heads.get(task.doc_id)) is None:
                continue
            record = from_task(task, doc)
            record.actors = [a if a.key else replace(a, key=canonical_key(a.name)) for a in record.actors]
            record.search_tokens = frozenset(analyze(f"{record.action} {record.section}", "index"))
            out.append(record)
        return out

    def get(self, task_id: str) -> TaskRecord | None:
        self.all()
        return self._by_id.get(task_id)

    def search(self, query: TaskQuery) -> TaskPage:
        key = canonical_key(query.actor) if query.actor and query.actor.strip() else None
        words = query_tokens(query.q) if query.q and query.q.strip() else set()
        hits = []
        by_status: Counter[str] = Counter()
        for task in self.all():
            if query.doc_id and task.doc_id != query.doc_id:
                continue
            if key is not None and not actor_matches(task, key, query.role):
                continue
            if query.recurring is not None and bool(task.deadline and task.deadline.recurrence) != query.recurring:
                continue
            if (query.due_from or query.due_to) and not _in_range(task, query.due_from, query.due_to):
                continue
            if words and not words <= task.search_tokens:
                continue
            status = task.status(query.as_of)
            by_status[status] += 1
            if query.status and status != query.status:
                continue
            hits.append(task)
        hits.sort(key=self._sort_key(query))
        return TaskPage(tasks=hits[query.offset : query.offset + query.limit], total=len(hits),
                        by_status={s: by_status[s] for s in STATUSES})

    @staticmethod
    def _sort_key(query: TaskQuery):  # type: ignore[no-untyped-def]
        far = date.max.toordinal()

        def by_deadline(t: TaskRecord) -> tuple[int, str, str, int]:
            due = t.next_due(query.as_of)
            return (due.toordinal() if due else far, t.published or "", t.doc_id, t.start)

        def by_document(t: TaskRecord) -> tuple[int, str, int]:
            published = date.fromisoformat(t.published).toordinal() if t.published else 0
            return (-published, t.doc_id, t.start)  # newest document first, its tasks in text order

        return by_deadline if query.sort == "deadline" else by_document

    def actors(self) -> list[ActorCount]:
        """Bodies with their task counts, most tasks first; the name is the spelling used most."""
        names: dict[str, Counter[str]] = defaultdict(Counter)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for task in self.all():
            for actor in {a.key: a for a in task.actors if a.key}.values():
                names[actor.key][actor.name] += 1
                counts[actor.key]["tasks"] += 1
                counts[actor.key]["support" if actor.role == "support" else "lead"] += 1
        out = [
            ActorCount(name=names[k].most_common(1)[0][0], key=k, tasks=c["tasks"], lead=c["lead"], support=c["support"])
            for k, c in counts.items()
        ]
        return sorted(out, key=lambda a: (-a.tasks, a.name))
