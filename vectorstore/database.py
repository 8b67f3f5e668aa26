"""Which engine a store opens: a PostgreSQL URL (`QA_DATABASE_URL`) or a SQLite file under QA_DATA_DIR.

Apart from `vectorstore.db` so that the engines do not import each other (psycopg loads only when used).
"""

from __future__ import annotations

from pathlib import Path

from vectorstore.db import Database, Schema, SQLiteDatabase


def is_database_url(location: str | Path) -> bool:
    return isinstance(location, str) and location.split("://", 1)[0] in ("postgresql", "postgres")


def open_database(location: str | Path, schema: Schema) -> Database:
    """A PostgreSQL URL opens the shared database (schema migrated to the newest version); a path, a SQLite file."""
    if is_database_url(location):
        from vectorstore.postgres import PostgresDatabase

        return PostgresDatabase(str(location), schema)
    return SQLiteDatabase(Path(location), schema)
