"""The document registry: the source of truth for which documents and chunks the index holds.

Chroma and the lexical index are derived from it: a document counts as ingested only once its row
is committed here, after its vectors are in Chroma (see `store.IndexStore.upsert_document`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.sqlite import ThreadLocalSQLite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, path TEXT NOT NULL, title TEXT NOT NULL,
    published TEXT, content_hash TEXT NOT NULL, text TEXT NOT NULL, metadata TEXT NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ord INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL, header TEXT NOT NULL,
    tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ord);
CREATE TABLE IF NOT EXISTS facts (
    doc_id TEXT NOT NULL, chunk_id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_chunk ON facts(chunk_id);
CREATE TABLE IF NOT EXISTS embedding_cache (
    key TEXT PRIMARY KEY, vector BLOB NOT NULL
);
"""


@dataclass
class ChunkRecord:
    chunk_id: str
    doc_id: str
    ord: int
    start: int
    end: int
    text: str
    header: str
    tokens: list[str] = field(default_factory=list)


@dataclass
class DocumentRecord:
    doc_id: str
    source: str
    path: str
    title: str
    published: str | None
    content_hash: str
    text: str
    metadata: dict[str, Any]
    ingested_at: float
    chunk_count: int = 0


class Registry:
    """SQLite in WAL mode: one writer, many readers, crash-safe transactions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = ThreadLocalSQLite(path, _SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        return self._db.conn()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def version(self) -> int:
        """Bumped by every committed change; readers reload derived indexes when it moves."""
        return int(self.get_meta("version") or 0)

    # --- documents --------------------------------------------------------------------------
    def get_document(self, doc_id: str) -> DocumentRecord | None:
        row = self._conn().execute(
            "SELECT d.*, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) "
            "FROM documents d WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        return None if row is None else _doc(row)

    def fingerprint(self, doc_id: str) -> tuple[str, int] | None:
        """(content hash, chunk count) without loading the document text: the re-ingest check."""
        row = self._conn().execute(
            "SELECT content_hash, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) "
            "FROM documents d WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        return None if row is None else (str(row[0]), int(row[1]))

    def find_doc_id_by_hash(self, content_hash: str) -> tuple[str, str] | None:
        """(doc id, source) of an indexed document with this content, without loading its text."""
        row = self._conn().execute(
            "SELECT doc_id, source FROM documents WHERE content_hash=? LIMIT 1", (content_hash,)
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def find_by_path(self, path: str) -> DocumentRecord | None:
        row = self._conn().execute(
            "SELECT d.*, 0 FROM documents d WHERE path=? OR source=? LIMIT 1", (path, path)
        ).fetchone()
        return None if row is None else _doc(row)

    def find_by_source(self, source: str) -> list[tuple[str, str]]:
        """(doc id, content hash) of every document ingested under this file name, oldest first."""
        rows = self._conn().execute(
            "SELECT doc_id, content_hash FROM documents WHERE source=? ORDER BY ingested_at, doc_id", (source,)
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def counts(self) -> tuple[int, int]:
        """(documents, chunks): cheap enough for a readiness probe."""
        row = self._conn().execute(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM chunks)"
        ).fetchone()
        return int(row[0]), int(row[1])

    def list_documents(self, offset: int = 0, limit: int = 100) -> tuple[list[DocumentRecord], int]:
        conn = self._conn()
        total = int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        rows = conn.execute(
            "SELECT d.*, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) FROM documents d "
            "ORDER BY published DESC, title LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [_doc(r) for r in rows], total

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        conn = self._conn()
        if doc_id is None:
            return [r[0] for r in conn.execute("SELECT chunk_id FROM chunks")]
        rows = conn.execute("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ord", (doc_id,))
        return [r[0] for r in rows]

    def chunks(self, chunk_ids: Iterable[str] | None = None) -> list[ChunkRecord]:
        conn = self._conn()
        if chunk_ids is None:
            rows = conn.execute("SELECT * FROM chunks ORDER BY doc_id, ord").fetchall()
        else:
            ids = list(chunk_ids)
            rows = []
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                marks = ",".join("?" * len(part))
                rows += conn.execute(f"SELECT * FROM chunks WHERE chunk_id IN ({marks})", part).fetchall()
        return [_chunk(r) for r in rows]

    def doc_chunks(self, doc_id: str) -> list[ChunkRecord]:
        rows = self._conn().execute("SELECT * FROM chunks WHERE doc_id=? ORDER BY ord", (doc_id,))
        return [_chunk(r) for r in rows]

    def iter_tokens(self) -> Iterator[tuple[str, list[str]]]:
        for chunk_id, tokens in self._conn().execute("SELECT chunk_id, tokens FROM chunks ORDER BY rowid"):
            yield chunk_id, tokens.split(" ") if tokens else []

    def facts(self, doc_id: str | None = None, chunk_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        conn = self._conn()
        if chunk_ids is not None:
            ids = list(chunk_ids)
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            rows = conn.execute(f"SELECT data FROM facts WHERE chunk_id IN ({marks})", ids)
        elif doc_id is not None:
            rows = conn.execute("SELECT data FROM facts WHERE doc_id=?", (doc_id,))
        else:
            rows = conn.execute("SELECT data FROM facts")
        return [json.loads(r[0]) for r in rows]

    def iter_facts(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every fact with its document id, in document then insertion order."""
        for doc_id, data in self._conn().execute("SELECT doc_id, data FROM facts ORDER BY doc_id, rowid"):
            yield doc_id, json.loads(data)

    def commit_document(
        self, doc: DocumentRecord, chunks: list[ChunkRecord], facts: list[dict[str, Any]]
    ) -> None:
        """Replace a document, its chunks and facts in one transaction, and bump the version."""
        with self._tx() as conn:
            _delete_doc(conn, doc.doc_id)
            conn.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.source, doc.path, doc.title, doc.published, doc.content_hash,
                 doc.text, json.dumps(doc.metadata, ensure_ascii=False), doc.ingested_at),
            )
            conn.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, c.ord, c.start, c.end, c.text, c.header, " ".join(c.tokens))
                 for c in chunks],
            )
            conn.executemany(
                "INSERT INTO facts VALUES (?,?,?)",
                [(doc.doc_id, f["chunk_id"], json.dumps(f, ensure_ascii=False)) for f in facts],
            )
            _bump(conn)

    def delete_document(self, doc_id: str) -> list[str]:
        with self._tx() as conn:
            ids = [r[0] for r in conn.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]
            _delete_doc(conn, doc_id)
            _bump(conn)
        return ids

    # --- embedding cache (by content hash, across documents) --------------------------------
    def cached_vectors(self, keys: list[str]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        conn = self._conn()
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            marks = ",".join("?" * len(part))
            for key, blob in conn.execute(f"SELECT key, vector FROM embedding_cache WHERE key IN ({marks})", part):
                out[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return out

    def cache_vectors(self, items: dict[str, list[float]]) -> None:
        with self._tx() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embedding_cache VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )


def _bump(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('version', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def _delete_doc(conn: sqlite3.Connection, doc_id: str) -> None:
    conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
    conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
    conn.execute("DELETE FROM facts WHERE doc_id=?", (doc_id,))


def _doc(row: tuple[Any, ...]) -> DocumentRecord:
    return DocumentRecord(
        doc_id=row[0], source=row[1], path=row[2], title=row[3], published=row[4],
        content_hash=row[5], text=row[6], metadata=json.loads(row[7]), ingested_at=row[8],
        chunk_count=int(row[9]),
    )


def _chunk(row: tuple[Any, ...]) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=row[0], doc_id=row[1], ord=row[2], start=row[3], end=row[4], text=row[5],
        header=row[6], tokens=row[7].split(" ") if row[7] else [],
    )
