"""Uploaded files: a document is known by its normalised file name, and replacing one is asked for.

Browsers and scripts send names in many forms (`C:\\Users\\x.txt`, `../../x.txt`, `"x.txt "`, NFD):
they are normalised once, here, so that all of them name one document. A name that is taken by a
document with other content (uploaded, or ingested by `qa ingest` with that `source`) is a
`conflict` unless the caller sends `replace`: nothing is lost without being asked for, and one
name never becomes two documents.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import PurePosixPath

from ingestion.limits import UNLIMITED, Limits
from ingestion.outcomes import FileOutcome
from ingestion.pipeline import BatchWriter, content_hash, make_doc_id
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


def ingest_upload(
    store: IndexStore, name: str, data: bytes, *, replace: bool = False, limits: Limits = UNLIMITED
) -> FileOutcome:
    """One uploaded file under its normalised name (caller holds the writer lock)."""
    if not name:
        return FileOutcome("", "skipped", reason="Thiếu tên tệp.")
    same_name = store.registry.find_by_source(name)
    own_id = make_doc_id(name)
    # The document this name already means: an earlier upload's own id first, else the CLI's.
    keep = next((d for d, _ in same_name if d == own_id), same_name[0][0] if same_name else own_id)
    hashes = dict(same_name)
    if keep in hashes and hashes[keep] != content_hash(data) and not replace:
        return FileOutcome(name, "conflict", keep, reason=conflict_reason(name, keep))
    writer = BatchWriter(store, limits=limits)
    outcome = (writer.add(name, data, name, doc_id=keep) + writer.flush())[0]
    if replace and outcome.status in ("added", "updated", "unchanged"):
        for doc_id in hashes.keys() - {keep}:  # older duplicates of the name (before names were unique)
            log.info("upload of %s replaces duplicate document %s", name, doc_id)
            store.delete_document(doc_id)
    return outcome
