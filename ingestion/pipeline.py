"""Files → cleaned, split, annotated documents → the index; per-file outcomes, never a lost batch."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ingestion.actors import canonical_key
from ingestion.assignments import extract_tasks
from ingestion.clean import clean_text
from ingestion.facts import extract_facts
from ingestion.layout import OfficialLayout, parse_layout
from ingestion.limits import UNLIMITED, Budget, Limits
from ingestion.load import MAX_FILE_BYTES, SUPPORTED, LoadedFile, load_bytes
from ingestion.metadata import extract_metadata
from ingestion.outcomes import FileOutcome, IngestSummary
from ingestion.sections import SectionIndex, parse_sections
from ingestion.split import sentence_spans, split_text
from ingestion.table_tasks import table_breaks, table_tasks
from ingestion.task_tables import find_task_tables
from ingestion.unwrap import unwrap
from vectorstore.analyzer import analyze, fold
from vectorstore.errors import InvalidDocumentError, QAError
from vectorstore.registry import ChunkRecord, DocumentRecord
from vectorstore.store import IndexStore, PreparedDocument

__all__ = ["FileOutcome", "IngestSummary", "content_hash", "ingest_bytes", "ingest_paths", "prepare", "remove"]

log = logging.getLogger(__name__)
# Bump when cleaning/splitting changes, so re-ingesting rebuilds documents made the old way.
PIPELINE_VERSION = "21"  # 5: official layout, unwrapping, sections, tasks; 16: spans of years as deadlines; 17: heads of bodies; 18: cross-references are no headings; 19: points under a lead-in that asks a body; 20: "Đối với X" leads, Liên hiệp bodies; 21: "các Bộ: A; B" lists (wraps inside them too)


def make_doc_id(path: str) -> str:
    """Readable and stable: the file stem, plus a hash of the full path for uniqueness."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(Path(path).stem))[:48].strip("-") or "doc"
    return f"{stem}-{hashlib.sha1(path.encode()).hexdigest()[:10]}"


def prepare(loaded: LoadedFile, source: str, content_hash: str, doc_id: str | None = None) -> PreparedDocument:
    """Clean, read the layout, unwrap, describe, split and annotate one loaded file."""
    text = clean_text(loaded.text)
    if len(text.strip()) < 2:
        raise InvalidDocumentError("no article text left after cleaning")
    layout = parse_layout(text)  # on the printed lines: the letterhead and headings are lines
    tables = find_task_tables(text)  # one cell a printed line: read before unwrapping joins them
    text = unwrap(text, table_breaks(text, tables))  # same length: every offset below is an offset in the stored text
    meta = extract_metadata(text, source, loaded.meta, layout)
    doc_id = doc_id or make_doc_id(loaded.path)
    body = (layout.body_start, len(text))
    skip = [b for b in (layout.recipients_block,) if b]
    sections = parse_sections(text, *body, attachments=[(a.start, a.title) for a in layout.attachments], skip=skip)
    index = SectionIndex(sections)
    spans = sentence_spans(text)  # split once: chunks, first-build facts and tasks all read them
    pieces = split_text(text, boundaries=index.top_level_starts(), spans=spans)
    # What every chunk is read with: the document's title, number, issuer and date, so "Kế hoạch
    # 0129/KH-UBND" or "của UBND tỉnh Đắk Lắk" finds every part of that document.
    header = " · ".join(x for x in (meta.title, meta.number and f"số {meta.number}", meta.issuer, meta.published) if x)
    chunks: list[ChunkRecord] = []
    seen: dict[str, int] = {}
    for piece in pieces:
        digest = hashlib.sha1(piece.text.encode()).hexdigest()[:16]
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        extra = ""
        if meta.author and meta.author in piece.text:
            extra += f" · tác giả {meta.author}"
        if meta.source_domain and meta.source_domain in piece.text:
            extra += f" · nguồn {meta.source_domain}"
        if path := index.path(piece.start):
            extra += f" · {path}"  # "a bullet under '2. Sở Tài chính:'" is read with its heading
        chunk_header = header + extra
        chunks.append(
            ChunkRecord(
                chunk_id=f"{doc_id}:{digest}" + (f"-{n}" if n else ""), doc_id=doc_id, ord=piece.ord,
                start=piece.start, end=piece.end, text=piece.text, header=chunk_header,
                tokens=analyze(f"{chunk_header}\n{piece.text}"),
            )
        )
    reference = date.fromisoformat(meta.published) if meta.published else None
    found = [f.as_dict() for f in extract_facts(text, spans)]
    in_tables = [(t.start, t.end) for t in tables]  # their rows are read as rows, not as prose
    tasks = extract_tasks(text, spans, index, reference, body if layout.is_official else None, skip + in_tables,
                          addressees=addressee_actors(text, layout.recipients))
    tasks += table_tasks(text, tables, index, reference)
    found += [t.as_fact() for t in sorted(tasks, key=lambda t: t.start)]
    facts = []
    for fact in found:
        owner = next((c for c in chunks if c.start <= fact["start"] < c.end), None)
        if owner is not None:
            fact["chunk_id"] = owner.chunk_id
            facts.append(fact)
    metadata = {
        **meta.as_dict(), "kind": loaded.kind, "notes": loaded.notes,
        "sections": [s.as_dict() for s in sections if s.is_heading],
        "official": layout.is_official,  # laid out as Nghị định 30/2020/NĐ-CP prescribes
        "body_start": layout.body_start if layout.is_official else 0,
        "recipients_block": layout.recipients_block, "motto_block": layout.motto_block,
        "spans": layout_spans(layout),  # where the answer to "who signed / which number / when" is written
    }
    record = DocumentRecord(
        doc_id=doc_id, source=source, path=loaded.path, title=meta.title, published=meta.published,
        content_hash=content_hash, text=text, metadata=metadata, ingested_at=time.time(),
    )
    return PreparedDocument(record=record, chunks=chunks, facts=facts)


def addressee_actors(text: str, recipients: list[str]) -> list[dict[str, Any]]:
    """The "Kính gửi:" bodies as assignees, each at its exact span in the text (a letter asks its addressees)."""
    out = []
    for name in recipients:
        m = re.search(r"\s+".join(re.escape(w) for w in name.split()), text)
        if m:
            out.append({"name": m.group(0), "role": "assignee", "start": m.start(), "end": m.end(),
                        "key": canonical_key(m.group(0))})
    return out


def layout_spans(layout: OfficialLayout) -> dict[str, tuple[int, int]]:
    spans = {name: (f.start, f.end) for name in ("number", "published", "signer")
             if (f := getattr(layout, name)) is not None}
    if layout.issuer_span:
        spans["issuer"] = layout.issuer_span
    return spans


def content_hash(data: bytes) -> str:
    return hashlib.sha256(PIPELINE_VERSION.encode() + b"\x00" + data).hexdigest()


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
    tasks = sum(1 for f in doc.facts if f.get("kind") == "task")
    return FileOutcome(path, result.status, result.doc_id, result.chunks, doc_kind=doc.record.metadata.get("doc_kind"),
                       tasks=tasks)


def ingest_bytes(store: IndexStore, name: str, data: bytes, path: str | None = None) -> FileOutcome:
    """Ingest one file's bytes (caller holds the writer lock); errors become a skipped outcome."""
    writer = BatchWriter(store)
    outcomes = writer.add(name, data, path) + writer.flush()
    return outcomes[0]


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Expand folders (recursively); unknown paths and unsupported files become outcomes."""
    files: list[Path] = []
    problems: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if child.suffix.lower() in SUPPORTED:
                    files.append(child)
                else:
                    problems.append(FileOutcome(str(child), "skipped", reason=f"unsupported file type '{child.suffix}'"))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(FileOutcome(str(path), "skipped", reason="no such file or folder"))
    return files, problems


def ingest_paths(
    store: IndexStore, paths: Iterable[Path], progress: Callable[[int, int, str], None] | None = None
) -> IngestSummary:
    """Ingest files and folders under the writer lock; the lexical index is rebuilt once at the end."""
    started = time.perf_counter()
    files, problems = collect_files([Path(p) for p in paths])
    summary = IngestSummary(outcomes=list(problems))
    with store.writer_lock:
        store.open_for_writing()
        writer = BatchWriter(store)
        for i, file in enumerate(files):
            resolved = str(file.resolve())
            try:
                if file.stat().st_size > MAX_FILE_BYTES:
                    reason = f"file too large (> {MAX_FILE_BYTES // 2**20} MB)"
                    summary.outcomes.append(FileOutcome(resolved, "skipped", reason=reason))
                    continue
                data = file.read_bytes()
            except OSError as exc:
                summary.outcomes.append(FileOutcome(resolved, "skipped", reason=f"cannot read: {exc.strerror}"))
                continue
            summary.outcomes.extend(writer.add(file.name, data, resolved))
            if progress:
                progress(i + 1, len(files), file.name)
        summary.outcomes.extend(writer.flush())
        store.refresh(persist=True)
    order = {str(f.resolve()): i for i, f in enumerate(files)}  # report in input order
    summary.outcomes.sort(key=lambda o: order.get(o.path, -1))
    summary.seconds = time.perf_counter() - started
    return summary


def remove(store: IndexStore, target: str) -> FileOutcome:
    """Remove a document by id or by the path it was ingested from."""
    rec = store.registry.get_document(target)
    if rec is None:
        p = Path(target)
        rec = store.registry.find_by_path(str(p.resolve()) if p.exists() else target)
    if rec is None:
        raise QAError(f"no document with id or path '{target}'", code="not_found", status_code=404)
    with store.writer_lock:
        n = store.delete_document(rec.doc_id)
        store.refresh(persist=True)
    return FileOutcome(rec.path, "removed", rec.doc_id, n)
