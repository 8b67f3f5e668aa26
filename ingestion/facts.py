"""Who must do what, by when: responsibility and deadline statements, one sentence at a time.

Directives phrase duties in a few fixed ways ("X yêu cầu Y <làm gì>", "Y ... có trách nhiệm
<làm gì>", "Đối với Y <làm gì>", "X vừa ban hành <văn bản>"); the rules below find the actor and
the action as exact spans of the sentence, so answers built from them quote the document.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ingestion.split import Span, sentence_spans

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


@dataclass
class Fact:
    kind: str  # "responsibility" | "request" | "issuance"
    sentence: str
    start: int
    end: int
    actor: str | None = None
    actor_start: int | None = None
    action: str | None = None
    requested_by: str | None = None
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    chunk_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_deadlines(sentence: str, offset: int = 0) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in DEADLINE_PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append({"kind": kind, "text": m.group(0), "start": offset + m.start(), "end": offset + m.end()})
    return sorted(found, key=lambda d: d["start"])


def _split_actor_action(text: str) -> tuple[str, str] | None:
    m = _VERB_RE.search(text)
    if not m or m.start() < 3:
        return None
    return text[: m.start()].rstrip(" ,"), text[m.start() :]


def _trim(s: str) -> str:
    return s.strip().rstrip(".;…").strip()


def sentence_fact(sentence: str, start: int) -> Fact | None:
    """The duty a sentence states, if any; actor and action are substrings of the sentence."""
    fact = Fact(kind="", sentence=sentence, start=start, end=start + len(sentence))
    if m := _RESPONSIBLE.search(sentence):
        actor = sentence[: m.start()]
        fact.kind, fact.actor, fact.action = "responsibility", _trim(actor), _trim(sentence[m.end() :])
        fact.actor_start = start
    elif m := _FOR.match(sentence):
        split = _split_actor_action(sentence[m.end() :])
        if split:
            fact.kind, fact.actor, fact.action = "responsibility", _trim(split[0]), _trim(split[1])
            fact.actor_start = start + m.end()
    elif (m := _ISSUE.search(sentence)) and m.start() < 200:
        head = sentence[: m.start()]
        actor = head.split(",")[-1] if "," in head else head
        fact.kind, fact.actor, fact.action = "issuance", _trim(actor), _trim(sentence[m.start(1) :])
        fact.actor_start = start + m.start() - len(actor.lstrip())
    elif (m := _REQUEST.search(sentence)) and m.start() < 120:
        fact.kind, fact.requested_by = "request", _trim(sentence[: m.start()])
        rest = sentence[m.end() :]
        split = _split_actor_action(rest)
        if split:
            fact.actor, fact.action = _trim(split[0]), _trim(split[1])
            fact.actor_start = start + m.end()
        else:
            fact.action = _trim(rest)
    else:
        deadlines = find_deadlines(sentence, start)
        if not any(d["kind"] != "date" for d in deadlines):
            return None
        fact.kind = "deadline"
    fact.deadlines = find_deadlines(sentence, start)
    return fact


def extract_facts(text: str, spans: list[Span] | None = None) -> list[Fact]:
    facts = []
    for span in spans if spans is not None else sentence_spans(text):
        fact = sentence_fact(text[span.start : span.end], span.start)
        if fact is not None:
            facts.append(fact)
    return facts
