"""Uploads: the multipart body read with a byte budget, then each file written by the writer thread.

The body is counted while it arrives (a missing or false Content-Length must not let a client fill
the disk). Each file is then ingested by name (`ingestion.uploads`: a taken name is a `conflict`
unless `replace`), within the per-file limits of the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.types import Message

from ingestion.limits import Limits
from ingestion.outcomes import IngestSummary
from ingestion.uploads import ingest_named, upload_name
from qa_service.settings import Settings
from vectorstore.errors import IndexLockedError, QAError
from vectorstore.store import IndexStore

log = logging.getLogger(__name__)
MAX_FILES = 100

UPLOAD_BODY: dict[str, Any] = {
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


def upload_limits(settings: Settings) -> Limits:
    return Limits(pages=settings.max_pages, chars=settings.max_chars, seconds=settings.ingest_seconds)


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
            uploads.append((upload_name(part.filename), await part.read()))
        return uploads
    finally:
        await form.close()


@contextmanager
def writer_errors() -> Iterator[None]:
    """Another process's lock, told without the index's path or the holder's pid (those go to the log)."""
    try:
        yield
    except IndexLockedError as exc:
        log.warning("index write refused: %s", exc.message)
        raise IndexLockedError(
            "Chỉ mục đang được một tiến trình khác cập nhật (ví dụ qa ingest); vui lòng thử lại sau."
        ) from exc


def ingest_uploads(
    store: IndexStore, uploads: list[tuple[str, bytes]], replace: bool, limits: Limits
) -> IngestSummary:
    """Runs on the writer thread: the files as one batch under the writer lock (the path `qa ingest`
    takes), one outcome each; a failure mid-file is reconciled before the lock goes."""
    with writer_errors():
        return ingest_named(store, uploads, replace=replace, limits=limits)
