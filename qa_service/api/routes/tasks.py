"""The task register over HTTP: list and filter, one task, the bodies, CSV and iCalendar exports.

Same scope as chat (reading what the documents say); the filters are one dependency, so the list,
the CSV and the calendar always agree on what "the current filters" select.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from qa_service.api.deps import ChatAuth, ServiceDep
from qa_service.tasks.export import to_csv, to_ics
from qa_service.tasks.register import TaskQuery
from vectorstore.errors import NotFoundError, QAError

router = APIRouter(prefix="/v1", tags=["tasks"])

EXPORT_LIMIT = 10_000
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    422: {"description": "Bộ lọc không hợp lệ"},
}


class ActorOut(BaseModel):
    name: str = Field(examples=["Sở Tài chính"])
    role: Literal["lead", "support", "assignee"] = Field(description="chủ trì / phối hợp / được giao")


class DeadlineOut(BaseModel):
    date: str | None = Field(description="YYYY-MM-DD; null khi văn bản không cho một ngày", examples=["2025-12-15"])
    text: str = Field(examples=["trước ngày 15/12/2025"])
    recurrence: str | None = Field(description="daily|weekly|monthly|quarterly|semiannual|annual")
    next_due: str | None = Field(description="Lần đến hạn tới (việc định kỳ) tính từ as_of")


class TaskOut(BaseModel):
    task_id: str
    doc_id: str
    source: str
    title: str
    doc_kind: str | None
    number: str | None
    published: str | None
    actors: list[ActorOut]
    action: str
    deadline: DeadlineOut | None
    status: Literal["overdue", "due_soon", "upcoming", "no_deadline"]
    report_to: str | None
    section: str
    start: int = Field(description="Vị trí đầu đoạn trích dẫn trong văn bản đã làm sạch")
    end: int
    snippet: str = Field(description="Đoạn văn giao nhiệm vụ, đúng nguyên văn")
    chunk_id: str


class TaskList(BaseModel):
    tasks: list[TaskOut]
    total: int
    as_of: str
    by_status: dict[str, int] = Field(description="Số nhiệm vụ theo trạng thái, với mọi bộ lọc trừ `status`")


class ActorCountOut(BaseModel):
    name: str
    key: str = Field(description="Khoá chuẩn hoá: mọi cách viết của một cơ quan có cùng khoá")
    tasks: int
    lead: int
    support: int


class ActorList(BaseModel):
    actors: list[ActorCountOut]
    total: int


def task_query(
    actor: Annotated[str | None, Query(max_length=200, description="Cơ quan (mọi cách viết: 'Sở GD&ĐT')")] = None,
    role: Annotated[Literal["lead", "support", "any"], Query(description="Vai trò của cơ quan")] = "any",
    doc_id: Annotated[str | None, Query(max_length=200)] = None,
    due_from: Annotated[date | None, Query(description="Hạn từ ngày (YYYY-MM-DD)")] = None,
    due_to: Annotated[date | None, Query(description="Hạn đến ngày (YYYY-MM-DD)")] = None,
    status: Annotated[
        Literal["overdue", "due_soon", "upcoming", "no_deadline"] | None,
        Query(description="overdue: quá hạn; due_soon: trong 30 ngày tới; upcoming: sau 30 ngày; no_deadline"),
    ] = None,
    recurring: Annotated[bool | None, Query(description="Chỉ việc định kỳ (true) / không định kỳ (false)")] = None,
    q: Annotated[str | None, Query(max_length=300, description="Từ khoá trong nội dung nhiệm vụ")] = None,
    sort: Annotated[Literal["deadline", "document_date"], Query(description="Theo hạn, hoặc văn bản mới trước")] = (
        "deadline"
    ),
    as_of: Annotated[date | None, Query(description="Tính trạng thái tại ngày này (mặc định: hôm nay, giờ VN)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> TaskQuery:
    try:
        extra = {"as_of": as_of} if as_of else {}
        return TaskQuery(actor=actor, role=role, doc_id=doc_id, due_from=due_from, due_to=due_to, status=status,
                         recurring=recurring, q=q, sort=sort, limit=limit, offset=offset, **extra)
    except ValueError as exc:
        raise QAError(f"Bộ lọc không hợp lệ: {exc}.", code="invalid_request", status_code=422) from exc


Filters = Annotated[TaskQuery, Depends(task_query)]


@router.get("/tasks", response_model=TaskList, responses=_ERRORS, summary="Sổ nhiệm vụ: ai làm gì, hạn nào")
def list_tasks(query: Filters, service: ServiceDep, _: ChatAuth) -> dict[str, Any]:
    """Mọi nhiệm vụ trích từ các văn bản đã nạp (chủ trì, phối hợp, nội dung, hạn), lọc theo cơ quan, văn bản,
    khoảng hạn, trạng thái, định kỳ, từ khoá; mỗi nhiệm vụ kèm đoạn văn gốc (`start`, `end`, `snippet`)."""
    page = service.tasks.search(query)
    return {"tasks": [t.as_json(query.as_of) for t in page.tasks], "total": page.total,
            "as_of": query.as_of.isoformat(), "by_status": page.by_status}


def _export(service: Any, query: TaskQuery) -> list[Any]:
    query.offset, query.limit = 0, EXPORT_LIMIT
    return service.tasks.search(query).tasks  # type: ignore[no-any-return]


@router.get("/tasks.csv", responses={**_ERRORS, 200: {"content": {"text/csv": {}}}}, summary="Tải danh sách nhiệm vụ dạng CSV (Excel)")
def tasks_csv(query: Filters, service: ServiceDep, _: ChatAuth) -> Response:
    """Cùng bộ lọc như `/v1/tasks`, tối đa 10.000 dòng; UTF-8 có BOM để Excel hiển thị đúng tiếng Việt."""
    body = to_csv(_export(service, query), query.as_of)
    headers = {"Content-Disposition": 'attachment; filename="nhiem-vu.csv"'}
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/tasks.ics", responses={**_ERRORS, 200: {"content": {"text/calendar": {}}}}, summary="Lịch (iCalendar)")
def tasks_ics(query: Filters, request: Request, service: ServiceDep, _: ChatAuth) -> Response:
    """Một sự kiện cả ngày cho mỗi nhiệm vụ có hạn (việc định kỳ kèm RRULE), cùng bộ lọc như `/v1/tasks`:
    một phòng có thể đăng ký lịch theo đúng nhiệm vụ của mình."""
    base = str(request.base_url).rstrip("/")
    body = to_ics(_export(service, query), task_url=base + "/tasks#task={task_id}")
    headers = {"Content-Disposition": 'attachment; filename="nhiem-vu.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/tasks/{task_id}", response_model=TaskOut, responses={**_ERRORS, 404: {"description": "Không có"}},
            summary="Một nhiệm vụ")
def get_task(
    task_id: Annotated[str, Path(max_length=100)], service: ServiceDep, _: ChatAuth,
    as_of: Annotated[date | None, Query()] = None,
) -> dict[str, Any]:
    task = service.tasks.get(task_id)
    if task is None:
        raise NotFoundError(f"Không tìm thấy nhiệm vụ '{task_id}'.")
    return task.as_json(as_of or TaskQuery().as_of)


@router.get("/actors", response_model=ActorList, responses=_ERRORS, summary="Các cơ quan được giao nhiệm vụ")
def list_actors(
    service: ServiceDep, _: ChatAuth,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> dict[str, Any]:
    """Cơ quan và số nhiệm vụ (tổng, chủ trì, phối hợp), nhiều nhiệm vụ trước: cho ô chọn trên trang nhiệm vụ."""
    actors = service.tasks.actors()
    return {"actors": [a.__dict__ for a in actors[:limit]], "total": len(actors)}
