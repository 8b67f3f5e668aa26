"""`qa serve`'s HTTP protocol: uvicorn's h11 with a deadline for each request's head.

uvicorn closes idle keep-alive connections but never one that keeps sending a request head slowly (or
opens and sends nothing): enough of them hold every connection slot. Each connection here must finish
the head of its next request within `QA_HEADER_TIMEOUT` seconds of connecting or of its last response;
the size of a head is bounded by h11 itself (`h11_max_incomplete_event_size`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from qa_service.settings import get_settings


class HeadTimeoutH11Protocol(H11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self.head_timeout = get_settings().header_timeout  # read in each worker process

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        super().connection_lost(exc)

    def _watch_head(self) -> None:
        """A request being answered needs no deadline; between requests, one runs until a head arrives."""
        if self.cycle is not None and not self.cycle.response_complete:
            self._stop_timer()
        elif self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_expired)

    def _stop_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()
