"""Prometheus counters for what the service decides (request metrics come from the instrumentator)."""

from __future__ import annotations

from prometheus_client import Counter

from qa_service.schemas import ChatResponse

ANSWERS = Counter("qa_answers_total", "Answers given", ["answerer"])
ABSTENTIONS = Counter("qa_abstentions_total", "Questions the documents could not answer")
FEEDBACK = Counter("qa_feedback_total", "Feedback received", ["rating"])


def record_answer(response: ChatResponse) -> None:
    ANSWERS.labels(answerer=response.answerer).inc()
    if response.abstained:
        ABSTENTIONS.inc()
