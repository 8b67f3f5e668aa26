"""The foot of an official document: "Nơi nhận:", the signature block and attached documents.

Copies linearise the two columns of the foot, so "Nơi nhận:" and its list come right before or
right after the signature block (TM./KT./Q./TL./TUQ./PP. + positions in upper case, then the name).
Attached documents (a Kế hoạch under its Quyết định, an appendix) are found by the parenthesis
under their heading, "(Ban hành kèm theo Quyết định số ... ngày ...)": the main document ends
where the first one begins, and its signer is the one that counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingestion.actors import pretty_body
from ingestion.lexicon import layout as lex
from vectorstore.analyzer import normalize

_WORD = re.compile(r"\w+")
_SIGN_PREFIX = re.compile(lex.SIGN_PREFIX)
_SIGNED = re.compile(lex.SIGNED_MARKERS)
_RECIPIENTS_BLOCK = re.compile(lex.RECIPIENTS_BLOCK)
_ATTACHED_TO = re.compile(lex.ATTACHED_TO, re.MULTILINE)
_NUMBER = re.compile(rf"(?<![\w/.-]){lex.NUMBER}(?![\w/-])")
_TEXT_DATE = re.compile(lex.TEXT_DATE)


def fkey(text: str) -> str:
    """Lower-case words in one tone-mark style, joined by single spaces: how word lists are compared
    (tones kept: "Trương" is a name, "Trưởng" a position)."""
    return " ".join(_WORD.findall(normalize(text).lower()))


_POSITIONS = sorted(((fkey(p), p) for p in lex.POSITIONS), key=lambda kp: -len(kp[0]))
_RANKS = [fkey(r) + " " for r in lex.RANKS]
_KINDS = sorted(((fkey(k), k) for k in lex.DOC_KINDS), key=lambda kp: -len(kp[0]))


def starts_with(key: str, prefix_key: str) -> bool:
    return key == prefix_key or key.startswith(prefix_key + " ")


def kind_at_start(line: str) -> tuple[str, int] | None:
    """The document kind a line starts with, and how many words it takes."""
    key = fkey(line)
    for k, readable in _KINDS:
        if starts_with(key, k):
            return readable, len(k.split())
    return None


def is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


@dataclass
class Field:
    value: str
    start: int
    end: int


@dataclass
class Attachment:
    kind: str | None
    title: str
    start: int
    end: int
    attached_to: str | None


@dataclass
class Signature:
    name: Field
    title: str | None
    authority: str | None
    first_line: int
    name_line: int


class Lines:
    """The text's lines with their offsets: the layout is read line by line, spans stay exact."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.raw = text.split("\n")
        self.starts: list[int] = []
        pos = 0
        for line in self.raw:
            self.starts.append(pos)
            pos += len(line) + 1
        self.s = [line.strip() for line in self.raw]

    def __len__(self) -> int:
        return len(self.raw)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Offsets from the first character of line i to the last of line j (inclusive)."""
        lead = len(self.raw[i]) - len(self.raw[i].lstrip())
        return self.starts[i] + lead, self.starts[j] + len(self.raw[j].rstrip())

    def line_at(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def joined(self, i: int, j: int) -> str:
        return " ".join(s for s in self.s[i : j + 1] if s)


def readable_position(text: str) -> str:
    """ "PHÓ CHÁNH VĂN PHÒNG THƯỜNG TRỰC" → "Phó Chánh Văn phòng Thường trực"; a body goes to pretty_body."""
    words = text.split()
    key = fkey(text)
    for k, readable in _POSITIONS:
        if starts_with(key, k):
            taken = len(k.split())
            rest = " ".join(words[taken:]).strip(" ,")
            if not rest:
                return readable
            return f"{readable}{',' if words[taken - 1].endswith(',') else ''} {readable_position(rest)}"
    return pretty_body(text.strip(" ,"))


def _is_name(line: str, least: int = 2) -> bool:
    """A person's name as signatures write it: 2-6 capitalised syllables ("Hồ Thị Nguyên Thảo")."""
    words = line.split()
    return (
        least <= len(words) <= 6
        and all(w.isalpha() and w[:1].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)
        and not any(starts_with(fkey(line), k) for k, _ in _POSITIONS)
    )


def _name_at(ls: Lines, i: int) -> Field | None:
    """The name starting at line i, wrapped or not ("Ngô\nVăn Tuấn"), without a military rank
    in front ("Thượng tướng Vũ Hải Sản")."""
    head = ls.s[i].split()
    if not head or len(head) > 8 or not head[0][:1].isupper() or not all(w.isalpha() for w in head):
        return None
    for last in (i, i + 1):
        if last >= len(ls) or (last > i and len(head) > 2):
            break
        words = ls.joined(i, last).split()
        key = fkey(" ".join(words[:2])) + " "
        rank = next((len(r.split()) for r in _RANKS if key.startswith(r)), 0)
        if _is_name(" ".join(words[rank:])) and (last == i or _is_name(ls.s[i], 1) or rank):
            a, b = ls.span(i, last)
            m = re.search(r"\s+".join(map(re.escape, words[rank:])) + r"\s*$", ls.text[a:b])
            return Field(" ".join(words[rank:]), a + m.start(), a + m.end()) if m else None
    return None


def _opens(line: str) -> bool:
    return bool(_SIGN_PREFIX.match(line)) or any(starts_with(fkey(line), k) for k, _ in _POSITIONS)


def _unwrap_positions(lines: list[str]) -> list[str]:
    """Join a position wrapped inside its words ("CHỦ\nTỊCH") back into one line."""
    out: list[str] = []
    for line in lines:
        if out and not _opens(out[-1]) and _opens(f"{out[-1]} {line}"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _block_parts(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """Split a signature's upper-case lines into authorities signed for and the signer's titles."""
    parts: list[list[str]] = []  # [kind, text]
    lines = _unwrap_positions(lines)
    while lines and not _opens(lines[0]):
        lines.pop(0)
    for line in lines:
        m = _SIGN_PREFIX.match(line)
        key = fkey(line)
        continues = bool(parts) and parts[-1][1].endswith(",")
        if m:
            parts.append([lex.SIGN_PREFIXES.get(m.group("prefix"), m.group("prefix") + "."), line[m.end() :]])
        elif not continues and any(starts_with(key, k) for k, _ in _POSITIONS):
            parts.append(["", line])
        elif parts:
            parts[-1][1] += " " + line
        else:
            return None
    authorities = [f"{p} {readable_position(t)}" for p, t in parts if p]
    titles = [readable_position(t) for p, t in parts if not p]
    return authorities, titles


def signatures(ls: Lines, lo: int, hi: int) -> list[Signature]:
    """Every name line under a block of upper-case position lines, in [lo, hi)."""
    found: list[Signature] = []
    for i in range(max(lo, 1), hi):
        name = _name_at(ls, i)
        if name is None:
            continue
        last = ls.line_at(name.end)
        block: list[int] = []
        j = i - 1
        while j >= lo and len(block) < 6 and (not ls.s[j] or _SIGNED.match(ls.s[j])) and i - j <= 3:
            j -= 1
        while j >= lo and len(block) < 6 and is_upper(ls.s[j]) and not ls.s[j].endswith((";", ".")):
            block.insert(0, j)
            j -= 1
        while len(block) > 1 and not _opens(ls.s[block[0]]) and not _opens(f"{ls.s[block[0]]} {ls.s[block[1]]}"):
            block.pop(0)
        parts = _block_parts([ls.s[k] for k in block]) if block else None
        if not parts or not (parts[0] or parts[1]):
            continue
        found.append(Signature(name, ", ".join(parts[1]) or None, ", ".join(parts[0]) or None, block[0], last))
    return found


def pick_signature(ls: Lines, found: list[Signature], recipients_line: int | None) -> Signature | None:
    """The main document's signature: the one beside "Nơi nhận:", else the last before the attachments."""
    if not found:
        return None
    if recipients_line is not None:
        after = [s for s in found if recipients_line < s.first_line <= recipients_line + 80]
        if after:
            return after[0]
        before = [s for s in found if s.name_line < recipients_line and recipients_line - s.name_line <= 12]
        if before:
            return before[-1]
    return found[-1]


def recipients_block(ls: Lines, lo: int, hi: int, sign: Signature | None) -> tuple[int, tuple[int, int]] | None:
    """The "Nơi nhận:" line and the span of its list (kept out of answers)."""
    for i in range(lo, hi):
        if not _RECIPIENTS_BLOCK.match(f"{ls.s[i]}\n{ls.s[i + 1] if i + 1 < len(ls) else ''}"):
            continue
        if sign is not None and i < sign.first_line <= i + 80:
            last = sign.first_line - 1
        else:
            last = i
            for j in range(i + 1, min(hi, i + 60)):
                s = ls.s[j]
                if not s or is_upper(s) or s.startswith(("[", "_")):
                    break
                last = j
                if fkey(s).startswith("luu"):
                    break
        while last > i and not ls.s[last]:
            last -= 1
        return i, ls.span(i, last)
    return None


def _paren_end(text: str, start: int) -> int:
    close = text.find(")", start, start + 500)
    if close < 0:
        close = text.find("\n", start)
    return close + 1 if close >= 0 else len(text)


def strip_position(issuer: str) -> str:
    """ "Bộ trưởng Bộ Nội vụ" → "Bộ Nội vụ": a document "của" a head is the body's (not for Thủ tướng)."""
    low = " ".join(issuer.lower().split())
    for position in lex.ISSUER_POSITIONS:
        if low.startswith(position.lower() + " "):
            return " ".join(issuer.split()[len(position.split()) :])
    return issuer


def _heading_lines(ls: Lines, paren_line: int, floor: int) -> list[int]:
    """The lines of an attached document's heading, above its "(Kèm theo ...)" line."""
    run: list[int] = []
    j = paren_line - 1
    while j > floor and len(run) < 8:
        s = ls.s[j]
        if s and not is_upper(s):
            break
        if s:
            run.insert(0, j)
        j -= 1
    if run:
        return run
    mixed: list[int] = []
    j = paren_line - 1
    while j > floor and ls.s[j] and len(mixed) < 6 and not _is_name(ls.s[j]) and not ls.s[j].endswith("./."):
        mixed.insert(0, j)
        j -= 1
    heads = [k for k in mixed if kind_at_start(ls.s[k])]
    return mixed[mixed.index(heads[0]) :] if heads else []


def attachments(ls: Lines, titler: Callable[[str], tuple[str | None, str]]) -> list[tuple[Attachment, dict[str, str | None]]]:
    """Attached documents with what their "(Kèm theo <kind> số <number> ngày <date> của <issuer>)" says."""
    out: list[tuple[Attachment, dict[str, str | None]]] = []
    text = ls.text
    for m in _ATTACHED_TO.finditer(text):
        end = _paren_end(text, m.end())
        inner = " ".join(text[m.end() : end].rstrip(")").split())
        kind = kind_at_start(inner)
        if not kind:
            continue
        paren_line = ls.line_at(m.start())
        floor = ls.line_at(out[-1][0].start) if out else 0
        heading = _heading_lines(ls, paren_line, floor)
        if not heading:
            continue
        head_kind, title = titler(ls.joined(heading[0], heading[-1]))
        start = ls.span(heading[0], heading[0])[0]
        if out:
            out[-1][0].end = start
        number = _NUMBER.search(inner)
        date = _TEXT_DATE.search(inner)
        of = re.search(r"\bcủa\s+(.+)$", inner)
        issuer = strip_position(of.group(1).strip(" .;")) if of else None
        facts = {
            "kind": kind[0],
            "number": number.group(0) if number else None,
            "date": date.group(0) if date else None,
            "issuer": issuer,
        }
        attached = Attachment(head_kind, title, start, len(text), inner or None)
        out.append((attached, facts))
    return out
