"""The task register on a real store: records, filters, statuses, sorting, exports, and consistency with writes."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from ingestion.pipeline import ingest_bytes, remove
from qa_service.tasks.export import to_csv, to_ics
from qa_service.tasks.records import TaskDeadline, TaskRecord
from qa_service.tasks.register import TaskQuery, TaskRegister
from vectorstore.task_rows import task_id

FIXTURE = Path(__file__).parent / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"
AS_OF = date(2025, 12, 1)
# A second document: its own actors, an overdue date, a monthly report and a formula-looking action.
SECOND = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
Số: 77/CV-UBND
Hà Tĩnh, ngày 03 tháng 10 năm 2025

CÔNG VĂN

V/v triển khai kiểm tra công vụ

1. Sở Nội vụ chủ trì kiểm tra công vụ tại các xã, hoàn thành trước ngày 15/11/2025.

2. Sở Giáo dục và Đào tạo phối hợp với Sở Nội vụ rà soát biên chế giáo viên, báo cáo trước ngày 20 hằng tháng.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


@pytest.fixture
def register(core_store: Any) -> TaskRegister:
    ingest_bytes(core_store, FIXTURE.name, FIXTURE.read_bytes(), str(FIXTURE))
    ingest_bytes(core_store, "congvan-77.txt", SECOND.encode(), "/docs/congvan-77.txt")
    return TaskRegister(core_store.registry)


def _query(**kw: Any) -> TaskQuery:
    return TaskQuery(as_of=AS_OF, **kw)


def _actions(register: TaskRegister, **kw: Any) -> list[str]:
    return [t.action for t in register.search(_query(**kw)).tasks]


def test_every_task_is_served_with_its_document_and_exact_passage(register: TaskRegister, core_store: Any) -> None:
    tasks = register.all()
    assert len(tasks) >= 5
    for t in tasks:
        doc = core_store.registry.get_document(t.doc_id)
        assert " ".join(doc.text[t.start : t.end].split()).startswith(t.snippet.rstrip("…")[:40])
        assert t.task_id == task_id(t.doc_id, t.start, t.end)
        assert register.get(t.task_id) is t
    plan = next(t for t in tasks if t.number == "624/KH-UBND")
    assert plan.doc_kind == "Kế hoạch" and plan.published == "2025-11-19"


def test_actor_filter_matches_every_spelling_and_role(register: TaskRegister) -> None:
    full = _actions(register, actor="Sở Giáo dục và Đào tạo")
    assert full == _actions(register, actor="Sở GD&ĐT") == _actions(register, actor="so giao duc va dao tao")
    assert len(full) == 3  # two tasks in the plan, one in the letter ("X phối hợp với Y làm Z": X does Z)
    assert _actions(register, actor="Sở GD&ĐT", role="lead") == full
    assert _actions(register, actor="Sở GD&ĐT", role="support") == []
    assert ["rà soát biên chế" in a for a in _actions(register, actor="Sở Nội vụ", role="support")] == [True]
    assert ["kiểm tra công vụ" in a for a in _actions(register, actor="Sở Nội vụ", role="lead")] == [True]
    assert _actions(register, actor="Sở KH&CN", role="support")[0].startswith("Chủ trì, phối hợp")
    assert _actions(register, actor="Sở Y tế") == []


def test_status_is_relative_to_the_day_asked(register: TaskRegister) -> None:
    def statuses(as_of: date) -> dict[str, str]:
        return {t.deadline.text if t.deadline else t.action[:20]: t.status(as_of) for t in register.all()}

    now = statuses(AS_OF)
    assert now["trước ngày 15/11/2025"] == "overdue"
    assert now["trong tháng 12/2025"] == "due_soon"
    assert now["trước ngày 30/6/2026"] == "upcoming"
    later = statuses(date(2026, 7, 15))
    assert later["trước ngày 30/6/2026"] == "overdue"
    assert later["trước ngày 15/12 hằng năm"] == "upcoming"  # the yearly report moves to next December
    overdue = register.search(_query(status="overdue")).tasks
    assert [t.deadline.text for t in overdue if t.deadline] == ["trước ngày 15/11/2025"]
    assert all(t.status(AS_OF) == "no_deadline" for t in register.search(_query(status="no_deadline")).tasks)


def test_recurring_tasks_fall_due_at_their_next_occurrence() -> None:
    def task(day: str, rec: str | None) -> TaskRecord:
        return TaskRecord("t", "d", "s", "", None, None, None, [], "a", TaskDeadline(day, "", rec), None, "", 0, 1, "", "")

    assert task("2025-12-15", "annual").next_due(date(2026, 1, 10)) == date(2026, 12, 15)
    assert task("2024-01-31", "monthly").next_due(date(2025, 3, 1)) == date(2025, 3, 31)
    assert task("2025-01-15", "quarterly").next_due(date(2025, 5, 1)) == date(2025, 7, 15)
    assert task("2020-01-01", "daily").next_due(date(2025, 6, 1)) == date(2025, 6, 1)
    assert task("2025-01-06", "weekly").next_due(date(2025, 1, 14)) == date(2025, 1, 20)
    assert task("2025-06-30", None).next_due(date(2026, 1, 1)) == date(2025, 6, 30)  # a one-off stays overdue


def test_period_filter_counts_recurring_occurrences(register: TaskRegister) -> None:
    december = _actions(register, due_from=date(2025, 12, 1), due_to=date(2025, 12, 31))
    assert len(december) == 3  # the one-off, the yearly report, and the monthly one ("ngày 20 hằng tháng")
    assert {("kinh phí" in a, "Tổng hợp" in a, "biên chế" in a) for a in december} == {
        (True, False, False), (False, True, False), (False, False, True)}
    december_next = _actions(register, due_from=date(2026, 12, 1), due_to=date(2026, 12, 31))
    assert sorted(("Tổng hợp" in a, "biên chế" in a) for a in december_next) == [(False, True), (True, False)]
    monthly = next(t for t in register.all() if t.deadline and t.deadline.recurrence == "monthly")
    assert (monthly.deadline.date, monthly.next_due(AS_OF)) == ("2025-10-20", date(2025, 12, 20))
    assert _actions(register, due_to=date(2025, 11, 30)) == [  # ordered by the deadline as seen from AS_OF
        t.action for t in register.all() if t.deadline and t.deadline.text == "trước ngày 15/11/2025"
    ] + [t.action for t in register.all() if t.deadline and t.deadline.recurrence == "monthly"]
    with pytest.raises(ValueError, match="due_from"):
        _query(due_from=date(2026, 1, 2), due_to=date(2026, 1, 1))


def test_free_text_recurring_doc_and_sorting(register: TaskRegister) -> None:
    assert [("kho học liệu" in a) for a in _actions(register, q="học liệu số")] == [True]
    assert _actions(register, q="hoc lieu so") == _actions(register, q="học liệu số")  # typed without marks
    assert _actions(register, q="tàu vũ trụ") == []
    recurring = register.search(_query(recurring=True)).tasks
    assert recurring and all(t.deadline and t.deadline.recurrence for t in recurring)
    one_doc = register.search(_query(doc_id=recurring[0].doc_id)).tasks
    assert one_doc and {t.doc_id for t in one_doc} == {recurring[0].doc_id}
    by_deadline = register.search(_query()).tasks
    dues = [t.next_due(AS_OF) for t in by_deadline]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # undated last
    by_doc = register.search(_query(sort="document_date")).tasks
    assert by_doc[0].number == "624/KH-UBND"  # 19/11/2025 is newer than 03/10/2025
    page = register.search(_query(limit=2, offset=1))
    assert page.total == len(by_deadline) and [t.task_id for t in page.tasks] == [t.task_id for t in by_deadline[1:3]]


def test_actor_list_counts_roles(register: TaskRegister) -> None:
    actors = {a.key: a for a in register.actors()}
    gd = actors["so giao duc va dao tao"]
    assert (gd.name, gd.tasks, gd.lead, gd.support) == ("Sở Giáo dục và Đào tạo", 3, 3, 0)
    assert (actors["so noi vu"].lead, actors["so noi vu"].support) == (1, 1)


def test_register_follows_updates_and_deletes(register: TaskRegister, core_store: Any) -> None:
    before = len(register.all())
    changed = SECOND.replace("trước ngày 15/11/2025", "trước ngày 20/01/2026")
    outcome = ingest_bytes(core_store, "congvan-77.txt", changed.encode(), "/docs/congvan-77.txt")
    assert outcome.status == "updated"
    dates = {t.deadline.date for t in register.all() if t.deadline}
    assert "2026-01-20" in dates and "2025-11-15" not in dates
    assert len(register.all()) == before
    remove(core_store, outcome.doc_id)
    assert all(t.doc_id != outcome.doc_id for t in register.all())
    assert not [t for t in core_store.registry.tasks() if "Nội vụ" in str(t)]


def test_csv_has_a_bom_vietnamese_headers_and_no_formulas(register: TaskRegister) -> None:
    tasks = register.search(_query()).tasks
    tasks[0].action = "=HYPERLINK(\"http://x\")"  # a document is untrusted text
    text = to_csv(tasks, AS_OF)
    assert text.startswith("\ufeffHạn,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(tasks)
    assert rows[0]["Nhiệm vụ"].startswith("'=")
    kinh_phi = next(r for r in rows if "kinh phí" in r["Nhiệm vụ"])
    assert (kinh_phi["Hạn"], kinh_phi["Chủ trì"], kinh_phi["Trạng thái"]) == ("31/12/2025", "Sở Tài chính", "Sắp đến hạn")
    assert kinh_phi["Số hiệu"] == "624/KH-UBND"


def test_ics_parses_back_with_one_all_day_event_per_dated_task(register: TaskRegister) -> None:
    tasks = register.search(_query()).tasks
    body = to_ics(tasks, task_url="https://qa.example.vn/tasks#task={task_id}")
    cal = Calendar.from_ical(body)
    events = list(cal.walk("VEVENT"))
    dated = [t for t in tasks if t.deadline and t.deadline.date]
    undated = [t for t in tasks if t.deadline and not t.deadline.date and t.deadline.recurrence]
    assert len(events) == len(dated) + len(undated) and len(dated) >= 4 and len(undated) == 1
    by_uid = {str(e["UID"]).removesuffix("@task-register.qa-service"): e for e in events}
    for t in dated:
        event = by_uid[t.task_id]
        assert event.decoded("DTSTART") == t.deadline.due()
        assert (event.decoded("DTEND") - event.decoded("DTSTART")).days == 1
        assert str(event["URL"]) == f"https://qa.example.vn/tasks#task={t.task_id}"
        assert str(event["SUMMARY"]).startswith(t.actors[0].name + ":")
        assert t.number and t.number in str(event["DESCRIPTION"])
    yearly = next(e for e in events if "15/12" in str(e["DESCRIPTION"]))
    assert yearly["RRULE"]["FREQ"] == ["YEARLY"]
    assert all("RRULE" not in e for e in events if "15/11/2025" in str(e["DESCRIPTION"]))
    quarterly = by_uid[undated[0].task_id]  # "báo cáo … hằng quý": every quarter's last day
    assert quarterly.decoded("DTSTART") == date(2025, 12, 31)
    assert (quarterly["RRULE"]["FREQ"], quarterly["RRULE"]["INTERVAL"], quarterly["RRULE"]["BYMONTHDAY"]) == (
        ["MONTHLY"], [3], [-1])
