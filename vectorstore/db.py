"""One storage interface, two engines: embedded SQLite (a file under QA_DATA_DIR, the default) or
PostgreSQL (`QA_DATABASE_URL`, shared by workers on any number of hosts; `vectorstore.postgres`).

The registry and the conversation store write their SQL once, in the dialect both engines share
(`?` placeholders, `INSERT … ON CONFLICT`, `rowid` for insertion order); the PostgreSQL side maps
`?` to `%s` and `rowid` to an identity column. Each store brings its own schema per engine.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vectorstore.sqlite import ThreadLocalSQLite

Row = tuple[Any, ...]


class IntegrityError(ValueError):
    """A constraint was violated (duplicate key); the transaction was rolled back. Same type for both engines."""


@dataclass(frozen=True)
class Schema:
    """A store's tables. `sqlite`: one idempotent script. `postgresql`: numbered migration steps, applied
    in order by one process at a time (`schema_version` table, advisory lock): see `vectorstore.postgres`."""

    name: str
    sqlite: str
    postgresql: tuple[str, ...]


class Tx(ABC):
    """Statements inside one transaction (all or nothing)."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Database(ABC):
    """What a store needs from an engine: reads, single autocommitted writes and transactions, from any thread."""

    engine: str  # "sqlite" | "postgresql"
    location: str  # a file path, or the URL without its password

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @abstractmethod
    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One autocommitted statement; returns the number of rows it changed."""

    @abstractmethod
    def tx(self) -> Any:  # a context manager yielding a Tx
        ...

    @abstractmethod
    def close(self) -> None: ...


class _SQLiteTx(Tx):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)


class SQLiteDatabase(Database):
    """WAL mode, one connection per thread (`ThreadLocalSQLite`): one machine, one shared folder."""

    engine = "sqlite"

    def __init__(self, path: Path, schema: Schema) -> None:
        self.path = path
        self.location = str(path)
        self._db = ThreadLocalSQLite(path, schema.sqlite)

    def conn(self) -> sqlite3.Connection:
        return self._db.conn()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.conn().execute(sql, params).fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            return self.conn().execute(sql, params).rowcount
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock between writers
        try:
            yield _SQLiteTx(conn)
        except sqlite3.IntegrityError as exc:
            conn.execute("ROLLBACK")
            raise IntegrityError(str(exc)) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
