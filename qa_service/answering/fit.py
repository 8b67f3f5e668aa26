"""Fit the candidate scorer and the abstention model on tuning questions; write `weights.json`.

    QA_DATA_DIR=artifacts/official/index python -m qa_service.answering.fit artifacts/official/tuning.jsonl

The index must hold the documents the questions are about. Candidate labels: a sentence is a
positive when it overlaps the question's gold evidence. Abstention labels: answerable or not.
Both models are L2-regularised logistic regressions (numpy, a few hundred gradient steps); the
abstention threshold is the one with the best balanced accuracy on the tuning questions among
those that keep abstention recall ≥ the target (`--recall-target`). Held-out questions are never read here.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from qa_service.answering.analysis import analyze
from qa_service.answering.answerer import missing_entities, reads_as_document
from qa_service.answering.candidates import collect
from qa_service.answering.scoring import (
    ABSTAIN_FEATURES,
    CANDIDATE_FEATURES,
    WEIGHTS_FILE,
    Weights,
    abstain_features,
    features,
    score,
)
from qa_service.eval.testset import TestCase, load_testset
from qa_service.schemas import ChatRequest, HistoryMessage
from qa_service.service import QAService, build_service
from qa_service.settings import get_settings
from vectorstore.registry import DocumentRecord
from vectorstore.task_rows import TaskFact


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 3000, lr: float = 0.5) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression, by full-batch gradient descent."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / std
    w = np.zeros(z.shape[1])
    b = 0.0
    pos = max(1.0, float(y.sum()))
    neg = max(1.0, float(len(y) - y.sum()))
    sample_w = np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg))  # balanced classes
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * sample_w
        w -= lr * (z.T @ g / len(y) + l2 * w)
        b -= lr * float(g.mean())
    # back to the raw feature scale
    return w / std, b - float((w * mean / std).sum())


def evidence_span(rec: DocumentRecord, evidence: str) -> tuple[int, int] | None:
    words = evidence.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), rec.text)
    return (m.start(), m.end()) if m else None


def question_state(service: QAService, case: TestCase) -> tuple[Any, list[Any], list[TaskFact], dict[str, Any]]:
    """Condense and retrieve as serving does; the evidence comes from the chain's own method."""
    chain = service.chain
    history = [HistoryMessage(role=t.role, content=t.content) for t in case.history]
    state = chain.retrieve_step(chain.condense_step(service.prepare(ChatRequest(message=case.question, history=history))))
    ev = chain.evidence(state)
    return state, state.chunks, ev.tasks, ev.docs


def fit(cases: list[TestCase], service: QAService, recall_target: float = 0.8) -> dict[str, Any]:
    rows: list[list[float]] = []
    labels: list[float] = []
    per_question: list[tuple[TestCase, Any, list[Any], int, float]] = []
    library = service.chain
    for case in cases:
        state, chunks, tasks, docs = question_state(service, case)
        if not chunks or not reads_as_document(docs.get(str(chunks[0].metadata["doc_id"]))):
            continue
        analysis = analyze(state.info)
        cands = collect(analysis, chunks, tasks, docs, library)  # type: ignore[arg-type]
        gold = None
        if case.answerable and case.gold_sources:
            rec = next((r for r in docs.values() if r.source == case.gold_sources[0]), None)
            gold = (rec.doc_id, evidence_span(rec, case.gold_evidence)) if rec else None
        for c in cands:
            f = features(analysis, c)
            rows.append([f[k] for k in CANDIDATE_FEATURES])
            hit = gold is not None and gold[1] is not None and c.doc_id == gold[0] and c.start < gold[1][1] and gold[1][0] < c.end
            labels.append(1.0 if hit else 0.0)
        focus = [c for c in cands if c.focus_doc]
        per_question.append((case, analysis, cands, len(missing_entities(analysis, docs)), 1.0 if focus else 0.0))
    x, y = np.array(rows), np.array(labels)
    w, b = logistic(x, y)
    cand_w = {k: round(float(v), 4) for k, v in zip(CANDIDATE_FEATURES, w, strict=True)}
    weights = Weights(cand_w, round(b, 4), {}, 0.0, 0.5)
    g_rows, g_labels = [], []
    for case, analysis, cands, missing, named in per_question:
        ranked = score(analysis, cands, weights)
        g = abstain_features(ranked, missing, named)
        g_rows.append([g[k] for k in ABSTAIN_FEATURES])
        g_labels.append(1.0 if case.answerable else 0.0)
    gx, gy = np.array(g_rows), np.array(g_labels)
    aw, ab = logistic(gx, gy, l2=0.05)
    probs = 1 / (1 + np.exp(-(gx @ aw + ab)))
    threshold = _threshold(probs, gy, recall_target)
    abstain_recall = float(((probs < threshold) & (gy == 0)).sum() / max(1, (gy == 0).sum()))
    answer_rate = float(((probs >= threshold) & (gy == 1)).sum() / max(1, (gy == 1).sum()))
    return {
        "candidate": cand_w, "candidate_bias": round(b, 4),
        "abstain": {k: round(float(v), 4) for k, v in zip(ABSTAIN_FEATURES, aw, strict=True)},
        "abstain_bias": round(float(ab), 4), "threshold": round(float(threshold), 4),
        "fitted_on": {
            "date": time.strftime("%Y-%m-%d"), "questions": len(per_question), "candidates": len(rows),
            "positives": int(y.sum()), "unanswerable": int((gy == 0).sum()),
            "tuning_abstention_recall": round(abstain_recall, 3), "tuning_answered_share": round(answer_rate, 3),
        },
    }


def _threshold(probs: np.ndarray, answerable: np.ndarray, recall_target: float) -> float:
    """The threshold with the best balanced accuracy (answerables answered, unanswerables refused)
    among those whose abstention recall reaches the target; with no such threshold, the best
    balanced one."""
    candidates = sorted(set(np.round(probs, 4).tolist()) | {0.5})
    best: tuple[float, float] | None = None
    fallback: tuple[float, float] = (-1.0, 0.5)
    for t in candidates:
        refused = float(((probs < t) & (answerable == 0)).sum() / max(1, (answerable == 0).sum()))
        answered = float(((probs >= t) & (answerable == 1)).sum() / max(1, (answerable == 1).sum()))
        balanced = (refused + answered) / 2
        fallback = max(fallback, (balanced, t))
        if refused >= recall_target and (best is None or balanced > best[0]):
            best = (balanced, t)
    return float((best or fallback)[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("testsets", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--recall-target", type=float, default=0.8)
    args = parser.parse_args(argv)
    cases = [c for path in args.testsets for c in load_testset(path)]
    service = build_service(get_settings())
    try:
        result = fit(cases, service, args.recall_target)
    finally:
        service.close()
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["fitted_on"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
