"""One loaded file → a cleaned, split, annotated document ready for the store (no index, no model)."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from ingestion.actors import canonical_key
from ingestion.assignments import extract_tasks
from ingestion.clean import clean_text
from ingestion.facts import extract_facts
from ingestion.layout import OfficialLayout, parse_layout
from ingestion.load import LoadedFile
from ingestion.metadata import extract_metadata
from ingestion.sections import SectionIndex, parse_sections
from ingestion.split import sentence_spans, split_text
from ingestion.table_tasks import table_breaks, table_tasks
from ingestion.task_tables import find_task_tables
from ingestion.unwrap import unwrap
from vectorstore.analyzer import analyze, fold
from vectorstore.errors import InvalidDocumentError
from vectorstore.registry import ChunkRecord, DocumentRecord
from vectorstore.store import PreparedDocument
from vectorstore.task_rows import TaskFact

__all__ = ["PIPELINE_VERSION", "content_hash", "make_doc_id", "prepare"]
# Bump when cleaning/splitting changes, so re-ingesting rebuilds documents made the old way.
PIPELINE_VERSION = "27"  # 5: official layout, unwrapping, sections, tasks; 16: spans of years as deadlines; 17: heads of bodies; 18: cross-references are no headings; 19: points under a lead-in that asks a body; 20: "Đối với X" leads, Liên hiệp bodies; 21: "các Bộ: A; B" lists (wraps inside them too); 22: the author of a request is no doer; 23: a time field's whole value; 24: task tables whose bodies span sub-rows; 25: a body after an opening time is its clause's subject; 26: a heading that is a department's name alone; 27: time cells, name stops, directors lead, opening phrases


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
    found = extract_facts(text, spans)
    in_tables = [(t.start, t.end) for t in tables]  # their rows are read as rows, not as prose
    tasks = extract_tasks(text, spans, index, reference, body if layout.is_official else None, skip + in_tables,
                          addressees=addressee_actors(text, layout.recipients))
    tasks += table_tasks(text, tables, index, reference)
    facts = [replace(fact, chunk_id=owner.chunk_id) for fact in found if (owner := _owner(chunks, fact.start)) is not None]
    records: dict[tuple[int, int], TaskFact] = {}  # one task per span: its id is made of the span
    for task in sorted(tasks, key=lambda t: t.start):
        if (owner := _owner(chunks, task.start)) is not None and (task.start, task.end) not in records:
            task.chunk_id = owner.chunk_id
            records[task.start, task.end] = task.record(doc_id)
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
    return PreparedDocument(record=record, chunks=chunks, facts=facts, tasks=list(records.values()))


def _owner(chunks: list[ChunkRecord], offset: int) -> ChunkRecord | None:
    return next((c for c in chunks if c.start <= offset < c.end), None)


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
