"""Exports of the register: CSV for Excel and iCalendar (RFC 5545) for calendar subscriptions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from qa_service.tasks.records import TaskRecord, period_end

# What each column is called in the file a department opens in Excel.
CSV_COLUMNS = (
    "Hạn", "Hạn (theo văn bản)", "Định kỳ", "Trạng thái", "Chủ trì", "Phối hợp", "Nhiệm vụ", "Báo cáo về",
    "Loại văn bản", "Số hiệu", "Ngày văn bản", "Trích yếu", "Mục", "Mã nhiệm vụ", "Mã văn bản", "Tệp nguồn",
)
RECURRENCE_LABEL = {
    "daily": "hằng ngày", "weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý",
    "semiannual": "6 tháng một lần", "annual": "hằng năm",
}
STATUS_LABEL = {"overdue": "Quá hạn", "due_soon": "Sắp đến hạn", "upcoming": "Chưa đến hạn", "no_deadline": "Không có hạn"}
# RFC 5545 RRULE parts for each recurrence.
RRULE: dict[str, dict[str, str | int]] = {
    "daily": {"FREQ": "DAILY"}, "weekly": {"FREQ": "WEEKLY"}, "monthly": {"FREQ": "MONTHLY"},
    "quarterly": {"FREQ": "MONTHLY", "INTERVAL": 3}, "semiannual": {"FREQ": "MONTHLY", "INTERVAL": 6},
    "annual": {"FREQ": "YEARLY"},
}
SUMMARY_CHARS = 200
# Excel runs a cell that starts with one of these as a formula: documents are untrusted text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _dmy(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _names(task: TaskRecord, support: bool) -> str:
    return "; ".join(a.name for a in task.actors if (a.role == "support") == support)


def _document_label(task: TaskRecord) -> str:
    kind = (task.doc_kind or "Văn bản").strip()
    label = f"{kind} số {task.number}" if task.number else kind
    return f"{label} ngày {date.fromisoformat(task.published):%d/%m/%Y}" if task.published else label


def to_csv(tasks: list[TaskRecord], as_of: date) -> str:
    """UTF-8 text that starts with a BOM, so Excel reads the Vietnamese correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for t in tasks:
        deadline = t.deadline
        due = t.next_due(as_of)
        writer.writerow([_cell(v) for v in (
            due.strftime("%d/%m/%Y") if due else "", deadline.text if deadline else "",
            RECURRENCE_LABEL.get(deadline.recurrence or "", "") if deadline else "", STATUS_LABEL[t.status(as_of)],
            _names(t, support=False), _names(t, support=True), t.action, t.report_to or "",
            t.doc_kind or "", t.number or "", _dmy(t.published), t.title, t.section, t.task_id, t.doc_id, t.source,
        )])
    return out.getvalue()


def _summary(task: TaskRecord) -> str:
    lead = _names(task, support=False) or "(không rõ)"
    text = " ".join(f"{lead}: {task.action}".split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _description(task: TaskRecord) -> str:
    lines = [_document_label(task)]
    if task.title:
        lines.append(task.title)
    if task.deadline and task.deadline.text:
        lines.append(f"Hạn theo văn bản: {task.deadline.text}")
    if support := _names(task, support=True):
        lines.append(f"Phối hợp: {support}")
    if task.report_to:
        lines.append(f"Báo cáo về: {task.report_to}")
    lines += ["", f"«{task.snippet}»"]
    return "\n".join(lines)


# The UID's domain: fixed, so that one service reached by two names (an IP, an intranet name) does not give a
# subscribed calendar every task twice.
UID_DOMAIN = "task-register.qa-service"


def _first_due(task: TaskRecord) -> date | None:
    """The written date; for a recurring duty that names no day ("báo cáo hằng quý"), the end of the period
    its document was issued in (then every period's end, by the RRULE)."""
    assert task.deadline is not None
    if (due := task.deadline.due()) is not None:
        return due
    if task.deadline.recurrence is None or task.published is None:
        return None
    return period_end(date.fromisoformat(task.published), task.deadline.recurrence)


def to_ics(tasks: list[TaskRecord], task_url: str, name: str = "Nhiệm vụ theo văn bản") -> bytes:
    """One all-day VEVENT per dated task (recurring ones with an RRULE); `task_url` has a `{task_id}` slot."""
    cal = Calendar()
    cal.add("prodid", "-//qa-service//Task register//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for t in tasks:
        if t.deadline is None or (due := _first_due(t)) is None:
            continue
        event = Event()
        event.add("uid", f"{t.task_id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", _summary(t))
        event.add("description", _description(t))
        event.add("url", task_url.format(task_id=t.task_id))
        event.add("categories", [t.doc_kind or "Văn bản"])
        if rule := RRULE.get(t.deadline.recurrence or ""):
            if t.deadline.date is None and rule["FREQ"] in ("MONTHLY", "YEARLY"):
                rule = {**rule, "BYMONTHDAY": -1}  # "hằng quý": by each period's last day
            event.add("rrule", vRecur(rule))
        cal.add_component(event)
    return cal.to_ical()
