"""Candidate scoring and the abstention decision: two small logistic models over named features.

The weights live in `weights.json` beside this file, written by `qa_service.answering.fit` from the
tuning split of the official-document dev set and the sample dev set (never the held-out parts),
so they can be refitted when the data grows and argued with when an answer looks wrong.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from qa_service.answering.analysis import Analysis
from qa_service.answering.candidates import Candidate, unit_after
from qa_service.answering.lexicon import PERSON_NAME, REFERENCE_REACH, SIGNED, SIGNED_REACH, SPAN_TYPES
from qa_service.evidence import coverage, sentence_tokens
from vectorstore.analyzer import DOC_NUMBER_RE, fold

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
CANDIDATE_FEATURES = ("coverage", "context", "typed", "focus_body", "focus_doc", "retrieval", "rank_inv", "window")
ABSTAIN_FEATURES = ("best", "best_coverage", "best_context", "best_typed", "typed_window", "missing", "named_doc_found",
                    "margin")
_DEADLINE_KINDS = {"before", "within", "on", "time", "recurring", "period"}


@dataclass(frozen=True)
class Weights:
    candidate: dict[str, float]
    candidate_bias: float
    abstain: dict[str, float]
    abstain_bias: float
    threshold: float
    fitted_on: dict[str, object] = field(default_factory=dict)


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Weights(data["candidate"], data["candidate_bias"], data["abstain"], data["abstain_bias"],
                   data["threshold"], data.get("fitted_on", {}))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def typed_spans(analysis: Analysis, cand: Candidate) -> list[tuple[int, int]]:
    """Spans of `cand` of the types the question asks for (absolute offsets)."""
    spans: list[tuple[int, int]] = []
    if analysis.asks("deadline"):
        spans += [(d.start, d.end) for d in cand.deadlines if d.kind in _DEADLINE_KINDS]
        # a plan item's deadline may stand in its field line ("Thời gian thực hiện: Tháng 12/2025")
        spans += [(t.deadline.start, t.deadline.end) for t in cand.tasks
                  if t.deadline is not None and t.deadline.start is not None and t.deadline.end is not None]
    if analysis.asks("recurrence"):
        spans += [(d.start, d.end) for d in cand.deadlines if d.recurrence]
    if analysis.asks("actor"):
        spans += [(a.start, a.end) for a in cand.actors]
        spans += [(cand.start, cand.start + 1) for t in cand.tasks if t.inherited]
    if analysis.asks("quantity"):
        if analysis.units:  # "bao nhiêu tỷ đồng": a number in tỷ, not any number
            spans += [(s, e) for s, e, t in cand.numbers
                      if _carries(cand, e, analysis.units) or (t.endswith("%") and "%" in analysis.units)]
        else:
            spans += [(s, e) for s, e, _ in cand.numbers if unit_after(cand, e)] or [(s, e) for s, e, _ in cand.numbers]
    if analysis.asks("action"):  # a task the sentence states (not the item it belongs to)
        spans += [(t.start, t.end) for t in cand.tasks if cand.start <= t.start < cand.end]
    if analysis.asks("dated"):  # the day a document was signed, told in prose ("Ngày 14/2/2025, … đã ký")
        spans += [(d.start, d.end) for d in cand.deadlines if d.kind == "on" and d.date]
    if analysis.asks("signed_by"):  # a signer read in prose (no signature block at hand)
        spans += _signers(cand)
    if analysis.asks("reference"):  # another document's number, after a word of the asked relation
        asked = {fold(n) for n in analysis.info.doc_numbers}
        for m in DOC_NUMBER_RE.finditer(cand.text):
            before = fold(cand.text[max(0, m.start() - REFERENCE_REACH) : m.start()])
            if fold(m.group(0)) not in asked and any(re.search(rf"\b{w}\b", before) for w in analysis.relation):
                spans.append((cand.start + m.start(), cand.start + m.end()))
    return spans


def _signers(cand: Candidate) -> list[tuple[int, int]]:
    """Person names said next to "ký" ("… đồng chí Trần Cẩm Tú đã ký Kết luận …"), bodies excepted."""
    bodies = [(a.start - cand.start, a.end - cand.start) for a in cand.actors]
    signed = [m.start() for m in _SIGNED.finditer(cand.text)]
    return [(cand.start + m.start(), cand.start + m.end()) for m in _PERSON.finditer(cand.text)
            if any(abs(m.start() - k) <= SIGNED_REACH for k in signed)
            and not any(b0 < m.end() and m.start() < b1 for b0, b1 in bodies)]


_PERSON = re.compile(PERSON_NAME)
_SIGNED = re.compile(SIGNED, re.IGNORECASE)


def _carries(cand: Candidate, end: int, units: tuple[str, ...]) -> bool:
    after = fold(cand.text[end - cand.start : end - cand.start + 24]).lstrip()
    return any(after.startswith(u) for u in units)


def features(analysis: Analysis, cand: Candidate) -> dict[str, float]:
    f = cand.features
    asked = [t for t in analysis.types if t in SPAN_TYPES]
    spans = typed_spans(analysis, cand)
    f["typed"] = (1.0 if spans else 0.0) if asked else 0.5
    if analysis.body_keys:
        keys = {a.key for a in cand.actors} | {x.key for t in cand.tasks for x in t.actors}
        in_path = any(fold(b) in fold(cand.path) for b in analysis.bodies)
        f["focus_body"] = 1.0 if keys & set(analysis.body_keys) or in_path else 0.0
    else:
        f["focus_body"] = 0.5
    f["focus_doc"] = 1.0 if cand.focus_doc else 0.0
    f["retrieval"] = cand.retrieval
    f["rank_inv"] = 1.0 / (1 + cand.rank)
    f["window"] = _window_coverage(analysis, cand, spans)
    return f


def _window_coverage(analysis: Analysis, cand: Candidate, spans: list[tuple[int, int]]) -> float:
    """How much of the question is said close to the typed span (±150 characters)."""
    if not spans:
        return 0.0
    best = 0.0
    for s, e in spans[:6]:
        lo, hi = max(0, s - cand.start - 150), min(len(cand.text), e - cand.start + 150)
        tokens = sentence_tokens(cand.text[lo:hi]) | sentence_tokens(cand.path)
        best = max(best, coverage(analysis.info.content_tokens, tokens, analysis.info.idf))
    return best


def score(analysis: Analysis, cands: list[Candidate], weights: Weights | None = None) -> list[Candidate]:
    """Scores every candidate (probability that it answers) and sorts best first."""
    w = weights or load_weights()
    for cand in cands:
        f = features(analysis, cand)
        cand.score = sigmoid(w.candidate_bias + sum(w.candidate.get(k, 0.0) * f.get(k, 0.0) for k in CANDIDATE_FEATURES))
    return sorted(cands, key=lambda c: -c.score)


def abstain_features(cands: list[Candidate], missing: int, named_doc_found: float) -> dict[str, float]:
    best = cands[0] if cands else None
    second = cands[1].score if len(cands) > 1 else 0.0
    return {
        "best": best.score if best else 0.0,
        "best_coverage": best.features.get("coverage", 0.0) if best else 0.0,
        "best_context": best.features.get("context", 0.0) if best else 0.0,
        "best_typed": best.features.get("typed", 0.0) if best else 0.0,
        # the question's words said right next to a span of the asked type, in the top candidates
        "typed_window": max((c.features.get("window", 0.0) for c in cands[:5]), default=0.0),
        "missing": float(missing),
        "named_doc_found": named_doc_found,
        "margin": (best.score - second) if best else 0.0,
    }


def answerable_probability(g: dict[str, float], weights: Weights | None = None) -> float:
    w = weights or load_weights()
    return sigmoid(w.abstain_bias + sum(w.abstain.get(k, 0.0) * g.get(k, 0.0) for k in ABSTAIN_FEATURES))
