"""The extractive answerer: short Vietnamese answers assembled from exact spans of the documents.

No model writes anything: actors, actions, dates and numbers are copied from the evidence, and
every claim carries the `[n]` of the span it came from. When the evidence does not contain what
was asked (a missing entity, no date where a date is asked, too little of the question matched),
it abstains and shows the closest passages instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document

from qa_service.citations import CitationBuilder
from qa_service.evidence import Sentence, collect, contains_folded
from qa_service.question import QuestionInfo
from vectorstore.analyzer import DATE_RE, fold
from vectorstore.registry import DocumentRecord

ABSTAIN_TEXT = "Không tìm thấy thông tin này trong các văn bản hiện có."
MIN_COVERAGE = 0.5
ACTION_CHARS = 260


@dataclass
class Answer:
    text: str
    abstained: bool
    citations: CitationBuilder
    reason: str = ""
    debug: dict[str, Any] = field(default_factory=dict)


def shorten(text: str, limit: int = ACTION_CHARS) -> str:
    """Cut at a clause boundary (`;`), else at a word, before `limit` characters."""
    text = text.strip().rstrip(".;,…").strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(";", 0, limit)
    if cut < limit // 2:
        cut = text.rfind(" ", 0, limit)
    return text[:cut].rstrip(" ,;") + "…"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class ExtractiveAnswerer:
    def __init__(self, min_coverage: float = MIN_COVERAGE) -> None:
        self.min_coverage = min_coverage

    def answer(
        self,
        info: QuestionInfo,
        chunks: list[Document],
        facts: list[dict[str, Any]],
        docs: dict[str, DocumentRecord],
        chunk_at: Callable[[str, int], Document | None] | None = None,
    ) -> Answer:
        cites = CitationBuilder(chunk_at)
        sentences = collect(info, chunks, facts)
        if not sentences:
            return self._abstain(cites, chunks, "no evidence retrieved")
        missing = self._missing_entities(info, sentences, docs)
        if missing:
            return self._abstain(cites, chunks, f"not in the documents: {', '.join(missing)}")
        handler = {
            "author": self._author, "published": self._published, "source": self._source,
            "issuer": self._issuer, "deadline": self._deadline, "number": self._number,
            "responsibility": self._responsibility,
        }.get(info.qtype, self._general)
        text = handler(info, sentences, docs, cites)
        if not text and info.qtype in ("issuer", "number", "action"):
            text = self._general(info, sentences, docs, cites)
        if not text:
            return self._abstain(cites, chunks, f"no {info.qtype} evidence")
        return Answer(text=text, abstained=False, citations=cites, debug={"qtype": info.qtype})

    # --- abstention ----------------------------------------------------------------------------
    def _abstain(self, cites: CitationBuilder, chunks: list[Document], reason: str) -> Answer:
        cites.reset()
        for chunk in chunks[:3]:
            cites.cite(chunk)
        return Answer(text=ABSTAIN_TEXT, abstained=True, citations=cites, reason=reason)

    def _missing_entities(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord]) -> list[str]:
        """Names and numbers the question is about must occur in the retrieved documents."""
        texts = [docs[d].text for d in {s.doc_id for s in sentences} if d in docs]
        corpus = fold("\n".join(texts))
        numbers_text = DATE_RE.sub(" ", corpus)
        missing = [n for n in info.doc_numbers if fold(n) not in corpus]
        missing += [n for n in info.numbers if not re.search(rf"(?<![\d]){n}(?![\d])", numbers_text)]
        missing += [p for p in info.proper_names if fold(p) not in corpus]
        return missing

    # --- helpers ------------------------------------------------------------------------------
    def _good(self, sentences: list[Sentence]) -> list[Sentence]:
        return [s for s in sentences if s.coverage >= self.min_coverage]

    def _resolve_numbers(self, info: QuestionInfo, docs: dict[str, DocumentRecord], sentences: list[Sentence]) -> list[dict[str, Any]]:
        """Document numbers the question names, fully or by their leading digits ("Chỉ thị 38")."""
        known: list[dict[str, Any]] = []
        for doc_id in dict.fromkeys(s.doc_id for s in sentences):
            rec = docs.get(doc_id)
            if rec:
                known += [{**n, "doc_id": doc_id} for n in rec.metadata.get("doc_numbers", [])]
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

    # --- handlers by question type --------------------------------------------------------------
    def _author(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        rec = docs.get(sentences[0].doc_id)
        author = rec.metadata.get("author") if rec else None
        if not rec or not author:
            return None
        pos = rec.text.rfind(author)
        n = cites.cite_span(rec, pos, pos + len(author))
        return f"Tác giả bài viết “{rec.title}” là {author} [{n}]."

    def _published(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        rec = docs.get(sentences[0].doc_id)
        if not rec or not rec.published:
            return None
        y, m, d = rec.published.split("-")
        line = re.search(rf"[^\n]*0?{int(d)}/0?{int(m)}/{y}[^\n]*", rec.text[:2000])
        if not line:
            return None
        n = cites.cite_span(rec, line.start(), line.end())
        written = re.search(rf"0?{int(d)}/0?{int(m)}/{y}", line.group(0))
        return f"Bài viết “{rec.title}” được đăng ngày {written.group(0) if written else rec.published} [{n}]."

    def _source(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        rec = docs.get(sentences[0].doc_id)
        if not rec:
            return None
        lines = list(re.finditer(r"[^\n]*Nguồn[^\n]*:[^\n]*", rec.text))
        if not lines:
            return None
        parts = []
        for line in lines:
            n = cites.cite_span(rec, line.start(), line.end())
            parts.append(f"{line.group(0).strip('() ')} [{n}]")
        return f"Bài viết “{rec.title}” ghi nguồn: " + "; ".join(parts) + "."

    def _issuer(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        for num in self._resolve_numbers(info, docs, sentences):
            if num.get("issuer"):
                s = self._mention(sentences, num["number"], num["issuer"])
                if s:
                    n = cites.cite_sentence(s)
                    kind = num.get("kind") or "Văn bản"
                    return f"{kind} số {num['number']} là văn bản của {num['issuer']} [{n}]."
        for s in self._good(sentences):
            for f in s.facts:
                if f["kind"] == "issuance" and f.get("actor"):
                    n = cites.cite_sentence(s)
                    return f"{_sentence_case(f['actor'])} {shorten(f['action'])} [{n}]."
        return None

    def _number(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        for s in self._good(sentences):
            rec = docs.get(s.doc_id)
            for num in rec.metadata.get("doc_numbers", []) if rec else []:
                if contains_folded(s.text, num["number"]) and (not num.get("kind") or contains_folded(info.text, num["kind"])):
                    n = cites.cite_sentence(s)
                    kind = num.get("kind") or "Văn bản"
                    issuer = f" của {num['issuer']}" if num.get("issuer") else ""
                    return f"Đó là {kind} số {num['number']}{issuer} [{n}]."
        return None

    def _deadline(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        asks_issue = re.search(r"\b(ban hanh|ky|ra doi|co hieu luc)\b", info.folded)
        for num in self._resolve_numbers(info, docs, sentences):
            if num.get("date") and (asks_issue or len(info.content_tokens) <= 8):
                y, m, d = num["date"].split("-")
                s = self._mention(sentences, num["number"])
                date_re = rf"0?{int(d)}/0?{int(m)}/{y}"
                for cand in [s] + sentences:
                    if cand and contains_folded(cand.text, num["number"]) and re.search(date_re, cand.text):
                        written = re.search(date_re, cand.text)
                        n = cites.cite_sentence(cand)
                        kind = num.get("kind") or "Văn bản"
                        issuer = f" của {num['issuer']}" if num.get("issuer") else ""
                        return f"{kind} số {num['number']}{issuer} được ban hành ngày {written.group(0) if written else d} [{n}]."
        for s in self._good(sentences):
            kinds = [d for d in s.deadlines if d["kind"] != "date"] or (s.deadlines if info.doc_numbers else [])
            if not kinds:
                continue
            n = cites.cite_sentence(s)
            actor = next((f.get("actor") for f in s.facts if f.get("actor")), None)
            when = ", ".join(dict.fromkeys(d["text"] for d in kinds))
            clause = self._clause_around(s, kinds[0])
            lead = f"Theo văn bản, {clause}" if not actor or actor in clause else f"{_sentence_case(actor)}: {clause}"
            return f"{lead} [{n}] (thời hạn/thời gian: {when})."
        return None

    def _clause_around(self, s: Sentence, deadline: dict[str, Any]) -> str:
        rel = deadline["start"] - s.start
        left = max(s.text.rfind(";", 0, rel), -1) + 1
        right = s.text.find(";", rel)
        right = len(s.text) if right < 0 else right
        clause = s.text[left:right].strip()
        if len(clause) > 360:
            lo = max(0, rel - left - 200)
            clause = ("…" if lo else "") + clause[lo : rel - left + 160].strip() + "…"
        return clause.rstrip(".;… ")

    def _responsibility(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        good = self._good(sentences)
        with_actor = [s for s in good if any(f.get("actor") for f in s.facts)]
        if not with_actor:
            return None
        best = with_actor[0].coverage
        lines = []
        for s in with_actor:
            if s.coverage < best * 0.85 or len(lines) >= 4:
                break
            f = next(f for f in s.facts if f.get("actor"))
            n = cites.cite_sentence(s)
            lines.append(self._duty_sentence(f, n))
        if len(lines) == 1:
            return lines[0]
        return "Theo các văn bản:\n" + "\n".join(f"- {line}" for line in lines)

    def _duty_sentence(self, f: dict[str, Any], n: int) -> str:
        actor, action = f["actor"], shorten(f.get("action") or "")
        deadline = next((d["text"] for d in f.get("deadlines", []) if d["kind"] != "date" and d["text"] not in action), None)
        tail = f" ({deadline})" if deadline else ""
        match f["kind"]:
            case "request" if f.get("requested_by"):
                return f"{_sentence_case(f['requested_by'])} yêu cầu {actor} {action}{tail} [{n}]."
            case "issuance":
                return f"{_sentence_case(actor)} {action}{tail} [{n}]."
        return f"{_sentence_case(actor)} có trách nhiệm {action}{tail} [{n}]."

    def _general(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        good = self._good(sentences)
        if not good:
            return None
        parts = []
        for s in good[:2]:
            if parts and s.coverage < good[0].coverage * 0.9:
                break
            fact = next((f for f in s.facts if f.get("actor")), None)
            n = cites.cite_sentence(s)
            parts.append(self._duty_sentence(fact, n) if fact else f"{shorten(s.text, 400)} [{n}].")
        return " ".join(parts)
