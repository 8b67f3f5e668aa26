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
from dataclasses import dataclass

from ingestion.lexicon import deadlines as lx
from vectorstore.analyzer import DOC_NUMBER_RE, fold


@dataclass(frozen=True)
class Deadline:
    text: str  # exactly as written: input[start - offset:end - offset] == text
    start: int
    end: int
    kind: str  # before | within | on | period | recurring | time
    date: str | None  # ISO date when one calendar day is determined
    recurrence: str | None  # daily | weekly | monthly | quarterly | semiannual | annual
    relative: bool = False  # counted from an event ("trong 10 ngày làm việc"): no date


# kind, date, recurrence, relative; kind "" marks a citation date: it shadows shorter matches, then goes.
_Norm = tuple[str, dt.date | None, str | None, bool]
_Resolver = Callable[[re.Match[str], dt.date | None, str], _Norm | None]
_SHADOW = ""

_RULES = [(name, resolver, rec, re.compile(pattern)) for name, resolver, rec, pattern in lx.RULES]
_DATE_PARSERS = [re.compile(p) for p in lx.DATE_PARSERS]
_PERIOD_PARSERS = [(kind, re.compile(p)) for kind, p in lx.PERIOD_PARSERS]
_RECURRENCE = [(re.compile(p), rec) for p, rec in lx.RECURRENCE]
_TRIGGER_KINDS = [(re.compile(p), kind) for p, kind in lx.TRIGGER_KINDS]
_QUALIFIERS = [(re.compile(p), kind, mode) for p, kind, mode in lx.PERIOD_QUALIFIERS]
_DOC_REF = re.compile(lx.DOC_REF_BEFORE)
_CITATION = re.compile(lx.CITATION)
_DOC_KINDS = re.compile(lx.DOC_KINDS)
_CLAUSE_BREAK = re.compile(lx.CLAUSE_BREAK)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The folded text, and where each of its characters comes from (None when one for one)."""
    folded = fold(text)
    if len(folded) == len(text) and not any(unicodedata.combining(ch) for ch in text):
        return folded, None
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):  # decomposed input: a combining mark folds to nothing
        for c in fold(ch):
            chars.append(c)
            where.append(i)
    where.append(len(text))
    return "".join(chars), where


def _day(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _next_on_or_after(month: int, day: int, ref: dt.date | None) -> dt.date | None:
    """A yearless day: its first occurrence on or after the reference date."""
    if ref is None:
        return None
    this_year = _day(ref.year, month, day)
    return this_year if this_year is not None and this_year >= ref else _day(ref.year + 1, month, day)


def _recurrence(text: str) -> str | None:
    return next((rec for pattern, rec in _RECURRENCE if pattern.search(text)), None)


def _trigger_kind(m: re.Match[str], default: str) -> str:
    trig = m.group("trig")
    if not trig:
        return default
    trig = _squash(trig)
    return next((kind for pattern, kind in _TRIGGER_KINDS if pattern.fullmatch(trig)), default)


def _date(piece: str | None, ref: dt.date | None, rec: str | None) -> dt.date | None:
    """A captured date; without a year only a one-off or yearly day gets one (from `ref`)."""
    if not piece:
        return None
    m = next((m for p in _DATE_PARSERS if (m := p.search(piece))), None)
    if m is None:  # a day of a repeating month ("ngày 20 hằng tháng")
        return None
    day, month = int(m["d"]), int(m["m"])
    if m["y"]:
        return _day(int(m["y"]), month, day)
    return _next_on_or_after(month, day, ref) if rec in (None, "annual") else None


def _dated(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    rec = _recurrence(m.group(0))
    return _trigger_kind(m, "before"), _date(m["date"], ref, rec), rec, False


def _range(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    rec = _recurrence(m.group(0))
    return "on", _date(m["date"], ref, rec), rec, False


def _relative(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    return _trigger_kind(m, "within"), None, None, True


def _time(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    if not (m["trig"] or m["date"] or m["rec"]):
        return None  # a bare "12 h" in a table or a dosage
    rec = _recurrence(m.group(0))
    if m["date"]:
        return _trigger_kind(m, "on"), _date(m["date"], ref, rec), rec, False
    return "time", None, rec, False


def _horizon(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    return "period", _day(int(m["yr"]), 12, 31), None, False


def _span(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    return "period", None, None, False


def _period_bounds(piece: str, year: int | None) -> tuple[dt.date, dt.date, bool] | None:
    """First and last day of a captured period, and whether it wrote its own year."""
    text = _squash(piece)
    for kind, pattern in _PERIOD_PARSERS:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        y = int(m["y"]) if m["y"] else year
        if y is None or not 1900 <= y <= 2100:
            return None
        if kind == "year":
            first, last = (1, 1), (12, 31)
        elif kind == "quarter":
            q = lx.QUARTERS[m["q"]]
            first, last = (3 * q - 2, 1), (3 * q, calendar.monthrange(y, 3 * q)[1])
        elif kind == "half":
            n = int(m["n"]) if m["n"].isdigit() else lx.NUMBER_WORDS[m["n"]]
            if not 1 <= n <= 12:
                return None
            months = (1, n) if m["side"] == "dau" else (13 - n, 12)
            first, last = (months[0], 1), (months[1], calendar.monthrange(y, months[1])[1])
        else:
            month = int(m["m"])
            if not 1 <= month <= 12:
                return None
            first, last = (month, 1), (month, calendar.monthrange(y, month)[1])
        return dt.date(y, *first), dt.date(y, *last), bool(m["y"])
    return None


def _period_in(piece: str, ref: dt.date | None) -> tuple[dt.date, dt.date, bool] | None:
    """A period; without a year, the first one that has not ended by the reference date."""
    bounds = _period_bounds(piece, None)
    if bounds is not None or ref is None:
        return bounds
    bounds = _period_bounds(piece, ref.year)
    if bounds is not None and bounds[1] < ref:
        bounds = _period_bounds(piece, ref.year + 1)
    return None if bounds is None else (bounds[0], bounds[1], False)


def _period(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    trig = _squash(m["trig"] or "")
    kind, mode = next((k, md) for pattern, k, md in _QUALIFIERS if pattern.fullmatch(trig))
    wrote_year = bool(re.search(r"\d{4}", m["per"] + (m["per2"] or "")))
    if not trig and (not wrote_year or m["per"].startswith("nam")):
        return None  # "Quý III" as a table heading, "năm 2025" after a document number
    rec = _recurrence(m.group(0))
    first = _period_in(m["per"], ref)
    last = _period_in(m["per2"], ref) if m["per2"] else first
    if first is None or last is None:
        return kind, None, rec, False
    if m["per2"] and mode == "start":
        mode = "end"
    date = {"end": last[1], "prev": first[0] - dt.timedelta(days=1), "start": first[0]}.get(mode or "")
    return kind, date, rec, False


def _recurring(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    return "recurring", None, _recurrence(m.group(0)), False


def _count(text: str) -> int:
    return int(text) if text.isdigit() else lx.NUMBER_WORDS.get(text, 0)


def _every(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    n, unit = (m["n"], m["unit"]) if m["n"] else (m["n2"], m["unit2"])
    return "recurring", None, lx.EVERY.get((_count(n), unit.split()[0])), False


def _per_unit(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    return "recurring", None, lx.TIMES_PER.get((_count(m["n"]), m["unit"])), False


def _cites_document(folded: str, start: int) -> bool:
    """True when the date at `start` is the issue date of a document named just before it."""
    window = folded[max(0, start - 400) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    clause = window[breaks[-1].end() :] if breaks else window
    near = clause[-lx.DOC_REF_WINDOW :]
    if DOC_NUMBER_RE.search(near) or _DOC_REF.search(near):
        return True
    citation = _CITATION.search(clause)  # "Căn cứ Luật ... ngày ...": a citation even without a number
    return citation is not None and _DOC_KINDS.search(clause, citation.end()) is not None


def _plain(m: re.Match[str], ref: dt.date | None, folded: str) -> _Norm | None:
    if _cites_document(folded, m.start()):
        return _SHADOW, None, None, False
    rec = _recurrence(m.group(0))
    return "on", _date(m["date"], ref, rec), rec, False


_RESOLVERS: dict[str, _Resolver] = {
    "dated": _dated, "range": _range, "relative": _relative, "time": _time, "horizon": _horizon,
    "span": _span, "period": _period, "recurring": _recurring, "every": _every, "per_unit": _per_unit,
    "plain": _plain,
}


def find_deadlines(text: str, offset: int = 0, reference: dt.date | None = None) -> list[Deadline]:
    """All deadline/time expressions in `text`, non-overlapping, sorted by start."""
    folded, where = _folded(text)
    candidates: list[tuple[int, int, int, _Norm]] = []
    for order, (_name, resolver, fixed_rec, pattern) in enumerate(_RULES):
        for m in pattern.finditer(folded):
            norm = _RESOLVERS[resolver](m, reference, folded)
            if norm is None:
                continue
            if fixed_rec is not None:
                norm = (norm[0], norm[1], fixed_rec, norm[3])
            start, end = m.span("span") if "span" in pattern.groupindex and m["span"] else m.span()
            candidates.append((start, end, order, norm))
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))  # longest first, then rule order
    taken: list[tuple[int, int, _Norm]] = []
    for start, end, _order, norm in candidates:
        if all(end <= s or e <= start for s, e, _ in taken):
            taken.append((start, end, norm))
    found: list[Deadline] = []
    for start, end, (kind, date, rec, relative) in sorted(taken, key=lambda t: t[0]):
        if kind == _SHADOW:
            continue
        s, e = (start, end) if where is None else (where[start], where[end])
        found.append(
            Deadline(text[s:e], s + offset, e + offset, kind, date.isoformat() if date else None, rec, relative)
        )
    return found
