"""`qa migrate --to postgresql`: copy an embedded index (SQLite registry and conversations under
QA_DATA_DIR) into the PostgreSQL database of `QA_DATABASE_URL`, and its vectors to the Chroma server
of `QA_CHROMA_URL` when one is set; then verify that every table (and the vector count) matches.

The target must be empty (nothing is merged or overwritten). Both writer locks are held throughout:
the file lock of the source and the advisory lock of the database, so no writer changes either side.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qa_service.conversations import ConversationStore
from qa_service.settings import Settings
from vectorstore.backend import WriterLock, make_chroma_client
from vectorstore.db import Database
from vectorstore.errors import QAError
from vectorstore.postgres import AdvisoryWriterLock
from vectorstore.registry import Registry
from vectorstore.store import COLLECTION

BATCH = 1000
# Table → its columns in copy order (insertion order is kept: rows are read by rowid, written in order).
TABLES = {
    "registry": {
        "meta": "key, value",
        "documents": "doc_id, source, path, title, published, content_hash, text, metadata, ingested_at",
        "chunks": 'chunk_id, doc_id, ord, start, "end", text, header, tokens',
        "facts": "doc_id, chunk_id, data",
        "embedding_cache": "key, vector",
        "tasks": 'task_id, doc_id, chunk_id, start, "end", action, sentence, section, report_to, inherited, '
                 'deadline_text, deadline_date, recurrence, deadline_start, deadline_end',
        "task_actors": 'task_id, doc_id, ord, name, role, actor_key, start, "end", written',
    },
    "conversations": {
        "conversations": "conversation_id, owner, created",
        "messages": "conversation_id, message_id, role, content, created",
        "feedback": "conversation_id, message_id, rating, comment, created",
    },
}


class MigrationError(QAError):
    code = "migration_error"


def _rows(db: Database, table: str, columns: str) -> Iterator[list[tuple[Any, ...]]]:
    last = 0
    while True:
        rows = db.query(f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, BATCH))
        if not rows:
            return
        last = rows[-1][0]
        yield [tuple(r[1:]) for r in rows]


def _count(db: Database, table: str) -> int:
    row = db.one(f"SELECT COUNT(*) FROM {table}")
    return int(row[0]) if row else 0


def _copy(source: Database, target: Database, tables: dict[str, str]) -> dict[str, int]:
    for table in tables:
        if _count(target, table):
            raise MigrationError(f"The table {table} in {target.location} is not empty: migrate into an empty database.")
    with target.tx() as tx:  # all tables of one store, or none
        for table, columns in tables.items():
            marks = ",".join("?" * (columns.count(",") + 1))
            for rows in _rows(source, table, columns):
                tx.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    counts = {}
    for table in tables:
        counts[table] = _count(source, table)
        if _count(target, table) != counts[table]:
            raise MigrationError(f"{table}: {counts[table]} rows in the source, {_count(target, table)} copied.")
    return counts


def _copy_vectors(data_dir: Path, chroma_url: str) -> int:
    """Embedded Chroma under `data_dir` → the server, in batches, ids, vectors, texts and metadata as they are."""
    local = make_chroma_client(data_dir, None).get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"})
    remote = make_chroma_client(data_dir, chroma_url).get_or_create_collection(
        COLLECTION, metadata={"hnsw:space": "cosine"})
    if remote.count():
        raise MigrationError(f"The Chroma server at {chroma_url} already holds vectors in '{COLLECTION}'.")
    total = local.count()
    for offset in range(0, total, BATCH):
        got = local.get(include=["embeddings", "documents", "metadatas"], limit=BATCH, offset=offset)
        if got["ids"]:
            remote.upsert(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
                          metadatas=got["metadatas"])
    if remote.count() != total:
        raise MigrationError(f"vectors: {total} in the embedded store, {remote.count()} on the server.")
    return total


def migrate_to_postgresql(settings: Settings) -> dict[str, Any]:
    """Copy QA_DATA_DIR's embedded index into QA_DATABASE_URL (and QA_CHROMA_URL); returns verified counts."""
    if not settings.database_url:
        raise MigrationError("Set QA_DATABASE_URL to the PostgreSQL database to migrate into.")
    data_dir = settings.data_dir
    registry_path = data_dir / "registry.sqlite3"
    if not registry_path.is_file():
        raise MigrationError(f"No embedded index at {data_dir} (no registry.sqlite3) to migrate.")
    out: dict[str, Any] = {}
    with WriterLock(data_dir / "writer.lock", timeout=5.0), AdvisoryWriterLock(settings.database_url, timeout=5.0):
        stores: list[tuple[Any, str, str]] = [(Registry, "registry.sqlite3", "registry"),
                                              (ConversationStore, "conversations.sqlite3", "conversations")]
        for store, file_name, tables in stores:
            source, target = store(data_dir / file_name), store(settings.database_url)
            try:
                out.update(_copy(source.db, target.db, TABLES[tables]))
            finally:
                source.close()
                target.close()
        if settings.chroma_url:
            out["vectors"] = _copy_vectors(data_dir, settings.chroma_url)
    return out
