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

from qa_service.answering.lexicon import ABSTAIN_TEXT
from qa_service.answering.result import Answer
from qa_service.citations import CitationBuilder
from qa_service.evidence import Sentence, best_window, collect, contains_folded
from qa_service.question import QuestionInfo
from vectorstore.analyzer import DATE_RE, DOC_NUMBER_RE, fold
from vectorstore.registry import DocumentRecord

MIN_COVERAGE = 0.42
ACTION_CHARS = 480

_ASKS_ISSUE = re.compile(r"\b(ban hanh|ra doi|ngay ban hanh|duoc ky)\b")
_OTHER_EVENT = re.compile(r"\b(hieu luc|het han|bao cao|nop|gui|hoan thanh|ket thuc|trien khai xong)\b")
_ASKS_HARD_DEADLINE = re.compile(r"\b(han chot|thoi han|truoc ngay nao|cham nhat|han nop|den han)\b")
_ASKS_QUANTITY = re.compile(r"\b(bao nhieu|may (nguoi|to chuc|co quan|don vi|lan|nam|thang|ngay))\b")
_ASKS_SIGNER = re.compile(r"\b(ai ky|nguoi ky|ky ten|duoc ky|do ai ky|ai da ky)\b|(?<!nhiem )\bky\b(?! (?:nay|truoc|sau|hop))")
_CARDINAL = re.compile(r"(?<![\w/.-])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?(?![\w/-])")
_ROLES = re.compile(r"\b(chu tich|pho chu tich|(?<!ban )bi thu|giam doc|truong ban|bo truong|thu tuong|tong bi thu|truong phong)\b")
_ASKS_LIST = re.compile(r"\b(nhung gi|gom|bao gom|nhung \w+( \w+)? (nao|gi)|cac \w+( \w+)? nao|nhung ai|la gi)\b")
_ASKS_DOCS = re.compile(
    r"\b(?:nhung|cac) (van ban|chi thi|ke hoach|nghi quyet|quyet dinh|chuong trinh hanh dong|chuong trinh|cong van) nao\b"
)
_ASKS_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|to chuc nao|nhung co quan|nhung don vi)\b")
_ASKS_TOPIC = re.compile(r"\b(ve van de gi|noi ve|ve noi dung gi|noi dung (chinh )?(la )?gi|de cap)\b")
_ASKING_NUMBER = re.compile(r"\b(so may|so hieu|so nao|nao)\b")
_KIND_WORDS = re.compile(
    r"(chuong trinh hanh dong|nghi quyet|chi thi|ke hoach|quyet dinh|cong van|tai lieu dinh kem|van ban|tai lieu)"
)


def shorten(text: str, limit: int = ACTION_CHARS) -> str:
    """Cut at a clause boundary (`;`), else at a word, before `limit` characters."""
    text = text.strip().rstrip(".;,…").strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(";", 0, limit)
    if cut < limit // 2:
        cut = text.rfind(" ", 0, limit)
    return text[:cut].rstrip(" ,;") + "…"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _written_date(iso: str, text: str) -> str | None:
    y, m, d = iso.split("-")
    found = re.search(rf"(?<!\d)0?{int(d)}/0?{int(m)}/{y}", text)
    return found.group(0) if found else None


class NewsAnswerer:
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
            _CARDINAL.search(DATE_RE.sub(" ", DOC_NUMBER_RE.sub(" ", s.text))) for s in self._good(sentences)
        ):
            return self._abstain(cites, chunks, "no quantity in the evidence")
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

    # --- abstention ------------------------------------------------------------------------------
    def _abstain(self, cites: CitationBuilder, chunks: list[Document], reason: str) -> Answer:
        cites.reset()
        for chunk in chunks[:3]:
            cites.cite(chunk)
        return Answer(text=ABSTAIN_TEXT, abstained=True, citations=cites, reason=reason)

    def _missing_entities(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord]) -> list[str]:
        """Names and numbers the question is about must occur in the retrieved documents."""
        texts = [docs[d].text for d in {s.doc_id for s in sentences} if d in docs]
        corpus = fold("\n".join(texts))
        numbers_text = " ".join(DATE_RE.sub(" ", corpus).replace("-", " ").replace("/", " ").split())
        missing = [n for n in info.doc_numbers if fold(n) not in corpus]
        missing += [n for n in info.numbers if not re.search(rf"(?<!\d){n}(?!\d)", numbers_text)]
        missing += [p for p in info.proper_names if fold(p) not in corpus]
        missing += [r.group(0) for r in _ROLES.finditer(info.folded) if r.group(0) not in corpus]
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
        return f"Tác giả bài viết “{rec.title}” là {author} [{n}]."

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
        return f"Bài viết “{rec.title}” được đăng ngày {written} [{n}]."

    def _source(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        rec = docs.get(sentences[0].doc_id)
        lines = list(re.finditer(r"[^\n]*Nguồn[^\n]*:[^\n]*", rec.text)) if rec else []
        if not rec or not lines:
            return None
        parts = [f"{m.group(0).strip('() ')} [{cites.cite_span(rec, m.start(), m.end())}]" for m in lines]
        return f"Bài viết “{rec.title}” ghi nguồn: " + "; ".join(parts) + "."

    def _issuance_fact(self, sentences: list[Sentence], min_cov: float) -> tuple[Sentence, dict[str, Any]] | None:
        for s in sentences:
            if s.coverage < min_cov:
                continue
            for f in s.facts:
                if f["kind"] == "issuance" and f.get("actor"):
                    return s, f
        return None

    def _issuer(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        good = self._good(sentences)
        found = self._issuance_fact(sentences, max(self.min_coverage, good[0].coverage - 0.05)) if good else None
        if found is None:
            for num in self._named_numbers(info, docs, sentences):
                s = self._mention_at(sentences, num) or self._mention(sentences, num["number"], num.get("issuer") or "")
                if s and num.get("issuer"):
                    kind = num.get("kind") or "Văn bản"
                    return f"{kind} số {num['number']} là văn bản của {num['issuer']} [{cites.cite_sentence(s)}]."
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
        kind = num.get("kind") or "Văn bản"
        extra = f" của {num['issuer']}" if num.get("issuer") else ""
        extra += f" ngày {_written_date(num['date'], s.text) or num['date']}" if num.get("date") else ""
        return f"Đó là {kind} số {num['number']}{extra} [{cites.cite_sentence(s)}]."

    def _deadline(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        asks_issue = _ASKS_ISSUE.search(info.folded) or "ngay nao" in info.folded
        if (info.doc_numbers or info.numbers) and asks_issue and not _OTHER_EVENT.search(info.folded):
            return self._issue_date(info, sentences, docs, cites)
        hard = bool(_ASKS_HARD_DEADLINE.search(info.folded))
        best: tuple[float, Sentence, dict[str, Any]] | None = None
        for s in sentences:
            for d in s.deadlines:
                if hard and d["kind"] != "before":
                    continue
                if d["kind"] == "date" and re.search(r"[A-ZĐ]{2,}\s*$", s.text[: d["start"] - s.start].rstrip()):
                    continue  # "số 12-CT/TW ngày 05/01/2022": the date a document was issued, not a deadline
                lo, hi = max(0, d["start"] - s.start - 220), d["end"] - s.start + 120
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
        return f"{_cap(text)} [{n}]. Thời hạn/thời gian nêu trong văn bản: {d['text']}."

    def _issue_date(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        for num in self._named_numbers(info, docs, sentences):
            if not num.get("date"):
                continue
            at = self._mention_at(sentences, num)
            for s in ([at] if at else []) + sentences:
                written = _written_date(num["date"], s.text)
                if written and contains_folded(s.text, num["number"]):
                    kind = num.get("kind") or "Văn bản"
                    issuer = f" của {num['issuer']}" if num.get("issuer") else ""
                    return f"{kind} số {num['number']}{issuer} được ban hành ngày {written} [{cites.cite_sentence(s)}]."
        return None

    def _clause_around(self, s: Sentence, d: dict[str, Any]) -> tuple[int, int]:
        """Relative span of the `;`-clause holding the deadline, at most ~360 characters."""
        rel = d["start"] - s.start
        left = s.text.rfind(";", 0, rel) + 1
        right = s.text.find(";", rel)
        right = len(s.text) if right < 0 else right
        if right - left > 360:
            lo = s.text.rfind(", ", left, max(left, rel - 200))
            left = lo + 2 if lo > 0 else max(left, rel - 200)
            hi = s.text.find(", ", d["end"] - s.start, right)
            right = hi if 0 < hi < rel + 200 else min(right, d["end"] - s.start + 120)
        while left < right and s.text[left] in " ,;":
            left += 1
        return left, right

    def _responsibility(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        good = self._good(sentences)
        with_actor = [s for s in good if any(f.get("actor") for f in s.facts)]
        if not with_actor or with_actor[0].coverage < good[0].coverage - 0.02:
            return None  # the best evidence states no duty: answer from its best clause instead
        best = with_actor[0].coverage
        lines: list[str] = []
        for s in with_actor:
            if s.coverage < best * 0.95 or len(lines) >= 4:
                break
            f = next(f for f in s.facts if f.get("actor"))
            lines.append(self._duty_sentence(f, cites.cite_sentence(s)))
        if len(lines) == 1:
            return lines[0]
        return "Theo các văn bản:\n" + "\n".join(f"- {line}" for line in lines)

    def _duty_sentence(self, f: dict[str, Any], n: int) -> str:
        actor, action = f["actor"], shorten(f.get("action") or "")
        deadline = next((d["text"] for d in f.get("deadlines", []) if d["kind"] != "date" and d["text"] not in action), None)
        tail = f" ({deadline})" if deadline else ""
        match f["kind"]:
            case "request" if f.get("requested_by"):
                return f"{_cap(f['requested_by'])} yêu cầu {actor} {action}{tail} [{n}]."
            case "issuance":
                return f"{_cap(shorten(f['sentence']))} [{n}]."
        return f"{_cap(actor)} có trách nhiệm {action}{tail} [{n}]."

    def _general(self, info: QuestionInfo, sentences: list[Sentence], docs: dict[str, DocumentRecord], cites: CitationBuilder) -> str | None:
        if _ASKS_TOPIC.search(info.folded):
            topic = self._topic(info, sentences, docs, cites)
            if topic:
                return topic
        good = self._good(sentences)
        if not good:
            return None
        if _ASKS_QUANTITY.search(info.folded):
            good = [s for s in good if _CARDINAL.search(DATE_RE.sub(" ", DOC_NUMBER_RE.sub(" ", s.text)))]
            if not good:
                return None
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
                    kind = num.get("kind") or "Văn bản"
                    return f"{kind} số {num['number']} có nội dung “{m.group(1).strip()}” [{n}]."
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
            label = f"{doc_kind} số {number}".strip() if doc_kind else number
            if label not in found:
                found.append(label)
        if not found:
            return None
        n = cites.cite_sentence(s)
        return f"Các văn bản được nêu: {', '.join(found)} [{n}]."
