"""The document registry: the source of truth for which documents and chunks the index holds.

Chroma and the lexical index are derived from it: a document counts as ingested only once its row
is committed here, after its vectors are in Chroma (see `store.IndexStore.upsert_document`).
It lives in embedded SQLite under QA_DATA_DIR, or in PostgreSQL (`QA_DATABASE_URL`) shared by
every worker on every host: the same SQL on either engine (`vectorstore.db`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.database import open_database
from vectorstore.db import Database, Tx
from vectorstore.registry_schema import REGISTRY_SCHEMA
from vectorstore.sentence_facts import SentenceFact
from vectorstore.task_rows import TaskFact, delete_tasks, insert_tasks, move_task_facts, select_tasks


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
    """One writer, many readers, crash-safe transactions: `location` is a SQLite file (WAL) or a
    PostgreSQL URL."""

    def __init__(self, location: Path | str) -> None:
        self.path = location
        self.db: Database = open_database(location, REGISTRY_SCHEMA)
        move_task_facts(self.db)  # once per registry: task facts of earlier releases → their columns

    def close(self) -> None:
        self.db.close()

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.one("SELECT value FROM meta WHERE key=?", (key,))
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    (key, value))

    def version(self) -> int:
        """Bumped by every committed change; readers reload derived indexes when it moves."""
        return int(self.get_meta("version") or 0)

    # --- documents --------------------------------------------------------------------------
    def get_document(self, doc_id: str) -> DocumentRecord | None:
        row = self.db.one(
            "SELECT d.*, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) "
            "FROM documents d WHERE doc_id=?",
            (doc_id,),
        )
        return None if row is None else _doc(row)

    def fingerprint(self, doc_id: str) -> tuple[str, int] | None:
        """(content hash, chunk count) without loading the document text: the re-ingest check."""
        row = self.db.one(
            "SELECT content_hash, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) "
            "FROM documents d WHERE doc_id=?",
            (doc_id,),
        )
        return None if row is None else (str(row[0]), int(row[1]))

    def find_doc_id_by_hash(self, content_hash: str) -> tuple[str, str] | None:
        """(doc id, source) of an indexed document with this content, without loading its text."""
        row = self.db.one("SELECT doc_id, source FROM documents WHERE content_hash=? LIMIT 1", (content_hash,))
        return None if row is None else (str(row[0]), str(row[1]))

    def find_by_path(self, path: str) -> DocumentRecord | None:
        row = self.db.one("SELECT d.*, 0 FROM documents d WHERE path=? OR source=? LIMIT 1", (path, path))
        return None if row is None else _doc(row)

    def find_by_source(self, source: str) -> list[tuple[str, str]]:
        """(doc id, content hash) of every document ingested under this file name, oldest first."""
        rows = self.db.query(
            "SELECT doc_id, content_hash FROM documents WHERE source=? ORDER BY ingested_at, doc_id", (source,)
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def counts(self) -> tuple[int, int]:
        """(documents, chunks): cheap enough for a readiness probe."""
        row = self.db.one("SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM chunks)")
        assert row is not None
        return int(row[0]), int(row[1])

    def list_documents(self, offset: int = 0, limit: int = 100) -> tuple[list[DocumentRecord], int]:
        total_row = self.db.one("SELECT COUNT(*) FROM documents")
        # COALESCE: undated documents last on both engines (SQLite sorts NULL lowest, PostgreSQL highest).
        rows = self.db.query(
            "SELECT d.*, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) FROM documents d "
            "ORDER BY COALESCE(published, '') DESC, title LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_doc(r) for r in rows], int(total_row[0]) if total_row else 0

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [r[0] for r in self.db.query("SELECT chunk_id FROM chunks ORDER BY chunk_id")]
        return [r[0] for r in self.db.query("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ord", (doc_id,))]

    def chunks(self, chunk_ids: Iterable[str] | None = None) -> list[ChunkRecord]:
        if chunk_ids is None:
            rows = self.db.query(f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY doc_id, ord")
        else:
            ids = list(chunk_ids)
            rows = []
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                marks = ",".join("?" * len(part))
                rows += self.db.query(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})", part)
        return [_chunk(r) for r in rows]

    def doc_chunks(self, doc_id: str) -> list[ChunkRecord]:
        rows = self.db.query(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE doc_id=? ORDER BY ord", (doc_id,))
        return [_chunk(r) for r in rows]

    def iter_tokens(self) -> Iterator[tuple[str, list[str]]]:
        for chunk_id, _, tokens in self.iter_chunk_tokens():
            yield chunk_id, tokens

    def iter_chunk_tokens(self, doc_ids: Iterable[str] | None = None) -> Iterator[tuple[str, str, list[str]]]:
        """(chunk id, doc id, tokens) in insertion order: of every chunk, or of these documents' chunks."""
        if doc_ids is None:
            rows = self.db.query("SELECT chunk_id, doc_id, tokens FROM chunks ORDER BY rowid")
        else:
            ids, rows = sorted(set(doc_ids)), []
            for i in range(0, len(ids), 500):
                marks = ",".join("?" * len(ids[i : i + 500]))
                rows += self.db.query(f"SELECT chunk_id, doc_id, tokens, rowid FROM chunks WHERE doc_id IN ({marks})",
                                      ids[i : i + 500])
            rows.sort(key=lambda r: r[3])
        for row in rows:
            yield row[0], row[1], row[2].split(" ") if row[2] else []

    def changed_since(self, version: int, upto: int) -> set[str] | None:
        """Documents changed by versions (version, upto], or None when the log does not cover all of them
        (written before the log existed, or pruned): the caller then rebuilds from scratch."""
        if version < 0 or upto < version:
            return None
        rows = self.db.query("SELECT value FROM meta WHERE key > ? AND key <= ?",
                             (_change_key(version), _change_key(upto)))
        return {str(r[0]) for r in rows} if len(rows) == upto - version else None

    def facts(self, doc_id: str | None = None, chunk_ids: Iterable[str] | None = None) -> list[SentenceFact]:
        """The first build's sentence facts of some chunks, of a document, or all, in insertion order."""
        if chunk_ids is not None:
            ids = list(chunk_ids)
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            rows = self.db.query(f"SELECT data FROM facts WHERE chunk_id IN ({marks}) ORDER BY chunk_id, rowid", ids)
        elif doc_id is not None:
            rows = self.db.query("SELECT data FROM facts WHERE doc_id=? ORDER BY rowid", (doc_id,))
        else:
            rows = self.db.query("SELECT data FROM facts ORDER BY rowid")
        return [SentenceFact.from_json(json.loads(r[0])) for r in rows]

    def tasks(self, doc_id: str | None = None, chunk_ids: Iterable[str] | None = None) -> list[TaskFact]:
        """Task records (typed, from their columns) of a document, of some chunks, or all."""
        return select_tasks(self.db, doc_id=doc_id, chunk_ids=chunk_ids)

    def doc_heads(self) -> dict[str, DocumentRecord]:
        """Every document without its text (empty): what a list of tasks shows of their documents."""
        rows = self.db.query("SELECT doc_id, source, path, title, published, content_hash, '', metadata, ingested_at, 0 "
                             "FROM documents")
        return {r[0]: _doc(r) for r in rows}

    def commit_document(
        self, doc: DocumentRecord, chunks: list[ChunkRecord], facts: Iterable[SentenceFact] = (),
        tasks: Iterable[TaskFact] = (),
    ) -> None:
        """Replace a document, its chunks, facts and tasks in one transaction, and bump the version."""
        with self.db.tx() as tx:
            _delete_doc(tx, doc.doc_id)
            tx.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.source, doc.path, doc.title, doc.published, doc.content_hash,
                 doc.text, json.dumps(doc.metadata, ensure_ascii=False), doc.ingested_at),
            )
            tx.executemany(
                f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, c.ord, c.start, c.end, c.text, c.header, " ".join(c.tokens))
                 for c in chunks],
            )
            tx.executemany(
                "INSERT INTO facts (doc_id, chunk_id, data) VALUES (?,?,?)",
                [(doc.doc_id, f.chunk_id, json.dumps(f.as_json(), ensure_ascii=False)) for f in facts],
            )
            insert_tasks(tx, tasks)
            _bump(tx, doc.doc_id)

    def delete_document(self, doc_id: str) -> list[str]:
        with self.db.tx() as tx:
            ids = [r[0] for r in tx.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]
            _delete_doc(tx, doc_id)
            _bump(tx, doc_id)
        return ids

    # --- embedding cache (by content hash, across documents) --------------------------------
    def cached_vectors(self, keys: list[str]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            marks = ",".join("?" * len(part))
            for key, blob in self.db.query(f"SELECT key, vector FROM embedding_cache WHERE key IN ({marks})", part):
                out[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return out

    def cache_vectors(self, items: dict[str, list[float]]) -> None:
        with self.db.tx() as tx:
            tx.executemany(
                "INSERT INTO embedding_cache VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET vector=excluded.vector",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )


# Named, not `*`: the PostgreSQL table has its insertion-order column after these; "end" is reserved there.
_CHUNK_COLUMNS = 'chunk_id, doc_id, ord, start, "end", text, header, tokens'


CHANGES_KEPT = 20_000  # a reader further behind than this many versions rebuilds its lexical index


def _change_key(version: int) -> str:
    # In `meta` (no schema change on either engine); zero-padded so key order is version order.
    return f"change:{version:012d}"


def _bump(tx: Tx, doc_id: str) -> None:
    """Next version, and which document it changed, in the same transaction: the log never misses one."""
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('version', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
    )
    version = int(tx.execute("SELECT value FROM meta WHERE key='version'")[0][0])
    tx.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
               (_change_key(version), doc_id))
    if version % 1000 == 0 and version > CHANGES_KEPT:  # keys stay non-negative: equal length, same order anywhere
        tx.execute("DELETE FROM meta WHERE key >= ? AND key <= ?", (_change_key(0), _change_key(version - CHANGES_KEPT)))


def _delete_doc(tx: Tx, doc_id: str) -> None:
    tx.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
    tx.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
    tx.execute("DELETE FROM facts WHERE doc_id=?", (doc_id,))
    delete_tasks(tx, doc_id)


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
