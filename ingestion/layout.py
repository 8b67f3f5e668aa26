"""Read the layout of an official document (Nghị định 30/2020/NĐ-CP) into metadata.

Copies keep the printed page's hard wraps and linearise its two-column header: letterhead, motto,
"Số:", place and date, the kind line and its upper-case abstract (or "V/v ..." for a Công văn),
"Kính gửi:", the body, then "Nơi nhận:" beside the signature block and attached documents
(layout_signature). Every field that answers "who / when / which number" keeps its offsets, so an
answer cites the text as written. Pages that only talk about a document (news, legal Q&A) get what
their headline or lead says about it, and never a signer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion import layout_signature as foot
from ingestion.actors import issuer_from_symbol, pretty_body
from ingestion.layout_attachments import attached_facts, attachments
from ingestion.layout_signature import Attachment, Field, Lines, fkey, is_upper, kind_at_start, starts_with
from ingestion.lexicon import layout as lex
from ingestion.recase import Recaser
from vectorstore.analyzer import fold

__all__ = ["Attachment", "Field", "OfficialLayout", "parse_layout"]

_RULE = re.compile(r"^[-–—_=*.•\s]+$")
_NUMBER_LINE = re.compile(lex.NUMBER_LINE, re.MULTILINE)
_PLACE_DATE = re.compile(lex.PLACE_DATE)
_SUBJECT = re.compile(lex.SUBJECT_PREFIX)
_CONG_VAN_SUBJECT = re.compile(lex.CONG_VAN_SUBJECT)
_TELEGRAM_TO = re.compile(lex.TELEGRAM_TO)
_RECIPIENTS_TO = re.compile(lex.RECIPIENTS_TO)  # the abstract stops at "Kính gửi"
_MOTTOS = {"".join(c for c in fold(m) if c.isalnum()) for m in lex.MOTTO_LINES}
_BODY_HEADS = [fkey(h) for h in lex.BODY_HEADS]
_AUTHORITY_HEADS = [fkey(h) for h in lex.AUTHORITY_HEADS]
_BARE_UNITS = {fkey(u) for u in lex.BARE_UNITS}
_CONNECTORS = {fkey(c) for c in lex.CONNECTORS}
_REF = (rf"(?P<kind>{'|'.join(sorted(lex.DOC_KINDS, key=len, reverse=True))})(?:\s+số)?\s*:?\s+"
        rf"(?P<number>{lex.NUMBER})(?![\w/-])")
_REFERENCE = re.compile(_REF, re.IGNORECASE)
_AFTER_NUMBER_DATE = re.compile(r"\s*,?\s*(?P<date>ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}))")
_ISSUED = re.compile(rf"Ngày\s+(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}}),\s*(?P<who>[^,.;\n]{{3,80}}?)\s+"
                     rf"{lex.ISSUED_VERBS}\s+{_REF}", re.IGNORECASE)


@dataclass
class OfficialLayout:
    """What the layout states; every offset indexes the text given to parse_layout."""

    is_official: bool = False  # letterhead, motto or "Số:", or a kind line / addressees / "Nơi nhận" + signature
    issuer: str | None = None  # readable; the body itself ("Sở Y tỉnh X" under "UBND TỈNH X")
    parent_issuer: str | None = None
    issuer_span: tuple[int, int] | None = None
    number: Field | None = None
    place: str | None = None
    published: Field | None = None  # value: ISO date
    doc_kind: str | None = None
    abstract: str | None = None  # trích yếu in sentence case, "V/v" dropped
    title: str | None = None  # kind + abstract
    recipients: list[str] = field(default_factory=list)  # "Kính gửi:" addressees
    signer: Field | None = None  # the main document's, never one of a page that is not official
    signer_title: str | None = None  # "Phó Chủ tịch"
    signing_authority: str | None = None  # "TM. Ủy ban nhân dân, KT. Chủ tịch"
    recipients_block: tuple[int, int] | None = None  # "Nơi nhận:" and its list, kept out of answers
    motto_block: tuple[int, int] | None = None
    body_start: int = 0
    attachments: list[Attachment] = field(default_factory=list)


def _motto(ls: Lines, limit: int) -> tuple[int, int] | None:
    """First and last line of the motto (wrapped anywhere), with the rule under it."""
    first = last = -1
    i = 0
    while i < limit:
        n = next((n for n in (1, 2, 3) if ls.s[i] and not _RULE.match(ls.s[i])
                  and "".join(c for c in fold(" ".join(ls.s[i : i + n])) if c.isalnum()) in _MOTTOS), 0)
        if n:
            first, last = (i if first < 0 else first), i + n - 1
        elif first >= 0 and i == last + 1 and ls.s[i] and _RULE.match(ls.s[i]):
            last = i
        elif first >= 0 and i > last + 2:
            break
        i += n or 1
    return (first, last) if first >= 0 else None


def _issuer(ls: Lines, rows: list[int], out: OfficialLayout) -> None:
    """Letterhead lines grouped into bodies (a line naming a new body opens one); the last is the
    issuer, the one above its parent. A bare unit takes its parent's name, a Sở its parent's place."""
    segs: list[list[int]] = []
    for i in rows:
        prev = fkey(ls.joined(segs[-1][0], segs[-1][-1])) if segs else ""
        complete = len(prev.split()) > 1 and not ls.s[i - 1].endswith(",") and prev.split()[-1] not in _CONNECTORS
        if not segs or (any(starts_with(fkey(ls.s[i]), h) for h in _BODY_HEADS) and complete
                        and prev not in _BARE_UNITS):
            segs.append([i])
        else:
            segs[-1].append(i)
    names = [pretty_body(ls.joined(s[0], s[-1])) for s in segs]
    child, parent = names[-1], (names[-2] if len(names) > 1 else None)
    if parent and fkey(child) in _BARE_UNITS:
        child = f"{child} {lex.PARENT_AS_OWNER.get(parent.lower(), parent)}"
    elif parent and not any(w in child.lower() for w in lex.LOCALITY_WORDS):
        where = [parent.lower().find(w) for w in lex.LOCALITY_WORDS if re.search(rf"\b{w}\b", parent.lower())]
        child = f"{child} {parent[min(where):]}" if where else child
    out.issuer, out.parent_issuer, out.issuer_span = child, parent, ls.span(segs[-1][0], segs[-1][-1])


def _place_date(head: str, pos: int) -> re.Match[str] | None:
    """ "Hà Tĩnh, ngày 19 tháng 11 năm 2025" starting at pos, the place in capitalised words."""
    m = _PLACE_DATE.match(head, pos)
    ok = m and all(w[:1].isupper() or w in lex.PLACE_LOWER_WORDS for w in m["place"].split())
    return m if ok else None


def _kind_line(ls: Lines, i: int) -> tuple[int, str, str] | None:
    """The kind line at i: its last line, the kind and the rest ("QUYẾT\nĐỊNH", "NGHỊ ĐỊNHVề ...")."""
    line = ls.s[i]
    for k in lex.DOC_KINDS:  # a kind glued to a mixed-case subject by the copy
        if line.startswith(k.upper()) and line[len(k) : len(k) + 1].isupper() and line[len(k) + 1 :][:1].islower():
            return i, k, line[len(k) :]
    for j in [j for j in (i, i + 1) if j < len(ls)] if is_upper(line) else []:
        kind = kind_at_start(ls.joined(i, j))
        if kind and (j == i or kind[1] > len(line.split())):
            return j, kind[0], " ".join(ls.joined(i, j).split()[kind[1] :])
    return None


def _subject(ls: Lines, i: int, stop: int) -> tuple[str, int]:
    """A "V/v ..." subject wrapped over lines, up to the date, "Kính gửi" or a blank line."""
    j = i + 1
    while j < min(stop, i + 5) and ls.s[j] and not _RECIPIENTS_TO.match(ls.s[j]) and not _PLACE_DATE.match(ls.s[j]):
        if not (ls.s[j][:1].islower() or ls.s[j - 1][-1:] not in ".;:"):
            break
        j += 1
    return _SUBJECT.sub("", ls.joined(i, j - 1)).strip(" .;"), j - 1


def _abstract(ls: Lines, k: int, rest: str, stop: int) -> tuple[str, int]:
    """The abstract under the kind line k (upper case, or a mixed-case "Về ..."), without the
    deciding authority's line ("BỘ TRƯỞNG BỘ NỘI VỤ") or a Công điện's "THỦ\nTƯỚNG CHÍNH PHỦ điện:"."""
    j = k + 1
    while j < stop and not ls.s[j] and not rest:
        j += 1
    if j < stop and not rest and _CONG_VAN_SUBJECT.match(ls.s[j]) and not is_upper(ls.s[j]):
        return _subject(ls, j, stop)
    run, last = [], k
    while j < stop and is_upper(ls.s[j]) and not _RULE.match(ls.s[j]) and not _TELEGRAM_TO.match(ls.s[j]):
        run.append(j)
        j += 1
    if run and j < stop and _TELEGRAM_TO.match(ls.s[j]) and len(ls.s[run[-1]].split()) <= 2:
        run, last = run[:-1], run[-1]
    for cut in range(max(1, len(run) - 2), len(run)) if not rest else ():
        head = any(starts_with(fkey(ls.s[run[cut]]), h) for h in _AUTHORITY_HEADS)
        if head and (fkey(ls.s[run[cut - 1]]).split() or [""])[-1] not in _CONNECTORS:
            run, last = run[:cut], run[-1]
            break
    text = " ".join([rest] + [ls.s[r] for r in run]).strip()
    return _SUBJECT.sub("", text), max(last, run[-1] if run else k)


def _news(ls: Lines, out: OfficialLayout) -> None:
    """A page about a document: the one its lead says was issued ("Ngày 13/9/2025, Thủ tướng Chính
    phủ đã có Chỉ thị 24/CT-TTg về ..."), else the one its headline names; never a signer."""
    end = min(len(ls), lex.LEAD_LINES) - 1
    head = ls.text[: ls.starts[end] + len(ls.raw[end])]
    when = _ISSUED.search(head)
    ref = when or _REFERENCE.search(head, 0, len(ls.raw[0]))
    if not ref:
        return
    number = ref["number"]
    out.doc_kind = next(k for k in lex.DOC_KINDS if k.lower() == " ".join(ref["kind"].lower().split()))
    out.number = Field(number, ref.start("number"), ref.end("number"))
    dated = when or _AFTER_NUMBER_DATE.match(head, ref.end())
    iso = foot.iso_date(dated)
    if dated and iso:
        out.published = Field(iso, dated.start() if when else dated.start("date"), dated.end("y"))
    out.issuer = issuer_from_symbol(number) or (" ".join(when["who"].split()) if when else None)
    about = (rf"{re.escape(number)}(?:\s+năm\s+\d{{4}})?(?:\s*,?\s*ngày\s+[\d/]+)?"
             rf"\s+(?P<about>[Vv]ề\s[^.?!:\n]{{5,300}})")
    abouts = list(re.finditer(about, head))
    m = next((m for m in abouts if m.start() > len(ls.raw[0])), abouts[0] if abouts else None)
    if m:
        rest = re.sub(lex.QUESTION_TAIL, "", " ".join(m["about"].split()))
        out.abstract, out.title = rest[:1].upper() + rest[1:], f"{out.doc_kind} {rest[:1].lower()}{rest[1:]}"


def _foot(ls: Lines, out: OfficialLayout, main_end: int, marked: bool) -> None:
    """Signature and "Nơi nhận:" of the main document (before its attachments); a signer only
    counts on an official page."""
    lo = ls.line_at(out.body_start)
    block = foot.recipients_block(ls, lo, main_end, None)
    sign = foot.pick_signature(foot.signatures(ls, lo, main_end), block[0] if block else None)
    block = foot.recipients_block(ls, lo, main_end, sign)
    out.recipients_block = block[1] if block else None
    out.is_official = bool(out.is_official or ((marked or block) and sign))
    if out.is_official and sign:
        out.signer, out.signer_title, out.signing_authority = sign.name, sign.title, sign.authority


def parse_layout(text: str) -> OfficialLayout:
    """The layout of one document (cleaned text); fields stay None where the page does not state them."""
    ls, out = Lines(text), OfficialLayout()
    n = len(ls)
    limit = next((i for i in range(1, min(n, 80)) if ls.s[i].startswith(lex.BODY_OPENERS)), min(n, 80))
    head = text[: ls.starts[limit - 1] + len(ls.raw[limit - 1])]
    motto = _motto(ls, min(limit, 20))
    num = _NUMBER_LINE.search(head)
    num_line = ls.line_at(num.start()) if num else None
    if num and num["number"]:
        out.number = Field(num["number"], num.start("number"), num.end("number"))
    top = motto[0] if motto and motto[0] > 0 else (num_line or 0)
    rows = [i for i in range(top) if ls.s[i] and not _RULE.match(ls.s[i])]
    if rows and len(rows) <= 8 and all(is_upper(ls.s[i]) and not kind_at_start(ls.s[i]) for i in rows):
        _issuer(ls, rows, out)
    out.motto_block = ls.span(*motto) if motto else None
    marks = [m for m in (motto and motto[1], num_line, rows[-1] if out.issuer else None) if m is not None]
    after = max(marks) + 1 if marks else 0
    # The place and date follow the number's line, or share it ("Số: 624/KH-UBND Hà Tĩnh, ngày …",
    # a letterhead table flattened into one line by a portal or a Word copy).
    starts = ([len(head) - len(head[num.end():].lstrip(" \t"))] if num and num["number"] else [])
    starts += [ls.starts[i] for i in range(after, limit)]
    dated = next((m for pos in starts if (m := _place_date(head, pos))), None)
    if dated:
        iso = foot.iso_date(dated)
        out.place = " ".join(dated["place"].split())
        out.published = Field(iso, dated.start("date"), dated.end("date")) if iso else None
    date_first, end = (ls.line_at(dated.start()), ls.line_at(dated.end())) if dated else (None, after - 1)
    end, abstract = max(end, after - 1), ""
    kind_line = next((k for i in range(after, limit) if (k := _kind_line(ls, i))), None)
    lo = limit if num_line is None else num_line + 1  # a Công văn's "V/v ..." sits under its number
    subj = next((i for i in range(lo, limit) if _CONG_VAN_SUBJECT.match(ls.s[i])), 0)
    if kind_line:
        out.doc_kind = kind_line[1] if kind_line[1] not in lex.ATTACHMENT_ONLY_KINDS else None
        abstract, end = _abstract(ls, kind_line[0], kind_line[2], limit)
    elif subj:
        abstract, last = _subject(ls, subj, date_first if date_first and date_first > subj else limit)
        end, out.doc_kind = max(end, last), "Công văn"
    to, out.recipients, last, kind_gui = foot.addressees(ls, min(n, limit + 40))
    if to is not None and (to < 3 or (marks or kind_line) and to <= end + 12):
        end, out.doc_kind = max(end, last), out.doc_kind or ("Công văn" if kind_gui else None)
    else:
        to, out.recipients = None, []
    recase = Recaser(text)
    if abstract:
        rest = recase.phrase(abstract)
        out.abstract = rest[:1].upper() + rest[1:]
        out.title = f"{out.doc_kind} {rest}" if out.doc_kind else out.abstract
    body = next((i for i in range(end + 1, n) if ls.s[i] and not _RULE.match(ls.s[i])), n)
    out.body_start = ls.span(body, body)[0] if body < n and (marks or kind_line or to is not None) else 0
    attached = attachments(ls, recase.title)
    out.attachments = [a for a, _ in attached]
    out.is_official = bool(out.issuer or num or motto)
    _foot(ls, out, ls.line_at(attached[0][0].start) if attached else n, bool(kind_line or to is not None))
    cited = attached_facts(text, [f for _, f in attached], out.doc_kind)
    if cited:  # a page without its letterhead: what its attachments say of it
        out.doc_kind, out.number = out.doc_kind or cited["kind"], out.number or cited["number"]
        out.published, out.issuer = out.published or cited["published"], out.issuer or cited["issuer"]
    if out.number is not None and out.is_official:
        out.issuer = out.issuer or issuer_from_symbol(out.number.value)
        symbol = next((p for p in re.split(r"[-/]", out.number.value) if p[:1].isalpha()), "")
        out.doc_kind = out.doc_kind or lex.SYMBOL_KINDS.get(symbol)
    if to == -1 and not out.is_official:
        out.recipients, out.doc_kind = [], None
    if out.title is None and out.doc_kind and out.abstract:
        out.title = f"{out.doc_kind} {out.abstract[:1].lower()}{out.abstract[1:]}"
    if not out.is_official:
        _news(ls, out)
    return out
