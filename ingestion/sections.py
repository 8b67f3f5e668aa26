"""The section tree of an official document: Phần / Chương / Mục / Điều and I. / 1. / 1.1 / a) / - / +.

Works on the unwrapped text (one paragraph a line), so a heading wrapped over two printed lines
is one heading. Every sentence and chunk can then say where it stands ("III. TỔ CHỨC THỰC HIỆN ›
2. Sở Giáo dục và Đào tạo"), which is how a bullet under a department's heading is known to be
that department's task.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from ingestion.lexicon.structure import BULLET_STYLES, FREE_STYLES, HEADING_CHARS, LEGAL_UNITS

_LEGAL = [(name, re.compile(rf"^{p}(?=\s|$)")) for name, p in LEGAL_UNITS]
_FREE = [(name, re.compile(rf"^{p}(?=\s|$)")) for name, p in FREE_STYLES]
_LEGAL_RANK = {name: i for i, (name, _) in enumerate(LEGAL_UNITS)} | {"attachment": -1}
PATH_SEPARATOR = " › "


@dataclass
class Section:
    heading: str
    level: int
    start: int
    end: int
    style: str
    parent: int | None = None

    @property
    def is_bullet(self) -> bool:
        return self.style in BULLET_STYLES

    @property
    def is_heading(self) -> bool:
        """Shown in paths and listed on the document record (bullets and skipped gaps are not)."""
        return self.style not in BULLET_STYLES and self.style != "gap"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "parent"}


def _marker(line: str) -> str | None:
    for name, pattern in _LEGAL + _FREE:
        if pattern.match(line):
            return name
    return None


def _heading(line: str) -> str:
    """A heading line's heading: up to its colon, or its first words."""
    colon = line.find(":")
    if 0 < colon <= HEADING_CHARS + 40:
        return line[:colon].strip()
    if len(line) <= HEADING_CHARS:
        return line.strip().rstrip(".;")
    cut = line.rfind(" ", 0, HEADING_CHARS)
    return line[: cut if cut > 0 else HEADING_CHARS].strip() + "…"


def _lines(text: str, start: int, end: int) -> Iterable[tuple[int, str]]:
    pos = start
    for raw in text[start:end].split("\n"):
        stripped = raw.strip()
        if stripped:
            yield pos + (len(raw) - len(raw.lstrip())), stripped
        pos += len(raw) + 1


def parse_sections(
    text: str,
    body_start: int = 0,
    body_end: int | None = None,
    attachments: Iterable[tuple[int, str]] = (),
    skip: Iterable[tuple[int, int]] = (),
) -> list[Section]:
    """Sections of `text[body_start:body_end]`, in document order. `attachments` are (offset, title)
    pairs: an attached plan or regulation starts a new top-level section with its own title. Lines
    inside `skip` spans (the "Nơi nhận" list of a decision followed by its attached plan) are no
    headings; the section open before them ends there."""
    skips = sorted(skip)
    body_end = len(text) if body_end is None else body_end
    resets = sorted((o, t) for o, t in attachments if body_start <= o < body_end)
    sections: list[Section] = []
    stack: list[int] = []
    reset_i = 0
    for pos, line in _lines(text, body_start, body_end):
        while reset_i < len(resets) and resets[reset_i][0] <= pos:
            offset, title = resets[reset_i]
            sections.append(Section(title, 0, offset, offset, "attachment"))
            stack = [len(sections) - 1]
            reset_i += 1
        if any(a <= pos < b for a, b in skips):
            if stack:
                sections.append(Section("", 0, pos, pos, "gap"))
                stack = []
            continue
        style = _marker(line)
        if style is None:
            continue
        if style in _LEGAL_RANK:
            rank = _LEGAL_RANK[style]
            while stack and _LEGAL_RANK.get(sections[stack[-1]].style, 99) >= rank:
                stack.pop()
        else:
            same = [i for i, s in enumerate(stack) if sections[s].style == style]
            if same:
                del stack[same[-1] :]
        parent = stack[-1] if stack else None
        sections.append(Section(_heading(line), len(stack), pos, pos, style, parent))
        stack.append(len(sections) - 1)
    _close(sections, body_end)
    return sections


def _close(sections: list[Section], body_end: int) -> None:
    """A section ends where the next section of the same or a higher level (or its parent) ends."""
    open_: list[int] = []
    for i, sec in enumerate(sections):
        while open_ and sections[open_[-1]].level >= sec.level:
            sections[open_.pop()].end = sec.start
        open_.append(i)
    for i in open_:
        sections[i].end = body_end
    for sec in sections:
        sec.end = max(sec.end, sec.start)


class SectionIndex:
    """Which section holds an offset, and the path of headings down to it."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self._starts = [s.start for s in sections]

    def at(self, offset: int) -> Section | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        while i >= 0:
            sec = self.sections[i]
            if sec.start <= offset < sec.end or (sec.start == offset):
                return sec
            i = sec.parent if sec.parent is not None else -1
        return None

    def chain(self, offset: int) -> list[Section]:
        """Ancestors first, bullets included."""
        out: list[Section] = []
        sec = self.at(offset)
        while sec is not None:
            out.append(sec)
            sec = self.sections[sec.parent] if sec.parent is not None else None
        return out[::-1]

    def path(self, offset: int) -> str:
        return PATH_SEPARATOR.join(s.heading for s in self.chain(offset) if s.is_heading)

    def top_level_starts(self) -> list[int]:
        return [s.start for s in self.sections if s.level == 0]
