"""One writer thread for uploads and deletes, off FastAPI's request thread pool.

Writes to the index are one at a time anyway (the writer lock). Waiting for it inside the request
pool (40 threads) let a long upload and a burst of deletes starve every other route, health checks
included. Here a write is queued for one dedicated thread and its request awaits it without holding
a thread; at most `max_waiting` writes are accepted (503 with Retry-After beyond), a write that
cannot start within `start_timeout` seconds is withdrawn (503), and a write whose client went away
before it started is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

from vectorstore.errors import QAError, WriterBusyError

log = logging.getLogger(__name__)
T = TypeVar("T")
POLL_SECONDS = 0.25  # how often a waiting request looks at its client and the clock
RETRY_AFTER = 5  # seconds a refused client is asked to wait: about one small upload


class WriteQueue:
    def __init__(self, max_waiting: int, start_timeout: float) -> None:
        self.max_waiting = max_waiting
        self.start_timeout = start_timeout
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-writer")
        self._lock = threading.Lock()
        self._pending = 0  # accepted and not finished (queued or running)

    @property
    def pending(self) -> int:
        return self._pending

    def _release(self, _: Future[Any]) -> None:
        with self._lock:
            self._pending -= 1

    def check_room(self) -> None:
        """Refuse at once when full (before an upload's body is even read)."""
        if self._pending >= self.max_waiting:
            raise WriterBusyError(
                f"Đang có {self._pending} yêu cầu ghi chờ xử lý (tải lên, xoá); "
                f"vui lòng thử lại sau {RETRY_AFTER} giây.", retry_after=RETRY_AFTER,
            )

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        with self._lock:
            self.check_room()
            self._pending += 1
        try:
            future = self._pool.submit(fn, *args)
        except RuntimeError:  # shut down
            self._release(Future())
            raise WriterBusyError("Dịch vụ đang dừng; vui lòng thử lại sau.", retry_after=RETRY_AFTER) from None
        future.add_done_callback(self._release)
        return future

    async def run(self, request: Request, fn: Callable[..., T], *args: Any) -> T:
        """Queue `fn(*args)` and await its result without holding a thread."""
        future = self.submit(fn, *args)
        waiting = asyncio.wrap_future(future)
        queued_at = time.monotonic()
        while True:
            done, _ = await asyncio.wait({waiting}, timeout=POLL_SECONDS)
            if done:
                return waiting.result()
            if future.running():
                continue  # started: it runs to the end (bounded by the ingest limits), its result is told
            if await request.is_disconnected() and future.cancel():
                log.info("write withdrawn: the client disconnected before it started")
                raise QAError("Yêu cầu đã bị huỷ.", code="client_closed", status_code=499)
            if time.monotonic() - queued_at > self.start_timeout and future.cancel():
                raise WriterBusyError(
                    f"Chỉ mục đang bận ghi quá {self.start_timeout:g} giây; vui lòng thử lại sau "
                    f"{RETRY_AFTER} giây.", retry_after=RETRY_AFTER,
                )

    def close(self) -> None:
        """Queued writes are dropped; the running one finishes (it is bounded)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
