"""Documents attached to an official document, and what their "(Kèm theo …)" line says of it.

A Kế hoạch under its Quyết định, an appendix: found by the parenthesis under their heading, "(Ban hành
kèm theo Quyết định số … ngày …)"; the main document ends where the first one begins. A page copied
without its letterhead still tells its kind, number and date through them. Split from
`ingestion.layout_signature`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from ingestion.actors import issuer_from_symbol
from ingestion.layout_signature import (
    _ATTACHED_TO,
    _NUMBER,
    _TEXT_DATE,
    Attachment,
    Field,
    Lines,
    _is_name,
    fkey,
    is_upper,
    iso_date,
    kind_at_start,
    strip_position,
)
from ingestion.lexicon import layout as lex


def _locality(text: str, issuer: str) -> str:
    """ "Ủy ban nhân dân Thành phố" → "... Thành phố Hồ Chí Minh": the place the page names most."""
    word = next((w for w in lex.LOCALITY_WORDS if fkey(issuer).endswith(" " + w)), None)
    if word is None:
        return issuer
    names: Counter[str] = Counter()
    for m in re.finditer(r"\s+".join(word.split()) + r"\s+((?:[^\W\d_]+[ \t]?){1,4})", text, re.I):
        words = m[1].split()
        cut = next((k for k, w in enumerate(words) if not w[:1].isupper()), len(words))
        names[" ".join(words[:cut])] += bool(cut)
    best = [n for n, c in names.most_common(1) if c]
    return f"{issuer} {best[0]}" if best else issuer


def attached_facts(text: str, facts: list[dict[str, str | None]], kind: str | None) -> dict[str, Any] | None:
    """For a page without its letterhead: kind, number, date and issuer of the main document as its
    attachments cite it ("(Kèm theo Công văn số 6225/BVHTTDL-VP ngày 18/11/2025 của Bộ ...)")."""
    f = next((f for f in facts if f["number"] and (kind is None or f["kind"] == kind)), None)
    if f is None or f["number"] is None:
        return None
    number, said = f["number"], f["date"] or ""
    at, when, iso = text.find(number), text.find(said) if said else -1, iso_date(_TEXT_DATE.search(said))
    of = _locality(text, strip_position(f["issuer"])) if f["issuer"] else None
    return {"kind": f["kind"], "number": Field(number, at, at + len(number)),
            "issuer": issuer_from_symbol(number) or of,
            "published": Field(iso, when, when + len(said)) if iso and when >= 0 else None}


def _heading_lines(ls: Lines, paren_line: int, floor: int) -> list[int]:
    """The lines of an attached document's heading above its "(Kèm theo ...)" line: the upper-case
    ones (blank lines between them), else mixed-case lines up from a kind word ("Phụ lục:")."""
    run: list[int] = []
    for j in range(paren_line - 1, floor, -1):
        if len(run) == 8 or ls.s[j] and not is_upper(ls.s[j]):
            break
        run[:0] = [j] if ls.s[j] else []
    if run:
        return run
    for j in range(paren_line - 1, max(floor, paren_line - 7), -1):
        if not ls.s[j] or _is_name(ls.s[j]) or ls.s[j].endswith("./."):
            break
        run.insert(0, j)
    heads = [k for k in run if kind_at_start(ls.s[k])]
    return run[run.index(heads[0]) :] if heads else []


def attachments(
    ls: Lines, titler: Callable[[str], tuple[str | None, str]]
) -> list[tuple[Attachment, dict[str, str | None]]]:
    """Attached documents with what their "(Kèm theo <kind> số <number> ngày <date> của <issuer>)" says."""
    out: list[tuple[Attachment, dict[str, str | None]]] = []
    for m in _ATTACHED_TO.finditer(ls.text):
        close = ls.text.find(")", m.end(), m.end() + 500)
        close = close if close >= 0 else ls.text.find("\n", m.end()) % (len(ls.text) + 1)
        inner = " ".join(ls.text[m.end() : close].split())
        kind = kind_at_start(inner)
        heading = _heading_lines(ls, ls.line_at(m.start()), ls.line_at(out[-1][0].start) if out else 0) if kind else []
        if not kind or not heading:
            continue
        head_kind, title = titler(ls.joined(heading[0], heading[-1]))
        start = ls.span(heading[0], heading[0])[0]
        if out:
            out[-1][0].end = start
        number, said, of = _NUMBER.search(inner), _TEXT_DATE.search(inner), re.search(r"\bcủa\s+(.+)$", inner)
        facts = {"kind": kind[0], "number": number[0] if number else None, "date": said[0] if said else None,
                 "issuer": of[1].strip(" .;") if of else None}
        out.append((Attachment(head_kind, title, start, len(ls.text), inner or None), facts))
    return out
