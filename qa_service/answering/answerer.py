"""The extractive answerer: analyse → collect candidates → score → decide → compose.

Official documents (those whose layout was read at ingestion: a kind, a number, sections, tasks)
go through the typed-candidate pipeline of this package. News pages, which carry authors, sources
and documents mentioned in passing rather than a layout, are still answered by the older
per-type rules in `qa_service.answering.news` until the typed pipeline covers them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from langchain_core.documents import Document

from ingestion.assignment_fields import field_line
from qa_service.answering.analysis import Analysis, analyze, same_body, same_doer
from qa_service.answering.candidates import Candidate, Library, collect
from qa_service.answering.compose import Composer, own_tasks
from qa_service.answering.doctext import folded_text
from qa_service.answering.lexicon import (
    ABSTAIN_TEXT,
    ASSIGNED_TASK_COVERAGE,
    ASSIGNED_TASK_ROLES,
    ASSIGNED_TASK_TYPES,
    METADATA_TYPES,
    PROSE_METADATA,
    SPAN_TYPES,
)
from qa_service.answering.news import NewsAnswerer
from qa_service.answering.register import answer_from_register, read_register_question
from qa_service.answering.result import Answer
from qa_service.answering.scoring import (
    Weights,
    abstain_features,
    answerable_probability,
    load_weights,
    score,
    typed_spans,
)
from qa_service.answering.summary import summarize
from qa_service.citations import CitationBuilder
from qa_service.evidence import coverage
from qa_service.question import QuestionInfo
from qa_service.tasks.register import TaskRegister, office_today
from vectorstore.analyzer import fold
from vectorstore.registry import DocumentRecord
from vectorstore.sentence_facts import SentenceFact
from vectorstore.task_rows import TaskFact

_ROLES = re.compile(r"\b(chu tich|pho chu tich|(?<!ban )bi thu|giam doc|truong ban|bo truong|thu tuong|tong bi thu)\b")


def is_official(rec: DocumentRecord | None) -> bool:
    """Read as an official document at ingestion (a news page about a directive is not one)."""
    return rec is not None and bool(rec.metadata.get("official"))


def missing_entities(analysis: Analysis, docs: dict[str, DocumentRecord]) -> list[str]:
    """Names, numbers and document numbers of the question that no retrieved document contains."""
    info = analysis.info
    texts = [folded_text(rec) for rec in docs.values()]
    missing = [n for n in info.doc_numbers if not any(fold(n).replace(" ", "") in t.compact for t in texts)]
    missing += [n for n in info.numbers if not any(re.search(rf"(?<!\d)0*{n}(?!\d)", t.numbers) for t in texts)]
    missing += [p for p in info.proper_names if not any(fold(p) in t.folded for t in texts)]
    missing += [r.group(0) for r in _ROLES.finditer(info.folded) if not any(r.group(0) in t.folded for t in texts)]
    return missing


def reads_as_document(rec: DocumentRecord | None) -> bool:
    """Official documents, and news stories about one (layout found the kind and number it
    reports on): their duties and deadlines are read by the typed pipeline."""
    return is_official(rec) or (rec is not None and bool(rec.metadata.get("doc_kind")))


class OfficialAnswerer:
    """Typed-candidate answers over official documents."""

    def __init__(self, library: Library | None = None, weights: Weights | None = None) -> None:
        self.library = library
        self.weights = weights

    def candidates(self, analysis: Analysis, chunks: list[Document], tasks: Sequence[TaskFact],
                   docs: dict[str, DocumentRecord]) -> list[Candidate]:
        return score(analysis, collect(analysis, chunks, list(tasks), docs, self.library), self.weights)

    def answer(self, info: QuestionInfo, chunks: list[Document], tasks: Sequence[TaskFact],
               docs: dict[str, DocumentRecord], cites: CitationBuilder) -> Answer:
        analysis = analyze(info)
        cands = self.candidates(analysis, chunks, tasks, docs)
        focus = [c.doc_id for c in cands if c.focus_doc]
        missing = missing_entities(analysis, docs)
        debug: dict[str, Any] = {"types": analysis.types, "missing": missing, "answerer": "extractive"}
        rec = docs.get(focus[0]) if focus else (docs.get(cands[0].doc_id) if cands else None)
        composer = Composer(analysis, cites, docs)
        parts: list[str] = []
        meta_types = [t for t in analysis.types if t in METADATA_TYPES]
        unstated: list[str] = []
        if meta_types and rec is not None and not missing:
            for t in meta_types:
                if m := composer.metadata(t, rec):
                    parts.append(m)
                else:
                    unstated.append(t)
            if unstated and (is_official(rec) or any(t not in PROSE_METADATA for t in unstated)):
                return _abstain(cites, chunks, "the document does not state it", debug)
        other = [t for t in analysis.types if t not in METADATA_TYPES]
        if unstated:  # a news page tells a document's date and signer in its prose: read them as spans
            other += [PROSE_METADATA[t] for t in unstated if PROSE_METADATA[t] not in other]
            analysis = replace(analysis, types=list(dict.fromkeys([*other, *meta_types])))
            cands = score(analysis, cands, self.weights)
            composer = Composer(analysis, cites, docs)
        g = abstain_features(cands, len(missing), 1.0 if focus else 0.0)
        p = answerable_probability(g, self.weights)
        debug |= {"p_answerable": round(p, 3), "features": g}
        # the tasks of the named document, read once: a body's own tasks in it answer "X phải làm gì?"
        doc_tasks = (self.library.doc_tasks(rec.doc_id) if rec is not None and self.library is not None
                     and analysis.body_keys and {"action", "summary"} & set(other) else [])
        # a named document's main points are in it; so are the tasks it gives a body it names
        always = bool(focus) and (other == ["summary"] or (other == ["action"]
                                                           and bool(own_tasks(doc_tasks, analysis.body_keys))))
        assigned = assigned_task(analysis, cands)
        if assigned is None and not focus and assigned_to_others(analysis, cands):
            return _abstain(cites, chunks, "the task asked about is another body's", debug)
        if assigned is not None:  # the asked body's own task, dated: answer from it first
            debug["assigned_task"] = assigned.start
            # other passages shown beside it are the body's own dated tasks too, not near ties of others'
            cands = [assigned] + [c for c in cands if c is not assigned and _dated_task_of_asked(analysis, c)]
        elif other and not always and (p < (self.weights or load_weights()).threshold or not cands):
            if not parts:
                return _abstain(cites, chunks, f"not answerable (p={p:.2f})", debug)
            other = []
        parts += self._compose(analysis, other, cands, rec, composer, doc_tasks)
        text = "\n".join(p for p in parts if p)
        if not text:
            return _abstain(cites, chunks, "nothing to compose", debug)
        return Answer(text=cites.finalize(text), abstained=False, citations=cites, debug=debug)

    def _compose(self, analysis: Analysis, types: list[str], cands: list[Candidate], rec: DocumentRecord | None,
                 composer: Composer, doc_tasks: list[TaskFact]) -> list[str]:
        parts: list[str] = []
        used: set[int] = set()
        for t in types:
            # "Công điện 81 yêu cầu Bộ Công an những việc chính nào": the named body's tasks are the summary
            # (a summary's body named as the document's author, "… của Thủ tướng", asks for no tasks of its own)
            asked = [k for k in analysis.body_keys if t == "action" or k not in analysis.issuer_keys]
            if t in ("action", "summary") and asked and rec is not None and doc_tasks:
                by_start = {c.start: c for c in cands if c.doc_id == rec.doc_id}
                listed = composer.tasks_of(rec, doc_tasks, by_start, asked)
                if listed:
                    parts.append(listed)
                    continue
            if t == "summary" and rec is not None:
                parts.append(summarize(composer, rec, cands) or "")
                continue
            best = _best_typed(analysis, cands, t, set())
            if best is None:
                continue
            # "có hiệu lực từ ngày nào và thay thế nghị định nào": when one sentence is the best for both
            # parts, it is quoted once
            chosen = [] if best.start in used else [best]
            used.add(best.start)
            wanted = analysis.quantities if t == "quantity" else 1  # "bao nhiêu … và bao nhiêu …": one each
            runner_up = _best_typed(analysis, cands, t, used)
            # another number asked, or a part whose best passage is already shown for another part, gets
            # a passage of its own; a near tie shows both passages rather than guess
            while runner_up is not None and (len(chosen) < wanted or runner_up.score >= RUNNER_UP_SHARE * best.score):
                used.add(runner_up.start)
                if _field_of_shown(runner_up, chosen):  # "Đơn vị chủ trì: …" of the item shown
                    runner_up = _best_typed(analysis, cands, t, used)
                    continue
                chosen.append(runner_up)
                runner_up = _best_typed(analysis, cands, t, used) if len(chosen) < max(wanted, 2) else None
            for cand in chosen:
                match t:
                    case "actor":
                        parts.append(composer.actor(cand))
                    case "deadline" | "recurrence":
                        parts.append(composer.deadline(cand))
                    case _:
                        spans = typed_spans(analysis, cand)  # a long sentence is quoted around its answer
                        parts.append(composer.quote(cand, spans[0] if spans else None) + ".")
        return _dedupe(parts)


def _field_of_shown(cand: Candidate, shown: list[Candidate]) -> bool:
    """A field line ("Đơn vị chủ trì: …", "Thời gian thực hiện: …") of an item already shown."""
    items = {t.start for c in shown for t in c.tasks}
    return (any(t.start < cand.start and t.start in items for t in cand.tasks)
            and field_line(cand.text, 0, len(cand.text), None) is not None)


def assigned_to_others(analysis: Analysis, cands: list[Candidate]) -> bool:
    """"Sở Y tế phải xây dựng Bộ tiêu chí … trước ngày nào?" when the sentence saying most of it gives that
    dated task to other bodies only: the documents answer a different question."""
    if not analysis.doer_keys or not ASSIGNED_TASK_TYPES & set(analysis.types) or not cands:
        return False
    best = cands[0]
    if best.features.get("coverage", 0.0) < ASSIGNED_TASK_COVERAGE:
        return False
    said = f" {fold(best.path)} {fold(best.text)} "
    if any(f" {q} " in said for q in analysis.doer_keys):
        return False  # the asked body is named there, whatever the task record read
    doers = [a.key for t in best.tasks if t.deadline is not None and t.deadline.text
             and not t.inherited for a in t.actors if a.role in ASSIGNED_TASK_ROLES]
    return bool(doers) and not same_body(analysis.doer_keys, doers)


def assigned_task(analysis: Analysis, cands: list[Candidate]) -> Candidate | None:
    """The best-scored sentence holding a dated task whose doers include a body the question names, and
    saying most of the question: typed evidence that needs no named document."""
    if not analysis.doer_keys or not ASSIGNED_TASK_TYPES & set(analysis.types):
        return None
    asked = analysis.action_tokens or analysis.info.content_tokens
    for cand in cands:
        # the action's words, said by the sentence or its headings (the body is checked on the task)
        said = coverage(asked, cand.context, analysis.info.idf)
        if said >= ASSIGNED_TASK_COVERAGE and _dated_task_of_asked(analysis, cand):
            return cand
    return None


def _dated_task_of_asked(analysis: Analysis, cand: Candidate) -> bool:
    for task in cand.tasks:
        # "Bộ trưởng" is the body in "Đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang bộ"
        named = [a.key for a in task.actors if a.role in ASSIGNED_TASK_ROLES]
        if task.deadline is not None and task.deadline.text and same_doer(analysis.doer_keys, named):
            return True
    return False


def _best_typed(analysis: Analysis, cands: list[Candidate], answer_type: str, used: set[int]) -> Candidate | None:
    """The best candidate holding a span of this type (the best one at all for general questions)."""
    if answer_type not in SPAN_TYPES:
        fresh = [c for c in cands if c.start not in used]
        return (fresh or cands)[0] if cands else None
    only = replace(analysis, types=[answer_type])
    return next((c for c in cands[:TOP_CONSIDERED] if c.start not in used and typed_spans(only, c)), None)


TOP_CONSIDERED = 12
# A second passage is shown when its score is this close to the best one's (set on the tuning split).
RUNNER_UP_SHARE = 0.98


def _dedupe(parts: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for p in parts:
        if p and p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _abstain(cites: CitationBuilder, chunks: list[Document], reason: str, debug: dict[str, Any]) -> Answer:
    cites.reset()
    for chunk in chunks[:3]:
        cites.cite(chunk)
    return Answer(text=ABSTAIN_TEXT, abstained=True, citations=cites, reason=reason, debug=debug)


class ExtractiveAnswerer:
    """Routes each question: official documents to the typed pipeline, news pages to the older rules."""

    def __init__(
        self, library: Library | None = None, weights: Weights | None = None, register: TaskRegister | None = None,
        today: Callable[[], date] = office_today,
    ) -> None:
        self.official = OfficialAnswerer(library, weights)
        self.news = NewsAnswerer()
        self.register = register
        self.today = today

    def register_answer(
        self, info: QuestionInfo, chunk_at: Callable[[str, int], Document | None] | None = None
    ) -> Answer | None:
        """The answer from the task register when the question asks for a list of tasks across documents
        ("Những việc nào đã quá hạn?"); None otherwise. The LLM answerer asks this first too."""
        if self.register is None or (ask := read_register_question(analyze(info), self.today())) is None:
            return None
        return answer_from_register(ask, self.register, CitationBuilder(chunk_at), self.today())

    def answer(
        self,
        info: QuestionInfo,
        chunks: list[Document],
        facts: list[SentenceFact],
        docs: dict[str, DocumentRecord],
        chunk_at: Callable[[str, int], Document | None] | None = None,
        tasks: Sequence[TaskFact] = (),
    ) -> Answer:
        """`facts`: the first build's sentence facts (news pages); `tasks`: the retrieved chunks' task
        records, read when the answerer has no library (with one, it reads whole documents' tasks)."""
        if (listed := self.register_answer(info, chunk_at)) is not None:
            return listed
        cites = CitationBuilder(chunk_at)
        if not chunks:
            return _abstain(cites, chunks, "no evidence retrieved", {})
        if reads_as_document(docs.get(str(chunks[0].metadata["doc_id"]))):
            return self.official.answer(info, chunks, tasks, docs, cites)
        return self.news.answer(info, chunks, facts, docs, chunk_at)
