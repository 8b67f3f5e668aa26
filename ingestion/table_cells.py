"""Cutting a table row's printed lines into cells: which run of lines fits which column.

A row of a flattened table is a run of lines, one cell after the other, a long cell wrapped over
several lines. Every column kind scores how well a run of lines fits it (bodies for chủ trì / phối
hợp, a time expression for the deadline, a wrap inside a cell: a next line in lower case, a line
ending in "và" or ",", a full-width line); a small dynamic programme picks the best cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingestion.actors import find_actors
from ingestion.assignment_fields import fold_aligned
from ingestion.deadlines import find_deadlines
from ingestion.lexicon import tables as lex
from vectorstore.analyzer import fold

_JOINER = re.compile(lex.CELL_JOINERS)
_TIME_WORDS = re.compile(lex.TIME_WORDS)
_BULLET = re.compile(lex.CELL_BULLET)
# What an empty cell costs: a row without its lead or action is unlikely, without supporters common.
_MAX_CELL_LINES = 14  # longer cells are rare; the bound keeps a long row's cut cheap
_EMPTY = {"lead": -3.0, "action": -6.0, "support": -0.6, "time": -1.2, "other": -0.6}


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str  # stripped, as printed


@dataclass
class Cell:
    kind: str
    start: int
    end: int


def starts_lower(s: str) -> bool:
    first = next((ch for ch in s if ch.isalnum()), "")
    return first.islower()


@lru_cache(maxsize=8192)
def _coverage(cell: str) -> float:
    """Share of a cell's letters that belong to bodies find_actors recognises."""
    letters = sum(ch.isalpha() for ch in cell)
    if not letters:
        return 0.0
    covered = sum(sum(ch.isalpha() for ch in a.name) for a in find_actors(cell))
    return covered / letters


@lru_cache(maxsize=8192)
def _looks_time(cell: str) -> bool:
    if len(cell) > 480:  # NFC text folds to about its own length: far past the bound below
        return False
    folded = fold(cell).strip()
    if len(folded) > 160:
        return False
    if bullet := _BULLET.match(folded):
        return bool(_TIME_WORDS.match(folded[bullet.end() :]))
    if _TIME_WORDS.match(folded):
        return True
    # an undated span of years ("cho giai đoạn 2026 - 2030") late in a sentence is what an action covers
    return any(d.date or d.kind != "period" or len(cell[: d.start].split()) <= lex.PERIOD_CELL_LEAD_WORDS
               for d in find_deadlines(cell))


@lru_cache(maxsize=16384)
def _wrap(a: str, b: str, wide: int) -> float:
    """Line b going on with line a inside one cell: likely (lower-case start, a joiner word, a full
    line), unlikely (a ends a sentence and b starts a new one), or neither."""
    if starts_lower(b) or _JOINER.search(fold_aligned(a).lower()) or len(a) >= wide:
        return 1.0
    if a[-1:] in ".:":
        return -1.5
    return -0.4


def _fit(kind: str, part: list[Line], wide: int) -> float:
    """How well a run of lines fits a column; `wide` is the length from which a printed line is full
    (a full line goes on in the next one, whatever that one starts with)."""
    if not part:
        return _EMPTY.get(kind, -0.6)
    body = " ".join(x.text for x in part)
    score = sum(_wrap(a.text, b.text, wide) for a, b in zip(part, part[1:], strict=False))
    if len(part[-1].text) >= wide and part[-1].text[-1:] not in ".;:":
        score -= 1.0  # a full line ending a cell
    if starts_lower(part[0].text):
        score -= 1.0 if kind == "support" else 3.0
    cover = _coverage(body) if kind in ("lead", "support", "action", "other") else 0.0
    if kind == "lead":
        score += 4.0 * cover - 1.5
    elif kind == "support":
        score += 3.0 * cover - 1.0
    elif kind == "time":
        score += 3.0 if _looks_time(body) else -3.0
        score -= 0.5 * (len(part) - 1)
    elif kind == "action":
        score += 0.5 - (3.0 if cover > 0.7 else 0.0)
    else:
        score -= (1.0 if cover > 0.7 else 0.0) + (1.0 if _looks_time(body) else 0.0)
    return score


_Memo = dict[tuple[str, int, int], float]


def _dp(columns: list[str], lines: list[Line], wide: int, memo: _Memo) -> tuple[list[list[float]], list[list[int]]]:
    """best[c][k]: the best score of the first k lines cut into the first c columns; back: the cut."""
    n, m = len(lines), len(columns)
    neg = float("-inf")
    best = [[neg] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for c in range(1, m + 1):
        for k in range(n + 1):
            for j in range(max(0, k - _MAX_CELL_LINES), k + 1):
                if best[c - 1][j] == neg:
                    continue
                key = (columns[c - 1], j, k)
                if key not in memo:
                    memo[key] = _fit(columns[c - 1], lines[j:k], wide)
                s = best[c - 1][j] + memo[key]
                if s > best[c][k]:
                    best[c][k], back[c][k] = s, j
    return best, back


def _trace(columns: list[str], lines: list[Line], back: list[list[int]], m: int) -> list[Cell]:
    """The cells of the best cut of every line into the first m columns."""
    cells: list[Cell] = []
    k = len(lines)
    for c in range(m, 0, -1):
        j = back[c][k]
        if j < k:
            cells.append(Cell(columns[c - 1], lines[j].start, lines[k - 1].end))
        k = j
    return cells[::-1]


def split_cells(columns: list[str], lines: list[Line], wide: int = 10**6, memo: _Memo | None = None) -> tuple[float, list[Cell]]:
    """The best cut of a row's lines into one run per column (a run may be empty); `memo` keeps the
    fits of runs between calls on the same lines."""
    best, back = _dp(columns, lines, wide, {} if memo is None else memo)
    return best[len(columns)][len(lines)], _trace(columns, lines, back, len(columns))


def _repeated_tail(columns: list[str], tail: list[str], lines: list[Line], wide: int, memo: _Memo) -> tuple[float, list[Cell]] | None:
    """The best cut with the tail columns written again r ≥ 1 times, each time costing 0.5 more than
    the last (1.0 + 0.5·r in all): one table for every r, read at each copy's end."""
    repeats = len(lines) // max(1, len(tail))
    if repeats < 1:
        return None
    extended = columns + tail * repeats
    best, back = _dp(extended, lines, wide, memo)
    options = [(best[len(columns) + len(tail) * r][len(lines)] - 1.0 - 0.5 * r, r) for r in range(1, repeats + 1)]
    score, r = max(options)
    if score == float("-inf"):
        return None
    return score, _trace(extended, lines, back, len(columns) + len(tail) * r)


def best_cells(columns: list[str], content: list[Line], wide: int) -> list[Cell]:
    """The row's cells; a row may hold more lines than one cell per column allows:
    - a second lead with its own supporters under the same action ("Trung ương MTTQ … 2030 / UBND các
      tỉnh …"): the columns from the lead on, once more, after the first copy's time;
    - one body with several sub-tasks (lead and support first, then action / result / time again and
      again, the bodies' cells spanning every sub-row): the columns after the bodies, repeated as often
      as the lines allow."""
    memo: _Memo = {}
    score, cells = split_cells(columns, content, wide, memo)
    if len(content) <= len(columns):
        return cells
    if "lead" in columns:
        extended = columns + columns[columns.index("lead") :]
        score2, cells2 = split_cells(extended, content, wide, memo)
        kinds = [c.kind for c in cells2]
        leads = [n for n, k in enumerate(kinds) if k == "lead"]
        # a second lead counts only after the first copy's time
        closed = len(leads) < 2 or "time" not in columns or "time" in kinds[leads[0] : leads[1]]
        if score2 > score + 2.0 and len(leads) <= 2 and closed:
            score, cells = score2 - 2.0, cells2
    actors = [n for n, k in enumerate(columns) if k in ("lead", "support")]
    if actors and "action" in columns and columns.index("action") > actors[-1]:
        # the sub-rows repeat the columns after the bodies, or only those from the action on (a group
        # column between them spanning every sub-row, as the bodies do)
        tails = [columns[actors[-1] + 1 :], columns[columns.index("action") :]]
        for tail in [t for i, t in enumerate(tails) if t not in tails[:i]]:  # in order: ties go to the first
            found = _repeated_tail(columns, tail, content, wide, memo)
            if found is not None and found[0] > score and [c.kind for c in found[1]].count("lead") <= 1:
                score, cells = found
    return cells
