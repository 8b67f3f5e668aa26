"""Follow-ups → standalone questions, by rule (no LLM needed).

Two moves cover how people continue a conversation about documents:
- "Còn <X> thì sao?" swaps X into the previous question in place of the thing of the same kind
  ("Quyết định 45/QĐ-UBND do ai ký?" + "Còn Quyết định 46 thì sao?" → "Quyết định 46 do ai ký?");
- "văn bản đó", "kế hoạch này", "chỉ thị trên"… point back at the document of the previous turn.
"""

from __future__ import annotations

import re

from ingestion.lexicon import layout as layout_lex
from qa_service.schemas import HistoryMessage
from vectorstore.analyzer import DOC_NUMBER_RE, normalize

# A document's kind or a generic word for it (ingestion/lexicon/layout.py), the longer first.
_KINDS = "|".join(sorted(map(re.escape, (*layout_lex.NUMBERED_KINDS, *layout_lex.DOCUMENT_WORDS)), key=len, reverse=True))
# A document reference: kind + optional "số" + number ("Quyết định 45/QĐ-UBND", "Chỉ thị số 12").
_DOC_REF = re.compile(rf"(?:{_KINDS})(?:\s+số)?\s+(?:\d[\w/.-]*)", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^\s*(?:thế |vậy |và |còn )*còn\s+(.+?)\s*(?:thì sao|thì thế nào|thế nào|ra sao|thì)\s*\??\s*$", re.IGNORECASE)
_ANAPHORA = re.compile(
    rf"\b(?:(?:{_KINDS})\s+(?:đó|này|trên|ấy|nói trên|vừa nêu)|(?<!\w)(?:nó|văn bản đó))\b", re.IGNORECASE
)
# Agencies and bodies: "Thành ủy", "Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Ban Thường vụ Thành uỷ"…
_BODY = re.compile(
    r"(?:Ban|Uỷ ban|Ủy ban|UBND|Sở|Bộ|Thành uỷ|Thành ủy|Tỉnh uỷ|Tỉnh ủy|Quận uỷ|Quận ủy|Huyện uỷ|Huyện ủy|"
    r"Mặt trận|Liên hiệp|Hội đồng|Văn phòng|Chính phủ|Quốc hội|Thường trực|Đảng uỷ|Đảng ủy|Công an|Cục|Tổng cục)"
    r"(?:\s+[\wÀ-ỹ]+){0,6}?(?=\s*(?:[?,.;:]|$|\s(?:có|phải|đã|được|là|thì|giao|ban hành|yêu cầu)\b))",
)
_KIND_WORD = re.compile(rf"^({_KINDS})\b", re.IGNORECASE)
# A body pointed back at: "Sở đó", "cơ quan này", "đơn vị ấy".
_BODY_ANAPHORA = re.compile(r"\b(?:sở|bộ|cơ quan|đơn vị|cục|ủy ban|uỷ ban)\s+(?:đó|này|ấy|trên)\b", re.IGNORECASE)
# A duty pointed back at ("nhiệm vụ đó", "việc này"): the last answer says which. Not "các hoạt động đó",
# whose results or reports a follow-up usually asks about, not the activities themselves.
_DUTY_ANAPHORA = re.compile(
    r"\b(?:nhiệm vụ|công việc|việc)\s+(?:đó|này|ấy|trên|nói trên)\b", re.IGNORECASE
)
ANTECEDENT_WORDS = 18  # enough of the last answer to name the duty, not to flood the question
# Other follow-up signals: a demonstrative on any noun ("Ban Chỉ đạo đó", "Cơ quan đó", "nhiệm vụ
# đó") or an opening that continues ("Vậy …", "Sau đó …", "Thế còn …", "Còn …").
_CONTINUES = re.compile(
    r"\b(?:đó|này|ấy|trên|nêu trên|vừa nêu)\b|^\s*(?:vậy|sau đó|thế còn|còn|thế|rồi|tiếp theo)\b", re.IGNORECASE
)


def _last_reference(texts: list[str]) -> str | None:
    """The most recent document reference (or bare number) in the given turns, newest first."""
    for text in texts:
        refs = _DOC_REF.findall(text)
        if refs:
            return refs[0].strip()
        numbers = DOC_NUMBER_RE.findall(text)
        if numbers:
            return numbers[0]
    return None


def condense(question: str, history: list[HistoryMessage]) -> str:
    """The question made standalone using the conversation so far (unchanged when it is)."""
    question = normalize(question.strip())
    users = [m.content for m in history if m.role == "user"]
    if not users:
        return question
    # The previous question may itself have been a follow-up: resolve it first.
    prev_history = history[: max(0, _index_of_last_user(history))]
    previous = condense(users[-1], prev_history)
    assistants = [m.content for m in history if m.role == "assistant"]

    m = _WHAT_ABOUT.match(question)
    if m:
        return _what_about(m.group(1).strip(), previous)

    if _ANAPHORA.search(question):
        ref = _last_reference([previous] + assistants[-1:])
        if ref:
            return _ANAPHORA.sub(ref, question, count=1)
    elif _CONTINUES.search(question) and not _DOC_REF.search(question) and not DOC_NUMBER_RE.search(question):
        # "Sở đó phải báo cáo trước ngày nào?": the body the last answer named, in the same document.
        question = _resolve_duty(_resolve_body(question, assistants[-1:]), assistants[-1:])
        ref = _last_reference([previous] + assistants[-1:])
        if ref:
            return f"{question.rstrip(' ?')} theo {ref}?"
        return question
    elif len(question.split()) <= 3 and question.rstrip("?").strip():
        # A bare fragment ("Còn hạn chót?", "Ai ký?") continues the previous topic.
        ref = _last_reference([previous])
        if ref and ref.lower() not in question.lower():
            return f"{question.rstrip('?')} {ref}?"
    return question


def _resolve_body(question: str, answers: list[str]) -> str:
    """"Sở đó", "cơ quan này" → the first body the previous answer names."""
    m = _BODY_ANAPHORA.search(question)
    if not m or not answers:
        return question
    from ingestion.actors import find_actors

    bodies = find_actors(answers[0])
    if not bodies:
        return question
    name = " ".join(bodies[0].name.split())
    return question[: m.start()] + name + question[m.end() :]


def _resolve_duty(question: str, answers: list[str]) -> str:
    """"Hạn hoàn thành nhiệm vụ đó là khi nào?" → "… nhiệm vụ đó (Bộ Xây dựng chủ trì rà soát, sửa đổi …)
    là khi nào?": the duty's words, from the first clause of the previous answer, for retrieval and scoring."""
    m = _DUTY_ANAPHORA.search(question)
    if not m or not answers or answers[0].startswith(("Không tìm thấy", "Xin lỗi")):
        return question
    clause = re.split(r"[.;:\n]|\[\d+\]", answers[0], maxsplit=1)[0]
    words = clause.split()[:ANTECEDENT_WORDS]
    if len(words) < 3:
        return question
    return f"{question[: m.end()]} ({' '.join(words).rstrip(',')}){question[m.end():]}"


def _what_about(new: str, previous: str) -> str:
    """Swap `new` into `previous` in place of the thing of the same sort: a document for a
    document, a body for a body, a number for a number."""
    refs = list(_DOC_REF.finditer(previous))
    kind = _KIND_WORD.match(new)
    if kind:
        same = [r for r in refs if r.group(0).lower().startswith(kind.group(1).lower())]
        candidates = same or refs
        if candidates:
            target = candidates[0]
            return previous[: target.start()] + new + previous[target.end() :]
    elif DOC_NUMBER_RE.fullmatch(new) and refs:
        # A full number ("74-UBND-KH") names its own document, whatever the previous kind was.
        return previous[: refs[0].start()] + new + previous[refs[0].end() :]
    elif re.fullmatch(r"(?:số\s+)?[\d][\w/.-]*", new, re.IGNORECASE):
        numbers = list(DOC_NUMBER_RE.finditer(previous)) or list(re.finditer(r"(?<![\w/])\d+(?![\w/])", previous))
        if numbers:
            n = numbers[0]
            return previous[: n.start()] + re.sub(r"^số\s+", "", new, flags=re.IGNORECASE) + previous[n.end() :]
    elif _BODY.match(new):
        inside_refs = [(r.start(), r.end()) for r in refs]
        bodies = [b for b in _BODY.finditer(previous) if not any(a <= b.start() < e for a, e in inside_refs)]
        if bodies:
            b = bodies[-1]
            return previous[: b.start()] + new + previous[b.end() :]
    return f"{new}: {previous}"


def _index_of_last_user(history: list[HistoryMessage]) -> int:
    for i in range(len(history) - 1, -1, -1):
        if history[i].role == "user":
            return i
    return 0
