"""Deadlines in official documents: every time expression, its exact span and a normalised date.

Documents assign tasks "trước ngày 30/11/2025", "trong quý I/2026", "hằng tháng" or "trong 10 ngày làm
việc"; answering "by when?" needs the phrase as written (to quote it) and a calendar date (to sort and
compare). The phrasings are data (`ingestion.lexicon.deadlines`); this module runs those patterns on the
folded text, settles overlaps (longest wins) and turns the captured pieces into dates. A missing year
comes from the document's issue date (`reference`): the first such day on or after it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from ingestion.deadline_text import Deadline, Doc, Norm, calendar_day, folded_text, next_on_or_after, squash
from ingestion.lexicon import deadlines as lx
from vectorstore.analyzer import DOC_NUMBER_RE, fold

__all__ = ["Deadline", "find_deadlines"]

_Resolver = Callable[[re.Match[str], Doc], Norm | None]
_SHADOW = ""

_RULES = [(name, resolver, rec, re.compile(pattern)) for name, resolver, rec, pattern in lx.RULES]
_DATE_PARSERS = [re.compile(p) for p in lx.DATE_PARSERS]
_PERIOD_PARSERS = [(kind, re.compile(p)) for kind, p in lx.PERIOD_PARSERS]
_RECURRENCE = [(re.compile(p), rec) for p, rec in lx.RECURRENCE]
_REC_BEFORE = [(re.compile(p), rec) for p, rec in lx.REC_BEFORE]
_TRIGGER_KINDS = [(re.compile(p), kind) for p, kind in lx.TRIGGER_KINDS]
_QUALIFIERS = [(re.compile(p), kind, mode) for p, kind, mode in lx.PERIOD_QUALIFIERS]
_DOC_REF = re.compile(lx.DOC_REF_BEFORE)
_CITATION = re.compile(lx.CITATION)
_DOC_KINDS = re.compile(lx.DOC_KINDS)
_CLAUSE_BREAK = re.compile(lx.CLAUSE_BREAK)
_ISSUE_LINE = re.compile(lx.ISSUE_LINE)
_DOC_NAMED = re.compile(lx.DOC_NAMED)
_SPAN_CELL_LEAD = re.compile(lx.SPAN_CELL_LEAD)
_SENTENCE_END = re.compile(r"\s*[.;]\s+\S")


def _next_day_of_month(piece: str, ref: dt.date | None) -> dt.date | None:
    """ "ngày 20 hằng tháng" from 25/11/2025 → 20/12/2025; a quarter's day ("10 tháng đầu hàng quý") has none."""
    day = re.match(r"\D*(\d{1,2})", piece)
    if ref is None or day is None or "quy" in fold(piece):
        return None
    this_month = calendar_day(ref.year, ref.month, int(day[1]))
    if this_month is not None and this_month >= ref:
        return this_month
    following = ref.replace(day=1) + dt.timedelta(days=32)
    return calendar_day(following.year, following.month, int(day[1]))


def _recurrence(m: re.Match[str], doc: Doc) -> str | None:
    """The repetition written in the match, else one named just before its parenthesis ("hằng năm (trước ...")."""
    found = next((rec for pattern, rec in _RECURRENCE if pattern.search(m.group(0))), None)
    before = doc.folded[max(0, m.start() - 30) : m.start()]
    return found or next((rec for pattern, rec in _REC_BEFORE if pattern.search(before)), None)


def _trigger_kind(m: re.Match[str], default: str) -> str:
    trig = m.group("trig")
    if not trig:
        return default
    trig = squash(trig)
    return next((kind for pattern, kind in _TRIGGER_KINDS if pattern.fullmatch(trig)), default)


def _date(piece: str | None, ref: dt.date | None) -> dt.date | None:
    """A captured date; without a year, its next occurrence from `ref`; a bare day of a month has none."""
    if not piece:
        return None
    m = next((m for p in _DATE_PARSERS if (m := p.search(piece))), None)
    if m is None:  # a day of a repeating month ("ngày 20 hằng tháng"): its first one from `ref`
        return _next_day_of_month(piece, ref)
    day, month = int(m["d"]), int(m["m"])
    if m["y"]:
        return calendar_day(int(m["y"]), month, day)
    return next_on_or_after(month, day, ref)


def _dated(m: re.Match[str], doc: Doc) -> Norm | None:
    return _trigger_kind(m, "before"), _date(m["date"], doc.ref), _recurrence(m, doc), False


def _range(m: re.Match[str], doc: Doc) -> Norm | None:
    return "on", _date(m["date"], doc.ref), _recurrence(m, doc), False


def _relative(m: re.Match[str], doc: Doc) -> Norm | None:
    return _trigger_kind(m, "within"), None, None, True


def _time(m: re.Match[str], doc: Doc) -> Norm | None:
    if not (m["trig"] or m["date"] or m["rec"]):
        return None  # a bare "12 h" in a table or a dosage
    kind = _trigger_kind(m, "on") if m["date"] else "time"  # a clock time on a given day is a dated limit
    return kind, _date(m["date"], doc.ref), _recurrence(m, doc), False


def _horizon(m: re.Match[str], doc: Doc) -> Norm | None:
    return "period", calendar_day(int(m["yr"]), 12, 31), None, False


def _span(m: re.Match[str], doc: Doc) -> Norm | None:
    """A span of years is the task's time limit, due at its last day, when written as the time to finish
    in ("trong giai đoạn 2026 - 2027") or alone in a time cell ("Giai đoạn 2026 - 2030"); not when
    it runs on ("… và những năm tiếp theo") or had begun before the document (a review of past years)."""
    first, last = (int(y) for y in re.findall(r"\d{4}", m.group(0))[:2])
    # Alone in its text (a time cell), or ending the cell's first sentence ("Giai đoạn 2026 - 2027. Thực
    # hiện rà soát … (nếu có)": a note after the time), and not a capitals title ("GIAI ĐOẠN 05 NĂM 2026 – 2028").
    tail = doc.folded[m.end() :]
    cell = (
        _SPAN_CELL_LEAD.fullmatch(doc.folded[: m.start()]) is not None
        and (not tail.strip(" .,;:\n") or _SENTENCE_END.match(tail) is not None)
        and any(c.islower() for c in doc.text)
    )
    begun = doc.ref is not None and first < doc.ref.year
    if m["open"] or begun or not (m["trig"] or cell):
        return "period", None, None, False
    return ("within" if m["trig"] else "period"), calendar_day(last, 12, 31), None, False


def _period_bounds(piece: str, year: int | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a captured period; `year` when it does not write one."""
    text = squash(piece)
    m = next((m for _, p in _PERIOD_PARSERS if (m := p.fullmatch(text))), None)
    y = int(m["y"]) if m and m["y"] else year
    if m is None or y is None or not 1900 <= y <= 2100:
        return None
    groups = m.groupdict()
    if groups.get("q"):  # quarter
        months = (3 * lx.QUARTERS[m["q"]] - 2, 3 * lx.QUARTERS[m["q"]])
    elif groups.get("side"):  # first or last N months of the year
        n = _count(m["n"])
        months = (1, n) if m["side"] == "dau" else (13 - n, 12)
    elif groups.get("m"):  # month
        months = (int(m["m"]), int(m["m"]))
    else:  # year
        months = (1, 12)
    if not 1 <= months[0] <= months[1] <= 12:
        return None
    return dt.date(y, months[0], 1), dt.date(y, months[1], calendar.monthrange(y, months[1])[1])


def _period_in(piece: str, ref: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """A period; without a year, the first one that has not ended by the reference date."""
    bounds = _period_bounds(piece, None)
    if bounds is not None or ref is None:
        return bounds
    bounds = _period_bounds(piece, ref.year)
    return _period_bounds(piece, ref.year + 1) if bounds is not None and bounds[1] < ref else bounds


def _period(m: re.Match[str], doc: Doc) -> Norm | None:
    trig = squash(m["trig"] or "")
    kind, mode = next((k, md) for pattern, k, md in _QUALIFIERS if pattern.fullmatch(trig))
    wrote_year = bool(re.search(r"\d{4}", m["per"] + (m["per2"] or "")))
    if not trig and (not wrote_year or m["per"].startswith("nam")):
        return None  # "Quý III" as a table heading, "năm 2025" after a document number
    rec = _recurrence(m, doc)
    first = _period_in(m["per"], doc.ref)
    last = _period_in(m["per2"], doc.ref) if m["per2"] else first
    if first is None or last is None:
        return kind, None, rec, False
    mode = "end" if m["per2"] and mode == "start" else mode  # "từ tháng 10 đến tháng 12/2025": its end
    date = {"end": last[1], "prev": first[0] - dt.timedelta(days=1), "start": first[0]}.get(mode or "")
    return kind, date, rec, False


def _recurring(m: re.Match[str], doc: Doc) -> Norm | None:
    return "recurring", None, _recurrence(m, doc), False


def _count(text: str) -> int:
    return int(text) if text.isdigit() else lx.NUMBER_WORDS.get(text, 0)


def _every(m: re.Match[str], doc: Doc) -> Norm | None:
    n, unit = (m["n"], m["unit"]) if m["n"] else (m["n2"], m["unit2"])
    return "recurring", None, lx.EVERY.get((_count(n), unit.split()[0])), False


def _per_unit(m: re.Match[str], doc: Doc) -> Norm | None:
    return "recurring", None, lx.TIMES_PER.get((_count(m["n"]), m["unit"])), False


def _issue_line(doc: Doc, start: int) -> bool:
    """True when the date at `start` follows "Hà Nội, " at the start of a line: this document's own date."""
    line = doc.folded.rfind("\n", 0, start) + 1
    m = _ISSUE_LINE.fullmatch(doc.folded, line, start)
    if m is None:
        return False
    place = doc.text[slice(*doc.span(*m.span("place")))]
    return all(w[0].isupper() or fold(w) in lx.PLACE_LOWER_WORDS for w in place.split())


def _cites_document(doc: Doc, start: int, triggered: bool) -> bool:
    """True when the date at `start` is the issue date of a document named just before it, or of this one."""
    if not triggered and _issue_line(doc, start):
        return True
    folded = doc.folded
    window = folded[max(0, start - 400) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    clause = window[breaks[-1].end() :] if breaks else window
    near = clause[-lx.DOC_REF_WINDOW :]
    if DOC_NUMBER_RE.search(near) or _DOC_REF.search(near) or not triggered and _DOC_NAMED.search(near):
        return True
    if triggered:
        return False
    # "Căn cứ Luật ... ngày ...": a citation even without a number
    citation = _CITATION.search(clause, max(0, len(clause) - lx.CITATION_REACH))
    return citation is not None and _DOC_KINDS.search(clause, citation.end()) is not None


def _plain(m: re.Match[str], doc: Doc) -> Norm | None:
    if _cites_document(doc, m.start(), bool(m["trig"])):
        return _SHADOW, None, None, False
    rec = _recurrence(m, doc)
    return "on", _date(m["date"], doc.ref), rec, False


_RESOLVERS: dict[str, _Resolver] = {
    "dated": _dated, "range": _range, "relative": _relative, "time": _time, "horizon": _horizon,
    "span": _span, "period": _period, "recurring": _recurring, "every": _every, "per_unit": _per_unit,
    "plain": _plain,
}


def _written_as_folded(m: re.Match[str], doc: Doc) -> bool:
    """False when the trigger only looks right once folded ("đầu tư năm 2025" is not "từ năm 2025")."""
    if "trig" not in m.re.groupindex or not m["trig"]:
        return True
    allowed = lx.WRITTEN_AS.get(squash(m["trig"]))
    if allowed is None:
        return True
    start, end = doc.span(*m.span("trig"))
    return squash(unicodedata.normalize("NFC", doc.text[start:end]).lower()) in allowed


def find_deadlines(text: str, offset: int = 0, reference: dt.date | None = None) -> list[Deadline]:
    """All deadline/time expressions in `text`, non-overlapping, sorted by start."""
    doc = Doc(text, *folded_text(text), reference)
    candidates: list[tuple[int, int, int, Norm]] = []
    for order, (_name, resolver, fixed_rec, pattern) in enumerate(_RULES):
        for m in pattern.finditer(doc.folded):
            norm = _RESOLVERS[resolver](m, doc) if _written_as_folded(m, doc) else None
            if norm is None:
                continue
            if fixed_rec is not None:
                norm = (norm[0], norm[1], fixed_rec, norm[3])
            start, end = m.span("span") if "span" in pattern.groupindex and m["span"] else m.span()
            candidates.append((start, end, order, norm))
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))  # longest first, then rule order
    taken: list[tuple[int, int, Norm]] = []
    for start, end, _order, norm in candidates:
        if all(end <= s or e <= start for s, e, _ in taken):
            taken.append((start, end, norm))
    found: list[Deadline] = []
    for start, end, (kind, date, rec, relative) in sorted(taken, key=lambda t: t[0]):
        if kind == _SHADOW:
            continue
        s, e = doc.span(start, end)
        found.append(
            Deadline(text[s:e], s + offset, e + offset, kind, date.isoformat() if date else None, rec, relative)
        )
    return found
