"""Read the layout of an official document (Nghị định 30/2020/NĐ-CP) into metadata.

Copies keep the printed page's hard wraps and linearise its two-column header: letterhead, motto,
"Số:", place and date, the kind line and its upper-case abstract (or "V/v ..." for a Công văn),
"Kính gửi:", the body, then "Nơi nhận:" beside the signature block and attached documents
(layout_signature). Every field that answers "who / when / which number" keeps its offsets, so
the answer cites the text as written. Pages that only talk about a document (news, legal Q&A) get
what their lead sentence says about it, and never a signer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ingestion.actors import issuer_from_symbol, pretty_body
from ingestion.layout_signature import (
    Attachment,
    Field,
    Lines,
    attachments,
    fkey,
    is_upper,
    kind_at_start,
    pick_signature,
    recipients_block,
    signatures,
    starts_with,
    strip_position,
)
from ingestion.lexicon import layout as lex
from vectorstore.analyzer import fold

__all__ = ["Attachment", "Field", "OfficialLayout", "parse_layout"]

_RULE = re.compile(r"^[-–—_=*.•\s]{1,}$")
_NUMBER_LINE = re.compile(lex.NUMBER_LINE, re.MULTILINE)
_NUMBER = re.compile(rf"(?<![\w/.-]){lex.NUMBER}(?![\w/-])")
_PLACE_DATE = re.compile(lex.PLACE_DATE)
_TEXT_DATE = re.compile(lex.TEXT_DATE)
_SUBJECT = re.compile(lex.SUBJECT_PREFIX)
_CONG_VAN_SUBJECT = re.compile(lex.CONG_VAN_SUBJECT)
_TELEGRAM_TO = re.compile(lex.TELEGRAM_TO)
_RECIPIENTS_TO = re.compile(lex.RECIPIENTS_TO)
_WORDS = re.compile(r"[^\W\d_]+")
_OPENING = ".!?:;-+•(\"“”'"
_TOKEN = re.compile(rf"(?P<num>{lex.NUMBER})|(?P<word>[^\W\d_]+)")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")
_MOTTOS = {"".join(c for c in fold(m) if c.isalnum()) for m in lex.MOTTO_LINES}
_KINDS_RE = "|".join(sorted(lex.DOC_KINDS, key=len, reverse=True))
_BODY_HEADS = [fkey(h) for h in lex.BODY_HEADS]
_AUTHORITY_HEADS = [fkey(h) for h in lex.AUTHORITY_HEADS]
_REF = rf"(?P<kind>{_KINDS_RE})(?:\s+số)?\s*:?\s+(?P<number>{lex.NUMBER})(?![\w/-])"
_REFERENCE = re.compile(_REF, re.IGNORECASE)
_ISSUED = re.compile(
    rf"Ngày\s+(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}}),\s*(?P<who>[^,.;\n]{{3,80}}?)\s+{lex.ISSUED_VERBS}\s+{_REF}",
    re.IGNORECASE,
)


@dataclass
class OfficialLayout:
    is_official: bool = False
    issuer: str | None = None
    parent_issuer: str | None = None
    issuer_span: tuple[int, int] | None = None
    number: Field | None = None
    place: str | None = None
    published: Field | None = None
    doc_kind: str | None = None
    abstract: str | None = None
    title: str | None = None
    recipients: list[str] = field(default_factory=list)
    signer: Field | None = None
    signer_title: str | None = None
    signing_authority: str | None = None
    recipients_block: tuple[int, int] | None = None
    motto_block: tuple[int, int] | None = None
    body_start: int = 0
    attachments: list[Attachment] = field(default_factory=list)


def _iso(d: str | None, m: str | None, y: str | None) -> str | None:
    try:
        return date(int(y or ""), int(m or ""), int(d or "")).isoformat()
    except ValueError:
        return None


def _date_of(m: re.Match[str]) -> str | None:
    return _iso(m.group("d") or m.group("d2"), m.group("m") or m.group("m2"), m.group("y") or m.group("y2"))


class _Recaser:
    """Upper-case headings back to sentence case, each word as the document's own prose writes it
    mid-sentence, next to the same neighbour where it can ("CÁN BỘ CỦA BỘ TƯ PHÁP" → "cán bộ của
    Bộ Tư pháp", "TỈNH ĐẮK LẮK" → "tỉnh Đắk Lắk", "32/CT-TTG" → "32/CT-TTg")."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._tokens: list[tuple[str, bool]] = []
        self._index: dict[str, list[int]] | None = None
        self._numbers: dict[str, str] | None = None

    def index(self) -> dict[str, list[int]]:
        """Words of the prose (upper-case lines left out) with whether each opens a sentence, and
        where each lower-cased word occurs. The first PROSE_CHARS characters are evidence enough."""
        if self._index is None:
            self._index, ended = {}, True
            for line in self.text[: lex.PROSE_CHARS].split("\n"):
                if not line.strip() or is_upper(line):
                    self._tokens.append(("", True))
                    ended = True
                    continue
                for m in _WORDS.finditer(line):
                    before = line[max(0, m.start() - 3) : m.start()].rstrip()
                    self._index.setdefault(m.group(0).lower(), []).append(len(self._tokens))
                    self._tokens.append((m.group(0), ended if not before else before[-1] in _OPENING))
                ended = line.rstrip()[-1:] in ".!?:;"
        return self._index

    def forms(self, words: list[str]) -> list[str | None]:
        """How the prose writes each word mid-sentence: beside the same left neighbour, else the same
        right one, else anywhere (not for a phrase's first word: mostly a verb, capitalised only where
        it opens a sentence)."""
        low, toks, index = [w.lower() for w in words], self._tokens, self.index()
        out: list[str | None] = []
        for i, w in enumerate(low):
            seen: tuple[Counter[str], Counter[str], Counter[str]] = (Counter(), Counter(), Counter())
            for p in index.get(w, [])[: lex.MAX_OCCURRENCES]:
                tok, initial = toks[p]
                if initial:
                    continue
                if i and toks[p - 1][0].lower() == low[i - 1]:
                    seen[0][tok] += 1
                if i + 1 < len(low) and p + 1 < len(toks) and toks[p + 1][0].lower() == low[i + 1]:
                    seen[1][tok] += 1
                seen[2][tok] += 1
            best = next((c for c in seen[: 3 if i or len(low) == 1 else 2] if c), None)
            out.append(best.most_common(1)[0][0] if best else None)
        return out

    def __call__(self, upper: str) -> str:
        if self._numbers is None:
            self._numbers = {fkey(m.group(0)): m.group(0) for m in _NUMBER.finditer(self.text) if not m.group(0).isupper()}
        upper = " ".join(upper.split())
        words = [m.group("word") for m in _TOKEN.finditer(upper) if m.group("word")]
        forms = iter(self.forms(words))

        def repl(m: re.Match[str]) -> str:
            if m.group("num"):
                return self._numbers.get(fkey(m.group(0)), m.group(0)) if self._numbers else m.group(0)
            w, form = m.group("word"), next(forms)
            if form:
                return form
            return w if _ROMAN.match(w) or not re.search("[aeiouy]", fold(w)) else w.lower()

        return _TOKEN.sub(repl, upper)

    def phrase(self, text: str) -> str:
        """A heading's words as they read after a kind word: recased if upper, first word in lower
        case unless the prose writes it capitalised ("V/v Tuyên truyền" → "tuyên truyền")."""
        text = " ".join(text.split())
        if is_upper(text):
            return self(text)
        first = text.split()[0] if text.split() else ""
        form = self.forms([first])[0] if first[:1].isupper() and first[1:2].islower() else None
        return text if form and form[:1].isupper() else text[:1].lower() + text[1:]

    def title(self, heading: str) -> tuple[str | None, str]:
        """Kind and title of a heading ("KẾ HOẠCH TRIỂN KHAI ..." → "Kế hoạch triển khai ...")."""
        kind = kind_at_start(heading)
        rest = self.phrase(" ".join(heading.split()[kind[1] :]) if kind else heading)
        if kind:
            return kind[0], f"{kind[0]} {rest}".strip()
        return None, rest[:1].upper() + rest[1:]


def _motto(ls: Lines, limit: int) -> tuple[int, int] | None:
    first = last = -1
    i = 0
    while i < limit:
        for n in (1, 2, 3):
            if "".join(c for c in fold(" ".join(ls.s[i : i + n])) if c.isalnum()) in _MOTTOS:
                first, last, i = (i if first < 0 else first), i + n - 1, i + n
                break
        else:
            if first >= 0 and i == last + 1 and ls.s[i] and _RULE.match(ls.s[i]):
                last = i
            elif first >= 0 and i > last + 2:
                break
            i += 1
    return (first, last) if first >= 0 else None


def _segments(ls: Lines, rows: list[int]) -> list[list[int]]:
    """Letterhead lines grouped into bodies: a line naming a new body opens one."""
    segs: list[list[int]] = []
    for i in rows:
        prev = ls.joined(segs[-1][0], segs[-1][-1]) if segs else ""
        opens = any(starts_with(fkey(ls.s[i]), h) for h in _BODY_HEADS)
        words = fkey(prev).split()
        incomplete = len(words) < 2 or prev.endswith(",") or words[-1] in lex.CONNECTORS
        if not segs or (opens and not incomplete and prev.lower() not in lex.BARE_UNITS):
            segs.append([i])
        else:
            segs[-1].append(i)
    return segs


def _issuer(ls: Lines, rows: list[int], out: OfficialLayout) -> None:
    segs = _segments(ls, rows)
    if not segs:
        return
    names = [pretty_body(ls.joined(s[0], s[-1])) for s in segs]
    child, parent = names[-1], (names[-2] if len(names) > 1 else None)
    if parent and child.lower() in lex.BARE_UNITS:
        child = f"{child} {lex.PARENT_AS_OWNER.get(parent.lower(), parent)}"
    elif parent and not any(w in child.lower() for w in lex.LOCALITY_WORDS):
        where = [parent.lower().find(w) for w in lex.LOCALITY_WORDS if re.search(rf"\b{w}\b", parent.lower())]
        if where:
            child = f"{child} {parent[min(where):]}"
    out.issuer, out.parent_issuer, out.issuer_span = child, parent, ls.span(segs[-1][0], segs[-1][-1])


def _place_date(head: str, pos: int) -> re.Match[str] | None:
    """ "Hà Tĩnh, ngày 19 tháng 11 năm 2025" starting at pos, the place in capitalised words."""
    m = _PLACE_DATE.match(head, pos)
    ok = m and all(w[:1].isupper() or w in lex.PLACE_LOWER_WORDS for w in m.group("place").split())
    return m if ok else None


def _kind_line(ls: Lines, i: int) -> tuple[int, str, str] | None:
    """The kind line at i: its last line, the kind and the rest of it ("QUYẾT\nĐỊNH", "NGHỊ ĐỊNHVề ...")."""
    line = ls.s[i]
    for k in lex.DOC_KINDS:
        up = k.upper()
        if line.startswith(up) and line[len(up) : len(up) + 1].isupper() and line[len(up) + 1 : len(up) + 2].islower():
            return i, k, line[len(up) :]  # kind glued to a mixed-case subject by the copy
    if not is_upper(line):
        return None
    for j in (i, i + 1):
        joined = ls.joined(i, j) if j < len(ls) else ""
        kind = kind_at_start(joined)
        if kind and (j == i or kind[1] > len(line.split())):
            return j, kind[0], " ".join(joined.split()[kind[1] :])
    return None


def _collect_subject(ls: Lines, i: int, stop: int) -> tuple[str, int]:
    """A "V/v ..." subject wrapped over lines, up to the date, "Kính gửi" or a blank line."""
    parts, j = [ls.s[i]], i + 1
    while j < min(stop, i + 5) and ls.s[j] and not _RECIPIENTS_TO.match(ls.s[j]) and not _PLACE_DATE.match(ls.s[j]):
        if not (ls.s[j][:1].islower() or ls.s[j - 1][-1:] not in ".;:"):
            break
        parts.append(ls.s[j])
        j += 1
    return _SUBJECT.sub("", " ".join(parts)).strip(" .;"), j - 1


def _abstract(ls: Lines, k: int, rest: str, stop: int) -> tuple[list[str], int]:
    """The upper-case abstract after the kind line k, without the deciding authority's line."""
    run, j = [], k + 1
    while j < stop and not ls.s[j] and not rest:
        j += 1
    last = k
    if j < stop and not rest and _CONG_VAN_SUBJECT.match(ls.s[j]) and not is_upper(ls.s[j]):
        subject, last = _collect_subject(ls, j, stop)
        return [subject], last
    while j < stop and ls.s[j] and is_upper(ls.s[j]) and not _RULE.match(ls.s[j]) and not _TELEGRAM_TO.match(ls.s[j]):
        run.append(j)
        j += 1
    if run and j < stop and _TELEGRAM_TO.match(ls.s[j]) and len(ls.s[run[-1]].split()) <= 2:
        run, last = run[:-1], run[-1]  # "THỦ\nTƯỚNG CHÍNH PHỦ điện:" wrapped
    for cut in range(max(1, len(run) - 2), len(run)):
        prev_word = fkey(ls.s[run[cut - 1]]).split()[-1:]
        heads = any(starts_with(fkey(ls.s[run[cut]]), h) for h in _AUTHORITY_HEADS)
        if heads and prev_word[0] not in lex.CONNECTORS and not rest:
            run, last = run[:cut], run[-1]
            break
    lines = ([rest] if rest else []) + [ls.s[r] for r in run]
    return lines, max(last, run[-1] if run else k)


def _addressees(ls: Lines, stop: int) -> tuple[int | None, str | None]:
    """The "Kính gửi:" line (also "Kính\ngửi:") and what follows it there; "X điện:" for a Công điện."""
    for i in range(stop):
        m = _RECIPIENTS_TO.match(ls.s[i] + "\n" + (ls.s[i + 1] if i + 1 < len(ls) else ""))
        if m and m.end() > len(ls.s[i]):
            return i + 1, ls.s[i + 1][m.end() - len(ls.s[i]) - 1 :].strip()
        if m:
            return i, ls.s[i][m.end() :].strip()
        if _TELEGRAM_TO.match(ls.s[i]):
            return i, None
    return None, None


def _recipients(ls: Lines, i: int, first: str) -> tuple[list[str], int]:
    """ "Kính gửi:" on one line (maybe wrapped) or as a list of "- ..." items."""
    items: list[str] = [first] if first else []
    j = i + 1
    openers = tuple(lex.BODY_OPENERS)
    while j < len(ls) and ls.s[j] and not ls.s[j].startswith(openers):
        s, prev = ls.s[j], (items[-1] if items else "")
        if s[:1] in "-+•" and s[1:2] == " " or _RECIPIENTS_TO.match(s):
            items.append(_RECIPIENTS_TO.sub("", s).lstrip("-+• ").strip())
        elif items and (s[:1].islower() or prev[-1:] in ",:" or (first == "" and prev[-1:] not in ".;")):
            items[-1] += " " + s
        else:
            break
        j += 1
    return [x.strip(" ;,.") for x in items if x.strip(" ;,.")], j - 1


def _news(ls: Lines, out: OfficialLayout) -> None:
    """A page about a document: the one its headline names, or its lead's "Ngày 13/9/2025, Thủ tướng
    Chính phủ đã có Chỉ thị 24/CT-TTg về ...": kind, number, date, issuer and subject; never a signer."""
    head = ls.text[: ls.starts[min(len(ls), lex.LEAD_LINES) - 1] + len(ls.raw[min(len(ls), lex.LEAD_LINES) - 1])]
    when = _ISSUED.search(head)
    ref = when or _REFERENCE.search(head, 0, len(ls.raw[0]))
    if not ref:
        return
    number = ref.group("number")
    out.doc_kind = next(k for k in lex.DOC_KINDS if k.lower() == " ".join(ref.group("kind").lower().split()))
    out.number = Field(number, ref.start("number"), ref.end("number"))
    if when:
        iso = _iso(when.group("d"), when.group("m"), when.group("y"))
        out.published = Field(iso, when.start(), when.end("y")) if iso else None
    out.issuer = issuer_from_symbol(number) or (" ".join(when.group("who").split()) if when else None)
    abouts = list(re.finditer(rf"{re.escape(number)}(?:\s+năm\s+\d{{4}})?\s+(?P<about>[Vv]ề\s[^.?!:\n]{{5,300}})", head))
    about = next((m for m in abouts if m.start() > len(ls.raw[0])), abouts[0] if abouts else None)
    if about:
        rest = re.sub(lex.QUESTION_TAIL, "", " ".join(about.group("about").split()))
        out.abstract = rest[:1].upper() + rest[1:]
        out.title = f"{out.doc_kind} {rest[:1].lower()}{rest[1:]}"


def parse_layout(text: str) -> OfficialLayout:
    """The layout of one document (cleaned text); fields stay None where the page does not state them."""
    ls, out = Lines(text), OfficialLayout()
    n = len(ls)
    limit = next((i for i in range(1, min(n, 80)) if ls.s[i].startswith(tuple(lex.BODY_OPENERS))), min(n, 80))
    motto = _motto(ls, min(limit, 20))
    head = text[: ls.starts[limit - 1] + len(ls.raw[limit - 1])] if limit else ""
    num = _NUMBER_LINE.search(head)
    num_line = ls.line_at(num.start()) if num else None
    if num and num.group("number"):
        out.number = Field(num.group("number"), num.start("number"), num.end("number"))
    top = motto[0] if motto and motto[0] > 0 else (num_line if num_line is not None else 0)
    rows = [i for i in range(top) if ls.s[i] and not _RULE.match(ls.s[i])]
    if rows and len(rows) <= 8 and all(is_upper(ls.s[i]) and not kind_at_start(ls.s[i]) for i in rows):
        _issuer(ls, rows, out)
    if motto:
        out.motto_block = ls.span(motto[0], motto[1])
    marks = [m for m in (motto and motto[1], num_line, rows[-1] if out.issuer else None) if m is not None]
    after = max(marks) + 1 if marks else 0
    dated = next((m for i in range(after, limit) if (m := _place_date(head, ls.starts[i]))), None)
    date_line = date_first = None
    if dated:
        out.place = " ".join(dated.group("place").split())
        iso = _date_of(dated)
        out.published = Field(iso, dated.start("date"), dated.end("date")) if iso else None
        date_line, date_first = ls.line_at(dated.end()), ls.line_at(dated.start())
    recase = _Recaser(text)
    end = max([after - 1, date_line or 0])
    found = next((k for i in range(after, limit) if (k := _kind_line(ls, i))), None)
    kind_line = found[0] if found else None
    abstract: list[str] = []
    if found:
        kind_line, kind, rest = found
        out.doc_kind = kind if kind not in lex.ATTACHMENT_ONLY_KINDS else None
        abstract, end = _abstract(ls, kind_line, rest, limit)
        abstract = [_SUBJECT.sub("", " ".join(abstract))] if abstract else []
    else:
        lo = num_line + 1 if num_line is not None else after
        subj = next((i for i in range(lo, limit) if _CONG_VAN_SUBJECT.match(ls.s[i])), None)
        if subj is not None:
            subject, last = _collect_subject(ls, subj, date_first if date_first and date_first > subj else limit)
            abstract, end, out.doc_kind = [subject], max(end, last), "Công văn"
    to, first = _addressees(ls, min(n, limit + 40))
    if to is not None and (to <= end + 12 or to < 3):
        out.recipients, last = _recipients(ls, to, first or "")
        end = max(end, last)
        if out.doc_kind is None and first is not None:
            out.doc_kind = "Công văn"
    if abstract and abstract[0]:
        rest = recase.phrase(abstract[0])
        out.abstract = rest[:1].upper() + rest[1:]
        out.title = f"{out.doc_kind} {rest}" if out.doc_kind else out.abstract
    body = next((i for i in range(end + 1, n) if ls.s[i] and not _RULE.match(ls.s[i])), n)
    out.body_start = ls.span(body, body)[0] if body < n and (marks or kind_line is not None or to is not None) else 0
    attached = attachments(ls, recase.title)
    out.attachments = [a for a, _ in attached]
    main_end = ls.line_at(attached[0][0].start) if attached else n
    found = signatures(ls, ls.line_at(out.body_start), main_end)
    nn = recipients_block(ls, ls.line_at(out.body_start), main_end, None)
    sign = pick_signature(ls, found, nn[0] if nn else None)
    nn = recipients_block(ls, ls.line_at(out.body_start), main_end, sign)
    out.recipients_block = nn[1] if nn else None
    out.is_official = bool(out.issuer or num or motto or ((kind_line is not None or to is not None or nn) and sign))
    if out.is_official and sign:
        out.signer, out.signer_title, out.signing_authority = sign.name, sign.title, sign.authority
    _fill_from_attachments(text, out, [f for _, f in attached])
    if not out.is_official:
        _news(ls, out)
    return out


def _locality(text: str, issuer: str) -> str:
    """ "Ủy ban nhân dân Thành phố" → "... Thành phố Hồ Chí Minh": the place the page names most."""
    word = next((w for w in lex.LOCALITY_WORDS if fkey(issuer).endswith(" " + w)), None)
    if word is None:
        return issuer
    names: Counter[str] = Counter()
    for m in re.finditer(r"\s+".join(word.split()) + r"\s+((?:[^\W\d_]+[ \t]?){1,4})", text, re.IGNORECASE):
        words: list[str] = []
        for w in m.group(1).split():
            if not w[:1].isupper():
                break
            words.append(w)
        if words:
            names[" ".join(words)] += 1
    return f"{issuer} {names.most_common(1)[0][0]}" if names else issuer


def _fill_from_attachments(text: str, out: OfficialLayout, facts: list[dict[str, str | None]]) -> None:
    """Pages without a letterhead: number, date and issuer from "(Kèm theo Công văn số ... của ...)"."""
    for f in facts:
        if out.doc_kind and f["kind"] != out.doc_kind or not f["number"]:
            continue
        out.doc_kind = out.doc_kind or f["kind"]
        if out.number is None:
            start = text.find(f["number"])
            out.number = Field(f["number"], start, start + len(f["number"]))
        if out.published is None and f["date"]:
            m = _TEXT_DATE.search(f["date"])
            iso = _date_of(m) if m else None
            start = text.find(f["date"])
            out.published = Field(iso, start, start + len(f["date"])) if iso and start >= 0 else None
        if out.issuer is None:
            out.issuer = issuer_from_symbol(f["number"]) or (_locality(text, strip_position(f["issuer"])) if f["issuer"] else None)
        break
    if out.issuer is None and out.number is not None and out.is_official:
        out.issuer = issuer_from_symbol(out.number.value)
    if out.title is None and out.doc_kind and out.abstract:
        out.title = f"{out.doc_kind} {out.abstract[:1].lower()}{out.abstract[1:]}"
    _ = starts_with
