"""News pages: short Vietnamese answers assembled from exact spans of scraped articles.

Per-question-type rules kept from the first build for pages without an official layout (author,
source site, documents mentioned in passing); official documents go through the typed pipeline of
`qa_service.answering.answerer`.

No model writes anything: actors, actions, dates and numbers are copied from the evidence, and
every claim carries the `[n]` of the span it came from. When the evidence does not contain what
was asked (a missing name or number, no deadline where one is asked, no quantity where "bao
nhiêu" is asked, too little of the question matched), it abstains and shows the closest passages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.documents import Document

from prompts.phrases import phrase
from qa_service.answering.doctext import folded_text
from qa_service.answering.lexicon import ABSTAIN_TEXT
from qa_service.answering.news_duties import NewsDuties
from qa_service.answering.news_rules import (
    _ASKING_NUMBER,
    _ASKS_DATE,
    _ASKS_LIST,
    _ASKS_QUANTITY,
    _ASKS_SIGNER,
    _ASKS_WHO,
    _CARDINAL,
    _KIND_WORDS,
    _ROLES,
    MIN_COVERAGE,
    _cap,
    _written_date,
    counted_in_words,
    shorten,
)
from qa_service.answering.result import Answer
from qa_service.citations import CitationBuilder
from qa_service.evidence import Sentence, best_window, collect, contains_folded
from qa_service.question import QuestionInfo
from vectorstore.analyzer import DATE_RE, DOC_NUMBER_RE, fold
from vectorstore.registry import DocumentRecord
from vectorstore.sentence_facts import SentenceFact

SUMMARY_SENTENCES = 3
_ASKS_SUMMARY = re.compile(r"\b(tom tat|noi dung chinh|nhung diem chinh)\b")


class NewsAnswerer(NewsDuties):
    def __init__(self, min_coverage: float = MIN_COVERAGE) -> None:
        self.min_coverage = min_coverage

    def answer(
        self,
        info: QuestionInfo,
        chunks: list[Document],
        facts: list[SentenceFact],
        docs: dict[str, DocumentRecord],
        chunk_at: Callable[[str, int], Document | None] | None = None,
    ) -> Answer:
        cites = CitationBuilder(chunk_at)
        doc_texts = {d: fold(rec.title + "\n" + rec.text) for d, rec in docs.items()} if info.proper_names else {}
        sentences = collect(info, chunks, facts, doc_texts)
        if not sentences:
            return self._abstain(cites, chunks, "no evidence retrieved")
        missing = self._missing_entities(info, sentences, docs)
        if missing:
            return self._abstain(cites, chunks, f"not in the documents: {', '.join(missing)}")
        if _ASKS_SIGNER.search(info.folded) and not any(re.search(r"\bky\b", fold(s.text)) for s in sentences):
            return self._abstain(cites, chunks, "no signature in the documents")
        if _ASKS_QUANTITY.search(info.folded) and not any(
            _CARDINAL.search(DATE_RE.sub(" ", DOC_NUMBER_RE.sub(" ", s.text))) or counted_in_words(info, s.text)
            for s in self._good(sentences)
        ):
            return self._abstain(cites, chunks, "no quantity in the evidence")
        if _ASKS_SUMMARY.search(info.folded) and (summary := self._summary(sentences, docs, cites)):
            return Answer(text=cites.finalize(summary), abstained=False, citations=cites, debug={"qtype": "summary"})
        qtype = info.qtype
        if qtype == "responsibility" and _ASKS_LIST.search(info.folded) and not _ASKS_WHO.search(info.folded):
            qtype = "general"  # "phải gắn với những văn bản nào": a list of things, not of actors
        handler = {
            "author": self._author, "published": self._published, "source": self._source,
            "issuer": self._issuer, "deadline": self._deadline, "number": self._number,
            "responsibility": self._responsibility,
        }.get(qtype, self._general)
        text = handler(info, sentences, docs, cites)
        if text is None and info.qtype in ("issuer", "number", "responsibility"):
            text = self._general(info, sentences, docs, cites)
        if not text:
            return self._abstain(cites, chunks, f"no {info.qtype} evidence")
        text = cites.finalize(text)
        return Answer(text=text, abstained=False, citations=cites, debug={"qtype": info.qtype})

    def _summary(self, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        """"Tóm tắt nội dung chính …" of a news page: its lead, i.e. the first sentences of the page the
        best evidence is in (a news story says its point first), each cited."""
        best = self._good(sentences)[:1] or sentences[:1]
        rec = docs.get(best[0].doc_id) if best else None
        if rec is None:
            return None
        title = fold(rec.title)
        lead = sorted((x for x in sentences if x.doc_id == rec.doc_id and len(x.text) > 40 and fold(x.text) != title),
                      key=lambda x: x.start)[:SUMMARY_SENTENCES]
        if len(lead) < 2:
            return None
        lines = "\n".join(f"- {shorten(x.text)} [{cites.cite_sentence(x)}]" for x in lead)
        return phrase("page_main_points", title=rec.title) + "\n" + lines

    # --- abstention ------------------------------------------------------------------------------
    def _abstain(self, cites: CitationBuilder, chunks: list[Document], reason: str) -> Answer:
        cites.reset()
        for chunk in chunks[:3]:
            cites.cite(chunk)
        return Answer(text=ABSTAIN_TEXT, abstained=True, citations=cites, reason=reason)

    def _missing_entities(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord]) -> list[str]:
        """Names and numbers the question is about must occur in the retrieved documents."""
        texts = [folded_text(docs[d], with_metadata=False) for d in {s.doc_id for s in sentences} if d in docs]
        missing = [n for n in info.doc_numbers if not any(fold(n) in t.folded for t in texts)]
        missing += [n for n in info.numbers if not any(re.search(rf"(?<!\d){n}(?!\d)", t.numbers) for t in texts)]
        missing += [p for p in info.proper_names if not any(fold(p) in t.folded for t in texts)]
        missing += [r.group(0) for r in _ROLES.finditer(info.folded) if not any(r.group(0) in t.folded for t in texts)]
        return missing

    # --- shared pieces ---------------------------------------------------------------------------
    def _good(self, sentences: list[Sentence]) -> list[Sentence]:
        return [s for s in sentences if s.coverage >= self.min_coverage]

    def _doc_numbers(self, docs: dict[str, DocumentRecord], sentences: list[Sentence]) -> list[dict[str, Any]]:
        known: list[dict[str, Any]] = []
        for doc_id in dict.fromkeys(s.doc_id for s in sentences):
            rec = docs.get(doc_id)
            if rec:
                known += [{**n, "doc_id": doc_id} for n in rec.metadata.get("doc_numbers", [])]
        return known

    def _named_numbers(self, info: QuestionInfo, docs: dict[str, DocumentRecord], sentences: list[Sentence]) -> list[dict[str, Any]]:
        """Document numbers the question names, fully or by their leading digits ("Chỉ thị 38")."""
        known = self._doc_numbers(docs, sentences)
        wanted = [fold(n) for n in info.doc_numbers]
        out = [k for k in known if fold(k["number"]) in wanted]
        for digits in info.numbers:
            out += [k for k in known if re.match(rf"{digits}[-/]", k["number"]) and k not in out]
        return out

    def _mention(self, sentences: list[Sentence], *needles: str) -> Sentence | None:
        for s in sorted(sentences, key=lambda s: (-s.coverage, s.start)):
            if all(contains_folded(s.text, n) for n in needles if n):
                return s
        return None

    def _mention_at(self, sentences: list[Sentence], num: dict[str, Any]) -> Sentence | None:
        """The sentence holding the mention that gave the number its details (kind, date, issuer)."""
        offset = int(num.get("offset", -1))
        return next((s for s in sentences if s.doc_id == num["doc_id"] and s.start <= offset < s.end), None)

    def _window_answer(self, info: QuestionInfo, s: Sentence, cites: CitationBuilder) -> tuple[str, float]:
        start, end, cov = best_window(s, info.content_tokens, extend=bool(_ASKS_LIST.search(info.folded)), idf=info.idf)
        n = cites.cite(s.chunk, start, end)
        text = s.chunk.page_content[start - int(s.chunk.metadata["start"]) : end - int(s.chunk.metadata["start"])]
        return f"{_cap(text.strip())} [{n}].", cov

    # --- handlers by question type ---------------------------------------------------------------
    def _author(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        rec = docs.get(sentences[0].doc_id)
        author = rec.metadata.get("author") if rec else None
        if not rec or not author:
            return None
        pos = rec.text.rfind(author)
        n = cites.cite_span(rec, pos, pos + len(author))
        return phrase("page_author", title=rec.title, author=author, n=n)

    def _published(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        rec = docs.get(sentences[0].doc_id)
        if not rec or not rec.published:
            return None
        written = _written_date(rec.published, rec.text[:2000])
        if not written:
            return None
        pos = rec.text.find(written)
        line_start = rec.text.rfind("\n", 0, pos) + 1
        line_end = rec.text.find("\n", pos)
        n = cites.cite_span(rec, line_start, line_end if line_end > 0 else pos + len(written))
        return phrase("page_published", title=rec.title, date=written, n=n)

    def _source(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        rec = docs.get(sentences[0].doc_id)
        lines = list(re.finditer(r"[^\n]*Nguồn[^\n]*:[^\n]*", rec.text)) if rec else []
        if not rec or not lines:
            return None
        parts = [f"{m.group(0).strip('() ')} [{cites.cite_span(rec, m.start(), m.end())}]" for m in lines]
        return phrase("page_sources", title=rec.title, sources="; ".join(parts))

    def _issuance_fact(self, sentences: list[Sentence], min_cov: float) -> tuple[Sentence, SentenceFact] | None:
        for s in sentences:
            if s.coverage < min_cov:
                continue
            for f in s.facts:
                if f.kind == "issuance" and f.actor:
                    return s, f
        return None

    def _issuer(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        good = self._good(sentences)
        found = self._issuance_fact(sentences, max(self.min_coverage, good[0].coverage - 0.05)) if good else None
        if found is None:
            for num in self._named_numbers(info, docs, sentences):
                s = self._mention_at(sentences, num) or self._mention(sentences, num["number"], num.get("issuer") or "")
                if s and num.get("issuer"):
                    kind = num.get("kind") or phrase("default_kind")
                    # "do ai ban hành và vào ngày nào": the date the same mention gives, as it writes it
                    when = (_written_date(num["date"], s.text) or num["date"]) if num.get("date") else None
                    on = phrase("issued_on_clause", date=when) if when and _ASKS_DATE.search(info.folded) else ""
                    return phrase("number_of_issuer", kind=kind, number=num["number"], issuer=num["issuer"], when=on,
                                  n=cites.cite_sentence(s))
            found = self._issuance_fact(sentences, self.min_coverage)
        if found is None:
            return None
        s, _ = found
        return f"{shorten(s.text)} [{cites.cite_sentence(s)}]."

    def _number(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        asking = _ASKING_NUMBER.search(info.folded)
        kinds = list(_KIND_WORDS.finditer(info.folded[: asking.start()])) if asking else []
        # "bằng kế hoạch số mấy": the kind right before the asking words; else the subject kind.
        near = [k for k in kinds if asking and len(info.folded[k.end() : asking.start()].split()) <= 1]
        asked_kind = (near or kinds)[-1 if near else 0].group(1) if kinds else None
        named = {fold(n) for n in info.doc_numbers}
        dates = {m.group(0) for m in DATE_RE.finditer(info.text)}
        best: tuple[float, Sentence, dict[str, Any]] | None = None
        for num in self._doc_numbers(docs, sentences):
            if fold(num["number"]) in named or any(re.match(rf"{d}[-/]", num["number"]) for d in info.numbers):
                continue
            if asked_kind and asked_kind not in ("van ban", "tai lieu") and num.get("kind") and fold(num["kind"]) != asked_kind:
                continue
            if dates and not (num.get("date") and any(_written_date(num["date"], d) for d in dates)):
                continue
            for s in sentences:
                if contains_folded(s.text, num["number"]):
                    score = s.coverage + (0.3 if asked_kind and fold(num.get("kind") or "") == asked_kind else 0.0)
                    # "Tài liệu đính kèm … 74-UBND-KH": the asked thing written right before the number.
                    folded = fold(s.text)
                    pos = folded.find(fold(num["number"]))
                    if asked_kind and 0 <= folded.find(asked_kind) < pos <= folded.find(asked_kind) + len(asked_kind) + 40:
                        score += 0.3
                    if best is None or score > best[0]:
                        best = (score, s, num)
        if best is None or best[0] < self.min_coverage:
            return None
        _, s, num = best
        kind = num.get("kind") or phrase("default_kind")
        issuer = phrase("of_issuer", issuer=num["issuer"]) if num.get("issuer") else ""
        on = phrase("on_date", date=_written_date(num["date"], s.text) or num["date"]) if num.get("date") else ""
        return phrase("that_is", kind=kind, number=num["number"], issuer=issuer, when=on, n=cites.cite_sentence(s))

