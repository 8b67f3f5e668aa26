"""The text a deadline is searched in, and the calendar helpers every resolver uses (`ingestion.deadlines`)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from vectorstore.analyzer import fold


@dataclass(frozen=True)
class Deadline:
    text: str  # exactly as written: input[start - offset:end - offset] == text
    start: int
    end: int
    kind: str  # before | within | on | period | recurring | time
    date: str | None  # ISO date when one calendar day is determined
    recurrence: str | None  # daily | weekly | monthly | quarterly | semiannual | annual
    relative: bool = False  # counted from an event ("trong 10 ngày làm việc"): no date


@dataclass(frozen=True)
class Doc:
    """The text being searched: original, folded, where folded characters come from, and its issue date."""

    text: str
    folded: str
    where: list[int] | None
    ref: dt.date | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        return (start, end) if self.where is None else (self.where[start], self.where[end])


# kind, date, recurrence, relative; kind "" marks a citation date: it shadows shorter matches, then goes.
Norm = tuple[str, dt.date | None, str | None, bool]

def squash(text: str) -> str:
    return " ".join(text.split())


def folded_text(text: str) -> tuple[str, list[int] | None]:
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


def calendar_day(year: int, month: int, day: int) -> dt.date | None:
    """A calendar day, or None for 31/02 and years outside 1900-2100."""
    try:
        return dt.date(year, month, day) if 1900 <= year <= 2100 else None
    except ValueError:
        return None


def next_on_or_after(month: int, day: int, ref: dt.date | None) -> dt.date | None:
    """A yearless day: its first occurrence on or after the reference date."""
    if ref is None:
        return None
    this_year = calendar_day(ref.year, month, day)
    return this_year if this_year is not None and this_year >= ref else calendar_day(ref.year + 1, month, day)
