"""Answer candidates: the sentences of the evidence, each with its typed spans and exact offsets.

The evidence is the retrieved chunks plus, when the question names a document that retrieval
found ("Kế hoạch 0129/KH-UBND"), every chunk of that document: a named document is read whole,
so the answer does not depend on which five chunks happened to rank first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from langchain_core.documents import Document

from ingestion.actors import ActorSpan, find_actors
from ingestion.deadlines import Deadline, find_deadlines
from ingestion.split import sentence_spans
from qa_service.answering.analysis import Analysis, names_document
from qa_service.answering.lexicon import NUMBER_WORDS, UNITS
from qa_service.evidence import coverage, local_idf, sentence_tokens
from vectorstore.analyzer import fold
from vectorstore.registry import DocumentRecord
from vectorstore.task_rows import TaskFact

TYPED_TOP = 60  # typed spans are read for this many best-covered sentences only (cost)
_NUMBER = re.compile(
    r"(?<![\w/.-])\d+(?:[.,]\d+)*(?:\s*%)?(?![\w/-])|\b(?:" + "|".join(NUMBER_WORDS) + r")(?:\s+(?:mươi|trăm|nghìn|lăm|mốt))*\b",
    re.IGNORECASE,
)
# "(0-48 giờ)", "từ 3 - 5 tuổi": a range is a quantity when a unit follows it (years like "2026 - 2028" are periods).
_RANGE = re.compile(r"(?<![\w/.-])\d+(?:[.,]\d+)*\s?[-–]\s?\d+(?:[.,]\d+)*(?:\s*%)?(?![\w/-])")
_UNIT_AFTER = re.compile(r"^\s*(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")\b")


class Library(Protocol):
    """Whole documents, for the documents a question names."""

    def doc_chunks(self, doc_id: str) -> list[Document]: ...

    def doc_tasks(self, doc_id: str) -> list[TaskFact]: ...


@dataclass
class Candidate:
    chunk: Document
    text: str
    start: int
    end: int
    rank: int
    retrieval: float
    path: str = ""
    focus_doc: bool = False
    tokens: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()
    deadlines: list[Deadline] = field(default_factory=list)
    actors: list[ActorSpan] = field(default_factory=list)
    numbers: list[tuple[int, int, str]] = field(default_factory=list)  # absolute spans
    tasks: list[TaskFact] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    @property
    def doc_id(self) -> str:
        return str(self.chunk.metadata["doc_id"])


class SectionPaths:
    """Heading paths of one document's offsets; the section starts are listed once, not per sentence."""

    def __init__(self, rec: DocumentRecord | None) -> None:
        self.sections: list[dict[str, Any]] = (rec.metadata.get("sections") or []) if rec is not None else []
        self.starts = [s["start"] for s in self.sections]

    def at(self, offset: int) -> str:
        """Headings of the (non-bullet) sections holding `offset`, outermost first."""
        path: list[str] = []
        level = 1 << 30
        for i in range(bisect.bisect_right(self.starts, offset) - 1, -1, -1):
            s = self.sections[i]
            if s["start"] <= offset < s["end"] and s["level"] < level:
                path.append(s["heading"])
                level = s["level"]
                if level == 0:
                    break
        return " › ".join(reversed(path))


def focus_documents(analysis: Analysis, docs: dict[str, DocumentRecord]) -> list[str]:
    """The retrieved documents the question names by number."""
    out = []
    for doc_id, rec in docs.items():
        numbers = [rec.metadata.get("number")] + [n.get("number") for n in rec.metadata.get("doc_numbers", [])[:1]]
        if any(names_document(analysis, n, rec.metadata.get("doc_kind")) for n in numbers if n):
            out.append(doc_id)
    return out


def collect(
    analysis: Analysis,
    chunks: list[Document],
    tasks: list[TaskFact],
    docs: dict[str, DocumentRecord],
    library: Library | None = None,
) -> list[Candidate]:
    """Every sentence of the evidence once, with coverage features; typed spans for the best."""
    focus = focus_documents(analysis, docs)
    evidence = list(chunks)
    tasks_by_doc: dict[str, list[TaskFact]] = {}
    if library is not None:
        for doc_id in focus:
            evidence += library.doc_chunks(doc_id)
        # every task of the retrieved documents: an item's task is stored with its heading's chunk,
        # which retrieval may have missed while finding the item's "Nhiệm vụ: …" line
        for doc_id in dict.fromkeys([*focus, *(str(c.metadata["doc_id"]) for c in chunks)]):
            tasks_by_doc[doc_id] = library.doc_tasks(doc_id)
    else:  # the retrieved chunks' own tasks
        for t in tasks:
            tasks_by_doc.setdefault(t.doc_id, []).append(t)
    seen: set[tuple[str, int]] = set()
    paths: dict[str, SectionPaths] = {}
    out: list[Candidate] = []
    for rank, chunk in enumerate(evidence):
        base = int(chunk.metadata["start"])
        doc_id = str(chunk.metadata["doc_id"])
        title = sentence_tokens(str(chunk.metadata.get("title", "")) + " " + str(chunk.metadata.get("header", "")))
        for span in sentence_spans(chunk.page_content):
            key = (doc_id, base + span.start)
            if key in seen or _outside_body(docs.get(doc_id), base + span.start):
                continue
            seen.add(key)
            text = chunk.page_content[span.start : span.end]
            cand = Candidate(chunk, text, base + span.start, base + span.end, min(rank, len(chunks)),
                             float(chunk.metadata.get("score", 0.0)) if rank < len(chunks) else 0.0,
                             focus_doc=doc_id in focus)
            if doc_id not in paths:
                paths[doc_id] = SectionPaths(docs.get(doc_id))
            cand.path = paths[doc_id].at(cand.start)
            cand.tokens = sentence_tokens(text)
            cand.context = cand.tokens | sentence_tokens(cand.path) | title
            out.append(cand)
    for cand in out:
        cand.tasks = sentence_tasks(cand, tasks_by_doc.get(cand.doc_id, []))
    _score_coverage(analysis, out, _naming_tokens([docs[d] for d in focus if d in docs]))
    out.sort(key=lambda c: -(c.features["coverage"] + 0.5 * c.features["context"]))
    for cand in out[:TYPED_TOP]:
        _type_spans(cand, docs.get(cand.doc_id))
    return out


def sentence_tasks(cand: Candidate, tasks: list[TaskFact]) -> list[TaskFact]:
    """The tasks the sentence states, then the task whose item it belongs to: "a) Nhiệm vụ: Lựa chọn …"
    under "1.1. …" is the item's task, whose lead and time stand in the field lines after it."""
    own = [t for t in tasks if cand.start <= t.start < cand.end]
    return own + [t for t in tasks if t.start < cand.start < t.end]


def _outside_body(rec: DocumentRecord | None, offset: int) -> bool:
    """Letterhead, motto and "Nơi nhận" list: they state no duty (metadata answers cite them directly)."""
    if rec is None:
        return False
    block = rec.metadata.get("recipients_block")
    return offset < int(rec.metadata.get("body_start") or 0) or bool(block and block[0] <= offset < block[1])


def _naming_tokens(recs: list[DocumentRecord]) -> frozenset[str]:
    """Words with which a question names its document ("Kế hoạch 165/KH-UBND của UBND thành phố Cần Thơ
    về công tác dân số"): its title, kind, number and issuer."""
    said = " ".join(" ".join(str(r.metadata.get(k) or "") for k in ("doc_kind", "number", "issuer")) + " " + r.title
                    for r in recs)
    return frozenset(sentence_tokens(said)) if said.strip() else frozenset()


def _score_coverage(analysis: Analysis, cands: list[Candidate], naming: frozenset[str]) -> None:
    """Coverage of the question's words; inside the document the question names, of the words that
    ask something of it (the ones naming it are said by its title, not by the answering sentence)."""
    q = analysis.info.content_tokens
    idf = local_idf(q, [c.tokens for c in cands])
    analysis.info.idf = idf
    asked = [t for t in q if t not in naming] or q
    for c in cands:
        c.features["coverage"] = coverage(asked if c.focus_doc else q, c.tokens, idf)
        c.features["context"] = coverage(q, c.context, idf)


def _type_spans(cand: Candidate, rec: DocumentRecord | None) -> None:
    reference = None
    if rec is not None and rec.published:
        try:
            reference = date.fromisoformat(rec.published)
        except ValueError:
            reference = None
    cand.deadlines = find_deadlines(cand.text, cand.start, reference)
    cand.actors = find_actors(cand.text, cand.start)
    cand.numbers = [(cand.start + m.start(), cand.start + m.end(), m.group(0)) for m in _NUMBER.finditer(cand.text)
                    if not _inside_date_or_ref(cand.text, m.start(), m.end())]
    cand.numbers += [(cand.start + m.start(), cand.start + m.end(), m.group(0)) for m in _RANGE.finditer(cand.text)
                     if unit_after(cand, cand.start + m.end())]
    cand.numbers.sort()


def _inside_date_or_ref(text: str, start: int, end: int) -> bool:
    """A digit run that is part of a date ("20/11/2025") or a document number is not a quantity."""
    return (start > 0 and text[start - 1] in "/-.") or (end < len(text) and text[end : end + 1] in "/-")


def unit_after(cand: Candidate, end: int) -> str | None:
    m = _UNIT_AFTER.match(fold(cand.text[end - cand.start : end - cand.start + 20]))
    return m.group(0).strip() if m else None
