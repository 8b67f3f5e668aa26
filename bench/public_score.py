"""Score the service on a public benchmark: document-level recall@k and MRR from the retriever,
answer containment from the full chat path, and the time each took.

Retrieval returns chunks; the ranked list is their documents in first-seen order, so a document
split in three chunks still takes one rank. Article-level scores (`group_*`) count any context of
the gold article as a hit (SQuAD files; for ALQAC an article is the document).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from public_data import Benchmark, BenchQuestion, answer_contained
from tqdm import tqdm

from qa_service.eval.metrics import percentile, source_name
from qa_service.schemas import MAX_MESSAGE_CHARS, ChatRequest

KS = (1, 5)
DEPTH_CHUNKS = 30  # chunks asked of the retriever, enough for 5+ distinct documents


@dataclass
class QuestionScore:
    id: str
    rank: int | None  # 1-based rank of the first gold document
    group_rank: int | None
    context_contains_answer: bool | None  # gold answer inside the top-5 documents' chunks
    answer_contains_answer: bool | None
    abstained: bool | None
    retrieval_ms: float
    answer_ms: float | None


def ingest_benchmark(store: Any, benchmark: Benchmark, progress: bool = True) -> dict[str, Any]:
    """Write every document (idempotent: unchanged ones are skipped), then persist the index once."""
    from ingestion.pipeline import ingest_bytes

    started = time.perf_counter()
    counts: dict[str, int] = {}
    with store.writer_lock:
        store.open_for_writing()
        for doc in tqdm(benchmark.documents, desc=f"ingest {benchmark.name}", unit="doc", disable=not progress):
            outcome = ingest_bytes(store, doc.filename, doc.file_text().encode("utf-8"))
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        store.refresh(persist=True)
    return {"documents": len(benchmark.documents), **counts, "seconds": round(time.perf_counter() - started, 2)}


def _first_rank(keys: Sequence[str], gold: set[str] | frozenset[str]) -> int | None:
    return next((i for i, key in enumerate(keys, start=1) if key in gold), None)


def score_question(service: Any, benchmark: Benchmark, q: BenchQuestion, answers: bool) -> QuestionScore:
    by_name = benchmark.by_filename()
    started = time.perf_counter()
    chunks = service.retriever.invoke(q.question[:MAX_MESSAGE_CHARS], k=DEPTH_CHUNKS)
    retrieval_ms = (time.perf_counter() - started) * 1000
    keys: list[str] = []
    texts: dict[str, list[str]] = {}
    for chunk in chunks:
        doc = by_name.get(source_name(str(chunk.metadata.get("source", ""))))
        if doc is None:
            continue  # a document that is not part of this benchmark
        if doc.key not in texts:
            keys.append(doc.key)
        texts.setdefault(doc.key, []).append(chunk.page_content)
    groups = list(dict.fromkeys(benchmark.groups[k] for k in keys))
    gold_groups = {benchmark.groups[k] for k in q.gold}
    context = " ".join(t for k in keys[: max(KS)] for t in texts[k])
    score = QuestionScore(
        id=q.id,
        rank=_first_rank(keys, q.gold),
        group_rank=_first_rank(groups, gold_groups),
        context_contains_answer=answer_contained(context, q.answers) if q.answers else None,
        answer_contains_answer=None,
        abstained=None,
        retrieval_ms=retrieval_ms,
        answer_ms=None,
    )
    if answers and q.answers:
        started = time.perf_counter()
        response = service.answer(ChatRequest(message=q.question[:MAX_MESSAGE_CHARS]))
        score.answer_ms = (time.perf_counter() - started) * 1000
        score.abstained = response.abstained
        score.answer_contains_answer = answer_contained(response.answer, q.answers)
    return score


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize_scores(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    n = len(scores)
    out: dict[str, Any] = {"questions": n}
    for k in KS:
        out[f"recall@{k}"] = _mean([s.rank is not None and s.rank <= k for s in scores])
        out[f"group_recall@{k}"] = _mean([s.group_rank is not None and s.group_rank <= k for s in scores])
    out["mrr"] = _mean([1 / s.rank if s.rank else 0.0 for s in scores])
    with_answers = [s for s in scores if s.context_contains_answer is not None]
    out["questions_with_answers"] = len(with_answers)
    out["context_containment@5"] = _mean([bool(s.context_contains_answer) for s in with_answers])
    answered = [s for s in scores if s.answer_contains_answer is not None]
    out["answer_containment"] = _mean([bool(s.answer_contains_answer) for s in answered])
    out["abstain_rate"] = _mean([bool(s.abstained) for s in answered])
    retrieval = [s.retrieval_ms for s in scores]
    answer = [s.answer_ms for s in answered if s.answer_ms is not None]
    out["retrieval_ms_p50"] = percentile(retrieval, 50)
    out["retrieval_ms_p95"] = percentile(retrieval, 95)
    out["answer_ms_p50"] = percentile(answer, 50)
    out["answer_ms_p95"] = percentile(answer, 95)
    return out


def run_benchmark(
    service: Any,
    benchmark: Benchmark,
    *,
    answers: bool = True,
    limit: int | None = None,
    progress: bool = True,
) -> tuple[dict[str, Any], list[QuestionScore]]:
    """Every question in order (or the first `limit`); Ctrl-C stops and keeps what was scored."""
    questions = benchmark.questions[:limit] if limit else benchmark.questions
    scores: list[QuestionScore] = []
    started = time.perf_counter()
    interrupted = False
    try:
        for q in tqdm(questions, desc=f"eval {benchmark.name}", unit="q", disable=not progress):
            scores.append(score_question(service, benchmark, q, answers))
    except KeyboardInterrupt:
        interrupted = True
    summary = summarize_scores(scores)
    summary.update(
        benchmark=benchmark.name,
        seconds=round(time.perf_counter() - started, 2),
        interrupted=interrupted,
        questions_total=len(questions),
    )
    return summary, scores
