"""Liveness and readiness.

Both are `async`: they run on the event loop and never need a request-pool thread, so a pool busy
with slow work cannot make a probe fail (and a liveness probe restart the service mid-ingest).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Tiến trình đang chạy")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Chỉ mục và mô hình đã sẵn sàng")
async def readyz(request: Request) -> JSONResponse:
    service = getattr(request.app.state, "service", None)
    if service is None or not service.ready.is_set():
        return JSONResponse({"status": "loading"}, status_code=503)
    # Two indexed COUNTs in the registry (WAL: never blocked by a writer), not a lexical reload.
    documents, chunks = service.store.registry.counts()
    # This worker's BM25 as loaded now (it reloads on the next question after the registry moved on).
    bm25_chunks, bm25_version = service.store.lexical_size()
    return JSONResponse({"status": "ready", "chunks": chunks, "documents": documents,
                         "bm25": {"chunks": bm25_chunks, "version": bm25_version}})
