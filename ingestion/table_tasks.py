"""Tasks from task tables: one task per row, its lead and supporting bodies from their columns.

A row "1 | Xây dựng Bộ tiêu chí … | Sở KH&CN | Các sở, ban, ngành tỉnh | Quí IV-2025" is the task
"Xây dựng Bộ tiêu chí …", led by Sở KH&CN, supported by the sở, ban, ngành, due by the end of Q4 2025.
A row holding several actions for the same bodies gives one task per action, each with the time
written after it. The task's span starts at its action cell, so an answer quoting the action cites
the task; the actors' spans are the bodies' spans in their cells.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ingestion.actors import canonical_key, find_actors
from ingestion.assignment_fields import actor_dict, year_deadline
from ingestion.assignments import Task, pick_deadline, report_recipient
from ingestion.deadlines import Deadline, find_deadlines
from ingestion.sections import PATH_SEPARATOR, SectionIndex
from ingestion.table_cells import Cell
from ingestion.task_tables import Row, TaskTable

_MAX_FALLBACK_WORDS = 12  # a lead cell no body pattern knows is taken whole only when it is short


def _actors(text: str, cell: Cell, role: str) -> list[dict[str, Any]]:
    found = find_actors(text[cell.start : cell.end], cell.start)
    if found:
        return [actor_dict(a, role) for a in found]
    words = text[cell.start : cell.end].strip(" -–+.;,").split()
    if role != "lead" or not words or len(words) > _MAX_FALLBACK_WORDS:
        return []
    name = " ".join(words)
    start = text.index(words[0], cell.start)
    end = text.rindex(words[-1], start, cell.end) + len(words[-1])
    if text[start:end] != name:  # a wrapped name: its span would not read as written
        return []
    return [{"name": name, "role": role, "start": start, "end": end, "key": canonical_key(name)}]


def _deadline(text: str, cell: Cell | None, reference: date | None) -> Deadline | None:
    if cell is None:
        return None
    value = text[cell.start : cell.end]
    found = [d for d in find_deadlines(value, cell.start, reference) if not d.relative]
    return pick_deadline(found) or year_deadline(value, cell.start)


def _units(row: Row) -> list[list[Cell]]:
    """The row's cells cut before each action cell; cells before the first action go with it."""
    units: list[list[Cell]] = [[]]
    for cell in row.cells:
        if cell.kind == "action" and any(c.kind == "action" for c in units[-1]):
            units.append([])
        units[-1].append(cell)
    return [u for u in units if any(c.kind == "action" for c in u)]


def _row_tasks(text: str, row: Row, section: str, reference: date | None) -> list[Task]:
    actors: list[dict[str, Any]] = []
    for cell in row.cells:
        if cell.kind in ("lead", "support"):
            known = {a["key"] for a in actors}
            actors += [a for a in _actors(text, cell, cell.kind) if a["key"] not in known]
    if not any(a["role"] == "lead" for a in actors):
        return []
    out: list[Task] = []
    for unit in _units(row):
        action = next(c for c in unit if c.kind == "action")
        end = max(c.end for c in unit)
        chosen = _deadline(text, next((c for c in unit if c.kind == "time"), None), reference)
        words = " ".join(text[action.start : action.end].split()).strip(" ,:;.-–")
        if not words:
            continue
        out.append(Task(
            actors=actors, action=words, start=action.start, end=end, sentence=text[action.start : end],
            section=section,
            deadline=None if chosen is None else {
                "text": chosen.text, "date": chosen.date, "recurrence": chosen.recurrence,
                "start": chosen.start, "end": chosen.end,
            },
            report_to=report_recipient(text[action.start : action.end], action.start),
        ))
    return out


def table_tasks(text: str, tables: list[TaskTable], index: SectionIndex, reference: date | None = None) -> list[Task]:
    """Every task row of `tables` (read from `text`, which has the same offsets) as a task."""
    out: list[Task] = []
    for table in tables:
        group = ""
        for row in table.rows:
            if row.group:
                group = " ".join(text[row.cells[0].start : row.cells[0].end].split()) if row.cells else ""
                continue
            if not row.cells:
                continue
            path = index.path(row.cells[0].start)
            section = path if not group or group in path else (path + PATH_SEPARATOR + group if path else group)
            out += _row_tasks(text, row, section, reference)
    return out


def table_breaks(text: str, tables: list[TaskTable]) -> dict[int, bool]:
    """Line breaks of the tables for the unwrapper: True keeps one (between cells, around the table),
    False joins one (a wrap inside a cell, a row's number and its first cell)."""
    out: dict[int, bool] = {}
    for table in tables:
        for pos in range(table.start - 1, min(table.end + 1, len(text))):
            if pos >= 0 and text[pos] == "\n":
                out[pos] = True
        spans = list(table.header)
        for row in table.rows:
            spans += [(c.start, c.end) for c in row.cells]
            if row.cells and "\n" not in text[row.start + len(row.number) : row.cells[0].start].strip("\n"):
                spans.append((row.start, row.cells[0].start))  # "1." + "Xây dựng …" on one line
        for a, b in spans:
            for pos in range(a, b):
                if text[pos] == "\n":
                    out[pos] = False
    return out
