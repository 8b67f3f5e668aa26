"""Prepared documents written in batches: one Chroma call per batch, which makes bulk ingestion many
times faster; per-file outcomes, never a lost batch (a failed batch is retried one file at a time)."""

from __future__ import annotations

import logging
from typing import Any

from ingestion.limits import UNLIMITED, Budget, Limits
from ingestion.load import load_bytes
from ingestion.outcomes import FileOutcome
from ingestion.prepare import content_hash, make_doc_id, prepare
from vectorstore.errors import QAError
from vectorstore.store import IndexStore, PreparedDocument

log = logging.getLogger(__name__)


class BatchWriter:
    """Queues prepared documents and writes them in batches (one Chroma call per batch, which
    makes bulk ingestion many times faster); the caller holds the writer lock."""

    def __init__(self, store: IndexStore, max_docs: int = 64, max_chunks: int = 1000, limits: Limits = UNLIMITED) -> None:
        self.store = store
        self.max_docs = max_docs
        self.max_chunks = max_chunks
        self.limits = limits  # per file, each with its own clock
        self.pending: list[tuple[str, PreparedDocument, Budget]] = []
        self._hashes: dict[str, tuple[str, str]] = {}  # content hash → (source, doc id) queued

    def add(self, name: str, data: bytes, path: str | None = None, doc_id: str | None = None) -> list[FileOutcome]:
        """Outcomes decided now (skipped, unchanged, removed) or by a flush this add triggered.
        `doc_id` overrides the id the path gives (an upload replacing a document by its name)."""
        path = path or name
        try:
            outcome = self._queue(name, data, path, doc_id or make_doc_id(path))
        except QAError as exc:
            outcome = FileOutcome(path, "skipped", reason=exc.message)
        except Exception as exc:  # a broken file must never stop the batch
            log.exception("unexpected error ingesting %s", path)
            outcome = FileOutcome(path, "skipped", reason=f"unexpected error: {type(exc).__name__}: {exc}")
        done = [outcome] if outcome else []
        if len(self.pending) >= self.max_docs or sum(len(d.chunks) for _, d, _ in self.pending) >= self.max_chunks:
            done += self.flush()
        return done

    def _queue(self, name: str, data: bytes, path: str, doc_id: str) -> FileOutcome | None:
        registry = self.store.registry
        digest = content_hash(data)
        found = registry.find_doc_id_by_hash(digest)
        twin = (found[1], found[0]) if found is not None else self._hashes.get(digest)
        existing = registry.fingerprint(doc_id)
        if twin is not None and twin[1] != doc_id:
            reason = f"same content as {twin[0]} (already indexed)"
            if existing is not None:
                # The file now duplicates another document: its old text must not stay answerable.
                self.store.delete_document(doc_id)
                return FileOutcome(path, "removed", doc_id, reason=reason)
            return FileOutcome(path, "skipped", twin[1], reason=reason)
        if existing is not None and existing[0] == digest:
            return FileOutcome(path, "unchanged", doc_id, existing[1])
        budget = self.limits.budget()
        loaded = load_bytes(name, data, path, budget)
        prepared = prepare(loaded, name, digest, doc_id)
        budget.time()
        self.pending.append((path, prepared, budget))
        self._hashes[digest] = (name, doc_id)
        return None

    def flush(self) -> list[FileOutcome]:
        batch, self.pending, self._hashes = self.pending, [], {}
        if not batch:
            return []
        budgets = [b for _, _, b in batch]

        def check() -> None:
            for budget in budgets:
                budget.time()

        try:
            results = self.store.upsert_documents([doc for _, doc, _ in batch], check)
            return [_outcome(path, r, doc) for (path, doc, _), r in zip(batch, results, strict=True)]
        except Exception as exc:
            if not isinstance(exc, QAError):
                log.exception("batch write failed; writing its %d documents one at a time", len(batch))
            self.store.open_for_writing()  # drop what the failed batch left in Chroma
        outcomes = []
        for path, doc, budget in batch:
            try:
                budget.time()  # out of time already: skipped before the index is marked mid-write again
                r = self.store.upsert_documents([doc], budget.time)[0]
                outcomes.append(_outcome(path, r, doc))
            except QAError as exc:  # a limit: the person can act on the reason as given
                self.store.open_for_writing()
                outcomes.append(FileOutcome(path, "skipped", reason=exc.message))
            except Exception as exc:
                self.store.open_for_writing()
                outcomes.append(FileOutcome(path, "skipped", reason=f"could not be written: {type(exc).__name__}: {exc}"))
        return outcomes


def _outcome(path: str, result: Any, doc: PreparedDocument) -> FileOutcome:
    return FileOutcome(path, result.status, result.doc_id, result.chunks, doc_kind=doc.record.metadata.get("doc_kind"),
                       tasks=len(doc.tasks))
