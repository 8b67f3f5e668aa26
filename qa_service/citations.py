"""Citations: every `[n]` in an answer maps to one exact span of one chunk."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from langchain_core.documents import Document

from qa_service.schemas import Citation
from vectorstore.registry import DocumentRecord

if TYPE_CHECKING:
    from qa_service.evidence import Sentence


class CitationBuilder:
    """Numbers spans in the order the answer first cites them; the same span keeps its number."""

    def __init__(self, chunk_at: Callable[[str, int], Document | None] | None = None) -> None:
        self.citations: list[Citation] = []
        self._chunk_at = chunk_at
        self._keys: dict[tuple[str, int, int], int] = {}
        self._joinable: int | None = None  # the last citation `cite_joined` made

    def reset(self) -> None:
        self.citations, self._keys, self._joinable = [], {}, None

    def cite(self, chunk: Document, start: int | None = None, end: int | None = None, section: str | None = None) -> int:
        s = int(chunk.metadata["start"]) if start is None else start
        e = int(chunk.metadata["end"]) if end is None else end
        key = (chunk.metadata["chunk_id"], s, e)
        if key not in self._keys:
            index = len(self.citations) + 1
            self.citations.append(Citation.from_chunk(index, chunk, start=s, end=e))
            self._keys[key] = index
        cited = self.citations[self._keys[key] - 1]
        if section and not cited.section:  # where the span sits: a duty's doer is often its heading
            cited.section = section
        return self._keys[key]

    def finalize(self, text: str) -> str:
        """Keep only the citations the answer refers to, numbered in order of first use; returns
        the answer with its markers renumbered to match."""
        order: list[int] = []
        for m in re.finditer(r"\[(\d+)\]", text):
            n = int(m.group(1))
            if n not in order and 1 <= n <= len(self.citations):
                order.append(n)
        mapping = {old: new for new, old in enumerate(order, start=1)}
        kept = []
        for old in order:
            kept.append(self.citations[old - 1].model_copy(update={"index": mapping[old]}))
        self.citations = kept
        self._keys = {k: mapping[v] for k, v in self._keys.items() if v in mapping}
        return re.sub(r"\[(\d+)\]", lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", text)

    def cite_sentence(self, sentence: Sentence) -> int:
        return self.cite(sentence.chunk, sentence.start, sentence.end)

    def chunk_end(self, rec: DocumentRecord, start: int) -> int | None:
        """Where the stored chunk holding `start` ends (a citation cannot run past it)."""
        chunk = self._chunk_at(rec.doc_id, start) if self._chunk_at else None
        return int(chunk.metadata["end"]) if chunk is not None else None

    def cite_span(self, rec: DocumentRecord, start: int, end: int, section: str | None = None) -> int:
        """Cite a span of a document that may lie outside the retrieved chunks."""
        chunk = self._chunk_at(rec.doc_id, start) if self._chunk_at else None
        if chunk is None:
            raise LookupError(f"no chunk of {rec.doc_id} covers offset {start}")
        return self.cite(chunk, start, end, section)

    def widest_chunk(self, rec: DocumentRecord, start: int) -> Document | None:
        """Of the stored chunks holding `start` (neighbours overlap), the one reaching farthest: a
        span starting near a chunk's end is cited whole from the next chunk when that one holds it."""
        chunk = self._chunk_at(rec.doc_id, start) if self._chunk_at else None
        while chunk is not None:
            after = self._chunk_at(rec.doc_id, int(chunk.metadata["end"])) if self._chunk_at else None
            if after is None or int(after.metadata["start"]) > start or int(after.metadata["end"]) <= int(chunk.metadata["end"]):
                return chunk
            chunk = after
        return None

    def cite_within(self, rec: DocumentRecord, start: int, end: int, section: str | None = None) -> int | None:
        """Cite a span from the chunk holding it whole (else from the chunk holding its start)."""
        chunk = self._chunk_at(rec.doc_id, start) if self._chunk_at else None
        if chunk is not None and int(chunk.metadata["end"]) < end:
            chunk = self.widest_chunk(rec, start) or chunk
        return None if chunk is None else self.cite(chunk, start, end, section)

    def cite_joined(self, rec: DocumentRecord, start: int, end: int, section: str | None = None) -> int | None:
        """`cite_within`, except that a span from the chunk of the citation just made by this method
        widens that citation: consecutive points of one passage cite it once."""
        chunk = self._chunk_at(rec.doc_id, start) if self._chunk_at else None
        if chunk is not None and int(chunk.metadata["end"]) < end:
            chunk = self.widest_chunk(rec, start) or chunk
        last = self.citations[-1] if self.citations else None
        if chunk is None or last is None or last.index != self._joinable or last.chunk_id != chunk.metadata["chunk_id"]:
            self._joinable = None if chunk is None else self.cite(chunk, start, end, section)
            return self._joinable
        wider = Citation.from_chunk(last.index, chunk, start=min(last.start, start), end=max(last.end, end))
        wider.section = last.section
        self._keys = {k: v for k, v in self._keys.items() if v != last.index} | {
            (wider.chunk_id, wider.start, wider.end): last.index}
        self.citations[-1] = wider
        return last.index
