"""Question analysis: the answer types asked for, the focus (documents, bodies, names) and the
constraint words, on top of `qa_service.question` (tokens, numbers, names)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.actors import ActorSpan, find_actors
from ingestion.assignment_fields import actors_of, fold_aligned
from ingestion.lexicon.bodies import GROUP_WORDS
from ingestion.lexicon.tasks import ACTION_VERBS
from qa_service.answering.lexicon import (
    ANSWER_TYPES,
    ASKED_UNITS,
    ASKING_QUANTITY,
    DUTY_TIME_WORDS,
    ISSUED_INSTRUMENT,
    ISSUER_BEFORE,
    ISSUING_WORDS,
    NOT_A_DOC_NUMBER_AFTER,
    NOT_A_UNIT,
    NOT_ASKED_DOER_BEFORE,
    NOT_ASKED_DOER_VERB_REACH,
    QUESTION_DOC_KINDS,
    REFERENCE_RELATIONS,
)
from qa_service.question import QuestionInfo
from vectorstore.analyzer import analyze as analyze_tokens
from vectorstore.analyzer import fold

_TYPES = [(name, [re.compile(p) for p in patterns]) for name, patterns in ANSWER_TYPES]
_NOT_DOER = re.compile(NOT_ASKED_DOER_BEFORE)
_VERB_BEFORE = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in ACTION_VERBS) + r")\s*(?:xong\s+)?(?:cac\s+)?$")
# "Kế hoạch 308", "Quyết định số 2623": a kind word then a number names a document.
_KIND_NUMBER = re.compile(
    r"\b(" + "|".join(sorted({fold(k) for k in QUESTION_DOC_KINDS}, key=len, reverse=True)) + r")"
    r"(?: so (\d{1,5})\b| (\d{1,5})\b(?!\s*" + NOT_A_DOC_NUMBER_AFTER + r"))"
)
# Question words that only frame the question: the weak "which/what" of the action type.
_WEAK_ACTION = {r"\bgi\b", r"\bnao\b"}
_SUBSUMES = {"recipients": {"actor"}, "signer": {"actor"}, "issuer": {"actor"}, "issue_date": {"deadline"}, "summary": {"action", "deadline"},
             "published": {"deadline"}, "author": {"actor"}}


@dataclass
class Analysis:
    info: QuestionInfo
    types: list[str]
    bodies: list[str] = field(default_factory=list)  # bodies the question names ("Sở Y tế")
    body_keys: list[str] = field(default_factory=list)
    doc_refs: list[tuple[str | None, str]] = field(default_factory=list)  # (kind folded, number or digits)
    units: tuple[str, ...] = ()  # the units a quantity answer must carry ("ty" for "bao nhiêu tỷ đồng")
    relation: tuple[str, ...] = ()  # a reference question's relation words ("thay thế" and its family)
    # the question's words less those naming the bodies and those asking the answer type ("hạn hoàn
    # thành … là khi nào"): what a sentence must say to be about the asked action
    action_tokens: list[str] = field(default_factory=list)
    doer_keys: list[str] = field(default_factory=list)  # the asked bodies that do the asked task
    issuer_keys: list[str] = field(default_factory=list)  # bodies named as the document's author ("… của Thủ tướng")
    quantities: int = 1  # how many numbers a quantity question asks for

    @property
    def folded(self) -> str:
        return self.info.folded

    def asks(self, *types: str) -> bool:
        return any(t in self.types for t in types)


_GROUP_TOKENS = frozenset(w for g in GROUP_WORDS for w in fold(g).split())


def is_group_key(key: str) -> bool:
    """A key made of group words only ("so", "bo nganh"): a class of bodies, not one body."""
    return all(w in _GROUP_TOKENS for w in key.split())


def same_doer(asked: list[str], named: list[str]) -> bool:
    """`same_body`, except that a class the question asks about ("các sở") must be the class the
    document names, not any member of it ("Sở Tài chính")."""
    return any(q in named if is_group_key(q) else same_body([q], named) for q in asked)


def same_body(asked: list[str], named: list[str]) -> bool:
    """Whether a body key the question asks about names one of `named` (or one contains the other:
    "liên hiệp … việt nam thành phố" is the asked "liên hiệp … thành phố", "bộ trưởng" heads "bộ")."""
    padded = [f" {n} " for n in named]
    return any(f" {q} " in n or n in f" {q} " for q in asked for n in padded)


def answer_types(folded: str) -> list[str]:
    """Every answer type the question asks for, specific ones first; "general" when none."""
    found: list[str] = []
    for name, patterns in _TYPES:
        strong = [p for p in patterns if p.pattern not in _WEAK_ACTION]
        if any(p.search(folded) for p in strong):
            found.append(name)
    for name in list(found):
        for weaker in _SUBSUMES.get(name, ()):
            if weaker in found and not _only_shared(folded, name, weaker):
                found.remove(weaker)
    if "issuer" in found and re.search(ISSUED_INSTRUMENT, folded):
        found[found.index("issuer")] = "actor"
        found = list(dict.fromkeys(found))
    if "deadline" in found and re.search(ISSUING_WORDS, folded) and not re.search(DUTY_TIME_WORDS, folded):
        found[found.index("deadline")] = "issue_date"
        found = list(dict.fromkeys(found))
    if not found:
        found = ["general"]
    return found


def _only_shared(folded: str, strong: str, weak: str) -> bool:
    """Whether `weak` is matched by words that are not part of `strong`'s phrase ("ai ký" vs "ai chủ trì")."""
    strong_spans = [m.span() for n, ps in _TYPES if n == strong for p in ps for m in p.finditer(folded)]
    weak_spans = [m.span() for n, ps in _TYPES if n == weak for p in ps if p.pattern not in _WEAK_ACTION
                  for m in p.finditer(folded)]
    return any(all(not (a < e and s < b) for s, e in strong_spans) for a, b in weak_spans)


def asked_relation(folded: str) -> tuple[str, ...]:
    """The family of relation words of the question's verb ("thay thế nghị định nào" → replace)."""
    asked = next((m.group(0) for name, ps in _TYPES if name == "reference" for p in ps if (m := p.search(folded))), "")
    return next((family for family in REFERENCE_RELATIONS for w in family if re.search(rf"\b{w}\b", asked)), ())


def analyze(info: QuestionInfo) -> Analysis:
    analysis = Analysis(info=info, types=answer_types(info.folded))
    bodies = find_actors(info.text)
    for actor in bodies:
        if actor.key not in analysis.body_keys:
            analysis.bodies.append(actor.display)
            analysis.body_keys.append(actor.key)
    analysis.units = asked_units(info.folded)
    analysis.quantities = max(1, quantity_asks(info.folded))
    analysis.relation = asked_relation(info.folded) if "reference" in analysis.types else ()
    analysis.action_tokens = action_tokens(info, bodies)
    analysis.doer_keys = list(dict.fromkeys(doer_keys(info.text, bodies)))
    folded = fold_aligned(info.text)
    analysis.issuer_keys = [a.key for a in bodies if re.search(ISSUER_BEFORE, folded[: a.start])]
    analysis.doc_refs = [(None, n) for n in info.doc_numbers]
    kind_refs = [(m.group(1), m.group(2) or m.group(3)) for m in _KIND_NUMBER.finditer(info.folded)]
    analysis.doc_refs += [(k, ref) for k, ref in kind_refs if not any(fold(n).startswith(ref) for n in info.doc_numbers)]
    return analysis


def action_tokens(info: QuestionInfo, bodies: list[ActorSpan]) -> list[str]:
    """Content tokens outside the bodies' names and the answer-type cue phrases (a bigram goes with
    either of its words)."""
    spans = [(a.start, a.end) for a in bodies]
    if len(info.folded) == len(info.text):  # cue phrases are matched folded, one character for one
        spans += [m.span() for _, ps in _TYPES for p in ps if p.pattern not in _WEAK_ACTION and "." not in p.pattern
                  for m in p.finditer(info.folded)]
    framing = {t for s, e in spans for t in analyze_tokens(info.text[s:e])}
    return [t for t in info.content_tokens if not framing & set(t.split("_"))]


def doer_keys(text: str, bodies: list[ActorSpan]) -> list[str]:
    """Keys of the bodies the question asks to do something: the subjects the document grammar finds
    ("Bộ Y tế chủ trì …", "yêu cầu UBND cấp tỉnh …"), and the others unless they receive, support or
    undergo the action ("… gửi về Bộ Công an", "… thành lập Quỹ …"); "việc X của Sở Y" keeps Sở Y."""
    roles = {a["start"]: a["role"] for a in actors_of(text, 0, bodies)}
    folded = fold_aligned(text)
    out = []
    for a in bodies:
        before = folded[: a.start]
        if roles.get(a.start) in ("lead", "assignee") or roles.get(a.start) is None and not _NOT_DOER.search(before) and not _VERB_BEFORE.search(
                before[-NOT_ASKED_DOER_VERB_REACH:]):
            out.append(a.key)
    return out


def asked_units(folded: str) -> tuple[str, ...]:
    """Units the answer's number must carry; () when the question names none."""
    units: list[str] = []
    for m in re.finditer(ASKING_QUANTITY, folded):  # "bao nhiêu phần trăm … và bao nhiêu tỷ USD": either
        words = m.group(1).split()
        known = next((ASKED_UNITS[" ".join(words[:n])] for n in (2, 1) if " ".join(words[:n]) in ASKED_UNITS), None)
        if known is None and words and words[0] not in NOT_A_UNIT:
            known = (words[0],)  # "bao nhiêu thành viên": a number followed by that noun
        if known is None:
            return ()  # "là bao nhiêu và …": a part asks for any number, so no unit filters the candidates
        units += known
    return tuple(dict.fromkeys(units))


def quantity_asks(folded: str) -> int:
    """How many numbers the question asks for ("mức hỗ trợ là bao nhiêu và … hỗ trợ bao nhiêu phần trăm")."""
    return len(re.findall(ASKING_QUANTITY, folded))


def names_document(analysis: Analysis, number: str | None, kind: str | None) -> bool:
    """Whether the question names this document (by its full number, or a kind and the number's digits)."""
    if not number:
        return False
    folded_number = fold(number).replace(" ", "")
    for ref_kind, ref in analysis.doc_refs:
        ref = fold(ref).replace(" ", "")
        if ref == folded_number:
            return True
        digits_match = ref.isdigit() and re.match(rf"0*{int(ref)}\b|0*{int(ref)}[/-]", folded_number)
        if digits_match and (ref_kind in (None, "van ban") or (kind and fold(kind).startswith(ref_kind))):
            return True
    return False
