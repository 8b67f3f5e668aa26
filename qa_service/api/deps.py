"""`Annotated` dependency aliases: routes stay thin and declare what they need."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from qa_service.api.ownership import TOKEN_HEADER, TOKEN_PATTERN, Caller, caller_for
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


def metrics_access(request: Request) -> None:
    """`/metrics` needs the admin key when keys are configured, unless `QA_METRICS_PUBLIC`."""
    settings: Settings = request.app.state.settings
    if settings.api_key_scopes() and not settings.metrics_public:
        _principal(request, "admin")


ChatAuth = Annotated[Principal, Depends(chat_principal)]


def conversation_caller(
    principal: ChatAuth,
    token: Annotated[
        str | None,
        Header(
            alias=TOKEN_HEADER,
            pattern=TOKEN_PATTERN,
            description="Không dùng khoá API: mã `conversation_token` máy chủ đã trả về cho hội thoại",
        ),
    ] = None,
) -> Caller:
    return caller_for(principal, token)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ServiceDep = Annotated[QAService, Depends(get_service)]
AdminAuth = Annotated[Principal, Depends(admin_principal)]
CallerDep = Annotated[Caller, Depends(conversation_caller)]
