"""Who must do what, by when: responsibility and deadline statements, one sentence at a time.

Directives phrase duties in a few fixed ways ("X yêu cầu Y <làm gì>", "Y ... có trách nhiệm
<làm gì>", "Đối với Y <làm gì>", "X vừa ban hành <văn bản>"); the rules below find the actor and
the action as exact spans of the sentence, so answers built from them quote the document.
"""

from __future__ import annotations

import re

from ingestion.split import Span, sentence_spans
from vectorstore.sentence_facts import FactDeadline, SentenceFact

# Verbs that open the action after a list of actors ("... thành phố tiếp tục quán triệt ...").
_ACTION_VERBS = (
    "tiếp tục", "thực hiện", "tăng cường", "xây dựng", "triển khai", "quán triệt", "phát huy", "chủ động",
    "phối hợp", "bám sát", "nâng cao", "theo dõi", "hoàn thành", "báo cáo", "tuyên truyền", "đẩy mạnh",
    "rà soát", "kiểm tra", "đôn đốc", "chỉ đạo", "lãnh đạo", "tập trung", "quan tâm", "bảo đảm", "đảm bảo",
    "ban hành", "tổ chức thực hiện", "cụ thể hóa", "cụ thể hoá", "nghiên cứu", "tham mưu", "đề xuất", "gửi",
)
_VERB_RE = re.compile(r"(?<![\w])(?<!các )(?<!những )(" + "|".join(_ACTION_VERBS) + r")(?![\w])", re.IGNORECASE)
_RESPONSIBLE = re.compile(r",?\s*(?:theo chức năng, nhiệm vụ(?:, thẩm quyền)?,?\s*)?(?:có|chịu) trách nhiệm\s+", re.IGNORECASE)
_REQUEST = re.compile(r"(?<!ngoại)\s(yêu cầu|đề nghị|giao|chỉ đạo)\s", re.IGNORECASE)
_ISSUE = re.compile(r"\s(?:vừa |đã )?(ban hành)\s", re.IGNORECASE)
_FOR = re.compile(r"^(?:Đối với|Riêng)\s+", re.IGNORECASE)
_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
DEADLINE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("before", re.compile(rf"(?:trước|chậm nhất(?: là)?|hạn chót|không muộn hơn)\s+(?:ngày\s+)?{_DATE}", re.I)),
    ("period", re.compile(r"(?:nhiệm kỳ|giai đoạn)\s+\d{4}\s*[-–]\s*\d{4}", re.I)),
    ("recurring", re.compile(r"(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần)|định kỳ(?:\s+(?:hằng|hàng)\s+\w+|\s+\d+\s+\w+)?|thường xuyên", re.I)),
    ("within", re.compile(r"(?:trong|đến|từ)\s+(?:(?:tháng|quý)\s+[\dIV]+\s+)?năm\s+\d{4}|trong\s+(?:thời hạn\s+)?\d+\s+ngày", re.I)),
    ("date", re.compile(rf"ngày\s+{_DATE}", re.I)),
]


def find_deadlines(sentence: str, offset: int = 0) -> list[FactDeadline]:
    found: list[FactDeadline] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in DEADLINE_PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(FactDeadline(kind, m.group(0), offset + m.start(), offset + m.end()))
    return sorted(found, key=lambda d: d.start)


def _split_actor_action(text: str) -> tuple[str, str] | None:
    m = _VERB_RE.search(text)
    if not m or m.start() < 3:
        return None
    return text[: m.start()].rstrip(" ,"), text[m.start() :]


def _trim(s: str) -> str:
    return s.strip().rstrip(".;…").strip()


def sentence_fact(sentence: str, start: int) -> SentenceFact | None:
    """The duty a sentence states, if any; actor and action are substrings of the sentence."""
    kind, actor, actor_start, action, requested_by = "", None, None, None, None
    if m := _RESPONSIBLE.search(sentence):
        kind, actor, action = "responsibility", _trim(sentence[: m.start()]), _trim(sentence[m.end() :])
        actor_start = start
    elif m := _FOR.match(sentence):
        split = _split_actor_action(sentence[m.end() :])
        if split:
            kind, actor, action = "responsibility", _trim(split[0]), _trim(split[1])
            actor_start = start + m.end()
    elif (m := _ISSUE.search(sentence)) and m.start() < 200:
        head = sentence[: m.start()]
        said = head.split(",")[-1] if "," in head else head
        kind, actor, action = "issuance", _trim(said), _trim(sentence[m.start(1) :])
        actor_start = start + m.start() - len(said.lstrip())
    elif (m := _REQUEST.search(sentence)) and m.start() < 120:
        kind, requested_by = "request", _trim(sentence[: m.start()])
        rest = sentence[m.end() :]
        split = _split_actor_action(rest)
        if split:
            actor, action = _trim(split[0]), _trim(split[1])
            actor_start = start + m.end()
        else:
            action = _trim(rest)
    deadlines = find_deadlines(sentence, start)
    if not kind:
        if not any(d.kind != "date" for d in deadlines):
            return None
        kind = "deadline"
    return SentenceFact(kind=kind, sentence=sentence, start=start, end=start + len(sentence), actor=actor,
                        actor_start=actor_start, action=action, requested_by=requested_by, deadlines=tuple(deadlines))


def extract_facts(text: str, spans: list[Span] | None = None) -> list[SentenceFact]:
    facts = []
    for span in spans if spans is not None else sentence_spans(text):
        fact = sentence_fact(text[span.start : span.end], span.start)
        if fact is not None:
            facts.append(fact)
    return facts
