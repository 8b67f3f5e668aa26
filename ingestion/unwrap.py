"""Join hard line wraps without moving a single character.

Official documents copied from PDF, DOCX or legal portals keep the line breaks of the printed
page ("Bộ trưởng Bộ Công Thương chỉ đạo EVN tập trung\\nkhắc phục ..."). A wrap is replaced by a
space, one character for one, so the unwrapped text has the same length as the original and every
offset found in it is an offset in the stored document: citations stay exact.

A break is kept when it ends something: a blank line, a heading or list marker on the next line,
terminal punctuation, the end of an upper-case heading, a line of rules ("-----"). News pages,
written one paragraph per line, are left alone: unwrapping starts only when a document shows
wrapped lines (lines that continue in lower case) often enough.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ingestion.lexicon.structure import ABBREVIATIONS_BEFORE_BREAK, HARD_NEXT_LINE, MIN_WRAP_SHARE
from ingestion.shared_heads import continues_list

_HARD_NEXT = re.compile(HARD_NEXT_LINE)
# A line holding only a heading's number ("I.", "2.") continues on the next line.
_MARKER_ONLY = re.compile(r"^(?:[IVXLC]+|\d{1,3}(?:\.\d{1,2})*|[a-zđ]|[A-Z])[.)]$")
_TERMINAL = ".!?:;"


def _letters(line: str) -> str:
    return "".join(ch for ch in line if ch.isalpha())


def _is_upper(line: str) -> bool:
    letters = _letters(line)
    return len(letters) >= 2 and letters.isupper()


def _has_text(line: str) -> bool:
    return any(ch.isalnum() for ch in line)


def _starts_lower(line: str) -> bool:
    first = next((ch for ch in line if ch.isalnum()), "")
    return first.islower() or first.isdigit()


def looks_wrapped(lines: list[str]) -> bool:
    """True when enough line pairs continue one sentence (next line in lower case, no full stop)."""
    pairs = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if a.strip() and b.strip()]
    if len(pairs) < 2:
        return False
    continued = sum(1 for a, b in pairs if a.rstrip()[-1:] not in _TERMINAL and _starts_lower(b.lstrip()))
    return continued >= 1 and continued / len(pairs) >= MIN_WRAP_SHARE


def is_soft_break(prev: str, nxt: str) -> bool:
    """Whether the break between two non-empty lines only wraps a sentence."""
    p, n = prev.strip(), nxt.strip()
    if _MARKER_ONLY.match(p):
        return not _HARD_NEXT.match(n)
    if not _has_text(p) or not _has_text(n) or "|" in p or "|" in n:
        return False  # rules ("-------") and table rows
    if _HARD_NEXT.match(n):
        return False
    if _is_upper(p):
        return _is_upper(n)  # a wrapped upper-case heading continues in upper case
    if _is_upper(n) and len(_letters(n)) > 3:
        return False
    last_word = p.rsplit(" ", 1)[-1].lower()
    if p[-1] in _TERMINAL and last_word not in ABBREVIATIONS_BEFORE_BREAK:
        # "…; " followed by lower case is a sentence going on; otherwise the break is real.
        # So is a list of names sharing one head ("các Bộ: Nông nghiệp và Môi trường; Xây dựng;⏎Khoa học …").
        return p[-1] in ";," and (_starts_lower(n) or continues_list(p, n))
    # Lower case, a number, or a name wrapped to the next line ("của\nLuật …"): one sentence.
    # (A short heading followed by a capitalised sentence is joined too; copies of official
    # documents break their first lines short so often that "short" says nothing.)
    return True


def _sure_wrap(prev: str, nxt: str) -> bool:
    p, n = prev.strip(), nxt.strip()
    first = next((ch for ch in n if ch.isalnum()), "")
    return (first.isalpha() and first.islower() and p[-1] not in _TERMINAL and not _is_upper(p)
            and not _HARD_NEXT.match(n) and "|" not in p + n)


def unwrap(text: str, decided: Mapping[int, bool] | None = None) -> str:
    """`text` with wrapping line breaks replaced by spaces; same length, same offsets.

    `decided` settles some breaks beforehand (offset of the "\\n" → keep it?): a task table's reader
    knows which breaks separate cells, which the rules below cannot tell from a wrap."""
    lines = text.split("\n")
    # A document that shows wrapping gets every rule; any other still has its sure wraps joined
    # (a line that stops mid-sentence and a next line that goes on in lower case).
    soft = is_soft_break if looks_wrapped(lines) else _sure_wrap
    out = list(text)
    pos = 0
    for prev, nxt in zip(lines, lines[1:], strict=False):
        pos += len(prev)  # index of the "\n" after `prev`
        keep = decided.get(pos) if decided else None
        if keep is None:
            keep = not (prev.strip() and nxt.strip() and soft(prev, nxt))
        if not keep:
            out[pos] = " "
        pos += 1
    return "".join(out)
