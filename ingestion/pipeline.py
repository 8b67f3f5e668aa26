"""Files → cleaned, split, annotated documents → the index; per-file outcomes, never a lost batch.

`ingest_files` is the one way files get in, for `qa ingest` and for uploads alike: under the writer
lock, a dirty index repaired first, every file through one `BatchWriter` (one embedding pass and one
Chroma call per batch), the lexical index brought up to date once at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingestion.batch import BatchWriter
from ingestion.limits import UNLIMITED, Limits
from ingestion.load import MAX_FILE_BYTES, SUPPORTED
from ingestion.outcomes import FileOutcome, IngestSummary
from ingestion.prepare import PIPELINE_VERSION, content_hash, make_doc_id, prepare
from vectorstore.errors import QAError
from vectorstore.store import IndexStore

__all__ = [
    "PIPELINE_VERSION", "BatchWriter", "FileOutcome", "IngestSummary", "SourceFile", "content_hash", "ingest_bytes",
    "ingest_files", "ingest_paths", "make_doc_id", "prepare", "remove",
]


@dataclass
class SourceFile:
    """One file to ingest: `name` becomes the document's source, `path` names it in its outcome."""

    name: str
    path: str
    read: Callable[[], bytes]  # may raise OSError or QAError: the file is skipped with the reason
    doc_id: str | None = None  # default: from the path
    replaces: tuple[str, ...] = ()  # documents removed once this one is written (a name's old duplicates)


# Decides, under the writer lock and just before the file is read, what becomes of it (an upload's
# name check): the file as it is or changed, or its outcome already.
Resolver = Callable[[IndexStore, SourceFile], "SourceFile | FileOutcome"]
Progress = Callable[[int, int, str], None]


def ingest_files(
    store: IndexStore, files: Sequence[SourceFile | FileOutcome], *, limits: Limits = UNLIMITED,
    resolve: Resolver | None = None, progress: Progress | None = None,
) -> IngestSummary:
    """Ingest files in one batch under the writer lock; one outcome per entry, in input order (an
    entry that is an outcome already, such as a missing path, is reported as it is)."""
    started = time.perf_counter()
    slots: list[FileOutcome | None] = [f if isinstance(f, FileOutcome) else None for f in files]
    replaces: dict[int, tuple[str, ...]] = {}
    total, done = sum(isinstance(f, SourceFile) for f in files), 0
    with store.writer_lock:
        store.open_for_writing()
        try:
            writer = BatchWriter(store, limits=limits)
            queued: dict[str, int] = {}  # path → slot of a file waiting in the batch

            def settle(outcomes: list[FileOutcome]) -> None:
                for outcome in outcomes:
                    slots[queued.pop(outcome.path)] = outcome

            for i, entry in enumerate(files):
                if isinstance(entry, FileOutcome):
                    continue
                if entry.path in queued:  # one name twice: the first is written before the second is judged
                    settle(writer.flush())
                item = resolve(store, entry) if resolve else entry
                data = item if isinstance(item, FileOutcome) else _read(item)
                if isinstance(data, FileOutcome):
                    slots[i] = data
                else:
                    assert isinstance(item, SourceFile)
                    queued[item.path] = i
                    replaces[i] = item.replaces
                    settle(writer.add(item.name, data, item.path, doc_id=item.doc_id))
                done += 1
                if progress:
                    progress(done, total, entry.name)
            settle(writer.flush())
            for i, doc_ids in replaces.items():
                outcome = slots[i]
                if outcome is not None and outcome.status in ("added", "updated", "unchanged"):
                    for doc_id in doc_ids:
                        store.delete_document(doc_id)
        finally:
            store.open_for_writing()  # drops vectors of a document whose commit did not happen
            store.refresh(persist=True)
    summary = IngestSummary(outcomes=[o for o in slots if o is not None])
    summary.seconds = time.perf_counter() - started
    return summary


def _read(item: SourceFile) -> bytes | FileOutcome:
    try:
        return item.read()
    except QAError as exc:
        return FileOutcome(item.path, "skipped", reason=exc.message)
    except OSError as exc:
        return FileOutcome(item.path, "skipped", reason=f"cannot read: {exc.strerror}")


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


def _file_reader(file: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise QAError(f"file too large (> {MAX_FILE_BYTES // 2**20} MB)", code="too_large", status_code=413)
        return file.read_bytes()

    return read


def ingest_paths(store: IndexStore, paths: Iterable[Path], progress: Progress | None = None) -> IngestSummary:
    """Ingest files and folders (`qa ingest`): the problems found while listing them first, then every
    file in order."""
    files, problems = collect_files([Path(p) for p in paths])
    sources = [SourceFile(f.name, str(f.resolve()), _file_reader(f)) for f in files]
    return ingest_files(store, [*problems, *sources], progress=progress)


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
