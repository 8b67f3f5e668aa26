"""Uploaded files: a document is known by its normalised file name, and replacing one is asked for.

Browsers and scripts send names in many forms (`C:\\Users\\x.txt`, `../../x.txt`, `"x.txt "`, NFD):
they are normalised once, here, so that all of them name one document. A name that is taken by a
document with other content (uploaded, or ingested by `qa ingest` with that `source`) is a
`conflict` unless the caller sends `replace`: nothing is lost without being asked for, and one
name never becomes two documents. The files of one upload are written as one batch, as `qa ingest`
writes a folder (`ingestion.pipeline.ingest_files`).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from functools import partial
from pathlib import PurePosixPath

from ingestion.limits import UNLIMITED, Limits
from ingestion.outcomes import FileOutcome, IngestSummary
from ingestion.pipeline import SourceFile, content_hash, ingest_files, make_doc_id
from vectorstore.store import IndexStore

log = logging.getLogger(__name__)


def upload_name(filename: str | None) -> str:
    """The bare file name: no folders (either slash), no surrounding spaces, NFC like the text itself."""
    name = (filename or "").replace("\\", "/").strip()
    name = PurePosixPath(name).name if name not in (".", "..") else ""
    name = unicodedata.normalize("NFC", name).strip()
    return "" if name in (".", "..") else name


def conflict_reason(name: str, doc_id: str) -> str:
    return (f"Đã có văn bản tên '{name}' (mã {doc_id}) với nội dung khác; gửi lại với replace=true "
            "để thay thế, hoặc đổi tên tệp.")


def resolve_upload(store: IndexStore, upload: SourceFile, *, replace: bool) -> SourceFile | FileOutcome:
    """The document an uploaded name means (run under the writer lock, just before the file is written)."""
    name = upload.name
    if not name:
        return FileOutcome("", "skipped", reason="Thiếu tên tệp.")
    same_name = store.registry.find_by_source(name)
    own_id = make_doc_id(name)
    # The document this name already means: an earlier upload's own id first, else the CLI's.
    keep = next((d for d, _ in same_name if d == own_id), same_name[0][0] if same_name else own_id)
    hashes = dict(same_name)
    if keep in hashes and hashes[keep] != content_hash(upload.read()) and not replace:
        return FileOutcome(name, "conflict", keep, reason=conflict_reason(name, keep))
    # Older duplicates of the name (before names were unique) go once the upload is written.
    older = tuple(sorted(hashes.keys() - {keep})) if replace else ()
    if older:
        log.info("upload of %s replaces duplicate documents %s", name, ", ".join(older))
    return SourceFile(name, name, upload.read, doc_id=keep, replaces=older)


def ingest_named(
    store: IndexStore, uploads: list[tuple[str, bytes]], *, replace: bool = False, limits: Limits = UNLIMITED
) -> IngestSummary:
    """Uploaded files (normalised names, bytes) in one batch; one outcome each, in order."""
    files = [SourceFile(name, name, _reader(data)) for name, data in uploads]
    return ingest_files(store, files, limits=limits, resolve=partial(resolve_upload, replace=replace))



def _reader(data: bytes) -> Callable[[], bytes]:
    return lambda: data
