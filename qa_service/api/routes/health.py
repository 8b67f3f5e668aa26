"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Tiến trình đang chạy")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Chỉ mục và mô hình đã sẵn sàng")
def readyz(request: Request) -> JSONResponse:
    service = getattr(request.app.state, "service", None)
    if service is None or not service.ready.is_set():
        return JSONResponse({"status": "loading"}, status_code=503)
    return JSONResponse({"status": "ready", "chunks": service.store.chunk_count(),
                         "documents": len(service.store.documents())})
