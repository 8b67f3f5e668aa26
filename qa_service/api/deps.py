"""`Annotated` dependency aliases: routes stay thin and declare what they need."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from qa_service.api.security import Principal, authenticate
from qa_service.service import QAService
from qa_service.settings import Settings
from vectorstore.errors import QAError


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_service(request: Request) -> QAService:
    service: QAService | None = getattr(request.app.state, "service", None)
    if service is None or not service.ready.is_set():
        raise QAError("Dịch vụ đang khởi động, vui lòng thử lại sau giây lát.", code="unavailable", status_code=503)
    return service


def _principal(request: Request, scope: str) -> Principal:
    principal = authenticate(request, request.app.state.settings, scope)
    request.state.principal = principal
    return principal


def chat_principal(request: Request) -> Principal:
    return _principal(request, "chat")


def admin_principal(request: Request) -> Principal:
    return _principal(request, "admin")


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ServiceDep = Annotated[QAService, Depends(get_service)]
ChatAuth = Annotated[Principal, Depends(chat_principal)]
AdminAuth = Annotated[Principal, Depends(admin_principal)]
