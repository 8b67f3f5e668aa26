"""Re-entrancy shared by the writer locks (a file on one machine, a PostgreSQL advisory lock across hosts)."""

from __future__ import annotations

import threading


class ReentrantLock:
    """A lock held by one thread at a time and re-entrant in it, so `qa ingest` can take it before loading
    anything and the store's own `with writer_lock:` then nests inside. Subclasses take and give back the
    underlying exclusive resource (`_take` raises `IndexLockedError` after `timeout` seconds)."""

    timeout: float

    def __init__(self) -> None:
        self._holder: int | None = None  # the thread holding the lock
        self._depth = 0

    def _take(self) -> None:
        raise NotImplementedError

    def _give(self) -> None:
        raise NotImplementedError

    def acquire(self) -> None:
        if self._depth > 0 and self._holder == threading.get_ident():
            self._depth += 1
            return
        self._take()
        self._holder = threading.get_ident()
        self._depth = 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        self._depth = 0
        self._holder = None
        self._give()

    def __enter__(self) -> ReentrantLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
