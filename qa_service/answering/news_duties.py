"""News pages: the handlers for duties, deadlines, issue dates, topics and listed documents.

A mixin of `NewsAnswerer` (split off to keep each module readable); it uses the evidence helpers the
answerer defines (`_mention`, `_window_answer`, `_good`, …).
"""

from __future__ import annotations

import re
from typing import Any

from ingestion.actors import find_actors
from ingestion.assignment_fields import actors_of
from prompts.phrases import phrase
from qa_service.answering.analysis import same_body
from qa_service.answering.news_rules import (
    _ASKS_DOCS,
    _ASKS_HARD_DEADLINE,
    _ASKS_ISSUE,
    _ASKS_QUANTITY,
    _ASKS_TOPIC,
    _CARDINAL,
    _OTHER_EVENT,
    _cap,
    _written_date,
    counted_in_words,
    shorten,
)
from qa_service.citations import CitationBuilder
from qa_service.evidence import Sentence, best_window, contains_folded
from qa_service.question import QuestionInfo
from vectorstore.analyzer import DATE_RE, DOC_NUMBER_RE, fold
from vectorstore.registry import DocumentRecord
from vectorstore.sentence_facts import FactDeadline, SentenceFact


class NewsDuties:
    # Provided by `NewsAnswerer`, the class this mixin completes.
    min_coverage: float

    def _good(self, sentences: list[Sentence]) -> list[Sentence]:
        raise NotImplementedError

    def _mention_at(self, sentences: list[Sentence], num: dict[str, Any]) -> Sentence | None:
        raise NotImplementedError

    def _named_numbers(
        self, info: QuestionInfo, docs: dict[str, DocumentRecord], sentences: list[Sentence]
    ) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _window_answer(self, info: QuestionInfo, s: Sentence, cites: CitationBuilder) -> tuple[str, float]:
        raise NotImplementedError
    def _deadline(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        asks_issue = _ASKS_ISSUE.search(info.folded) or "ngay nao" in info.folded
        if (info.doc_numbers or info.numbers) and asks_issue and not _OTHER_EVENT.search(info.folded):
            return self._issue_date(info, sentences, docs, cites)
        hard = bool(_ASKS_HARD_DEADLINE.search(info.folded))
        best: tuple[float, Sentence, FactDeadline] | None = None
        for s in sentences:
            for d in s.deadlines:
                if hard and d.kind != "before":
                    continue
                if d.kind == "date" and re.search(r"[A-ZĐ]{2,}\s*$", s.text[: d.start - s.start].rstrip()):
                    continue  # "số 12-CT/TW ngày 05/01/2022": the date a document was issued, not a deadline
                lo, hi = max(0, d.start - s.start - 220), d.end - s.start + 120
                window = Sentence(chunk=s.chunk, text=s.text[lo:hi], start=s.start + lo, end=s.start + hi)
                _, _, cov = best_window(window, info.content_tokens, max_chars=400, idf=info.idf)
                if best is None or cov > best[0]:
                    best = (cov, s, d)
        if best is None or best[0] < self.min_coverage:
            return None
        _, s, d = best
        clause = self._clause_around(s, d)
        n = cites.cite(s.chunk, s.start + clause[0], s.start + clause[1])
        text = s.text[clause[0] : clause[1]].strip()
        return phrase("deadline_said", clause=_cap(text), n=n, deadline=d.text)

    def _issue_date(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        for num in self._named_numbers(info, docs, sentences):
            if not num.get("date"):
                continue
            at = self._mention_at(sentences, num)
            for s in ([at] if at else []) + sentences:
                written = _written_date(num["date"], s.text)
                if written and contains_folded(s.text, num["number"]):
                    kind = num.get("kind") or phrase("default_kind")
                    issuer = phrase("of_issuer", issuer=num["issuer"]) if num.get("issuer") else ""
                    return phrase("number_issued_on", kind=kind, number=num["number"], issuer=issuer, date=written,
                                  n=cites.cite_sentence(s))
        return None

    def _clause_around(self, s: Sentence, d: FactDeadline) -> tuple[int, int]:
        """Relative span of the `;`-clause holding the deadline, at most ~360 characters."""
        rel = d.start - s.start
        left = s.text.rfind(";", 0, rel) + 1
        right = s.text.find(";", rel)
        right = len(s.text) if right < 0 else right
        if right - left > 360:
            lo = s.text.rfind(", ", left, max(left, rel - 200))
            left = lo + 2 if lo > 0 else max(left, rel - 200)
            hi = s.text.find(", ", d.end - s.start, right)
            right = hi if 0 < hi < rel + 200 else min(right, d.end - s.start + 120)
        while left < right and s.text[left] in " ,;":
            left += 1
        return left, right

    def _responsibility(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        good = self._good(sentences)
        with_actor = [s for s in good if any(f.actor for f in s.facts)]
        if not with_actor or with_actor[0].coverage < good[0].coverage - 0.02:
            return None  # the best evidence states no duty: answer from its best clause instead
        best = with_actor[0].coverage
        lines: list[str] = []
        for s in with_actor:
            if s.coverage < best * 0.95 or len(lines) >= 4:
                break
            f = next(f for f in s.facts if f.actor)
            lines.append(self._duty_sentence(f, cites.cite_sentence(s)))
        if len(lines) == 1:
            return lines[0]
        return "Theo các văn bản:\n" + "\n".join(f"- {line}" for line in lines)

    def _duty_sentence(self, f: SentenceFact, n: int) -> str:
        actor, action = f.actor or "", shorten(f.action or "")
        deadline = next((d.text for d in f.deadlines if d.kind != "date" and d.text not in action), None)
        tail = phrase("duty_time", deadline=deadline) if deadline else ""
        match f.kind:
            case "request" if f.requested_by:
                return phrase("duty_requested", requester=_cap(f.requested_by), actor=actor, action=action, tail=tail, n=n)
            case "issuance":
                return f"{_cap(shorten(f.sentence))} [{n}]."
        return phrase("duty_of", actor=_cap(actor), action=action, tail=tail, n=n)

    def _general(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        if _ASKS_TOPIC.search(info.folded):
            topic = self._topic(info, sentences, docs, cites)
            if topic:
                return topic
        good = self._good(sentences)
        if not good:
            return None
        if _ASKS_QUANTITY.search(info.folded):
            good = [s for s in good if _CARDINAL.search(DATE_RE.sub(" ", DOC_NUMBER_RE.sub(" ", s.text)))
                    or counted_in_words(info, s.text)]
            if not good:
                return None
        if _ASKS_DUTY.search(info.folded) and (doing := _as_doer(info, good)):
            # what the asked body does is its whole clause, not the words around the question's
            return " ".join(f"{_cap(shorten(s.text))} [{cites.cite_sentence(s)}]." for s in doing[:2])
        docs_asked = _ASKS_DOCS.search(info.folded)
        if docs_asked:
            listed = self._listed_documents(good[0], docs, docs_asked.group(1), cites)
            if listed:
                return listed
        parts: list[str] = []
        best_cov = 0.0
        for s in good[:3]:
            text, cov = self._window_answer(info, s, cites)
            if parts and cov < best_cov * 0.98:
                break
            best_cov = max(best_cov, cov)
            parts.append(text)
            if len(parts) == 2:
                break
        return " ".join(parts)

    def _topic(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        """"Chỉ thị 12-CT/TW về vấn đề gì?": the quoted title that follows the number."""
        for num in self._named_numbers(info, docs, sentences):
            pattern = re.compile(re.escape(num["number"]) + r"[^“\"\n]{0,80}?[“\"]([^”\"]{10,300})[”\"]")
            for s in sentences:
                m = pattern.search(s.text)
                if m:
                    n = cites.cite(s.chunk, s.start + m.start(), s.start + m.end())
                    kind = num.get("kind") or phrase("default_kind")
                    return phrase("number_says", kind=kind, number=num["number"], content=m.group(1).strip(), n=n)
        return None

    def _listed_documents(self, s: Sentence, docs: dict[str, DocumentRecord], kind: str, cites: CitationBuilder) -> str | None:
        """"Phải gắn với những văn bản nào?": every document number the best sentence names."""
        rec = docs.get(s.doc_id)
        kinds = {n["number"]: n.get("kind") for n in rec.metadata.get("doc_numbers", [])} if rec else {}
        found: list[str] = []
        for m in DOC_NUMBER_RE.finditer(s.text):
            number = m.group(0)
            doc_kind = kinds.get(number) or ""
            if kind not in ("van ban",) and doc_kind and fold(doc_kind) != kind:
                continue
            label = phrase("doc_numbered", kind=doc_kind, number=number).strip() if doc_kind else number
            if label not in found:
                found.append(label)
        if not found:
            return None
        n = cites.cite_sentence(s)
        return phrase("documents_named", labels=", ".join(found), n=n)


_ASKS_DUTY = re.compile(r"\b(phai lam gi|lam gi|co nhiem vu gi|nhiem vu (gi|nao))\b")


def _as_doer(info: QuestionInfo, sentences: list[Sentence]) -> list[Sentence]:
    """"Liên hiệp … phải làm gì?": the sentences where that body acts, not those where others
    "phối hợp với" it or report to it."""
    asked = [a.key for a in find_actors(info.text)]
    if not asked:
        return []
    return [s for s in sentences
            if same_body(asked, [a["key"] for a in actors_of(s.text, 0) if a["role"] in ("lead", "assignee")])]
