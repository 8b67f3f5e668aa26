"""Composition: answers assembled from exact spans of the documents, one `[n]` per claim.

Nothing here writes facts of its own: actors, deadlines and numbers are quoted from the sentence
or the task record that holds them, metadata from where the document states it (the "Số:" line,
the date line, the signature block). Sentences are quoted whole (or as their best clauses when
they run long), never cut at a line wrap: the stored text is already unwrapped.
"""

from __future__ import annotations

import re
from typing import Any

from prompts.phrases import phrase
from qa_service.answering.analysis import Analysis
from qa_service.answering.candidates import Candidate
from qa_service.answering.scoring import typed_spans
from qa_service.citations import CitationBuilder
from qa_service.evidence import Sentence, best_window
from vectorstore.registry import DocumentRecord
from vectorstore.task_rows import TaskActor, TaskFact

QUOTE_CHARS = 420
LIST_ITEMS = 6
# A sentence that announces a list ("… các tiêu chí sau:", "… như sau", "Hình thức khen thưởng:").
# A heading line ("3. Hình thức khen thưởng"): what it heads is the answer.
_HEADING_LINE = re.compile(r"^\s*(?:[IVXLC]+|\d{1,3}(?:\.\d{1,2})*|[a-zđ])[.)]\s+\S+(?:\s+\S+){0,11}\s*$")
_OPENS_LIST = re.compile(r"(?:(?:sau|như sau|gồm|bao gồm|cụ thể)\s*[:.]?|:)\s*$", re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:[-–—•*+]|(?:[IVXLC]+|\d{1,3}(?:\.\d{1,2})*|[a-zđ])[.)])\s*")
_SPACES = re.compile(r"\s+")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def tidy(text: str) -> str:
    return _SPACES.sub(" ", _MARKER.sub("", text)).strip().rstrip(";,:")


def doc_label(rec: DocumentRecord) -> str:
    meta = rec.metadata
    if meta.get("number"):
        return phrase("doc_numbered", kind=meta.get("doc_kind") or phrase("default_kind"), number=meta["number"])
    return phrase("doc_titled", title=rec.title)


def written_date(iso: str, said: str = "") -> str:
    """A date in figures with the document's own digits ("02/12/2025" for "ngày 02 tháng 12 năm 2025",
    "13/9/2025" for "ngày 13 tháng 9 năm 2025"); unpadded when the document's wording is not at hand."""
    y, m, d = iso.split("-")
    for found in _WRITTEN_DATE.finditer(said):
        day, month = found.group("d") or found.group("d2"), found.group("m") or found.group("m2")
        if int(day) == int(d) and int(month) == int(m):
            return f"{day}/{month}/{y}"
    return f"{int(d)}/{int(m)}/{y}"


_WRITTEN_DATE = re.compile(r"(?<!\d)(?:(?P<d>\d{1,2})/(?P<m>\d{1,2})/\d{4}|"
                           r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+\d{4})", re.IGNORECASE)


def own_tasks(tasks: list[TaskFact], body_keys: list[str]) -> list[TaskFact]:
    """The task records in which a body the question names leads or is asked (not only supports)."""
    keys = set(body_keys)
    return [t for t in tasks if any(a.key in keys and a.role != "support" for a in t.actors)]


class Composer:
    def __init__(self, analysis: Analysis, cites: CitationBuilder, docs: dict[str, DocumentRecord]) -> None:
        self.analysis = analysis
        self.cites = cites
        self.docs = docs

    # --- quoting ------------------------------------------------------------------------------------
    def quote(self, cand: Candidate, around: tuple[int, int] | None = None, section: str | None = None) -> str:
        """The candidate sentence (or its best clauses, kept around `around`) with its citation."""
        start, end = cand.start, cand.end
        if end - start > QUOTE_CHARS:
            sent = Sentence(chunk=cand.chunk, text=cand.text, start=cand.start, end=cand.end)
            start, end, _ = best_window(sent, self.analysis.info.content_tokens, max_chars=QUOTE_CHARS,
                                        idf=self.analysis.info.idf)
            if around and not (start <= around[0] and around[1] <= end):
                start, end = max(cand.start, around[0] - QUOTE_CHARS // 2), min(cand.end, around[1] + QUOTE_CHARS // 2)
                start, end = _word_bounds(cand, start, end)
        n = self.cites.cite(cand.chunk, start, end, section)
        quoted = f"{cap(tidy(cand.text[start - cand.start : end - cand.start]))} [{n}]"
        if end == cand.end and (_OPENS_LIST.search(cand.text) or _HEADING_LINE.match(cand.text)):
            quoted += self._list_after(cand)
        return quoted

    def _list_after(self, cand: Candidate) -> str:
        """"… phải đáp ứng các tiêu chí sau:" — the answer is the list that follows: its items
        (up to LIST_ITEMS lines, within the chunk that holds them), cited as one span."""
        rec = self.docs.get(cand.doc_id)
        if rec is None:
            return ""
        text = rec.text
        start = cand.end
        while start < len(text) and text[start] in " :\n":
            start += 1
        limit = min(len(text), start + 2 * QUOTE_CHARS, self.cites.chunk_end(rec, start) or start)
        lines: list[tuple[int, int]] = []
        pos = start
        while pos < limit and len(lines) < LIST_ITEMS:
            nl = text.find("\n", pos)
            nl = limit if nl < 0 or nl > limit else nl
            if text[pos:nl].strip():
                lines.append((pos, nl))
            pos = nl + 1
        if not lines:
            return ""
        n = self.cite_span(rec, lines[0][0], lines[-1][1])
        items = "\n".join(f"  - {tidy(text[a:b])}" for a, b in lines)
        return f":\n{items}" + (f" [{n}]" if n else "")

    def cite_span(self, rec: DocumentRecord, start: int, end: int) -> int | None:
        try:
            return self.cites.cite_span(rec, start, end)
        except LookupError:
            return None

    # --- by answer type -----------------------------------------------------------------------------
    def metadata(self, kind: str, rec: DocumentRecord) -> str | None:
        meta = rec.metadata
        spans: dict[str, Any] = meta.get("spans") or {}
        label = doc_label(rec)
        match kind:
            case "signer" if meta.get("signer"):
                who = " ".join(x for x in (meta.get("signing_authority"), meta.get("signer_title")) if x)
                n = self._span_cite(rec, spans.get("signer"))
                return phrase("signed_by", label=label, who=who + " " if who else "", signer=meta["signer"], cite=n)
            case "issuer" if meta.get("issuer"):
                n = self._span_cite(rec, spans.get("issuer") or spans.get("number"))
                return phrase("issued_by", label=label, issuer=meta["issuer"], cite=n)
            case "issue_date" | "published" if rec.published and spans.get("published"):
                span = spans["published"]
                n = self._span_cite(rec, span)
                said = rec.text[int(span[0]):int(span[1])]
                return phrase("issued_on", label=label, date=written_date(rec.published, said), cite=n)
            case "recipients" if meta.get("recipients"):
                n = self._span_cite(rec, _addressee_span(rec.text, meta["recipients"]))
                return phrase("sent_to", label=label, recipients="; ".join(meta["recipients"]), cite=n)
            case "doc_number" if meta.get("number"):
                n = self._span_cite(rec, spans.get("number"))
                return phrase("number_of", title=rec.title, number=meta["number"], cite=n)
        return None

    def _span_cite(self, rec: DocumentRecord, span: Any) -> str:
        if not span:
            return ""
        n = self.cite_span(rec, int(span[0]), int(span[1]))
        return f" [{n}]" if n else ""

    def actor(self, cand: Candidate) -> str:
        """Who leads and who supports, from the task the sentence states, then the sentence."""
        task = next((t for t in cand.tasks if t.actors), None)
        if task is None:
            return self.quote(cand)
        leads = [a for a in task.actors if a.role in ("lead", "assignee")]
        supports = [a for a in task.actors if a.role == "support"]
        parts = []
        if leads:
            parts.append(phrase("leads" if any(a.role == "lead" for a in leads) else "doers", names=_names(leads)))
        if supports:
            parts.append(phrase("supports", names=_names(supports)))
        head = "; ".join(parts)
        # A doer named by the heading above the sentence is cited through the sentence's section path
        # (one claim, one citation), not by a second citation of the bare heading.
        section = task.section or None
        line = f"{cap(head)}: {self.quote(cand, section=section)}." if head else self.quote(cand, section=section)
        return self._task_deadline(cand, line) if self.analysis.asks("deadline") else line

    def deadline(self, cand: Candidate) -> str:
        spans = typed_spans(self.analysis, cand)
        line = self.actor(cand) if cand.tasks else self.quote(cand, spans[0] if spans else None)
        written = [d.text for d in cand.deadlines]
        if written and not any(_in(w, line) for w in written[:1]):
            line += phrase("deadline_note", deadline=written[0], cite="")
        return self._task_deadline(cand, line)

    def _task_deadline(self, cand: Candidate, line: str) -> str:
        """Add the task's deadline when it is written outside the sentence (a field line) and the
        sentence states none of its own."""
        own = [t for t in cand.tasks if cand.start <= t.start < cand.end and t.deadline is not None]
        if not own and any(_in(d.text, line) for d in cand.deadlines):
            return line  # the item around the sentence has its own time; the sentence states one itself
        task = next(iter(own), None) or next((t for t in cand.tasks if t.deadline is not None), None)
        rec = self.docs.get(cand.doc_id)
        if task and task.deadline is not None and rec is not None and not _in(task.deadline.text, line):
            d = task.deadline  # written in the item's field line, outside this sentence
            stop = "." if line.endswith(".") else ""
            span = (d.start, d.end) if d.start is not None and d.end is not None else None
            note = phrase("deadline_note", deadline=_SPACES.sub(" ", d.text), cite=self._span_cite(rec, span))
            line = line.removesuffix(".") + note + stop
        return line

    def tasks_of(self, rec: DocumentRecord, tasks: list[TaskFact], cands: dict[int, Candidate],
                 keys: list[str] | None = None) -> str | None:
        """"Sở Tài chính phải làm gì?": the body's tasks in the document, each cited, with deadlines."""
        keys = self.analysis.body_keys if keys is None else keys
        mine = own_tasks(tasks, keys)
        if not mine:
            return None
        lines = []
        for t in sorted(mine, key=lambda t: t.start)[:6]:
            cand = cands.get(t.start)
            if cand is None:
                continue
            line = self.quote(cand)
            if t.deadline is not None and not _in(t.deadline.text, line):
                line += phrase("deadline_note", deadline=t.deadline.text, cite="")
            lines.append(line)
        if not lines:
            return None
        body = self.analysis.bodies[self.analysis.body_keys.index(keys[0])]
        return phrase("body_tasks", body=body, label=doc_label(rec)) + "\n" + "\n".join(f"- {ln}" for ln in lines)


_ADDRESSED = re.compile(r"Kính\s+gửi\s*:?", re.IGNORECASE)


def _addressee_span(text: str, names: list[str]) -> tuple[int, int] | None:
    """The "Kính gửi:" line and the addressees after it, as the document writes them."""
    found = _ADDRESSED.search(text)
    if found is None:
        return None
    end = found.end()
    for name in names:  # names are unwrapped; the text may wrap them, so find their last word
        last = name.split()[-1] if name.split() else ""
        at = text.find(last, end) if last else -1
        if 0 <= at < found.end() + 80 * (len(names) + 2):
            end = at + len(last)
    return found.start(), end


def _names(actors: list[TaskActor]) -> str:
    names = list(dict.fromkeys(" ".join(a.name.split()) for a in actors))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def _in(needle: str, hay: str) -> bool:
    return " ".join(needle.split()).lower() in " ".join(hay.split()).lower()


def _word_bounds(cand: Candidate, start: int, end: int) -> tuple[int, int]:
    text = cand.text
    s, e = start - cand.start, end - cand.start
    while s > 0 and not text[s - 1].isspace():
        s -= 1
    while e < len(text) and not text[e].isspace():
        e += 1
    return cand.start + s, cand.start + e
