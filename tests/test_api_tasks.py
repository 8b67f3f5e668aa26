"""The task register over HTTP: auth, filters, bad input, exports, and tasks following document writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

ADMIN = {"Authorization": "Bearer a1"}
CHAT = {"Authorization": "Bearer c1"}
PLAN = Path(__file__).parent / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"
AS_OF = {"as_of": "2025-12-01"}


@pytest.fixture
def api(make_client: Callable[..., TestClient]) -> TestClient:
    client = make_client(api_keys="c1:chat,a1:admin")
    res = client.post("/v1/documents", headers=ADMIN, files=[("files", (PLAN.name, PLAN.read_bytes()))])
    assert res.status_code == 200, res.text
    return client


def _tasks(api: TestClient, **params: str) -> dict:
    res = api.get("/v1/tasks", headers=CHAT, params={**AS_OF, **params})
    assert res.status_code == 200, res.text
    return res.json()


def test_tasks_need_a_chat_key(api: TestClient) -> None:
    for path in ("/v1/tasks", "/v1/tasks.csv", "/v1/tasks.ics", "/v1/actors", "/v1/tasks/t-0"):
        assert api.get(path).status_code == 401
    assert api.get("/v1/tasks", headers={"X-API-Key": "c1"}).status_code == 200


def test_list_has_the_documented_shape(api: TestClient) -> None:
    body = _tasks(api)
    assert body["as_of"] == "2025-12-01" and body["total"] == len(body["tasks"]) >= 4
    task = next(t for t in body["tasks"] if t["deadline"] and t["deadline"]["date"] == "2026-06-30")
    assert set(task) >= {"task_id", "doc_id", "source", "title", "doc_kind", "number", "actors", "action", "deadline",
                         "report_to", "section", "start", "end", "snippet", "status"}
    assert task["actors"] == [{"name": "Sở Giáo dục và Đào tạo", "role": "lead"},
                              {"name": "Sở Khoa học và Công nghệ", "role": "support"}]
    assert (task["doc_kind"], task["number"], task["status"]) == ("Kế hoạch", "624/KH-UBND", "upcoming")
    assert task["source"] == PLAN.name and "kho học liệu số" in task["snippet"]
    one = api.get(f"/v1/tasks/{task['task_id']}", headers=CHAT, params=AS_OF).json()
    assert one == task


def test_filters_over_http(api: TestClient) -> None:
    assert _tasks(api, actor="Sở GD&ĐT")["total"] == 2
    assert _tasks(api, actor="Sở KH&CN", role="support")["total"] == 1
    assert _tasks(api, actor="Sở KH&CN", role="lead")["total"] == 0
    counts = _tasks(api, actor="Sở GD&ĐT", status="upcoming")["by_status"]
    assert counts == {"overdue": 0, "due_soon": 1, "upcoming": 1, "no_deadline": 0}  # the status filter aside
    # the plan's own (the sample news page's "xây dựng … kế hoạch hoạt động hàng năm" of the Liên hiệp
    # is due by the year's end too)
    soon = [t for t in _tasks(api, status="due_soon")["tasks"] if t["source"] == PLAN.name]
    assert {t["deadline"]["next_due"] for t in soon} == {"2025-12-15", "2025-12-31"}
    assert len(soon) == 3  # with "báo cáo … hằng quý", due by the quarter's end
    assert _tasks(api, due_from="2026-06-01", due_to="2026-06-30")["total"] == 1
    recurring = [t for t in _tasks(api, recurring="true")["tasks"] if t["source"] == PLAN.name]
    assert len(recurring) == 2  # the yearly report and the quarterly one
    assert _tasks(api, q="kinh phí")["tasks"][0]["actors"][0]["name"] == "Sở Tài chính"
    assert _tasks(api, limit="1", offset="1")["total"] == _tasks(api)["total"]
    actors = api.get("/v1/actors", headers=CHAT).json()["actors"]  # the sample articles have tasks too
    assert next(a for a in actors if a["key"] == "so giao duc va dao tao") == {"name": "Sở Giáo dục và Đào tạo", "key": "so giao duc va dao tao",
                                   "tasks": 2, "lead": 2, "support": 0}


@pytest.mark.parametrize(
    "params",
    [{"status": "late"}, {"role": "boss"}, {"due_from": "31/12/2025"}, {"due_from": "2026-02-30"},
     {"due_from": "2026-02-01", "due_to": "2026-01-01"}, {"limit": "0"}, {"limit": "501"}, {"offset": "-1"},
     {"sort": "random"}, {"recurring": "maybe"}, {"actor": "x" * 201}],
)
def test_bad_filters_are_422_with_a_message(api: TestClient, params: dict[str, str]) -> None:
    for path in ("/v1/tasks", "/v1/tasks.csv", "/v1/tasks.ics"):
        res = api.get(path, headers=CHAT, params=params)
        assert res.status_code == 422, (path, params, res.text)
        assert res.json()["error"]["message"]


def test_unknown_task_is_404(api: TestClient) -> None:
    res = api.get("/v1/tasks/t-doesnotexist", headers=CHAT)
    assert res.status_code == 404 and "t-doesnotexist" in res.json()["error"]["message"]


def test_csv_and_ics_honour_the_filters(api: TestClient) -> None:
    res = api.get("/v1/tasks.csv", headers=CHAT, params={**AS_OF, "actor": "Sở Tài chính"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert "attachment" in res.headers["content-disposition"]
    assert res.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert [(r["Chủ trì"], r["Hạn"]) for r in rows] == [("Sở Tài chính", "31/12/2025")]
    res = api.get("/v1/tasks.ics", headers=CHAT, params={**AS_OF, "actor": "Sở Giáo dục và Đào tạo"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/calendar")
    events = list(Calendar.from_ical(res.content).walk("VEVENT"))
    assert sorted(str(e.decoded("DTSTART")) for e in events) == ["2025-12-15", "2026-06-30"]
    assert all(str(e["URL"]).startswith("http://testserver/tasks#task=t-") for e in events)


def test_tasks_follow_document_updates_and_deletes(api: TestClient) -> None:
    changed = PLAN.read_text(encoding="utf-8").replace("trước ngày 30/6/2026", "trước ngày 31/7/2026")
    # A new version under the same name replaces the document only when asked (else 409).
    res = api.post("/v1/documents", headers=ADMIN, files=[("files", (PLAN.name, changed.encode()))])
    assert res.status_code == 409 and res.json()["error"]["code"] == "conflict"
    res = api.post("/v1/documents?replace=true", headers=ADMIN, files=[("files", (PLAN.name, changed.encode()))])
    assert res.json()["updated"] == 1
    dates = {t["deadline"]["date"] for t in _tasks(api)["tasks"] if t["deadline"]}
    assert "2026-07-31" in dates and "2026-06-30" not in dates
    doc_id = _tasks(api, actor="Sở Tài chính")["tasks"][0]["doc_id"]
    assert api.delete(f"/v1/documents/{doc_id}", headers=ADMIN).status_code == 200
    assert _tasks(api)["total"] > 0 and all(t["doc_id"] != doc_id for t in _tasks(api)["tasks"])
    actors = api.get("/v1/actors", headers=CHAT).json()["actors"]
    assert "so giao duc va dao tao" not in {a["key"] for a in actors}
