"""vectorstore.task_rows: task records in their own columns, written with their document, read back
typed; task facts of earlier releases (JSON in `facts`) move there once.

Every test runs twice: on embedded SQLite and on a real PostgreSQL (`db_location` in conftest)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vectorstore.registry import ChunkRecord, DocumentRecord, Registry
from vectorstore.sentence_facts import SentenceFact
from vectorstore.task_rows import TaskActor, TaskDeadline, TaskFact, move_task_facts, task_id

TEXT = ("2. Sở Tài chính:\n- Chủ trì, phối hợp với Sở Nội vụ tổng hợp báo cáo trước ngày 25/12 hằng năm.\n"
        "- Hướng dẫn các địa phương.")


@pytest.fixture
def registry(db_location: Path | str) -> Iterator[Registry]:
    reg = Registry(db_location)
    yield reg
    reg.close()


def _doc(doc_id: str, text: str = TEXT) -> DocumentRecord:
    return DocumentRecord(doc_id=doc_id, source=f"{doc_id}.txt", path=f"/docs/{doc_id}.txt", title="Kế hoạch",
                          published="2025-11-19", content_hash="h", text=text, metadata={"doc_kind": "Kế hoạch"},
                          ingested_at=time.time())


def _chunks(doc_id: str) -> list[ChunkRecord]:
    return [ChunkRecord(f"{doc_id}:0", doc_id, 0, 0, 17, TEXT[:17], "h"),
            ChunkRecord(f"{doc_id}:1", doc_id, 1, 17, len(TEXT), TEXT[17:], "h")]


def _tasks(doc_id: str) -> list[TaskFact]:
    first = TEXT.index("- Chủ trì")
    first_end = TEXT.index("năm.") + 4
    second = TEXT.index("- Hướng dẫn")
    due = TEXT.index("trước ngày")
    lead = TaskActor("Sở Tài chính", "lead", "so tai chinh", 3, 15)
    return [
        TaskFact(doc_id=doc_id, chunk_id=f"{doc_id}:1", start=first, end=first_end,
                 action="Chủ trì, phối hợp với Sở Nội vụ tổng hợp báo cáo trước ngày 25/12 hằng năm",
                 sentence=TEXT[first:first_end], section="2. Sở Tài chính",
                 actors=(lead, TaskActor("Sở Nội vụ", "support", "so noi vu", TEXT.index("Sở Nội vụ"),
                                         TEXT.index("Sở Nội vụ") + 9)),
                 deadline=TaskDeadline("2025-12-25", "trước ngày 25/12 hằng năm", "annual", due, first_end - 1),
                 report_to=None, inherited=True),
        TaskFact(doc_id=doc_id, chunk_id=f"{doc_id}:1", start=second, end=len(TEXT), action="Hướng dẫn các địa phương",
                 sentence=TEXT[second:], section="2. Sở Tài chính", actors=(lead,), inherited=True),
    ]


def test_tasks_round_trip_typed_and_in_text_order(registry: Registry) -> None:
    tasks = _tasks("a")
    registry.commit_document(_doc("a"), _chunks("a"), [], list(reversed(tasks)))
    assert registry.tasks(doc_id="a") == tasks  # every field back, actors in their order, text order
    assert registry.tasks(chunk_ids=["a:1"]) == tasks and registry.tasks(chunk_ids=["a:0"]) == []
    assert registry.tasks() == tasks
    got = registry.tasks(doc_id="a")[0]
    assert got.deadline is not None and got.deadline.due() is not None and got.deadline.due().isoformat() == "2025-12-25"
    assert got.task_id == task_id("a", got.start, got.end)
    # the columns are real: a portal can ask SQL for a body's dated tasks
    rows = registry.db.query("SELECT t.deadline_date FROM tasks t JOIN task_actors a ON a.task_id = t.task_id "
                             "WHERE a.actor_key = ? AND a.role = ? AND t.deadline_date IS NOT NULL", ("so noi vu", "support"))
    assert rows == [("2025-12-25",)]


def test_public_shape_is_the_task_fact_of_earlier_releases(registry: Registry) -> None:
    task = _tasks("a")[0]
    shape = task.as_json()
    assert list(shape) == ["kind", "actors", "action", "start", "end", "sentence", "section", "deadline",
                           "report_to", "inherited", "chunk_id"]
    assert shape["deadline"] == {"text": "trước ngày 25/12 hằng năm", "date": "2025-12-25", "recurrence": "annual",
                                 "start": task.deadline.start if task.deadline else None,
                                 "end": task.deadline.end if task.deadline else None}
    assert TaskFact.from_json(json.loads(json.dumps(shape)), "a") == task


def test_replacing_or_deleting_a_document_leaves_no_orphan_task(registry: Registry) -> None:
    registry.commit_document(_doc("a"), _chunks("a"), [], _tasks("a"))
    registry.commit_document(_doc("b"), _chunks("b"), [], _tasks("b"))
    registry.commit_document(_doc("a"), _chunks("a"), [], _tasks("a")[:1])
    assert len(registry.tasks(doc_id="a")) == 1 and len(registry.tasks(doc_id="b")) == 2
    registry.delete_document("b")
    assert [t.doc_id for t in registry.tasks()] == ["a"]
    assert registry.db.one("SELECT COUNT(*) FROM task_actors WHERE doc_id='b'") == (0,)
    heads = registry.doc_heads()
    assert set(heads) == {"a"} and heads["a"].text == "" and heads["a"].metadata == {"doc_kind": "Kế hoạch"}


def test_task_facts_of_an_earlier_release_move_to_their_columns_once(registry: Registry) -> None:
    tasks = _tasks("a")
    said = SentenceFact("request", TEXT[:17], 0, 17, actor="Sở", chunk_id="a:0")
    registry.commit_document(_doc("a"), _chunks("a"), [said])
    with registry.db.tx() as tx:  # as an earlier release wrote them: JSON rows of `facts`
        tx.executemany("INSERT INTO facts (doc_id, chunk_id, data) VALUES (?,?,?)",
                       [("a", t.chunk_id, json.dumps(t.as_json(), ensure_ascii=False)) for t in tasks])
    # a sentence fact that only quotes the words stays where it is
    registry.db.run("INSERT INTO facts (doc_id, chunk_id, data) VALUES (?,?,?)",
                    ("a", "a:0", json.dumps({"chunk_id": "a:0", "kind": "request", "sentence": '"kind": "task"'})))
    assert registry.tasks() == []
    reopened = Registry(registry.path)  # what the first start of this release does
    try:
        assert reopened.tasks(doc_id="a") == tasks
    finally:
        reopened.close()
    assert [f.kind for f in registry.facts(doc_id="a")] == ["request", "request"]
    assert move_task_facts(registry.db) == 0 and registry.tasks(doc_id="a") == tasks
    # moved once: later starts read the mark instead of scanning every fact again
    assert registry.get_meta("tasks_in_columns") == "1"


def test_opening_an_empty_registry_writes_nothing(db_location: Path | str) -> None:
    reg = Registry(db_location)
    try:
        assert reg.db.query("SELECT key FROM meta") == [] and reg.tasks() == []
    finally:
        reg.close()
