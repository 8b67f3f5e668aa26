"""Task records as typed rows: who must do what by when, in real columns of the registry.

Ingestion computes them once (`ingestion.assignments`, `ingestion.table_tasks`); the registry writes
them in the transaction that writes their document (`tasks` and `task_actors` tables), so an update
or a delete never leaves an orphan; the task register, the answerer and `GET /v1/documents/{id}`
read them back as these types. `as_json()` is the public shape a task fact has always had.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vectorstore.db import Database, Tx


@dataclass(frozen=True)
class TaskActor:
    name: str  # as the document writes it (or the whole name a shared head was left off)
    role: str  # lead | support | assignee
    key: str  # `ingestion.actors.canonical_key`: one per body, whatever the spelling
    start: int | None = None  # where the name is written; None for a body read from a heading elsewhere
    end: int | None = None
    written: str | None = None  # the name as written when `name` restores a left-off shared head


@dataclass(frozen=True)
class TaskDeadline:
    date: str | None  # YYYY-MM-DD, or None for "hằng quý" with no day
    text: str  # as written: "trước ngày 25/12 hằng năm"
    recurrence: str | None  # daily | weekly | monthly | quarterly | semiannual | annual
    start: int | None = None
    end: int | None = None

    def due(self) -> dt.date | None:
        return dt.date.fromisoformat(self.date) if self.date else None


@dataclass(frozen=True)
class TaskFact:
    """One task of one document; offsets are into the document's stored text."""

    doc_id: str
    chunk_id: str  # the chunk holding `start`
    start: int
    end: int
    action: str
    sentence: str  # text[start:end]
    section: str  # heading path (`ingestion.sections.PATH_SEPARATOR`)
    actors: tuple[TaskActor, ...]
    deadline: TaskDeadline | None = None
    report_to: str | None = None
    inherited: bool = False  # the doer comes from the heading above, not the task's own words

    @property
    def task_id(self) -> str:
        """Stable while the document's text is: re-ingesting the same file keeps every id."""
        return task_id(self.doc_id, self.start, self.end)

    def as_json(self) -> dict[str, Any]:
        """The public shape of a task fact (DESIGN.md; `GET /v1/documents/{id}` → `facts`)."""
        actors = []
        for a in self.actors:
            d: dict[str, Any] = {"name": a.name, "role": a.role, "start": a.start, "end": a.end, "key": a.key}
            if a.written is not None:
                d["written"] = a.written
            actors.append(d)
        deadline = None if self.deadline is None else {
            "text": self.deadline.text, "date": self.deadline.date, "recurrence": self.deadline.recurrence,
            "start": self.deadline.start, "end": self.deadline.end,
        }
        return {"kind": "task", "actors": actors, "action": self.action, "start": self.start, "end": self.end,
                "sentence": self.sentence, "section": self.section, "deadline": deadline,
                "report_to": self.report_to, "inherited": self.inherited, "chunk_id": self.chunk_id}

    @classmethod
    def from_json(cls, data: dict[str, Any], doc_id: str) -> TaskFact:
        """A task fact in its public shape (as earlier releases stored them) as a record."""
        raw = data.get("deadline") or None
        deadline = None if not raw else TaskDeadline(
            text=raw.get("text") or "", date=raw.get("date"), recurrence=raw.get("recurrence"),
            start=raw.get("start"), end=raw.get("end"))
        actors = tuple(TaskActor(name=a["name"], role=a.get("role") or "assignee", key=a.get("key") or "",
                                 start=a.get("start"), end=a.get("end"), written=a.get("written"))
                       for a in data.get("actors") or [])
        return cls(doc_id=doc_id, chunk_id=data.get("chunk_id") or "", start=int(data["start"]), end=int(data["end"]),
                   action=data.get("action") or "", sentence=data.get("sentence") or "",
                   section=data.get("section") or "", actors=actors, deadline=deadline,
                   report_to=data.get("report_to"), inherited=bool(data.get("inherited")))


def task_id(doc_id: str, start: int, end: int) -> str:
    return "t-" + hashlib.sha1(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


# --- rows ------------------------------------------------------------------------------------------
# Named columns in a fixed order; "end" is quoted because PostgreSQL reserves the word.
_TASK_COLUMNS = ('task_id, doc_id, chunk_id, start, "end", action, sentence, section, report_to, inherited, '
                 'deadline_text, deadline_date, recurrence, deadline_start, deadline_end')
_ACTOR_COLUMNS = 'task_id, doc_id, ord, name, role, actor_key, start, "end", written'


def insert_tasks(tx: Tx, tasks: Iterable[TaskFact]) -> None:
    tasks = list(tasks)
    tx.executemany(
        f"INSERT INTO tasks ({_TASK_COLUMNS}) VALUES ({','.join('?' * 15)})",
        [(t.task_id, t.doc_id, t.chunk_id, t.start, t.end, t.action, t.sentence, t.section, t.report_to,
          int(t.inherited), *_deadline_row(t.deadline)) for t in tasks],
    )
    tx.executemany(
        f"INSERT INTO task_actors ({_ACTOR_COLUMNS}) VALUES ({','.join('?' * 9)})",
        [(t.task_id, t.doc_id, n, a.name, a.role, a.key, a.start, a.end, a.written)
         for t in tasks for n, a in enumerate(t.actors)],
    )


def delete_tasks(tx: Tx, doc_id: str) -> None:
    tx.execute("DELETE FROM task_actors WHERE doc_id=?", (doc_id,))
    tx.execute("DELETE FROM tasks WHERE doc_id=?", (doc_id,))


def select_tasks(db: Database, doc_id: str | None = None, chunk_ids: Iterable[str] | None = None) -> list[TaskFact]:
    """Tasks of one document, of some chunks, or all of them; in document then text order."""
    if chunk_ids is not None:
        ids = sorted(set(chunk_ids))
        rows = [r for part in _batches(ids)
                for r in db.query(f"SELECT {_TASK_COLUMNS} FROM tasks WHERE chunk_id IN ({_marks(part)})", part)]
        task_ids = [r[0] for r in rows]
        actor_rows = [r for part in _batches(task_ids)
                      for r in db.query(f"SELECT {_ACTOR_COLUMNS} FROM task_actors WHERE task_id IN ({_marks(part)})", part)]
    else:
        where, params = ("WHERE doc_id=?", (doc_id,)) if doc_id is not None else ("", ())
        rows = db.query(f"SELECT {_TASK_COLUMNS} FROM tasks {where}", params)
        actor_rows = db.query(f"SELECT {_ACTOR_COLUMNS} FROM task_actors {where}", params)
    actors = _actors(actor_rows)
    return sorted((_task(r, actors.get(r[0], ())) for r in rows), key=lambda t: (t.doc_id, t.start, t.end))


def move_task_facts(db: Database) -> int:
    """Task facts an earlier release kept as JSON in `facts` move to their columns, once per registry
    (then a `meta` mark spares every later start the scan). The mark is inserted first, in the same
    transaction: a second process doing the same at the same moment waits on it and finds it taken.
    A registry without facts is left untouched (`qa migrate` needs an empty target to stay empty)."""
    if db.one(f"SELECT 1 FROM meta WHERE key='{_MOVED}'") or db.one("SELECT 1 FROM facts LIMIT 1") is None:
        return 0
    with db.tx() as tx:
        if not tx.execute(f"INSERT INTO meta(key, value) VALUES ('{_MOVED}', '1') ON CONFLICT(key) DO NOTHING RETURNING key"):
            return 0
        rows = tx.execute(f"DELETE FROM facts WHERE data LIKE '{_TASK_JSON}' RETURNING doc_id, chunk_id, data")
        parsed = [(r, json.loads(r[2])) for r in rows]
        moved = {(t := TaskFact.from_json(d, r[0])).task_id: t for r, d in parsed if d.get("kind") == "task"}
        insert_tasks(tx, moved.values())
        # a fact that only quoted the words stays a fact
        tx.executemany("INSERT INTO facts (doc_id, chunk_id, data) VALUES (?,?,?)",
                       [r for r, d in parsed if d.get("kind") != "task"])
    return len(moved)


_MOVED = "tasks_in_columns"
_TASK_JSON = '%"kind": "task"%'  # how json.dumps wrote a task fact's kind


def _batches(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _marks(part: list[str]) -> str:
    return ",".join("?" * len(part))


def _deadline_row(d: TaskDeadline | None) -> tuple[Any, ...]:
    return (None,) * 5 if d is None else (d.text, d.date, d.recurrence, d.start, d.end)


def _actors(rows: list[tuple[Any, ...]]) -> dict[str, tuple[TaskActor, ...]]:
    out: dict[str, list[tuple[int, TaskActor]]] = {}
    for r in rows:
        out.setdefault(r[0], []).append((r[2], TaskActor(name=r[3], role=r[4], key=r[5], start=r[6], end=r[7], written=r[8])))
    return {k: tuple(a for _, a in sorted(v, key=lambda x: x[0])) for k, v in out.items()}


def _task(r: tuple[Any, ...], actors: tuple[TaskActor, ...]) -> TaskFact:
    deadline = None if r[10] is None else TaskDeadline(text=r[10], date=r[11], recurrence=r[12], start=r[13], end=r[14])
    return TaskFact(doc_id=r[1], chunk_id=r[2], start=r[3], end=r[4], action=r[5], sentence=r[6], section=r[7],
                    report_to=r[8], inherited=bool(r[9]), deadline=deadline, actors=actors)
