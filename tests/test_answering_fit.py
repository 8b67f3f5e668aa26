"""qa_service.answering.fit: the logistic fit separates what it should; the threshold keeps the
asked abstention recall; the weights file the answerer loads is complete."""

from __future__ import annotations

import numpy as np

from qa_service.answering.fit import _threshold, logistic
from qa_service.answering.scoring import ABSTAIN_FEATURES, CANDIDATE_FEATURES, load_weights, sigmoid


def test_logistic_learns_a_separable_rule() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] - 0.5 * x[:, 1] > 0).astype(float)
    w, b = logistic(x, y)
    pred = (x @ w + b > 0).astype(float)
    assert (pred == y).mean() > 0.95
    assert w[0] > 0 > w[1]


def test_threshold_reaches_the_abstention_recall_target() -> None:
    probs = np.array([0.1, 0.2, 0.3, 0.6, 0.4, 0.7, 0.8, 0.9])
    answerable = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    t = _threshold(probs, answerable, recall_target=1.0)
    assert ((probs < t) & (answerable == 0)).sum() == 4  # every unanswerable refused
    loose = _threshold(probs, answerable, recall_target=0.0)
    assert loose <= t


def test_shipped_weights_cover_every_feature() -> None:
    w = load_weights()
    assert set(CANDIDATE_FEATURES) <= set(w.candidate) and set(ABSTAIN_FEATURES) <= set(w.abstain)
    assert 0.0 < w.threshold < 1.0 and w.fitted_on.get("questions", 0) > 100
    assert 0.0 < sigmoid(0.3) < 1.0
