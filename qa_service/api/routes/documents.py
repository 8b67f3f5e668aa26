"""Admin document routes: upload (the same per-file rules as `qa ingest`), list, inspect, delete.

Uploads and deletes run on the app's single writer thread (`api.writer`), never in the request
thread pool: health checks, chat and reads do not wait behind them. An uploaded file is known by its
normalised name: a name taken by other content is a `conflict` unless `replace=true` is sent.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ingestion.load import SUPPORTED
from ingestion.pipeline import remove
from qa_service.api.deps import AdminAuth, ServiceDep, SettingsDep
from qa_service.api.uploads import UPLOAD_BODY, ingest_uploads, read_uploads, upload_limits, writer_errors
from qa_service.api.writer import WriteQueue
from vectorstore.errors import ConflictError, NotFoundError, UnsupportedFileError
from vectorstore.registry import DocumentRecord
from vectorstore.store import IndexStore

router = APIRouter(prefix="/v1/documents", tags=["documents"])
log = logging.getLogger(__name__)

DocId = Annotated[str, Path(max_length=200, description="Mã văn bản", examples=["000-bcc9d3f070f74c9b-e341ba9cc0"])]
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    403: {"description": "Khoá API không có quyền 'admin'"},
}
_BUSY: dict[int | str, dict[str, Any]] = {503: {"description": "Quá nhiều yêu cầu ghi đang chờ, hoặc chỉ mục đang bận (xem Retry-After)"}}


class Outcome(BaseModel):
    path: str
    status: str
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = None


class UploadResult(BaseModel):
    files: int
    added: int
    updated: int
    unchanged: int
    skipped: int
    conflicts: int = Field(default=0, description="Tệp trùng tên văn bản đã có, không gửi replace=true")
    chunks: int
    seconds: float
    outcomes: list[Outcome]


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    source: str
    published: str | None
    chunks: int

    @classmethod
    def from_record(cls, rec: DocumentRecord) -> DocumentSummary:
        return cls(
            doc_id=rec.doc_id, title=rec.title, source=rec.source, published=rec.published, chunks=rec.chunk_count
        )


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    total: int


class SectionInfo(BaseModel):
    heading: str
    level: int
    start: int
    end: int
    style: str


class DocumentDetail(DocumentSummary):
    # No `path`: the server's file system is not the caller's business (it is logged for operators).
    author: str | None = None
    source_domain: str | None = None
    kind: str | None = Field(default=None, description="Định dạng tệp: txt, html, pdf, docx, md")
    doc_kind: str | None = Field(default=None, description="Loại văn bản: Kế hoạch, Chỉ thị, Quyết định, Công văn…")
    number: str | None = Field(default=None, description="Số, ký hiệu: 624/KH-UBND")
    issuer: str | None = Field(default=None, description="Cơ quan ban hành")
    signer: str | None = None
    signer_title: str | None = None
    place: str | None = None
    recipients: list[str] = Field(default_factory=list, description="Kính gửi")
    sections: list[SectionInfo] = Field(default_factory=list, description="Cây đề mục: Phần/Chương/Điều, I./1./a)")
    doc_numbers: list[dict[str, Any]]
    notes: list[str]
    ingested_at: str
    facts: list[dict[str, Any]]


class Removed(BaseModel):
    doc_id: str
    status: str
    chunks: int


# --- upload ---------------------------------------------------------------------------------------
def _supported(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in SUPPORTED


def writer_of(request: Request) -> WriteQueue:
    return request.app.state.writer  # type: ignore[no-any-return]


@router.post(
    "",
    response_model=UploadResult,
    summary="Tải lên và nạp văn bản",
    openapi_extra={"requestBody": UPLOAD_BODY},
    responses={
        **_AUTH_ERRORS,
        409: {"description": "Mọi tệp đều trùng tên văn bản đã có (gửi replace=true để thay thế)"},
        413: {"description": "Tệp quá lớn"},
        415: {"description": "Không có tệp nào thuộc định dạng hỗ trợ"},
        **_BUSY,
    },
)
async def upload_documents(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    _: AdminAuth,
    replace: Annotated[bool, Query(description="Thay thế văn bản đã có cùng tên tệp")] = False,
) -> dict[str, object]:
    """Nạp một hoặc nhiều tệp (trường `files`) theo đúng quy tắc của `qa ingest`: tệp không đổi thì bỏ qua;
    tệp trùng tên một văn bản đã có nhưng khác nội dung là `conflict` (kèm mã văn bản đó), trừ khi gửi
    `replace=true` thì thay thế (`updated`); tệp rỗng, nhị phân, không giải mã được hoặc vượt giới hạn
    trang/ký tự/thời gian được liệt kê là `skipped` kèm lý do; các tệp tốt trong cùng lô vẫn được nạp.
    409 khi mọi tệp đều trùng tên."""
    writer_of(request).check_room()
    uploads = await read_uploads(request, settings.max_upload_mb * 2**20)
    if not any(_supported(name) for name, _ in uploads):
        kinds = ", ".join(sorted({PurePosixPath(n).suffix or n or "?" for n, _ in uploads}))
        raise UnsupportedFileError(f"Định dạng không được hỗ trợ ({kinds}); chấp nhận: {', '.join(sorted(SUPPORTED))}.")
    job = (ingest_uploads, service.store, uploads, replace, upload_limits(settings))
    summary = await writer_of(request).run(request, *job)
    conflicts = [o for o in summary.outcomes if o.status == "conflict"]
    if conflicts and len(conflicts) == len(summary.outcomes):  # nothing else happened: the request as a whole conflicts
        first = conflicts[0]
        raise ConflictError(first.reason or "", details={
            "doc_id": first.doc_id, "source": first.path,
            "conflicts": [{"path": o.path, "doc_id": o.doc_id} for o in conflicts],
        })
    return {**summary.as_dict(), "conflicts": len(conflicts)}


# --- read and delete ------------------------------------------------------------------------------
@router.get("", response_model=DocumentList, responses=_AUTH_ERRORS, summary="Danh sách văn bản đã nạp")
def list_documents(
    service: ServiceDep,
    _: AdminAuth,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Bỏ qua bao nhiêu văn bản")] = 0,
    limit: Annotated[int, Query(ge=1, le=500, description="Số văn bản tối đa mỗi trang")] = 50,
) -> DocumentList:
    """Mới nhất trước (theo ngày đăng), kèm số đoạn (chunk) của mỗi văn bản và tổng số văn bản."""
    records, total = service.store.registry.list_documents(offset=offset, limit=limit)
    return DocumentList(documents=[DocumentSummary.from_record(r) for r in records], total=total)


def _record(store: IndexStore, doc_id: str) -> DocumentRecord:
    rec = store.registry.get_document(doc_id)
    if rec is None:
        raise NotFoundError(f"Không tìm thấy văn bản '{doc_id}'.")
    return rec


@router.get(
    "/{doc_id}",
    response_model=DocumentDetail,
    responses={**_AUTH_ERRORS, 404: {"description": "Không có"}},
    summary="Chi tiết một văn bản",
)
def get_document(doc_id: DocId, service: ServiceDep, _: AdminAuth) -> DocumentDetail:
    """Siêu dữ liệu (tác giả, số hiệu văn bản được nhắc tới, ngày) và các dữ kiện trích xuất: ai, làm gì,
    thời hạn."""
    rec = _record(service.store, doc_id)
    log.info("document %s is %s", doc_id, rec.path)
    meta = rec.metadata
    return DocumentDetail(
        **DocumentSummary.from_record(rec).model_dump(),
        author=meta.get("author"),
        source_domain=meta.get("source_domain"),
        kind=meta.get("kind"),
        doc_kind=meta.get("doc_kind"),
        number=meta.get("number"),
        issuer=meta.get("issuer"),
        signer=meta.get("signer"),
        signer_title=meta.get("signer_title"),
        place=meta.get("place"),
        recipients=meta.get("recipients") or [],
        sections=[SectionInfo(**s) for s in meta.get("sections") or []],
        doc_numbers=meta.get("doc_numbers") or [],
        notes=meta.get("notes") or [],
        ingested_at=datetime.fromtimestamp(rec.ingested_at, UTC).isoformat(),
        # sentence facts, then task records in their public shape (as one list since the first build)
        facts=[f.as_json() for f in service.store.registry.facts(doc_id=doc_id)]
        + [t.as_json() for t in service.store.registry.tasks(doc_id=doc_id)],
    )


@router.delete(
    "/{doc_id}",
    response_model=Removed,
    responses={**_AUTH_ERRORS, 404: {"description": "Không có"}, **_BUSY},
    summary="Xoá một văn bản khỏi chỉ mục",
)
async def delete_document(request: Request, doc_id: DocId, service: ServiceDep, _: AdminAuth) -> Removed:
    """Xoá văn bản ở mọi nơi (vector, chỉ mục từ vựng, sổ đăng ký); câu trả lời sau đó không còn trích dẫn nó."""
    await run_in_threadpool(_record, service.store, doc_id)  # an unknown id is told at once, not after the queue
    return await writer_of(request).run(request, _remove, service.store, doc_id)


def _remove(store: IndexStore, doc_id: str) -> Removed:
    """Runs on the writer thread."""
    _record(store, doc_id)  # deleted by a write queued before this one?
    with writer_errors():
        outcome = remove(store, doc_id)
    return Removed(doc_id=doc_id, status=outcome.status, chunks=outcome.chunks)
