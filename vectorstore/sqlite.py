"""SQLite the way every store here uses it: one connection per thread, WAL, autocommit, waits."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class ThreadLocalSQLite:
    """sqlite3 connections must not cross threads (FastAPI's thread pool would); WAL lets many
    readers work while one writer commits; a busy database is waited for (5 s), not failed."""

    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self.conn().executescript(schema)

    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=5000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
