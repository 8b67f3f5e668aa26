"""The bodies (actors) official documents assign work to, and one key for all spellings of each.

Documents name one body many ways ("UBND tỉnh", "Uỷ ban nhân dân tỉnh", "Sở GD&ĐT") and wrap names over
hard line breaks; task questions ("ai chủ trì…?") need the body, not the spelling. The tables are data in
`ingestion.lexicon.bodies`. Matching runs on the normalised lower-case text (marks kept, so "Số" is not
"Sở"); offsets are those of the original because normalising keeps one character for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.body_keys import _S, _S0, _alternation, _low, _phrase, canonical_key, expand_aliases, same_body
from ingestion.lexicon import bodies as lx
from ingestion.shared_heads import shared_head_items
from vectorstore.analyzer import DOC_NUMBER_RE, fold, to_nfc


@dataclass(frozen=True)
class ActorSpan:
    name: str  # as written: text[start - offset : end - offset] == name
    start: int
    end: int
    key: str  # canonical_key(full name)
    full: str = ""  # the name written out when a shared head was left off ("Xây dựng" in "các Bộ: …, Xây dựng")

    @property
    def display(self) -> str:
        return self.full or self.name


__all__ = [
    "ActorSpan", "canonical_key", "expand_aliases", "find_actors", "issuer_from_symbol", "pretty_body", "same_body",
]


_HEADS = {h: kind for kind, heads in lx.HEADS_BY_KIND.items() for h in heads}
_HEAD_KIND = {_low(h): kind for h, kind in _HEADS.items()}
_ATTACHABLE, _PLACE_HEADS = {_low(h) for h in lx.ATTACHABLE}, {_low(h) for h in lx.PLACE_HEADS}
_UPPER_HEADS = {_low(h) for h in _HEADS if h.isupper()}
_HEAD_RE = re.compile(rf"(?<![\w/&.-])(?:{_alternation(list(_HEADS))})(?![\w&]|[-/]\w)")
_NAMES = [m for fam in lx.FAMILIES for m in fam] + list(lx.KNOWN_NAMES)
_NAME_RE = re.compile(rf"(?:{_alternation(_NAMES)})(?![\w&])")
_UNIT = "|".join(re.escape(w).replace(r"\ ", _S) + (r"(?!\w)" if w[-1] != "." else "") for w in lx.LEVEL_WORDS)
_UNIT = _UNIT.replace(r"xã(?!\w)", rf"xã(?!\w)(?!{_S}hội)")  # "Khoa học xã hội" is no commune
_LEVEL_RE = re.compile(
    rf"{_S}(?:các{_S})?(?:{_UNIT})(?:{_S0}(?:,|/|và){_S0}(?:các{_S})?(?:{_UNIT}))*"
    rf"(?:{_S}(?:trực{_S}thuộc{_S})?(?:trung{_S}ương|tw)(?!\w)|{_S}trực{_S}thuộc{_S}tỉnh(?!\w))?"
)
_SINGLE_PLACE = re.compile(r"(?<!cấp )(?<!các )(?:tỉnh|thành phố|tp\.?|xã|phường|huyện|quận|thị xã|đặc khu)$")
_GW = "|".join(_phrase(w) + rf"(?!\w)(?!{_S}(?:{'|'.join(lx.GROUP_NOT_BEFORE)})\b)" for w in lx.GROUP_WORDS)
_TAILS = rf"(?:{_S}(?:{_alternation(list(lx.GROUP_TAILS))})(?!\w))?"
_GROUP_RE = re.compile(  # "và" ends a group: "các bộ, ngành và địa phương" is two actors
    rf"(?P<cac>các{_S})?(?:(?:{_alternation(list(lx.GROUP_FIRST_ALONE))})(?!\w)"
    rf"|(?:{_GW})(?P<more>(?:{_S0}[,/]{_S0}(?:{_GW}))*)){_TAILS}"
)
_DESC = "|".join(_low(d).replace(" ", _S) for d in lx.DESCRIBED_BODIES)  # "cơ quan có thẩm quyền"
_DESC_RE = re.compile(rf"(?<!\w)(?:các{_S})?(?:{_DESC})(?!\w){_TAILS}")
_NEXT_RE = re.compile(rf"{_S0}(?:,|;|và){_S0}")  # a list going on after a body: "UBND cấp xã và đơn vị"
_DEPUTY = rf"(?P<deputy>(?<!\w)(?P<all>các{_S})?phó{_S})?"  # "Phó Thủ tướng": no office of its own
_START_RE = re.compile(rf"{_DEPUTY}{_HEAD_RE.pattern}|(?<!\w)các{_S}(?={_GW})|{_DESC_RE.pattern}")
_PERSON = re.compile(rf"(?:{_S}[A-ZĐ]\w*){{{lx.DEPUTY_NAME_WORDS[0]},{lx.DEPUTY_NAME_WORDS[1]}}}(?!\w)")
_STOP_VERB_RE = re.compile(rf"(?:{_alternation(list(lx.STOP_VERBS))})(?!\w)")
_SP, _SP0, _WORD, _GAP = re.compile(_S), re.compile(_S0), re.compile(r"[\w&]+"), re.compile(rf"{_S0}[-–]{_S0}|{_S}")
_CAP_STOP, _CAP_STOP_LATER = frozenset(lx.CAP_STOP.split()), frozenset(lx.CAP_STOP_LATER.split())
_LOWER_STOP, _ALONE, _LOWER_TITLES = frozenset(lx.LOWER_STOP.split()), frozenset(lx.HEADS_ALONE), lx.LOWER_TITLES


def find_actors(text: str, offset: int = 0) -> list[ActorSpan]:
    """Bodies named in `text`, left to right; "Sở Tài chính, Sở Nội vụ và UBND các xã" gives three spans."""
    low = _low(text)
    if len(low) != len(text):  # not NFC: match as is, so that offsets stay right
        low = text.lower()
    spans: list[ActorSpan] = []
    pos = 0
    while m := _START_RE.search(low, pos):
        start, end = m.start(), None if m.group("deputy") else _parse(text, low, m.start())
        if m.group("deputy") and (person := _PERSON.match(text, m.end())):  # "Phó Thủ tướng Hồ Đức Phớc"
            words = _WORD.finditer(text, m.end(), person.end())
            end = None if any(_HEAD_RE.match(low, w.start()) for w in words) else person.end()
        elif m.group("all"):  # "các Phó Thủ tướng": all the deputies
            end = m.end()
        if end is None:  # "Phó Thủ tướng Chính phủ": a deputy is not the office, skip the whole title
            pos = m.end() if m.group("deputy") else m.start() + 1
            continue
        while end is not None:  # "UBND cấp xã và đơn vị có liên quan": bare group words listed after a body
            spans.append(ActorSpan(text[start:end], start + offset, end + offset, canonical_key(text[start:end])))
            pos, nxt = end, _NEXT_RE.match(low, end)
            start = nxt.end() if nxt else end
            if nxt is None or not text[start : start + 1].islower() or _START_RE.match(low, start):
                break  # a head or "các" starts the next body: the outer loop reads it
            end = _group(low, start, need_cac=False, single=True)
    return _with_shared_heads(text, spans, offset)


def _with_shared_heads(text: str, spans: list[ActorSpan], offset: int) -> list[ActorSpan]:
    """"các Bộ: Tài chính, Xây dựng": each listed ministry replaces the plural head ("các Bộ")."""
    items = shared_head_items(text)
    if not items:
        return spans
    taken = [(i.head[0], i.head[1]) for i in items] + [(i.start, i.end) for i in items]
    kept = [a for a in spans if not any(lo < a.end - offset and a.start - offset < hi for lo, hi in taken)]
    listed = [ActorSpan(text[i.start : i.end], i.start + offset, i.end + offset, canonical_key(i.full), i.full)
              for i in items]
    return sorted(kept + listed, key=lambda a: a.start)


def _parse(text: str, low: str, start: int) -> int | None:
    """End of the body whose name starts at `start`, or None when none does."""
    if d := _DESC_RE.match(low, start):
        return d.end()
    m = _HEAD_RE.match(low, start)
    head = " ".join(m.group().split()) if m else ""
    if m is None or not (text[start].isupper() or head in _LOWER_TITLES):
        return _group(low, start, need_cac=True)
    end, kind = m.end(), _HEAD_KIND[head]
    if head in _UPPER_HEADS and not text[start:end].isupper():
        return None
    if kind == "title":  # an office holder counts with the body it heads: "Chủ tịch UBND tỉnh"
        gap = _SP.match(low, end)
        if gap and (inner := _parse(text, low, gap.end()) or _group(low, gap.end(), need_cac=False, single=True)):
            return inner
        return end if text[start:end] in lx.TITLES_ALONE else None
    name_end = _name(text, low, end, generic=kind in ("named", "leveled") and not text[start:end].isupper())
    if name_end is None:
        nxt = _WORD.match(low, gap.end()) if (gap := _SP.match(low, end)) else None
        if text[start:end] in _ALONE and (nxt is None or nxt.group() in _LOWER_STOP):  # "Quỹ có trách nhiệm"
            return end
        if kind in ("named", "closed"):  # "Sở, ban, ngành" is a group
            return _group(low, start, need_cac=False) if low[start] in "sb" else None
        if kind in ("leveled", "level") and _LEVEL_RE.match(low, end) is None:
            return None
        name_end = end
    return _tail(text, low, name_end, place=head in _PLACE_HEADS)


def _name(text: str, low: str, end: int, generic: bool) -> int | None:
    """End of the name after a head word: known names, or capitalised parts up to a verb or a stop word."""
    if (gap := _SP.match(low, end)) is None:
        return None
    if not generic:
        return _known(text, low, gap.end())
    pos, last, lower_run, need_cap = gap.end(), None, 0, True
    while w := _WORD.match(text, pos):
        word, wl, cursor, joiner = w.group(), low[w.start() : w.end()], w.end(), False
        if (last is None or word[0].isupper()) and (known := _known(text, low, w.start())):
            last, cursor, lower_run = known, known, 2  # known parts ("… Công nghệ cao Phú Yên", "… Văn hóa, Thể thao")
        elif word[0].isupper():
            if wl in _CAP_STOP or (last is not None and wl in _CAP_STOP_LATER):
                break
            if _HEAD_RE.match(low, w.start()):
                last = _attach(text, low, w.start()) or last
                break
            last, lower_run = w.end(), 0
        elif need_cap or (word.isdigit() and last is not None and lower_run == 0):
            if word.isdigit() and not need_cap and "\n" not in text[last : w.start()]:
                last = w.end()  # "Ban Chỉ đạo 389", "Ban Quản lý Dự án 85"
            break
        elif wl in ("và", "về"):
            joiner = True
        elif not word.islower() or wl in _LOWER_STOP or lower_run >= 4 or _LEVEL_RE.match(low, w.start() - 1):
            break
        else:
            last, lower_run = w.end(), lower_run + 1
        if (g := _GAP.match(text, cursor)) is None:
            break
        need_cap, pos = joiner or "-" in g.group() or "–" in g.group(), g.end()
    return last


def _known(text: str, low: str, pos: int) -> int | None:
    """End of known name parts at `pos`, one after the other ("Dân vận Trung ương"), maybe into a body."""
    end: int | None = None
    while (m := _NAME_RE.match(low, pos)) or end is not None:
        if end is not None and text[pos].islower() and _STOP_VERB_RE.match(low, pos):  # "Sở Nội vụ xây dựng"
            break
        if (nxt := m.end() if m else _attach(text, low, pos)) is None:
            break
        end, g = nxt, _SP.match(low, nxt)
        if g is None:
            break
        pos = g.end()
    return end


def _attach(text: str, low: str, pos: int) -> int | None:
    """End of a complete body a name runs into ("Văn phòng Chính phủ", "Ban Tổ chức Tỉnh ủy")."""
    m = _HEAD_RE.match(low, pos)
    return _parse(text, low, pos) if m and " ".join(m.group().split()) in _ATTACHABLE and text[pos].isupper() else None


def _tail(text: str, low: str, end: int, place: bool = False) -> int:
    """Extend a name over its level ("tỉnh", "các xã, phường") and the place named after it."""
    level = _LEVEL_RE.match(low, end)
    if level is None and not place:
        return end
    pos = end = level.end() if level else end
    if place or level and _SINGLE_PLACE.search(" ".join(low[level.start() : end].split())):
        for _ in range(4):  # "… tỉnh Đồng Nai⏎Quy định …": a capital after a wrap may start a sentence
            sp = (_SP0 if low[pos - 1] == "." else _SP).match(text, pos)
            w = _WORD.match(text, sp.end()) if sp else None
            if sp is None or w is None or not w.group()[0].isupper() or low[w.start() : w.end()] in _CAP_STOP:
                break
            if _HEAD_RE.match(low, w.start()) or "\n" in sp.group() and text[w.end() : w.end() + 2][1:].islower():
                break
            end = pos = w.end()
    return end


def _group(low: str, start: int, need_cac: bool, single: bool = False) -> int | None:
    """End of a collective subject ("các sở, ban, ngành", "các cơ quan, đơn vị liên quan")."""
    m = _GROUP_RE.match(low, start)
    if m is None or (need_cac and not m.group("cac")):
        return None
    first = " ".join(re.split(rf",|{_S}liên|{_S}có", low[start : m.end()])[0].split()).removeprefix("các ")
    if not m.group("more") and not (first in lx.GROUP_ALONE and (m.group("cac") or single)):
        return None
    return m.end()


_CASINGS = sorted(  # single words first, so that longer names applied later win
    {n for n in (*_HEADS, *_NAMES, *lx.PROPER_NAMES) if not n.isupper() and len(fold(n)) == len(n)},
    key=lambda n: (" " in n, len(n)),
)
_KNOWN_AFTER = re.compile(" (?:" + "|".join(re.escape(fold(n)) for n in sorted(_NAMES, key=len)[::-1]) + r")(?!\w)")
_PLACE_RE = re.compile(rf"(?<!\w)(?:{'|'.join(lx.PLACE_LEVELS)}) (\w.*)$")


def pretty_body(upper: str) -> str:
    """A letterhead in capitals as running text: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" → "Ủy ban nhân dân tỉnh Hà Tĩnh"."""
    text = " ".join(to_nfc(upper).split())
    out, folded = list(text.lower()), fold(text)
    if place := _PLACE_RE.search(text.lower()):  # the place after "tỉnh", "thành phố": every word capitalised
        for w in re.finditer(r"\w+", place.group(1)):
            out[place.start(1) + w.start()] = out[place.start(1) + w.start()].upper()
    for name in _CASINGS:  # known names keep their casing
        for m in re.finditer(rf"(?<!\w){re.escape(fold(name))}(?!\w)", folded):
            if name in _HEADS and " " not in name and m.start() and not _KNOWN_AFTER.match(folded, m.end()):
                continue  # "Sở", "Bộ" inside a line only before a name they head
            for i, ch in enumerate(name, m.start()):
                out[i] = out[i].upper() if ch.isupper() else out[i].lower()
    return "".join(out[:1]).upper() + "".join(out[1:])


_ISSUERS = {fold(code): body for code, body in lx.ISSUERS.items()}
_DOC_KINDS, _JOINT_KINDS = frozenset(lx.DOC_KINDS.split()), frozenset(lx.JOINT_KINDS)


def issuer_from_symbol(number: str) -> str | None:
    """The body a document symbol names ("2623/QĐ-TTg" → "Thủ tướng Chính phủ"); None when it does not say."""
    m = DOC_NUMBER_RE.search(to_nfc(number))
    parts = [p for p in re.split(r"[/\-.]", m.group()) if p and not p.isdigit()] if m else []
    if parts and fold(parts[0]) in _DOC_KINDS:  # "QĐ-TTg": kind, then issuer; "TTLT-BTC-BNV": several issuers
        parts = [] if fold(parts[0]) in _JOINT_KINDS else parts[1:]
    code = fold(parts[0]) if parts else ""
    return _ISSUERS.get(code) or _ISSUERS.get(re.sub(r"\d+$", "", code)) if code else None
