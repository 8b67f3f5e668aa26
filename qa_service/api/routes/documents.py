"""Admin document routes: upload (the same per-file rules as `qa ingest`), list, inspect, delete.

Uploads are read with a byte budget while they arrive (a missing or false Content-Length must not
let a client fill the disk), then written under the index's writer lock in a worker thread.
An uploaded file is keyed by its name: uploading a changed file with the same name replaces it.
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile
from starlette.types import Message

from ingestion.load import SUPPORTED
from ingestion.pipeline import FileOutcome, IngestSummary, ingest_bytes, remove
from qa_service.api.deps import AdminAuth, ServiceDep, SettingsDep
from vectorstore.errors import IndexLockedError, NotFoundError, QAError, UnsupportedFileError
from vectorstore.registry import DocumentRecord
from vectorstore.store import IndexStore

router = APIRouter(prefix="/v1/documents", tags=["documents"])
log = logging.getLogger(__name__)

MAX_FILES = 100
# WriterLock guards against other processes; this guards its single file descriptor against our own threads.
_WRITE_GUARD = threading.Lock()
_GUARD_WAIT = 300.0

DocId = Annotated[str, Path(max_length=200, description="Mã văn bản", examples=["000-bcc9d3f070f74c9b-e341ba9cc0"])]
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai khoá API"},
    403: {"description": "Khoá API không có quyền 'admin'"},
}
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "Một hoặc nhiều tệp .txt .md .html .pdf .docx",
                    }
                },
            },
            "examples": {
                "mot_tep": {"summary": "Một tệp văn bản", "value": {"files": ["chi-thi-12-CT-TW.txt"]}},
                "nhieu_tep": {
                    "summary": "Nhiều tệp cùng lúc",
                    "value": {"files": ["ke-hoach-108-KH-TU.pdf", "bai-viet-doi-ngoai-nhan-dan.html"]},
                },
            },
        }
    },
}


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
def clean_name(filename: str | None) -> str:
    """The bare file name (browsers may send a full Windows path), NFC like the text itself."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    return unicodedata.normalize("NFC", name).strip()


async def read_uploads(request: Request, limit: int) -> list[tuple[str, bytes]]:
    """Parse the multipart body, counting bytes as they arrive; 413 as soon as `limit` is passed."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise QAError("Gửi tệp dạng multipart/form-data, trường 'files'.", code="unsupported_type", status_code=415)
    received = 0
    too_large = QAError(f"Tệp tải lên quá lớn (tối đa {limit // 2**20} MB).", code="too_large", status_code=413)

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_large
        return message

    form = await Request(request.scope, receive).form(max_files=MAX_FILES, max_fields=MAX_FILES)
    try:
        parts = form.getlist("files")
        if not parts:
            raise QAError("Thiếu trường 'files' (một hoặc nhiều tệp).", code="invalid_request", status_code=422)
        uploads = []
        for part in parts:
            if not isinstance(part, UploadFile):
                raise QAError(
                    "Trường 'files' phải là tệp, không phải văn bản.", code="invalid_request", status_code=422
                )
            if part.size is not None and part.size > limit:
                raise too_large
            uploads.append((clean_name(part.filename), await part.read()))
        return uploads
    finally:
        await form.close()


def _supported(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in SUPPORTED


@contextmanager
def _writer_errors() -> Iterator[None]:
    """Another process's lock, told without the index's path or the holder's pid (those go to the log)."""
    try:
        yield
    except IndexLockedError as exc:
        log.warning("index write refused: %s", exc.message)
        raise IndexLockedError(
            "Chỉ mục đang được một tiến trình khác cập nhật (ví dụ qa ingest); vui lòng thử lại sau."
        ) from exc


def ingest_uploads(store: IndexStore, uploads: list[tuple[str, bytes]]) -> IngestSummary:
    """Write every file under the writer lock; a failure mid-file is reconciled before the lock goes."""
    started = time.perf_counter()
    summary = IngestSummary()
    if not _WRITE_GUARD.acquire(timeout=_GUARD_WAIT):
        raise IndexLockedError("Chỉ mục đang được cập nhật bởi một yêu cầu khác; vui lòng thử lại sau.")
    try:
        with _writer_errors(), store.writer_lock:
            store.open_for_writing()
            try:
                for name, data in uploads:
                    if not name:
                        summary.outcomes.append(FileOutcome("", "skipped", reason="missing file name"))
                        continue
                    summary.outcomes.append(ingest_bytes(store, name, data, name))
            finally:
                store.open_for_writing()  # drops vectors of a document whose commit did not happen
                store.refresh(persist=True)
    finally:
        _WRITE_GUARD.release()
    summary.seconds = time.perf_counter() - started
    return summary


@router.post(
    "",
    response_model=UploadResult,
    summary="Tải lên và nạp văn bản",
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses={
        **_AUTH_ERRORS,
        413: {"description": "Tệp quá lớn"},
        415: {"description": "Không có tệp nào thuộc định dạng hỗ trợ"},
    },
)
async def upload_documents(
    request: Request, service: ServiceDep, settings: SettingsDep, _: AdminAuth
) -> dict[str, object]:
    """Nạp một hoặc nhiều tệp (trường `files`) theo đúng quy tắc của `qa ingest`: tệp không đổi thì bỏ qua,
    tệp đổi nội dung thì thay thế; tệp rỗng, nhị phân hoặc không giải mã được được liệt kê là `skipped`
    kèm lý do, các tệp tốt trong cùng lô vẫn được nạp."""
    uploads = await read_uploads(request, settings.max_upload_mb * 2**20)
    if not any(_supported(name) for name, _ in uploads):
        kinds = ", ".join(sorted({PurePosixPath(n).suffix or n or "?" for n, _ in uploads}))
        raise UnsupportedFileError(f"Định dạng không được hỗ trợ ({kinds}); chấp nhận: {', '.join(sorted(SUPPORTED))}.")
    summary = await run_in_threadpool(ingest_uploads, service.store, uploads)
    return summary.as_dict()


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
        facts=service.store.registry.facts(doc_id=doc_id),
    )


@router.delete(
    "/{doc_id}",
    response_model=Removed,
    responses={**_AUTH_ERRORS, 404: {"description": "Không có"}},
    summary="Xoá một văn bản khỏi chỉ mục",
)
def delete_document(doc_id: DocId, service: ServiceDep, _: AdminAuth) -> Removed:
    """Xoá văn bản ở mọi nơi (vector, chỉ mục từ vựng, sổ đăng ký); câu trả lời sau đó không còn trích dẫn nó."""
    _record(service.store, doc_id)
    if not _WRITE_GUARD.acquire(timeout=_GUARD_WAIT):
        raise IndexLockedError("Chỉ mục đang được cập nhật bởi một yêu cầu khác; vui lòng thử lại sau.")
    try:
        with _writer_errors():
            outcome = remove(service.store, doc_id)
    finally:
        _WRITE_GUARD.release()
    return Removed(doc_id=doc_id, status=outcome.status, chunks=outcome.chunks)
