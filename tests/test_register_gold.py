"""The task register against the hand-built gold: dated gold tasks listed by `GET /v1/tasks`'s own filters
(document, actor in any spelling, exactly the gold date), and *exactly* (the task so listed is the gold task
itself: its span overlaps the gold evidence). The issue's bar is 0.90; gates sit at or just under the measured
values (README) and are only raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_service.eval.register import DATED_GOLD, DATED_GOLD_2, DATED_GOLD_3, score
from qa_service.eval.tasks import BULK_CORPUS, CORPUS, GOLD

MIN_RECALL = 0.93  # eval/gold/official_tasks.jsonl (33 dated tasks)
MIN_EXACT = 0.81  # the same, the gold task itself
# eval/gold/official_dated_tasks.jsonl (108 dated tasks annotated independently of the extractor)
MIN_DATED_RECALL = 0.63
MIN_DATED_CHECK_RECALL = 0.43  # its check half, never looked at
MIN_DATED_EXACT, MIN_DATED_CHECK_EXACT = 0.58, 0.30


@pytest.mark.skipif(not (CORPUS.is_dir() and Path(GOLD).is_file()), reason="../shared/corpus-official is not here")
def test_dated_gold_tasks_are_listed_with_their_date_and_actor() -> None:
    scores = score(GOLD)
    print(scores.summary())
    assert sum(scores.dated.values()) >= 30
    assert scores.recall() >= MIN_RECALL
    assert scores.recall(exact=True) >= MIN_EXACT


@pytest.mark.skipif(not (CORPUS.is_dir() and DATED_GOLD.is_file()), reason="../shared/corpus-official is not here")
def test_independent_dated_gold_is_listed() -> None:
    scores = score(DATED_GOLD)
    print(scores.summary())
    assert sum(scores.dated.values()) >= 100
    assert scores.recall() >= MIN_DATED_RECALL
    assert scores.recall("check") >= MIN_DATED_CHECK_RECALL
    assert scores.recall(exact=True) >= MIN_DATED_EXACT
    assert scores.recall("check", exact=True) >= MIN_DATED_CHECK_EXACT


# eval/gold/official_dated_tasks_2.jsonl: 106 dated tasks on 11 documents no other gold uses (91 from
# corpus-bulk), annotated from the text alone; first measured before any of its misses were read.
MIN_DATED_2_RECALL = 0.85  # 0.802 before its tuning half was read, 0.858 after
MIN_DATED_2_CHECK_RECALL = 0.70
MIN_DATED_2_EXACT = 0.62  # 0.49 before sub-rows of task tables were read (QĐ 2530's Phụ lục I)
MIN_DATED_2_CHECK_EXACT = 0.61


@pytest.mark.skipif(
    not (CORPUS.is_dir() and BULK_CORPUS.is_dir() and DATED_GOLD_2.is_file()), reason="../shared corpora are not here"
)
def test_second_independent_dated_gold_is_listed() -> None:
    scores = score(DATED_GOLD_2)
    print(scores.summary())
    assert sum(scores.dated.values()) >= 100
    assert scores.recall() >= MIN_DATED_2_RECALL
    assert scores.recall("check") >= MIN_DATED_2_CHECK_RECALL
    assert scores.recall(exact=True) >= MIN_DATED_2_EXACT
    assert scores.recall("check", exact=True) >= MIN_DATED_2_CHECK_EXACT


# eval/gold/official_dated_tasks_3.jsonl: 67 dated tasks on 14 more corpus-bulk documents, annotated from the text
# alone; first measured before any of its misses were read: listed 0.463 (check 0.304), exact 0.448 (check 0.261).
MIN_DATED_3_RECALL, MIN_DATED_3_CHECK_RECALL = 0.58, 0.30
MIN_DATED_3_EXACT, MIN_DATED_3_CHECK_EXACT = 0.55, 0.26


@pytest.mark.skipif(not (BULK_CORPUS.is_dir() and DATED_GOLD_3.is_file()), reason="../shared/corpus-bulk is not here")
def test_third_independent_dated_gold_is_listed() -> None:
    scores = score(DATED_GOLD_3)
    print(scores.summary())
    assert sum(scores.dated.values()) >= 60
    assert scores.recall() >= MIN_DATED_3_RECALL
    assert scores.recall("check") >= MIN_DATED_3_CHECK_RECALL
    assert scores.recall(exact=True) >= MIN_DATED_3_EXACT
    assert scores.recall("check", exact=True) >= MIN_DATED_3_CHECK_EXACT
