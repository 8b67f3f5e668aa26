"""Evidence: the sentences of the retrieved chunks, scored against the question.

The extractive answerer builds every claim from these sentences, so each one carries its exact
span in the cleaned document text (what a citation points at).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document

from ingestion.facts import find_deadlines
from ingestion.split import sentence_spans
from qa_service.question import QuestionInfo
from vectorstore.analyzer import analyze, fold


@dataclass
class Sentence:
    chunk: Document
    text: str
    start: int  # absolute offsets in the cleaned document
    end: int
    coverage: float = 0.0
    score: float = 0.0
    facts: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return str(self.chunk.metadata["doc_id"])


def _weight(token: str) -> float:
    if "/" in token or "-" in token:
        return 4.0  # document numbers and dates
    return 2.0 if "_" in token else 1.0


def coverage(question_tokens: list[str], tokens: set[str]) -> float:
    """Share of the question's content (bigrams and numbers weigh more) found in `tokens`."""
    total = sum(_weight(t) for t in question_tokens)
    if not total:
        return 0.0
    return sum(_weight(t) for t in question_tokens if t in tokens) / total


def collect(info: QuestionInfo, chunks: list[Document], facts: list[dict[str, Any]]) -> list[Sentence]:
    """Every sentence of the retrieved chunks (once, though chunks overlap), best first."""
    by_start: dict[tuple[str, int], Sentence] = {}
    facts_at = {(f["chunk_id"], f["start"]): f for f in facts}
    facts_by_doc: dict[str, list[dict[str, Any]]] = {}
    for f in facts:
        facts_by_doc.setdefault(f["chunk_id"].rsplit(":", 1)[0], []).append(f)
    for rank, chunk in enumerate(chunks):
        base = int(chunk.metadata["start"])
        retrieval = float(chunk.metadata.get("score", 0.0))
        doc_id = chunk.metadata["doc_id"]
        for span in sentence_spans(chunk.page_content):
            key = (doc_id, base + span.start)
            if key in by_start:
                continue
            text = chunk.page_content[span.start : span.end]
            sent = Sentence(chunk=chunk, text=text, start=base + span.start, end=base + span.end)
            tokens = set(analyze(text))
            sent.coverage = coverage(info.content_tokens, tokens)
            sent.deadlines = find_deadlines(text, sent.start)
            sent.facts = [
                f for f in facts_by_doc.get(doc_id, []) if f["start"] <= sent.start < f["end"] or sent.start <= f["start"] < sent.end
            ]
            if not sent.facts and (chunk.metadata["chunk_id"], sent.start) in facts_at:
                sent.facts = [facts_at[(chunk.metadata["chunk_id"], sent.start)]]
            # Coverage decides; retrieval rank breaks near-ties (earlier chunks are likelier).
            sent.score = sent.coverage + 0.1 * retrieval - 0.01 * rank
            by_start[key] = sent
    return sorted(by_start.values(), key=lambda s: -s.score)


def contains_folded(haystack: str, needle: str) -> bool:
    return fold(needle).strip() in fold(haystack)
