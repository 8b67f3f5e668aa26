"""PostgreSQL behind `vectorstore.db.Database`, and the writer lock as an advisory lock.

psycopg 3 (binary) with a bounded `psycopg_pool.ConnectionPool`: FastAPI's thread pool may run
dozens of requests at once, and PostgreSQL's connection budget is shared by every worker on every
host. Schemas are versioned: each store's numbered steps are applied at start under a transaction-
scoped advisory lock, so when several workers start together exactly one migrates and the others
wait, then see the new version. The writer lock is a session-scoped advisory lock on a dedicated
connection: it is released when the holder exits, crashes or loses its connection.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import psycopg.errors
from psycopg_pool import ConnectionPool, PoolTimeout

from vectorstore.db import Database, IntegrityError, Row, Schema, Tx
from vectorstore.errors import DatabaseUnavailableError, IndexConfigError, IndexLockedError
from vectorstore.locks import ReentrantLock

MIGRATION_LOCK = 0x51414D47  # "QAMG": one migrating process at a time (transaction scope)
WRITER_LOCK = 0x51415752  # "QAWR": one writing process per database (session scope)
CONNECT_WAIT = 10.0  # seconds a store waits for its first connection at start
POOL_SIZE = 16  # per process and store; PostgreSQL's max_connections bounds the sum over workers


def redact(url: str) -> str:
    """The URL as it may be logged or shown: the password replaced."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


@functools.lru_cache(maxsize=512)
def _pg(sql: str) -> str:
    """Shared dialect → psycopg: `?` → `%s` (a literal `%` doubled), `rowid` → the `seq` identity column."""
    return re.sub(r"\browid\b", "seq", sql.replace("%", "%%")).replace("?", "%s")


def _p(params: Sequence[Any]) -> list[Any]:
    """PostgreSQL text cannot hold NUL (SQLite can): a NUL in a value (a fuzzer's message, a pasted
    comment) becomes U+FFFD on writes and lookups alike, instead of failing the request."""
    return [v.replace("\x00", "\ufffd") if isinstance(v, str) and "\x00" in v else v for v in params]


class _PgTx(Tx):
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cur = self.conn.execute(_pg(sql), _p(params))
        return cur.fetchall() if cur.description else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(_pg(sql), [_p(r) for r in rows])


class PostgresDatabase(Database):
    engine = "postgresql"

    def __init__(self, url: str, schema: Schema) -> None:
        self.url = url
        self.location = redact(url)
        self._pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=False,
                                    kwargs={"autocommit": True, "application_name": "qa"})
        try:
            self._pool.open(wait=True, timeout=CONNECT_WAIT)
        except PoolTimeout as exc:
            self._pool.close()
            raise DatabaseUnavailableError(f"Cannot connect to PostgreSQL at {self.location} (QA_DATABASE_URL).") from exc
        migrate(self, schema)

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        with self._pool.connection() as conn:
            yield conn

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.connection() as conn:
            cur = conn.execute(_pg(sql), _p(params))
            return cur.fetchall() if cur.description else []

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self.connection() as conn:
            try:
                return conn.execute(_pg(sql), _p(params)).rowcount
            except psycopg.errors.IntegrityError as exc:
                raise IntegrityError(str(exc)) from exc

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        with self.connection() as conn:
            try:
                with conn.transaction():
                    yield _PgTx(conn)
            except psycopg.errors.IntegrityError as exc:
                raise IntegrityError(str(exc)) from exc

    def close(self) -> None:
        self._pool.close()


def migrate(db: PostgresDatabase, schema: Schema) -> int:
    """Bring `schema.name` to its newest version; returns the version. One process migrates at a time
    (the advisory lock), every step of one run commits together (PostgreSQL's DDL is transactional)."""
    with db.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        row = conn.execute("SELECT version FROM schema_version WHERE component=%s", (schema.name,)).fetchone()
        current = int(row[0]) if row else 0
        if current > len(schema.postgresql):
            raise IndexConfigError(
                f"The {schema.name} schema in {db.location} is at version {current}, newer than this release "
                f"knows ({len(schema.postgresql)}): upgrade the service before starting it on this database.",
                code="schema_too_new")
        for step in schema.postgresql[current:]:
            conn.execute(step)  # type: ignore[arg-type]  # our own literal DDL
        if current < len(schema.postgresql):
            conn.execute(
                "INSERT INTO schema_version VALUES (%s, %s) ON CONFLICT (component) DO UPDATE SET version=excluded.version",
                (schema.name, len(schema.postgresql)))
        return len(schema.postgresql)


class AdvisoryWriterLock(ReentrantLock):
    """The writer lock of `vectorstore.backend.WriterLock` across hosts: `pg_try_advisory_lock` polled
    until `timeout`, then `IndexLockedError` naming the holder. Re-entrant in the holding thread."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        super().__init__()
        self.url = url
        self.timeout = timeout
        self._conn: psycopg.Connection[Any] | None = None

    def _take(self) -> None:
        name = f"qa writer pid {os.getpid()} on {socket.gethostname()}"[:63]
        try:
            conn = psycopg.connect(self.url, autocommit=True, application_name=name, connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailableError(f"Cannot connect to PostgreSQL at {redact(self.url)} (QA_DATABASE_URL).") from exc
        deadline = time.monotonic() + self.timeout
        while True:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone()
            if row and row[0]:
                break
            if time.monotonic() >= deadline:
                holder = _holder(conn)
                conn.close()
                raise IndexLockedError(
                    f"Another process ({holder}) is writing to the index in {redact(self.url)}; "
                    "wait for it to finish (only one writer at a time).")
            time.sleep(0.1)
        self._conn = conn

    def _give(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))
            finally:
                conn.close()  # ending the session releases the lock even if the unlock failed


def _holder(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute(
        "SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = %s LIMIT 1", (WRITER_LOCK,)
    ).fetchone()
    if row is None:
        return "?"
    return f"{row[0] or 'unnamed'}{f' from {row[1]}' if row[1] else ''}"

