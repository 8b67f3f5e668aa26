"""The task register against the hand-built gold: dated gold tasks listed by `GET /v1/tasks`'s own filters
(document, actor in any spelling, exactly the gold date), and *exactly* (the task so listed is the gold task
itself: its span overlaps the gold evidence). The issue's bar is 0.90; gates sit at or just under the measured
values (README) and are only raised."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from qa_service.eval.register import DATED_GOLD, DATED_GOLD_2, DATED_GOLD_3, score
from qa_service.eval.tasks import BULK_CORPUS, CORPUS, GOLD


@dataclass(frozen=True)
class Gates:
    gold: Path
    tasks: int  # at least this many dated gold tasks
    listed: float
    exact: float
    listed_check: float = 0.0  # the check files: never looked at
    exact_check: float = 0.0


GATES = [
    # eval/gold/official_tasks.jsonl (33 dated tasks; rules written on 8 of its 12 files)
    Gates(Path(GOLD), 30, listed=0.93, exact=0.81, listed_check=0.91, exact_check=0.75),
    # eval/gold/official_dated_tasks.jsonl (108 dated tasks annotated independently of the extractor)
    Gates(DATED_GOLD, 100, listed=0.63, exact=0.58, listed_check=0.43, exact_check=0.30),
    # eval/gold/official_dated_tasks_2.jsonl: 106 dated tasks on 11 documents no other gold uses (91 from
    # corpus-bulk), annotated from the text alone; listed 0.802 before its tuning half was read; exact 0.49
    # before the sub-rows of task tables were read (stop 22).
    Gates(DATED_GOLD_2, 100, listed=0.85, exact=0.64, listed_check=0.70, exact_check=0.61),
    # eval/gold/official_dated_tasks_3.jsonl: 67 dated tasks on 14 more corpus-bulk documents, annotated from the
    # text alone; first measured before any of its misses were read: listed 0.463 (check 0.304), exact 0.448
    # (check 0.261).
    Gates(DATED_GOLD_3, 60, listed=0.59, exact=0.58, listed_check=0.30, exact_check=0.26),
]


@pytest.mark.skipif(not (CORPUS.is_dir() and BULK_CORPUS.is_dir()), reason="../shared corpora are not here")
@pytest.mark.parametrize("gates", GATES, ids=lambda g: g.gold.stem)
def test_dated_gold_tasks_are_listed_with_their_date_and_actor(gates: Gates) -> None:
    scores = score(gates.gold)
    print(scores.summary())
    assert sum(scores.dated.values()) >= gates.tasks
    assert scores.recall() >= gates.listed
    assert scores.recall(exact=True) >= gates.exact
    if gates.listed_check or gates.exact_check:
        assert scores.recall("check") >= gates.listed_check
        assert scores.recall("check", exact=True) >= gates.exact_check
