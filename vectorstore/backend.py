"""What one index needs from the machine: the writer's lock (a file lock, or a PostgreSQL advisory lock
with `QA_DATABASE_URL`), and the Chroma client (embedded or server).

Split from `vectorstore.store`, which holds the write protocol and the search side.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vectorstore.errors import IndexLockedError
from vectorstore.locks import ReentrantLock

if TYPE_CHECKING:  # chromadb takes ~1 s to import: `qa ingest` takes the lock before paying for it
    import chromadb


class IndexLock(Protocol):
    """One writing process per index, re-entrant in the holding thread: `WriterLock` (a file, one
    machine) or `vectorstore.postgres.AdvisoryWriterLock` (a database shared by several hosts)."""

    timeout: float

    def acquire(self) -> None: ...

    def release(self) -> None: ...

    def __enter__(self) -> IndexLock: ...

    def __exit__(self, *exc: object) -> None: ...


def make_writer_lock(data_dir: Path, database_url: str | None, timeout: float = 5.0) -> IndexLock:
    if database_url:
        from vectorstore.postgres import AdvisoryWriterLock

        return AdvisoryWriterLock(database_url, timeout=timeout)
    data_dir.mkdir(parents=True, exist_ok=True)
    return WriterLock(data_dir / "writer.lock", timeout=timeout)


class WriterLock(ReentrantLock):
    """An advisory file lock: one writing process per index, refused within `timeout` seconds (a second
    flock from this process would wait, hence the re-entrancy of `ReentrantLock`)."""

    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        super().__init__()
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None

    def _take(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise IndexLockedError(
                        f"Another process (pid {holder}) is writing to the index at {self.path.parent}; "
                        "wait for it to finish (only one writer at a time)."
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def _give(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def make_chroma_client(data_dir: Path, chroma_url: str | None) -> chromadb.ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=settings
        )
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)
