"""A retrieved document's text as the missing-entity checks read it, folded once per document version.

Folding every retrieved document's whole text on every question cost ~10 ms of a ~75 ms answer
(bench/RESULTS.md, profile on corpus-bulk); a document changes only when it is re-ingested, so the
folded forms are kept per (doc_id, content_hash) in a small per-process LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from vectorstore.analyzer import DATE_RE, fold
from vectorstore.registry import DocumentRecord

CACHED_DOCUMENTS = 256


@dataclass(frozen=True)
class FoldedText:
    folded: str  # the text (with its title and metadata names unless asked without), folded
    compact: str  # the same without spaces ("45/QĐ-UBND" typed as "45 / QĐ-UBND")
    numbers: str  # dates removed, "-" and "/" spaced: the numbers a question may cite


_cache: OrderedDict[tuple[str, str, bool], FoldedText] = OrderedDict()
_lock = threading.Lock()


def folded_text(rec: DocumentRecord, with_metadata: bool = True) -> FoldedText:
    key = (rec.doc_id, rec.content_hash, with_metadata)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    said = rec.text
    if with_metadata:  # its title, and "Văn phòng Trung ương Đảng" named by the letterhead's code
        said = rec.title + "\n" + said + "\n" + " ".join(
            str(rec.metadata.get(k) or "") for k in ("issuer", "parent_issuer", "doc_kind", "number"))
    folded = fold(said)
    out = FoldedText(folded, folded.replace(" ", ""),
                     " ".join(DATE_RE.sub(" ", folded).replace("-", " ").replace("/", " ").split()))
    with _lock:
        _cache[key] = out
        while len(_cache) > CACHED_DOCUMENTS:
            _cache.popitem(last=False)
    return out
