"""Flattened task tables: "TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn" one cell a line.

Plans put their tasks in a table (often in the Phụ lục); a copy from PDF or DOCX keeps one cell per
line, a long cell wrapped over several. The reader works on the printed lines (before unwrapping):
it finds a header whose cells name the columns (lexicon/tables.py), cuts the rows at their numbers
("1", "2", "I.", "a)", numbered in sequence so that a cell holding "2025" opens no row), and splits
each row's lines into cells (ingestion.table_cells).

The cells are exact spans of the text; ingestion.table_tasks turns rows into tasks and tells the
unwrapper which line breaks separate cells (kept) and which wrap a cell (joined).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.lexicon import tables as lex
from ingestion.table_cells import Cell, Line, best_cells, starts_lower
from vectorstore.analyzer import fold

_COLUMNS = [(kind, re.compile(p)) for kind, p in lex.HEADER_COLUMNS]
_NOISE = re.compile(lex.HEADER_NOISE)
_ROW = re.compile(lex.ROW_NUMBER)
_GROUP_INLINE = re.compile(lex.GROUP_INLINE)
_STOP = re.compile(lex.TABLE_STOP)
_NEXT_PART = re.compile(lex.NEXT_PART)
_MAX_HEADER_LINES = 20
_MAX_ROW_LINES = 50  # a body over several sub-rows (one per action) runs long; longer rows cut badly
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass
class Row:
    number: str
    start: int  # the number's line
    end: int
    cells: list[Cell] = field(default_factory=list)
    group: bool = False  # a heading row over the rows below ("I. HOÀN THIỆN THỂ CHẾ")

    def cell(self, kind: str) -> Cell | None:
        return next((c for c in self.cells if c.kind == kind), None)

    def all(self, kind: str) -> list[Cell]:
        return [c for c in self.cells if c.kind == kind]


@dataclass
class TaskTable:
    start: int
    end: int
    columns: list[str]
    header: list[tuple[int, int]]  # header cells' spans
    rows: list[Row]


def _lines(text: str) -> list[Line | None]:
    """Printed lines; None for a blank one."""
    out: list[Line | None] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        out.append(Line(pos + lead, pos + lead + len(stripped), stripped) if stripped else None)
        pos += len(raw) + 1
    return out


def _column(cell: str) -> str | None:
    folded = " ".join(_NOISE.sub(" ", fold(cell)).replace("\u00a0", " ").split()).strip(" .:;")
    return next((kind for kind, p in _COLUMNS if p.fullmatch(folded)), None)


def _is_row_start(s: str) -> bool:
    return bool(_ROW.match(s) or _GROUP_INLINE.match(s))


def _header(lines: list[Line | None], i: int) -> tuple[list[str], list[tuple[int, int]], int] | None:
    """The header starting at line i: its column kinds, cell spans and the first row's line."""
    first = lines[i]
    if first is None or _column(first.text) not in ("no", "action", "lead"):
        return None
    cells: list[list[Line]] = []
    j = i
    while j < len(lines) and j - i < _MAX_HEADER_LINES:
        line = lines[j]
        if line is None or (cells and _is_row_start(line.text)):
            break
        if cells and (starts_lower(line.text) or _column(" ".join(x.text for x in cells[-1]) + " " + line.text)
                      and not _column(line.text)):
            cells[-1].append(line)  # "Thời gian thực / hiện", "Cơ quan chủ trì / thực hiện"
        else:
            cells.append([line])
        j += 1
    if j >= len(lines) or lines[j] is None or not _is_row_start(lines[j].text):  # type: ignore[union-attr]
        return None
    kinds = [_column(" ".join(x.text for x in c)) for c in cells]
    if any(k is None for k in kinds) or "action" not in kinds or "lead" not in kinds or kinds[0] != "no":
        return None
    spans = [(c[0].start, c[-1].end) for c in cells]
    cols = [k for k in kinds if k is not None]
    for n in range(len(cols) - 1, 0, -1):  # "Cơ quan thực hiện" spanning "Chủ trì | Phối hợp"
        if cols[n - 1] == "lead" and cols[n] == "lead":
            del cols[n - 1], spans[n - 1]
    return cols, spans, j


def _roman(s: str) -> int:
    values = [_ROMAN[ch] for ch in s]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _follows(last: str | None, letter: str, restart: bool) -> bool:
    """Is `letter` the next one after `last` ("c" after "b"; "g" after "e" in the Vietnamese alphabet,
    "e" after "d" when a list skips "đ")? With `restart`, an "a" opens a new run."""
    if last is None or (restart and letter == "a"):
        return letter == "a"
    for order in lex.LETTER_ORDERS:
        i, j = order.find(last), order.find(letter)
        if i >= 0 and j == i + 1 or (i >= 0 and j == i + 2 and order[i + 1] == "đ"):
            return True
    return False


class _Numbering:
    """Row numbers run in sequence per style; a number out of sequence is a cell's content."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.letter: dict[str, str] = {}  # the last letter per lettered style

    def _styles(self, s: str) -> list[tuple[str, str, bool]]:
        """Every (style, value, inline) reading of `s`: "C." is Roman 100 or the letter after "B."."""
        m = _ROW.match(s) or _GROUP_INLINE.match(s)
        if not m:
            return []
        style = next(k for k, v in m.groupdict().items() if v)
        value, inline = m.group(style), m.re is _GROUP_INLINE
        out = [(style, value, inline)]
        if style == "roman" and len(value) == 1 and s[1:2] == ".":
            out.append(("upper", value, inline))
        return out

    def peek(self, s: str) -> tuple[str, int, bool] | None:
        """(style, value, inline group title) when `s` opens the next row; a reading that goes on with
        a run ("I." after "H.") wins over one that opens a new run (Roman I)."""
        found: list[tuple[bool, tuple[str, int, bool]]] = []
        for style, value, inline in self._styles(s):
            last = self.last.get(style, 0)
            if style == "num":
                n = int(value)
                ok = n == last + 1 or (n == 1 and "num" in self.last)
            elif style == "roman":
                n = _roman(value)
                ok = n == last + 1
            elif style in ("upper", "alpha"):
                ok = _follows(self.letter.get(style), value.lower(), restart=style == "alpha")
                n = 1 if value.lower() == "a" else last + 1
            else:
                n, ok = 0, True
            if ok:
                found.append((n == 1, (style, n, inline)))
        return min(found, key=lambda f: f[0])[1] if found else None

    def accept(self, s: str) -> tuple[str, int, bool] | None:
        found = self.peek(s)
        if found is not None:
            self.last[found[0]] = found[1]
            if found[0] in ("upper", "alpha"):
                self.letter[found[0]] = s.split(maxsplit=1)[0].rstrip(".)").lower()
            if found[0] in ("roman", "upper"):
                self.last.pop("alpha", None)
                self.letter.pop("alpha", None)
        return found


def _is_title(s: str) -> bool:
    letters = [ch for ch in s if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _row(columns: list[str], number: Line, opened: tuple[str, int, bool], body: list[Line], wide: int) -> list[Row]:
    """The row opened by `number` (two when a lettered group's title heads its only row)."""
    style, _, inline = opened
    marker = number.text.split()[0]
    row = Row(marker, number.start, (body[-1] if body else number).end)
    content = body
    if inline:  # "II. HOÀN" + "THIỆN CƠ CHẾ …": the title written after its number
        title = number.text[len(marker) :].strip()
        content = [Line(number.end - len(title), number.end, title), *body]
    if not content:
        row.group = True
        return [row]
    letters = "".join(ch for x in content for ch in x.text if ch.isalpha())
    headed = style in ("roman", "upper", "sub")  # numbering that heads groups of rows
    if headed and (letters.isupper() or len(content) == 1 or (inline and style != "sub")):
        row.group, row.cells = True, [Cell("group", content[0].start, content[-1].end)]
        return [row]
    heading = next((n for n, x in enumerate(content) if not _is_title(x.text)), len(content))
    if headed and 0 < heading < len(content) and len(content) - heading <= _MAX_ROW_LINES:
        # "D. / BỘ KHOA HỌC VÀ CÔNG / NGHỆ / Bộ Khoa học và Công nghệ / …": a group's title and its only
        # row under one letter
        rest = Row(marker, content[heading].start, row.end, best_cells(columns, content[heading:], wide))
        if rest.cell("lead") is not None:
            row.end, row.group = content[heading - 1].end, True
            row.cells = [Cell("group", content[0].start, content[heading - 1].end)]
            return [row, rest]
    if len(content) > _MAX_ROW_LINES:
        return [row]  # too long to cut with confidence: no cells, no task
    cells = best_cells(columns, content, wide)
    lead = next((c for c in cells if c.kind == "lead"), None)
    if headed and lead is None:
        row.group, row.cells = True, [Cell("group", content[0].start, content[-1].end)]
        return [row]
    row.cells = cells
    return [row]


def read_table(lines: list[Line | None], i: int) -> tuple[TaskTable, int] | None:
    """The task table whose header starts at line i, and the index of the line after it."""
    head = _header(lines, i)
    if head is None:
        return None
    columns, spans, j = head
    data = [k for k in columns if k != "no"]
    printed = sorted(len(x.text) for x in lines[j : j + 400] if x is not None)
    wide = int(0.85 * printed[int(0.95 * (len(printed) - 1))]) if printed else 10**6
    numbering = _Numbering()
    rows: list[Row] = []
    current: tuple[Line, tuple[str, int, bool]] | None = None
    body: list[Line] = []
    while j < len(lines):
        line = lines[j]
        if line is None:
            nxt = next((x for x in lines[j + 1 : j + 3] if x is not None), None)
            if nxt is None or numbering.peek(nxt.text) is None:
                break  # a blank line not followed by the next row ends the table
            j += 1
            continue
        if _STOP.match(fold(line.text)) or (_column(line.text) == "no" and j + 1 < len(lines)):
            break
        opened = numbering.accept(line.text)
        if opened is None and _NEXT_PART.match(line.text):
            break  # "2. Các nhiệm vụ quá hạn …": the document goes on after the table
        if opened is not None:
            if current is not None:
                rows += _row(data, current[0], current[1], body, wide)
            current, body = (line, opened), []
        elif current is not None:
            body.append(line)
        else:
            break
        j += 1
    if current is not None:
        rows += _row(data, current[0], current[1], body, wide)
    tasks = [r for r in rows if not r.group]
    if not tasks:
        return None
    return TaskTable(spans[0][0], rows[-1].end, columns, spans, rows), j


def find_task_tables(text: str) -> list[TaskTable]:
    """Every task table of `text` (the printed text, before unwrapping: one cell a line)."""
    lines = _lines(text)
    out: list[TaskTable] = []
    i = 0
    while i < len(lines):
        found = read_table(lines, i)
        if found is None:
            i += 1
            continue
        out.append(found[0])
        i = max(found[1], i + 1)
    return out
