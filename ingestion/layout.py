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
_PLACE_DATE = re.compile(r"(?m)^" + lex.PLACE_DATE)
_TEXT_DATE = re.compile(lex.TEXT_DATE)
_SUBJECT = re.compile(lex.SUBJECT_PREFIX)
_CONG_VAN_SUBJECT = re.compile(lex.CONG_VAN_SUBJECT)
_TELEGRAM_TO = re.compile(lex.TELEGRAM_TO)
_RECIPIENTS_TO = re.compile(lex.RECIPIENTS_TO)
_TOKEN = re.compile(rf"(?P<num>{lex.NUMBER})|(?P<word>[^\W\d_]+)")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")
_MOTTOS = {"".join(c for c in fold(m) if c.isalnum()) for m in lex.MOTTO_LINES}
_KINDS_RE = "|".join(sorted(lex.DOC_KINDS, key=len, reverse=True))
_REFERENCE = re.compile(rf"(?P<kind>{_KINDS_RE})(?:\s+số)?\s*:?\s+(?P<number>{lex.NUMBER})(?![\w/-])", re.IGNORECASE)


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
    mid-sentence ("TỈNH ĐẮK LẮK" → "tỉnh Đắk Lắk", "32/CT-TTG" → "32/CT-TTg")."""

    def __init__(self, text: str) -> None:
        self.mixed = [line for line in text.split("\n") if line and not is_upper(line)]
        self.forms: dict[str, str | None] = {}
        self.numbers = {fkey(m.group(0)): m.group(0) for line in self.mixed for m in _NUMBER.finditer(line)}

    def _learn(self, words: set[str]) -> None:
        counts: dict[str, Counter[str]] = {w: Counter() for w in words}
        for line in self.mixed:
            for m in _TOKEN.finditer(line):
                w = m.group("word")
                if w and w.lower() in counts and m.start() and line[: m.start()].rstrip()[-1:] not in ".!?:;-+(\"“":
                    counts[w.lower()][w] += 1
        self.forms.update({w: (c.most_common(1)[0][0] if c else None) for w, c in counts.items()})

    def __call__(self, upper: str) -> str:
        self._learn({m.group(0).lower() for m in re.finditer(r"[^\W\d_]+", upper)} - self.forms.keys())

        def repl(m: re.Match[str]) -> str:
            if m.group("num"):
                return self.numbers.get(fkey(m.group(0)), m.group(0))
            w = m.group("word")
            form = self.forms.get(w.lower())
            if form:
                return form
            return w if _ROMAN.match(w) or not re.search("[aeiouy]", fold(w)) else w.lower()

        return _TOKEN.sub(repl, " ".join(upper.split()))

    def title(self, heading: str) -> tuple[str | None, str]:
        """Kind and title of a heading ("KẾ HOẠCH TRIỂN KHAI ..." → "Kế hoạch triển khai ...")."""
        kind = kind_at_start(heading)
        rest = " ".join(heading.split()[kind[1] :]) if kind else heading
        rest = self(rest) if is_upper(rest) else rest
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
    heads = tuple(fold(h) for h in lex.BODY_HEADS)
    for i in rows:
        prev = ls.joined(segs[-1][0], segs[-1][-1]) if segs else ""
        opens = fold(ls.s[i] + " ").startswith(heads)
        incomplete = prev.endswith(",") or fold(prev.split()[-1]) in {fold(c) for c in lex.CONNECTORS} if prev else True
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
    while j < stop and ls.s[j] and is_upper(ls.s[j]) and not _RULE.match(ls.s[j]) and not _TELEGRAM_TO.match(ls.s[j]):
        run.append(j)
        j += 1
    heads = tuple(fold(h) for h in lex.AUTHORITY_HEADS)
    for cut in range(max(1, len(run) - 2), len(run)):
        prev_word = fold(ls.s[run[cut - 1]].split()[-1]) if run[cut - 1] else ""
        if fold(ls.s[run[cut]]).startswith(heads) and prev_word not in lex.CONNECTORS and not rest:
            run, last = run[:cut], run[-1]
            break
    lines = ([rest] if rest else []) + [ls.s[r] for r in run]
    return lines, max(last, run[-1] if run else k)


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


def _news(text: str, out: OfficialLayout) -> None:
    """A page about a document: its kind, number, date, issuer and subject from the lead sentences."""
    lead = "\n".join(line for line in text.split("\n")[:12] if line.strip())
    ref = _REFERENCE.search(lead)
    if not ref:
        return
    number = ref.group("number")
    start = text.find(number)
    out.doc_kind = ref.group("kind")[:1].upper() + ref.group("kind")[1:].lower()
    out.number = Field(number, start, start + len(number))
    num = re.escape(number)
    when = re.search(rf"Ngày\s+(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}),\s*(?P<who>[^,.;\n]{{3,80}}?)\s+{lex.ISSUED_VERBS}\s+"
                     rf"(?:{_KINDS_RE})(?:\s+số)?\s+{num}", lead, re.IGNORECASE)
    if when:
        iso = _iso(when.group(1), when.group(2), when.group(3))
        out.published = Field(iso, when.start() + 5, when.start() + 5 + len(when.group(0).split(",")[0]) - 5) if iso else None
    out.issuer = issuer_from_symbol(number) or (when.group("who").strip() if when else None)
    about = re.search(rf"{num}(?:\s+năm\s+\d{{4}})?\s+(?P<about>[Vv]ề\s[^.?!:\n]{{5,300}})", lead)
    if about:
        out.abstract = about.group("about")[:1].upper() + about.group("about")[1:].strip()
        out.title = f"{out.doc_kind} {about.group('about')[:1].lower()}{about.group('about')[1:].strip()}"


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
    dated = _PLACE_DATE.search(head, ls.starts[after] if after < n else len(head))
    date_line = None
    if dated and dated.group("place")[:1].isupper():
        out.place = " ".join(dated.group("place").split())
        iso = _date_of(dated)
        out.published = Field(iso, dated.start("date"), dated.end("date")) if iso else None
        date_line = ls.line_at(dated.end())
    recase = _Recaser(text)
    end = max([after - 1, date_line or 0])
    kind_line = next((i for i in range(after, limit) if is_upper(ls.s[i]) and kind_at_start(ls.s[i])), None)
    abstract: list[str] = []
    if kind_line is not None:
        kind, words = kind_at_start(ls.s[kind_line]) or ("", 0)
        out.doc_kind = kind if kind not in lex.ATTACHMENT_ONLY_KINDS else None
        abstract, end = _abstract(ls, kind_line, " ".join(ls.s[kind_line].split()[words:]), limit)
        abstract = [_SUBJECT.sub("", " ".join(abstract))] if abstract else []
    else:
        lo = num_line + 1 if num_line is not None else after
        subj = next((i for i in range(lo, limit) if _CONG_VAN_SUBJECT.match(ls.s[i])), None)
        if subj is not None:
            subject, last = _collect_subject(ls, subj, date_line if date_line and date_line > subj else limit)
            abstract, end, out.doc_kind = [subject], max(end, last), "Công văn"
    to = next((i for i in range(0, min(n, limit + 40)) if _RECIPIENTS_TO.match(ls.s[i]) or _TELEGRAM_TO.match(ls.s[i])), None)
    if to is not None and to < limit + 40 and (to <= end + 12 or to < 3):
        m = _RECIPIENTS_TO.match(ls.s[to])
        first = ls.s[to][m.end() :].strip() if m else ""
        if m and first == "" and to + 1 < n and ls.s[to + 1].startswith("gửi"):
            pass
        out.recipients, last = _recipients(ls, to, first)
        end = max(end, last)
        if out.doc_kind is None and m:
            out.doc_kind = "Công văn"
    if abstract and abstract[0]:
        words = abstract[0]
        rest = recase(words) if is_upper(words) else words
        first_word = rest.split()[0] if rest.split() else ""
        proper = recase.forms.get(first_word.lower()) or (first_word if not first_word[:1].islower() and not is_upper(words) else None)
        rest_l = rest if proper and proper[:1].isupper() and is_upper(words) else rest[:1].lower() + rest[1:]
        out.abstract = rest[:1].upper() + rest[1:]
        out.title = f"{out.doc_kind} {rest_l}" if out.doc_kind else out.abstract
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
    out.is_official = bool(out.issuer or num or motto or (kind_line is not None and sign))
    if out.is_official and sign:
        out.signer, out.signer_title, out.signing_authority = sign.name, sign.title, sign.authority
    _fill_from_attachments(text, out, [f for _, f in attached])
    if not out.is_official:
        _news(text, out)
    return out


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
            out.issuer = issuer_from_symbol(f["number"]) or (strip_position(f["issuer"]) if f["issuer"] else None)
        break
    if out.issuer is None and out.number is not None and out.is_official:
        out.issuer = issuer_from_symbol(out.number.value)
    if out.title is None and out.doc_kind and out.abstract:
        out.title = f"{out.doc_kind} {out.abstract[:1].lower()}{out.abstract[1:]}"
    _ = starts_with
