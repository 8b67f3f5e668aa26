"""Evidence: the sentences of the retrieved chunks, scored against the question.

The extractive answerer builds every claim from these sentences, so each one carries its exact
span in the cleaned document text (what a citation points at).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from langchain_core.documents import Document

from ingestion.facts import find_deadlines
from ingestion.split import sentence_spans
from qa_service.question import QuestionInfo
from vectorstore.analyzer import analyze, fold
from vectorstore.sentence_facts import FactDeadline, SentenceFact


@dataclass
class Sentence:
    chunk: Document
    text: str
    start: int  # absolute offsets in the cleaned document
    end: int
    coverage: float = 0.0
    score: float = 0.0
    facts: list[SentenceFact] = field(default_factory=list)
    deadlines: list[FactDeadline] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return str(self.chunk.metadata["doc_id"])


def _weight(token: str) -> float:
    if "/" in token or "-" in token:
        return 4.0  # document numbers and dates
    return 2.0 if "_" in token else 1.0


@lru_cache(maxsize=50_000)
def sentence_tokens(text: str) -> frozenset[str]:
    """Document sentences never change: analyse each once per process, not once per question."""
    return frozenset(analyze(text))


def coverage(question_tokens: list[str], tokens: frozenset[str] | set[str], idf: dict[str, float] | None = None) -> float:
    """Share of the question's content found in `tokens`: bigrams and numbers weigh more, and
    words every candidate sentence shares (the agency's name) weigh less than rare ones."""
    idf = idf or {}
    weights = [(_weight(t) * idf.get(t, 1.0), t) for t in question_tokens]
    total = sum(w for w, _ in weights)
    if not total:
        return 0.0
    return sum(w for w, t in weights if t in tokens) / total


def local_idf(question_tokens: list[str], token_sets: list[frozenset[str]]) -> dict[str, float]:
    """Inverse frequency of each question token among the candidate sentences."""
    n = len(token_sets)
    out = {}
    for t in set(question_tokens):
        df = sum(1 for ts in token_sets if t in ts) or 1
        out[t] = max(0.25, math.log((n + 1) / (df + 0.5)))
    return out


def collect(
    info: QuestionInfo, chunks: list[Document], facts: list[SentenceFact], doc_texts: dict[str, str] | None = None
) -> list[Sentence]:
    """Every sentence of the retrieved chunks (once, though chunks overlap), best first.
    `doc_texts` (folded full texts) let names in the question favour the documents that name them."""
    doc_texts = doc_texts or {}
    by_start: dict[tuple[str, int], Sentence] = {}
    header_tokens: dict[str, frozenset[str]] = {}  # the title counts as context of every sentence
    facts_at = {(f.chunk_id, f.start): f for f in facts}
    facts_by_doc: dict[str, list[SentenceFact]] = {}
    for f in facts:
        facts_by_doc.setdefault(f.doc_id, []).append(f)
    pending: list[tuple[Sentence, frozenset[str], frozenset[str], float, int]] = []
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
            tokens = sentence_tokens(text)
            context = tokens | header_tokens.setdefault(
                chunk.metadata["chunk_id"], sentence_tokens(chunk.metadata.get("header", ""))
            )
            sent.deadlines = find_deadlines(text, sent.start)
            sent.facts = [
                f for f in facts_by_doc.get(doc_id, []) if f.start <= sent.start < f.end or sent.start <= f.start < sent.end
            ]
            if not sent.facts and (chunk.metadata["chunk_id"], sent.start) in facts_at:
                sent.facts = [facts_at[(chunk.metadata["chunk_id"], sent.start)]]
            by_start[key] = sent
            pending.append((sent, tokens, context, retrieval, rank))
    idf = local_idf(info.content_tokens, [p[1] for p in pending])
    info.idf = idf
    names = [fold(n) for n in info.proper_names]
    for sent, tokens, context, retrieval, rank in pending:
        # The title is context for every sentence of a document, but must not make them equal.
        sent.coverage = 0.6 * coverage(info.content_tokens, tokens, idf) + 0.4 * coverage(info.content_tokens, context, idf)
        # A question about "Hải Phòng" prefers passages whose chunk or title names Hải Phòng.
        where = doc_texts.get(sent.doc_id) or fold(sent.chunk.page_content)
        if any(n not in where for n in names):
            sent.coverage *= 0.85
        # Coverage decides; retrieval rank breaks near-ties (earlier chunks are likelier).
        sent.score = sent.coverage + 0.1 * retrieval - 0.01 * rank
    return sorted(by_start.values(), key=lambda s: -s.score)


def contains_folded(haystack: str, needle: str) -> bool:
    return fold(needle).strip() in fold(haystack)


_CLAUSE_BREAK = re.compile(r"[;:,]\s+|\s[–-]\s")


def best_window(
    sentence: Sentence,
    question_tokens: list[str],
    max_chars: int = 330,
    extend: bool = False,
    idf: dict[str, float] | None = None,
) -> tuple[int, int, float]:
    """The run of clauses of `sentence` that best covers the question: (start, end, coverage),
    offsets absolute. Clause token sets are unioned, so each window costs no re-analysis."""
    text = sentence.text
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    token_sets = [sentence_tokens(text[a:b]) for a, b in clauses]
    best = (0, len(text), -1.0)
    best_score = -1.0
    for i in range(len(clauses)):
        tokens: set[str] = set()
        for j in range(i, len(clauses)):
            if j > i and clauses[j][1] - clauses[i][0] > max_chars:
                break
            tokens |= token_sets[j]
            cov = coverage(question_tokens, tokens, idf)
            score = cov - 0.0002 * (clauses[j][1] - clauses[i][0])
            if score > best_score:
                best_score, best = score, (clauses[i][0], clauses[j][1], cov)
    start, end, cov = best
    if extend:
        # Lists ("đối ngoại đảng, ngoại giao nhà nước, …") run on after the matched words:
        # carry the window to the end of the clause group (next `;` or the sentence end).
        stop = text.find(";", end)
        stop = len(text) if stop < 0 else stop
        end = stop if stop - end <= 260 else max(end, text.rfind(", ", end, end + 200))
    while end > start and text[end - 1] in " ,;:–-":
        end -= 1
    return sentence.start + start, sentence.start + end, cov
