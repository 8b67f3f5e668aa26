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
    folded = fold(cell).strip()
    if len(folded) > 160:
        return False
    return bool(_TIME_WORDS.match(folded) or find_deadlines(cell))


def _fit(kind: str, part: list[Line], wide: int) -> float:
    """How well a run of lines fits a column; `wide` is the length from which a printed line is full
    (a full line goes on in the next one, whatever that one starts with)."""
    if not part:
        return _EMPTY.get(kind, -0.6)
    body = " ".join(x.text for x in part)
    score = 0.0
    for a, b in zip(part, part[1:], strict=False):  # a wrap inside the cell
        if starts_lower(b.text) or _JOINER.search(fold_aligned(a.text).lower()) or len(a.text) >= wide:
            score += 1.0
        elif a.text[-1:] in ".:" and not starts_lower(b.text):
            score -= 1.5
        else:
            score -= 0.4
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


def split_cells(
    columns: list[str], lines: list[Line], wide: int = 10**6, memo: dict[tuple[str, int, int], float] | None = None
) -> tuple[float, list[Cell]]:
    """The best cut of a row's lines into one run per column (a run may be empty); `memo` keeps the
    fits of runs between calls on the same lines."""
    memo = {} if memo is None else memo
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
    cells: list[Cell] = []
    k = n
    for c in range(m, 0, -1):
        j = back[c][k]
        if j < k:
            cells.append(Cell(columns[c - 1], lines[j].start, lines[k - 1].end))
        k = j
    return best[m][n], cells[::-1]


def best_cells(columns: list[str], content: list[Line], wide: int) -> list[Cell]:
    """The row's cells; a row may hold more lines than one cell per column allows:
    - a second lead with its own supporters under the same action ("Trung ương MTTQ … 2030 / UBND các
      tỉnh …"): the columns from the lead on, once more, after the first copy's time;
    - one body with several sub-tasks (lead and support first, then action / result / time again and
      again): the columns after the bodies, repeated."""
    memo: dict[tuple[str, int, int], float] = {}
    score, cells = split_cells(columns, content, wide, memo)
    if len(content) <= len(columns):
        return cells
    tries: list[tuple[list[str], float]] = []
    if "lead" in columns:
        tries.append((columns + columns[columns.index("lead") :], 2.0))
    actors = [n for n, k in enumerate(columns) if k in ("lead", "support")]
    if actors and "action" in columns and columns.index("action") > actors[-1]:
        tail = columns[actors[-1] + 1 :]
        tries += [(columns + tail * r, 1.0 + 0.5 * r) for r in range(1, 6) if len(columns) + len(tail) * r <= len(content)]
    for extended, margin in tries:
        score2, cells2 = split_cells(extended, content, wide, memo)
        kinds = [c.kind for c in cells2]
        leads = [n for n, k in enumerate(kinds) if k == "lead"]
        # a second lead counts only after the first copy's time
        closed = len(leads) < 2 or "time" not in columns or "time" in kinds[leads[0] : leads[1]]
        if score2 > score + margin and len(leads) <= 2 and closed:
            score, cells = score2 - margin, cells2
    return cells
