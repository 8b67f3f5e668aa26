"""Deterministic scoring of one run: plain string rules, no LLM judge, so a score can be argued with.

Relevance of a citation (used for retrieval hit@k/MRR and citation precision/recall):
- when the question has `gold_evidence`, a citation is relevant when the evidence, compared with
  `analyzer.match_key` (NFC, one tone-mark style, lowercase, collapsed spaces), is contained in the
  citation's snippet or, when the runner knows it (in process), in the full text of the cited chunk;
  over HTTP only the snippet is available, so a run against a URL can score a little lower;
- when `gold_evidence` is empty, a citation is relevant when its `source` (file name) is one of
  `gold_sources`.
The ranked list for hit@k and MRR is the response's citations in order, one entry per chunk.
Citation precision and recall count only answers that were given: the passages a response lists
when it abstains are what retrieval found (they count for hit@k and MRR), not support for a claim.
Precision is micro-averaged over the citations of answered, answerable questions; recall is the
fraction of answerable questions whose answer cites at least one relevant chunk.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from qa_service.eval.testset import TestCase
from vectorstore.analyzer import match_key

HIT_KS = (1, 3, 5)


@dataclass
class CitedChunk:
    """What the evaluator knows about one citation; `chunk_text` only in process."""

    index: int
    source: str
    snippet: str
    chunk_id: str = ""
    doc_id: str = ""
    chunk_text: str | None = None


@dataclass
class Outcome:
    """The observed response to one test question (or the error that replaced it)."""

    case: TestCase
    answer: str = ""
    abstained: bool = False
    citations: list[CitedChunk] = field(default_factory=list)
    latency_ms: float | None = None
    error: str | None = None
    standalone_question: str | None = None


@dataclass
class Judgement:
    outcome: Outcome
    relevant: list[bool]  # one flag per citation, in order
    first_relevant_rank: int | None  # 1-based rank in the per-chunk list
    answer_correct: bool | None  # None for unanswerable questions
    missing: list[list[str]]  # must_include groups not found in the answer
    correct: bool
    reason: str


def source_name(source: str) -> str:
    """File name of a path or URL, so `data/sample/x.txt` and `x.txt` compare equal."""
    return re.split(r"[/\\]", source.rstrip("/\\"))[-1]


def citation_relevant(citation: CitedChunk, case: TestCase) -> bool:
    if not case.answerable:
        return False
    evidence = case.gold_evidence.strip()
    if evidence:
        key = match_key(evidence)
        if key in match_key(citation.snippet):
            return True
        return citation.chunk_text is not None and key in match_key(citation.chunk_text)
    return source_name(citation.source) in {source_name(s) for s in case.gold_sources}


@lru_cache(maxsize=4096)
def _alternative_re(alternative: str) -> re.Pattern[str]:
    key = match_key(alternative)
    left = r"(?<!\w)" if key[:1].isalnum() else ""
    right = r"(?!\w)" if key[-1:].isalnum() else ""
    return re.compile(left + re.escape(key) + right)


def missing_groups(answer: str, must_include: Sequence[Sequence[str]]) -> list[list[str]]:
    """Groups with no alternative in the answer (whole words, after analyzer normalisation).

    Tone-mark style and NFC/NFD differences vanish in `match_key`; missing diacritics do not.
    """
    key = match_key(answer)
    return [list(g) for g in must_include if not any(_alternative_re(a).search(key) for a in g)]


def first_relevant_rank(citations: Sequence[CitedChunk], relevant: Sequence[bool]) -> int | None:
    """Rank of the first relevant chunk; repeated citations of one chunk share its rank."""
    ranks: dict[str, int] = {}
    for i, (citation, flag) in enumerate(zip(citations, relevant, strict=True)):
        key = citation.chunk_id or f"#{i}"
        rank = ranks.setdefault(key, len(ranks) + 1)
        if flag:
            return rank
    return None


def judge(outcome: Outcome) -> Judgement:
    case = outcome.case
    relevant = [citation_relevant(c, case) for c in outcome.citations]
    rank = first_relevant_rank(outcome.citations, relevant)
    if outcome.error is not None:
        missing = [list(g) for g in case.must_include]
        return Judgement(
            outcome,
            relevant,
            rank,
            False if case.answerable else None,
            missing,
            False,
            f"error: {outcome.error}",
        )
    if not case.answerable:
        if outcome.abstained:
            return Judgement(outcome, relevant, rank, None, [], True, "abstained, as expected")
        return Judgement(
            outcome,
            relevant,
            rank,
            None,
            [],
            False,
            "answered although the documents do not contain the answer",
        )
    missing = missing_groups(outcome.answer, case.must_include)
    cited = f"{sum(relevant)}/{len(relevant)} citations relevant"
    if outcome.abstained:
        reason = f"abstained although the documents answer it ({cited})"
        return Judgement(outcome, relevant, rank, False, missing, False, reason)
    if missing:
        wanted = "; ".join(" | ".join(g) for g in missing)
        return Judgement(outcome, relevant, rank, False, missing, False, f"missing: {wanted} ({cited})")
    n = len(case.must_include)
    return Judgement(outcome, relevant, rank, True, [], True, f"all {n} required group(s) found ({cited})")


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), `q` in [0, 100]."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _ratio(num: float, den: int) -> float | None:
    return num / den if den else None


def summarize(judgements: Sequence[Judgement]) -> dict[str, float | int | None]:
    """Aggregate metrics; a metric without a denominator is None (shown as n/a), never 0 or 1.

    Errors count as failures everywhere (no answer, no relevant citation, no abstention) except
    latency, which is measured on completed requests only.
    """
    answerable = [j for j in judgements if j.outcome.case.answerable]
    unanswerable = [j for j in judgements if not j.outcome.case.answerable]
    abstained = [j for j in judgements if j.outcome.error is None and j.outcome.abstained]
    answered = [j for j in answerable if j.outcome.error is None and not j.outcome.abstained]
    flags = [flag for j in answered for flag in j.relevant]
    latencies = [
        j.outcome.latency_ms for j in judgements if j.outcome.error is None and j.outcome.latency_ms is not None
    ]
    metrics: dict[str, float | int | None] = {
        "questions": len(judgements),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "errors": sum(j.outcome.error is not None for j in judgements),
        "accuracy": _ratio(sum(j.correct for j in judgements), len(judgements)),
        "answer_correctness": _ratio(sum(bool(j.answer_correct) for j in answerable), len(answerable)),
    }
    for k in HIT_KS:
        hits = sum(j.first_relevant_rank is not None and j.first_relevant_rank <= k for j in answerable)
        metrics[f"hit@{k}"] = _ratio(hits, len(answerable))
    metrics["mrr"] = _ratio(
        sum(1 / j.first_relevant_rank for j in answerable if j.first_relevant_rank), len(answerable)
    )
    metrics["citation_precision"] = _ratio(sum(flags), len(flags))
    metrics["citation_recall"] = _ratio(sum(any(j.relevant) for j in answered), len(answerable))
    metrics["abstention_precision"] = _ratio(sum(not j.outcome.case.answerable for j in abstained), len(abstained))
    metrics["abstention_recall"] = _ratio(sum(j.correct for j in unanswerable), len(unanswerable))
    metrics["latency_p50_ms"] = percentile(latencies, 50)
    metrics["latency_p95_ms"] = percentile(latencies, 95)
    metrics["latency_max_ms"] = max(latencies) if latencies else None
    return metrics


def summarize_by_type(judgements: Sequence[Judgement]) -> dict[str, dict[str, float | int | None]]:
    """The same metrics per `type`; untyped questions are grouped under "untyped"."""
    groups: dict[str, list[Judgement]] = {}
    for j in judgements:
        groups.setdefault(j.outcome.case.type or "untyped", []).append(j)
    return {name: summarize(groups[name]) for name in sorted(groups)}


# Metrics where lower is better; every other threshold is a minimum.
LOWER_IS_BETTER = {"latency_p50_ms", "latency_p95_ms", "latency_max_ms", "errors"}


def check_thresholds(metrics: dict[str, float | int | None], thresholds: dict[str, float]) -> list[dict[str, object]]:
    """One row per threshold; a metric that could not be measured (None) does not pass."""
    rows: list[dict[str, object]] = []
    for name, limit in thresholds.items():
        value = metrics.get(name)
        op = "<=" if name in LOWER_IS_BETTER else ">="
        ok = value is not None and (value <= limit if op == "<=" else value >= limit)
        rows.append({"metric": name, "op": op, "threshold": limit, "value": value, "ok": ok})
    return rows
