"""Who an official document goes to, who signs it, and what is attached to it.

"Kính gửi:" (a Công điện's "X điện:") names the addressees under the header. Copies linearise the
two columns of the foot, so "Nơi nhận:" and its list come right before or right after the signature
block (TM./KT./Q./TL./TUQ./PP. + positions in upper case, then the name). Attached documents (a Kế
hoạch under its Quyết định, an appendix) are found by the parenthesis under their heading, "(Ban
hành kèm theo Quyết định số ... ngày ...)": the main document ends where the first one begins, and
its signer is the one that counts. Also the line reader and word keys ingestion.layout shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingestion.actors import pretty_body
from ingestion.lexicon import layout as lex
from vectorstore.analyzer import normalize

_WORD = re.compile(r"\w+")
_PREFIX_ALONE = re.compile(lex.SIGN_PREFIX_ALONE)
_SIGN_PREFIX = re.compile(lex.SIGN_PREFIX)
_SIGNED = re.compile(lex.SIGNED_MARKERS)
_RECIPIENTS_TO = re.compile(lex.RECIPIENTS_TO)
_TELEGRAM_TO = re.compile(lex.TELEGRAM_TO)
_RECIPIENTS_BLOCK = re.compile(lex.RECIPIENTS_BLOCK)
_ATTACHED_TO = re.compile(lex.ATTACHED_TO, re.MULTILINE)
_NUMBER = re.compile(rf"(?<![\w/.-]){lex.NUMBER}(?![\w/-])")
_TEXT_DATE = re.compile(lex.TEXT_DATE)


def fkey(text: str) -> str:
    """Lower-case words in one tone-mark style, joined by single spaces: how word lists are compared
    (tones kept: "Trương" is a name, "Trưởng" a position)."""
    return " ".join(_WORD.findall(normalize(text).lower()))


def starts_with(key: str, prefix_key: str) -> bool:
    return key == prefix_key or key.startswith(prefix_key + " ")


_POSITIONS = sorted((fkey(p) for p in lex.POSITIONS), key=len, reverse=True)
_READABLE = {fkey(p): p for p in lex.POSITIONS}
_RANKS = [fkey(r) + " " for r in lex.RANKS]
_KINDS = sorted(((fkey(k), k) for k in lex.DOC_KINDS), key=lambda kp: -len(kp[0]))


def kind_at_start(line: str) -> tuple[str, int] | None:
    """The document kind a line starts with, and how many words it takes."""
    key = fkey(line)
    return next(((kind, len(k.split())) for k, kind in _KINDS if starts_with(key, k)), None)


def is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def iso_date(m: re.Match[str] | None) -> str | None:
    """ISO date of a match with groups d, m, y (or d2, m2, y2); None for a blank or impossible day."""
    names = m.groupdict() if m else {}
    try:
        return date(*(int(names.get(g) or names.get(g + "2") or "") for g in ("y", "m", "d"))).isoformat()
    except ValueError:
        return None


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
        self.text, self.raw = text, text.split("\n")
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
            lo, hi = (mid, hi) if self.starts[mid] <= offset else (lo, mid - 1)
        return lo

    def joined(self, i: int, j: int) -> str:
        return " ".join(s for s in self.s[i : j + 1] if s)


def readable_position(text: str) -> str:
    """ "PHÓ CHÁNH VĂN PHÒNG THƯỜNG TRỰC" → "Phó Chánh Văn phòng Thường trực"; a body goes to pretty_body."""
    words, key = text.split(), fkey(text)
    k = next((k for k in _POSITIONS if starts_with(key, k)), None)
    if k is None:
        return pretty_body(text.strip(" ,"))
    taken = len(k.split())
    rest = " ".join(words[taken:]).strip(" ,")
    comma = "," if words[taken - 1].endswith(",") else ""
    return f"{_READABLE[k]}{comma} {readable_position(rest)}" if rest else _READABLE[k]


def _opens(line: str) -> bool:
    return bool(_SIGN_PREFIX.match(line)) or any(starts_with(fkey(line), k) for k in _POSITIONS)


def _is_name(line: str, least: int = 2) -> bool:
    """A person's name as signatures write it: 2-6 capitalised syllables ("Hồ Thị Nguyên Thảo")."""
    words = line.split()
    return (least <= len(words) <= 6 and not any(starts_with(fkey(line), k) for k in _POSITIONS)
            and all(w.isalpha() and w[:1].isupper() and (len(w) == 1 or w[1:].islower()) for w in words))


def _name_at(ls: Lines, i: int) -> Field | None:
    """The name starting at line i, wrapped or not ("Ngô\nVăn Tuấn"), without a military rank in
    front ("Thượng tướng Vũ Hải Sản")."""
    head = ls.s[i].split()
    if not head or len(head) > 8 or not head[0][:1].isupper() or not all(w.isalpha() for w in head):
        return None
    for last in (i, i + 1) if len(head) <= 2 and i + 1 < len(ls) else (i,):
        words = ls.joined(i, last).split()
        rank = next((len(r.split()) for r in _RANKS if (fkey(" ".join(words[:2])) + " ").startswith(r)), 0)
        if _is_name(" ".join(words[rank:])) and (last == i or rank or _is_name(ls.s[i], 1)):
            a, b = ls.span(i, last)
            m = re.search(r"\s+".join(map(re.escape, words[rank:])) + r"\s*$", ls.text[a:b])
            return Field(" ".join(words[rank:]), a + m.start(), a + m.end()) if m else None
    return None


def _wraps(prev: str, line: str) -> bool:
    """Whether a position is wrapped between prev and line ("TL. CỤC\nTRƯỞNG", "PHÓ\nCHỦ TỊCH")."""
    last, key = (fkey(prev).split() or [""])[-1], fkey(line)
    return last == "phó" or any(k.split()[0] == last and starts_with(key, k.partition(" ")[2])
                                for k in _POSITIONS if " " in k)


def _block_parts(lines: list[str]) -> tuple[list[str], list[str]]:
    """A signature's upper-case lines as authorities signed for ("KT. Chủ tịch") and the signer's
    titles ("Phó Chủ tịch"), positions wrapped anywhere ("CHỦ\nTỊCH", "KT.\nCHỦ TỊCH") joined."""
    merged: list[str] = []
    for line in lines:
        if merged and (_PREFIX_ALONE.match(merged[-1]) or not _opens(merged[-1]) and _opens(f"{merged[-1]} {line}")):
            merged[-1] = f"{merged[-1]} {line}"
        else:
            merged.append(line)
    while merged and not _opens(merged[0]):
        merged.pop(0)
    parts: list[list[str]] = []  # [prefix or "", text]
    for line in merged:
        m = _SIGN_PREFIX.match(line)
        if m:
            parts.append([lex.SIGN_PREFIXES.get(m["prefix"], m["prefix"] + "."), line[m.end() :]])
        elif not parts or not (parts[-1][1].endswith(",") or _wraps(parts[-1][1], line)) and _opens(line):
            parts.append(["", line])
        else:
            parts[-1][1] += " " + line
    return [f"{p} {readable_position(t)}" for p, t in parts if p], [readable_position(t) for p, t in parts if not p]


def signatures(ls: Lines, lo: int, hi: int) -> list[Signature]:
    """Every name under a block of upper-case position lines, in lines [lo, hi)."""
    found: list[Signature] = []
    for i in range(max(lo, 1), hi):
        name = _name_at(ls, i)
        if name is None:
            continue
        j = i - 1
        while j >= lo and i - j <= 3 and (not ls.s[j] or _SIGNED.match(ls.s[j])):
            j -= 1
        block: list[int] = []
        while j >= lo and len(block) < 6 and is_upper(ls.s[j]) and (
            not ls.s[j].endswith((";", ".")) or _PREFIX_ALONE.match(ls.s[j])
        ):
            block.insert(0, j)
            j -= 1
        authorities, titles = _block_parts([ls.s[k] for k in block])
        if authorities or titles:
            first = next((k for k in block if _opens(ls.s[k]) or _opens(f"{ls.s[k]} {ls.s[k + 1]}")), block[0])
            found.append(Signature(name, ", ".join(titles) or None, ", ".join(authorities) or None, first,
                                   ls.line_at(name.end)))
    return found


def pick_signature(found: list[Signature], recipients_line: int | None) -> Signature | None:
    """The main document's signature: the one beside "Nơi nhận:", else the last before the attachments."""
    if recipients_line is not None:
        after = [s for s in found if recipients_line < s.first_line <= recipients_line + 80]
        before = [s for s in found if 0 < recipients_line - s.name_line <= 12]
        if after or before:
            return after[0] if after else before[-1]
    return found[-1] if found else None


def addressees(ls: Lines, stop: int) -> tuple[int | None, list[str], int, bool]:
    """ "Kính gửi:" (also "Kính\ngửi:", or a Công điện's "X điện:") with its addressees, on one
    wrapped line or as "- ..." items: the line, the addressees, the last line, whether it was Kính gửi."""
    for i in range(stop):
        m = _RECIPIENTS_TO.match(ls.s[i] + "\n" + (ls.s[i + 1] if i + 1 < len(ls) else ""))
        if m or _TELEGRAM_TO.match(ls.s[i]):
            break
    else:
        if not ls.s or not ls.s[0].startswith("- "):
            return None, [], -1, False
        i, m = -1, None  # the page opens on the list: its "Kính gửi:" line was lost before us
    if m and m.end() > len(ls.s[i]):
        i, first = i + 1, ls.s[i + 1][m.end() - len(ls.s[i]) - 1 :].strip()
    else:
        first = ls.s[i][m.end() :].strip() if m else ""
    items, j = [first] if first else [], i + 1
    while j < len(ls) and ls.s[j] and not ls.s[j].startswith(lex.BODY_OPENERS):
        s, prev = ls.s[j], (items[-1] if items else "")
        if s[:1] in "-+•" and s[1:2] == " " or _RECIPIENTS_TO.match(s):
            items.append(_RECIPIENTS_TO.sub("", s).lstrip("-+• ").strip())
        elif items and (s[:1].islower() or prev[-1:] in ",:" or (not first and prev[-1:] not in ".;")):
            items[-1] += " " + s
        else:
            break
        j += 1
    return i, [x.strip(" ;,.") for x in items if x.strip(" ;,.")], j - 1, m is not None or i < 0


def recipients_block(ls: Lines, lo: int, hi: int, sign: Signature | None) -> tuple[int, tuple[int, int]] | None:
    """The "Nơi nhận:" line and the span of its list, up to the signature or the "- Lưu: ..." item."""
    for i in range(lo, hi):
        if not _RECIPIENTS_BLOCK.match(f"{ls.s[i]}\n{ls.s[i + 1] if i + 1 < len(ls) else ''}"):
            continue
        last = i
        if sign is not None and i < sign.first_line <= i + 80:
            last = sign.first_line - 1
        else:
            for j in range(i + 1, min(hi, i + 60)):
                if not ls.s[j] or is_upper(ls.s[j]) or ls.s[j].startswith(("[", "_")):
                    break
                last = j
                if fkey(ls.s[j]).startswith("lưu"):
                    break
        while last > i and not ls.s[last]:
            last -= 1
        return i, ls.span(i, last)
    return None


def strip_position(issuer: str) -> str:
    """ "Bộ trưởng Bộ Nội vụ" → "Bộ Nội vụ": a document "của" a head is the body's (not for Thủ tướng)."""
    low = " ".join(issuer.lower().split())
    taken = next((len(p.split()) for p in lex.ISSUER_POSITIONS if low.startswith(p.lower() + " ")), 0)
    return " ".join(issuer.split()[taken:])
